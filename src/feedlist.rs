//! The feed list: the feeds subscribed to, each with the folder of the articles folder its
//! pages are written to and the folders (tags) it is in; which feed each article of a library
//! came from; and the rows a reader shows of them (all, each folder, each feed, the pages
//! from no feed) with unread and total counts.

use std::collections::HashMap;
use std::path::Component;

use crate::feeds::Feeds;
use crate::feeds::fetch::{States, name_of};
use crate::feeds::write;
use crate::library::Library;

/// A subscribed feed as the feed list shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feed {
    /// Where it is followed: fetched here, or on the sync server.
    pub origin: Origin,
    pub url: String,
    /// The name `feeds` shows: the one given, else its own title, else its host.
    pub name: String,
    pub tags: Vec<String>,
    /// The folder below the articles folder its pages are written to.
    pub folder: String,
    /// Why its last fetch failed, if it did.
    pub error: Option<String>,
}

/// Who follows a feed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Origin {
    /// broadsheet fetches it (the feeds file).
    #[default]
    Local,
    /// The sync server follows it; its items come with `sync`.
    Sync,
}

impl Origin {
    /// As `feeds --json` says it.
    pub fn name(self) -> &'static str {
        match self {
            Origin::Local => "local",
            Origin::Sync => "sync",
        }
    }
}

impl Feed {
    /// A feed of the sync server's, its pages in the folder its name gives.
    pub fn of_server(feed: &crate::sync::ServerFeed) -> Feed {
        Feed {
            origin: Origin::Sync,
            url: feed.url.clone(),
            folder: write::folder(&feed.name),
            name: feed.name.clone(),
            tags: feed.tags.clone(),
            error: None,
        }
    }

    /// The feeds of the feeds file, named and placed as fetching knows them.
    pub fn all(feeds: &Feeds, states: &States) -> Vec<Feed> {
        feeds
            .feeds
            .iter()
            .map(|f| {
                let state = states.of(&f.url);
                let name = name_of(f, state);
                Feed {
                    origin: Origin::Local,
                    url: f.url.clone(),
                    folder: write::folder(&name),
                    name,
                    tags: f.tags.clone(),
                    error: state.and_then(|s| s.error.clone()),
                }
            })
            .collect()
    }
}

/// What the headline list can be narrowed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every article.
    All,
    /// The feeds in a folder (and in the folders within it).
    Folder(String),
    /// One feed, by its place in the list of feeds.
    Feed(usize),
    /// The articles that came from no feed (the folder's own pages, saved pages).
    Other,
}

impl Scope {
    /// Whether an article that came from feed `owner` (`None`: from none) is in this scope.
    pub fn holds(&self, feeds: &[Feed], owner: Option<u32>) -> bool {
        match (self, owner) {
            (Scope::All, _) => true,
            (Scope::Other, owner) => owner.is_none(),
            (Scope::Feed(n), Some(o)) => *n == o as usize,
            (Scope::Folder(folder), Some(o)) => feeds
                .get(o as usize)
                .is_some_and(|f| f.tags.iter().any(|t| in_folder(t, folder))),
            _ => false,
        }
    }

    /// What the list's title calls it.
    pub fn name(&self, feeds: &[Feed]) -> String {
        match self {
            Scope::All => "All".into(),
            Scope::Folder(folder) => folder.clone(),
            Scope::Feed(n) => feeds.get(*n).map_or_else(String::new, |f| f.name.clone()),
            Scope::Other => OTHER.into(),
        }
    }
}

/// What the articles from no feed are called.
pub const OTHER: &str = "Other pages";

/// Whether a tag is the folder `folder` or one within it.
fn in_folder(tag: &str, folder: &str) -> bool {
    tag == folder
        || tag
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Which feed each article of `library` came from (its place in `feeds`), by the first
/// folder of its path: `None` for an article from no feed.
pub fn owners(library: &Library, feeds: &[Feed]) -> Vec<Option<u32>> {
    let by_folder: HashMap<&str, u32> = feeds
        .iter()
        .enumerate()
        .map(|(n, f)| (f.folder.as_str(), n as u32))
        .collect();
    library
        .articles()
        .iter()
        .map(|head| {
            let mut parts = head.path.components();
            match (parts.next(), parts.next()) {
                (Some(Component::Normal(first)), Some(_)) => {
                    by_folder.get(first.to_str()?).copied()
                }
                _ => None,
            }
        })
        .collect()
}

/// One row of the feed list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub scope: Scope,
    pub label: String,
    /// How far in it stands: 0 for all, folders and the other pages, 1 for a feed in a folder.
    pub depth: u8,
    pub unread: usize,
    pub total: usize,
    /// Why the feed's last fetch failed.
    pub error: Option<String>,
}

/// The rows of the feed list: all; each folder (by name) with its feeds; the feeds in no
/// folder; the pages from no feed (when there are any). `is_read` tells an article's mark;
/// with `hide_read`, feeds and folders with nothing unread are left out.
/// Long: the rows in the window's order (all, folders with their feeds, feeds in no folder,
/// pages from no feed), each counted from one pass over the articles.
pub fn rows(
    feeds: &[Feed],
    owners: &[Option<u32>],
    is_read: &dyn Fn(usize) -> bool,
    hide_read: bool,
) -> Vec<Row> {
    // Unread and total per feed, and for the articles from none (the last place).
    let mut counts = vec![(0usize, 0usize); feeds.len() + 1];
    for (i, owner) in owners.iter().enumerate() {
        let slot = owner.map_or(feeds.len(), |o| o as usize);
        if let Some(count) = counts.get_mut(slot) {
            count.1 += 1;
            if !is_read(i) {
                count.0 += 1;
            }
        }
    }
    let sum = |which: &dyn Fn(usize) -> bool| {
        (0..feeds.len())
            .filter(|&n| which(n))
            .fold((0, 0), |(u, t), n| (u + counts[n].0, t + counts[n].1))
    };
    let feed_row = |n: usize, depth: u8| Row {
        scope: Scope::Feed(n),
        label: feeds[n].name.clone(),
        depth,
        unread: counts[n].0,
        total: counts[n].1,
        error: feeds[n].error.clone(),
    };
    let all = (counts.iter().map(|c| c.0).sum(), owners.len());
    let mut rows = vec![Row {
        scope: Scope::All,
        label: "All".into(),
        depth: 0,
        unread: all.0,
        total: all.1,
        error: None,
    }];
    let mut folders: Vec<&str> = feeds
        .iter()
        .flat_map(|f| f.tags.iter().map(String::as_str))
        .collect();
    folders.sort_by_key(|f| f.to_lowercase());
    folders.dedup();
    for folder in folders {
        let (unread, total) = sum(&|n| feeds[n].tags.iter().any(|t| t == folder));
        if hide_read && unread == 0 {
            continue;
        }
        rows.push(Row {
            scope: Scope::Folder(folder.to_string()),
            label: folder.to_string(),
            depth: 0,
            unread,
            total,
            error: None,
        });
        for n in (0..feeds.len()).filter(|&n| feeds[n].tags.iter().any(|t| t == folder)) {
            if !(hide_read && counts[n].0 == 0) {
                rows.push(feed_row(n, 1));
            }
        }
    }
    for n in (0..feeds.len()).filter(|&n| feeds[n].tags.is_empty()) {
        if !(hide_read && counts[n].0 == 0) {
            rows.push(feed_row(n, 0));
        }
    }
    let other = counts[feeds.len()];
    if other.1 > 0 && !(hide_read && other.0 == 0) {
        rows.push(Row {
            scope: Scope::Other,
            label: OTHER.into(),
            depth: 0,
            unread: other.0,
            total: other.1,
            error: None,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(name: &str, tags: &[&str]) -> Feed {
        Feed {
            origin: Origin::Local,
            url: format!("https://{name}.example/rss"),
            name: name.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            folder: name.to_lowercase(),
            error: None,
        }
    }

    #[test]
    fn rows_count_each_feed_folder_and_the_rest() {
        let feeds = [
            feed("Golem", &["Tech"]),
            feed("Heise", &["Tech", "News/Germany"]),
            feed("Harbour", &[]),
        ];
        // Articles: two of Golem (one read), one of Heise, one of Harbour (read), two of none.
        let owners = [Some(0), Some(0), Some(1), Some(2), None, None];
        let read = |i: usize| i == 1 || i == 3;
        let rows = rows(&feeds, &owners, &read, false);
        let shown: Vec<(String, u8, usize, usize)> = rows
            .iter()
            .map(|r| (r.label.clone(), r.depth, r.unread, r.total))
            .collect();
        assert_eq!(
            shown,
            [
                ("All".into(), 0, 4, 6),
                ("News/Germany".into(), 0, 1, 1),
                ("Heise".into(), 1, 1, 1),
                ("Tech".into(), 0, 2, 3),
                ("Golem".into(), 1, 1, 2),
                ("Heise".into(), 1, 1, 1),
                ("Harbour".into(), 0, 0, 1),
                (OTHER.into(), 0, 2, 2),
            ]
        );
        // Hiding what is read leaves out Harbour.
        let hidden = super::rows(&feeds, &owners, &read, true);
        assert!(!hidden.iter().any(|r| r.label == "Harbour"));
        assert_eq!(hidden.len(), rows.len() - 1);
        // Scopes.
        assert!(Scope::Folder("News".into()).holds(&feeds, Some(1)));
        assert!(!Scope::Folder("News".into()).holds(&feeds, Some(0)));
        assert!(!Scope::Folder("Ne".into()).holds(&feeds, Some(1)));
        assert!(Scope::Other.holds(&feeds, None));
        assert!(!Scope::Feed(0).holds(&feeds, None));
        assert!(Scope::Feed(2).holds(&feeds, Some(2)));
    }
}
