//! The text index of the library: every article's words folded (case and accents), English
//! stop words dropped and lightly stemmed, and for each term the articles that use it, as
//! delta-encoded postings. Built once by reading every article's text (from its page, for a
//! library of headers; off the drawing thread in the reader, in parallel), brought up to date
//! when the folder changes, and shared by similar stories, story threads and search.
//!
//! This file is the lookup side (terms, postings, weights); the parts are:
//! [`analysis`] (words to terms), `build` (the on-disk build and merge, and updates),
//! [`postings`] (their encoding), [`spill`] (the file they live in) and [`strings`]
//! (strings back to back).

pub mod analysis;
mod build;
mod positioned;
pub mod postings;
pub mod saved;
pub mod spill;
pub mod strings;
mod update;

use rustc_hash::FxHashMap;

use crate::article::Article;
use crate::mapped::Column;
pub use analysis::{each_field, term_frequency_weight, term_list, terms, words};
pub use build::Gather;
pub use postings::{Posting, Postings};
use spill::Stored;
use strings::Packed;

/// A term's number in the index.
pub type TermId = u32;

/// The index. Postings of every term are stored back to back, in term order, in a file of the
/// index's own ([`spill`]): for each article, the gap from the previous article's number
/// and `count << 1 | in_headline`, both as variable-length integers (LEB128), so a posting
/// usually takes two bytes. Only the terms, where their postings are, and per article its
/// length and norm are in memory; a term's postings are read when asked for. Terms are
/// sorted, so a prefix is a range (and its postings are one stretch of the file).
#[derive(Debug, Default)]
pub struct Index {
    /// Every term, sorted.
    terms: Packed,
    /// Where each term's postings start in `postings`; one more entry than terms (the last:
    /// where the postings end and the positions begin).
    starts: Column<u64>,
    /// Where each term's positions start in `postings`, after all the postings; one more
    /// entry than terms.
    position_starts: Column<u64>,
    /// How many articles use each term.
    df: Column<u32>,
    postings: Stored,
    /// How many terms each article has (for BM25 in search).
    lengths: Column<u32>,
    /// The length of each article's weighted term vector (for the cosine).
    norms: Column<f32>,
}

impl PartialEq for Index {
    /// The same terms with the same postings and figures, wherever the postings are kept.
    fn eq(&self, other: &Index) -> bool {
        self.terms == other.terms
            && self.starts == other.starts
            && self.position_starts == other.position_starts
            && self.df == other.df
            && self.lengths == other.lengths
            && self.norms == other.norms
            && self.postings.same_bytes(&other.postings)
    }
}

impl Index {
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
            + self.starts.heap_bytes()
            + self.position_starts.heap_bytes()
            + self.df.heap_bytes()
            + self.lengths.heap_bytes()
            + self.norms.heap_bytes()
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

    /// The term's postings, in reading order (read from the index's file), without their
    /// positions.
    pub fn postings(&self, term: TermId) -> Postings<'static> {
        let bytes = self.postings.read(self.span(term..term + 1));
        Postings::split(std::borrow::Cow::Owned(bytes), None)
    }

    /// The term's postings with their positions (for phrases).
    pub fn postings_with_positions(&self, term: TermId) -> Postings<'static> {
        let bytes = self.postings.read(self.span(term..term + 1));
        let at = |t: TermId| self.position_starts.get(t as usize).copied().unwrap_or(0);
        let positions = self.postings.read(at(term)..at(term + 1));
        Postings::split(
            std::borrow::Cow::Owned(bytes),
            Some(std::borrow::Cow::Owned(positions)),
        )
    }

    /// The postings of every term of `terms` (such as a prefix's), read in one go, each with
    /// its term.
    pub fn postings_of(&self, terms: std::ops::Range<TermId>) -> Stretch {
        let span = self.span(terms.clone());
        let mut bytes = self.postings.read(span.clone());
        if bytes.len() as u64 != span.end - span.start {
            bytes.clear();
        }
        let lists = terms
            .map(|term| {
                let own = self.span(term..term + 1);
                let start = ((own.start - span.start) as usize).min(bytes.len());
                let end = ((own.end - span.start) as usize).min(bytes.len());
                (term, start..end)
            })
            .collect();
        Stretch { bytes, lists }
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

/// The postings of a run of terms, read in one go ([`Index::postings_of`]).
#[derive(Debug, Default)]
pub struct Stretch {
    bytes: Vec<u8>,
    lists: Vec<(TermId, std::ops::Range<usize>)>,
}

impl Stretch {
    /// Each term with its postings, in term order (no list is copied).
    pub fn iter(&self) -> impl Iterator<Item = (TermId, Postings<'_>)> + '_ {
        self.lists.iter().map(|(term, range)| {
            let bytes = self.bytes.get(range.clone()).unwrap_or_default();
            (
                *term,
                Postings::split(std::borrow::Cow::Borrowed(bytes), None),
            )
        })
    }
}

/// How telling a term that `df` of `docs` articles use is: rarer terms say more.
fn idf(docs: usize, df: usize) -> f32 {
    (1.0 + docs as f32 / df.max(1) as f32).ln()
}
