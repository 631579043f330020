//! The text index of the library: every article's words folded (case and accents), English
//! stop words dropped and lightly stemmed, and for each term the articles that use it, as
//! delta-encoded postings. Built once by reading every article's text (from its page, for a
//! library of headers; off the drawing thread in the reader, in parallel), brought up to date
//! when the folder changes, and shared by similar stories, story threads and search.

use rustc_hash::FxHashMap;

use std::sync::atomic::Ordering::Relaxed;

use crate::article::Article;
use crate::library::{Diagnostic, Library};

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

/// The index. Postings of every term are stored back to back in one byte buffer: for each
/// article, the gap from the previous article's number and `count << 1 | in_headline`, both
/// as variable-length integers (LEB128), so a posting usually takes two bytes. Terms are
/// sorted, so the search to come can take a prefix as a range.
#[derive(Debug, Default, PartialEq)]
pub struct Index {
    /// Every term, sorted, so that a prefix is a range.
    terms: Vec<Box<str>>,
    /// Where each term's postings start in `postings`; one more entry than terms.
    starts: Vec<usize>,
    /// How many articles use each term.
    df: Vec<u32>,
    postings: Vec<u8>,
    /// How many terms each article has (for BM25 in search).
    lengths: Vec<u32>,
    /// The length of each article's weighted term vector (for the cosine).
    norms: Vec<f32>,
}

/// What [`Index::build_with`] calls with each text read: the worker's state, the article's
/// number, its text (`None`: the page cannot be read now) and the warnings it gave (or why not).
pub type Gather<S> = dyn Fn(&mut S, usize, Option<&Article>, Vec<Diagnostic>) + Sync;

/// What one worker indexed: a run of articles with a dictionary of its own.
#[derive(Default)]
struct Partial {
    first: usize,
    dictionary: FxHashMap<Box<str>, TermId>,
    lists: Vec<List>,
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
    pub fn build_with<S: Default + Send>(
        library: &Library,
        progress: &(dyn Fn(usize) + Sync),
        gather: &Gather<S>,
    ) -> (Index, Vec<S>) {
        let count = library.len();
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 16);
        let chunk = count.div_ceil(workers).max(1);
        let done = std::sync::atomic::AtomicUsize::new(0);
        let runs: Vec<(Partial, S)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..count)
                .step_by(chunk)
                .map(|first| {
                    let done = &done;
                    scope.spawn(move || {
                        let mut partial = Partial {
                            first,
                            ..Partial::default()
                        };
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
                            if (doc - first) % 256 == 255 {
                                let total = done.fetch_add(256, Relaxed) + 256;
                                progress(total);
                            }
                        }
                        (partial, state)
                    })
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        progress(count);
        let (partials, states): (Vec<Partial>, Vec<S>) = runs.into_iter().unzip();
        (merge(partials, count), states)
    }

    /// How many articles the index holds.
    pub fn docs(&self) -> usize {
        self.lengths.len()
    }

    /// Terms in the index (distinct).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Bytes the index takes in memory, roughly.
    pub fn heap_bytes(&self) -> usize {
        self.terms.iter().map(|t| t.len() + 16).sum::<usize>()
            + self.starts.len() * 8
            + self.df.len() * 4
            + self.postings.len()
            + self.lengths.len() * 8
    }

    /// The term's number, if any article uses it.
    pub fn term(&self, term: &str) -> Option<TermId> {
        self.terms
            .binary_search_by(|t| (**t).cmp(term))
            .ok()
            .map(|i| i as TermId)
    }

    /// The terms that start with `prefix`, as a range of term numbers.
    pub fn prefixed(&self, prefix: &str) -> std::ops::Range<TermId> {
        let first = self.terms.partition_point(|t| **t < *prefix);
        let count = self.terms[first..].partition_point(|t| t.starts_with(prefix));
        first as TermId..(first + count) as TermId
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
        self.df[term as usize] as usize
    }

    /// The term's postings, in reading order.
    pub fn postings(&self, term: TermId) -> Postings<'_> {
        let t = term as usize;
        Postings {
            bytes: &self.postings[self.starts[t]..self.starts[t + 1]],
            doc: 0,
        }
    }

    /// How telling a term is for similarity: rarer terms say more.
    pub fn idf(&self, term: TermId) -> f32 {
        (1.0 + self.docs() as f32 / self.df(term).max(1) as f32).ln()
    }

    /// The weight of a term in an article: sublinear in the count, more in the headline.
    pub fn weight(&self, term: TermId, count: u32, in_headline: bool) -> f32 {
        term_frequency_weight(count, in_headline) * self.idf(term)
    }

    /// The length of article `doc`'s weighted term vector.
    pub fn norm(&self, doc: usize) -> f32 {
        self.norms.get(doc).copied().unwrap_or(0.0)
    }

    /// The length of every article's weighted term vector, from the postings.
    fn compute_norms(&self) -> Vec<f32> {
        let mut norms = vec![0f32; self.lengths.len()];
        for term in 0..self.terms.len() as TermId {
            let idf = self.idf(term);
            for p in self.postings(term) {
                let w = term_frequency_weight(p.count, p.in_headline) * idf;
                if let Some(n) = norms.get_mut(p.doc as usize) {
                    *n += w * w;
                }
            }
        }
        norms.into_iter().map(f32::sqrt).collect()
    }

    /// The index of a library changed in the folder ([`crate::library::Changed`]): the
    /// postings of the articles that stayed are renumbered (`moved`: old number to new), and
    /// only the `fresh` articles (their numbers in the new library of `docs` articles, in
    /// rising order, with their texts) are indexed. Much cheaper than [`Index::build`], which
    /// reads every text.
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
        let mut index = Index {
            terms: Vec::with_capacity(self.terms.len() + added.len()),
            starts: Vec::with_capacity(self.terms.len() + added.len() + 1),
            df: Vec::with_capacity(self.terms.len() + added.len()),
            postings: Vec::with_capacity(self.postings.len()),
            lengths,
            norms: Vec::new(),
        };
        let mut list: Vec<Posting> = Vec::new();
        let (mut old, mut new) = (0usize, 0usize);
        while old < self.terms.len() || new < added.len() {
            let old_term = self.terms.get(old).map(|t| &**t);
            let new_term = added.get(new).map(|&(t, _)| t);
            let term = match (old_term, new_term) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => break,
            };
            list.clear();
            if old_term == Some(term) {
                list.extend(self.postings(old as TermId).filter_map(|p| {
                    let doc = (*moved.get(p.doc as usize)?)?;
                    Some(Posting { doc, ..p })
                }));
                old += 1;
            }
            if new_term == Some(term) {
                let bytes = &partial.lists[added[new].1 as usize].bytes;
                list.extend(Postings { bytes, doc: 0 });
                new += 1;
            }
            if list.is_empty() {
                // Only removed articles used it.
                continue;
            }
            if !list.is_sorted_by_key(|p| p.doc) {
                list.sort_unstable_by_key(|p| p.doc);
            }
            index.terms.push(term.into());
            index.starts.push(index.postings.len());
            index.df.push(list.len() as u32);
            let mut last = 0;
            for p in &list {
                push_varint(&mut index.postings, p.doc - last);
                push_varint(&mut index.postings, p.count << 1 | u32::from(p.in_headline));
                last = p.doc;
            }
        }
        index.starts.push(index.postings.len());
        index.norms = index.compute_norms();
        index
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
    bytes: &'a [u8],
    doc: u32,
}

impl Iterator for Postings<'_> {
    type Item = Posting;

    fn next(&mut self) -> Option<Posting> {
        if self.bytes.is_empty() {
            return None;
        }
        let gap = read_varint(&mut self.bytes)?;
        let value = read_varint(&mut self.bytes)?;
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
            push_varint(&mut list.bytes, gap);
            push_varint(&mut list.bytes, count << 1 | u32::from(headline));
            list.last = doc;
            list.df += 1;
        }
        self.touched.clear();
        self.lengths.push(length);
    }
}

/// Joins the workers' runs (which follow each other in reading order) into one sorted index.
fn merge(partials: Vec<Partial>, docs: usize) -> Index {
    let mut all: Vec<&str> = partials
        .iter()
        .flat_map(|p| p.dictionary.keys().map(|k| &**k))
        .collect();
    all.sort_unstable();
    all.dedup();
    let mut index = Index {
        terms: all.iter().map(|&t| Box::from(t)).collect(),
        starts: Vec::with_capacity(all.len() + 1),
        df: Vec::with_capacity(all.len()),
        postings: Vec::with_capacity(partials.iter().map(list_bytes).sum()),
        lengths: Vec::with_capacity(docs),
        norms: Vec::new(),
    };
    for p in &partials {
        debug_assert_eq!(p.first, index.lengths.len());
        index.lengths.extend_from_slice(&p.lengths);
    }
    for term in &all {
        index.starts.push(index.postings.len());
        let mut df = 0;
        let mut last: Option<u32> = None;
        for p in &partials {
            let Some(list) = p.dictionary.get(*term).map(|&id| &p.lists[id as usize]) else {
                continue;
            };
            let mut bytes = &list.bytes[..];
            // The run's first posting holds an absolute number; make it a gap from the last.
            let _ = read_varint(&mut bytes);
            push_varint(&mut index.postings, list.first - last.unwrap_or(0));
            index.postings.extend_from_slice(bytes);
            last = Some(list.last);
            df += list.df;
        }
        index.df.push(df);
    }
    index.starts.push(index.postings.len());
    drop(partials);
    index.norms = index.compute_norms();
    index
}

fn list_bytes(p: &Partial) -> usize {
    p.lists.iter().map(|l| l.bytes.len()).sum()
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
