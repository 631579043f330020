//! Full-text search over the text index the related stories use (one index, not two): the
//! query language (words, the last one a prefix while typing, `"quoted phrases"`, `before:`,
//! `after:`, `is:bookmarked`, `is:unread`, `is:read`, `source:`), ranking (headline hits first, then BM25,
//! then newer first), the hits to highlight in a line of text, and a snippet around the first
//! hit in the body.

use std::ops::Range;

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};
use unicode_width::UnicodeWidthChar;

use crate::article::Article;
use crate::headers::Head;
use crate::index::{self, Index, TermId};
use crate::library::Library;
use crate::text::clean_display;

mod highlight;

pub use highlight::{Highlighter, snippet};

/// BM25's term-frequency saturation and length normalisation.
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// A prefix this short would match most of the dictionary: it waits for another letter.
const SHORTEST_PREFIX: usize = 2;

/// One word of the query: every article found must have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The stemmed term, as the index holds it.
    pub term: String,
    /// While typing, the last word also matches every term it begins (folded, not stemmed).
    pub prefix: Option<String>,
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub words: Vec<Word>,
    /// Runs of terms that must stand together, in this order, in one field.
    pub phrases: Vec<Vec<String>>,
    /// Only articles dated before this day.
    pub before: Option<NaiveDate>,
    /// Only articles dated on or after this day.
    pub after: Option<NaiveDate>,
    pub bookmarked: bool,
    pub unread: bool,
    pub read: bool,
    /// Only articles whose source's name holds one of these (letters and digits only, lower
    /// case: `source:atom` finds `The Atom Times`).
    pub sources: Vec<String>,
    /// Parts of the query that mean nothing (`after:soon`), to say so.
    pub problems: Vec<String>,
    /// Every word asked for is one the index leaves out as too common (`the`, `of`): the
    /// query matches nothing and says so (in [`Query::problems`]), never everything.
    pub too_common: bool,
}

impl Query {
    /// Parses a query. `typing`: the user is still typing it, so its last word (unless a
    /// space follows it) is a prefix.
    pub fn parse(text: &str, typing: bool) -> Query {
        let mut query = Query::default();
        let mut tokens = Vec::new();
        for (n, part) in text.split('"').enumerate() {
            if n % 2 == 1 {
                tokens.push((part, true));
            } else {
                tokens.extend(part.split_whitespace().map(|t| (t, false)));
            }
        }
        let ends_open = typing && !text.ends_with(char::is_whitespace) && !text.ends_with('"');
        let last = tokens.len().saturating_sub(1);
        // Words the index leaves out (stop words), to say so if nothing else is asked for.
        let mut common: Vec<&str> = Vec::new();
        for (k, (token, quoted)) in tokens.into_iter().enumerate() {
            if quoted {
                let terms = index::term_list(token);
                if terms.is_empty() && is_common(token) {
                    common.push(token.trim());
                }
                query.words.extend(terms.iter().map(|t| Word {
                    term: t.clone(),
                    prefix: None,
                }));
                if terms.len() > 1 {
                    query.phrases.push(terms);
                }
            } else if !query.filter(token, ends_open && k == last) {
                let terms = index::term_list(token);
                let prefix = (ends_open && k == last)
                    .then(|| last_word(token))
                    .flatten()
                    .filter(|p| p.len() >= SHORTEST_PREFIX);
                let count = terms.len();
                for (n, term) in terms.into_iter().enumerate() {
                    let prefix = if n + 1 == count { prefix.clone() } else { None };
                    query.words.push(Word { term, prefix });
                }
                if count == 0 && is_common(token) {
                    common.push(token);
                }
                // A stop word being typed (`th`, `the`) narrows by its prefix, with others.
                if count == 0
                    && let Some(prefix) = prefix
                {
                    query.words.push(Word {
                        term: String::new(),
                        prefix: Some(prefix),
                    });
                }
            }
        }
        // Only words too common to search for: the same answer typed or not, in the reader
        // and from the command line.
        let no_terms = query.words.iter().all(|w| w.term.is_empty());
        if no_terms && !common.is_empty() && !query.has_filters() {
            query.words.clear();
            query.too_common = true;
            query.problems.push(format!(
                "{}: too common to search for; add a less common word",
                clean_display(&common.join(" "))
            ));
        }
        query
    }

    /// Takes a `before:`, `after:` or `is:` filter; `false` if the token is not one. `open`:
    /// it is still being typed, so a date not finished yet (`after:202`) says so and filters
    /// nothing until it is.
    fn filter(&mut self, token: &str, open: bool) -> bool {
        let Some((key, value)) = token.split_once(':') else {
            return false;
        };
        match key.to_ascii_lowercase().as_str() {
            "before" | "after" if open && unfinished_date(value) => self
                .problems
                .push(format!("{}: date incomplete", clean_display(token))),
            "before" | "after" => match parse_day(value) {
                Some(day) if key.eq_ignore_ascii_case("before") => self.before = Some(day),
                Some(day) => self.after = Some(day),
                None => self.problems.push(format!(
                    "{}: a date is YYYY, YYYY-MM or YYYY-MM-DD",
                    clean_display(token)
                )),
            },
            "source" => match folded(value) {
                name if name.is_empty() => self.problems.push(format!(
                    "{}: source: takes a name, as in source:times",
                    clean_display(token)
                )),
                name => self.sources.push(name),
            },
            "is" => match value.to_ascii_lowercase().as_str() {
                "bookmarked" => self.bookmarked = true,
                "unread" => self.unread = true,
                "read" => self.read = true,
                _ => self.problems.push(format!(
                    "{}: is: takes bookmarked, unread or read",
                    clean_display(token)
                )),
            },
            _ => return false,
        }
        true
    }

    /// Whether the query asks for words (else it only filters, or is empty).
    pub fn has_words(&self) -> bool {
        !self.words.is_empty()
    }

    /// Whether the query filters by date or state.
    pub fn has_filters(&self) -> bool {
        self.before.is_some()
            || self.after.is_some()
            || self.bookmarked
            || self.unread
            || self.read
            || !self.sources.is_empty()
    }

    /// Whether the query asks for anything at all (or has something to say, such as a date
    /// not finished yet).
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && !self.has_filters() && !self.too_common && self.problems.is_empty()
    }

    /// Whether an article passes the filters. `bookmarked` and `read` tell the reader's state.
    pub fn admits(&self, article: Head, bookmarked: bool, read: bool) -> bool {
        // An undated article passes no date filter.
        let in_range = match (self.before, self.after) {
            (None, None) => true,
            (before, after) => article
                .date
                .is_some_and(|d| before.is_none_or(|b| d < b) && after.is_none_or(|a| d >= a)),
        };
        let from_source = self.sources.is_empty() || {
            let source = folded(article.source);
            self.sources.iter().any(|s| source.contains(s.as_str()))
        };
        in_range
            && from_source
            && (!self.bookmarked || bookmarked)
            && (!self.unread || !read)
            && (!self.read || read)
    }

    /// What to highlight for this query.
    pub fn highlighter(&self) -> Highlighter {
        Highlighter {
            terms: self
                .words
                .iter()
                .filter(|w| !w.term.is_empty())
                .map(|w| w.term.clone())
                .collect(),
            prefixes: self.words.iter().filter_map(|w| w.prefix.clone()).collect(),
        }
    }
}

/// Whether a token that gives the index no term is made of words too common to search for
/// (stop words), rather than of single letters or punctuation (which wait for more).
fn is_common(token: &str) -> bool {
    last_word(token).is_some_and(|w| w.chars().count() > 1)
}

/// The folded form of the last word of a token (`U.S.-led` → `led`).
fn last_word(token: &str) -> Option<String> {
    let mut last = None;
    index::words(token, |_, folded, _| last = Some(folded.to_string()));
    last
}

/// `2026`, `2026-01` or `2026-01-15`: the first day of that year, month or the day.
fn parse_day(value: &str) -> Option<NaiveDate> {
    fn number(s: &str, most: usize) -> Option<&str> {
        (!s.is_empty() && s.len() <= most && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
    }
    let mut parts = value.split('-');
    // Four digits for the year: `after:202` is not the year 202.
    let year: i32 = parts
        .next()
        .filter(|y| y.len() == 4)
        .and_then(|y| number(y, 4))?
        .parse()
        .ok()?;
    let month: u32 = parts
        .next()
        .map_or(Some(1), |m| number(m, 2)?.parse().ok())?;
    let day: u32 = parts
        .next()
        .map_or(Some(1), |d| number(d, 2)?.parse().ok())?;
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Whether a date is one being typed that does not parse yet: a year of fewer than four
/// digits, or a year or month with the `-` after it and nothing more.
fn unfinished_date(value: &str) -> bool {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = value.split('-').collect();
    match parts.as_slice() {
        [year] => year.len() < 4 && digits(year),
        [year, month] => year.len() == 4 && digits(year) && month.is_empty(),
        [year, month, day] => {
            year.len() == 4
                && digits(year)
                && (1..=2).contains(&month.len())
                && digits(month)
                && day.is_empty()
        }
        _ => false,
    }
}

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

/// A source's name as `source:` compares it: letters and digits only, in lower case.
fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
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
