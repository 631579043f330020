//! The server's items made pages: those the server got since the last sync and this folder
//! does not have, newest first, paged; each saved under its feed's folder, as fetched items
//! are, with the story read from its page when the server gave only a summary, or taken for
//! the page the folder has of the same story already.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::durable::StoreError;
use crate::feeds::write::{self, NewPage};
use crate::sync::{MOST_PAGES, PAGE, Report, Server, ServerState, SyncError, SyncedItem, greader};

/// The reading list's items the server got since the last sync and this folder does not
/// have yet, newest first, and the newest time it got one (seconds).
pub(super) fn new_items(
    api: &dyn Server,
    token: &str,
    state: &ServerState,
) -> Result<(Vec<greader::Item>, Option<i64>), SyncError> {
    let mut known: HashSet<u64> = state.items.iter().map(|i| i.id).collect();
    let mut items = Vec::new();
    let mut continuation: Option<String> = None;
    let mut newest = state.since;
    for _ in 0..MOST_PAGES {
        let stream = api.reading_list(token, PAGE, state.since, continuation.as_deref())?;
        let more = !stream.items.is_empty();
        for item in stream.items {
            let got = (item.timestamp_usec.parse::<i64>().ok()).map(|u| u / 1_000_000);
            newest = newest.max(got);
            if item.number().is_some_and(|id| known.insert(id)) {
                items.push(item);
            }
        }
        match stream.continuation.filter(|c| !c.is_empty()) {
            Some(c) if more => continuation = Some(c),
            _ => break,
        }
    }
    Ok((items, newest))
}

/// Below this much text, what the server gave is taken for a summary and the item's page is
/// read for the whole story.
const SUMMARY_CHARS: usize = 500;

/// Saves the items as pages under a folder per feed, each remembered in `state`: one whose
/// link a page of the folder has already (from a local feed, or saved before) is not saved
/// again; one the server gave only a summary of is saved with the story read from its page,
/// within the fetch limits. How many each feed gave.
pub(super) fn save_items(
    items: Vec<greader::Item>,
    config: &Config,
    state: &mut ServerState,
    now: DateTime<FixedOffset>,
    report: &mut Report,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<BTreeMap<String, usize>, SyncError> {
    let mut per_feed: BTreeMap<String, usize> = BTreeMap::new();
    if items.is_empty() {
        return Ok(per_feed);
    }
    let mut have = pages_by_link(config)?;
    let summary_only = |item: &greader::Item| {
        let html = (item.content.as_ref().or(item.summary.as_ref())).map_or("", |c| &c.content);
        crate::feeds::html::plain(html).chars().count() < SUMMARY_CHARS
    };
    let links: Vec<Option<String>> = (items.iter())
        .map(|item| {
            item.link()
                .filter(|_| summary_only(item))
                .map(str::to_string)
        })
        .map(|link| link.filter(|l| !have.contains_key(l)))
        .collect();
    let settings = config.fetch_settings();
    let client = crate::feeds::http::Client::new(settings.limits);
    let hosts = crate::feeds::pages::Hosts::new(settings.per_host);
    let stories = crate::feeds::pages::stories(&client, &hosts, &links);
    let total = items.len();
    let mut pictures: Vec<crate::picture::Picture> = Vec::new();
    for (done, (item, story)) in items.iter().zip(stories).enumerate() {
        progress(done, total);
        let Some(id) = item.number() else { continue };
        let feed = (item.origin.as_ref()).map_or("", |o| o.title.as_str());
        let source = match crate::feeds::html::plain(feed) {
            name if name.is_empty() => "Sync".to_string(),
            name => name,
        };
        let link = item.link().unwrap_or("").to_string();
        let path = if let Some(path) = have.get(&link).filter(|_| !link.is_empty()) {
            path.clone()
        } else {
            let mut page = page_of(item, &source, now);
            if let Some(Ok(story)) = story {
                page.body = story.body;
                page.image = page.image.or(story.image);
            }
            pictures.extend(page.image.clone());
            let written =
                write::save(&config.articles_dir, &source, &page).map_err(|e| StoreError::Io {
                    doing: "write a page in",
                    path: config.articles_dir.clone(),
                    source: e,
                })?;
            report.new += 1;
            *per_feed.entry(source).or_default() += 1;
            let path = written.to_string_lossy().replace('\\', "/");
            if !link.is_empty() {
                have.insert(link.clone(), path.clone());
            }
            path
        };
        // Marks are taken in after, as changes from what the server last gave.
        state.items.push(SyncedItem {
            id,
            path,
            link,
            read: false,
            starred: false,
        });
    }
    download_pictures(&settings, &hosts, &pictures);
    write::flush_all(&config.articles_dir).map_err(|source| StoreError::Io {
        doing: "flush the new pages in",
        path: config.articles_dir.clone(),
        source,
    })?;
    Ok(per_feed)
}

/// The new pages' pictures downloaded with them, as a fetch's are (with `images = "fetch"`;
/// a picture that cannot be downloaded is simply not there: the page says `[photo: …]`).
fn download_pictures(
    settings: &crate::feeds::fetch::Settings,
    hosts: &crate::feeds::pages::Hosts,
    pictures: &[crate::picture::Picture],
) {
    let Some(store) = &settings.pictures else {
        return;
    };
    let downloads = crate::feeds::picture_download::Downloads::new(store, settings.limits);
    let asked: Vec<&crate::picture::Picture> = pictures.iter().collect();
    downloads.all(hosts, &asked, &std::sync::Mutex::default());
    let _ = downloads.trim();
}

/// An item of the server's made a page: its title, time and text (the content, else the
/// summary), from the feed it came in.
fn page_of(item: &greader::Item, source: &str, now: DateTime<FixedOffset>) -> NewPage {
    let html = (item.content.as_ref().or(item.summary.as_ref()))
        .map(|c| c.content.as_str())
        .unwrap_or("");
    let time = DateTime::from_timestamp(item.published, 0)
        .filter(|_| item.published > 0)
        .map(|t| t.with_timezone(&chrono::Local).fixed_offset());
    NewPage {
        source: source.to_string(),
        link: item.link().map(str::to_string),
        date: Some(time.map_or(now.date_naive(), crate::text::local_day)),
        time,
        headline: crate::feeds::html::plain(&item.title),
        standfirst: None,
        body: crate::feeds::html::blocks(html),
        image: lead_picture(item, html),
    }
}

/// The item's picture: an image it carries as an attachment, else the first large one in
/// its text.
fn lead_picture(item: &greader::Item, html: &str) -> Option<crate::picture::Picture> {
    let attached = item.enclosure.iter().find(|e| {
        e.kind
            .as_deref()
            .is_some_and(|k| k.starts_with("image/") && !k.contains("svg"))
    });
    match attached {
        Some(e) => crate::picture::Picture::new(&e.href, None),
        None => crate::feeds::html::page_picture("", html, None, item.link()),
    }
}

/// Each link the folder has a page of, with that page: an item of the same story is that
/// page, whatever brought it, so its marks follow it.
fn pages_by_link(config: &Config) -> Result<HashMap<String, String>, SyncError> {
    let library = crate::cache::load_kept(&config.articles_dir)
        .map_err(|e| SyncError::Folder(e.to_string()))?;
    Ok((library.articles().iter())
        .filter(|h| !h.link.is_empty())
        .map(|h| {
            let path = h.path.to_string_lossy().replace('\\', "/");
            (h.link.to_string(), path)
        })
        .collect())
}
