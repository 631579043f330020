//! How articles relate to each other: the publisher's related headlines resolved to local
//! articles (exact loose match, then a careful fuzzy fallback), the inverse `Linked from`
//! lists, `More like this` by content (a cosine over the text index) and story threads.

use std::sync::Arc;

use crate::article::Article;
use crate::diagnostic::Diagnostic;
use crate::index::strings::Interned;
use crate::index::{Index, TermId, term_frequency_weight, term_list};
use crate::library::Library;

/// The least cosine similarity for `More like this`. Measured: articles with nothing in
/// common score under 0.09 (the test fixtures against the bundled pages); the two bundled
/// pages, both about Putin and Xi, score 0.15 to 0.23; generated articles of one topic but
/// different stories 0.08 to 0.33.
pub const SIMILAR_MIN: f32 = 0.12;
/// The least similarity for two articles to be reports of one story. Measured on generated
/// folders of 400 to 10,000 articles: reports of one story score 0.5 and more; different
/// stories at most 0.33 (same place and topic, small folder).
pub const THREAD_MIN: f32 = 0.4;
/// The most articles one thread lists.
pub const THREAD_MAX: usize = 60;
/// How many of an article's most telling terms a similarity query uses.
const QUERY_TERMS: usize = 40;
/// Terms used by more than this share of a large library say little and cost much to walk.
const COMMON_SHARE: usize = 5;
/// A fuzzy match looks at headlines holding the article's rarest terms, at most this many.
const FUZZY_CANDIDATES: usize = 2_000;

/// No target.
const NONE: u32 = u32::MAX;

/// The index and every publisher link of the library, resolved both ways.
#[derive(Debug, Default)]
pub struct Relations {
    pub index: Arc<Index>,
    /// Where each article's related lines start in `lines` (one more entry than articles).
    starts: Vec<u32>,
    /// The two newest articles each of `names` resolves to (`NONE` for none): a page naming
    /// its own headline gets the second.
    resolved: Vec<(u32, u32)>,
    /// Where each article's backlinks start in `backlinks`.
    back_starts: Vec<u32>,
    /// The articles linking to each article, in reading order.
    backlinks: Vec<u32>,
    /// Every distinct headline named in a related list: the same ones recur on thousands of
    /// pages, and each is kept (and resolved) once.
    names: Interned,
    /// The headline each related line names (a number in `names`).
    lines: Vec<u32>,
    /// Each article's [`Article::digest`] as its text was read (0: it could not be read). A
    /// page written again tells by it whether anything changed.
    digests: Vec<u64>,
}

/// What one worker gathers from the texts besides their terms.
#[derive(Default)]
struct Gathered {
    /// Headlines named, numbered in the order this worker met them.
    names: Interned,
    /// Per article, where its lines start in `lines`.
    starts: Vec<u32>,
    lines: Vec<u32>,
    digests: Vec<u64>,
    warnings: Vec<Diagnostic>,
}

/// Everything the reader and `related` show about one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The article each publisher's related headline names, in page order.
    pub related: Vec<Option<usize>>,
    /// The most similar articles with their scores, best first.
    pub similar: Vec<(usize, f32)>,
    /// The articles whose related lists name this one, in reading order.
    pub linked_from: Vec<usize>,
    /// The story this article is part of, oldest first, itself included.
    pub thread: Arc<[usize]>,
    /// False while the index is being built: only exact links are known yet.
    pub complete: bool,
}

impl Answer {
    /// What is known before the index is ready: the related headlines of `text` (article
    /// `article`'s) that match exactly.
    pub fn pending(library: &Library, article: usize, text: &Article) -> Answer {
        Answer {
            related: text
                .related
                .iter()
                .map(|h| exact(library, article, h))
                .collect(),
            similar: Vec::new(),
            linked_from: Vec::new(),
            thread: Arc::from(vec![article]),
            complete: false,
        }
    }
}

/// The newest other article whose headline matches loosely (case, spaces, quotes, dashes).
fn exact(library: &Library, article: usize, headline: &str) -> Option<usize> {
    library
        .find_headline(headline)
        .iter()
        .copied()
        .find(|&i| i != article)
}

impl Relations {
    /// Builds the index and resolves every related headline. `progress` gets the number of
    /// articles indexed so far (from any thread).
    pub fn build(library: &Library, progress: &(dyn Fn(usize) + Sync)) -> Relations {
        Relations::build_reporting(library, progress).0
    }

    /// [`Relations::build`], with what reading every text found wrong: warnings about the
    /// pages' texts (a library of headers has not seen them) and pages that can no longer be
    /// read.
    pub fn build_reporting(
        library: &Library,
        progress: &(dyn Fn(usize) + Sync),
    ) -> (Relations, Vec<Diagnostic>) {
        let gather = |g: &mut Gathered, _doc: usize, text: Option<&Article>, found| {
            g.starts.push(g.lines.len() as u32);
            g.warnings.extend(found);
            let Some(text) = text else {
                g.digests.push(0);
                return;
            };
            g.digests.push(text.digest());
            for headline in &text.related {
                let name = g.names.intern(headline);
                g.lines.push(name);
            }
        };
        let (index, runs) = Index::build_with(library, progress, &gather);
        let mut relations = Relations {
            index: Arc::new(index),
            ..Relations::default()
        };
        let mut warnings = Vec::new();
        let mut runs = runs.into_iter();
        // The first worker's headlines and lines are taken as they are (they are numbered
        // from 0 already); the others' are numbered into them, one worker at a time, so
        // that only one more worker's lines are held at once.
        if let Some(first) = runs.next() {
            relations.names = first.names;
            relations.lines = first.lines;
            relations.starts = first.starts;
            relations.digests = first.digests;
            warnings = first.warnings;
        }
        for mut run in runs {
            // This worker's numbers for its headlines, in the numbering of all.
            let global: Vec<u32> = run
                .names
                .iter()
                .map(|name| relations.names.intern(name))
                .collect();
            drop(run.names);
            for line in &mut run.lines {
                *line = global[*line as usize];
            }
            let base = relations.lines.len() as u32;
            relations.starts.extend(run.starts.iter().map(|s| s + base));
            relations.lines.append(&mut run.lines);
            relations.digests.extend(run.digests);
            warnings.extend(run.warnings);
        }
        relations.starts.push(relations.lines.len() as u32);
        relations.names.forget_lookup();
        relations.resolve_all(library);
        crate::allocator::give_back();
        (relations, warnings)
    }

    /// The relations of a library changed in the folder: the index updated for what changed
    /// ([`Index::updated`]), the new pages' texts read (only theirs), every related headline
    /// resolved again.
    pub fn updated(&self, changed: &crate::library::Changed) -> Relations {
        let library = &changed.library;
        let texts: Vec<(usize, Option<Arc<Article>>)> = changed
            .fresh
            .iter()
            .map(|&i| (i, library.read_text(i).ok().map(|(text, _)| text)))
            .collect();
        let fresh: Vec<(usize, Option<&Article>)> =
            texts.iter().map(|(i, t)| (*i, t.as_deref())).collect();
        let mut relations = Relations {
            index: Arc::new(self.index.updated(&changed.moved, library.len(), &fresh)),
            names: self.names.clone(),
            ..Relations::default()
        };
        // Where each article of the new library was in the old one.
        let mut was = vec![None; library.len()];
        for (old, new) in changed.moved.iter().enumerate() {
            if let Some(slot) = new.and_then(|n| was.get_mut(n as usize)) {
                *slot = Some(old);
            }
        }
        let mut next_fresh = texts.iter().peekable();
        for (i, was) in was.into_iter().enumerate() {
            relations.starts.push(relations.lines.len() as u32);
            if let Some(old) = was {
                let range = span(&self.starts, old);
                relations.lines.extend_from_slice(&self.lines[range]);
                relations
                    .digests
                    .push(self.digests.get(old).copied().unwrap_or(0));
                continue;
            }
            let text = match next_fresh.peek() {
                Some((f, text)) if *f == i => {
                    next_fresh.next();
                    text.as_deref()
                }
                _ => None,
            };
            relations.digests.push(text.map_or(0, Article::digest));
            for headline in text.iter().flat_map(|t| &t.related) {
                let n = relations.names.intern(headline);
                relations.lines.push(n);
            }
        }
        relations.starts.push(relations.lines.len() as u32);
        relations.names.forget_lookup();
        relations.resolve_all(library);
        relations
    }

    /// The digest of article `article`'s text as it was read ([`Article::digest`]), if it was.
    pub fn digest(&self, article: usize) -> Option<u64> {
        self.digests.get(article).copied().filter(|&d| d != 0)
    }

    /// Resolves every related line (`starts` and `lines` are laid out) and inverts them.
    fn resolve_all(&mut self, library: &Library) {
        let articles = library.articles();
        // Each distinct headline is resolved once, keeping the two best candidates so that a
        // page naming itself gets the other one.
        self.resolved = self
            .names
            .iter()
            .map(|headline| match library.find_headline(headline)[..] {
                [] => (
                    self.fuzzy(library, headline).map_or(NONE, |t| t as u32),
                    NONE,
                ),
                [one] => (one as u32, NONE),
                [one, two, ..] => (one as u32, two as u32),
            })
            .collect();
        // The backlinks, by counting: how many lines name each article, then each linking
        // article put in its place (in reading order, as the articles are walked in it).
        let count = articles.len();
        let mut back_starts = vec![0u32; count + 1];
        for i in 0..count {
            for target in self.related(i).flatten() {
                back_starts[target + 1] += 1;
            }
        }
        for k in 0..count {
            back_starts[k + 1] += back_starts[k];
        }
        let mut filled = back_starts.clone();
        let mut backlinks = vec![0u32; back_starts[count] as usize];
        for i in 0..count {
            for target in self.related(i).flatten() {
                backlinks[filled[target] as usize] = i as u32;
                filled[target] += 1;
            }
        }
        drop(filled);
        // An article naming one other twice (two headlines for it) links from it once: the
        // doubles are squeezed out in place.
        let mut kept = 0usize;
        for target in 0..count {
            let (from, to) = (
                back_starts[target] as usize,
                back_starts[target + 1] as usize,
            );
            back_starts[target] = kept as u32;
            for k in from..to {
                if k == from || backlinks[k - 1] != backlinks[k] {
                    backlinks[kept] = backlinks[k];
                    kept += 1;
                }
            }
        }
        back_starts[count] = kept as u32;
        backlinks.truncate(kept);
        backlinks.shrink_to_fit();
        self.back_starts = back_starts;
        self.backlinks = backlinks;
    }

    /// The one article whose headline is near-identical to `headline`, if exactly one is.
    fn fuzzy(&self, library: &Library, headline: &str) -> Option<usize> {
        let wanted = term_list(headline);
        if wanted.is_empty() {
            return None;
        }
        // Candidates: headlines holding one of the two rarest terms (a typo may hide one).
        let mut rare: Vec<(usize, TermId)> = wanted
            .iter()
            .filter_map(|t| self.index.term(t))
            .map(|t| (self.index.df(t), t))
            .collect();
        rare.sort_unstable();
        rare.dedup();
        let mut candidates: Vec<u32> = Vec::new();
        for &(df, term) in rare.iter().take(2) {
            if df > FUZZY_CANDIDATES {
                break;
            }
            candidates.extend(
                self.index
                    .postings(term)
                    .filter(|p| p.in_headline)
                    .map(|p| p.doc),
            );
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut found = None;
        for doc in candidates {
            let Some(article) = library.articles().get(doc as usize) else {
                continue;
            };
            if near_identical(headline, &wanted, article.headline) {
                if found.is_some() {
                    // Two articles fit: a guess could be wrong, and a wrong link is worse
                    // than none.
                    return None;
                }
                found = Some(doc as usize);
            }
        }
        found
    }

    /// The article each related headline of `article` names, in page order.
    pub fn related(&self, article: usize) -> impl Iterator<Item = Option<usize>> + '_ {
        let range = span(&self.starts, article);
        self.lines[range].iter().map(move |&name| {
            let (first, second) = self
                .resolved
                .get(name as usize)
                .copied()
                .unwrap_or((NONE, NONE));
            let target = if first as usize == article {
                second
            } else {
                first
            };
            (target != NONE).then_some(target as usize)
        })
    }

    /// The articles whose related lists name `article`, in reading order.
    pub fn linked_from(&self, article: usize) -> impl Iterator<Item = usize> + '_ {
        let range = span(&self.back_starts, article);
        self.backlinks[range].iter().map(|&a| a as usize)
    }

    /// The `limit` articles most similar to `article` by content, scoring at least `min`
    /// (cosine of weighted term vectors, 0 to 1), best first; never the article itself.
    ///
    /// Only the article's most telling terms are looked up, and terms most of a large
    /// library uses are passed over, so a query walks a few postings lists, not every pair.
    pub fn similar(
        &self,
        library: &Library,
        article: usize,
        limit: usize,
        min: f32,
    ) -> Vec<(usize, f32)> {
        let index = &self.index;
        let norm = index.norm(article);
        if limit == 0 || norm <= 0.0 || index.docs() != library.len() {
            return Vec::new();
        }
        let Ok(text) = library.text(article) else {
            return Vec::new();
        };
        let docs = index.docs();
        let common = if docs >= 1_000 {
            docs / COMMON_SHARE
        } else {
            usize::MAX
        };
        let mut scores = vec![0f32; docs];
        let mut touched: Vec<u32> = Vec::new();
        let query = index
            .vector(&text)
            .into_iter()
            .filter(|&(t, _)| index.df(t) <= common)
            .take(QUERY_TERMS);
        for (term, weight) in query {
            let idf = index.idf(term);
            for p in index.postings(term) {
                let Some(score) = scores.get_mut(p.doc as usize) else {
                    continue;
                };
                if *score == 0.0 {
                    touched.push(p.doc);
                }
                *score += weight * term_frequency_weight(p.count, p.in_headline) * idf;
            }
        }
        let mut found: Vec<(usize, f32)> = touched
            .into_iter()
            .map(|d| d as usize)
            .filter(|&d| d != article)
            .map(|d| (d, scores[d] / (norm * index.norm(d)).max(f32::MIN_POSITIVE)))
            .filter(|&(_, s)| s >= min)
            .collect();
        let by_score = |x: &(usize, f32), y: &(usize, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
        if found.len() > limit {
            found.select_nth_unstable_by(limit - 1, by_score);
            found.truncate(limit);
        }
        found.sort_by(by_score);
        found
    }

    /// The story `article` is part of: itself and the articles similar enough to be reports of
    /// the same story, oldest first (undated last).
    pub fn thread(&self, library: &Library, article: usize) -> Vec<usize> {
        let found = self.similar(library, article, THREAD_MAX - 1, THREAD_MIN);
        thread_of(library, article, &found)
    }

    /// Everything about one article, with `similar_count` similar articles. One similarity
    /// query serves both `More like this` and the thread.
    pub fn answer(&self, library: &Library, article: usize, similar_count: usize) -> Answer {
        let found = self.similar(
            library,
            article,
            similar_count.max(THREAD_MAX - 1),
            SIMILAR_MIN.min(THREAD_MIN),
        );
        Answer {
            related: self.related(article).collect(),
            similar: found.iter().take(similar_count).copied().collect(),
            linked_from: self.linked_from(article).collect(),
            thread: Arc::from(thread_of(library, article, &found)),
            complete: true,
        }
    }
}

/// The article and those of `found` that score as reports of its story, oldest first.
fn thread_of(library: &Library, article: usize, found: &[(usize, f32)]) -> Vec<usize> {
    let mut members: Vec<usize> = found
        .iter()
        .filter(|&&(d, score)| score >= THREAD_MIN && d != article)
        .map(|&(d, _)| d)
        .take(THREAD_MAX - 1)
        .collect();
    members.push(article);
    sort_by_date(library, &mut members);
    members
}

/// Article `article`'s entries in a list stored as one array with start offsets.
fn span(starts: &[u32], article: usize) -> std::ops::Range<usize> {
    match (starts.get(article), starts.get(article + 1)) {
        (Some(&a), Some(&b)) => a as usize..b as usize,
        _ => 0..0,
    }
}

/// Oldest first, undated last; articles of one day in the reverse of reading order.
pub fn sort_by_date(library: &Library, members: &mut [usize]) {
    let articles = library.articles();
    members.sort_by_key(|&i| {
        let date = articles.get(i).and_then(|a| a.date);
        (date.is_none(), date, std::cmp::Reverse(i))
    });
}

/// Whether two headlines say the same thing: the same words once case, accents,
/// punctuation, stop words and plurals are set aside; or one is the other with a subtitle
/// dropped (`Leaders Meet: What Comes Next`); or they differ by one typo in one long word.
/// Different numbers or a different word are never near-identical.
pub fn near_identical(a: &str, a_terms: &[String], b: &str) -> bool {
    let b_terms = term_list(b);
    if *a_terms == b_terms {
        return true;
    }
    let main_of = |headline: &str| {
        let cut = headline
            .find([':', '|', '–', '—'])
            .into_iter()
            .chain(headline.find(" - "))
            .min();
        cut.map(|c| term_list(&headline[..c]))
    };
    let subtitle_dropped = |main: Option<Vec<String>>, other: &[String]| {
        main.is_some_and(|m| m.len() >= 3 && m == other)
    };
    if subtitle_dropped(main_of(a), &b_terms) || subtitle_dropped(main_of(b), a_terms) {
        return true;
    }
    if a_terms.len() < 3 || a_terms.len() != b_terms.len() {
        return false;
    }
    let mut typos = a_terms.iter().zip(&b_terms).filter(|(x, y)| x != y);
    match (typos.next(), typos.next()) {
        (Some((x, y)), None) => {
            let long = x.len() >= 5 && y.len() >= 5;
            let words = !x.bytes().chain(y.bytes()).any(|c| c.is_ascii_digit());
            long && words && strsim::damerau_levenshtein(x, y) <= 1
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        near_identical(a, &term_list(a), b)
    }

    #[test]
    fn near_identical_headlines() {
        assert!(same("Leaders Meet in Geneva", "Leaders meet in Geneva!"));
        assert!(same(
            "Leaders Meet in Geneva: What Comes Next",
            "Leaders Meet in Geneva"
        ));
        assert!(same(
            "Leaders Meet in Geneva",
            "Leaders Meet in Geneva — What Comes Next"
        ));
        assert!(same(
            "Parliament Approves Budget",
            "Parliment Approves Budget"
        ));
    }

    #[test]
    fn different_headlines_are_not_near_identical() {
        assert!(!same(
            "Putin Hails Relations With China",
            "Putin Hails Relations With Japan"
        ));
        assert!(!same(
            "Budget Deficit Hits 2025 High",
            "Budget Deficit Hits 2026 High"
        ));
        assert!(!same("Xi Meets Trump", "Trump Meets Xi"));
        assert!(!same("Trump: A Life", "Trump"));
    }
}
