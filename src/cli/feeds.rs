//! The `feeds` commands: the subscriptions listed, added, removed, imported from OPML or a
//! newsboat `urls` file, and exported as OPML.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use crate::cli::FeedsCommand;
use crate::error::Error;
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
}

/// Runs a `feeds` command against the feeds file at `path`. Problems with lines of the file
/// go to stderr, each with its file:line; the rest of the file still works.
pub fn run(
    path: &Path,
    action: Option<FeedsCommand>,
    json: bool,
    out: &mut dyn Write,
) -> Result<io::Result<()>, Error> {
    let report = |feeds: &Feeds| {
        for problem in &feeds.problems {
            eprintln!("broadsheet: {problem}");
        }
    };
    Ok(match action {
        None => {
            let feeds = Feeds::load(path)?;
            report(&feeds);
            list(&feeds, json, out)
        }
        Some(FeedsCommand::Add { url, name }) => {
            feeds::check_url(&url).map_err(Error::Usage)?;
            let url = clean_display(&url);
            match feeds::add(path, &url, name.as_deref())? {
                Added::New => writeln!(out, "Subscribed: {url}"),
                Added::Already => writeln!(out, "Already subscribed: {url}"),
            }
        }
        Some(FeedsCommand::Remove { feed }) => {
            let gone = feeds::remove(path, &feed)?;
            if gone.is_empty() {
                return Err(Error::NoFeed(feed));
            }
            gone.iter()
                .try_for_each(|f| writeln!(out, "Unsubscribed: {}", clean_display(&f.url)))
        }
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
            write!(out, "{}", opml::export(&feeds.feeds))
        }
    })
}

fn list(feeds: &Feeds, json: bool, out: &mut dyn Write) -> io::Result<()> {
    let rows: Vec<Row> = feeds
        .feeds
        .iter()
        .map(|f| Row {
            url: &f.url,
            name: clean_display(&f.shown_name()),
            last_fetched: None,
            status: None,
            error: None,
        })
        .collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        return writeln!(out);
    }
    for row in rows {
        writeln!(out, "{}\t{}\t-\t-", clean_display(row.url), row.name)?;
    }
    Ok(())
}
