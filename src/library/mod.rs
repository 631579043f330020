//! The in-memory library: articles in reading order (newest first), stable ids, lookup by id
//! and by loosely compared headline, the diagnostics gathered while loading, and, for a
//! library of headers, each article's text read from its page when asked for.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashSet;

use crate::article::Article;
use crate::diagnostic::{Diagnostic, Severity};
use crate::headers::{Head, Heads};
use crate::mapped::Column;
use crate::page::{Stamp, Stamps};
use crate::text::{loose_headline, slug};

mod changed;
mod reading_order;

pub use changed::Changed;
use reading_order::{assign_ids, base_slug, give_ids, reading_order};

/// Longest id a headline's slug may give, before any `-2` suffix.
pub const MAX_SLUG: usize = 80;

/// Every loaded article, newest first, with the indexes that find them.
#[derive(Debug, Default)]
pub struct Library {
    /// Every article's header, compact (shared with a library that only adds warnings).
    heads: Arc<Heads>,
    /// The articles whole, when the library holds their texts; empty for a library of
    /// headers, which reads them from their pages.
    texts: Vec<Arc<Article>>,
    /// The articles' numbers in the order of their ids, to find one by binary search (the ids
    /// are not copied).
    by_id: Column<u32>,
    /// Every article's loose headline's hash with its number, in that order, made the first
    /// time it is asked for (`list` never asks). Hashes, not the headlines: at 100,000
    /// articles a map of the folded headlines took 23 MB, this takes 1.2.
    by_headline: std::sync::OnceLock<Column<[u64; 2]>>,
    diagnostics: Vec<Diagnostic>,
    /// How many of the diagnostics are skipped files (counted once, shown on every frame).
    skipped: usize,
    /// The folder the pages are read from again when their text is needed ([`Library::text`]),
    /// for a library of headers; `None` when the library holds every text itself.
    root: Option<PathBuf>,
    /// The texts read last, newest last: going back and forth between a few articles does not
    /// read their pages again and again.
    recent: std::sync::Mutex<std::collections::VecDeque<(usize, Arc<Article>)>>,
    /// Each article's page stamp as the headers cache knew it, in reading order; empty when
    /// not known (a library read without the cache, or changed since). The saved index is
    /// checked against these.
    stamps: Arc<Stamps>,
    /// The [`fingerprint`] of every page's path and stamp, once known (the headers cache
    /// saves it).
    fingerprint: std::sync::OnceLock<Option<u64>>,
}

/// An article held across changes of the library (the reader's prompt and the actions that
/// wait for something): its id, which adding, removing and renaming pages keeps, and the place
/// it had. Positions alone would name another article once the library changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle {
    id: Box<str>,
    at: usize,
}

impl Handle {
    /// The article's id.
    pub fn id(&self) -> &str {
        &self.id
    }
}

/// One number for pages' paths and stamps in order: equal for the same pages unchanged.
pub fn fingerprint<'a>(pages: impl Iterator<Item = (&'a Path, Stamp)>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    for (path, stamp) in pages {
        path.as_os_str().as_encoded_bytes().hash(&mut hasher);
        stamp.hash(&mut hasher);
    }
    hasher.finish()
}

/// How many texts a library of headers keeps at hand.
const RECENT_TEXTS: usize = 8;

impl Library {
    /// Orders the articles (newest first, undated last, ties by headline), gives each its id
    /// and indexes them. The result depends only on the articles' content, not on file names
    /// or the order they were read in.
    pub fn new(articles: Vec<Article>, diagnostics: Vec<Diagnostic>) -> Library {
        let mut shared: Vec<Arc<Article>> = articles.into_iter().map(Arc::new).collect();
        // The list is made in the articles' own buffer, 22 times its size: let the rest go.
        shared.shrink_to_fit();
        Library::from_shared(shared, diagnostics)
    }

    /// [`Library::new`] over articles that may be shared with another library.
    pub fn from_shared(articles: Vec<Arc<Article>>, diagnostics: Vec<Diagnostic>) -> Library {
        // The lower-case headlines are made once, not at every comparison.
        let folded: Vec<String> = articles.iter().map(|a| a.headline.to_lowercase()).collect();
        let mut order: Vec<usize> = (0..articles.len()).collect();
        order.sort_by(|&i, &j| reading_order(&articles[i], &folded[i], &articles[j], &folded[j]));
        // Put them in that order in place (following each cycle of the permutation), so that
        // the articles are never held twice.
        let mut articles = articles;
        let mut placed = vec![false; articles.len()];
        for start in 0..articles.len() {
            let mut k = start;
            while !placed[k] {
                placed[k] = true;
                let next = order[k];
                if next == start {
                    break;
                }
                articles.swap(k, next);
                k = next;
            }
        }
        assign_ids(&mut articles);
        Library::assemble(articles, std::sync::OnceLock::new(), diagnostics)
    }

    /// A library exactly as the headers cache saved it: the headers in reading order with
    /// their ids, the order of the ids and the loose-headline lookup (read in place, not
    /// made again). `None` if they are not of one length.
    pub fn from_saved(
        heads: Heads,
        by_id: Column<u32>,
        by_headline: Column<[u64; 2]>,
        diagnostics: Vec<Diagnostic>,
    ) -> Option<Library> {
        if by_id.len() != heads.len() || by_headline.len() != heads.len() {
            return None;
        }
        let by_headline = std::sync::OnceLock::from(by_headline);
        Some(Library::of_parts(
            heads,
            Vec::new(),
            by_id,
            by_headline,
            diagnostics,
        ))
    }

    /// A library of articles in reading order with their ids: indexed by id, diagnostics
    /// sorted and counted.
    fn assemble(
        articles: Vec<Arc<Article>>,
        by_headline: std::sync::OnceLock<Column<[u64; 2]>>,
        diagnostics: Vec<Diagnostic>,
    ) -> Library {
        let heads = Heads::of(articles.iter().map(|a| a.head()));
        Library::assemble_heads(heads, articles, by_headline, diagnostics)
    }

    /// [`Library::assemble`] of headers made already, with the articles whole (`texts`, in
    /// the same order) or none.
    fn assemble_heads(
        heads: Heads,
        texts: Vec<Arc<Article>>,
        by_headline: std::sync::OnceLock<Column<[u64; 2]>>,
        diagnostics: Vec<Diagnostic>,
    ) -> Library {
        let mut by_id: Vec<u32> = (0..heads.len() as u32).collect();
        by_id.sort_unstable_by(|&a, &b| heads.id(a as usize).cmp(heads.id(b as usize)));
        Library::of_parts(heads, texts, by_id.into(), by_headline, diagnostics)
    }

    /// A library of these parts, its diagnostics sorted and counted.
    fn of_parts(
        heads: Heads,
        texts: Vec<Arc<Article>>,
        by_id: Column<u32>,
        by_headline: std::sync::OnceLock<Column<[u64; 2]>>,
        diagnostics: Vec<Diagnostic>,
    ) -> Library {
        let (diagnostics, skipped) = sorted_and_counted(diagnostics);
        Library {
            heads: Arc::new(heads),
            texts,
            by_id,
            by_headline,
            diagnostics,
            skipped,
            root: None,
            recent: Default::default(),
            stamps: Arc::default(),
            fingerprint: std::sync::OnceLock::new(),
        }
    }

    /// This library as one of headers: the articles' texts are not held but read from their
    /// pages below `root` when asked for ([`Library::text`]).
    pub fn reading_from(self, root: PathBuf) -> Library {
        self.holding(Some(root))
    }

    /// This library with its pages' stamps (one per article, in reading order; any other
    /// count is not kept).
    pub fn with_stamps(mut self, stamps: Stamps) -> Library {
        if stamps.len() == self.len() && stamps.hold_together() {
            self.stamps = Arc::new(stamps);
        }
        self
    }

    /// Article `i`'s page stamp as the headers cache knew it, if the library has them.
    pub fn stamp(&self, i: usize) -> Option<Stamp> {
        self.stamps.get(i)
    }

    /// Every page's stamp as the headers cache knew it (empty when not known).
    pub fn stamps(&self) -> &Stamps {
        &self.stamps
    }

    /// The folder the pages are read from, for a library of headers.
    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// Every page's stamp in reading order: those the library knows, else each page's now
    /// (`None` for a library that holds its texts, or a page that cannot be read).
    pub fn stamps_now(&self) -> Option<Vec<Stamp>> {
        if self.has_stamps() {
            return Some(self.stamps.iter().collect());
        }
        let root = self.root.as_ref()?;
        self.heads
            .iter()
            .map(|h| Stamp::of(&root.join(h.path)))
            .collect()
    }

    /// The [`fingerprint`] of every page's path and stamp, if the library knows the stamps.
    pub fn fingerprint(&self) -> Option<u64> {
        *self.fingerprint.get_or_init(|| {
            self.has_stamps()
                .then(|| fingerprint(self.heads.iter().map(|h| h.path).zip(self.stamps.iter())))
        })
    }

    /// This library with its fingerprint known already (as the headers cache saved it).
    pub fn with_fingerprint(self, fingerprint: u64) -> Library {
        let _ = self.fingerprint.set(Some(fingerprint));
        self
    }

    /// Whether the library knows every page's stamp.
    pub fn has_stamps(&self) -> bool {
        self.stamps.len() == self.len()
    }

    /// This library reading its texts from the pages below `root`, or holding them (`None`).
    fn holding(mut self, root: Option<PathBuf>) -> Library {
        if root.is_some() {
            self.texts = Vec::new();
        }
        self.root = root;
        self
    }

    /// This library with `warnings` found in its pages' texts added to its diagnostics (those
    /// it already has are not doubled). The articles are shared.
    pub fn with_warnings(&self, warnings: Vec<Diagnostic>) -> Library {
        let known: HashSet<&Diagnostic> = self.diagnostics.iter().collect();
        let mut diagnostics = self.diagnostics.clone();
        diagnostics.extend(warnings.into_iter().filter(|w| !known.contains(w)));
        let (diagnostics, skipped) = sorted_and_counted(diagnostics);
        Library {
            heads: self.heads.clone(),
            texts: self.texts.clone(),
            by_id: self.by_id.clone(),
            by_headline: self.by_headline.clone(),
            diagnostics,
            skipped,
            root: self.root.clone(),
            recent: Default::default(),
            stamps: self.stamps.clone(),
            fingerprint: self.fingerprint.clone(),
        }
    }

    /// Article `i` with its whole text: the article itself when the library holds texts, else
    /// its page read and parsed again (a few are kept at hand). The page may have changed
    /// since its header was read; what it says now is what is returned, under the library's id.
    pub fn text(&self, i: usize) -> Result<Arc<Article>, Diagnostic> {
        if self.root.is_none() {
            return self.read_text(i).map(|(article, _)| article);
        }
        if let Ok(recent) = self.recent.lock()
            && let Some((_, article)) = recent.iter().find(|(k, _)| *k == i)
        {
            return Ok(article.clone());
        }
        let (article, _) = self.read_text(i)?;
        if let Ok(mut recent) = self.recent.lock() {
            if recent.len() >= RECENT_TEXTS {
                recent.pop_front();
            }
            recent.push_back((i, article.clone()));
        }
        Ok(article)
    }

    /// Article `i` with its whole text, read from its page for a library of headers (not kept),
    /// with the warnings its text gives.
    pub fn read_text(&self, i: usize) -> Result<(Arc<Article>, Vec<Diagnostic>), Diagnostic> {
        let (Some(root), Some(head)) = (&self.root, self.heads.get(i)) else {
            return match self.texts.get(i) {
                Some(article) => Ok((article.clone(), Vec::new())),
                None => Err(Diagnostic {
                    path: PathBuf::new(),
                    severity: Severity::Skipped,
                    message: format!("there is no article {i}"),
                }),
            };
        };
        let loaded = crate::page::load_file(root, head.path)?;
        let mut article = loaded.article;
        article.id = head.id.to_string();
        Ok((Arc::new(article), loaded.warnings))
    }

    /// The articles' headers in reading order.
    pub fn articles(&self) -> &Heads {
        &self.heads
    }

    /// Article `i`'s header.
    pub fn head(&self, i: usize) -> Option<Head<'_>> {
        self.heads.get(i)
    }

    /// Article `i` whole, if the library holds texts (a library of headers holds none).
    pub fn held_text(&self, i: usize) -> Option<&Arc<Article>> {
        self.texts.get(i)
    }

    /// Article `i` as the library holds it: whole, or its header alone for a library of
    /// headers.
    fn held(&self, i: usize) -> Arc<Article> {
        match self.texts.get(i) {
            Some(article) => article.clone(),
            None => Arc::new(self.heads.get(i).unwrap_or_default().to_article()),
        }
    }

    pub fn len(&self) -> usize {
        self.heads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// How many warnings there were and how many files were skipped.
    pub fn problem_counts(&self) -> (usize, usize) {
        (self.diagnostics.len() - self.skipped, self.skipped)
    }

    /// A handle on the article at `at`, to find it again after the library changes.
    pub fn handle(&self, at: usize) -> Option<Handle> {
        let id = self.heads.get(at)?.id;
        Some(Handle { id: id.into(), at })
    }

    /// Where the article `handle` was taken of is now: its old place when it is still there
    /// (the usual case, and no search), else wherever its id is; `None` once it has left.
    pub fn find(&self, handle: &Handle) -> Option<usize> {
        match self.heads.get(handle.at) {
            Some(head) if head.id == &*handle.id => Some(handle.at),
            _ => self.index_of(&handle.id),
        }
    }

    /// The position of the article with this id in reading order.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        let find = |id: &str| {
            let at = (self.by_id)
                .binary_search_by(|&k| self.heads.id(k as usize).cmp(id))
                .ok()?;
            Some(self.by_id[at] as usize)
        };
        // Ids are lower case: `RUSSIAN-PRESIDENT-…` finds the same article.
        find(id).or_else(|| {
            let lower = id.to_lowercase();
            (lower != id).then(|| find(&lower)).flatten()
        })
    }

    /// The header of the article with this id.
    pub fn get(&self, id: &str) -> Option<Head<'_>> {
        self.index_of(id).and_then(|i| self.heads.get(i))
    }

    /// Every article whose headline matches loosely (case, white space, quote and dash
    /// variants ignored), newest first.
    pub fn find_headline(&self, headline: &str) -> Vec<usize> {
        let by_headline = self.by_headline();
        let wanted = loose_headline(headline);
        let hash = headline_hash(&wanted);
        let first = by_headline.partition_point(|&[h, _]| h < hash);
        by_headline[first..]
            .iter()
            .take_while(|&&[h, _]| h == hash)
            .map(|&[_, i]| i as usize)
            // Two headlines may share a hash: the match is made sure of.
            .filter(|&i| loose_headline(self.heads.headline(i)) == wanted)
            .collect()
    }

    /// Every article's loose headline's hash with its number, in that order (made the first
    /// time it is asked for, on every core, unless the headers cache saved it: on a first
    /// launch the reader's first frame waits for it to resolve the related links it shows).
    pub fn by_headline(&self) -> &[[u64; 2]] {
        self.by_headline.get_or_init(|| {
            let numbers: Vec<usize> = (0..self.len()).collect();
            let hashed = |&i: &usize| {
                [
                    headline_hash(&loose_headline(self.heads.headline(i))),
                    i as u64,
                ]
            };
            let mut list = crate::parallel::parallel_map(&numbers, &hashed, &hashed);
            list.sort_unstable();
            list.into()
        })
    }

    /// The articles' numbers in the order of their ids.
    pub fn by_id(&self) -> &[u32] {
        &self.by_id
    }

    /// Up to three ids close to one that was not found, closest first: ids holding most of
    /// its words, or spelt nearly like it; none that share only a word or two of many.
    pub fn suggest(&self, wanted: &str) -> Vec<&str> {
        let wanted = wanted.to_lowercase();
        let words: Vec<&str> = wanted.split('-').filter(|w| !w.is_empty()).collect();
        let mut scored: Vec<(f64, &str)> = (0..self.len())
            .map(|i| {
                let id = self.heads.id(i);
                let held = words.iter().filter(|w| id.split('-').any(|x| x == **w));
                let share = held.count() as f64 / words.len().max(1) as f64;
                // Spelt nearly alike needs lengths within 40% of each other: skip the rest.
                let (a, b) = (wanted.len(), id.len());
                let spelt = if a.abs_diff(b) * 5 <= a.max(b) * 2 {
                    strsim::normalized_damerau_levenshtein(&wanted, id)
                } else {
                    0.0
                };
                (share.max(spelt), id)
            })
            .filter(|(score, _)| *score >= 0.6)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        scored.into_iter().take(3).map(|(_, id)| id).collect()
    }
}

/// The diagnostics in the order they are listed (by path), with how many are skipped files.
fn sorted_and_counted(mut diagnostics: Vec<Diagnostic>) -> (Vec<Diagnostic>, usize) {
    diagnostics.sort_by(|a, b| a.path.cmp(&b.path).then(a.severity.cmp(&b.severity)));
    let skipped = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Skipped)
        .count();
    (diagnostics, skipped)
}

/// The hash a loose headline is found by.
fn headline_hash(loose: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    loose.hash(&mut hasher);
    hasher.finish()
}
