//! The reader's state and `App::update(Action) -> Option<Effect>`: selection, the open article
//! and its scroll position, link focus, browser-like history, windows, prompts and messages.
//! The list's rows, order and search live in `listing`; bookmarks, read state, positions and
//! undo in `reading`. No I/O: the event loop feeds actions in, carries effects out and saves
//! the [`Change`]s the app records.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

pub mod layout;
pub mod line_edit;
mod listing;
pub mod reader_view;
mod reading;

pub use listing::{Order, Search, SearchRequest};

use crate::action::Action;
use crate::app::layout::{Areas, Focus, overlay_rows};
use crate::app::line_edit::LineEdit;
use crate::app::reader_view::Page;
use crate::article::Article;
use crate::article::TextPosition;
use crate::bookmarks::{Bookmarks, Change, File, ReadingState};
use crate::config::Config;
use crate::keymap::Keymap;
use crate::library::Library;
use crate::related::{Answer, Relations};
use crate::search::Searcher;
use crate::theme::Theme;

/// What the event loop must do after an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Read the bookmark file again (it did not parse; the user may have fixed it) and hand
    /// the result to [`App::bookmarks_loaded`].
    LoadBookmarks,
}

/// A window over the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Problems,
    /// The open story's reports as a timeline ([`App::thread_view`]).
    Thread,
    /// The bookmarks, newest first.
    Bookmarks,
}

/// A one-line prompt on the status bar and what its text is for.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub purpose: Purpose,
    pub edit: LineEdit,
}

#[derive(Debug, Clone)]
pub enum Purpose {
    /// The note of the bookmark with this id, or of a new bookmark of `article`.
    Note { id: String, article: Option<usize> },
    /// A search; the list as it was before, for Esc.
    Search(Box<listing::Before>),
}

impl Prompt {
    /// The label before the text.
    pub fn label(&self) -> &'static str {
        match self.purpose {
            Purpose::Note { .. } => "Note: ",
            Purpose::Search(_) => "/",
        }
    }
}

/// One step of history: an article and where the reader was in it. The position is in the
/// text, not a screen line, so it survives a resize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub article: usize,
    pub position: TextPosition,
    /// The focused link, an index into the page's links.
    pub link: Option<usize>,
}

/// Lines scrolled by one turn of the mouse wheel.
const WHEEL_LINES: usize = 3;
/// Laid-out pages kept; a resize storm must not grow memory without end.
const PAGE_CACHE: usize = 64;
/// Related-story answers kept.
const ANSWER_CACHE: usize = 512;
/// Bookmark and read-state changes that can be undone.
pub(crate) const UNDO_DEPTH: usize = 100;

#[derive(Debug)]
pub struct App {
    /// Shared with the thread that builds the index.
    pub library: Arc<Library>,
    /// The folder the library came from, to name it when it is empty.
    pub articles_dir: std::path::PathBuf,
    pub keymap: Keymap,
    pub theme: Theme,
    pub wrap_width: u16,
    pub date_format: String,
    pub mouse: bool,
    pub similar_count: usize,
    pub width: u16,
    pub height: u16,
    pub focus: Focus,
    /// The selected row of the headline list (see [`App::selected_article`]).
    pub selected: usize,
    /// The articles the list shows, row by row.
    view: Vec<usize>,
    /// The list's order.
    pub order: Order,
    search: Option<Search>,
    searcher: Searcher,
    /// Each article's place in headline A–Z order, once asked for.
    headline_rank: Option<Vec<u32>>,
    /// The page line the last jump to a hit went to.
    last_hit: Option<usize>,
    /// Whether searches run off the drawing thread (the event loop sets it; tests search on
    /// the spot).
    pub search_off_thread: bool,
    /// The number of the newest search asked for; older answers are dropped.
    search_seq: u64,
    search_request: Option<SearchRequest>,
    /// A search is on its way.
    search_pending: bool,
    /// The first headline row on screen.
    pub list_top: usize,
    pub history: Vec<Visit>,
    /// The current step of `history` (meaningless while it is empty).
    pub at: usize,
    pub overlay: Option<Overlay>,
    pub overlay_scroll: usize,
    /// The timeline the thread window shows.
    pub thread_view: Arc<[usize]>,
    /// The selected row of a window with a selection (the timeline, the bookmarks).
    pub window_selected: usize,
    /// The text index and resolved links, once built.
    pub relations: Option<Arc<Relations>>,
    /// How far building them has got: articles done of all.
    pub indexing: Option<(usize, usize)>,
    /// The reader started on the pages' headers and has not folded every headline yet (the
    /// indexing thread does it): bookmarks are found by id alone until then.
    pub headers_only: bool,
    /// The headline list's title: the source (or how many sources) and the count. Worked out
    /// once, not on every frame.
    pub list_title: String,
    /// A one-line note on the status bar, cleared by the next key.
    pub message: Option<String>,
    /// The prompt taking the keyboard, if one is open.
    pub prompt: Option<Prompt>,
    /// The bookmarks as this reader knows them (its own changes, and the file as last saved).
    pub bookmarks: Bookmarks,
    /// Why bookmarking is off: the bookmark file does not parse.
    pub bookmarks_broken: Option<String>,
    /// Why read state and positions are kept in memory only: the state file does not parse.
    pub state_broken: Option<String>,
    /// The last save that failed, until that file saves again.
    save_failed: Option<(File, String)>,
    /// The time bookmarks are stamped with; a plain function so that tests can set the clock.
    pub clock: fn() -> DateTime<FixedOffset>,
    state: ReadingState,
    /// Each bookmarked article's bookmark id.
    marks: HashMap<usize, String>,
    /// Whether each article has been read, by position in the library.
    read: Vec<bool>,
    /// Changes not yet handed to the event loop to save.
    changes: Vec<Change>,
    /// What undoes each recent change, and what that change was called.
    undo: Vec<(Change, &'static str)>,
    /// An action that waits for the bookmark file to be read again.
    retry: Option<Action>,
    page: Option<Rc<Page>>,
    pages: HashMap<(usize, u16), Rc<Page>>,
    answers: HashMap<usize, Rc<Answer>>,
    /// The thread each article was found in. Every report of a story keeps the thread it was
    /// first seen in, so stepping through a story never jumps into another.
    threads: HashMap<usize, Arc<[usize]>>,
}

impl App {
    pub fn new(library: impl Into<Arc<Library>>, config: &Config, width: u16, height: u16) -> App {
        let mut app = App {
            library: library.into(),
            articles_dir: config.articles_dir.clone(),
            keymap: config.keymap.clone(),
            theme: config.theme,
            wrap_width: config.wrap_width,
            date_format: config.date_format.clone(),
            mouse: config.mouse,
            similar_count: config.similar_count,
            width,
            height,
            focus: Focus::List,
            selected: 0,
            view: Vec::new(),
            order: Order::Newest,
            search: None,
            searcher: Searcher::default(),
            headline_rank: None,
            last_hit: None,
            search_off_thread: false,
            search_seq: 0,
            search_request: None,
            search_pending: false,
            list_top: 0,
            history: Vec::new(),
            at: 0,
            overlay: None,
            overlay_scroll: 0,
            thread_view: Arc::from(Vec::new()),
            window_selected: 0,
            relations: None,
            indexing: None,
            headers_only: false,
            list_title: String::new(),
            message: None,
            prompt: None,
            bookmarks: Bookmarks::default(),
            bookmarks_broken: None,
            state_broken: None,
            save_failed: None,
            clock: || chrono::Local::now().fixed_offset(),
            state: ReadingState::default(),
            marks: HashMap::new(),
            read: Vec::new(),
            changes: Vec::new(),
            undo: Vec::new(),
            retry: None,
            page: None,
            pages: HashMap::new(),
            answers: HashMap::new(),
            threads: HashMap::new(),
        };
        app.list_title = list_title(&app.library);
        app.read = vec![false; app.library.len()];
        app.view = (0..app.library.len()).collect();
        app.refresh();
        app
    }

    /// Reading every text for the index found `warnings` the headers did not show: they join
    /// the problems list (the articles stay as they are).
    pub fn texts_read(&mut self, warnings: Vec<crate::diagnostic::Diagnostic>) {
        if warnings.is_empty() {
            return;
        }
        let library = self.library.with_warnings(warnings);
        if library.diagnostics().len() > self.library.diagnostics().len() {
            self.adopt(Arc::new(library), self.relations.clone(), true);
        }
    }

    /// The folder changed while the reader was open ([`crate::watch::apply`]): the new library
    /// and its index take the place of the old ones, the selection, history and reading
    /// positions follow the ids, and the status bar says what arrived.
    pub fn folder_changed(
        &mut self,
        library: Arc<Library>,
        relations: Option<Arc<Relations>>,
        news: &crate::watch::News,
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
        self.relations = relations;
        self.headline_rank = None;
        self.index_bookmarks();
        self.pages.clear();
        self.answers.clear();
        self.threads.clear();
        if !same {
            let library = self.library.clone();
            let moved = |i: usize| library.index_of(old.articles().get(i)?.id);
            let selected = self.selected_article().and_then(moved);
            let mut history = Vec::new();
            let mut at = 0;
            for (k, visit) in self.history.iter().enumerate() {
                if let Some(article) = moved(visit.article) {
                    if k <= self.at {
                        at = history.len();
                    }
                    history.push(Visit { article, ..*visit });
                }
            }
            self.history = history;
            self.at = at;
            if self.history.is_empty() {
                self.focus = Focus::List;
            }
            self.thread_view = self.thread_view.iter().filter_map(|&i| moved(i)).collect();
            if self.overlay == Some(Overlay::Thread) && self.thread_view.is_empty() {
                self.overlay = None;
            }
            if let Some(prompt) = &mut self.prompt {
                match &mut prompt.purpose {
                    Purpose::Note { article, .. } => *article = article.and_then(moved),
                    Purpose::Search(before) => before.move_article(moved),
                }
            }
            self.list_title = list_title(&self.library);
            self.index_read();
            let pending = self.search_pending;
            if self.search().is_some() {
                self.search_again_on_the_spot();
                if let Some(row) = selected.and_then(|a| self.row_of(a)) {
                    self.select(row);
                }
            } else {
                self.rebuild_view(selected);
            }
            if pending
                && let Some(Prompt {
                    purpose: Purpose::Search(_),
                    edit,
                }) = &self.prompt
            {
                // The answer that was on its way is for the old articles: ask again.
                let text = edit.text().to_string();
                self.set_search(&text);
            }
        }
        self.refresh();
    }

    /// Building the index has got this far (articles done of all).
    pub fn indexing_progress(&mut self, done: usize, total: usize) {
        self.indexing = Some((done.min(total), total));
    }

    /// The index and resolved links are ready: pages are laid out again with them.
    pub fn relations_ready(&mut self, relations: Arc<Relations>) {
        self.relations = Some(relations);
        if self
            .message
            .as_deref()
            .is_some_and(|m| m.starts_with("Indexing…"))
        {
            self.message = None;
        }
        self.indexing = None;
        self.pages.clear();
        self.answers.clear();
        self.threads.clear();
        if self.headers_only {
            self.headers_only = false;
            self.index_bookmarks();
        }
        self.search_index_ready();
        self.refresh();
    }

    /// What is known of how `article` relates to the rest: everything once the index is
    /// ready, exact publisher links before. Cached.
    pub fn answer(&mut self, article: usize) -> Rc<Answer> {
        if let Some(answer) = self.answers.get(&article) {
            return answer.clone();
        }
        let mut answer = match &self.relations {
            Some(relations) => relations.answer(&self.library, article, self.similar_count),
            None => match self.library.text(article) {
                Ok(text) => Answer::pending(&self.library, article, &text),
                Err(_) => Answer::pending(&self.library, article, &Article::default()),
            },
        };
        if answer.complete {
            // Members not yet in a thread join this one; the article takes whichever thread
            // it is in (it is a member of its own, so it is in one).
            for &member in answer.thread.iter() {
                self.threads
                    .entry(member)
                    .or_insert_with(|| answer.thread.clone());
            }
            if let Some(thread) = self.threads.get(&article) {
                answer.thread = thread.clone();
            }
        }
        if self.answers.len() >= ANSWER_CACHE {
            self.answers.clear();
        }
        let answer = Rc::new(answer);
        if answer.complete {
            self.answers.insert(article, answer.clone());
        }
        answer
    }

    /// Where the open article stands in its story (1-based) and how many reports it has, once
    /// known and when there is more than one.
    pub fn story_position(&self) -> Option<(usize, usize)> {
        let article = self.current()?.article;
        let thread = &self.answers.get(&article)?.thread;
        let at = thread.iter().position(|&a| a == article)?;
        (thread.len() > 1).then_some((at + 1, thread.len()))
    }

    pub fn areas(&self) -> Areas {
        Areas::new(self.width, self.height, self.focus)
    }

    /// The open article's visit, if an article is open.
    pub fn current(&self) -> Option<&Visit> {
        self.history.get(self.at)
    }

    /// The open article laid out for the reading pane's current width.
    pub fn page(&self) -> Option<&Page> {
        self.page.as_deref()
    }

    /// How many text lines the reading pane shows.
    pub fn reader_rows(&self) -> usize {
        usize::from(self.reader_geometry().text_column(self.wrap_width).height)
    }

    /// How many headlines the list shows.
    pub fn list_rows(&self) -> usize {
        usize::from(self.list_geometry().list_inner().height)
    }

    /// The first page line on screen.
    pub fn scroll(&self) -> usize {
        match (self.page(), self.current()) {
            (Some(page), Some(visit)) => page.line_of(visit.position).min(self.max_scroll(page)),
            _ => 0,
        }
    }

    fn max_scroll(&self, page: &Page) -> usize {
        page.lines.len().saturating_sub(self.reader_rows())
    }

    /// Geometry as if the reading pane were shown (it is, on wide terminals, or when focused).
    fn reader_geometry(&self) -> Areas {
        Areas::new(self.width, self.height, Focus::Reader)
    }

    fn list_geometry(&self) -> Areas {
        Areas::new(self.width, self.height, Focus::List)
    }

    pub fn update(&mut self, action: Action) -> Option<Effect> {
        if !matches!(action, Action::Resize(..)) {
            self.message = None;
        }
        match action {
            Action::ForceQuit => {
                self.remember_position();
                return Some(Effect::Quit);
            }
            Action::Resize(width, height) => {
                self.width = width;
                self.height = height;
                self.refresh();
                return None;
            }
            _ => {}
        }
        if self.prompt.is_some() {
            return self.update_prompt(action);
        }
        let bookmarking = matches!(
            action,
            Action::ToggleBookmark | Action::EditNote | Action::ShowBookmarks
        );
        if bookmarking && let Some(effect) = self.bookmarking_off(action) {
            return Some(effect);
        }
        if let Some(overlay) = self.overlay {
            return self.update_overlay(overlay, action);
        }
        match action {
            Action::ToggleBookmark => {
                if let Some(article) = self.target() {
                    self.toggle_bookmark(article);
                }
            }
            Action::EditNote => {
                if let Some(article) = self.target() {
                    self.edit_note(article);
                }
            }
            Action::ShowBookmarks => self.show_bookmarks(),
            Action::ToggleRead => {
                if let Some(article) = self.target() {
                    self.toggle_read(article);
                }
            }
            Action::NextUnread => self.next_unread(),
            Action::Undo => self.undo(),
            Action::Search => self.open_search(),
            Action::CycleOrder => self.cycle_order(),
            Action::NextHit => self.step_hit(true),
            Action::PreviousHit => self.step_hit(false),
            Action::Help => self.open_overlay(Overlay::Help),
            Action::ShowProblems => {
                if self.library.diagnostics().is_empty() {
                    self.message = Some("Every file loaded without a problem".into());
                } else {
                    self.open_overlay(Overlay::Problems);
                }
            }
            Action::Back => self.step_history(-1),
            Action::Forward => self.step_history(1),
            Action::NextInThread => self.step_thread(1),
            Action::PreviousInThread => self.step_thread(-1),
            Action::ShowThread => self.show_thread(),
            Action::Wheel { column, row, down } => self.wheel(column, row, down),
            Action::Click { column, row } => self.click(column, row),
            _ => match self.focus {
                Focus::List => return self.update_list(action),
                Focus::Reader => return self.update_reader(action),
            },
        }
        None
    }

    fn update_list(&mut self, action: Action) -> Option<Effect> {
        let rows = self.list_rows().max(1);
        match action {
            Action::ScrollDown | Action::NextArticle => self.select_by(1),
            Action::ScrollUp | Action::PreviousArticle => self.select_by(-1),
            Action::PageDown => self.select_by(rows as isize),
            Action::PageUp => self.select_by(-(rows as isize)),
            Action::Top => self.select(0),
            Action::Bottom => self.select(self.view.len().saturating_sub(1)),
            Action::Open | Action::OpenSelected => self.open_selected(),
            Action::Close if self.search.is_some() => {
                self.clear_search_keeping(None);
                self.message = Some("Search cleared".into());
            }
            Action::Quit => {
                self.remember_position();
                return Some(Effect::Quit);
            }
            Action::NextLink | Action::PreviousLink if self.current().is_some() => {
                // Tab from the list goes to the open article's links, as a browser would.
                self.focus = Focus::Reader;
                self.refresh();
                let forward = action == Action::NextLink;
                self.move_link(forward);
            }
            _ => {}
        }
        None
    }

    fn update_reader(&mut self, action: Action) -> Option<Effect> {
        let rows = self.reader_rows().max(1);
        match action {
            Action::ScrollDown => self.scroll_by(1),
            Action::ScrollUp => self.scroll_by(-1),
            Action::PageDown => self.scroll_by(rows.saturating_sub(1).max(1) as isize),
            Action::PageUp => self.scroll_by(-(rows.saturating_sub(1).max(1) as isize)),
            Action::Top => self.scroll_to(0),
            Action::Bottom => self.scroll_to(usize::MAX),
            Action::Open => self.follow_link(),
            Action::NextLink => self.move_link(true),
            Action::PreviousLink => self.move_link(false),
            Action::NextArticle => self.step_article(1),
            Action::PreviousArticle => self.step_article(-1),
            Action::Close | Action::Quit => {
                self.remember_position();
                self.focus = Focus::List;
                self.refresh();
            }
            _ => {}
        }
        None
    }

    fn update_overlay(&mut self, overlay: Overlay, action: Action) -> Option<Effect> {
        match overlay {
            Overlay::Thread => {
                self.update_thread_view(action);
                return None;
            }
            Overlay::Bookmarks => return self.update_bookmarks_view(action),
            Overlay::Help | Overlay::Problems => {}
        }
        let len = match overlay {
            Overlay::Problems => self.library.diagnostics().len(),
            _ => Action::BINDABLE.len(),
        };
        let rows = usize::from(overlay_rows(self.height, len)).max(1);
        let max = len.saturating_sub(rows);
        self.overlay_scroll = moved(self.overlay_scroll, action, rows, max);
        match action {
            Action::Close | Action::Quit => self.overlay = None,
            Action::Help if overlay == Overlay::Help => self.overlay = None,
            Action::ShowProblems if overlay == Overlay::Problems => self.overlay = None,
            Action::Help => self.open_overlay(Overlay::Help),
            Action::ShowProblems => self.open_overlay(Overlay::Problems),
            _ => {}
        }
        None
    }

    fn open_overlay(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
        self.overlay_scroll = 0;
    }

    // --- story threads ---

    /// The article the story keys are about: the open one, else the selected headline.
    fn story_article(&self) -> Option<usize> {
        self.current()
            .map(|v| v.article)
            .or(self.selected_article())
    }

    /// The open story, or a message saying why there is none yet.
    fn thread(&mut self) -> Option<(usize, Arc<[usize]>)> {
        let article = self.story_article()?;
        if self.relations.is_none() {
            self.message = Some(self.indexing_message());
            return None;
        }
        let thread = self.answer(article).thread.clone();
        if thread.len() < 2 {
            self.message = Some("No other reports of this story".into());
            return None;
        }
        Some((article, thread))
    }

    /// How far building the index has got, in percent, while it is being built.
    pub fn indexing_percent(&self) -> Option<usize> {
        self.indexing
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

    fn step_thread(&mut self, delta: isize) {
        let Some((article, thread)) = self.thread() else {
            return;
        };
        let at = thread.iter().position(|&a| a == article).unwrap_or(0);
        match at.checked_add_signed(delta).and_then(|k| thread.get(k)) {
            Some(&next) => {
                self.visit(next);
                self.message = Some(format!(
                    "Report {} of {} of this story",
                    at.saturating_add_signed(delta) + 1,
                    thread.len()
                ));
            }
            None if delta > 0 => {
                self.message = Some("This is the latest report of this story".into())
            }
            None => self.message = Some("This is the first report of this story".into()),
        }
    }

    fn show_thread(&mut self) {
        let Some((article, thread)) = self.thread() else {
            return;
        };
        self.window_selected = thread.iter().position(|&a| a == article).unwrap_or(0);
        self.open_overlay(Overlay::Thread);
        self.keep_window_selection_in_view(thread.len());
        self.thread_view = thread;
    }

    fn update_thread_view(&mut self, action: Action) {
        let len = self.thread_view.len();
        let rows = usize::from(overlay_rows(self.height, len)).max(1);
        let step = match action {
            Action::NextInThread => Action::ScrollDown,
            Action::PreviousInThread => Action::ScrollUp,
            other => other,
        };
        self.window_selected = moved(self.window_selected, step, rows, len.saturating_sub(1));
        self.keep_window_selection_in_view(len);
        match action {
            Action::Close | Action::Quit | Action::ShowThread => self.overlay = None,
            Action::Open | Action::OpenSelected => {
                self.overlay = None;
                if let Some(&article) = self.thread_view.get(self.window_selected) {
                    self.visit(article);
                }
            }
            Action::Help => self.open_overlay(Overlay::Help),
            _ => {}
        }
    }

    /// Scrolls a window of `len` rows so that its selected row shows.
    fn keep_window_selection_in_view(&mut self, len: usize) {
        let rows = usize::from(overlay_rows(self.height, len)).max(1);
        if self.window_selected < self.overlay_scroll {
            self.overlay_scroll = self.window_selected;
        } else if self.window_selected >= self.overlay_scroll + rows {
            self.overlay_scroll = self.window_selected + 1 - rows;
        }
        self.overlay_scroll = self.overlay_scroll.min(len.saturating_sub(rows));
    }

    // --- the headline list ---

    fn select(&mut self, row: usize) {
        if self.view.is_empty() {
            return;
        }
        self.selected = row.min(self.view.len() - 1);
        self.keep_selection_in_view();
    }

    fn select_by(&mut self, delta: isize) {
        self.select(self.selected.saturating_add_signed(delta));
    }

    fn keep_selection_in_view(&mut self) {
        let rows = self.list_rows().max(1);
        if self.selected < self.list_top {
            self.list_top = self.selected;
        } else if self.selected >= self.list_top + rows {
            self.list_top = self.selected + 1 - rows;
        }
        self.list_top = self.list_top.min(self.view.len().saturating_sub(rows));
    }

    fn open_selected(&mut self) {
        match self.selected_article() {
            Some(article) => self.visit(article),
            None if self.library.is_empty() => {
                self.message = Some("There are no articles to open".into())
            }
            None => self.message = Some("No article matches the search".into()),
        }
    }

    // --- the open article ---

    /// Opens an article as a new step of history (forward history is dropped, as in a browser).
    fn visit(&mut self, article: usize) {
        if self.current().is_some_and(|v| v.article == article) {
            self.focus = Focus::Reader;
            self.refresh();
            return;
        }
        self.remember_position();
        if !self.history.is_empty() {
            self.history.truncate(self.at + 1);
        }
        self.history.push(Visit {
            article,
            position: self.saved_position(article).unwrap_or_default(),
            link: None,
        });
        self.at = self.history.len() - 1;
        self.show_current();
    }

    fn step_history(&mut self, delta: isize) {
        let target = self.at.checked_add_signed(delta);
        match target {
            Some(at) if at < self.history.len() && !self.history.is_empty() => {
                self.remember_position();
                self.at = at;
                self.show_current();
            }
            _ if delta < 0 => self.message = Some("Nothing further back in history".into()),
            _ => self.message = Some("Nothing further forward in history".into()),
        }
    }

    fn show_current(&mut self) {
        if let Some(visit) = self.current() {
            let article = visit.article;
            self.last_hit = None;
            if let Some(row) = self.row_of(article) {
                self.selected = row;
            }
            self.focus = Focus::Reader;
            self.mark_read(article);
            self.refresh();
        }
    }

    /// The next or previous article in list order.
    fn step_article(&mut self, delta: isize) {
        let Some(visit) = self.current() else { return };
        let row = self.row_of(visit.article).unwrap_or(self.selected);
        match row.checked_add_signed(delta).and_then(|r| self.view.get(r)) {
            Some(&next) => self.visit(next),
            _ if delta > 0 => self.message = Some("This is the last article".into()),
            _ => self.message = Some("This is the first article".into()),
        }
    }

    /// Lays out the open article for the current width (from the cache when it can) and keeps
    /// the selection in view. Called when the size, the focus or the article changes.
    fn refresh(&mut self) {
        self.keep_selection_in_view();
        let Some(article) = self.current().map(|v| v.article) else {
            self.page = None;
            return;
        };
        let width = self
            .reader_geometry()
            .text_column(self.wrap_width)
            .width
            .max(1);
        if self.pages.len() >= PAGE_CACHE {
            self.pages.clear();
        }
        if let Some(page) = self.pages.get(&(article, width)) {
            self.page = Some(page.clone());
            return;
        }
        let text = match self.library.text(article) {
            Ok(text) => text,
            Err(why) => {
                let page = Page::unreadable(
                    &self.library,
                    article,
                    &why.message,
                    width,
                    &self.date_format,
                );
                self.page = Some(Rc::new(page));
                return;
            }
        };
        let answer = self.answer(article);
        let page = Rc::new(Page::build(
            &self.library,
            article,
            &text,
            &answer,
            width,
            &self.date_format,
        ));
        if answer.complete {
            self.pages.insert((article, width), page.clone());
        }
        self.page = Some(page);
    }

    fn scroll_to(&mut self, line: usize) {
        let Some(page) = self.page.clone() else {
            return;
        };
        let line = line.min(self.max_scroll(&page));
        if let (Some(visit), Some(l)) = (self.history.get_mut(self.at), page.lines.get(line)) {
            visit.position = l.start;
        }
    }

    fn scroll_by(&mut self, delta: isize) {
        self.scroll_to(self.scroll().saturating_add_signed(delta));
    }

    fn move_link(&mut self, forward: bool) {
        let Some(page) = self.page.clone() else {
            return;
        };
        if page.links.is_empty() {
            self.message = Some("This article links to no other article here".into());
            return;
        }
        let count = page.links.len();
        let scroll = self.scroll();
        let current = self.current().and_then(|v| v.link);
        let next = match (current, forward) {
            (Some(n), true) => (n + 1) % count,
            (Some(n), false) => (n + count - 1) % count,
            (None, true) => page
                .links
                .iter()
                .position(|l| l.lines.0 >= scroll)
                .unwrap_or(0),
            (None, false) => page
                .links
                .iter()
                .rposition(|l| l.lines.1 < scroll + self.reader_rows())
                .unwrap_or(count - 1),
        };
        if let Some(visit) = self.history.get_mut(self.at) {
            visit.link = Some(next);
        }
        // Scroll just enough to show the whole link.
        let (first, last) = page.links[next].lines;
        let rows = self.reader_rows().max(1);
        if first < scroll {
            self.scroll_to(first);
        } else if last >= scroll + rows {
            self.scroll_to((last + 1).saturating_sub(rows));
        }
    }

    fn follow_link(&mut self) {
        let target = self
            .page()
            .zip(self.current().and_then(|v| v.link))
            .and_then(|(page, n)| page.links.get(n))
            .map(|l| l.target);
        match target {
            Some(target) => self.visit(target),
            None => {
                let key = self.keymap.hint(Action::NextLink);
                self.message = Some(format!("{key} moves to the links; Enter follows one"));
            }
        }
    }

    // --- the mouse ---

    fn wheel(&mut self, column: u16, row: u16, down: bool) {
        let areas = self.areas();
        let delta = if down {
            WHEEL_LINES as isize
        } else {
            -(WHEEL_LINES as isize)
        };
        if contains(areas.reader, column, row) && self.page.is_some() {
            self.scroll_by(delta);
        } else if contains(areas.list, column, row) {
            self.select_by(delta);
        }
    }

    fn click(&mut self, column: u16, row: u16) {
        let areas = self.areas();
        let list = areas.list_inner();
        let text = areas.text_column(self.wrap_width);
        if contains(list, column, row) {
            let index = self.list_top + usize::from(row - list.y);
            if let Some(&article) = self.view.get(index) {
                if index == self.selected {
                    self.visit(article);
                } else {
                    self.focus = Focus::List;
                    self.select(index);
                }
            }
        } else if contains(areas.reader, column, row) && self.page.is_some() {
            self.focus = Focus::Reader;
            let line = self.scroll() + usize::from(row.saturating_sub(text.y));
            let link = self.page().and_then(|p| p.link_at_line(line));
            if row >= text.y
                && let Some(n) = link
            {
                if let Some(visit) = self.history.get_mut(self.at) {
                    visit.link = Some(n);
                }
                self.follow_link();
            }
        }
    }

    /// The focused link's lines, for drawing.
    pub fn focused_link(&self) -> Option<usize> {
        self.current().and_then(|v| v.link)
    }

    /// `Top`, `End`, `All` or a percentage: how far through the open article the view is.
    pub fn position_label(&self) -> String {
        let Some(page) = self.page() else {
            return String::new();
        };
        let max = self.max_scroll(page);
        let scroll = self.scroll();
        if max == 0 {
            "All".into()
        } else if scroll == 0 {
            "Top".into()
        } else if scroll >= max {
            "End".into()
        } else {
            format!("{}%", scroll * 100 / max)
        }
    }
}

/// Where a window's cursor (its scroll offset, or its selection) goes for a movement action,
/// `rows` being a screenful and `last` the furthest it may go.
pub(crate) fn moved(at: usize, action: Action, rows: usize, last: usize) -> usize {
    match action {
        Action::ScrollDown => at + 1,
        Action::ScrollUp => at.saturating_sub(1),
        Action::PageDown => at + rows,
        Action::PageUp => at.saturating_sub(rows),
        Action::Top => 0,
        Action::Bottom => last,
        Action::Wheel { down, .. } if down => at + WHEEL_LINES,
        Action::Wheel { .. } => at.saturating_sub(WHEEL_LINES),
        _ => at,
    }
    .min(last)
}

fn contains(area: ratatui::layout::Rect, column: u16, row: u16) -> bool {
    column >= area.x && column < area.right() && row >= area.y && row < area.bottom()
}

/// `London Daily · 2 articles`: the source (or how many sources there are) and the count.
fn list_title(library: &Library) -> String {
    let mut sources: Vec<&str> = library
        .articles()
        .iter()
        .map(|a| a.source)
        .filter(|s| !s.is_empty())
        .collect();
    sources.sort_unstable();
    sources.dedup();
    let source = match sources.as_slice() {
        [] => "broadsheet".to_string(),
        [one] => (*one).to_string(),
        many => format!("{} sources", many.len()),
    };
    let count = library.len();
    let noun = if count == 1 { "article" } else { "articles" };
    format!("{source} · {count} {noun}")
}
