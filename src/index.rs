//! The text index of the library: every article's words folded (case and accents), English
//! stop words dropped and lightly stemmed, and for each term the articles that use it, as
//! delta-encoded postings. Built once by reading every article's text (from its page, for a
//! library of headers; off the drawing thread in the reader, in parallel), brought up to date
//! when the folder changes, and shared by similar stories, story threads and search.

use rustc_hash::FxHashMap;

use std::sync::atomic::Ordering::Relaxed;

use crate::article::Article;
use crate::interned::Packed;
use crate::library::{Diagnostic, Library};
use crate::spill::{Spill, Stored};

/// How much more a word counts in the headline than in the text.
pub const HEADLINE_WEIGHT: f32 = 2.5;

/// Words too common in English to say what an article is about (kept sorted to read).
#[rustfmt::skip]
const STOP_WORDS: [&str; 130] = [
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "may", "me", "might", "more", "most", "must", "my", "myself", "no", "nor",
    "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves",
    "out", "over", "own", "same", "shall", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they",
    "this", "those", "through", "to", "too", "under", "until", "up", "upon", "us", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
    "will", "with", "would", "you", "your",
];

fn is_stop_word(word: &str) -> bool {
    static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&str>> =
        std::sync::LazyLock::new(|| STOP_WORDS.into_iter().collect());
    word.len() <= 10 && SET.contains(word)
}

/// Calls `each` with every term of `text` in order: runs of letters and digits, lower case,
/// accents and other scripts transliterated to ASCII, apostrophes dropped (`Russia's` is one
/// word), stop words and single letters left out, and a light stemmer applied (plural `-s`,
/// `-es`, `-ies`; `-ing`; `-ed`).
pub fn terms(text: &str, mut each: impl FnMut(&str)) {
    scan(text, |_, word| {
        if is_term(word) {
            stem(word);
            each(word);
        }
    });
}

/// Calls `each` with every word of `text` in order, with where it is: its byte range in
/// `text`, its folded form (lower case ASCII, not stemmed), and its term, or `None` for a stop
/// word or a single letter. Search uses it to find hits to highlight.
pub fn words(text: &str, mut each: impl FnMut(std::ops::Range<usize>, &str, Option<&str>)) {
    let mut stemmed = String::with_capacity(24);
    scan(text, |range, word| {
        if is_term(word) {
            stemmed.clear();
            stemmed.push_str(word);
            stem(&mut stemmed);
            each(range, word, Some(&stemmed));
        } else {
            each(range, word, None);
        }
    });
}

fn is_term(word: &str) -> bool {
    word.len() > 1 && !is_stop_word(word)
}

/// The tokenizer under [`terms`] and [`words`]: each run of letters and digits, folded to
/// lower-case ASCII (an apostrophe inside a word joins it), with its byte range.
fn scan(text: &str, mut each: impl FnMut(std::ops::Range<usize>, &mut String)) {
    let mut word = String::with_capacity(24);
    let (mut start, mut end) = (0, 0);
    let mut flush = |word: &mut String, start: usize, end: usize| {
        if !word.is_empty() {
            each(start..end, word);
            word.clear();
        }
    };
    for (i, c) in text.char_indices() {
        let next = i + c.len_utf8();
        if c.is_ascii_alphanumeric() {
            if word.is_empty() {
                start = i;
            }
            word.push(c.to_ascii_lowercase());
            end = next;
        } else if c == '\'' || c == '\u{2019}' {
            // Inside a word, an apostrophe joins (`don't`, `Xi's`); elsewhere it is nothing.
        } else if c.is_alphanumeric() {
            match deunicode::deunicode_char(c) {
                Some(ascii) => {
                    for a in ascii.chars() {
                        if a.is_ascii_alphanumeric() {
                            if word.is_empty() {
                                start = i;
                            }
                            word.push(a.to_ascii_lowercase());
                            end = next;
                        } else {
                            flush(&mut word, start, end);
                        }
                    }
                }
                None => flush(&mut word, start, end),
            }
        } else {
            flush(&mut word, start, end);
        }
    }
    flush(&mut word, start, end);
}

/// Every term of `text`, in order.
pub fn term_list(text: &str) -> Vec<String> {
    let mut list = Vec::new();
    terms(text, |t| list.push(t.to_string()));
    list
}

/// A light English stemmer: enough that `talks`, `talked` and `talking` meet, not so much that
/// unrelated words do.
fn stem(word: &mut String) {
    let n = word.len();
    if n <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    if word.ends_with("ies") && n > 4 {
        word.truncate(n - 3);
        word.push('y');
    } else if word.ends_with("sses") || word.ends_with("xes") || word.ends_with("ches") {
        word.truncate(n - 2);
    } else if word.ends_with("ing") && n > 5 {
        word.truncate(n - 3);
        undouble(word);
    } else if word.ends_with("ed") && !word.ends_with("eed") && n > 4 {
        word.truncate(n - 2);
        undouble(word);
    } else if word.ends_with('s')
        && !(word.ends_with("ss") || word.ends_with("us") || word.ends_with("is"))
    {
        word.truncate(n - 1);
    }
}

/// `stopp` → `stop`, `runn` → `run`; but `call`, `press` and `buzz` keep their pair.
fn undouble(word: &mut String) {
    let b = word.as_bytes();
    if let [.., x, y] = b
        && x == y
        && !matches!(x, b'l' | b's' | b'z' | b'a' | b'e' | b'i' | b'o' | b'u')
    {
        word.pop();
    }
}

/// A term's number in the index.
pub type TermId = u32;

/// One article's use of a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// The article's position in the library's reading order.
    pub doc: u32,
    /// How many times the term occurs in the article.
    pub count: u32,
    /// Whether it occurs in the headline.
    pub in_headline: bool,
}

/// The index. Postings of every term are stored back to back, in term order, in a file of the
/// index's own ([`crate::spill`]): for each article, the gap from the previous article's number
/// and `count << 1 | in_headline`, both as variable-length integers (LEB128), so a posting
/// usually takes two bytes. Only the terms, where their postings are, and per article its
/// length and norm are in memory; a term's postings are read when asked for. Terms are
/// sorted, so a prefix is a range (and its postings are one stretch of the file).
#[derive(Debug, Default)]
pub struct Index {
    /// Every term, sorted.
    terms: Packed,
    /// Where each term's postings start in `postings`; one more entry than terms.
    starts: Vec<u64>,
    /// How many articles use each term.
    df: Vec<u32>,
    postings: Stored,
    /// How many terms each article has (for BM25 in search).
    lengths: Vec<u32>,
    /// The length of each article's weighted term vector (for the cosine).
    norms: Vec<f32>,
}

impl PartialEq for Index {
    /// The same terms with the same postings and figures, wherever the postings are kept.
    fn eq(&self, other: &Index) -> bool {
        self.terms == other.terms
            && self.starts == other.starts
            && self.df == other.df
            && self.lengths == other.lengths
            && self.norms == other.norms
            && self.postings.same_bytes(&other.postings)
    }
}

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
struct Partial {
    dictionary: FxHashMap<Box<str>, TermId>,
    lists: Vec<List>,
    /// The bytes of postings in `lists`.
    bytes: usize,
    lengths: Vec<u32>,
    /// Per term of the article being added: its count and headline flag.
    seen: Vec<(u32, bool)>,
    /// The terms the article being added has touched.
    touched: Vec<TermId>,
}

#[derive(Default)]
struct List {
    bytes: Vec<u8>,
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
        crate::memory::give_back();
        (index, states)
    }

    /// How many articles the index holds.
    pub fn docs(&self) -> usize {
        self.lengths.len()
    }

    /// Terms in the index (distinct).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Bytes the index takes in memory, roughly (its postings are not in memory unless no
    /// file could be made for them).
    pub fn heap_bytes(&self) -> usize {
        let postings = match &self.postings {
            Stored::Memory(bytes) => bytes.len(),
            Stored::File { .. } => 0,
        };
        self.terms.heap_bytes()
            + self.starts.len() * 8
            + self.df.len() * 4
            + self.lengths.len() * 8
            + postings
    }

    /// Bytes of postings, wherever they are kept.
    pub fn postings_bytes(&self) -> u64 {
        self.postings.len()
    }

    /// Term `t`'s text.
    fn term_text(&self, t: usize) -> &str {
        self.terms.get(t as u32)
    }

    /// How many terms sort before those for which `after` holds (it must hold for a tail).
    fn partition_point(&self, after: impl Fn(&str) -> bool) -> usize {
        let (mut low, mut high) = (0, self.term_count());
        while low < high {
            let mid = low + (high - low) / 2;
            if after(self.term_text(mid)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        low
    }

    /// The term's number, if any article uses it.
    pub fn term(&self, term: &str) -> Option<TermId> {
        let at = self.partition_point(|t| t >= term);
        (at < self.term_count() && self.term_text(at) == term).then_some(at as TermId)
    }

    /// The terms that start with `prefix`, as a range of term numbers.
    pub fn prefixed(&self, prefix: &str) -> std::ops::Range<TermId> {
        let first = self.partition_point(|t| t >= prefix);
        let end = self.partition_point(|t| t >= prefix && !t.starts_with(prefix));
        first as TermId..end.max(first) as TermId
    }

    /// How many terms article `doc` has.
    pub fn length(&self, doc: usize) -> u32 {
        self.lengths.get(doc).copied().unwrap_or(0)
    }

    /// The mean number of terms per article.
    pub fn average_length(&self) -> f32 {
        let total: u64 = self.lengths.iter().map(|&l| u64::from(l)).sum();
        total as f32 / self.lengths.len().max(1) as f32
    }

    /// How many articles use the term.
    pub fn df(&self, term: TermId) -> usize {
        self.df.get(term as usize).map_or(0, |&df| df as usize)
    }

    /// Where the postings of the terms `terms` are in the file.
    fn span(&self, terms: std::ops::Range<TermId>) -> std::ops::Range<u64> {
        let at = |t: TermId| self.starts.get(t as usize).copied().unwrap_or(0);
        at(terms.start)..at(terms.end)
    }

    /// The term's postings, in reading order (read from the index's file).
    pub fn postings(&self, term: TermId) -> Postings<'static> {
        let bytes = self.postings.read(self.span(term..term + 1));
        Postings::new(std::borrow::Cow::Owned(bytes))
    }

    /// The postings of every term of `terms` (such as a prefix's), read in one go, each with
    /// its term.
    pub fn postings_of(
        &self,
        terms: std::ops::Range<TermId>,
    ) -> impl Iterator<Item = (TermId, Postings<'static>)> + '_ {
        let span = self.span(terms.clone());
        let mut bytes = self.postings.read(span.clone());
        if bytes.len() as u64 != span.end - span.start {
            bytes.clear();
        }
        let mut lists: Vec<(TermId, Vec<u8>)> = Vec::with_capacity(terms.len());
        for term in terms.clone().rev() {
            let own = self.span(term..term + 1);
            let from = (own.start - span.start) as usize;
            let list = bytes.split_off(from.min(bytes.len()));
            lists.push((term, list));
        }
        lists
            .into_iter()
            .rev()
            .map(|(term, list)| (term, Postings::new(std::borrow::Cow::Owned(list))))
    }

    /// How telling a term is for similarity: rarer terms say more.
    pub fn idf(&self, term: TermId) -> f32 {
        idf(self.docs(), self.df(term))
    }

    /// The weight of a term in an article: sublinear in the count, more in the headline.
    pub fn weight(&self, term: TermId, count: u32, in_headline: bool) -> f32 {
        term_frequency_weight(count, in_headline) * self.idf(term)
    }

    /// The length of article `doc`'s weighted term vector.
    pub fn norm(&self, doc: usize) -> f32 {
        self.norms.get(doc).copied().unwrap_or(0.0)
    }

    /// The index of a library changed in the folder ([`crate::library::Changed`]): the
    /// postings of the articles that stayed are renumbered (`moved`: old number to new), and
    /// only the `fresh` articles (their numbers in the new library of `docs` articles, in
    /// rising order, with their texts) are indexed. Much cheaper than [`Index::build`], which
    /// reads every text; the old postings are read once, in order, from the old index's file.
    pub fn updated(
        &self,
        moved: &[Option<u32>],
        docs: usize,
        fresh: &[(usize, Option<&Article>)],
    ) -> Index {
        let mut partial = Partial::default();
        for &(doc, article) in fresh {
            partial.add(doc as u32, article);
        }
        let mut lengths = vec![0u32; docs];
        for (old, &length) in self.lengths.iter().enumerate() {
            if let Some(Some(new)) = moved.get(old)
                && let Some(slot) = lengths.get_mut(*new as usize)
            {
                *slot = length;
            }
        }
        for (&(i, _), &length) in fresh.iter().zip(&partial.lengths) {
            if let Some(slot) = lengths.get_mut(i) {
                *slot = length;
            }
        }
        let mut added: Vec<(&str, TermId)> = partial
            .dictionary
            .iter()
            .map(|(t, &id)| (&**t, id))
            .collect();
        added.sort_unstable();
        let mut writer = Writer::new(docs, Spill::on_disk());
        let mut old_postings = self.postings.reader(crate::spill::BUFFER);
        let mut old_bytes = Vec::new();
        let mut list: Vec<Posting> = Vec::new();
        let mut bytes = Vec::new();
        let (mut old, mut new) = (0usize, 0usize);
        while old < self.term_count() || new < added.len() {
            let old_term = (old < self.term_count()).then(|| self.term_text(old));
            let new_term = added.get(new).map(|&(t, _)| t);
            let term = match (old_term, new_term) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => break,
            };
            list.clear();
            if old_term == Some(term) {
                let span = self.span(old as TermId..old as TermId + 1);
                old_bytes.resize((span.end - span.start) as usize, 0);
                if old_postings.read_exact(&mut old_bytes).is_err() {
                    old_bytes.clear();
                }
                list.extend(
                    Postings::new(std::borrow::Cow::Borrowed(&old_bytes)).filter_map(|p| {
                        let doc = (*moved.get(p.doc as usize)?)?;
                        Some(Posting { doc, ..p })
                    }),
                );
                old += 1;
            }
            if new_term == Some(term) {
                let list_bytes = &partial.lists[added[new].1 as usize].bytes;
                list.extend(Postings::new(std::borrow::Cow::Borrowed(list_bytes)));
                new += 1;
            }
            if list.is_empty() {
                // Only removed articles used it.
                continue;
            }
            if !list.is_sorted_by_key(|p| p.doc) {
                list.sort_unstable_by_key(|p| p.doc);
            }
            bytes.clear();
            let mut last = 0;
            for p in &list {
                push_varint(&mut bytes, p.doc - last);
                push_varint(&mut bytes, p.count << 1 | u32::from(p.in_headline));
                last = p.doc;
            }
            writer.push(term, list.len() as u32, &bytes);
        }
        writer.finish(lengths)
    }

    /// An article's terms with their weights, by reading its text again (the index keeps no
    /// per-article term lists). Terms the index does not know are left out.
    pub fn vector(&self, article: &Article) -> Vec<(TermId, f32)> {
        let mut counts: FxHashMap<TermId, (u32, bool)> = FxHashMap::default();
        each_field(article, |text, headline| {
            terms(text, |t| {
                if let Some(id) = self.term(t) {
                    let e = counts.entry(id).or_insert((0, false));
                    e.0 += 1;
                    e.1 |= headline;
                }
            });
        });
        let mut vector: Vec<(TermId, f32)> = counts
            .into_iter()
            .map(|(t, (count, headline))| (t, self.weight(t, count, headline)))
            .collect();
        vector.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        vector
    }
}

/// How telling a term that `df` of `docs` articles use is: rarer terms say more.
fn idf(docs: usize, df: usize) -> f32 {
    (1.0 + docs as f32 / df.max(1) as f32).ln()
}

/// Writes an index term by term, in order: the terms and where their postings are, the
/// postings to the index's file, and every article's norm added up on the way (so the
/// postings are never read back for it).
struct Writer {
    index: Index,
    spill: Spill,
    /// The squared norms so far.
    norms: Vec<f32>,
}

impl Writer {
    fn new(docs: usize, spill: Spill) -> Writer {
        Writer {
            index: Index::default(),
            spill,
            norms: vec![0.0; docs],
        }
    }

    /// The next term (after every term pushed so far), used by `df` articles, with its
    /// encoded postings.
    fn push(&mut self, term: &str, df: u32, postings: &[u8]) {
        let index = &mut self.index;
        index.terms.push(term);
        index.starts.push(self.spill.len());
        index.df.push(df);
        let idf = idf(self.norms.len(), df as usize);
        for p in Postings::new(std::borrow::Cow::Borrowed(postings)) {
            let w = term_frequency_weight(p.count, p.in_headline) * idf;
            if let Some(n) = self.norms.get_mut(p.doc as usize) {
                *n += w * w;
            }
        }
        self.spill.write(postings);
    }

    fn finish(self, lengths: Vec<u32>) -> Index {
        let mut index = self.index;
        index.starts.push(self.spill.len());
        index.postings = self.spill.finish();
        index.lengths = lengths;
        index.norms = self.norms.into_iter().map(f32::sqrt).collect();
        index.terms.shrink_to_fit();
        index.starts.shrink_to_fit();
        index.df.shrink_to_fit();
        index
    }
}

/// The part of a term's weight in an article that comes from the article, not the library:
/// sublinear in the count, and more for a headline word. Times the term's idf, it is the weight.
pub fn term_frequency_weight(count: u32, in_headline: bool) -> f32 {
    let tf = 1.0 + (count.max(1) as f32).ln();
    let field = if in_headline { HEADLINE_WEIGHT } else { 1.0 };
    tf * field
}

/// The parts of an article that are indexed, each with whether it is the headline. The
/// publisher's related headlines are not the article's own words and are left out.
pub fn each_field(article: &Article, mut each: impl FnMut(&str, bool)) {
    each(&article.headline, true);
    if let Some(standfirst) = &article.standfirst {
        each(standfirst, false);
    }
    for block in &article.body {
        each(block.text(), false);
    }
}

/// Walks one term's postings.
#[derive(Debug, Clone)]
pub struct Postings<'a> {
    bytes: std::borrow::Cow<'a, [u8]>,
    at: usize,
    doc: u32,
}

impl<'a> Postings<'a> {
    fn new(bytes: std::borrow::Cow<'a, [u8]>) -> Postings<'a> {
        Postings {
            bytes,
            at: 0,
            doc: 0,
        }
    }
}

impl Iterator for Postings<'_> {
    type Item = Posting;

    fn next(&mut self) -> Option<Posting> {
        let mut rest = self.bytes.get(self.at..)?;
        if rest.is_empty() {
            return None;
        }
        let before = rest.len();
        let gap = read_varint(&mut rest)?;
        let value = read_varint(&mut rest)?;
        self.at += before - rest.len();
        self.doc = self.doc.wrapping_add(gap);
        Some(Posting {
            doc: self.doc,
            count: value >> 1,
            in_headline: value & 1 == 1,
        })
    }
}

fn push_varint(bytes: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        bytes.push((value as u8) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

fn read_varint(bytes: &mut &[u8]) -> Option<u32> {
    let mut value = 0u32;
    let mut shift = 0;
    loop {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u32::from(b & 0x7f).checked_shl(shift)?;
        if b & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
    }
}

impl Partial {
    /// Indexes article `doc` (numbers rise from one call to the next); `None`, a page that
    /// could not be read, counts as an article without terms.
    fn add(&mut self, doc: u32, article: Option<&Article>) {
        let mut length = 0u32;
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
                            id
                        }
                    };
                    let entry = &mut self.seen[id as usize];
                    if entry.0 == 0 {
                        self.touched.push(id);
                    }
                    entry.0 += 1;
                    entry.1 |= headline;
                    length += 1;
                });
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
        self.bytes = 0;
        // What the run held is free now; the next run would reuse only part of it.
        crate::memory::give_back();
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

fn read_varint_from(input: &mut dyn std::io::Read) -> Option<u32> {
    let mut value = 0u32;
    let mut shift = 0;
    loop {
        let mut b = [0u8];
        input.read_exact(&mut b).ok()?;
        value |= u32::from(b[0] & 0x7f).checked_shl(shift)?;
        if b[0] & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
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
    let mut writer = Writer::new(docs, Spill::on_disk());
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

    fn t(text: &str) -> Vec<String> {
        term_list(text)
    }

    #[test]
    fn terms_fold_case_accents_and_apostrophes_and_drop_stop_words() {
        assert_eq!(t("The Café’s MENU"), ["cafe", "menu"]);
        assert_eq!(
            t("Russia's \"model\" relations"),
            ["russia", "model", "relation"]
        );
        assert_eq!(t("Zürich — São Paulo"), ["zurich", "sao", "paulo"]);
        assert_eq!(t("a b 7 G7 2026"), ["g7", "2026"]);
    }

    #[test]
    fn the_stemmer_joins_inflections_but_not_different_words() {
        assert_eq!(t("talks talked talking talk"), ["talk"; 4]);
        assert_eq!(t("stopped running"), ["stop", "run"]);
        assert_eq!(t("policies policy"), ["policy", "policy"]);
        assert_eq!(t("press class bus"), ["press", "class", "bus"]);
        assert_ne!(t("china"), t("chinese"));
    }

    #[test]
    fn stop_words_are_sorted_and_short() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 10 && is_stop_word(w)));
    }

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
            .map(|(t, p)| (t, p.count()))
            .collect();
        let one_by_one: Vec<(TermId, usize)> =
            word.map(|t| (t, many.postings(t).count())).collect();
        assert_eq!(lists, one_by_one);
    }

    #[test]
    fn varints_round_trip() {
        let mut bytes = Vec::new();
        for v in [0, 1, 127, 128, 300, u32::MAX] {
            push_varint(&mut bytes, v);
        }
        let mut rest = &bytes[..];
        for v in [0, 1, 127, 128, 300, u32::MAX] {
            assert_eq!(read_varint(&mut rest), Some(v));
        }
        assert!(rest.is_empty());
    }
}
