//! The `feeds`, `fetch` and `save` commands: the subscriptions listed, added, removed,
//! imported from OPML or a newsboat `urls` file and exported as OPML; every feed fetched into
//! the articles folder; one web page saved as an article.

use std::io::{self, Write};

use serde::Serialize;

use crate::cli::FeedsCommand;
use crate::config::Config;
use crate::error::Error;
use crate::feeds::fetch::{self, Outcome, States};
use crate::feeds::http::Client;
use crate::feeds::{self, Added, Feeds, opml};
use crate::text::clean_display;

/// A feed as `feeds --json` lists it. A feed not yet fetched has no time, status or error.
#[derive(Serialize)]
struct Row<'a> {
    url: &'a str,
    name: String,
    last_fetched: Option<String>,
    status: Option<&'static str>,
    error: Option<String>,
    /// The folders it is in.
    tags: &'a [String],
    /// Why its last fetch failed (`null` when it answered), as `error`.
    last_error: Option<String>,
    /// Its articles in the articles folder not yet read, and all of them (`null` when the
    /// folder cannot be read).
    unread: Option<usize>,
    total: Option<usize>,
    /// `local`: broadsheet fetches it; `sync`: the sync server follows it.
    origin: &'static str,
}

/// Runs a `feeds` command against the feeds file at `path`. Problems with lines of the file
/// go to stderr, each with its file:line; the rest of the file still works.
pub fn run(
    config: &Config,
    action: Option<FeedsCommand>,
    json: bool,
    out: &mut dyn Write,
) -> Result<io::Result<()>, Error> {
    let report = |feeds: &Feeds| {
        for problem in &feeds.problems {
            eprintln!("broadsheet: {problem}");
        }
    };
    let path = config.feeds_file.as_path();
    Ok(match action {
        None => {
            let feeds = Feeds::load(path)?;
            report(&feeds);
            let states = fetch::states_of(&config.fetched_file, &config.articles_dir)?;
            let server = crate::sync::server_feeds(config);
            if feeds.feeds.is_empty() && server.is_empty() && !json {
                // Said on stderr: a script reading stdout sees no lines.
                eprintln!("no feeds: broadsheet feeds add URL subscribes to one");
            }
            let mut listed = crate::feedlist::Feed::all(&feeds, &states);
            listed.extend(server.iter().map(crate::feedlist::Feed::of_server));
            let counts = counts(config, &listed);
            list(&feeds, &states, &listed, &counts, json, out)
        }
        Some(FeedsCommand::Add {
            url,
            name,
            tags,
            // The server asks the address itself whether it is a feed.
            as_is: _,
            sync: true,
        }) => add_on_server(config, &url, name, &tags, out)?,
        Some(FeedsCommand::Add {
            url,
            name,
            tags,
            as_is,
            sync: false,
        }) => add(config, url, name, tags, as_is, out)?,
        Some(FeedsCommand::Remove { feed }) => remove(config, feed, out)?,
        Some(FeedsCommand::Import { file }) => {
            let text = std::fs::read_to_string(&file).map_err(|source| Error::Read {
                path: file.clone(),
                source,
            })?;
            let (found, problems) = opml::import(&text).map_err(|why| Error::Import {
                path: file.clone(),
                message: why,
            })?;
            for problem in problems {
                eprintln!(
                    "broadsheet: {}: left out: {}",
                    crate::error::shown(&file),
                    clean_display(&problem)
                );
            }
            let added = feeds::add_all(path, &found)?;
            let noun = if added == 1 { "feed" } else { "feeds" };
            writeln!(out, "Added {added} {noun} of {} in the list", found.len())
        }
        Some(FeedsCommand::Export) => {
            let feeds = Feeds::load(path)?;
            report(&feeds);
            let states = fetch::states_of(&config.fetched_file, &config.articles_dir)?;
            write!(out, "{}", opml::export(&feeds.feeds, &states))
        }
    })
}

/// `feeds add --sync`: subscribes on the sync server (the first tag its folder there).
fn add_on_server(
    config: &Config,
    url: &str,
    name: Option<String>,
    tags: &[String],
    out: &mut dyn Write,
) -> Result<io::Result<()>, Error> {
    feeds::check_url(url).map_err(Error::Usage)?;
    let account = config
        .sync
        .as_ref()
        .ok_or_else(|| Error::Usage("--sync needs a [sync] table in config.toml".into()))?;
    let url = clean_display(url);
    let new = crate::sync::greader::Subscribe {
        url: url.clone(),
        folder: tags.first().cloned(),
        name,
    };
    crate::sync::edit_subscription(config, account, Some(&new), None)
        .map_err(|e| Error::Sync(e.to_string()))?;
    Ok(writeln!(out, "Subscribed on the server: {url}"))
}

/// `feeds add`: subscribes in the feeds file, to the feed behind a page when it is one.
fn add(
    config: &Config,
    url: String,
    name: Option<String>,
    tags: Vec<String>,
    as_is: bool,
    out: &mut dyn Write,
) -> Result<io::Result<()>, Error> {
    let path = config.feeds_file.as_path();
    feeds::check_url(&url).map_err(Error::Usage)?;
    let mut url = clean_display(&url);
    if !as_is {
        let client = Client::new(config.fetch_limits());
        match feeds::discover::discover(&client, &url) {
            feeds::discover::Found::Feed => {}
            feeds::discover::Found::Behind(feed) => {
                eprintln!(
                    "broadsheet: {url} is a page: its feed is {}",
                    clean_display(&feed)
                );
                url = clean_display(&feed);
            }
            feeds::discover::Found::Unreachable(why) => eprintln!(
                "broadsheet: could not ask {url} whether it is a feed ({}): subscribed as given",
                clean_display(&why)
            ),
            feeds::discover::Found::Nothing(why) => {
                return Err(Error::NoFeedFound { url, why });
            }
        }
    }
    let found = feeds::Found {
        url: url.clone(),
        name,
        tags,
    };
    Ok(match feeds::add(path, found)? {
        Added::New => writeln!(out, "Subscribed: {url}"),
        Added::Already => writeln!(out, "Already subscribed: {url}"),
    })
}

/// `feeds remove`: unsubscribes in the feeds file and on the sync server.
fn remove(config: &Config, feed: String, out: &mut dyn Write) -> Result<io::Result<()>, Error> {
    let path = config.feeds_file.as_path();
    let states = fetch::states_of(&config.fetched_file, &config.articles_dir)?;
    let shown = |f: &feeds::Feed| fetch::name_of(f, states.of(&f.url));
    let gone = feeds::remove(path, &feed, &shown)?;
    // The sync server's feeds with that address or name, unsubscribed there.
    let on_server: Vec<crate::sync::ServerFeed> = crate::sync::server_feeds(config)
        .into_iter()
        .filter(|f| f.url == feed || f.name.eq_ignore_ascii_case(&feed))
        .collect();
    if gone.is_empty() && on_server.is_empty() {
        return Err(Error::NoFeed(feed));
    }
    let said = gone
        .iter()
        .try_for_each(|f| writeln!(out, "Unsubscribed: {}", clean_display(&f.url)));
    if let Some(account) = &config.sync {
        for f in &on_server {
            crate::sync::edit_subscription(config, account, None, Some(&f.id))
                .map_err(|e| Error::Sync(e.to_string()))?;
        }
    }
    Ok(said.and_then(|()| {
        on_server.iter().try_for_each(|f| {
            writeln!(out, "Unsubscribed on the server: {}", clean_display(&f.url))
        })
    }))
}

/// Each feed's unread and total articles in the articles folder (`None` when the folder or
/// its read marks cannot be read).
fn counts(config: &Config, listed: &[crate::feedlist::Feed]) -> Vec<Option<(usize, usize)>> {
    let stores = crate::bookmarks::folders::Stores::new(
        config.bookmarks_file.clone(),
        config.state_file.clone(),
        &config.articles_dir,
    );
    let (Ok(folder), Ok(state)) = (
        crate::cli::folder::Folder::open(&config.articles_dir),
        stores.load_state(),
    ) else {
        return vec![None; listed.len()];
    };
    let library = folder.library();
    let owners = crate::feedlist::owners(library, listed);
    let read = |i: usize| library.head(i).is_some_and(|h| state.read.contains(h.id));
    let mut counts = vec![(0, 0); listed.len()];
    for (i, owner) in owners.iter().enumerate() {
        if let Some(count) = owner.and_then(|o| counts.get_mut(o as usize)) {
            count.1 += 1;
            count.0 += usize::from(!read(i));
        }
    }
    counts.into_iter().map(Some).collect()
}

fn list(
    feeds: &Feeds,
    states: &States,
    listed: &[crate::feedlist::Feed],
    counts: &[Option<(usize, usize)>],
    json: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut rows: Vec<Row> = feeds
        .feeds
        .iter()
        .enumerate()
        .map(|(n, f)| {
            let (unread, total) = counts.get(n).copied().flatten().unzip();
            let state = states.of(&f.url);
            let fetched = state.and_then(|s| s.fetched.clone());
            // A feed left alone for now says until when, and why.
            let now = chrono::Local::now().fixed_offset();
            let resting = state.and_then(|s| s.resting(now)).map(|(until, why)| {
                let until = until.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M");
                format!("{why}, until {until}")
            });
            let error = state.and_then(|s| s.error.clone()).map(|e| match &resting {
                Some(resting) => format!("{resting}: {e}"),
                None => e,
            });
            Row {
                url: &f.url,
                name: clean_display(&fetch::name_of(f, state)),
                status: fetched
                    .as_ref()
                    .map(|_| if error.is_some() { "error" } else { "ok" }),
                last_fetched: fetched,
                last_error: error.as_deref().map(clean_display),
                error: error.map(|e| clean_display(&e)),
                tags: &f.tags,
                unread,
                total,
                origin: "local",
            }
        })
        .collect();
    // The sync server's feeds after the local ones, as `counts` has them.
    let local = rows.len();
    rows.extend(server_rows(listed, counts, local));
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        return writeln!(out);
    }
    for row in rows {
        let status = match (&row.error, row.status) {
            (Some(error), _) => error.clone(),
            (None, Some(status)) => status.to_string(),
            (None, None) => "-".into(),
        };
        let fetched = row.last_fetched.as_deref().unwrap_or("-");
        let counts = match (row.unread, row.total) {
            (Some(unread), Some(total)) => format!("{unread}/{total}"),
            _ => "-".into(),
        };
        writeln!(
            out,
            "{}\t{}\t{fetched}\t{status}\t{counts}",
            clean_display(row.url),
            row.name
        )?;
    }
    Ok(())
}

/// The rows of the sync server's feeds: `listed` from `local` on, with their counts.
fn server_rows<'a>(
    listed: &'a [crate::feedlist::Feed],
    counts: &[Option<(usize, usize)>],
    local: usize,
) -> Vec<Row<'a>> {
    (listed.iter().enumerate().skip(local))
        .map(|(n, f)| {
            let (unread, total) = counts.get(n).copied().flatten().unzip();
            Row {
                url: &f.url,
                name: clean_display(&f.name),
                last_fetched: None,
                status: None,
                error: None,
                tags: &f.tags,
                last_error: None,
                unread,
                total,
                origin: f.origin.name(),
            }
        })
        .collect()
}

/// A feed as `fetch --json` reports it.
#[derive(Serialize)]
struct Fetched<'a> {
    url: &'a str,
    name: String,
    new: usize,
    /// Pages written again because their item changed.
    updated: usize,
    status: &'static str,
    error: Option<String>,
}

/// `fetch`: every feed, `name<TAB>N new<TAB>status` per feed (`ok`, or why it failed), and on
/// stderr each item saved from the feed's own text. `Ok(false)` when any feed failed.
pub fn fetch(config: &Config, json: bool, out: &mut dyn Write) -> Result<io::Result<bool>, Error> {
    let feeds = Feeds::load(&config.feeds_file)?;
    for problem in &feeds.problems {
        eprintln!("broadsheet: {problem}");
    }
    let now = chrono::Local::now().fixed_offset();
    let outcomes = fetch::fetch_all(&feeds.feeds, &config.fetch_settings(), now, &|_, _| {})?;
    for outcome in &outcomes {
        for note in &outcome.notes {
            eprintln!(
                "broadsheet: {}: {}",
                clean_display(&outcome.name),
                clean_display(note)
            );
        }
    }
    let all_answered = outcomes.iter().all(|o| o.error.is_none());
    Ok(fetched(&outcomes, json, out).map(|()| all_answered))
}

fn fetched(outcomes: &[Outcome], json: bool, out: &mut dyn Write) -> io::Result<()> {
    if json {
        let rows: Vec<Fetched> = outcomes
            .iter()
            .map(|o| Fetched {
                url: &o.url,
                name: clean_display(&o.name),
                new: o.new,
                updated: o.updated,
                status: if o.error.is_some() { "error" } else { "ok" },
                error: o.error.as_deref().map(clean_display),
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        return writeln!(out);
    }
    for o in outcomes {
        let status = o
            .error
            .as_deref()
            .map_or_else(|| "ok".into(), clean_display);
        writeln!(out, "{}\t{} new\t{status}", clean_display(&o.name), o.new)?;
    }
    Ok(())
}

/// `save URL`: the page's story written as an article, and its id (as the library gives it
/// once the folder is read again with `load`), or `{id, path, headline, source, link}`. A
/// URL whose page is in the folder already gives that page's id, and nothing is saved.
pub fn save(
    config: &Config,
    url: &str,
    json: bool,
    out: &mut dyn Write,
) -> Result<io::Result<()>, Error> {
    feeds::check_url(url).map_err(Error::Usage)?;
    if let Ok(library) = crate::cache::load_kept(&config.articles_dir)
        && let Some(article) = library.articles().iter().find(|a| a.link == url)
    {
        return Ok(print_saved(article, json, out));
    }
    let client = Client::new(config.fetch_limits());
    let today = chrono::Local::now().date_naive();
    let not_saved = |why: String| Error::NotSaved {
        url: url.to_string(),
        why,
    };
    let (path, picture) =
        fetch::save_page(&client, url, &config.articles_dir, today).map_err(not_saved)?;
    if let Some(picture) = picture {
        save_picture(config, &picture);
    }
    let library = crate::cache::load_kept(&config.articles_dir)?;
    let Some(article) = library.articles().iter().find(|a| a.path == path) else {
        let why = format!("{} was written but does not load as a page", path.display());
        return Err(not_saved(why));
    };
    Ok(print_saved(article, json, out))
}

/// The saved page's picture downloaded with it (with `images = "fetch"`); why not, if it
/// could not be, said on stderr (the page is saved all the same).
fn save_picture(config: &Config, picture: &crate::picture::Picture) {
    if config.images.mode != crate::images::Mode::Fetch {
        return;
    }
    let store = crate::images::store::Store::of(&config.images);
    let downloads = crate::feeds::picture_download::Downloads::new(&store, config.fetch_limits());
    if let Err(why) = (downloads.one(&picture.url)).and_then(|_| downloads.trim()) {
        eprintln!(
            "broadsheet: the picture {} {why}",
            clean_display(&picture.url)
        );
    }
}

/// A saved page as `save` prints it: its id, or `{id, path, headline, source, link}`.
fn print_saved(article: crate::headers::Head, json: bool, out: &mut dyn Write) -> io::Result<()> {
    if !json {
        return writeln!(out, "{}", article.id);
    }
    #[derive(Serialize)]
    struct Saved<'a> {
        id: &'a str,
        path: String,
        headline: &'a str,
        source: &'a str,
        link: &'a str,
    }
    let saved = Saved {
        id: article.id,
        path: article.path.to_string_lossy().replace('\\', "/"),
        headline: article.headline,
        source: article.source,
        link: article.link,
    };
    serde_json::to_writer_pretty(&mut *out, &saved).map_err(io::Error::from)?;
    writeln!(out)
}
