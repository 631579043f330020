//! Subscriptions: the feeds file a person can edit, one feed a line (its address, then the
//! name given to it, if any; `#` starts a comment). A broken line is reported with its
//! file:line and the rest still works; a change is made under the file's lock and written
//! atomically, every other line kept as it was written. [`opml`] imports and exports the list.

pub mod fetch;
pub mod html;
pub mod http;
pub mod nesting;
pub mod opml;
pub mod pages;
pub mod write;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::durable::{self, StoreError};
use crate::text::one_line;

/// What a new feeds file starts with.
const HEADER: &str = "# broadsheet's feeds: one a line, the address, then a name if you like.\n";

/// One subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub url: String,
    /// The name the user gave it, if any.
    pub name: Option<String>,
    /// Its line in the feeds file (1-based).
    pub line: usize,
}

impl Feed {
    /// The name to show: the one given, else the address's host.
    pub fn shown_name(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| host(&self.url).to_string())
    }
}

/// A line of the feeds file that is not a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}",
            crate::error::shown(&self.path),
            self.line,
            crate::text::clean_display(&self.message)
        )
    }
}

/// The feeds file as read: its lines as written, the feeds they give, and the broken ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Feeds {
    lines: Vec<String>,
    pub feeds: Vec<Feed>,
    pub problems: Vec<Problem>,
}

/// What adding a feed did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    New,
    /// The address was listed already (nothing changed).
    Already,
}

impl Feeds {
    /// Reads the feeds file's text; `path` names it in problems.
    pub fn parse(text: &str, path: &Path) -> Feeds {
        let mut feeds = Feeds {
            lines: text.lines().map(str::to_string).collect(),
            ..Feeds::default()
        };
        for (n, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (url, name) = match line.split_once(char::is_whitespace) {
                Some((url, name)) => (url, Some(name.trim())),
                None => (line, None),
            };
            let problem = |message: String| Problem {
                path: path.to_path_buf(),
                line: n + 1,
                message,
            };
            if let Err(why) = check_url(url) {
                feeds.problems.push(problem(why));
                continue;
            }
            if let Some(first) = feeds.feeds.iter().find(|f| f.url == url) {
                let message = format!("{url} is listed already, at line {}", first.line);
                feeds.problems.push(problem(message));
                continue;
            }
            feeds.feeds.push(Feed {
                url: url.to_string(),
                name: name.filter(|n| !n.is_empty()).map(str::to_string),
                line: n + 1,
            });
        }
        feeds
    }

    /// Reads the feeds file; a missing one lists no feed.
    pub fn load(path: &Path) -> Result<Feeds, StoreError> {
        Ok(match crate::durable::read_text(path)? {
            Some(text) => Feeds::parse(&text, path),
            None => Feeds::default(),
        })
    }

    /// The file's text with `feeds` added at the end (those whose address is listed already
    /// are left out); how many were added.
    fn with_added(&self, feeds: &[(String, Option<String>)]) -> (String, usize) {
        let mut lines = self.lines.clone();
        if lines.is_empty() {
            lines.push(HEADER.trim_end().to_string());
        }
        let mut listed: Vec<&str> = self.feeds.iter().map(|f| f.url.as_str()).collect();
        let mut added = 0;
        for (url, name) in feeds {
            if listed.contains(&url.as_str()) {
                continue;
            }
            listed.push(url);
            added += 1;
            lines.push(
                match name.as_deref().map(one_line).filter(|n| !n.is_empty()) {
                    Some(name) => format!("{url} {name}"),
                    None => url.clone(),
                },
            );
        }
        (lines.join("\n") + "\n", added)
    }
}

/// Adds feeds to the file at `path` (under its lock, written atomically); those listed
/// already are left as they are. Returns how many were added. Every address must be valid.
pub fn add_all(path: &Path, feeds: &[(String, Option<String>)]) -> Result<usize, StoreError> {
    durable::locked(path, || {
        let current = Feeds::load(path)?;
        let (text, added) = current.with_added(feeds);
        if added > 0 {
            durable::write_atomic(path, text.as_bytes(), |_| Ok(()))?;
        }
        Ok(added)
    })
}

/// Adds one feed to the file at `path`.
pub fn add(path: &Path, url: &str, name: Option<&str>) -> Result<Added, StoreError> {
    let added = add_all(path, &[(url.to_string(), name.map(str::to_string))])?;
    Ok(if added == 1 {
        Added::New
    } else {
        Added::Already
    })
}

/// Takes out of the file at `path` every feed whose address, or name (any case), is `which`;
/// returns those taken out. Every other line stays as it was written.
pub fn remove(path: &Path, which: &str) -> Result<Vec<Feed>, StoreError> {
    durable::locked(path, || {
        let current = Feeds::load(path)?;
        let matches = |f: &Feed| {
            f.url == which
                || f.name
                    .as_deref()
                    .is_some_and(|n| n.to_lowercase() == which.to_lowercase())
        };
        let gone: Vec<Feed> = current
            .feeds
            .iter()
            .filter(|f| matches(f))
            .cloned()
            .collect();
        if !gone.is_empty() {
            let kept: Vec<&str> = current
                .lines
                .iter()
                .enumerate()
                .filter(|(n, _)| !gone.iter().any(|f| f.line == n + 1))
                .map(|(_, l)| l.as_str())
                .collect();
            let text = kept.join("\n") + "\n";
            durable::write_atomic(path, text.as_bytes(), |_| Ok(()))?;
        }
        Ok(gone)
    })
}

/// Whether `url` is an address broadsheet fetches: `http://` or `https://`, a host, and no
/// spaces or control characters.
pub fn check_url(url: &str) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("{url} is not an http or https address"))?;
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{url} has spaces or control characters in it"));
    }
    if host(url).is_empty() || rest.starts_with(['/', '?', '#']) {
        return Err(format!("{url} names no host"));
    }
    Ok(())
}

/// The host of an `http(s)://` address (empty for anything else).
pub fn host(url: &str) -> &str {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or("");
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map_or(v6, |(h, _)| h),
        None => host.split_once(':').map_or(host, |(h, _)| h),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_http_or_https_with_a_host() {
        assert!(check_url("https://example.com/feed.xml").is_ok());
        assert!(check_url("http://127.0.0.1:8080/rss").is_ok());
        assert!(check_url("ftp://example.com/feed").is_err());
        assert!(check_url("file:///etc/passwd").is_err());
        assert!(check_url("https:///feed").is_err());
        assert!(check_url("https://exa mple.com").is_err());
        assert_eq!(
            host("https://user@news.example.org:8443/a?b"),
            "news.example.org"
        );
        assert_eq!(host("http://[::1]:80/feed"), "::1");
    }

    #[test]
    fn a_broken_line_is_named_and_the_rest_is_read() {
        let text = "# mine\nhttps://a.example/feed  The A Times\nnot-a-url\n\nhttps://b.example/rss\nhttps://a.example/feed again\n";
        let feeds = Feeds::parse(text, Path::new("feeds"));
        let urls: Vec<&str> = feeds.feeds.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(urls, ["https://a.example/feed", "https://b.example/rss"]);
        assert_eq!(feeds.feeds[0].name.as_deref(), Some("The A Times"));
        assert_eq!(feeds.feeds[1].shown_name(), "b.example");
        let problems: Vec<String> = feeds.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "feeds:3: not-a-url is not an http or https address",
                "feeds:6: https://a.example/feed is listed already, at line 2"
            ]
        );
    }

    #[test]
    fn adding_keeps_every_line_as_written_and_names_on_one_clean_line() {
        let feeds = Feeds::parse(
            "# mine\nbroken line\nhttps://a.example/feed\n",
            Path::new("f"),
        );
        let (text, added) = feeds.with_added(&[
            ("https://a.example/feed".into(), None),
            (
                "https://b.example/rss".into(),
                Some("B\u{1b}[31m\nNews\t Daily".into()),
            ),
        ]);
        assert_eq!(added, 1);
        assert_eq!(
            text,
            "# mine\nbroken line\nhttps://a.example/feed\nhttps://b.example/rss B News Daily\n"
        );
        let (fresh, _) = Feeds::default().with_added(&[("https://c.example/".into(), None)]);
        assert_eq!(fresh, format!("{HEADER}https://c.example/\n"));
    }
}
