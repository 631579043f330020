//! The feed behind an address given to `feeds add`: the address itself when it is a feed;
//! else, for a web page, the feed it names (`<link rel="alternate">` of an RSS, Atom or JSON
//! Feed type), else the first of the usual places on its site (`/feed`, `/rss.xml`, …) that
//! answers with a feed.

use dom_query::Document;

use crate::feeds::http::{Client, Response, Validators};
use crate::feeds::items::resolve;

/// The feed types a page's `<link rel="alternate">` may name.
const FEED_TYPES: [&str; 4] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
];

/// Where a site usually keeps its feed.
const USUAL_PLACES: [&str; 6] = [
    "/feed",
    "/rss.xml",
    "/atom.xml",
    "/feed.xml",
    "/index.xml",
    "/rss",
];

/// What was found behind an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The address is a feed.
    Feed,
    /// A page whose feed is at this address.
    Behind(String),
    /// The address could not be asked (the feed is taken as given): why.
    Unreachable(String),
    /// It answered, with neither a feed nor a page that leads to one: why.
    Nothing(String),
}

/// What `url` is, asked of its server.
pub fn discover(client: &Client, url: &str) -> Found {
    let body = match client.ask(url, &Validators::default()) {
        Ok(Response::Fetched(fetched)) => fetched.body,
        Ok(Response::NotModified) => return Found::Feed,
        Err(why) => return Found::Unreachable(why.to_string()),
    };
    if is_feed(&body) {
        return Found::Feed;
    }
    let text = String::from_utf8_lossy(&body);
    let document = Document::from(text.as_ref());
    let named = document
        .select("link[rel~=alternate][href]")
        .iter()
        .filter(|link| {
            link.attr("type").is_some_and(|t| {
                FEED_TYPES.contains(
                    &t.split(';')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_ascii_lowercase()
                        .as_str(),
                )
            })
        })
        .filter_map(|link| resolve(url, link.attr("href")?.trim()))
        .collect::<Vec<String>>();
    let usual = USUAL_PLACES.iter().filter_map(|place| resolve(url, place));
    for candidate in named.into_iter().chain(usual) {
        if candidate == url {
            continue;
        }
        if let Ok(Response::Fetched(fetched)) = client.ask(&candidate, &Validators::default())
            && is_feed(&fetched.body)
        {
            return Found::Behind(candidate);
        }
    }
    Found::Nothing("not a feed, and no feed is named by it or at its site's usual places".into())
}

/// Whether the bytes read as a feed (RSS, Atom or JSON Feed).
fn is_feed(body: &[u8]) -> bool {
    feed_rs::parser::parse(body).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_a_feed_reads_as_one() {
        assert!(super::is_feed(
            b"<rss version=\"2.0\"><channel><title>T</title></channel></rss>"
        ));
        assert!(!super::is_feed(
            b"<html><body><p>Welcome.</p></body></html>"
        ));
    }
}
