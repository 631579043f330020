//! The reader's state and its one way in: `App::update(Msg) -> Vec<Effect>`. A message is a
//! user action or the result of a job; an effect names a piece of I/O the app wants done (read
//! a page, run a search, index, follow the folder, save, quit). Nothing here touches the
//! terminal, the disk, the clock or a thread: the event loop ([`crate::tui`]) runs effects
//! through [`crate::jobs`] and hands their results back as messages.
//!
//! The state is in owned parts, each in its file with the flows that start there:
//! [`list`] (the headline list, its order and search), [`reader`] (the open article and its
//! history), [`windows`] (help, problems, timeline, bookmarks; the feeds in [`feedlist`]), [`marks`] (bookmarks, read
//! state, positions, undo), [`prompt`] (the status-bar prompt) and [`background`] (indexing
//! and following the folder). [`layout`] says where each pane goes for a size;
//! [`reader_view`] lays an article out; [`message`] defines what goes in and out.

pub mod background;
mod bookmarking;
mod export;
pub mod feedlist;
mod history;
pub mod layout;
pub mod line_edit;
mod links;
pub mod list;
pub mod marks;
pub mod message;
mod mouse;
mod news;
mod order;
pub mod pictures;
mod preview;
pub mod prompt;
pub mod reader;
pub mod reader_view;
pub mod searching;
mod story;
pub mod window_text;
pub mod windows;

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind};

use crate::action::Action;
use crate::config::Config;
use crate::index::Index;
use crate::key::Key;
use crate::library::{Handle, Library};
use crate::related::Relations;
use background::Background;
use layout::{Areas, Focus};
use list::List;
use marks::Marks;
pub use message::{Effect, Msg};
use prompt::Prompt;
use reader::Reader;
use windows::{Overlay, Windows};

/// What an action that could not run yet waits for before it runs again.
/// The articles are held by [`Handle`], so that a change of the folder meanwhile cannot
/// point the action at another article.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Wait {
    /// The bookmark file, read again; the article the action was for, if any.
    Bookmarks(Option<Handle>),
    /// This article's answer.
    Article(Handle),
}

#[derive(Debug)]
pub struct App {
    /// What the reader was started with (keys, theme, widths, the folder).
    settings: Config,
    /// Shared with the jobs that read, index and search it.
    library: Arc<Library>,
    /// The text index, once built: what searches run against.
    index: Option<Arc<Index>>,
    /// The index with every publisher link resolved: related stories and threads.
    relations: Option<Arc<Relations>>,
    width: u16,
    height: u16,
    focus: Focus,
    list: List,
    reader: Reader,
    windows: Windows,
    marks: Marks,
    /// The feeds, which feed each article came from, and what the list is narrowed to.
    feedlist: feedlist::FeedList,
    /// The prompt taking the keyboard, if one is open.
    prompt: Option<Prompt>,
    /// The searches entered (kept between launches), oldest first, for Up and Down in the
    /// search prompt.
    searches: prompt::History,
    /// The last command an article was piped to, offered again by the pipe prompt.
    last_pipe: String,
    /// A one-line note on the status bar, cleared by the next key.
    message: Option<String>,
    /// The headline list's title: the source (or how many sources) and the count. Worked out
    /// once per library, not on every frame.
    list_title: String,
    /// How many sources the library's articles come from.
    sources: usize,
    background: Background,
    /// An action waiting for something to be read first.
    waiting: Option<(Wait, Action)>,
    /// The time bookmarks are stamped with; a plain function so that tests can set the clock.
    clock: fn() -> DateTime<FixedOffset>,
    /// Effects asked for during the update in progress.
    effects: Vec<Effect>,
    /// The shown article's picture.
    pictures: pictures::Pictures,
}

impl App {
    pub fn new(library: impl Into<Arc<Library>>, config: &Config, width: u16, height: u16) -> App {
        let library = library.into();
        let mut app = App {
            settings: config.clone(),
            list: List::new(library.len()),
            list_title: list_title(&library),
            sources: sources(&library).len(),
            library,
            index: None,
            relations: None,
            width,
            height,
            focus: Focus::List,
            reader: Reader::default(),
            windows: Windows::default(),
            marks: Marks::default(),
            feedlist: feedlist::FeedList::default(),
            prompt: None,
            searches: prompt::History::default(),
            last_pipe: String::new(),
            message: None,
            background: Background::default(),
            waiting: None,
            clock: || chrono::Local::now().fixed_offset(),
            effects: Vec::new(),
            pictures: pictures::Pictures::new(
                config.images.mode,
                config.images.shown,
                config.theme.color,
            ),
        };
        // No bookmarks yet, so no headline is folded: [`App::load_saved`] finds them.
        app.marks.locate(&app.library, false);
        app.keep_selection_in_view();
        app
    }

    /// The library holds the pages' headers only and has not folded every headline yet (the
    /// indexing job does it): bookmarks are found by id alone until the index is built.
    pub fn on_headers(mut self) -> App {
        self.background.headers_only = true;
        self
    }

    /// Opens the index saved at `path` (when it serves) instead of building it, and saves
    /// it there when built or brought up to date.
    pub fn saving_index(mut self, path: Option<std::path::PathBuf>) -> App {
        self.background.index_file = path;
        self
    }

    /// The library is the headers cache's, unchecked against the pages (`unchecked`): once
    /// the index is there, the pages are compared with it and what changed is applied as a
    /// change in the folder.
    pub fn unchecked(mut self, unchecked: bool) -> App {
        self.background.unchecked = unchecked;
        self
    }

    /// Stamps bookmarks with this clock's time (tests set it).
    pub fn with_clock(mut self, clock: fn() -> DateTime<FixedOffset>) -> App {
        self.clock = clock;
        self
    }

    /// Takes in a message and returns the I/O it asks for, in order.
    pub fn update(&mut self, msg: impl Into<Msg>) -> Vec<Effect> {
        match msg.into() {
            Msg::Action(action) => self.act(action),
            Msg::Started => self.started(),
            Msg::WatchFailed(why) => {
                self.message = Some(format!("Not following the folder for new articles: {why}"))
            }
            Msg::FolderChanged(batch) => self.folder_news(batch),
            Msg::IndexProgress(done) => self.background.progress(done),
            Msg::Indexed {
                library,
                relations,
                warnings,
            } => self.indexed(library, relations, warnings),
            Msg::IndexFailed(why) => self.index_failed(why),
            Msg::ArticleRead(read) => self.article_read(read),
            Msg::SearchDone { request, hits } => self.search_done(request, hits),
            Msg::FolderLibrary { library, news } => self.folder_library(library, news),
            Msg::FolderDone(indexed) => self.folder_done(indexed),
            Msg::Saved { saved, settled } => self.saved(saved, settled),
            Msg::BookmarksLoaded(bookmarks) => self.bookmarks_loaded(bookmarks),
            Msg::FetchProgress { done, total } => self.fetch_progress(done, total),
            Msg::Fetched(outcomes) => self.fetched(outcomes),
            Msg::FetchDue => self.fetch_due(),
            Msg::Synced(report) => self.synced(report),
            Msg::SyncProgress { done, total } => {
                if self.background.syncing.is_some() {
                    self.background.syncing = Some((done.min(total), total));
                }
            }
            Msg::Exported(outcome) => self.exported(outcome),
            Msg::PictureDrawn { key, drawn } => self.picture_drawn(key, drawn),
            Msg::LinkNotOpened(why) => {
                self.message = Some(format!(
                    "The browser did not start: {}",
                    crate::text::clean_display(&why)
                ))
            }
        }
        self.follow_selection();
        let mut effects = std::mem::take(&mut self.effects);
        let changes = self.marks.take_changes();
        if !changes.is_empty() {
            // Saved before anything else, quitting included.
            effects.insert(0, Effect::Save(changes));
        }
        effects
    }

    /// The article a bookmark or read key is about: the open one when reading, else the
    /// selected headline.
    pub(super) fn target(&self) -> Option<usize> {
        match self.current() {
            Some(visit) if self.focus == Focus::Reader => Some(visit.article),
            _ => self.list.selected_article(),
        }
    }

    fn emit(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    fn quit(&mut self) {
        self.remember_position();
        self.remember_list_place();
        self.remember_searches();
        self.emit(Effect::Quit);
    }

    /// What a user action does.
    /// Long: one short arm for each action, in one match so that none is missed.
    fn act(&mut self, action: Action) {
        if !matches!(action, Action::Resize(..)) {
            self.message = None;
        }
        match action {
            Action::ForceQuit => return self.quit(),
            Action::Resize(width, height) => {
                self.width = width;
                self.height = height;
                return self.refresh();
            }
            // While the screen cannot show the reader, only quitting does anything: a key
            // must not change what cannot be seen.
            _ if self.areas().too_small => {
                if action == Action::Quit {
                    self.quit();
                }
                return;
            }
            Action::Input(key) => return self.prompt_key(key),
            Action::Escaped(key) => {
                let esc = Key::new(KeyCode::Esc, KeyModifiers::NONE);
                if let Some(action) = self.key_action(esc) {
                    self.act(action);
                }
                if let Some(action) = self.key_action(key) {
                    self.act(action);
                }
                return;
            }
            _ => {}
        }
        if self.prompt.is_some() {
            return;
        }
        let bookmarking = matches!(
            action,
            Action::ToggleBookmark | Action::EditNote | Action::ShowBookmarks
        );
        if bookmarking && self.bookmarking_waits(action) {
            return;
        }
        if let Some(overlay) = self.windows.open() {
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
            Action::ShowFeeds => self.show_feeds(),
            Action::ToggleRead => {
                if let Some(article) = self.target() {
                    self.toggle_read(article);
                }
            }
            Action::MarkAllRead => {
                let listed = self.list.articles().to_vec();
                self.mark_all_of(&listed);
            }
            Action::NextUnread => self.next_unread(),
            Action::Undo => self.undo(),
            Action::Search => self.open_search(),
            Action::CycleOrder => self.cycle_order(),
            Action::TogglePictures => self.toggle_pictures(),
            Action::NextHit => self.step_hit(true),
            Action::PreviousHit => self.step_hit(false),
            Action::Help => self.windows.show(Overlay::Help),
            Action::ShowProblems => self.show_problems(),
            Action::OpenLink => self.open_link(),
            Action::CopyLink => self.copy_link(),
            Action::FetchFeeds => self.fetch_feeds(),
            Action::SavedSearch(n) => self.run_saved_search(n),
            Action::PipeTo => self.open_pipe_prompt(),
            Action::SaveArticle => self.open_save_prompt(),
            Action::Back => self.step_history(-1),
            Action::Forward => self.step_history(1),
            Action::NextInThread => self.step_thread(1),
            Action::PreviousInThread => self.step_thread(-1),
            Action::ShowThread => self.show_thread(),
            Action::Wheel { column, row, down } => self.wheel(column, row, down),
            Action::Click { column, row } => self.click(column, row),
            _ => match self.focus {
                Focus::List => self.update_list(action),
                Focus::Reader => self.update_reader(action),
            },
        }
    }

    /// The action a terminal event asks for: key presses through the keymap (releases and
    /// repeats are ignored; an open prompt takes every key as text but the force-quit keys),
    /// resizes, and the wheel
    /// and left clicks when the mouse is on.
    /// The action a key runs now: in a prompt, the key typed into it (but the force-quit
    /// keys quit from a prompt too, what is saved being saved first); else its binding.
    fn key_action(&self, key: Key) -> Option<Action> {
        match self.settings.keymap.action(key) {
            Some(Action::ForceQuit) => Some(Action::ForceQuit),
            _ if self.prompt.is_some() => Some(Action::Input(key)),
            bound => bound,
        }
    }

    pub fn to_action(&self, event: Event) -> Option<Action> {
        match event {
            Event::Key(key) if key.kind == KeyEventKind::Press => {
                let key = Key::from_event(&key);
                let escaped = key.modifiers.contains(KeyModifiers::ALT)
                    && !key.modifiers.contains(KeyModifiers::CONTROL)
                    && self.settings.keymap.action(key).is_none()
                    && !(self.prompt.is_some() && line_edit::takes_alt(key.code));
                if escaped {
                    let plain = key.modifiers - KeyModifiers::ALT;
                    return Some(Action::Escaped(Key::new(key.code, plain)));
                }
                self.key_action(key)
            }
            Event::Resize(width, height) => Some(Action::Resize(width, height)),
            Event::Mouse(mouse) if self.settings.mouse => {
                let (column, row) = (mouse.column, mouse.row);
                match mouse.kind {
                    MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => Some(Action::Wheel {
                        column,
                        row,
                        down: mouse.kind == MouseEventKind::ScrollDown,
                    }),
                    MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    // --- what the panes and windows draw from ---

    /// What the reader was started with.
    pub fn settings(&self) -> &Config {
        &self.settings
    }

    pub fn library(&self) -> &Arc<Library> {
        &self.library
    }

    /// The index and resolved links, once built.
    pub fn relations(&self) -> Option<&Arc<Relations>> {
        self.relations.as_ref()
    }

    pub fn list(&self) -> &List {
        &self.list
    }

    pub fn reader(&self) -> &Reader {
        &self.reader
    }

    pub fn windows(&self) -> &Windows {
        &self.windows
    }

    pub fn marks(&self) -> &Marks {
        &self.marks
    }

    pub fn pictures(&self) -> &pictures::Pictures {
        &self.pictures
    }

    pub fn prompt(&self) -> Option<&Prompt> {
        self.prompt.as_ref()
    }

    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    /// The terminal's size as last told.
    pub fn size(&self) -> (u16, u16) {
        (self.width, self.height)
    }

    pub fn list_title(&self) -> &str {
        &self.list_title
    }

    /// How many sources the articles come from (the list names each row's when several).
    pub fn source_count(&self) -> usize {
        self.sources
    }

    pub fn background(&self) -> &Background {
        &self.background
    }

    /// Where the panes go at the size the last resize gave: what keys page and clamp by.
    pub fn areas(&self) -> Areas {
        self.areas_at(self.width, self.height)
    }

    /// Where the panes go on a screen of this size: drawing asks with the frame's own size,
    /// which may differ from the last resize's when the terminal changes while it draws.
    pub fn areas_at(&self, width: u16, height: u16) -> Areas {
        Areas::new(width, height, self.focus, self.settings.list_width)
    }

    fn list_geometry(&self) -> Areas {
        Areas::new(
            self.width,
            self.height,
            Focus::List,
            self.settings.list_width,
        )
    }

    /// Where the open article stands in its story, once known (see [`Reader::story_position`]).
    pub fn story_position(&self) -> Option<(usize, usize)> {
        self.reader.story_position()
    }

    /// What is wrong with saving, to keep on the status bar until it is put right.
    pub fn alert(&self) -> Option<&str> {
        self.marks.alert()
    }
}

/// Every source's name, once, sorted.
fn sources(library: &Library) -> Vec<&str> {
    let mut sources: Vec<&str> = library
        .articles()
        .iter()
        .map(|a| a.source)
        .filter(|s| !s.is_empty())
        .collect();
    sources.sort_unstable();
    sources.dedup();
    sources
}

/// `London Daily · 2 articles`: the source (or how many sources there are) and the count.
fn list_title(library: &Library) -> String {
    let sources = sources(library);
    let source = match sources.as_slice() {
        [] => "broadsheet".to_string(),
        [one] => (*one).to_string(),
        many => format!("{} sources", many.len()),
    };
    let count = library.len();
    let noun = if count == 1 { "article" } else { "articles" };
    format!("{source} · {count} {noun}")
}
