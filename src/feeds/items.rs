//! A feed's item as fetching takes it: the key it is known by (its guid, else its link, else
//! its title and time), its title, time, link (relative links taken from the feed's
//! address), summary and own text, and a digest of what it says, to tell when it changes.

use chrono::{DateTime, Utc};

use crate::article::Block;
use crate::feeds::check_url;
use crate::feeds::html::{self, plain};
pub use crate::feeds::resolve;

/// An item of a feed, before its page is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub key: String,
    pub title: Option<String>,
    pub date: Option<DateTime<Utc>>,
    pub link: Option<String>,
    pub summary: Option<String>,
    pub own_text: Vec<Block>,
    /// The item's lead picture, when it carries one.
    pub image: Option<crate::picture::Picture>,
}

impl Item {
    /// The item of a parsed feed entry, in a feed at `feed_url`.
    pub fn of(entry: &feed_rs::model::Entry, feed_url: &str) -> Item {
        let title = entry.title.as_ref().map(|t| plain(&t.content));
        let date = entry.published.or(entry.updated);
        // An item is known by its guid, else its link, else its title and date (the parser
        // names an item without a guid `link:…` or `title:…`, and cannot see the date).
        let stamp = date.map(|d| d.to_rfc3339()).unwrap_or_default();
        let key = match entry.id.as_str() {
            "" => format!("title:{}|{stamp}", title.as_deref().unwrap_or("")),
            id if id.starts_with("title:") => format!("{id}|{stamp}"),
            id => id.to_string(),
        };
        // Relative links are taken from the feed's address (Atom's xml:base is the parser's).
        let link = entry
            .links
            .iter()
            .filter_map(|l| resolve(feed_url, l.href.trim()))
            .find(|href| check_url(href).is_ok());
        let summary = entry.summary.as_ref().map(|s| plain(&s.content));
        let own_text = entry
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .map(html::blocks)
            .filter(|b| !b.is_empty())
            .or_else(|| {
                entry
                    .summary
                    .as_ref()
                    .map(|s| html::blocks(&s.content))
                    .filter(|b| !b.is_empty())
            })
            .unwrap_or_default();
        Item {
            key,
            title,
            date,
            link,
            summary,
            own_text,
            image: crate::feeds::lead_picture::of_entry(entry, feed_url),
        }
    }

    /// A digest of what the item says (its title, time, link, summary and own text), the
    /// same from one version of broadsheet to the next.
    pub fn digest(&self) -> String {
        let mut hasher = crc32fast::Hasher::new();
        let mut part = |text: &str| {
            hasher.update(text.as_bytes());
            hasher.update(&[0]);
        };
        part(self.title.as_deref().unwrap_or(""));
        part(&self.date.map(|d| d.to_rfc3339()).unwrap_or_default());
        part(self.link.as_deref().unwrap_or(""));
        part(self.summary.as_deref().unwrap_or(""));
        for block in &self.own_text {
            part(block.text());
        }
        format!("{:08x}", hasher.finalize())
    }
}
