//! Bookmarks, read state and reading positions in the reader: taking in the saved files and
//! the saver's results, toggling, the bookmarks window, the note prompt, next unread, undo,
//! and the changes handed to the event loop to save.

use crate::action::Action;
use crate::app::layout::{Focus, overlay_rows};
use crate::app::line_edit::{Edit, LineEdit};
use crate::app::{App, Effect, Overlay, Prompt, Purpose, UNDO_DEPTH, moved};
use crate::article::TextPosition;
use crate::bookmarks::file::StoreError;
use crate::bookmarks::saver::Saved;
use crate::bookmarks::{Bookmark, Bookmarks, Change, File, ReadingState};

impl App {
    /// Takes in the saved bookmarks and reading state. A file that does not parse turns its
    /// feature off (bookmarking) or keeps it in memory only (read state), and says so.
    pub fn load_saved(
        &mut self,
        bookmarks: Result<Bookmarks, StoreError>,
        state: Result<ReadingState, StoreError>,
    ) {
        self.bookmarks_loaded_quietly(bookmarks);
        match state {
            Ok(state) => {
                self.state = state;
                self.state_broken = None;
            }
            Err(e) => {
                self.state = ReadingState::default();
                self.state_broken = Some(format!("Read state is not saved: {}", e.brief()));
            }
        }
        self.index_read();
    }

    /// The bookmark file, read again after bookmarking was off; a waiting action runs if it
    /// is fixed.
    pub fn bookmarks_loaded(&mut self, bookmarks: Result<Bookmarks, StoreError>) -> Option<Effect> {
        // Asked for, so the whole story: the full path and what to do.
        let why = bookmarks
            .as_ref()
            .err()
            .map(|e| format!("Bookmarking is off: {e}"));
        self.bookmarks_loaded_quietly(bookmarks);
        let retry = self.retry.take();
        match (why, retry) {
            (None, Some(action)) => self.update(action),
            (Some(why), _) => {
                self.message = Some(why);
                None
            }
            (None, None) => None,
        }
    }

    fn bookmarks_loaded_quietly(&mut self, bookmarks: Result<Bookmarks, StoreError>) {
        match bookmarks {
            Ok(bookmarks) => {
                self.bookmarks = bookmarks;
                self.bookmarks_broken = None;
            }
            Err(e) => {
                self.bookmarks = Bookmarks::default();
                self.bookmarks_broken = Some(format!("Bookmarking is off: {}", e.brief()));
            }
        }
        self.index_bookmarks();
    }

    /// A save finished. `settled`: no other save is on its way, so the bookmark file as saved
    /// (with what other processes wrote) is what this reader should show.
    pub fn saved(&mut self, saved: Saved, settled: bool) {
        match saved {
            Saved::Bookmarks(file) => {
                self.clear_save_failure(File::Bookmarks);
                if settled {
                    self.bookmarks = file;
                    self.index_bookmarks();
                    self.window_selected = self
                        .window_selected
                        .min(self.bookmarks.list.len().saturating_sub(1));
                }
            }
            Saved::State => self.clear_save_failure(File::State),
            Saved::Failed(file, why) => {
                self.save_failed = Some((file, format!("Not saved yet (will retry): {why}")));
            }
        }
    }

    fn clear_save_failure(&mut self, file: File) {
        if self.save_failed.as_ref().is_some_and(|(f, _)| *f == file) {
            self.save_failed = None;
        }
    }

    /// What is wrong with saving, to keep on the status bar until it is put right.
    pub fn alert(&self) -> Option<&str> {
        self.save_failed
            .as_ref()
            .map(|(_, why)| why.as_str())
            .or(self.bookmarks_broken.as_deref())
            .or(self.state_broken.as_deref())
    }

    /// The changes made since the last call, for the event loop to save.
    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    pub fn is_bookmarked(&self, article: usize) -> bool {
        self.marks.contains_key(&article)
    }

    pub fn is_read(&self, article: usize) -> bool {
        self.read.get(article).copied().unwrap_or(false)
    }

    pub fn unread_count(&self) -> usize {
        self.read.iter().filter(|&&r| !r).count()
    }

    /// Where the reader last stopped in an article.
    pub(super) fn saved_position(&self, article: usize) -> Option<TextPosition> {
        let id = self.library.head(article)?.id;
        self.state.positions.get(id).copied()
    }

    /// Finds each bookmark's article. Before the first screen (on the headers) only by id:
    /// finding a missing one by its headline means folding every headline, which waits for
    /// the indexing thread ([`App::relations_ready`] does it again).
    pub(super) fn index_bookmarks(&mut self) {
        let by_id_only = self.headers_only;
        self.marks = self
            .bookmarks
            .list
            .iter()
            .filter_map(|b| {
                let found = if by_id_only {
                    self.library.index_of(&b.id)
                } else {
                    b.locate(&self.library)
                };
                Some((found?, b.id.clone()))
            })
            .collect();
    }

    pub(super) fn index_read(&mut self) {
        self.read = vec![false; self.library.len()];
        for id in &self.state.read {
            if let Some(i) = self.library.index_of(id) {
                self.read[i] = true;
            }
        }
    }

    /// Makes a change here and queues it to be saved; `undo_as` names an undoable change.
    pub(super) fn change(&mut self, change: Change, undo_as: Option<&'static str>) {
        if let Some(name) = undo_as
            && let Some(inverse) = self.inverse(&change)
        {
            if self.undo.len() >= UNDO_DEPTH {
                self.undo.remove(0);
            }
            self.undo.push((inverse, name));
        }
        change.apply_to_bookmarks(&mut self.bookmarks);
        change.apply_to_state(&mut self.state);
        match &change {
            Change::Bookmark(_) | Change::Unbookmark(_) => self.index_bookmarks(),
            Change::Read { id, read } => {
                if let Some(i) = self.library.index_of(id) {
                    self.read[i] = *read;
                }
            }
            Change::Note { .. } | Change::Position { .. } => {}
        }
        let kept_in_memory = change.file() == File::State && self.state_broken.is_some();
        if !kept_in_memory {
            self.changes.push(change);
        }
    }

    /// The change that undoes `change`, as things stand now; `None` if it changes nothing.
    fn inverse(&self, change: &Change) -> Option<Change> {
        let existing = |id: &str| self.bookmarks.list.iter().find(|b| b.id == id);
        match change {
            Change::Bookmark(b) => Some(match existing(&b.id) {
                Some(old) => Change::Note {
                    id: old.id.clone(),
                    note: old.note.clone(),
                },
                None => Change::Unbookmark(b.id.clone()),
            }),
            Change::Unbookmark(id) => existing(id).cloned().map(Change::Bookmark),
            Change::Note { id, .. } => existing(id).map(|old| Change::Note {
                id: id.clone(),
                note: old.note.clone(),
            }),
            Change::Read { id, read } => {
                (self.state.read.contains(id) != *read).then(|| Change::Read {
                    id: id.clone(),
                    read: !read,
                })
            }
            Change::Position { .. } => None,
        }
    }

    /// The article a bookmark or read key is about: the open one when reading, else the
    /// selected headline.
    pub(super) fn target(&self) -> Option<usize> {
        match self.current() {
            Some(visit) if self.focus == Focus::Reader => Some(visit.article),
            _ => self.selected_article(),
        }
    }

    /// Bookmarking needs a bookmark file that parses: if it did not, read it again first.
    pub(super) fn bookmarking_off(&mut self, action: Action) -> Option<Effect> {
        self.bookmarks_broken.is_some().then(|| {
            self.retry = Some(action);
            Effect::LoadBookmarks
        })
    }

    pub(super) fn toggle_bookmark(&mut self, article: usize) {
        let Some(a) = self.library.articles().get(article) else {
            return;
        };
        match self.marks.get(&article).cloned() {
            Some(id) => {
                self.change(Change::Unbookmark(id), Some("Removed bookmark"));
                self.message = Some("Removed bookmark".into());
            }
            None => {
                let bookmark = Bookmark::new(a, (self.clock)());
                self.change(Change::Bookmark(bookmark), Some("Bookmarked"));
                self.message = Some("Bookmarked".into());
            }
        }
    }

    pub(super) fn toggle_read(&mut self, article: usize) {
        let Some(id) = self.library.head(article).map(|a| a.id.to_string()) else {
            return;
        };
        let read = !self.is_read(article);
        let said = if read { "Marked read" } else { "Marked unread" };
        self.change(Change::Read { id, read }, Some(said));
        self.message = Some(said.into());
    }

    pub(super) fn mark_read(&mut self, article: usize) {
        if !self.is_read(article)
            && let Some(a) = self.library.articles().get(article)
        {
            let id = a.id.to_string();
            self.change(Change::Read { id, read: true }, None);
        }
    }

    /// Remembers where the reader is in the open article, to come back to it.
    pub(super) fn remember_position(&mut self) {
        let Some(visit) = self.current() else { return };
        let Some(id) = self.library.head(visit.article).map(|a| a.id) else {
            return;
        };
        let position = (visit.position != TextPosition::default()).then_some(visit.position);
        if self.state.positions.get(id).copied() != position {
            let id = id.to_string();
            self.change(Change::Position { id, position }, None);
        }
    }

    pub(super) fn undo(&mut self) {
        match self.undo.pop() {
            Some((change, name)) => {
                self.change(change, None);
                self.message = Some(format!("Undone: {name}"));
            }
            None => self.message = Some("Nothing to undo".into()),
        }
    }

    /// The next unread article in list order, wrapping round.
    pub(super) fn next_unread(&mut self) {
        let len = self.view.len();
        let from = self
            .target()
            .and_then(|a| self.row_of(a))
            .unwrap_or(self.selected);
        let next = (1..=len)
            .map(|k| (from + k) % len.max(1))
            .find(|&row| !self.is_read(self.view[row]));
        match next {
            None => self.message = Some("No unread articles".into()),
            Some(row) => {
                if row <= from {
                    self.message = Some("Wrapped to the first unread article".into());
                }
                if self.focus == Focus::Reader {
                    self.visit(self.view[row]);
                } else {
                    self.select(row);
                }
            }
        }
    }

    pub(super) fn edit_note(&mut self, article: usize) {
        let Some(a) = self.library.articles().get(article) else {
            return;
        };
        let id = self
            .marks
            .get(&article)
            .cloned()
            .unwrap_or_else(|| a.id.to_string());
        self.open_note_prompt(id, Some(article));
    }

    fn open_note_prompt(&mut self, id: String, article: Option<usize>) {
        let note = self
            .bookmarks
            .list
            .iter()
            .find(|b| b.id == id)
            .map_or("", |b| b.note.as_str());
        self.prompt = Some(Prompt {
            edit: LineEdit::new(note),
            purpose: Purpose::Note { id, article },
        });
    }

    pub(super) fn update_prompt(&mut self, action: Action) -> Option<Effect> {
        let Action::Input(key) = action else {
            return None;
        };
        let prompt = self.prompt.as_mut()?;
        let edit = prompt.edit.key(key);
        if matches!(prompt.purpose, Purpose::Search(_)) {
            self.search_key(edit);
            return None;
        }
        match edit {
            Edit::Editing => {}
            Edit::Cancel => self.prompt = None,
            Edit::Accept => {
                let Prompt { purpose, edit } = self.prompt.take()?;
                let note = edit.text().trim().to_string();
                let Purpose::Note { id, article } = purpose else {
                    return None;
                };
                if self.bookmarks.contains(&id) {
                    self.change(Change::Note { id, note }, Some("Note saved"));
                    self.message = Some("Note saved".into());
                } else if let Some(a) = article.and_then(|i| self.library.articles().get(i)) {
                    let bookmark = Bookmark {
                        note,
                        ..Bookmark::new(a, (self.clock)())
                    };
                    self.change(Change::Bookmark(bookmark), Some("Bookmarked"));
                    self.message = Some("Bookmarked".into());
                } else {
                    self.message = Some("That bookmark is gone; the note was not kept".into());
                }
            }
        }
        None
    }

    /// The bookmarks as the view lists them: newest first, each with its article if the
    /// folder holds it.
    pub fn bookmark_rows(&self) -> Vec<(&Bookmark, Option<usize>)> {
        self.bookmarks
            .newest_first()
            .into_iter()
            .map(|b| (b, b.locate(&self.library)))
            .collect()
    }

    pub(super) fn show_bookmarks(&mut self) {
        if self.bookmarks.list.is_empty() {
            let key = self.keymap.hint(Action::ToggleBookmark);
            self.message = Some(format!("No bookmarks yet: {key} bookmarks an article"));
            return;
        }
        self.open_overlay(Overlay::Bookmarks);
        let open = self.target();
        self.window_selected = self
            .bookmark_rows()
            .iter()
            .position(|(_, at)| at.is_some() && *at == open)
            .unwrap_or(0);
        self.keep_window_selection_in_view(self.bookmarks.list.len());
    }

    pub(super) fn update_bookmarks_view(&mut self, action: Action) -> Option<Effect> {
        let len = self.bookmarks.list.len();
        let rows = usize::from(overlay_rows(self.height, len)).max(1);
        self.window_selected = moved(self.window_selected, action, rows, len.saturating_sub(1));
        self.keep_window_selection_in_view(len);
        let selected = self
            .bookmark_rows()
            .get(self.window_selected)
            .map(|(b, at)| ((*b).clone(), *at));
        match action {
            Action::Close | Action::Quit | Action::ShowBookmarks => self.overlay = None,
            Action::Help => self.open_overlay(Overlay::Help),
            Action::Undo => self.undo(),
            Action::Open | Action::OpenSelected => match selected {
                Some((_, Some(article))) => {
                    self.overlay = None;
                    self.visit(article);
                }
                Some((b, None)) => {
                    self.message = Some(format!(
                        "Not in the folder any more: {}",
                        crate::text::clean_display(&b.headline)
                    ))
                }
                None => {}
            },
            Action::ToggleBookmark => {
                if let Some((b, _)) = selected {
                    self.change(Change::Unbookmark(b.id), Some("Removed bookmark"));
                    self.message = Some("Removed bookmark".into());
                }
            }
            Action::EditNote => {
                if let Some((b, at)) = selected {
                    self.open_note_prompt(b.id, at);
                }
            }
            _ => {}
        }
        let len = self.bookmarks.list.len();
        if len == 0 && self.overlay == Some(Overlay::Bookmarks) {
            self.overlay = None;
        }
        self.window_selected = self.window_selected.min(len.saturating_sub(1));
        self.keep_window_selection_in_view(len);
        None
    }
}
