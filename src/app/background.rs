//! The work behind the screen as the app sees it: building the index after the first frame,
//! following the folder (batches held until the index is built, applied one at a time, a new
//! library held back while a search is shown until its index comes), and taking a new
//! library or index in place of the old, everything that points at an article following it.

use std::sync::Arc;

use crate::app::App;
use crate::app::layout::Focus;
use crate::app::message::{Effect, FolderJob, IndexJob};
use crate::diagnostic::Diagnostic;
use crate::library::Library;
use crate::related::Relations;
use crate::watch::{Batch, News};

/// Where indexing and following the folder stand.
#[derive(Debug, Default)]
pub struct Background {
    /// Where the index is saved between launches (`None`: it is built each time).
    pub(super) index_file: Option<std::path::PathBuf>,
    /// The library came from the headers cache unchecked: the pages are compared with it
    /// once the index is there.
    pub(super) unchecked: bool,
    /// How far building the index has got: articles done of all.
    indexing: Option<(usize, usize)>,
    /// The first index is built (or building it gave up): folder changes may be applied.
    indexed: bool,
    /// The library holds headers only and every headline has not been folded yet.
    pub(super) headers_only: bool,
    /// Changed pages waiting to be applied.
    waiting: Batch,
    /// A batch is being applied.
    applying: bool,
    /// A library held back until its index comes (a search is shown).
    held: Option<(Arc<Library>, News)>,
    /// How far fetching the feeds has got (feeds answered, of all), while it runs.
    pub(super) fetching: Option<(usize, usize)>,
    /// What went wrong with feeds at the last fetch, one line each.
    pub(super) feed_problems: Vec<String>,
    /// A sync with the server is on its way: its new items saved so far, of all (0 of 0 while
    /// it asks the server).
    pub(super) syncing: Option<(usize, usize)>,
}

impl Background {
    /// How far building the index has got (articles done, of all), while it is being built.
    pub fn indexing(&self) -> Option<(usize, usize)> {
        self.indexing
    }

    /// Building the index has got this far.
    pub(super) fn progress(&mut self, done: usize) {
        if let Some((_, total)) = self.indexing {
            self.indexing = Some((done.min(total), total));
        }
    }

    /// How far fetching the feeds has got (feeds answered, of all), while it runs.
    pub fn fetching(&self) -> Option<(usize, usize)> {
        self.fetching
    }

    /// What went wrong with feeds at the last fetch.
    /// A sync with the server on its way: its new items saved so far, of all.
    pub fn syncing(&self) -> Option<(usize, usize)> {
        self.syncing
    }

    pub fn feed_problems(&self) -> &[String] {
        &self.feed_problems
    }
}

impl App {
    /// The first frame is on screen: follow the folder (first, so that nothing written while
    /// the pages are read is missed) and build the index.
    pub(super) fn started(&mut self) {
        self.emit(Effect::StartWatching(self.settings.articles_dir.clone()));
        self.background.indexing = Some((0, self.library.len()));
        self.emit(Effect::StartIndexing(IndexJob {
            library: self.library.clone(),
            saved: self.background.index_file.clone(),
            check: self
                .background
                .unchecked
                .then(|| self.settings.articles_dir.clone()),
        }));
        if self.settings.fetch_on_start {
            self.fetch_feeds();
        }
        if let Some(every) = self.settings.fetch_every {
            self.emit(Effect::FetchLater(every));
        }
    }

    /// How far building the index has got, in percent, while it is being built.
    pub fn indexing_percent(&self) -> Option<usize> {
        self.background
            .indexing
            .filter(|&(_, total)| total > 0)
            .map(|(done, total)| done * 100 / total)
    }

    /// `Indexing… 40%`: what features that need the index say until it is built.
    pub fn indexing_message(&self) -> String {
        match self.indexing_percent() {
            Some(percent) => format!("Indexing… {percent}% (stories come when it is done)"),
            None => "Indexing… (stories come when it is done)".into(),
        }
    }

    /// The first index is built: it is taken in, and what reading every text found wrong
    /// joins the problems list. Folder changes held until now are applied.
    pub(super) fn indexed(
        &mut self,
        library: Arc<Library>,
        relations: Arc<Relations>,
        warnings: Vec<Diagnostic>,
    ) {
        self.background.indexed = true;
        self.background.indexing = None;
        if Arc::ptr_eq(&library, &self.library) {
            self.relations_ready(relations);
            self.texts_read(warnings);
        }
        self.apply_waiting_batch();
    }

    pub(super) fn index_failed(&mut self, why: String) {
        self.background.indexed = true;
        self.background.indexing = None;
        self.message = Some(format!("Indexing stopped: {why}"));
        self.apply_waiting_batch();
    }

    /// The index and resolved links are ready: pages are laid out again with them, and a
    /// search that waited for them runs.
    pub(super) fn relations_ready(&mut self, relations: Arc<Relations>) {
        self.index = Some(relations.index.clone());
        self.relations = Some(relations);
        if self
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("Indexing…"))
        {
            self.message = None;
        }
        self.background.indexing = None;
        self.reader.forget_answers();
        if self.background.headers_only {
            // The indexing job folded every headline: bookmarks may be found by it now.
            self.background.headers_only = false;
            self.marks.locate(&self.library, false);
        }
        self.search_again();
        self.refresh();
    }

    /// Reading every text for the index found `warnings` the headers did not show: they join
    /// the problems list (the articles stay as they are).
    fn texts_read(&mut self, warnings: Vec<Diagnostic>) {
        if warnings.is_empty() {
            return;
        }
        let library = self.library.with_warnings(warnings);
        if library.diagnostics().len() > self.library.diagnostics().len() {
            self.adopt(Arc::new(library), self.relations.clone(), true);
        }
    }

    /// Pages changed in the folder: applied once the index is built and no other batch is on
    /// its way.
    pub(super) fn folder_news(&mut self, batch: Batch) {
        self.background.waiting.merge(batch);
        self.apply_waiting_batch();
    }

    fn apply_waiting_batch(&mut self) {
        let background = &mut self.background;
        if !background.indexed || background.applying || background.waiting.is_empty() {
            return;
        }
        background.applying = true;
        let batch = std::mem::take(&mut background.waiting);
        self.emit(Effect::ApplyFolderChange(FolderJob {
            dir: self.settings.articles_dir.clone(),
            library: self.library.clone(),
            relations: self.relations.clone(),
            batch,
            saved: self.background.index_file.clone(),
        }));
    }

    /// The folder's changes made a new library. It is shown at once, unless a search with
    /// words is shown: then it waits for its index, so that the results never blink out.
    pub(super) fn folder_library(&mut self, library: Arc<Library>, news: News) {
        if self.relations.is_some() && self.list.searching_words() {
            self.background.held = Some((library, news));
        } else {
            self.folder_changed(library, None, &news);
        }
    }

    /// A batch is done, with the index for the library it made when there is one.
    pub(super) fn folder_done(&mut self, indexed: Option<(Arc<Library>, Arc<Relations>)>) {
        self.background.applying = false;
        match (self.background.held.take(), indexed) {
            (Some((held, news)), Some((library, relations))) if Arc::ptr_eq(&held, &library) => {
                self.folder_changed(held, Some(relations), &news)
            }
            (Some((held, news)), _) => self.folder_changed(held, None, &news),
            (None, Some((library, relations))) if Arc::ptr_eq(&library, &self.library) => {
                self.relations_ready(relations)
            }
            (None, _) => {}
        }
        self.apply_waiting_batch();
    }

    /// The folder changed while the reader was open: the new library (and its index, when it
    /// came with it) takes the place of the old one, and the status bar says what arrived.
    fn folder_changed(
        &mut self,
        library: Arc<Library>,
        relations: Option<Arc<Relations>>,
        news: &News,
    ) {
        let open = self
            .current()
            .and_then(|v| self.library.head(v.article))
            .map(|a| a.id.to_string());
        self.adopt(library, relations, false);
        let mut message = news.message();
        if let Some(id) = open
            && self.library.index_of(&id).is_none()
        {
            let gone = "the article that was open has gone from the folder".to_string();
            message = Some(match message {
                Some(m) => format!("{m} · {gone}"),
                None => gone,
            });
        }
        if message.is_some() {
            self.message = message;
        }
    }

    /// Takes `library` (with `relations`, made for it) in place of the current one. Unless
    /// the two hold the same articles in the same order (`same`), everything that points at
    /// an article by its place is moved to where its id now is.
    fn adopt(&mut self, library: Arc<Library>, relations: Option<Arc<Relations>>, same: bool) {
        let old = std::mem::replace(&mut self.library, library);
        self.index = relations.as_ref().map(|r| r.index.clone());
        self.relations = relations;
        self.list.forget_library();
        self.reader.forget_answers();
        self.marks
            .locate(&self.library, self.background.headers_only);
        if !same {
            self.reader.forget_texts();
            let library = self.library.clone();
            let moved = |i: usize| library.index_of(old.articles().get(i)?.id);
            let selected = self.list.selected_article().and_then(moved);
            self.reader.move_articles(&moved);
            if self.reader.history().is_empty() {
                self.focus = Focus::List;
            }
            self.windows.move_articles(&moved);
            if let Some(prompt) = &mut self.prompt {
                prompt.move_articles(&moved);
            }
            self.list.move_articles(&moved);
            self.list_title = super::list_title(&self.library);
            self.sources = super::sources(&self.library).len();
            self.feeds_follow_library();
            self.rebuild_list(selected);
            if self.list.searching_words() || self.list.pending() {
                // The hits shown were moved with their articles; the search runs again for
                // the new ones (and an answer on its way for the old articles is dropped).
                self.search_again();
            }
        }
        self.refresh();
        // An action waiting for an article's answer asks for it again from this library (the
        // answer on its way was for the old one and is dropped).
        if let Some((super::Wait::Article(waited), _)) = &self.waiting {
            match self.library.find(waited) {
                Some(article) => self.ask(article),
                None => {
                    self.waiting = None;
                    self.message = Some("That article has left the folder".into());
                }
            }
        }
    }
}
