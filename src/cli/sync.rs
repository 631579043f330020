//! `broadsheet sync`: what one sync with the server gave, as lines or JSON. The server's
//! address is printed; the password and token never are.

use std::io::{self, Write};

use serde::Serialize;

use crate::config::Config;
use crate::error::Error;
use crate::sync::{self, Report};
use crate::text::clean_display;

#[derive(Serialize)]
struct Synced<'a> {
    server: &'a str,
    feeds: Vec<Feed>,
    new: usize,
    sent: usize,
    pending: usize,
    error: Option<String>,
}

#[derive(Serialize)]
struct Feed {
    name: String,
    new: usize,
}

/// Syncs and prints what came of it; `Ok(false)` when the server could not be reached or
/// refused (said on stderr and in the JSON's `error`).
pub fn run(config: &Config, json: bool, out: &mut dyn Write) -> Result<io::Result<bool>, Error> {
    let Some(account) = &config.sync else {
        return Err(Error::Usage(
            "no [sync] table in config.toml: give it server, user and password_command".into(),
        ));
    };
    let now = chrono::Local::now().fixed_offset();
    let (report, error) = match sync::run(config, account, now, &|_, _| {}) {
        // A change the server refused is said once (it is not sent again).
        Ok(report) if !report.refused.is_empty() => {
            let why = format!("the server refused: {}", report.refused.join("; "));
            (report, Some(why))
        }
        Ok(report) => (report, None),
        Err(e) => (
            Report {
                server: account.server.clone(),
                // What is left to send, sent next time.
                pending: sync::pending(config, account),
                ..Report::default()
            },
            Some(e.to_string()),
        ),
    };
    if let Some(error) = &error {
        eprintln!("broadsheet: sync: {}", clean_display(error));
    }
    let ok = error.is_none();
    Ok(print(&report, error, json, out).map(|()| ok))
}

fn print(
    report: &Report,
    error: Option<String>,
    json: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    if json {
        let synced = Synced {
            server: &report.server,
            feeds: (report.feeds.iter())
                .map(|(name, new)| Feed {
                    name: clean_display(name),
                    new: *new,
                })
                .collect(),
            new: report.new,
            sent: report.sent,
            pending: report.pending,
            error: error.map(|e| clean_display(&e)),
        };
        serde_json::to_writer_pretty(&mut *out, &synced)?;
        return writeln!(out);
    }
    for (name, new) in &report.feeds {
        writeln!(out, "{}\t{new} new", clean_display(name))?;
    }
    writeln!(
        out,
        "{} new, {} sent, {} pending",
        report.new, report.sent, report.pending
    )
}
