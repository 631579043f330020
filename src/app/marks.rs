//! Bookmarks, read state and reading positions in the reader: the saved files taken in, which
//! articles they mark, each change made here and queued to be saved, undo, and what the saver
//! reports. The actions that change them (toggle, note, undo) are in `bookmarking.rs`.

use std::collections::HashMap;

use crate::article::TextPosition;
use crate::bookmarks::saver::Saved;
use crate::bookmarks::{Bookmark, Bookmarks, Change, File, ReadingState};
use crate::durable::StoreError;
use crate::library::Library;

/// Bookmark and read-state changes that can be undone.
pub const UNDO_DEPTH: usize = 100;

/// The reader's bookmarks and reading state, and where they stand with their files.
#[derive(Debug, Default)]
pub struct Marks {
    /// The bookmarks as this reader knows them (its own changes, and the file as last saved).
    bookmarks: Bookmarks,
    /// Why bookmarking is off: the bookmark file does not parse.
    bookmarks_broken: Option<String>,
    /// Why read state and positions are kept in memory only: the state file does not parse.
    state_broken: Option<String>,
    /// The last save that failed, until that file saves again.
    save_failed: Option<(File, String)>,
    state: ReadingState,
    /// Each bookmarked article's bookmark id.
    marked: HashMap<usize, String>,
    /// Whether each article has been read, by position in the library.
    read: Vec<bool>,
    /// Changes not yet handed out to save.
    changes: Vec<Change>,
    /// What undoes each recent step (one change, or many made by one key), and what that
    /// step was called.
    undo: Vec<(Vec<Change>, &'static str)>,
    /// Bookmarks whose id is gone are not looked for by headline (see [`Marks::locate`]).
    by_id_only: bool,
}

impl Marks {
    /// Takes in the saved bookmarks and reading state. A file that does not parse turns its
    /// feature off (bookmarking) or keeps it in memory only (read state), and says so.
    pub fn load(
        &mut self,
        bookmarks: Result<Bookmarks, StoreError>,
        state: Result<ReadingState, StoreError>,
    ) {
        self.take_bookmarks(bookmarks);
        (self.state, self.state_broken) = taken(state, "Read state is not saved");
    }

    /// Takes in the bookmark file as read; a broken one turns bookmarking off.
    pub fn take_bookmarks(&mut self, bookmarks: Result<Bookmarks, StoreError>) {
        (self.bookmarks, self.bookmarks_broken) = taken(bookmarks, "Bookmarking is off");
    }

    /// Finds each bookmark's and each read article's place in `library`. `by_id_only`: a
    /// bookmark whose id is gone is not looked for by its headline (that folds every headline,
    /// which waits for the indexing thread).
    pub fn locate(&mut self, library: &Library, by_id_only: bool) {
        self.by_id_only = by_id_only;
        self.locate_bookmarks(library);
        self.read = vec![false; library.len()];
        for id in &self.state.read {
            if let Some(i) = library.index_of(id) {
                self.read[i] = true;
            }
        }
    }

    fn locate_bookmarks(&mut self, library: &Library) {
        let by_id_only = self.by_id_only;
        self.marked = self
            .bookmarks
            .list
            .iter()
            .filter_map(|b| {
                let found = if by_id_only {
                    library.index_of(&b.id)
                } else {
                    b.locate(library)
                };
                Some((found?, b.id.clone()))
            })
            .collect();
    }

    pub fn bookmarks(&self) -> &Bookmarks {
        &self.bookmarks
    }

    /// Bookmarking is off because the bookmark file does not parse.
    pub fn bookmarking_off(&self) -> bool {
        self.bookmarks_broken.is_some()
    }

    pub fn is_bookmarked(&self, article: usize) -> bool {
        self.marked.contains_key(&article)
    }

    /// The id of the bookmark that marks `article`.
    pub fn bookmark_of(&self, article: usize) -> Option<&str> {
        self.marked.get(&article).map(String::as_str)
    }

    pub fn is_read(&self, article: usize) -> bool {
        self.read.get(article).copied().unwrap_or(false)
    }

    pub fn unread_count(&self) -> usize {
        self.read.iter().filter(|&&r| !r).count()
    }

    /// Where the reader last stopped in the article with this id.
    pub fn position(&self, id: &str) -> Option<TextPosition> {
        self.state.positions.get(id).copied()
    }

    /// The searches entered in the reader as last saved, oldest first.
    pub fn searches(&self) -> &[String] {
        &self.state.searches
    }

    /// The list's order and selected headline as last saved: names, as the file keeps them.
    pub fn list_place(&self) -> (Option<&str>, Option<&str>) {
        (self.state.order.as_deref(), self.state.selected.as_deref())
    }

    /// The bookmarks as the window lists them: newest first, each with its article if the
    /// folder holds it.
    pub fn rows<'a>(&'a self, library: &Library) -> Vec<(&'a Bookmark, Option<usize>)> {
        self.bookmarks
            .newest_first()
            .into_iter()
            .map(|b| (b, b.locate(library)))
            .collect()
    }

    /// Makes a change here and queues it to be saved; `undo_as` names an undoable change.
    pub fn change(&mut self, library: &Library, change: Change, undo_as: Option<&'static str>) {
        match undo_as {
            Some(name) => self.change_all(library, vec![change], name),
            None => self.apply(library, change),
        }
    }

    /// Makes `changes` as one step, undone at once (`A` marking every listed article read).
    pub fn change_all(&mut self, library: &Library, changes: Vec<Change>, name: &'static str) {
        let mut inverses: Vec<Change> = changes.iter().filter_map(|c| self.inverse(c)).collect();
        // Undone last change first.
        inverses.reverse();
        if !inverses.is_empty() {
            if self.undo.len() >= UNDO_DEPTH {
                self.undo.remove(0);
            }
            self.undo.push((inverses, name));
        }
        for change in changes {
            self.apply(library, change);
        }
    }

    fn apply(&mut self, library: &Library, change: Change) {
        change.apply_to_bookmarks(&mut self.bookmarks);
        change.apply_to_state(&mut self.state);
        match &change {
            Change::Bookmark(_) | Change::Unbookmark(_) => self.locate_bookmarks(library),
            Change::Read { id, read } => {
                if let Some(slot) = library.index_of(id).and_then(|i| self.read.get_mut(i)) {
                    *slot = *read;
                }
            }
            // Notes, positions and what the list keeps are looked up when needed.
            _ => {}
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
            Change::Position { .. } | Change::List { .. } | Change::Searches(_) => None,
        }
    }

    /// Takes back the last undoable change; its name, or `None` when there is none.
    pub fn undo(&mut self, library: &Library) -> Option<&'static str> {
        let (changes, name) = self.undo.pop()?;
        for change in changes {
            self.apply(library, change);
        }
        Some(name)
    }

    /// The changes made since the last call, to save.
    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    /// A save finished. `settled`: no other save is on its way, so the bookmark file as saved
    /// (with what other processes wrote) is what this reader should show.
    pub fn saved(&mut self, saved: Saved, settled: bool, library: &Library) {
        match saved {
            Saved::Bookmarks(file) => {
                self.clear_save_failure(File::Bookmarks);
                if settled {
                    self.bookmarks = file;
                    self.locate_bookmarks(library);
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
}

/// A file's contents as read, or an empty start and why (`what` says what follows from it).
fn taken<T: Default>(file: Result<T, StoreError>, what: &str) -> (T, Option<String>) {
    match file {
        Ok(contents) => (contents, None),
        Err(e) => (T::default(), Some(format!("{what}: {}", e.brief()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn library() -> Library {
        let articles = ["One", "Two"]
            .iter()
            .map(|h| Article {
                headline: h.to_string(),
                ..Article::default()
            })
            .collect();
        Library::new(articles, Vec::new())
    }

    fn read(id: &str, read: bool) -> Change {
        Change::Read {
            id: id.into(),
            read,
        }
    }

    #[test]
    fn a_change_is_queued_once_and_undone_by_its_inverse() {
        let library = library();
        let mut marks = Marks::default();
        marks.locate(&library, false);
        marks.change(&library, read("one", true), Some("Marked read"));
        assert!(marks.is_read(library.index_of("one").expect("one")));
        assert_eq!(marks.unread_count(), 1);
        assert_eq!(marks.take_changes(), [read("one", true)]);
        assert!(marks.take_changes().is_empty());
        assert_eq!(marks.undo(&library), Some("Marked read"));
        assert_eq!(marks.unread_count(), 2);
        assert_eq!(marks.take_changes(), [read("one", false)]);
        assert_eq!(marks.undo(&library), None);
        // A change that changes nothing has nothing to undo.
        marks.change(&library, read("two", false), Some("Marked unread"));
        assert_eq!(marks.undo(&library), None);
    }

    #[test]
    fn undo_keeps_the_last_hundred_changes() {
        let library = library();
        let mut marks = Marks::default();
        marks.locate(&library, false);
        for n in 0..UNDO_DEPTH + 10 {
            marks.change(&library, read("one", n % 2 == 0), Some("toggle"));
        }
        let undone = std::iter::from_fn(|| marks.undo(&library)).count();
        assert_eq!(undone, UNDO_DEPTH);
    }

    #[test]
    fn with_a_broken_state_file_read_state_is_kept_in_memory_only() {
        let library = library();
        let mut marks = Marks::default();
        let broken = StoreError::Broken {
            path: "state.toml".into(),
            line: 1,
            column: 1,
            message: "bad".into(),
        };
        marks.load(Ok(Bookmarks::default()), Err(broken));
        marks.locate(&library, false);
        marks.change(&library, read("one", true), None);
        assert!(marks.is_read(library.index_of("one").expect("one")));
        assert!(
            marks.take_changes().is_empty(),
            "never written over the file"
        );
        assert!(
            marks
                .alert()
                .is_some_and(|a| a.starts_with("Read state is not saved"))
        );
    }
}
