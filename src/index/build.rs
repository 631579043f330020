//! Building the index: every article's text read once on all cores, each worker's postings
//! written out in runs, the runs merged from disk into one sorted index; and bringing an index
//! up to date for the pages that changed ([`Index::updated`]).

use std::sync::atomic::Ordering::Relaxed;

use rustc_hash::FxHashMap;

use super::analysis::{each_field, term_frequency_weight, terms};
use super::postings::{Postings, push_positions, push_varint, read_varint, read_varint_from};
use super::spill::{Spill, Stored};
use super::{Index, TermId, idf};
use crate::article::Article;
use crate::diagnostic::Diagnostic;
use crate::library::Library;

/// What [`Index::build_with`] calls with each text read: the worker's state, the article's
/// number, its text (`None`: the page cannot be read now) and the warnings it gave (or why not).
pub type Gather<S> = dyn Fn(&mut S, usize, Option<&Article>, Vec<Diagnostic>) + Sync;

/// How many bytes of postings a worker gathers before it writes them out as a run: the build
/// holds at most this much per worker, whatever the library's size.
const RUN_BYTES: usize = 512 << 10;
/// The buffer each run is read through while they are merged (at 100,000 articles there are
/// about a hundred runs).
const RUN_BUFFER: usize = 16 << 10;

/// What one worker is indexing: a run of articles with a dictionary of its own.
#[derive(Default)]
pub(super) struct Partial {
    pub(super) dictionary: FxHashMap<Box<str>, TermId>,
    pub(super) lists: Vec<List>,
    /// The bytes of postings in `lists`.
    bytes: usize,
    pub(super) lengths: Vec<u32>,
    /// Per term of the article being added: its count and headline flag.
    seen: Vec<(u32, bool)>,
    /// Per term of the article being added: its positions in it.
    places: Vec<Vec<u32>>,
    /// The terms the article being added has touched.
    touched: Vec<TermId>,
}

#[derive(Default)]
pub(super) struct List {
    pub(super) bytes: Vec<u8>,
    /// The article the first posting is about (stored as its absolute number).
    first: u32,
    last: u32,
    df: u32,
}

/// A worker's run written out: for each term in order, the term, how many articles use it,
/// the first and last of them, and its postings (the first gap counted from 0).
struct Run {
    stored: Stored,
    /// The terms' counts of the run's articles, in reading order.
    lengths: Vec<u32>,
}

impl Index {
    /// Indexes every article of the library, on all cores. `progress` is called now and then
    /// with the number of articles done (from any thread).
    pub fn build(library: &Library, progress: &(dyn Fn(usize) + Sync)) -> Index {
        Index::build_with(library, progress, &|_: &mut (), _, _, _| {}).0
    }

    /// [`Index::build`], reading each article's text once: from its page, for a library of
    /// headers ([`Library::read_text`]), and letting it go once indexed. `gather` sees every
    /// text on the worker that read it (`None` and why, for a page that cannot be read now),
    /// with the warnings it gave, into a state of that worker's own; the states come back in
    /// the order of the workers' runs, which follow each other in reading order.
    ///
    /// Each worker writes its postings out in runs of a few megabytes, and the runs are then
    /// merged into the index's file: the build never holds the whole index.
    pub fn build_with<S: Default + Send>(
        library: &Library,
        progress: &(dyn Fn(usize) + Sync),
        gather: &Gather<S>,
    ) -> (Index, Vec<S>) {
        Index::build_in_runs(library, progress, gather, RUN_BYTES)
    }

    /// [`Index::build_with`], each worker writing a run once it holds `run_bytes` of postings.
    fn build_in_runs<S: Default + Send>(
        library: &Library,
        progress: &(dyn Fn(usize) + Sync),
        gather: &Gather<S>,
        run_bytes: usize,
    ) -> (Index, Vec<S>) {
        let count = library.len();
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 16);
        let chunk = count.div_ceil(workers).max(1);
        let done = std::sync::atomic::AtomicUsize::new(0);
        let results: Vec<(Vec<Run>, S)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..count)
                .step_by(chunk)
                .map(|first| {
                    let done = &done;
                    scope.spawn(move || {
                        let mut partial = Partial::default();
                        let mut runs = Vec::new();
                        let mut state = S::default();
                        for doc in first..(first + chunk).min(count) {
                            match library.read_text(doc) {
                                Ok((article, warnings)) => {
                                    partial.add(doc as u32, Some(&article));
                                    gather(&mut state, doc, Some(&article), warnings);
                                }
                                Err(why) => {
                                    partial.add(doc as u32, None);
                                    gather(&mut state, doc, None, vec![why]);
                                }
                            }
                            if partial.bytes >= run_bytes {
                                runs.push(partial.write_run());
                            }
                            if (doc - first) % 256 == 255 {
                                let total = done.fetch_add(256, Relaxed) + 256;
                                progress(total);
                            }
                        }
                        if !partial.lengths.is_empty() {
                            runs.push(partial.write_run());
                        }
                        (runs, state)
                    })
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        progress(count);
        let (runs, states): (Vec<Vec<Run>>, Vec<S>) = results.into_iter().unzip();
        let runs: Vec<Run> = runs.into_iter().flatten().collect();
        let index = merge(&runs, count);
        drop(runs);
        crate::allocator::give_back();
        (index, states)
    }
}

/// Writes an index term by term, in order: the terms and where their postings are, the
/// postings to the index's file, and every article's norm added up on the way (so the
/// postings are never read back for it).
pub(super) struct Writer {
    index: Index,
    spill: Spill,
    /// The terms' positions, apart: put after all the postings when done.
    positions: Spill,
    starts: Vec<u64>,
    /// Where each term's positions start in `positions`.
    position_starts: Vec<u64>,
    df: Vec<u32>,
    /// The squared norms so far.
    norms: Vec<f32>,
    /// The term's postings without their positions (reused).
    split: Vec<u8>,
}

impl Writer {
    pub(super) fn new(docs: usize, spill: Spill) -> Writer {
        Writer {
            index: Index::default(),
            spill,
            positions: Spill::on_disk(),
            starts: Vec::new(),
            position_starts: Vec::new(),
            df: Vec::new(),
            norms: vec![0.0; docs],
            split: Vec::new(),
        }
    }

    /// The next term (after every term pushed so far), used by `df` articles, with its
    /// encoded postings, positions inline: the postings are written without them, and the
    /// positions apart.
    pub(super) fn push(&mut self, term: &str, df: u32, postings: &[u8]) {
        let index = &mut self.index;
        index.terms.push(term);
        self.starts.push(self.spill.len());
        self.position_starts.push(self.positions.len());
        self.df.push(df);
        let idf = idf(self.norms.len(), df as usize);
        self.split.clear();
        let mut list = Postings::new(std::borrow::Cow::Borrowed(postings));
        let mut last = 0;
        while let Some(p) = list.next() {
            let w = term_frequency_weight(p.count, p.in_headline) * idf;
            if let Some(n) = self.norms.get_mut(p.doc as usize) {
                *n += w * w;
            }
            let places = postings.get(list.position_range()).unwrap_or_default();
            push_varint(&mut self.split, p.doc - last);
            push_varint(&mut self.split, p.count << 1 | u32::from(p.in_headline));
            push_varint(&mut self.split, places.len() as u32);
            self.positions.write(places);
            last = p.doc;
        }
        self.spill.write(&self.split);
    }

    pub(super) fn finish(mut self, lengths: Vec<u32>) -> Index {
        let (mut index, mut starts, mut df) = (self.index, self.starts, self.df);
        let postings = self.spill.len();
        starts.push(postings);
        starts.shrink_to_fit();
        df.shrink_to_fit();
        // The positions go after every term's postings.
        let positions = self.positions.finish();
        self.spill.append(&positions);
        let mut position_starts = self.position_starts;
        position_starts.push(positions.len());
        for start in &mut position_starts {
            *start += postings;
        }
        (index.starts, index.df) = (starts.into(), df.into());
        index.position_starts = position_starts.into();
        index.postings = self.spill.finish();
        index.lengths = lengths.into();
        index.norms = Vec::from_iter(self.norms.into_iter().map(f32::sqrt)).into();
        index.terms.shrink_to_fit();
        index
    }
}

impl Partial {
    /// Indexes article `doc` (numbers rise from one call to the next); `None`, a page that
    /// could not be read, counts as an article without terms.
    pub(super) fn add(&mut self, doc: u32, article: Option<&Article>) {
        let mut length = 0u32;
        // Each field starts two past the last one's end: a phrase never spans two.
        let mut position = 0u32;
        if let Some(article) = article {
            each_field(article, |text, headline| {
                terms(text, |t| {
                    let id = match self.dictionary.get(t) {
                        Some(&id) => id,
                        None => {
                            let id = self.lists.len() as TermId;
                            self.dictionary.insert(t.into(), id);
                            self.lists.push(List::default());
                            self.seen.push((0, false));
                            self.places.push(Vec::new());
                            id
                        }
                    };
                    let entry = &mut self.seen[id as usize];
                    if entry.0 == 0 {
                        self.touched.push(id);
                    }
                    entry.0 += 1;
                    entry.1 |= headline;
                    self.places[id as usize].push(position);
                    position += 1;
                    length += 1;
                });
                position += 1;
            });
        }
        for &id in &self.touched {
            let (count, headline) = std::mem::take(&mut self.seen[id as usize]);
            let list = &mut self.lists[id as usize];
            let gap = if list.df == 0 {
                list.first = doc;
                doc
            } else {
                doc - list.last
            };
            let before = list.bytes.len();
            push_varint(&mut list.bytes, gap);
            push_varint(&mut list.bytes, count << 1 | u32::from(headline));
            let places = &mut self.places[id as usize];
            push_positions(&mut list.bytes, places);
            places.clear();
            self.bytes += list.bytes.len() - before;
            list.last = doc;
            list.df += 1;
        }
        self.touched.clear();
        self.lengths.push(length);
    }

    /// Writes what this worker has indexed since its last run out, terms in order, and starts
    /// a new run.
    fn write_run(&mut self) -> Run {
        let mut order: Vec<(&str, TermId)> =
            self.dictionary.iter().map(|(t, &id)| (&**t, id)).collect();
        order.sort_unstable();
        let mut spill = Spill::on_disk();
        let mut head = Vec::new();
        for (term, id) in order {
            let list = &self.lists[id as usize];
            head.clear();
            push_varint(&mut head, term.len() as u32);
            head.extend_from_slice(term.as_bytes());
            for value in [list.df, list.first, list.last, list.bytes.len() as u32] {
                push_varint(&mut head, value);
            }
            spill.write(&head);
            spill.write(&list.bytes);
        }
        let run = Run {
            stored: spill.finish(),
            lengths: std::mem::take(&mut self.lengths),
        };
        self.dictionary = FxHashMap::default();
        self.lists = Vec::new();
        self.seen = Vec::new();
        self.places = Vec::new();
        self.bytes = 0;
        // What the run held is free now; the next run would reuse only part of it.
        crate::allocator::give_back();
        run
    }
}

/// One term of a run, as the merge reads it.
#[derive(Default)]
struct RunTerm {
    term: String,
    df: u32,
    first: u32,
    last: u32,
    bytes: Vec<u8>,
}

/// Reads a run's terms in order.
struct RunReader<'a> {
    input: Box<dyn std::io::Read + Send + 'a>,
    /// The term read last; `None` once the run is done.
    head: Option<RunTerm>,
}

impl RunReader<'_> {
    /// Reads the next term into `head` (its buffers reused), or ends the run.
    fn advance(&mut self) {
        let Some(mut head) = self.head.take() else {
            return;
        };
        let input = &mut self.input;
        let mut next = |head: &mut RunTerm| -> Option<()> {
            let length = read_varint_from(input)?;
            let mut term = std::mem::take(&mut head.term).into_bytes();
            term.resize(length as usize, 0);
            input.read_exact(&mut term).ok()?;
            head.term = String::from_utf8(term).ok()?;
            head.df = read_varint_from(input)?;
            head.first = read_varint_from(input)?;
            head.last = read_varint_from(input)?;
            let bytes = read_varint_from(input)?;
            head.bytes.resize(bytes as usize, 0);
            input.read_exact(&mut head.bytes).ok()
        };
        if next(&mut head).is_some() {
            self.head = Some(head);
        }
    }
}

/// Joins the workers' runs (which follow each other in reading order) into one sorted index,
/// reading each run once, in order, from where it was written.
fn merge(runs: &[Run], docs: usize) -> Index {
    let mut readers: Vec<RunReader> = runs
        .iter()
        .map(|run| {
            let mut reader = RunReader {
                // Many runs are read side by side: each through a small buffer.
                input: run.stored.reader(RUN_BUFFER),
                head: Some(RunTerm::default()),
            };
            reader.advance();
            reader
        })
        .collect();
    let mut lengths = Vec::with_capacity(docs);
    for run in runs {
        lengths.extend_from_slice(&run.lengths);
    }
    debug_assert_eq!(lengths.len(), docs);
    let mut writer = Writer::new(docs, Spill::for_index());
    let mut list = Vec::new();
    let mut term = String::new();
    while let Some(least) = readers
        .iter()
        .filter_map(|r| r.head.as_ref().map(|h| &h.term))
        .min()
    {
        term.clone_from(least);
        list.clear();
        let mut df = 0;
        let mut last: Option<u32> = None;
        for reader in &mut readers {
            let Some(head) = reader.head.as_ref().filter(|h| h.term == term) else {
                continue;
            };
            let mut bytes = &head.bytes[..];
            // The run's first posting holds an absolute number; make it a gap from the last.
            let _ = read_varint(&mut bytes);
            push_varint(&mut list, head.first - last.unwrap_or(0));
            list.extend_from_slice(bytes);
            last = Some(head.last);
            df += head.df;
            reader.advance();
        }
        writer.push(&term, df, &list);
    }
    writer.finish(lengths)
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::analysis::term_list;
    use crate::index::postings::Posting;

    #[test]
    fn an_index_built_in_many_runs_is_the_one_built_in_one_and_holds_every_use() {
        use crate::article::Block;
        let articles: Vec<Article> = (0..90)
            .map(|i| Article {
                headline: format!("Story {i} on talks"),
                path: format!("{i}.txt").into(),
                body: vec![Block::Paragraph(format!(
                    "word{} shared{} talked common common",
                    i % 7,
                    i % 3
                ))],
                ..Article::default()
            })
            .collect();
        let library = Library::new(articles, Vec::new());
        let none = |_: &mut (), _, _: Option<&Article>, _| {};
        let one = Index::build_in_runs(&library, &|_| {}, &none, usize::MAX).0;
        let many = Index::build_in_runs(&library, &|_| {}, &none, 1).0;
        assert!(one == many, "runs of one article merge into the same index");
        assert_eq!(many.docs(), 90);
        // Every term's postings are exactly the articles whose text has it.
        for t in 0..many.term_count() as TermId {
            let term = many.term_text(t as usize).to_string();
            let mut expected = Vec::new();
            for doc in 0..library.len() {
                let article = library.text(doc).unwrap();
                let in_headline = term_list(&article.headline).contains(&term);
                let mut count = 0;
                each_field(&article, |text, _| {
                    count += term_list(text).iter().filter(|w| **w == term).count() as u32;
                });
                if count > 0 {
                    expected.push(Posting {
                        doc: doc as u32,
                        count,
                        in_headline,
                    });
                }
            }
            assert_eq!(many.postings(t).collect::<Vec<_>>(), expected, "{term}");
            assert_eq!(many.df(t), expected.len());
        }
        let talk = many.term("talk").unwrap();
        assert_eq!(many.df(talk), 90);
        let word = many.prefixed("word");
        assert_eq!(word.len(), 7);
        let lists: Vec<(TermId, usize)> = many
            .postings_of(word.clone())
            .iter()
            .map(|(t, p)| (t, p.count()))
            .collect();
        let one_by_one: Vec<(TermId, usize)> =
            word.map(|t| (t, many.postings(t).count())).collect();
        assert_eq!(lists, one_by_one);
    }
}
