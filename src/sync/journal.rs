//! Subscription changes made while the server could not be reached (`feeds add --sync`,
//! `feeds remove`), kept in the data folder (`sync-journal.toml`, written atomically) and
//! sent at the next sync that reaches the server, oldest first. A change the server refuses
//! is reported once and dropped, never retried for ever. (Marks need no journal of their own:
//! the difference from the marks last agreed is theirs.)

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::config::sync::Account;
use crate::durable;
use crate::sync::Server;
use crate::sync::SyncError;
use crate::sync::greader::Subscribe;

/// The changes waiting, per server.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Journal {
    #[serde(default)]
    server: BTreeMap<String, Vec<Entry>>,
}

/// One change: a subscription (its address, folder and name) or an unsubscription (the
/// server's stream id), and when it was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub at: String,
    #[serde(default)]
    pub subscribe: Option<String>,
    #[serde(default)]
    pub folder: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub unsubscribe: Option<String>,
}

impl Entry {
    /// The change as one line, to report.
    fn said(&self) -> String {
        match (&self.subscribe, &self.unsubscribe) {
            (Some(url), _) => format!("subscribe to {url}"),
            (None, Some(stream)) => format!("unsubscribe from {stream}"),
            (None, None) => "nothing".into(),
        }
    }
}

fn path(config: &Config) -> PathBuf {
    config.fetched_file.with_file_name("sync-journal.toml")
}

/// Keeps a change to send at the next sync.
pub fn keep(config: &Config, account: &Account, entry: Entry) -> Result<(), SyncError> {
    durable::update(&path(config), |file: &mut Journal| {
        file.server
            .entry(account.server.clone())
            .or_default()
            .push(entry);
    })?;
    Ok(())
}

/// How many changes wait for the account's server.
pub fn pending(config: &Config, account: &Account) -> usize {
    let file: Result<Journal, _> = durable::load(&path(config));
    file.ok()
        .and_then(|mut f| f.server.remove(&account.server))
        .map_or(0, |entries| entries.len())
}

/// Sends the waiting changes, oldest first: how many went, and those the server refused
/// (dropped, each said once). Stops, keeping the rest, when the server cannot be reached.
pub fn send(
    api: &dyn Server,
    token: &str,
    config: &Config,
    account: &Account,
) -> Result<(usize, Vec<String>), SyncError> {
    let file: Journal = durable::load(&path(config))?;
    let Some(entries) = file.server.get(&account.server).filter(|e| !e.is_empty()) else {
        return Ok((0, Vec::new()));
    };
    let (mut sent, mut refused, mut done) = (0, Vec::new(), 0);
    let mut stopped = None;
    for entry in entries {
        let subscribe = entry.subscribe.as_ref().map(|url| Subscribe {
            url: url.clone(),
            folder: entry.folder.clone(),
            name: entry.name.clone(),
        });
        match api.edit_subscription(token, subscribe.as_ref(), entry.unsubscribe.as_deref()) {
            Ok(()) => sent += 1,
            Err(SyncError::Refused(why)) => refused.push(format!("{}: {why}", entry.said())),
            Err(e) => {
                stopped = Some(e);
                break;
            }
        }
        done += 1;
    }
    durable::update(&path(config), |file: &mut Journal| {
        if let Some(left) = file.server.get_mut(&account.server) {
            left.drain(..done.min(left.len()));
        }
    })?;
    match stopped {
        Some(e) => Err(e),
        None => Ok((sent, refused)),
    }
}
