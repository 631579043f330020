//! Fetching the feeds into the articles folder: several feeds at once (a bounded number), each
//! feed's answer parsed (RSS 0.9x/1.0/2.0, Atom, JSON Feed), each item new to it written as a
//! page with the readable story of the page it links to (else the item's own text, said so),
//! and what each feed gave remembered in a state file, per articles folder, so that an item is
//! new once even when its page has been deleted since (a feed whose folder of pages is gone or
//! empty starts again: a new or emptied articles folder gets its news). One fetch at a time
//! per articles folder: a second one waits for the first, so no item is saved twice.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::durable::{self, StoreError};
use crate::feeds::html::plain;
use crate::feeds::http::{Client, Limits, Response, Validators};
use crate::feeds::items::Item;
use crate::feeds::pages;
use crate::feeds::write::{self, NewPage};
use crate::feeds::{Feed, host};

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
    fn remember(&mut self, key: String, path: &Path, digest: String) {
        let path = path.to_string_lossy().replace('\\', "/");
        self.saved.retain(|s| s.key != key);
        self.saved.push(Saved { key, path, digest });
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

/// How fetching goes.
#[derive(Debug, Clone)]
pub struct Settings {
    pub limits: Limits,
    /// Feeds fetched at once.
    pub parallel: usize,
    /// Pages asked of one host at once.
    pub per_host: usize,
    pub articles: PathBuf,
    /// The state file.
    pub state: PathBuf,
}

/// What fetching one feed did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub url: String,
    pub name: String,
    /// Pages written.
    pub new: usize,
    /// Pages written again because their item changed under the same key.
    pub updated: usize,
    /// Why the feed could not be read (`None`: it answered).
    pub error: Option<String>,
    /// Items saved from the feed's own text because their page could not be read, and why.
    pub notes: Vec<String>,
}

/// The name to show for a feed: the one given, else its own title, else its host.
pub fn name_of(feed: &Feed, state: Option<&State>) -> String {
    feed.name
        .clone()
        .or_else(|| state.and_then(|s| s.title.clone()))
        .unwrap_or_else(|| host(&feed.url).to_string())
}

/// Fetches every feed (`settings.parallel` at a time) and saves what is new; `now` stamps
/// items without a date and the state. The state file is read first and brought up to date
/// at the end, under its lock.
pub fn fetch_all(
    feeds: &[Feed],
    settings: &Settings,
    now: DateTime<FixedOffset>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<Outcome>, StoreError> {
    let folder = durable::folder_key(&settings.articles);
    // One fetch at a time per articles folder: the state is read under the lock, so a fetch
    // that waited sees every item the one before it saved.
    let lock = fetch_lock(&settings.state, &folder);
    durable::locked(&lock, || {
        fetch_locked(feeds, settings, &folder, now, progress)
    })
}

/// The lock a fetch into the articles folder with this key holds, beside the state file.
fn fetch_lock(state: &Path, folder: &str) -> PathBuf {
    state.with_file_name(format!("fetch-{:08x}", crc32fast::hash(folder.as_bytes())))
}

/// [`fetch_all`] once the folder's lock is held.
fn fetch_locked(
    feeds: &[Feed],
    settings: &Settings,
    folder: &str,
    now: DateTime<FixedOffset>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<Outcome>, StoreError> {
    let states = states_of(&settings.state, &settings.articles)?;
    write::remove_half_written(&settings.articles);
    let client = Client::new(settings.limits);
    let hosts = pages::Hosts::new(settings.per_host);
    let answered = AtomicUsize::new(0);
    let workers = settings.parallel.clamp(1, feeds.len().max(1));
    let done: Vec<(Outcome, State)> = crate::parallel::queue(feeds, workers, &|feed| {
        let mut state = states.of(&feed.url).cloned().unwrap_or_else(|| State {
            url: feed.url.clone(),
            ..State::default()
        });
        // Its pages are gone (a new or emptied folder): it starts again.
        let pages = write::folder(&name_of(feed, Some(&state)));
        if !write::holds_pages(&settings.articles.join(pages)) {
            state.seen.clear();
            state.etag = None;
            state.last_modified = None;
        }
        let fetched = fetch_one(&client, &hosts, feed, state, settings, now);
        progress(answered.fetch_add(1, Ordering::Relaxed) + 1, feeds.len());
        fetched
    })
    .into_iter()
    .flatten()
    .collect();
    // Pages that may not be on disk are not recorded as saved: the next fetch finds their
    // items again (and their links in the folder, so none is saved twice).
    write::sync(&settings.articles).map_err(|source| StoreError::Io {
        doing: "flush the new pages in",
        path: settings.articles.clone(),
        source,
    })?;
    durable::update(&settings.state, |file: &mut FetchedFile| {
        let states = file.folder_mut(folder);
        for (_, state) in &done {
            match states.feeds.iter_mut().find(|s| s.url == state.url) {
                Some(old) => *old = state.clone(),
                None => states.feeds.push(state.clone()),
            }
        }
    })?;
    Ok(done.into_iter().map(|(outcome, _)| outcome).collect())
}

/// Fetches one feed and saves its new items; the state it leaves.
fn fetch_one(
    client: &Client,
    hosts: &pages::Hosts,
    feed: &Feed,
    mut state: State,
    settings: &Settings,
    now: DateTime<FixedOffset>,
) -> (Outcome, State) {
    let mut outcome = Outcome {
        url: feed.url.clone(),
        name: name_of(feed, Some(&state)),
        new: 0,
        updated: 0,
        error: None,
        notes: Vec::new(),
    };
    if let Some((until, why)) = state.resting(now) {
        let last = state.error.as_deref().unwrap_or("no error");
        outcome.error = Some(format!(
            "not asked: {why}, until {} (last: {last})",
            until.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M")
        ));
        return (outcome, state);
    }
    let validators = Validators {
        etag: state.etag.clone(),
        last_modified: state.last_modified.clone(),
    };
    state.tried = Some(now.to_rfc3339());
    let fetched = match client.ask(&feed.url, &validators) {
        Ok(Response::NotModified) => {
            state.error = None;
            state.failures = 0;
            state.retry_after = None;
            state.fetched = Some(now.to_rfc3339());
            return (outcome, state);
        }
        Ok(Response::Fetched(fetched)) => fetched,
        Err(failure) => {
            state.failures += 1;
            state.retry_after = failure.retry_after.and_then(|wait| {
                let wait = chrono::Duration::from_std(wait).ok()?;
                Some((now + wait).to_rfc3339())
            });
            state.error = Some(failure.why.clone());
            outcome.error = Some(failure.why);
            return (outcome, state);
        }
    };
    let parsed = feed_rs::parser::Builder::new()
        .id_generator(|links, title, _| match (links.first(), title) {
            (Some(link), _) => format!("link:{}", link.href),
            (None, Some(title)) => format!("title:{}", title.content),
            (None, None) => String::new(),
        })
        .build()
        .parse(fetched.body.as_slice());
    let parsed = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let why = format!("not a feed: {e}");
            state.failures += 1;
            state.error = Some(why.clone());
            outcome.error = Some(why);
            return (outcome, state);
        }
    };
    state.error = None;
    state.failures = 0;
    state.retry_after = None;
    // When it last answered: a feed that only ever failed has no time.
    state.fetched = Some(now.to_rfc3339());
    state.etag = fetched.validators.etag;
    state.last_modified = fetched.validators.last_modified;
    state.title = parsed
        .title
        .as_ref()
        .map(|t| plain(&t.content))
        .filter(|t| !t.is_empty());
    state.kind = Some(
        match parsed.feed_type {
            feed_rs::model::FeedType::Atom => "atom",
            feed_rs::model::FeedType::JSON => "json",
            _ => "rss",
        }
        .to_string(),
    );
    outcome.name = name_of(feed, Some(&state));
    let mut seen: HashSet<String> = state.seen.iter().cloned().collect();
    // The items new to this folder, in the feed's order, and those saved before that have
    // changed since (their pages are written again in place).
    let mut items: Vec<Item> = Vec::new();
    let mut changed: Vec<(Item, String)> = Vec::new();
    for entry in &parsed.entries {
        let item = Item::of(entry, &feed.url);
        if seen.insert(item.key.clone()) {
            items.push(item);
            continue;
        }
        let before = state.saved.iter().find(|s| s.key == item.key);
        if let Some(before) = before
            && before.digest != item.digest()
            && settings.articles.join(&before.path).is_file()
        {
            let path = before.path.clone();
            changed.push((item, path));
        }
    }
    // An item whose page is in the folder already (a fetch that ended before it could
    // remember it saved the page) is not saved again.
    if items.iter().any(|i| i.link.is_some()) {
        let pages = settings.articles.join(write::folder(&outcome.name));
        let saved = write::links_in(&pages);
        items.retain(|item| match &item.link {
            Some(link) if saved.contains(link) => {
                state.seen.push(item.key.clone());
                false
            }
            _ => true,
        });
    }
    // Each item with the page it is written over (`None`: a new page).
    let work: Vec<(Item, Option<String>)> = (items.into_iter().map(|item| (item, None)))
        .chain(changed.into_iter().map(|(item, path)| (item, Some(path))))
        .collect();
    let links: Vec<Option<String>> = work.iter().map(|(i, _)| i.link.clone()).collect();
    let stories = pages::stories(client, hosts, &links);
    for ((item, place), story) in work.into_iter().zip(stories) {
        let (key, digest) = (item.key.clone(), item.digest());
        let named = || item.title.clone().unwrap_or_else(|| "an item".into());
        let body = match story {
            Some(Ok(readable)) => {
                for warning in readable.warnings() {
                    outcome.notes.push(format!("{}: {warning}", named()));
                }
                readable.body
            }
            Some(Err(why)) => {
                outcome.notes.push(format!(
                    "{}: the page could not be read ({why}): saved the feed's own text",
                    named()
                ));
                item.own_text
            }
            None => item.own_text,
        };
        let story = NewPage {
            source: outcome.name.clone(),
            link: item.link,
            // An item's time is kept to the second, written in the local offset; one with
            // none is dated the day it was fetched.
            date: Some(now.date_naive()),
            time: item
                .date
                .map(|d| d.with_timezone(&chrono::Local).fixed_offset()),
            headline: item.title.unwrap_or_default(),
            standfirst: item.summary.filter(|s| !s.is_empty()),
            body,
        };
        let written = match &place {
            // Changed under the same key: its page is written again where it is.
            Some(path) => write::replace(&settings.articles, Path::new(path), &story)
                .map(|()| PathBuf::from(path)),
            None => write::save(&settings.articles, &outcome.name, &story),
        };
        match written {
            Ok(path) => {
                match place {
                    Some(_) => outcome.updated += 1,
                    None => {
                        outcome.new += 1;
                        state.seen.push(key.clone());
                    }
                }
                state.remember(key, &path, digest);
            }
            Err(e) => {
                outcome.notes.push(format!(
                    "{}: not saved: {e}",
                    crate::text::clean_display(&story.headline)
                ));
            }
        }
    }
    if outcome.updated > 0 {
        let n = outcome.updated;
        let items = if n == 1 { "item" } else { "items" };
        (outcome.notes).push(format!(
            "{n} {items} changed since: their pages were updated"
        ));
    }
    let extra = state.seen.len().saturating_sub(SEEN_KEPT);
    state.seen.drain(..extra);
    let kept: HashSet<&String> = state.seen.iter().collect();
    let saved = std::mem::take(&mut state.saved);
    state.saved = saved
        .into_iter()
        .filter(|s| kept.contains(&s.key))
        .collect();
    (outcome, state)
}

/// A page saved on its own (`broadsheet save URL`): its story written under the site's name.
/// Returns the new page's path relative to the articles folder.
pub fn save_page(
    client: &Client,
    url: &str,
    articles: &Path,
    today: NaiveDate,
) -> Result<PathBuf, String> {
    let story = pages::story_of(client, url)?;
    let source = story
        .site_name
        .clone()
        .unwrap_or_else(|| host(url).to_string());
    let time = story
        .published
        .as_deref()
        .and_then(|p| DateTime::parse_from_rfc3339(p).ok());
    let written = NewPage {
        source: source.clone(),
        link: Some(url.to_string()),
        date: Some(today),
        time,
        headline: story.title,
        standfirst: story.excerpt,
        body: story.body,
    };
    write::save(articles, &source, &written).map_err(|e| format!("cannot write the page: {e}"))
}
