//! Bookmarks and reading state as plain data (pure): the bookmark set a person can read and
//! edit as TOML (`[[bookmark]]` tables with id, headline, date, path, added and note), the
//! state file's read articles and reading positions, and [`Change`], one edit of either that
//! can be applied to whatever the file holds now and undone. Saving them durably is
//! [`crate::durable`]'s and [`crate::bookmarks::saver`]'s work.

pub mod folders;
pub mod saver;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::article::TextPosition;
use crate::headers::Head;
use crate::library::Library;

/// One bookmark, as the file holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bookmark {
    pub id: String,
    pub headline: String,
    /// The article's date, `YYYY-MM-DD`; absent when the page has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The page's path inside the articles folder.
    #[serde(default)]
    pub path: String,
    /// The articles folder it was made in (its canonical path); empty for a bookmark made
    /// before folders were told apart. See [`folders`].
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub folder: String,
    /// When it was bookmarked, RFC 3339.
    pub added: String,
    #[serde(default)]
    pub note: String,
}

impl Bookmark {
    /// A bookmark of `article` made at `added`, without a note.
    pub fn new(article: Head, added: DateTime<FixedOffset>) -> Bookmark {
        Bookmark {
            id: article.id.to_string(),
            headline: article.headline.to_string(),
            date: article.date.map(|d| d.format("%Y-%m-%d").to_string()),
            path: article.path.to_string_lossy().replace('\\', "/"),
            folder: String::new(),
            added: added.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            note: String::new(),
        }
    }

    /// The article this bookmark is about, if the library holds it: the same id, or else
    /// the newest article with the same headline (loosely compared), so that a bookmark
    /// whose page was renamed or re-saved finds it again.
    pub fn locate(&self, library: &Library) -> Option<usize> {
        library
            .index_of(&self.id)
            .or_else(|| library.find_headline(&self.headline).first().copied())
    }
}

/// The bookmark file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bookmarks {
    #[serde(default, rename = "bookmark")]
    pub list: Vec<Bookmark>,
}

/// What [`Bookmarks::add`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    New,
    /// It was bookmarked already; its note is the one given now.
    NoteChanged,
    /// It was bookmarked already, with that note (or none was given): nothing changed.
    Already,
}

impl Bookmarks {
    pub fn contains(&self, id: &str) -> bool {
        self.list.iter().any(|b| b.id == id)
    }

    /// Adds a bookmark. One that exists keeps its place and when it was added; `note`, when
    /// given, replaces its note. Says what it did.
    pub fn add(&mut self, bookmark: Bookmark, note: Option<&str>) -> Added {
        match self.list.iter_mut().find(|b| b.id == bookmark.id) {
            Some(existing) => match note {
                Some(note) if existing.note != note => {
                    existing.note = note.to_string();
                    Added::NoteChanged
                }
                _ => Added::Already,
            },
            None => {
                self.list.push(Bookmark {
                    note: note.unwrap_or_default().to_string(),
                    ..bookmark
                });
                Added::New
            }
        }
    }

    /// Removes the bookmark with this id, returning it.
    pub fn remove(&mut self, id: &str) -> Option<Bookmark> {
        // Ids are lower case; one typed in capitals is the same id.
        let at = (self.list.iter().position(|b| b.id == id))
            .or_else(|| self.list.iter().position(|b| b.id.eq_ignore_ascii_case(id)))?;
        Some(self.list.remove(at))
    }

    /// Newest first by when they were added; a time that does not parse counts as oldest.
    pub fn newest_first(&self) -> Vec<&Bookmark> {
        let mut list: Vec<(usize, &Bookmark)> = self.list.iter().enumerate().collect();
        let time = |b: &Bookmark| DateTime::parse_from_rfc3339(&b.added).ok();
        list.sort_by(|(i, a), (j, b)| time(b).cmp(&time(a)).then(j.cmp(i)));
        list.into_iter().map(|(_, b)| b).collect()
    }
}

/// The reading state file: which articles have been read, and where the reader stopped in
/// each (a position in the text, so it holds at any wrap width).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingState {
    #[serde(default)]
    pub read: BTreeSet<String>,
    #[serde(
        default,
        rename = "position",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub positions: BTreeMap<String, TextPosition>,
    /// The headline list's order when the reader last closed (see
    /// [`crate::app::list::Order::name`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// The headline selected when the reader last closed: its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<String>,
    /// The searches entered in the reader, oldest first (Up and Down in the search prompt).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub searches: Vec<String>,
}

/// Which file a change belongs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum File {
    Bookmarks,
    State,
}

/// One edit of the bookmarks or the reading state. Changes, not whole files, are what gets
/// saved: each is applied to the file as it is at the moment of saving, so that what another
/// process wrote in between is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Add this bookmark; one with its id that exists keeps its place and takes its note.
    Bookmark(Bookmark),
    /// Remove the bookmark with this id.
    Unbookmark(String),
    /// Set the note of the bookmark with this id.
    Note { id: String, note: String },
    /// Mark the article read or unread.
    Read { id: String, read: bool },
    /// Remember where the reader stopped in the article (`None`: at the top).
    Position {
        id: String,
        position: Option<TextPosition>,
    },
    /// Remember the list's order and selected headline, for the next launch.
    List {
        order: Option<String>,
        selected: Option<String>,
    },
    /// Remember the searches entered, for Up and Down at the next launch.
    Searches(Vec<String>),
}

impl Change {
    pub fn file(&self) -> File {
        match self {
            Change::Bookmark(_) | Change::Unbookmark(_) | Change::Note { .. } => File::Bookmarks,
            Change::Read { .. }
            | Change::Position { .. }
            | Change::List { .. }
            | Change::Searches(_) => File::State,
        }
    }

    /// Applies a bookmark change (others are ignored).
    pub fn apply_to_bookmarks(&self, bookmarks: &mut Bookmarks) {
        match self {
            Change::Bookmark(b) => {
                bookmarks.add(b.clone(), Some(&b.note));
            }
            Change::Unbookmark(id) => {
                bookmarks.remove(id);
            }
            Change::Note { id, note } => {
                if let Some(b) = bookmarks.list.iter_mut().find(|b| &b.id == id) {
                    b.note.clone_from(note);
                }
            }
            Change::Read { .. }
            | Change::Position { .. }
            | Change::List { .. }
            | Change::Searches(_) => {}
        }
    }

    /// Applies a reading-state change (others are ignored).
    pub fn apply_to_state(&self, state: &mut ReadingState) {
        match self {
            Change::Read { id, read: true } => {
                state.read.insert(id.clone());
            }
            Change::Read { id, read: false } => {
                state.read.remove(id);
            }
            Change::Position {
                id,
                position: Some(p),
            } => {
                state.positions.insert(id.clone(), *p);
            }
            Change::Position { id, position: None } => {
                state.positions.remove(id);
            }
            Change::List { order, selected } => {
                state.order.clone_from(order);
                state.selected.clone_from(selected);
            }
            Change::Searches(searches) => state.searches.clone_from(searches),
            Change::Bookmark(_) | Change::Unbookmark(_) | Change::Note { .. } => {}
        }
    }
}
