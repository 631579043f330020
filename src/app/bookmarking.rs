//! The reader's bookmark and read actions on the app: the saved marks taken in, a bookmark
//! toggled or given a note, read marks toggled, undone, and what waits for a bookmark file
//! that did not parse (read again, then the action runs on the article it was meant for).

use crate::app::message::Effect;
use crate::app::{App, Wait};
use crate::article::TextPosition;
use crate::bookmarks::saver::Saved;
use crate::bookmarks::{Bookmark, Bookmarks, Change, ReadingState};
use crate::durable::StoreError;
use crate::library::Handle;

impl App {
    /// Takes in the saved bookmarks and reading state (see [`Marks::load`]).
    pub fn load_saved(
        &mut self,
        bookmarks: Result<Bookmarks, StoreError>,
        state: Result<ReadingState, StoreError>,
    ) {
        self.marks.load(bookmarks, state);
        self.marks
            .locate(&self.library, self.background.headers_only);
        self.restore_list_place();
        self.restore_searches();
    }

    /// The bookmark file, read again after bookmarking was off; a waiting action runs if it
    /// is fixed.
    pub(super) fn bookmarks_loaded(&mut self, bookmarks: Result<Bookmarks, StoreError>) {
        // Asked for, so the whole story: the full path and what to do.
        let why = bookmarks
            .as_ref()
            .err()
            .map(|e| format!("Bookmarking is off: {e}"));
        self.marks.take_bookmarks(bookmarks);
        self.marks
            .locate(&self.library, self.background.headers_only);
        // Only an action that waited for the bookmarks runs now, and on the article it was
        // meant for, wherever a change of the folder has put it since.
        let retry = match self.waiting.take() {
            Some((Wait::Bookmarks(meant), action)) => Some((meant, action)),
            other => {
                self.waiting = other;
                None
            }
        };
        match (why, retry) {
            (Some(why), _) => self.message = Some(why),
            (None, Some((meant, action))) => self.retry_bookmarking(meant, action),
            (None, None) => {}
        }
    }

    /// Runs a bookmark action that waited: on its article (found by its handle) unless a
    /// window took over meanwhile; says so when the article has left the folder.
    fn retry_bookmarking(&mut self, meant: Option<Handle>, action: crate::action::Action) {
        use crate::action::Action;
        let Some(meant) = meant else {
            return self.act(action);
        };
        let Some(article) = self.library.find(&meant) else {
            self.message = Some("That article has left the folder: nothing was bookmarked".into());
            return;
        };
        match action {
            _ if self.windows.open().is_some() => self.act(action),
            Action::ToggleBookmark => self.toggle_bookmark(article),
            Action::EditNote => self.edit_note(article),
            other => self.act(other),
        }
    }

    pub(super) fn saved(&mut self, saved: Saved, settled: bool) {
        self.marks.saved(saved, settled, &self.library);
        let len = self.marks.bookmarks().list.len();
        self.windows.clamp_selection(len);
    }

    /// Makes a change and queues it to be saved.
    pub(super) fn change(&mut self, change: Change, undo_as: Option<&'static str>) {
        self.marks.change(&self.library, change, undo_as);
    }

    /// Bookmarking needs a bookmark file that parses: if it did not, it is read again first
    /// and the action waits for it. `true` when the action must wait.
    pub(super) fn bookmarking_waits(&mut self, action: crate::action::Action) -> bool {
        if !self.marks.bookmarking_off() {
            return false;
        }
        let meant = self.target().and_then(|a| self.library.handle(a));
        self.waiting = Some((Wait::Bookmarks(meant), action));
        self.emit(Effect::LoadBookmarks);
        true
    }

    pub(super) fn toggle_bookmark(&mut self, article: usize) {
        let Some(a) = self.library.articles().get(article) else {
            return;
        };
        match self.marks.bookmark_of(article).map(str::to_string) {
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
        let read = !self.marks.is_read(article);
        let said = if read { "Marked read" } else { "Marked unread" };
        self.change(Change::Read { id, read }, Some(said));
        self.message = Some(said.into());
    }

    pub(super) fn mark_read(&mut self, article: usize) {
        if !self.marks.is_read(article)
            && let Some(a) = self.library.articles().get(article)
        {
            let id = a.id.to_string();
            self.change(Change::Read { id, read: true }, None);
        }
    }

    /// Marks these articles read (`A`: every one the list shows), saying how many were not
    /// yet.
    pub(super) fn mark_all_of(&mut self, articles: &[usize]) {
        let listed: Vec<usize> = (articles.iter().copied())
            .filter(|&i| !self.marks.is_read(i))
            .collect();
        let changes: Vec<Change> = (listed.iter())
            .filter_map(|&i| self.library.head(i).map(|h| h.id.to_string()))
            .map(|id| Change::Read { id, read: true })
            .collect();
        self.marks
            .change_all(&self.library, changes, "marking every listed article read");
        self.message = Some(match listed.len() {
            0 => "Every listed article is read already".into(),
            1 => "Marked 1 article read".into(),
            n => format!("Marked {n} articles read"),
        });
    }

    /// Remembers where the reader is in the open article, to come back to it.
    pub(super) fn remember_position(&mut self) {
        let Some(visit) = self.current() else { return };
        let Some(id) = self.library.head(visit.article).map(|a| a.id) else {
            return;
        };
        let position = (visit.position != TextPosition::default()).then_some(visit.position);
        if self.marks.position(id) != position {
            let id = id.to_string();
            self.change(Change::Position { id, position }, None);
        }
    }

    pub(super) fn undo(&mut self) {
        self.message = Some(match self.marks.undo(&self.library) {
            Some(name) => format!("Undone: {name}"),
            None => "Nothing to undo".into(),
        });
    }

    pub(super) fn edit_note(&mut self, article: usize) {
        let Some(a) = self.library.articles().get(article) else {
            return;
        };
        let id = self
            .marks
            .bookmark_of(article)
            .map_or_else(|| a.id.to_string(), str::to_string);
        self.open_note_prompt(id, Some(article));
    }

    /// The note prompt was accepted: the note goes on the bookmark (made now if need be).
    pub(super) fn note_accepted(&mut self, id: String, article: Option<Handle>, note: String) {
        if self.marks.bookmarks().contains(&id) {
            self.change(Change::Note { id, note }, Some("Note saved"));
            self.message = Some("Note saved".into());
        } else if let Some(a) = (article.and_then(|h| self.library.find(&h)))
            .and_then(|i| self.library.articles().get(i))
        {
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
