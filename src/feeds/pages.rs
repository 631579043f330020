//! A web page's story (or why there is none: a feed, another kind of file, no story), and
//! the pages a fetch's items link to, read several at a time: at most a few at once per host
//! (the hosts are shared by every feed of the fetch), and a host that did not answer in time
//! is not asked again in that fetch, so one slow host holds a fetch for one timeout, not one
//! per page.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};

use crate::feeds::host;
use crate::feeds::html::{self, Readable};
use crate::feeds::http::{Client, Failure, Response, Validators};

/// Pages read at once for one feed.
pub const PAGES_AT_ONCE: usize = 4;

/// How many pages each host is asked for at once, and the hosts that timed out.
#[derive(Debug)]
pub struct Hosts {
    per_host: usize,
    hosts: Mutex<HashMap<String, Host>>,
    freed: Condvar,
}

#[derive(Debug, Default)]
struct Host {
    busy: usize,
    /// Why it is not asked again in this fetch.
    down: Option<String>,
}

impl Hosts {
    /// Hosts asked for at most `per_host` pages at once (at least one).
    pub fn new(per_host: usize) -> Hosts {
        Hosts {
            per_host: per_host.max(1),
            hosts: Mutex::default(),
            freed: Condvar::new(),
        }
    }

    /// Waits for a place at `host`; `Err` with the reason when the host is down.
    fn enter(&self, host: &str) -> Result<(), PageError> {
        let Ok(mut hosts) = self.hosts.lock() else {
            return Ok(());
        };
        loop {
            let entry = hosts.entry(host.to_string()).or_default();
            if let Some(why) = &entry.down {
                return Err(PageError::HostDown(why.clone()));
            }
            if entry.busy < self.per_host {
                entry.busy += 1;
                return Ok(());
            }
            hosts = match self.freed.wait(hosts) {
                Ok(hosts) => hosts,
                Err(_) => return Ok(()),
            };
        }
    }

    /// Gives the place back; `down` marks the host as not to be asked again.
    fn leave(&self, host: &str, down: Option<String>) {
        if let Ok(mut hosts) = self.hosts.lock() {
            let entry = hosts.entry(host.to_string()).or_default();
            entry.busy = entry.busy.saturating_sub(1);
            if down.is_some() {
                entry.down = down;
            }
        }
        self.freed.notify_all();
    }
}

/// The readable story of each page of `links` (`None` where an item has no link), in their
/// order, read [`PAGES_AT_ONCE`] at a time within the hosts' limits.
pub fn stories(
    client: &Client,
    hosts: &Hosts,
    links: &[Option<String>],
) -> Vec<Option<Result<Readable, PageError>>> {
    crate::parallel::queue(links, PAGES_AT_ONCE, &|link| {
        link.as_deref().map(|link| story(client, hosts, link))
    })
    .into_iter()
    .map(Option::flatten)
    .collect()
}

/// Which server a link is on: its host and port (two servers on one address are two).
fn authority(link: &str) -> String {
    match url::Url::parse(link) {
        Ok(url) => format!(
            "{}:{}",
            url.host_str().unwrap_or_default(),
            url.port_or_known_default().unwrap_or(0)
        ),
        Err(_) => host(link).to_ascii_lowercase(),
    }
}

/// One page's story, within its host's limit. A host that timed out is not asked again.
fn story(client: &Client, hosts: &Hosts, link: &str) -> Result<Readable, PageError> {
    hosts.within(link, || story_of(client, link))
}

impl Hosts {
    /// Does `work` (a request to `link`) within its host's limit: it waits for a place, and
    /// a host that timed out before in this fetch is not asked again.
    pub fn within<T>(
        &self,
        link: &str,
        work: impl FnOnce() -> Result<T, PageError>,
    ) -> Result<T, PageError> {
        let host = authority(link);
        self.enter(&host)?;
        let done = work();
        let down = match &done {
            Err(why @ PageError::Fetch(Failure::TimedOut { .. })) => Some(why.to_string()),
            _ => None,
        };
        self.leave(&host, down);
        done
    }
}

/// Why a page gave no story, as its kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// The request failed (a timeout, a server's answer, a refusal…).
    #[error(transparent)]
    Fetch(#[from] Failure),
    #[error("the server answered 304 to a plain request")]
    NotModified,
    /// A feed or another kind of file, said how.
    #[error("{0}")]
    NotAPage(String),
    #[error("no readable story in it")]
    NoStory,
    /// Its host timed out before in this fetch (why).
    #[error("{0}, so the host was not asked again")]
    HostDown(String),
}

/// The readable story of the page at `url`, or why there is none.
pub fn story_of(client: &Client, url: &str) -> Result<html::Readable, PageError> {
    match client.ask(url, &Validators::default())? {
        Response::NotModified => Err(PageError::NotModified),
        Response::Fetched(page) => {
            not_a_page(page.content_type.as_deref(), &page.body).map_err(PageError::NotAPage)?;
            let text = String::from_utf8_lossy(&page.body);
            html::readable(&text, Some(url)).ok_or(PageError::NoStory)
        }
    }
}

/// Why an answer is not a web page to read a story from: a feed, or another kind of file.
fn not_a_page(content_type: Option<&str>, body: &[u8]) -> Result<(), String> {
    let kind = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let start = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
    let start = start.trim_start_matches('\u{feff}').trim_start();
    let feed_like = start.starts_with("<rss")
        || start.starts_with("<feed")
        || start.starts_with("<rdf:rdf")
        || (start.starts_with("<?xml")
            && ["<rss", "<feed", "<rdf:rdf"]
                .iter()
                .any(|t| start.contains(t)))
        || kind.contains("rss")
        || kind.contains("atom")
        || kind == "application/feed+json";
    if feed_like {
        return Err("it is a feed, not a page (broadsheet feeds add URL subscribes to it)".into());
    }
    let html = kind.is_empty() || kind.contains("html") || kind == "text/plain";
    match html {
        true => Ok(()),
        false => Err(format!("not a web page ({kind})")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_is_told_from_other_failures_by_its_kind_and_says_one_line() {
        let timeout = PageError::from(Failure::TimedOut {
            connect: 10,
            all: 30,
        });
        assert_eq!(
            timeout.to_string(),
            "no answer in time (connect 10 s, all 30 s)"
        );
        let busy = Failure::Status {
            status: 429,
            reason: "Too Many Requests".into(),
            retry_after: Some(std::time::Duration::from_secs(120)),
        };
        assert_eq!(
            busy.retry_after(),
            Some(std::time::Duration::from_secs(120))
        );
        assert_eq!(
            busy.to_string(),
            "the server answered 429 Too Many Requests (asks to wait 120 s)"
        );
        // Only a timeout marks its host as down.
        let hosts = Hosts::new(1);
        for (failure, down) in [
            (busy, false),
            (Failure::TimedOut { connect: 1, all: 1 }, true),
        ] {
            let host = if down { "slow" } else { "busy" };
            hosts.enter(host).expect("a place");
            let story: Result<Readable, PageError> = Err(failure.into());
            let why = match &story {
                Err(why @ PageError::Fetch(Failure::TimedOut { .. })) => Some(why.to_string()),
                _ => None,
            };
            hosts.leave(host, why);
            assert_eq!(hosts.enter(host).is_err(), down, "{host}");
        }
    }

    #[test]
    fn a_host_takes_its_limit_and_one_that_timed_out_is_not_asked_again() {
        let hosts = Hosts::new(2);
        assert_eq!(hosts.enter("a"), Ok(()));
        assert_eq!(hosts.enter("a"), Ok(()));
        // A third waits until one leaves.
        std::thread::scope(|scope| {
            let third = scope.spawn(|| hosts.enter("a"));
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(!third.is_finished());
            hosts.leave("a", None);
            assert_eq!(third.join().ok(), Some(Ok(())));
        });
        assert_eq!(hosts.enter("b"), Ok(()));
        hosts.leave("a", Some("no answer in time".into()));
        assert_eq!(
            hosts.enter("a"),
            Err(PageError::HostDown("no answer in time".into()))
        );
        assert_eq!(hosts.enter("b"), Ok(()));
    }
}
