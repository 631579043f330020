//! Subscriptions: the feeds file a person can edit, one feed a line (its address, then the
//! name given to it, if any, and its folders as quoted tags, `"World"`, as newsboat's `urls`
//! has them; `#` starts a comment). A broken line is reported with its
//! file:line and the rest still works; a change is made under the file's lock and written
//! atomically, every other line kept as it was written. [`opml`] imports and exports the list.

pub mod discover;
pub mod fetch;
pub mod html;
pub mod http;
pub mod items;
pub mod lead_picture;
pub mod nesting;
pub mod opml;
pub mod pages;
pub mod picture_download;
pub mod state;
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
    /// The folders it is in (its quoted tags; `News/World` for a folder in a folder).
    pub tags: Vec<String>,
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
            let (url, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let (name, tags) = name_and_tags(rest);
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
                name,
                tags,
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
    fn with_added(&self, feeds: &[Found]) -> (String, usize) {
        let mut lines = self.lines.clone();
        if lines.is_empty() {
            lines.push(HEADER.trim_end().to_string());
        }
        let mut listed: Vec<&str> = self.feeds.iter().map(|f| f.url.as_str()).collect();
        let mut added = 0;
        for found in feeds {
            if listed.contains(&found.url.as_str()) {
                continue;
            }
            listed.push(&found.url);
            added += 1;
            lines.push(line_of(found));
        }
        (lines.join("\n") + "\n", added)
    }
}

/// Adds feeds to the file at `path` (under its lock, written atomically); those listed
/// already are left as they are. Returns how many were added. Every address must be valid.
pub fn add_all(path: &Path, feeds: &[Found]) -> Result<usize, StoreError> {
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
pub fn add(path: &Path, found: Found) -> Result<Added, StoreError> {
    let added = add_all(path, &[found])?;
    Ok(if added == 1 {
        Added::New
    } else {
        Added::Already
    })
}

/// Takes out of the file at `path` every feed whose address, or name as given or as shown
/// (`shown`: the name `feeds` lists, any case), is `which`; returns those taken out. Every
/// other line stays as it was written.
pub fn remove(
    path: &Path,
    which: &str,
    shown: &dyn Fn(&Feed) -> String,
) -> Result<Vec<Feed>, StoreError> {
    durable::locked(path, || {
        let current = Feeds::load(path)?;
        let same = |name: &str| name.to_lowercase() == which.to_lowercase();
        let matches =
            |f: &Feed| f.url == which || f.name.as_deref().is_some_and(same) || same(&shown(f));
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

/// A feed found in a list or given to `feeds add`: its address, the name the user chose (if
/// any) and its folders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub url: String,
    pub name: Option<String>,
    pub tags: Vec<String>,
}

/// A feeds file line for a feed: its address, its name, its folders as quoted tags.
fn line_of(found: &Found) -> String {
    let mut line = found.url.clone();
    if let Some(name) = found
        .name
        .as_deref()
        .map(one_line)
        .filter(|n| !n.is_empty())
    {
        line.push(' ');
        line.push_str(&name.replace('"', "'"));
    }
    for tag in &found.tags {
        let tag = one_line(tag).replace('"', "'");
        if !tag.is_empty() {
            line.push_str(&format!(" \"{tag}\""));
        }
    }
    line
}

/// The name and the quoted tags after a feed's address: unquoted words are its name, each
/// `"quoted"` one a folder, and `"~Name"` (newsboat's way) a name too.
fn name_and_tags(rest: &str) -> (Option<String>, Vec<String>) {
    let mut name = Vec::new();
    let mut tags = Vec::new();
    for (k, part) in rest.split('"').enumerate() {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        match (k % 2, part.strip_prefix('~')) {
            (1, Some(given)) => name.push(given.trim().to_string()),
            (1, None) => tags.push(part.to_string()),
            _ => name.push(part.to_string()),
        }
    }
    let name = name.join(" ");
    ((!name.is_empty()).then_some(name), tags)
}

/// Whether `url` is an address broadsheet fetches: `http://` or `https://` (any case), a
/// host, an address that parses whole, and no spaces or control characters.
pub fn check_url(url: &str) -> Result<(), String> {
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    if !matches!(scheme.as_deref(), Some("http" | "https")) {
        return Err(format!("{url} is not an http or https address"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{url} has spaces or control characters in it"));
    }
    let parsed = url::Url::parse(url).map_err(|e| format!("{url} is not an address: {e}"))?;
    if parsed.host_str().is_none_or(str::is_empty) || host(url).is_empty() {
        return Err(format!("{url} names no host"));
    }
    Ok(())
}

/// The part after `http://` or `https://`, whatever their case.
fn after_scheme(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")).then_some(rest)
}

/// The host of an `http(s)://` address (empty for anything else).
pub fn host(url: &str) -> &str {
    let rest = after_scheme(url).unwrap_or("");
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map_or(v6, |(h, _)| h),
        None => host.split_once(':').map_or(host, |(h, _)| h),
    }
}

/// `href` as a whole address: as it is when it is one, else taken from `base`'s (a link
/// `/pages/x.html` or `../x.html` in a feed at `https://site/news/feed`).
pub fn resolve(base: &str, href: &str) -> Option<String> {
    if href.is_empty() {
        return None;
    }
    match url::Url::parse(href) {
        Ok(url) => Some(url.to_string()),
        Err(url::ParseError::RelativeUrlWithoutBase) => url::Url::parse(base)
            .and_then(|base| base.join(href))
            .ok()
            .map(|u| u.to_string()),
        Err(_) => None,
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
        // Schemes are any case; an address must parse whole.
        assert!(check_url("HTTP://example.com/feed").is_ok());
        assert_eq!(host("HTTPS://Example.com/feed"), "Example.com");
        assert!(check_url("http://[::1").is_err());
        assert!(check_url("http://exa%mple.com/").is_err());
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

    fn found(url: &str, name: Option<&str>, tags: &[&str]) -> Found {
        Found {
            url: url.into(),
            name: name.map(Into::into),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn names_and_tags_follow_the_address_as_newsboat_writes_them() {
        let feeds = Feeds::parse(
            "https://a.example/feed \"World\" \"~The A Times\" \"News/Local\"\nhttps://b.example/rss B Daily \"Tech\"\n",
            Path::new("f"),
        );
        assert_eq!(feeds.feeds[0].name.as_deref(), Some("The A Times"));
        assert_eq!(feeds.feeds[0].tags, ["World", "News/Local"]);
        assert_eq!(feeds.feeds[1].name.as_deref(), Some("B Daily"));
        assert_eq!(feeds.feeds[1].tags, ["Tech"]);
    }

    #[test]
    fn adding_keeps_every_line_as_written_and_names_on_one_clean_line() {
        let feeds = Feeds::parse(
            "# mine\nbroken line\nhttps://a.example/feed\n",
            Path::new("f"),
        );
        let (text, added) = feeds.with_added(&[
            found("https://a.example/feed", None, &[]),
            found(
                "https://b.example/rss",
                Some("B\u{1b}[31m\nNews\t Daily"),
                &["World", "Tech/\"AI\""],
            ),
        ]);
        assert_eq!(added, 1);
        assert_eq!(
            text,
            "# mine\nbroken line\nhttps://a.example/feed\nhttps://b.example/rss B News Daily \"World\" \"Tech/'AI'\"\n"
        );
        let read = Feeds::parse(&text, Path::new("f"));
        assert_eq!(read.feeds[1].name.as_deref(), Some("B News Daily"));
        assert_eq!(read.feeds[1].tags, ["World", "Tech/'AI'"]);
        let (fresh, _) = Feeds::default().with_added(&[found("https://c.example/", None, &[])]);
        assert_eq!(fresh, format!("{HEADER}https://c.example/\n"));
    }
}
