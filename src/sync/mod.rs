//! Sync with the server a person reads from on other devices, through the Google Reader API
//! (FreshRSS, Miniflux, Inoreader…): its new items become pages in the articles folder, under
//! a folder per feed, as fetched items do; its read and starred marks become read marks and
//! bookmarks. What sync remembers (per server: the items it saved, with the page, the link
//! and the marks the server last gave) is kept in the data folder, and the login token beside
//! it, readable by its owner only. Nothing of the password is ever printed or kept.
//!
//! Marks go both ways ([`marks`]): one changed here since the last sync is sent (and wins),
//! one changed on the server is taken in; one not sent yet (the server down) is sent next time.

pub mod greader;
mod items;
pub mod journal;
mod marks;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::config::sync::Account;
use crate::durable::{self, StoreError};
use greader::Api;

/// Items asked for a page of the reading list.
const PAGE: usize = 200;
/// Pages of the reading list read in one sync at most (40,000 items).
const MOST_PAGES: usize = 200;

/// What sync asks of a server, whatever its protocol. The Google Reader API
/// ([`greader::Api`]) is the one built; another (Miniflux's own API, Fever) would be another
/// implementation, its answers given in the same shapes.
pub trait Server {
    /// Logs in: the token for `user` and `password`.
    fn login(&self, user: &str, password: &str) -> Result<String, SyncError>;
    /// The feeds the server follows, with their folders.
    fn subscriptions(&self, token: &str) -> Result<Vec<greader::Subscription>, SyncError>;
    /// A page of the reading list, newest first: `n` items from `continuation`, only those
    /// the server got after `since` (seconds).
    fn reading_list(
        &self,
        token: &str,
        n: usize,
        since: Option<i64>,
        continuation: Option<&str>,
    ) -> Result<greader::Stream, SyncError>;
    /// The ids of every unread item.
    fn unread_ids(&self, token: &str) -> Result<Vec<u64>, SyncError>;
    /// The ids of every starred item.
    fn starred_ids(&self, token: &str) -> Result<Vec<u64>, SyncError>;
    /// Subscribes to a feed, or unsubscribes from one (its stream id).
    fn edit_subscription(
        &self,
        token: &str,
        subscribe: Option<&greader::Subscribe>,
        unsubscribe: Option<&str>,
    ) -> Result<(), SyncError>;
    /// The short-lived token that edits need.
    fn edit_token(&self, token: &str) -> Result<String, SyncError>;
    /// Adds (`add`) or removes the state `state` (`read`, `starred`) on the items `ids`.
    fn edit_tag(
        &self,
        token: &str,
        edit: &str,
        ids: &[u64],
        state: &str,
        add: bool,
    ) -> Result<(), SyncError>;
}

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// No password to give: neither a command nor the variable.
    #[error("{0}")]
    Password(String),
    /// The server could not be reached (or its answer was cut off).
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
    /// The server refused the login.
    #[error("the server refused the login (check user and password)")]
    Unauthorized,
    /// The server answered with a refusal.
    #[error("{0}")]
    Refused(String),
    /// An answer that is not what the API gives.
    #[error("the server's answer was not understood: {0}")]
    Answer(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The server could not be reached: the change is kept and sent by the next sync.
    #[error("the server could not be reached ({0}): kept, and sent at the next sync")]
    Kept(String),
    /// The articles folder could not be read to find the pages' ids.
    #[error("{0}")]
    Folder(String),
}

/// What one sync did, as `sync` prints it.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub server: String,
    /// Each server feed that gave new items, with how many, by name.
    pub feeds: Vec<(String, usize)>,
    pub new: usize,
    /// Marks and subscription changes sent to the server, and those waiting to be.
    pub sent: usize,
    pub pending: usize,
    /// Changes the server refused (marks, and subscriptions kept while it was down): said
    /// once, not sent again.
    pub refused: Vec<String>,
    /// Read marks and bookmarks taken from the server, as changes (already saved; the
    /// reader makes them in what it shows).
    pub taken: Vec<crate::bookmarks::Change>,
}

/// What sync remembers, per server.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Synced {
    #[serde(default)]
    pub server: BTreeMap<String, ServerState>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct ServerState {
    /// The newest time (seconds) the server got an item we have: the next sync asks for
    /// items after it.
    #[serde(default)]
    pub since: Option<i64>,
    #[serde(default)]
    pub items: Vec<SyncedItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerFeed {
    pub id: String,
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub tags: Vec<String>,
}

/// An item of the server's, and the page it became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncedItem {
    pub id: u64,
    /// The page, relative to the articles folder: the one written, or the one the folder had
    /// of the same story already.
    pub path: String,
    #[serde(default)]
    pub link: String,
    /// The marks the server last gave.
    #[serde(default)]
    pub read: bool,
    #[serde(default)]
    pub starred: bool,
}

/// How many marks made here wait to be sent to the account's server (as the last sync left
/// them): what a sync that could not reach it reports.
pub fn pending(config: &Config, account: &Account) -> usize {
    let synced: Result<Synced, _> = durable::load(&synced_file(config));
    let state = synced
        .ok()
        .and_then(|mut s| s.server.remove(&account.server));
    let marks = state.map_or(0, |state| marks::pending(config, &state).unwrap_or(0));
    marks + journal::pending(config, account)
}

/// Subscribes on the account's server to a feed, or unsubscribes
/// from the server's feed `unsubscribe` (its stream id); the server's feeds are listed again
/// and kept, so `feeds` shows the change at once.
pub fn edit_subscription(
    config: &Config,
    account: &Account,
    subscribe: Option<&greader::Subscribe>,
    unsubscribe: Option<&str>,
) -> Result<(), SyncError> {
    let api = Api::new(
        &account.server,
        config.fetch_connect_timeout,
        config.fetch_timeout,
    );
    let edited = token(&api, config, account, false).and_then(|mut token| {
        match api.edit_subscription(&token, subscribe, unsubscribe) {
            Err(SyncError::Unauthorized) => {
                token = self::token(&api, config, account, true)?;
                api.edit_subscription(&token, subscribe, unsubscribe)?;
            }
            other => other?,
        }
        Ok(token)
    });
    let token = match edited {
        Ok(token) => token,
        // Kept, and sent by the next sync that reaches the server.
        Err(SyncError::Unreachable(why)) => {
            let entry = journal::Entry {
                at: chrono::Local::now().fixed_offset().to_rfc3339(),
                subscribe: subscribe.map(|s| s.url.clone()),
                folder: subscribe.and_then(|s| s.folder.clone()),
                name: subscribe.and_then(|s| s.name.clone()),
                unsubscribe: unsubscribe.map(str::to_string),
            };
            journal::keep(config, account, entry)?;
            return Err(SyncError::Kept(why));
        }
        Err(e) => return Err(e),
    };
    let listed = api.subscriptions(&token)?;
    keep_feeds(config, account, server_feeds_of(&listed))
}

/// The server's subscriptions as sync keeps them.
fn server_feeds_of(subscriptions: &[greader::Subscription]) -> Vec<ServerFeed> {
    subscriptions
        .iter()
        .map(|s| ServerFeed {
            id: s.id.clone(),
            name: crate::feeds::html::plain(&s.title),
            url: s.url.clone(),
            tags: (s.categories.iter())
                .map(|c| c.label.clone())
                .filter(|l| !l.is_empty())
                .collect(),
        })
        .collect()
}

/// The server's feeds as the last sync listed them, per server: a file of its own, small,
/// which the reader reads as it opens (the items' file can be megabytes).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct SyncedFeeds {
    #[serde(default)]
    pub server: BTreeMap<String, Vec<ServerFeed>>,
}

fn keep_feeds(config: &Config, account: &Account, feeds: Vec<ServerFeed>) -> Result<(), SyncError> {
    durable::update(&feeds_file(config), |file: &mut SyncedFeeds| {
        file.server.insert(account.server.clone(), feeds);
    })?;
    Ok(())
}

/// The sync server's feeds as the last sync listed them (none without an account).
pub fn server_feeds(config: &Config) -> Vec<ServerFeed> {
    let Some(account) = &config.sync else {
        return Vec::new();
    };
    let file: Result<SyncedFeeds, _> = durable::load(&feeds_file(config));
    (file.ok())
        .and_then(|mut f| f.server.remove(&account.server))
        .unwrap_or_default()
}

/// The files sync keeps beside the bookmarks.
fn synced_file(config: &Config) -> PathBuf {
    config.fetched_file.with_file_name("synced.toml")
}

fn feeds_file(config: &Config) -> PathBuf {
    config.fetched_file.with_file_name("synced-feeds.toml")
}

fn token_file(config: &Config) -> PathBuf {
    config.fetched_file.with_file_name("sync-token")
}

/// The password: the first line `password_command` prints, else `BROADSHEET_SYNC_PASSWORD`.
fn password(account: &Account) -> Result<String, SyncError> {
    if let Some(command) = &account.password_command {
        let out = std::process::Command::new("sh")
            .args(["-c", command])
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| SyncError::Password(format!("password_command could not run: {e}")))?;
        if !out.status.success() {
            return Err(SyncError::Password(format!(
                "password_command failed ({})",
                out.status
            )));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
        if first.is_empty() {
            return Err(SyncError::Password(
                "password_command printed no password".into(),
            ));
        }
        return Ok(first.to_string());
    }
    std::env::var("BROADSHEET_SYNC_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| {
            SyncError::Password(
                "no password: give [sync] a password_command or set BROADSHEET_SYNC_PASSWORD"
                    .into(),
            )
        })
}

/// Writes the token where only its owner can read it.
fn keep_token(path: &Path, token: &str) -> Result<(), SyncError> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|source| StoreError::Io {
            doing: "create",
            path: folder.to_path_buf(),
            source,
        })?;
    }
    durable::write_atomic(path, token.as_bytes(), |temp| {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(temp, std::fs::Permissions::from_mode(0o600))?;
        }
        #[cfg(not(unix))]
        let _ = temp;
        Ok(())
    })?;
    Ok(())
}

/// A token that works: the one kept, else a new login (kept). `fresh`: the kept one was
/// refused, so log in again.
fn token(
    api: &dyn Server,
    config: &Config,
    account: &Account,
    fresh: bool,
) -> Result<String, SyncError> {
    let path = token_file(config);
    if !fresh
        && let Ok(kept) = std::fs::read_to_string(&path)
        && !kept.trim().is_empty()
    {
        return Ok(kept.trim().to_string());
    }
    let token = api.login(&account.user, &password(account)?)?;
    keep_token(&path, &token)?;
    Ok(token)
}

/// Syncs with the account's server: its feeds listed, its new items saved as pages (with
/// `progress(done, of)` as they are), its read and starred marks taken in.
pub fn run(
    config: &Config,
    account: &Account,
    now: DateTime<FixedOffset>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Report, SyncError> {
    let api = Api::new(
        &account.server,
        config.fetch_connect_timeout,
        config.fetch_timeout,
    );
    let mut token = token(&api, config, account, false)?;
    let subscriptions = match api.subscriptions(&token) {
        Err(SyncError::Unauthorized) => {
            token = self::token(&api, config, account, true)?;
            api.subscriptions(&token)?
        }
        other => other?,
    };
    // Subscription changes kept while the server was down go first, oldest first.
    let (sent_subscriptions, refused) = journal::send(&api, &token, config, account)?;
    let subscriptions = match sent_subscriptions {
        0 => subscriptions,
        _ => api.subscriptions(&token)?,
    };
    let synced_path = synced_file(config);
    let mut synced: Synced = durable::load(&synced_path)?;
    // (the other servers' parts are left as they are)
    let mut state = synced.server.remove(&account.server).unwrap_or_default();
    // What sync remembers of this server, written over its part of the file.
    let keep = |state: &ServerState| {
        durable::update(&synced_path, |file: &mut Synced| {
            file.server.insert(account.server.clone(), state.clone());
        })
    };
    keep_feeds(config, account, server_feeds_of(&subscriptions))?;
    let mut report = Report {
        server: account.server.clone(),
        sent: sent_subscriptions,
        refused,
        ..Report::default()
    };
    let (items, newest) = items::new_items(&api, &token, &state)?;
    let per_feed = items::save_items(items, config, &mut state, now, &mut report, progress)?;
    state.since = newest;
    // Kept before the marks are reconciled: pages written are never asked for again.
    keep(&state)?;
    report.feeds = per_feed.into_iter().collect();
    let (taken, sent) =
        marks::reconcile(&api, &token, config, &mut state, now, &mut report.refused)?;
    report.taken = taken;
    report.sent += sent;
    keep(&state)?;
    Ok(report)
}
