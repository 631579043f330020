//! What fetching remembers of each feed, per articles folder, in the data folder's state
//! file: the items seen (so an item is new once), the pages written for them (to update one
//! that changed), the validators for the next request, and how the feed has been failing (to
//! ask less often, or when the server said).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::durable::{self, StoreError};

/// Items remembered per feed: enough for any feed's window, without growing for ever.
const SEEN_KEPT: usize = 5_000;

/// What fetching remembers of every feed, in the data folder.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct States {
    #[serde(default, rename = "feed")]
    pub feeds: Vec<State>,
}

/// What fetching remembers of one feed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub url: String,
    /// The feed's own title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What kind of feed it is (`rss`, `atom`, `json`), as last fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// When it was last fetched (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetched: Option<String>,
    /// Why the last fetch failed; `None` when it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// How many fetches in a row have failed.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub failures: u32,
    /// When it was last asked (RFC 3339), answered or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tried: Option<String>,
    /// Not to be asked before this time (RFC 3339): the server said `Retry-After`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<String>,
    /// The keys of the items it has given (guid, else link, else title), newest last.
    #[serde(default)]
    pub seen: Vec<String>,
    /// The pages written for its items, with what each item said (to tell when it changes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub saved: Vec<Saved>,
}

/// A page written for an item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub key: String,
    /// The page, relative to the articles folder.
    pub path: String,
    /// [`Item::digest`] of the item as it was written.
    pub digest: String,
}

impl State {
    /// Remembers the page written for the item `key`.
    pub(super) fn remember(&mut self, key: String, path: &Path, digest: String) {
        let path = path.to_string_lossy().replace('\\', "/");
        self.saved.retain(|s| s.key != key);
        self.saved.push(Saved { key, path, digest });
    }

    /// Keeps the newest [`SEEN_KEPT`] keys seen, and the pages of those only.
    pub(super) fn forget_oldest(&mut self) {
        let extra = self.seen.len().saturating_sub(SEEN_KEPT);
        self.seen.drain(..extra);
        let kept: HashSet<&String> = self.seen.iter().collect();
        let saved = std::mem::take(&mut self.saved);
        self.saved = saved
            .into_iter()
            .filter(|s| kept.contains(&s.key))
            .collect();
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Failures in a row after which a feed is asked less often.
const FAILURES_BEFORE_BACKING_OFF: u32 = 3;

impl State {
    /// Until when this feed is left alone at `now`, and why: the server's `Retry-After`, or
    /// a wait that doubles with each failure after the third in a row (15 minutes, then 30,
    /// … at most a day).
    pub fn resting(&self, now: DateTime<FixedOffset>) -> Option<(DateTime<FixedOffset>, String)> {
        let time = |t: &Option<String>| {
            t.as_deref()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        };
        if let Some(until) = time(&self.retry_after).filter(|until| *until > now) {
            return Some((until, "the server asked to wait (Retry-After)".into()));
        }
        if self.failures < FAILURES_BEFORE_BACKING_OFF {
            return None;
        }
        let doublings = (self.failures - FAILURES_BEFORE_BACKING_OFF).min(7);
        let wait = chrono::Duration::minutes(15 * (1 << doublings)).min(chrono::Duration::days(1));
        let until = time(&self.tried)? + wait;
        (until > now).then(|| {
            (
                until,
                format!("backing off after {} failures in a row", self.failures),
            )
        })
    }
}

impl States {
    pub fn of(&self, url: &str) -> Option<&State> {
        self.feeds.iter().find(|s| s.url == url)
    }
}

/// The state file: what fetching remembers, per articles folder (by its canonical path), and
/// what it remembered before folders were told apart.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchedFile {
    /// From before state was kept per folder: where each folder's own state starts.
    #[serde(default, rename = "feed", skip_serializing_if = "Vec::is_empty")]
    pub legacy: Vec<State>,
    #[serde(default, rename = "folder", skip_serializing_if = "BTreeMap::is_empty")]
    pub folders: BTreeMap<String, States>,
}

impl FetchedFile {
    /// What fetching into the articles folder `folder` (its key) remembers.
    pub fn of(&self, folder: &str) -> States {
        match self.folders.get(folder) {
            Some(states) => States {
                feeds: states.feeds.clone(),
            },
            None => States {
                feeds: self.legacy.clone(),
            },
        }
    }

    /// The folder's states to change, begun from those from before when it has none.
    pub fn folder_mut(&mut self, folder: &str) -> &mut States {
        let legacy = &self.legacy;
        self.folders
            .entry(folder.to_string())
            .or_insert_with(|| States {
                feeds: legacy.clone(),
            })
    }
}

/// What fetching remembers of the feeds of the articles folder `articles`, from the state
/// file at `path`.
pub fn states_of(path: &Path, articles: &Path) -> Result<States, StoreError> {
    let file: FetchedFile = durable::load(path)?;
    Ok(file.of(&durable::folder_key(articles)))
}
