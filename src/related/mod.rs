//! How articles relate to each other: the publisher's related headlines resolved to local
//! articles (exact loose match, then a careful fuzzy fallback), the inverse `Linked from`
//! lists, `More like this` by content (a cosine over the text index) and story threads.

use std::sync::Arc;

use crate::article::Article;
use crate::diagnostic::Diagnostic;
use crate::index::strings::Interned;
use crate::mapped::Column;

mod links;
pub mod saved;
mod similar;

use crate::index::{Index, TermId, term_frequency_weight, term_list};
use crate::library::Library;
use links::exact;
pub use links::near_identical;
pub use similar::sort_by_date;
use similar::thread_of;

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
    starts: Column<u32>,
    /// The two newest articles each of `names` resolves to (`NONE` for none): a page naming
    /// its own headline gets the second.
    resolved: Column<[u32; 2]>,
    /// Where each article's backlinks start in `backlinks`.
    back_starts: Column<u32>,
    /// The articles linking to each article, in reading order.
    backlinks: Column<u32>,
    /// Every distinct headline named in a related list: the same ones recur on thousands of
    /// pages, and each is kept (and resolved) once.
    names: Interned,
    /// The headline each related line names (a number in `names`).
    lines: Column<u32>,
    /// Each article's [`Article::digest`] as its text was read (0: it could not be read). A
    /// page written again tells by it whether anything changed.
    digests: Column<u64>,
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
            relations.lines = first.lines.into();
            relations.starts = first.starts.into();
            relations.digests = first.digests.into();
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
            relations
                .starts
                .to_mut()
                .extend(run.starts.iter().map(|s| s + base));
            relations.lines.to_mut().append(&mut run.lines);
            relations.digests.to_mut().extend(run.digests);
            warnings.extend(run.warnings);
        }
        let lines = relations.lines.len() as u32;
        relations.starts.to_mut().push(lines);
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
        let (mut starts, mut lines, mut digests) = (Vec::new(), Vec::new(), Vec::new());
        let mut next_fresh = texts.iter().peekable();
        for (i, was) in was.into_iter().enumerate() {
            starts.push(lines.len() as u32);
            if let Some(old) = was {
                let range = span(&self.starts, old);
                lines.extend_from_slice(&self.lines[range]);
                digests.push(self.digests.get(old).copied().unwrap_or(0));
                continue;
            }
            let text = match next_fresh.peek() {
                Some((f, text)) if *f == i => {
                    next_fresh.next();
                    text.as_deref()
                }
                _ => None,
            };
            digests.push(text.map_or(0, Article::digest));
            for headline in text.iter().flat_map(|t| &t.related) {
                let n = relations.names.intern(headline);
                lines.push(n);
            }
        }
        starts.push(lines.len() as u32);
        relations.starts = starts.into();
        relations.lines = lines.into();
        relations.digests = digests.into();
        relations.drop_unused_names();
        relations.names.forget_lookup();
        relations.resolve_all(library);
        relations
    }

    /// Lets go of the headlines no related line names any more (the pages that named them
    /// have gone), once they are more than an eighth of all: a reader following a busy folder
    /// for days holds the names of the pages it has, not of every page it has seen.
    fn drop_unused_names(&mut self) {
        let mut used = vec![false; self.names.len()];
        for &n in self.lines.iter() {
            if let Some(slot) = used.get_mut(n as usize) {
                *slot = true;
            }
        }
        let unused = used.iter().filter(|u| !**u).count();
        if unused * 8 <= self.names.len() {
            return;
        }
        let mut names = Interned::default();
        let renumbered: Vec<u32> = used
            .iter()
            .enumerate()
            .map(|(n, &kept)| {
                if kept {
                    names.intern(self.names.get(n as u32))
                } else {
                    NONE
                }
            })
            .collect();
        for line in self.lines.to_mut() {
            *line = renumbered.get(*line as usize).copied().unwrap_or(NONE);
        }
        self.names = names;
    }

    /// How many distinct related headlines are held.
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// The digest of article `article`'s text as it was read ([`Article::digest`]), if it was.
    pub fn digest(&self, article: usize) -> Option<u64> {
        self.digests.get(article).copied().filter(|&d| d != 0)
    }

    /// The article each related headline of `article` names, in page order.
    pub fn related(&self, article: usize) -> impl Iterator<Item = Option<usize>> + '_ {
        let range = span(&self.starts, article);
        self.lines[range].iter().map(move |&name| {
            let [first, second] = self
                .resolved
                .get(name as usize)
                .copied()
                .unwrap_or([NONE, NONE]);
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

/// Article `article`'s entries in a list stored as one array with start offsets.
fn span(starts: &[u32], article: usize) -> std::ops::Range<usize> {
    match (starts.get(article), starts.get(article + 1)) {
        (Some(&a), Some(&b)) => a as usize..b as usize,
        _ => 0..0,
    }
}
