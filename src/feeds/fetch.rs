//! Fetching the feeds into the articles folder: several feeds at once (a bounded number), each
//! feed's answer parsed (RSS 0.9x/1.0/2.0, Atom, JSON Feed), each item new to it written as a
//! page with the readable story of the page it links to (else the item's own text, said so),
//! and what each feed gave remembered in a state file, per articles folder, so that an item is
//! new once even when its page has been deleted since (a feed whose folder of pages is gone or
//! empty starts again: a new or emptied articles folder gets its news). One fetch at a time
//! per articles folder: a second one waits for the first, so no item is saved twice.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::durable::{self, StoreError};
use crate::feeds::html::plain;
use crate::feeds::http::{self, Client, Limits, Response, Validators};
use crate::feeds::items::Item;
use crate::feeds::picture_download::Downloads;
use crate::feeds::write::{self, NewPage};
use crate::feeds::{Feed, host};
use crate::feeds::{html, pages};

pub use crate::feeds::state::{FetchedFile, Saved, State, States, states_of};

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
    /// Where the stories' pictures are downloaded to with them (`None`: they are not).
    pub pictures: Option<crate::images::store::Store>,
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
    let pictures = (settings.pictures.as_ref()).map(|store| Downloads::new(store, settings.limits));
    let hosts = pages::Hosts::new(settings.per_host);
    let asked = std::sync::Mutex::default();
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
        let asking = Asking {
            client: &client,
            hosts: &hosts,
            pictures: pictures.as_ref(),
            asked: &asked,
        };
        let fetched = fetch_one(&asking, feed, state, settings, now);
        progress(answered.fetch_add(1, Ordering::Relaxed) + 1, feeds.len());
        fetched
    })
    .into_iter()
    .flatten()
    .collect();
    // The pictures' cache back within its cap, once for the whole fetch; why not, if it
    // cannot be, is said with the first feed.
    let mut done = done;
    if let Some(downloads) = &pictures
        && let Err(e) = downloads.trim()
        && let Some((first, _)) = done.first_mut()
    {
        first.notes.push(format!("the pictures' cache {e}"));
    }
    // Pages that may not be on disk are not recorded as saved: the next fetch finds their
    // items again (and their links in the folder, so none is saved twice).
    write::flush_all(&settings.articles).map_err(|source| StoreError::Io {
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

/// Fetches one feed and saves its new items; the state it leaves. The steps: ask the feed
/// ([`ask`]), read it ([`parse_feed`], [`learn`]), choose the items to write ([`to_write`]),
/// read their pages, make each a page ([`page_of`]) and write it ([`write_item`]).
fn fetch_one(
    asking: &Asking,
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
    let parsed = match ask(asking.client, feed, &mut state, now).and_then(|fetched| {
        let fetched = match fetched {
            Some(fetched) => fetched,
            None => return Ok(None),
        };
        let parsed = parse_feed(&fetched.body)?;
        // The pictures the parser does not keep.
        let extra_images = crate::feeds::lead_picture::unparsed_images(
            &fetched.body,
            &parsed.feed_type,
            &feed.url,
        );
        learn(&mut state, fetched, &parsed, now);
        Ok(Some((parsed, extra_images)))
    }) {
        Ok(Some(parsed)) => parsed,
        // Not modified: nothing new.
        Ok(None) => return (outcome, state),
        Err(why) => {
            state.failures += 1;
            state.error = Some(why.clone());
            outcome.error = Some(why);
            return (outcome, state);
        }
    };
    outcome.name = name_of(feed, Some(&state));
    let (parsed, extra_images) = parsed;
    let work = to_write(
        &parsed,
        &extra_images,
        feed,
        &mut state,
        settings,
        &outcome.name,
    );
    let links: Vec<Option<String>> = work.iter().map(|(i, _)| i.link.clone()).collect();
    let stories = pages::stories(asking.client, asking.hosts, &links);
    let made: Vec<(Item, Option<String>, NewPage)> = (work.into_iter().zip(stories))
        .map(|((item, place), story)| {
            let page = page_of(&item, story, &outcome.name, now, &mut outcome.notes);
            (item, place, page)
        })
        .collect();
    download_pictures(asking, &made, &mut outcome.notes);
    for (item, place, page) in made {
        write_item(item, place, &page, settings, &mut state, &mut outcome);
    }
    if outcome.updated > 0 {
        let n = outcome.updated;
        let items = if n == 1 { "item" } else { "items" };
        (outcome.notes).push(format!(
            "{n} {items} changed since: their pages were updated"
        ));
    }
    state.forget_oldest();
    (outcome, state)
}

/// What a fetch asks the web with: its client, the hosts' limits, and the pictures' client
/// and cache when pictures come with the news.
struct Asking<'a> {
    client: &'a Client,
    hosts: &'a pages::Hosts,
    pictures: Option<&'a Downloads<'a>>,
    /// The pictures asked for in this fetch, by any feed.
    asked: &'a std::sync::Mutex<HashSet<String>>,
}

/// Downloads the pictures of the pages about to be written; a picture that could not be
/// downloaded or was refused is a note (the page is written all the same).
fn download_pictures(
    asking: &Asking,
    made: &[(Item, Option<String>, NewPage)],
    notes: &mut Vec<String>,
) {
    let Some(downloads) = asking.pictures else {
        return;
    };
    let pictures: Vec<(&NewPage, &crate::picture::Picture)> = made
        .iter()
        .filter_map(|(_, _, page)| Some((page, page.image.as_ref()?)))
        .collect();
    let only: Vec<&crate::picture::Picture> = pictures.iter().map(|(_, p)| *p).collect();
    let done = downloads.all(asking.hosts, &only, asking.asked);
    for ((page, picture), done) in pictures.into_iter().zip(done) {
        if let Some(Err(why)) = done {
            notes.push(format!(
                "{}: the picture {} {why}",
                crate::text::clean_display(&page.headline),
                crate::text::clean_display(&picture.url)
            ));
        }
    }
}

/// Asks for the feed: its answer, `None` when it has not changed, or why it failed (with the
/// time the server asked to be left alone kept in `state`).
fn ask(
    client: &Client,
    feed: &Feed,
    state: &mut State,
    now: DateTime<FixedOffset>,
) -> Result<Option<http::Fetched>, String> {
    let validators = Validators {
        etag: state.etag.clone(),
        last_modified: state.last_modified.clone(),
    };
    state.tried = Some(now.to_rfc3339());
    match client.ask(&feed.url, &validators) {
        Ok(Response::NotModified) => {
            state.error = None;
            state.failures = 0;
            state.retry_after = None;
            state.fetched = Some(now.to_rfc3339());
            Ok(None)
        }
        Ok(Response::Fetched(fetched)) => Ok(Some(fetched)),
        Err(failure) => {
            state.retry_after = failure.retry_after().and_then(|wait| {
                let wait = chrono::Duration::from_std(wait).ok()?;
                Some((now + wait).to_rfc3339())
            });
            Err(failure.to_string())
        }
    }
}

/// The feed's entries, each given an id from its link or title when it has none.
fn parse_feed(body: &[u8]) -> Result<feed_rs::model::Feed, String> {
    feed_rs::parser::Builder::new()
        .id_generator(|links, title, _| match (links.first(), title) {
            (Some(link), _) => format!("link:{}", link.href),
            (None, Some(title)) => format!("title:{}", title.content),
            (None, None) => String::new(),
        })
        .build()
        .parse(body)
        .map_err(|e| format!("not a feed: {e}"))
}

/// What a feed that answered tells about itself: it is well, when it answered, its
/// validators for next time, its title and its kind.
fn learn(
    state: &mut State,
    fetched: http::Fetched,
    parsed: &feed_rs::model::Feed,
    now: DateTime<FixedOffset>,
) {
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
}

/// The items to write, each with the page it is written over (`None`: a new page): those new
/// to this folder, in the feed's order, then those saved before that have changed since. An
/// item whose page is in the folder already (a fetch that ended before it could remember it
/// saved the page) is not saved again.
fn to_write(
    parsed: &feed_rs::model::Feed,
    extra_images: &[Option<crate::picture::Picture>],
    feed: &Feed,
    state: &mut State,
    settings: &Settings,
    name: &str,
) -> Vec<(Item, Option<String>)> {
    let mut seen: HashSet<String> = state.seen.iter().cloned().collect();
    let mut items: Vec<Item> = Vec::new();
    let mut changed: Vec<(Item, String)> = Vec::new();
    for (n, entry) in parsed.entries.iter().enumerate() {
        let mut item = Item::of(entry, &feed.url);
        if item.image.is_none() {
            item.image = extra_images.get(n).cloned().flatten();
        }
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
    if items.iter().any(|i| i.link.is_some()) {
        let saved = write::links_in(&settings.articles.join(write::folder(name)));
        items.retain(|item| match &item.link {
            Some(link) if saved.contains(link) => {
                state.seen.push(item.key.clone());
                false
            }
            _ => true,
        });
    }
    (items.into_iter().map(|item| (item, None)))
        .chain(changed.into_iter().map(|(item, path)| (item, Some(path))))
        .collect()
}

/// A feed item made a page: the story read from its link when there was one to read (with
/// what was odd about it as notes), else the feed's own text. An item's time is kept to the
/// second, written in the local offset; one with none is dated the day it was fetched.
fn page_of(
    item: &Item,
    story: Option<Result<html::Readable, pages::PageError>>,
    source: &str,
    now: DateTime<FixedOffset>,
    notes: &mut Vec<String>,
) -> NewPage {
    let named = || item.title.clone().unwrap_or_else(|| "an item".into());
    let mut image = item.image.clone();
    let body = match story {
        Some(Ok(readable)) => {
            for warning in readable.warnings() {
                notes.push(format!("{}: {warning}", named()));
            }
            image = image.or(readable.image);
            readable.body
        }
        Some(Err(why)) => {
            notes.push(format!(
                "{}: the page could not be read ({why}): saved the feed's own text",
                named()
            ));
            item.own_text.clone()
        }
        None => item.own_text.clone(),
    };
    NewPage {
        source: source.to_string(),
        link: item.link.clone(),
        date: Some(now.date_naive()),
        time: item
            .date
            .map(|d| d.with_timezone(&chrono::Local).fixed_offset()),
        headline: item.title.clone().unwrap_or_default(),
        standfirst: item.summary.clone().filter(|s| !s.is_empty()),
        body,
        image,
    }
}

/// Writes an item's page: a new one, or again over its old page (changed under the same
/// key); counted, and remembered in `state`, or a note of why it was not saved.
fn write_item(
    item: Item,
    place: Option<String>,
    page: &NewPage,
    settings: &Settings,
    state: &mut State,
    outcome: &mut Outcome,
) {
    let (key, digest) = (item.key.clone(), item.digest());
    let written = match &place {
        Some(path) => {
            write::replace(&settings.articles, Path::new(path), page).map(|()| PathBuf::from(path))
        }
        None => write::save(&settings.articles, &outcome.name, page),
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
        Err(e) => outcome.notes.push(format!(
            "{}: not saved: {e}",
            crate::text::clean_display(&page.headline)
        )),
    }
}

/// A page saved on its own (`broadsheet save URL`): its story written under the site's name.
/// Returns the new page's path relative to the articles folder, and its picture.
pub fn save_page(
    client: &Client,
    url: &str,
    articles: &Path,
    today: NaiveDate,
) -> Result<(PathBuf, Option<crate::picture::Picture>), String> {
    let story = pages::story_of(client, url).map_err(|e| e.to_string())?;
    let source = story
        .site_name
        .clone()
        .unwrap_or_else(|| host(url).to_string());
    let time = story.time();
    let written = NewPage {
        source: source.clone(),
        link: Some(url.to_string()),
        date: Some(today),
        time,
        headline: story.title,
        standfirst: story.excerpt,
        body: story.body,
        image: story.image,
    };
    let path = write::save(articles, &source, &written)
        .map_err(|e| format!("cannot write the page: {e}"))?;
    Ok((path, written.image))
}
