//! News from outside in the reader: the article's original link opened in the browser or
//! copied, every feed fetched in the background with its progress on the status bar, and the
//! feeds that failed kept for the problems window. The pages fetched come in through the
//! folder watcher, as any page saved into the folder does.

use crate::app::App;
use crate::app::message::{Effect, FetchJob};
use crate::feeds::fetch::Outcome;
use crate::text::{clean_display, plural};

/// How the problems window says a sync failed.
const SYNC_PROBLEM: &str = "sync: ";

impl App {
    /// The original link of the article the key is about, or a message saying it has none.
    fn target_link(&mut self) -> Option<String> {
        let article = self.target()?;
        let link = self
            .library
            .head(article)
            .map(|a| a.link.to_string())
            .filter(|l| !l.is_empty());
        if link.is_none() {
            self.message = Some("This article has no original link".into());
        }
        link
    }

    /// Opens the original link (and, as newsboat does, marks the article read).
    pub(super) fn open_link(&mut self) {
        if let Some(link) = self.target_link() {
            self.message = Some(format!("Opening {}", clean_display(&link)));
            self.emit(Effect::OpenLink(link));
            if let Some(article) = self.target() {
                self.mark_read(article);
            }
        }
    }

    pub(super) fn copy_link(&mut self) {
        if let Some(link) = self.target_link() {
            self.message = Some(format!("Copied {}", clean_display(&link)));
            self.emit(Effect::CopyLink(link));
        }
    }

    /// Fetches every feed, unless a fetch is on its way.
    pub(super) fn fetch_feeds(&mut self) {
        // With a sync server, R syncs with it too, beside fetching the local feeds.
        if self.settings.sync.is_some() && self.background.syncing.is_none() {
            self.background.syncing = Some((0, 0));
            self.emit(Effect::Sync(Box::new(self.settings.clone())));
        }
        if self.background.fetching.is_some() {
            self.message = Some("Fetching already".into());
            return;
        }
        self.background.fetching = Some((0, 0));
        self.emit(Effect::FetchFeeds(FetchJob {
            feeds_file: self.settings.feeds_file.clone(),
            settings: self.settings.fetch_settings(),
        }));
    }

    /// The time for a fetch by itself has come: it starts (unless one is on its way), and the
    /// next is asked for.
    pub(super) fn fetch_due(&mut self) {
        if self.background.fetching.is_none() {
            self.fetch_feeds();
        }
        if let Some(every) = self.settings.fetch_every {
            self.emit(Effect::FetchLater(every));
        }
    }

    pub(super) fn fetch_progress(&mut self, done: usize, total: usize) {
        if self.background.fetching.is_some() {
            self.background.fetching = Some((done.min(total), total));
        }
    }

    /// Fetching is over: what it brought is said, and the feeds that failed are kept for the
    /// problems window (until the next fetch).
    pub(super) fn fetched(&mut self, outcomes: Result<Vec<Outcome>, String>) {
        self.background.fetching = None;
        let outcomes = match outcomes {
            Ok(outcomes) => outcomes,
            Err(why) => {
                self.message = Some(format!("Fetching failed: {}", clean_display(&why)));
                return;
            }
        };
        // The sync's problem stays until the next sync.
        self.background
            .feed_problems
            .retain(|p| p.starts_with(SYNC_PROBLEM));
        let fetched: Vec<String> = outcomes
            .iter()
            .flat_map(|o| {
                let name = clean_display(&o.name);
                let failed = o.error.iter().map(move |e| failed_feed(&o.url, e));
                let notes = o
                    .notes
                    .iter()
                    .map(move |n| format!("{name}: {}", clean_display(n)));
                failed.chain(notes)
            })
            .collect();
        self.background.feed_problems.extend(fetched);
        // The feeds window follows: each feed's name (its title, once known) and failure.
        for outcome in &outcomes {
            self.feed_fetched(outcome);
        }
        let new: usize = outcomes.iter().map(|o| o.new).sum();
        let failed = outcomes.iter().filter(|o| o.error.is_some()).count();
        let mut message = match outcomes.len() {
            // Syncing is news enough.
            0 if self.settings.sync.is_some() => return,
            0 => "No feeds to fetch: broadsheet feeds add URL subscribes".to_string(),
            feeds => format!(
                "Fetched {}: {}",
                plural(feeds, "feed", "feeds"),
                plural(new, "new article", "new articles")
            ),
        };
        if failed > 0 {
            let key = self
                .settings
                .keymap
                .hint(crate::action::Action::ShowProblems);
            message.push_str(&format!(" · {failed} failed ({key} shows why)"));
        }
        self.message = Some(message);
    }

    /// A sync is over: said on the status bar; a failure is kept for the problems window
    /// until the next sync. The marks the server gave are made here too; the new pages come
    /// through the folder watcher.
    pub(super) fn synced(&mut self, report: Result<crate::sync::Report, String>) {
        self.background.syncing = None;
        self.background
            .feed_problems
            .retain(|p| !p.starts_with(SYNC_PROBLEM));
        match report {
            Ok(report) => {
                let mut said = format!(
                    "Synced: {}",
                    plural(report.new, "new article", "new articles")
                );
                if report.sent > 0 {
                    said.push_str(&format!(" · {} sent", plural(report.sent, "mark", "marks")));
                }
                self.message = Some(said);
                // The marks the server gave, shown here (saved again: no change to the files).
                for change in report.taken {
                    self.change(change, None);
                }
            }
            Err(why) => {
                let why = clean_display(&why);
                self.message = Some(format!("Sync failed: {why}"));
                (self.background.feed_problems).push(format!("{SYNC_PROBLEM}{why}"));
            }
        }
    }

    /// The feeds whose last fetch failed, as the state file remembers them (`states`, of the
    /// feeds still subscribed): in the problems window from the start, until a fetch says
    /// otherwise.
    pub fn last_fetch_failed(&mut self, states: &crate::feeds::fetch::States) {
        self.background.feed_problems = states
            .feeds
            .iter()
            .filter_map(|s| s.error.as_ref().map(|e| failed_feed(&s.url, e)))
            .collect();
    }
}

/// A feed that failed, as the problems window says it: its address and why.
fn failed_feed(url: &str, why: &str) -> String {
    format!("{}: {}", clean_display(url), clean_display(why))
}
