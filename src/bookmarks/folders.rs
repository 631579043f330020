//! Bookmarks and reading state kept per articles folder: [`Stores`] names the two files and
//! the folder (by its canonical path) whose part of them a reader or a command sees and
//! changes, so that the same id in two folders never shares a bookmark or a read mark.
//!
//! State saved before it was kept per folder is migrated as it is used: a bookmark without a
//! folder belongs to the first folder that holds its page and saves, and until then is seen
//! from every folder, as it was; the old read marks and positions are where each folder's own
//! state starts.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::article::TextPosition;
use crate::bookmarks::{Bookmark, Bookmarks, ReadingState};
use crate::durable::{self, StoreError};

/// The files that keep what the user saves, and the folder whose part of them is in use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stores {
    pub bookmarks: PathBuf,
    pub state: PathBuf,
    /// The articles folder's canonical path: the key of its part of both files.
    pub folder: String,
}

impl Stores {
    /// The stores for the articles folder `articles` (canonicalized when it exists).
    pub fn new(bookmarks: PathBuf, state: PathBuf, articles: &Path) -> Stores {
        Stores {
            bookmarks,
            state,
            folder: folder_key(articles),
        }
    }

    /// This folder's bookmarks (with those from before folders were told apart).
    pub fn load_bookmarks(&self) -> Result<Bookmarks, StoreError> {
        Ok(self.mine(durable::load(&self.bookmarks)?))
    }

    /// This folder's part of the bookmark file.
    fn mine(&self, file: Bookmarks) -> Bookmarks {
        Bookmarks {
            list: (file.list.into_iter())
                .filter(|b| belongs(b, &self.folder))
                .collect(),
        }
    }

    /// This folder's reading state.
    pub fn load_state(&self) -> Result<ReadingState, StoreError> {
        let file: StateFile = durable::load(&self.state)?;
        Ok(file.of(&self.folder))
    }

    /// Changes this folder's bookmarks through [`durable::update`]; the other folders' are
    /// kept as they are, and in their places in the file.
    pub fn update_bookmarks<R>(
        &self,
        change: impl FnOnce(&mut Bookmarks) -> R,
    ) -> Result<R, StoreError> {
        durable::update(&self.bookmarks, |file: &mut Bookmarks| {
            in_folder(file, &self.folder, change)
        })
    }

    /// [`Stores::load_bookmarks`], first giving this folder the bookmarks from before
    /// folders were told apart whose pages it holds (the reader does this as it opens; a
    /// change does it too). The file is written only when there is one to give.
    pub fn claim_bookmarks(&self) -> Result<Bookmarks, StoreError> {
        let file: Bookmarks = durable::load(&self.bookmarks)?;
        let claimable = |b: &Bookmark| b.folder.is_empty() && holds_page(&self.folder, &b.path);
        if file.list.iter().any(claimable) {
            return self.update_bookmarks(|mine| mine.clone());
        }
        Ok(self.mine(file))
    }

    /// Changes this folder's reading state through [`durable::update`].
    pub fn update_state<R>(
        &self,
        change: impl FnOnce(&mut ReadingState) -> R,
    ) -> Result<R, StoreError> {
        durable::update(&self.state, |file: &mut StateFile| {
            change(file.folder_mut(&self.folder))
        })
    }
}

pub use crate::durable::folder_key;

/// Whether `bookmark` is seen from `folder`: made there, or made before folders were told
/// apart.
fn belongs(bookmark: &Bookmark, folder: &str) -> bool {
    bookmark.folder.is_empty() || bookmark.folder == folder
}

/// Whether `folder` holds the page a bookmark names (a plain path inside it).
fn holds_page(folder: &str, page: &str) -> bool {
    let page = Path::new(page);
    !page.as_os_str().is_empty()
        && page.components().all(|c| matches!(c, Component::Normal(_)))
        && Path::new(folder).join(page).is_file()
}

/// Runs `change` on `folder`'s bookmarks in `file`. Afterwards a bookmark with no folder is
/// stamped with this one when it is new or this folder holds its page; the file keeps its
/// order.
fn in_folder<R>(file: &mut Bookmarks, folder: &str, change: impl FnOnce(&mut Bookmarks) -> R) -> R {
    let slots: Vec<bool> = file.list.iter().map(|b| belongs(b, folder)).collect();
    let (mine, others): (Vec<Bookmark>, Vec<Bookmark>) = std::mem::take(&mut file.list)
        .into_iter()
        .partition(|b| belongs(b, folder));
    let before: HashSet<String> = mine.iter().map(|b| b.id.clone()).collect();
    let mut mine = Bookmarks { list: mine };
    let result = change(&mut mine);
    for b in &mut mine.list {
        if b.folder.is_empty() && (!before.contains(&b.id) || holds_page(folder, &b.path)) {
            b.folder = folder.to_string();
        }
    }
    let (mut mine, mut others) = (mine.list.into_iter(), others.into_iter());
    let mut list: Vec<Bookmark> = slots
        .into_iter()
        .filter_map(|slot| if slot { mine.next() } else { others.next() })
        .collect();
    list.extend(mine);
    file.list = list;
    result
}

/// The state file: each folder's reading state, and what was saved before folders were
/// told apart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateFile {
    /// Read before state was kept per folder.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub read: BTreeSet<String>,
    /// Positions from before state was kept per folder.
    #[serde(
        default,
        rename = "position",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub positions: BTreeMap<String, TextPosition>,
    /// Each folder's state, by the folder's canonical path.
    #[serde(default, rename = "folder", skip_serializing_if = "BTreeMap::is_empty")]
    pub folders: BTreeMap<String, ReadingState>,
}

impl StateFile {
    /// `folder`'s state: its own, or (before it has saved any) the state from before.
    pub fn of(&self, folder: &str) -> ReadingState {
        self.folders
            .get(folder)
            .cloned()
            .unwrap_or_else(|| self.legacy())
    }

    /// `folder`'s state to change, begun from the state from before when it has none.
    pub fn folder_mut(&mut self, folder: &str) -> &mut ReadingState {
        let legacy = self.legacy();
        self.folders.entry(folder.to_string()).or_insert(legacy)
    }

    fn legacy(&self) -> ReadingState {
        ReadingState {
            read: self.read.clone(),
            positions: self.positions.clone(),
            ..ReadingState::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bookmark(id: &str, folder: &str) -> Bookmark {
        Bookmark {
            id: id.into(),
            headline: id.into(),
            date: None,
            path: format!("{id}.txt"),
            folder: folder.into(),
            added: "2026-12-01T09:00:00+00:00".into(),
            note: String::new(),
        }
    }

    #[test]
    fn a_change_in_one_folder_keeps_the_others_in_their_places() {
        let mut file = Bookmarks {
            list: vec![
                bookmark("a", "/one"),
                bookmark("b", "/two"),
                bookmark("c", "/one"),
                bookmark("d", "/two"),
            ],
        };
        in_folder(&mut file, "/two", |mine| {
            assert_eq!(mine.list.len(), 2, "only /two's bookmarks are seen");
            mine.remove("b");
            mine.add(bookmark("e", ""), None);
        });
        let listed: Vec<(&str, &str)> = (file.list.iter())
            .map(|b| (b.id.as_str(), b.folder.as_str()))
            .collect();
        assert_eq!(
            listed,
            [("a", "/one"), ("d", "/two"), ("c", "/one"), ("e", "/two")]
        );
    }

    #[test]
    fn a_bookmark_from_before_goes_to_the_folder_that_holds_its_page() {
        let dir = tempfile::TempDir::new().expect("tempdir");
        std::fs::write(dir.path().join("here.txt"), "page").expect("page");
        let folder = dir.path().to_string_lossy().into_owned();
        let mut file = Bookmarks {
            list: vec![bookmark("here", ""), bookmark("elsewhere", "")],
        };
        in_folder(&mut file, &folder, |_| ());
        assert_eq!(file.list[0].folder, folder);
        assert_eq!(
            file.list[1].folder, "",
            "not this folder's page: still shared"
        );
    }

    #[test]
    fn a_folder_begins_from_the_state_saved_before_and_then_keeps_its_own() {
        let mut file = StateFile::default();
        file.read.insert("old".into());
        assert!(file.of("/one").read.contains("old"));
        file.folder_mut("/one").read.remove("old");
        assert!(!file.of("/one").read.contains("old"));
        assert!(
            file.of("/two").read.contains("old"),
            "another folder still has it"
        );
        file.folder_mut("/two").read.insert("new".into());
        assert!(!file.of("/one").read.contains("new"));
    }
}
