//! Full-text search over the text index the related stories use (one index, not two): the
//! query language ([`query`]: words, the last one a prefix while typing, `"quoted phrases"`, `before:`,
//! `after:`, `is:bookmarked`, `is:unread`, `is:read`, `source:`), ranking (headline hits first, then BM25,
//! then newer first), the hits to highlight in a line of text, and a snippet around the first
//! hit in the body.

use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};
use unicode_width::UnicodeWidthChar;

use crate::article::Article;
use crate::index::{self, Index, TermId};
use crate::library::Library;
use crate::text::clean_display;

mod highlight;
mod query;

pub use highlight::{Highlighter, snippet};
pub use query::{Query, Word};

/// BM25's term-frequency saturation and length normalisation.
const K1: f32 = 1.2;
const B: f32 = 0.75;

/// One article found, and how well it matches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub article: usize,
    /// How many of the query's words are in its headline.
    pub headline_words: u16,
    /// BM25 over headline, standfirst and body.
    pub score: f32,
}

/// The articles a query lists, in order: its `hits` (best first) when it has words, every
/// article (newest first, scored 0) when it has none, less those its filters turn away. One
/// rule for the reader's list and the `search` command; `bookmarked` and `read` tell about an
/// article by its number.
pub fn filter<'a>(
    query: &'a Query,
    hits: &'a [Hit],
    library: &'a Library,
    bookmarked: impl Fn(usize) -> bool + 'a,
    read: impl Fn(usize) -> bool + 'a,
) -> impl Iterator<Item = Hit> + 'a {
    let articles = library.articles();
    // Without words every article is a candidate; with words, the hits; with words too
    // common to search for, none.
    let (every, found) = if query.has_words() {
        (0..0, hits)
    } else if query.too_common {
        (0..0, &[][..])
    } else {
        (0..articles.len(), &[][..])
    };
    // Hits with no filters to pass are taken as they are.
    let check = !query.has_words() || query.has_filters();
    every
        .map(|article| Hit {
            article,
            headline_words: 0,
            score: 0.0,
        })
        .chain(found.iter().copied())
        .filter(move |h| {
            !check
                || articles
                    .get(h.article)
                    .is_some_and(|a| query.admits(a, bookmarked(h.article), read(h.article)))
        })
}

/// Runs queries against one index, keeping its work space between them.
#[derive(Debug, Default)]
pub struct Searcher {
    scores: Vec<f32>,
    matched: Vec<u16>,
    headline: Vec<u16>,
    /// The last word (plus one) counted in each article's `headline`, so that a word counts
    /// once however many of its terms the headline has.
    counted: Vec<u16>,
    touched: Vec<u32>,
}

impl Searcher {
    /// Every article that has all the query's words (and its phrases), best first: more of
    /// the words in the headline, then BM25, then newer. Filters are not applied here (see
    /// [`Query::admits`]). A query without words finds nothing: the caller lists everything.
    /// Long: the steps (terms, the rarest first, intersect, phrases, rank) share the
    /// postings read once and the searcher's buffers, kept from one key to the next.
    pub fn run(&mut self, index: &Index, query: &Query) -> Vec<Hit> {
        if !query.has_words() {
            return Vec::new();
        }
        let docs = index.docs();
        self.scores.resize(docs, 0.0);
        self.matched.resize(docs, 0);
        self.headline.resize(docs, 0);
        self.counted.resize(docs, 0);
        // Each word's terms (its own, and those it begins while typing); a word the index
        // does not know at all means no article has every word.
        let mut words: Vec<(Vec<TermId>, usize)> = Vec::new();
        for word in &query.words {
            let mut ids: Vec<TermId> = index.term(&word.term).into_iter().collect();
            if let Some(prefix) = &word.prefix {
                ids.extend(index.prefixed(prefix));
            }
            ids.sort_unstable();
            ids.dedup();
            if ids.is_empty() {
                return Vec::new();
            }
            let cost = ids.iter().map(|&t| index.df(t)).sum();
            words.push((ids, cost));
        }
        // The rarest word first: only articles it found can have them all.
        words.sort_by_key(|(_, cost)| *cost);
        let average = index.average_length().max(1.0);
        for (k, (ids, _)) in words.iter().enumerate() {
            let (before, after) = (k as u16, k as u16 + 1);
            // Terms next to each other (a prefix's) have their postings side by side in the
            // index's file: each stretch is read in one go.
            let stretches: Vec<_> = ids
                .chunk_by(|a, b| b == &(a + 1))
                .map(|s| index.postings_of(s[0]..s[s.len() - 1] + 1))
                .collect();
            for (term, postings) in stretches.iter().flat_map(|s| s.iter()) {
                let df = index.df(term) as f32;
                let idf = (1.0 + (docs as f32 - df + 0.5) / (df + 0.5)).ln();
                for posting in postings {
                    let doc = posting.doc as usize;
                    let seen = self.matched[doc];
                    if seen == before {
                        if k == 0 {
                            self.touched.push(posting.doc);
                        }
                        self.matched[doc] = after;
                    } else if seen != after {
                        continue;
                    }
                    let tf = posting.count as f32;
                    let length = index.length(doc) as f32;
                    let norm = K1 * (1.0 - B + B * length / average);
                    self.scores[doc] += idf * tf * (K1 + 1.0) / (tf + norm);
                    if posting.in_headline && self.counted[doc] != after {
                        self.counted[doc] = after;
                        self.headline[doc] += 1;
                    }
                }
            }
        }
        let all = words.len() as u16;
        let mut hits = Vec::new();
        for &doc in &self.touched {
            let d = doc as usize;
            if self.matched[d] == all {
                hits.push(Hit {
                    article: d,
                    headline_words: self.headline[d],
                    score: self.scores[d],
                });
            }
            self.scores[d] = 0.0;
            self.matched[d] = 0;
            self.headline[d] = 0;
            self.counted[d] = 0;
        }
        self.touched.clear();
        if !query.phrases.is_empty() {
            // Phrases are checked by their terms' positions in the index: each next term at
            // the next position, in one field.
            let candidates: FxHashSet<u32> = hits.iter().map(|h| h.article as u32).collect();
            let mut found = candidates;
            for phrase in &query.phrases {
                found = phrase_in(index, phrase, &found);
            }
            hits.retain(|h| found.contains(&(h.article as u32)));
        }
        // Every tie is broken by the article's number, so an unstable sort is as good.
        hits.sort_unstable_by(|a, b| {
            b.headline_words
                .cmp(&a.headline_words)
                .then(b.score.total_cmp(&a.score))
                .then(a.article.cmp(&b.article))
        });
        hits
    }
}

/// The articles of `candidates` in which the phrase's terms stand together, in order, in one
/// field: the positions where its first term stands, kept while each next term stands one
/// further on.
fn phrase_in(index: &Index, phrase: &[String], candidates: &FxHashSet<u32>) -> FxHashSet<u32> {
    let Some(ids) = phrase
        .iter()
        .map(|t| index.term(t))
        .collect::<Option<Vec<TermId>>>()
    else {
        return FxHashSet::default();
    };
    let mut starts: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (k, &id) in ids.iter().enumerate() {
        let mut next: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
        let mut postings = index.postings_with_positions(id);
        while let Some(posting) = postings.next() {
            let doc = posting.doc;
            if k == 0 {
                if candidates.contains(&doc) {
                    next.insert(doc, postings.positions().collect());
                }
                continue;
            }
            let Some(from) = starts.get(&doc) else {
                continue;
            };
            let here: Vec<u32> = postings.positions().collect();
            let kept: Vec<u32> = from
                .iter()
                .copied()
                .filter(|&s| here.binary_search(&(s + k as u32)).is_ok())
                .collect();
            if !kept.is_empty() {
                next.insert(doc, kept);
            }
        }
        starts = next;
    }
    starts.into_keys().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::{Article, Block};

    fn phrase(text: &str) -> Vec<String> {
        index::term_list(text)
    }

    #[test]
    fn a_phrase_is_found_by_its_terms_positions_within_one_field() {
        let article = |headline: &str, body: &str| Article {
            headline: headline.into(),
            path: format!("{headline}.txt").into(),
            body: vec![Block::Paragraph(body.into())],
            ..Article::default()
        };
        let library = Library::new(
            vec![
                article(
                    "Rates",
                    "Two studies of interest rates, and the Studies Of Interest Rates unit.",
                ),
                article("Interest", "Rates went up; we restudies rates."),
                article("Café", "Le Café Crème ferme"),
            ],
            Vec::new(),
        );
        let index = Index::build(&library, &|_| {});
        let all: FxHashSet<u32> = (0..3).collect();
        let docs = |text: &str| {
            let mut found: Vec<&str> = phrase_in(&index, &phrase(text), &all)
                .into_iter()
                .map(|d| library.articles().headline(d as usize))
                .collect();
            found.sort();
            found
        };
        assert_eq!(docs("study interest rates"), ["Rates"]);
        assert_eq!(docs("interest rates"), ["Rates"]);
        assert!(docs("rates interest").is_empty());
        // The headline's last term and the body's first are in two fields.
        assert!(docs("interest rates went").is_empty());
        assert_eq!(docs("restudies rates"), ["Interest"]);
        assert_eq!(docs("cafe creme"), ["Café"]);
        let none: FxHashSet<u32> = FxHashSet::default();
        assert!(phrase_in(&index, &phrase("interest rates"), &none).is_empty());
    }
}
