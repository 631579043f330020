//! The query language: words (the last one a prefix while typing), `"quoted phrases"`,
//! `before:` and `after:` dates, `is:bookmarked`, `is:unread`, `is:read`, `source:` (each
//! with its value quoted or not: `source:"world press"`); what a
//! query says about itself (a filter that means nothing, a date not finished yet, words too
//! common to search for), and whether an article passes its filters.

use chrono::NaiveDate;

use super::Highlighter;
use crate::headers::Head;
use crate::index;
use crate::text::clean_display;

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
        let tokens = tokens(text);
        let ends_open = typing && !text.ends_with(char::is_whitespace) && !text.ends_with('"');
        let last = tokens.len().saturating_sub(1);
        // Words the index leaves out (stop words), to say so if nothing else is asked for.
        let mut common: Vec<String> = Vec::new();
        for (k, (token, kind)) in tokens.into_iter().enumerate() {
            if kind == Kind::Filter {
                // A quoted value (`source:"world press"`): the key is one of ours.
                query.filter(&token, ends_open && k == last);
            } else if kind == Kind::Phrase {
                let token = token.as_str();
                let terms = index::term_list(token);
                if terms.is_empty() && is_common(token) {
                    common.push(token.trim().to_string());
                }
                query.words.extend(terms.iter().map(|t| Word {
                    term: t.clone(),
                    prefix: None,
                }));
                if terms.len() > 1 {
                    query.phrases.push(terms);
                }
            } else if !query.filter(&token, ends_open && k == last) {
                let token = token.as_str();
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
                    common.push(token.to_string());
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

/// What a piece of the query is, as [`tokens`] splits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A word, or a filter whose value has no quotes (`source:times`).
    Word,
    /// The inside of a pair of quotes.
    Phrase,
    /// A filter with a quoted value, given as `key:value` without the quotes.
    Filter,
}

/// The filters a query knows: a quoted value after one of these is the filter's value.
const FILTER_KEYS: [&str; 4] = ["before", "after", "source", "is"];

/// The query split into words, quoted phrases and filters: whitespace ends a word, a `"`
/// opens a phrase up to the next `"` (or the end, while it is typed), and a `"` straight after
/// a filter's key (`source:"world press"`) quotes that filter's value.
fn tokens(text: &str) -> Vec<(String, Kind)> {
    let mut tokens = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        let quote = rest.find('"');
        let space = rest.find(char::is_whitespace).unwrap_or(rest.len());
        match quote {
            Some(0) => {
                let inside = &rest[1..];
                let end = inside.find('"').unwrap_or(inside.len());
                tokens.push((inside[..end].to_string(), Kind::Phrase));
                rest = inside.get(end + 1..).unwrap_or("");
            }
            Some(at) if at < space => {
                let head = &rest[..at];
                let inside = &rest[at + 1..];
                let end = inside.find('"').unwrap_or(inside.len());
                let key = head
                    .strip_suffix(':')
                    .filter(|key| FILTER_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)));
                if let Some(key) = key {
                    tokens.push((format!("{key}:{}", &inside[..end]), Kind::Filter));
                } else {
                    tokens.push((head.to_string(), Kind::Word));
                    tokens.push((inside[..end].to_string(), Kind::Phrase));
                }
                rest = inside.get(end + 1..).unwrap_or("");
            }
            _ => {
                tokens.push((rest[..space].to_string(), Kind::Word));
                rest = &rest[space..];
            }
        }
    }
    tokens
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

/// A source's name as `source:` compares it: letters and digits only, in lower case.
pub(super) fn folded(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}
