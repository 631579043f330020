//! Bookmarks and reading state as plain data (pure): the bookmark set a person can read and
//! edit as TOML (`[[bookmark]]` tables with id, headline, date, path, added and note), and the
//! state file's read articles. Saving them durably is [`crate::store`]'s work.

use std::collections::BTreeSet;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::article::Article;
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
    /// When it was bookmarked, RFC 3339.
    pub added: String,
    #[serde(default)]
    pub note: String,
}

impl Bookmark {
    /// A bookmark of `article` made at `added`, without a note.
    pub fn new(article: &Article, added: DateTime<FixedOffset>) -> Bookmark {
        Bookmark {
            id: article.id.clone(),
            headline: article.headline.clone(),
            date: article.date.map(|d| d.format("%Y-%m-%d").to_string()),
            path: article.path.to_string_lossy().replace('\\', "/"),
            added: added.to_rfc3339(),
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

impl Bookmarks {
    pub fn contains(&self, id: &str) -> bool {
        self.list.iter().any(|b| b.id == id)
    }

    /// Adds a bookmark. One that exists keeps its place and when it was added; `note`, when
    /// given, replaces its note. Returns whether it is new.
    pub fn add(&mut self, bookmark: Bookmark, note: Option<&str>) -> bool {
        match self.list.iter_mut().find(|b| b.id == bookmark.id) {
            Some(existing) => {
                if let Some(note) = note {
                    existing.note = note.to_string();
                }
                false
            }
            None => {
                self.list.push(Bookmark {
                    note: note.unwrap_or_default().to_string(),
                    ..bookmark
                });
                true
            }
        }
    }

    /// Removes the bookmark with this id, returning it.
    pub fn remove(&mut self, id: &str) -> Option<Bookmark> {
        let at = self.list.iter().position(|b| b.id == id)?;
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

/// The reading state file: which articles have been read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingState {
    #[serde(default)]
    pub read: BTreeSet<String>,
}
