//! The Google Reader API as FreshRSS, Miniflux and Inoreader serve it: `ClientLogin` for a
//! token, the subscriptions with their folders (labels), the reading list's items newest
//! first (paged with `continuation`, only those since a time), and the ids of the read and
//! starred items. Item ids come long (`tag:google.com,2005:reader/item/<16 hex digits>`) and
//! decimal; both are read as one number.

use std::time::Duration;

use serde::Deserialize;

use crate::sync::{Server, SyncError};

/// The most a list answer may weigh.
const MAX_ANSWER: u64 = 64 * 1024 * 1024;

/// A connection to one server's API.
pub struct Api {
    agent: ureq::Agent,
    base: String,
}

/// A feed the server follows.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Subscription {
    /// The server's stream id (`feed/12`).
    pub id: String,
    pub title: String,
    /// The feed's own address.
    #[serde(default)]
    pub url: String,
    /// Its folders.
    #[serde(default)]
    pub categories: Vec<Label>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Label {
    #[serde(default)]
    pub label: String,
}

#[derive(Deserialize)]
struct Subscriptions {
    subscriptions: Vec<Subscription>,
}

/// One item of a stream.
#[derive(Debug, Clone, Deserialize)]
pub struct Item {
    /// The long form of its id.
    pub id: String,
    #[serde(default)]
    pub title: String,
    /// Seconds since 1970.
    #[serde(default)]
    pub published: i64,
    /// When the server got it, in microseconds (as text).
    #[serde(default, rename = "timestampUsec")]
    pub timestamp_usec: String,
    #[serde(default)]
    pub canonical: Vec<Href>,
    #[serde(default)]
    pub alternate: Vec<Href>,
    #[serde(default)]
    pub categories: Vec<String>,
    pub origin: Option<Origin>,
    pub summary: Option<Content>,
    pub content: Option<Content>,
    /// Files attached to the item (pictures among them), as the server gives them.
    #[serde(default)]
    pub enclosure: Vec<Enclosure>,
}

/// A file attached to an item.
#[derive(Debug, Clone, Deserialize)]
pub struct Enclosure {
    pub href: String,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Href {
    pub href: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Origin {
    #[serde(default, rename = "streamId")]
    pub stream_id: String,
    #[serde(default)]
    pub title: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Content {
    #[serde(default)]
    pub content: String,
}

/// A feed to subscribe to on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribe {
    pub url: String,
    pub folder: Option<String>,
    pub name: Option<String>,
}

/// A page of a stream: its items and where the next page starts.
#[derive(Debug, Deserialize)]
pub struct Stream {
    #[serde(default)]
    pub items: Vec<Item>,
    pub continuation: Option<String>,
}

#[derive(Deserialize)]
struct ItemRefs {
    #[serde(default, rename = "itemRefs")]
    item_refs: Vec<ItemRef>,
    continuation: Option<String>,
}

#[derive(Deserialize)]
struct ItemRef {
    id: String,
}

impl Item {
    /// The item's id as a number (its long form is the number in hex).
    pub fn number(&self) -> Option<u64> {
        item_number(&self.id)
    }

    /// Its link: the canonical address, else the alternate.
    pub fn link(&self) -> Option<&str> {
        (self.canonical.first().or(self.alternate.first())).map(|h| h.href.as_str())
    }
}

/// The header that carries the login token.
fn authorization(token: &str) -> String {
    format!("GoogleLogin auth={token}")
}

/// An item id, long (`tag:google.com,2005:reader/item/00066201534047c3`) or decimal.
pub fn item_number(id: &str) -> Option<u64> {
    match id.rsplit_once("/item/") {
        Some((_, hex)) => u64::from_str_radix(hex, 16).ok(),
        None => id.parse().ok(),
    }
}

impl Api {
    /// A connection to the API at `base`, within these timeouts.
    pub fn new(base: &str, connect: Duration, timeout: Duration) -> Api {
        let agent = ureq::Agent::config_builder()
            .timeout_connect(Some(connect))
            .timeout_global(Some(timeout))
            .user_agent(format!("broadsheet/{}", env!("CARGO_PKG_VERSION")))
            .http_status_as_error(false)
            .build()
            .into();
        Api {
            agent,
            base: base.trim_end_matches('/').to_string(),
        }
    }

    /// GETs an API path with the token; the answer's text.
    fn get(&self, token: &str, path: &str, query: &[(&str, &str)]) -> Result<String, SyncError> {
        let url = format!("{}/reader/api/0/{path}", self.base);
        let mut request = self
            .agent
            .get(&url)
            .header("Authorization", &authorization(token))
            .query("output", "json");
        for (name, value) in query {
            request = request.query(*name, *value);
        }
        let answer = request
            .call()
            .map_err(|e| SyncError::Unreachable(e.to_string()))?;
        read(answer, path)
    }

    fn ids(&self, token: &str, stream: &str, exclude: Option<&str>) -> Result<Vec<u64>, SyncError> {
        let mut ids = Vec::new();
        let mut continuation: Option<String> = None;
        // At most a million ids, 10,000 a page.
        for _ in 0..100 {
            let mut query = vec![("s", stream), ("n", "10000")];
            if let Some(exclude) = exclude {
                query.push(("xt", exclude));
            }
            if let Some(c) = &continuation {
                query.push(("c", c.as_str()));
            }
            let text = self.get(token, "stream/items/ids", &query)?;
            let refs: ItemRefs = serde_json::from_str(&text)
                .map_err(|e| SyncError::Answer(format!("stream/items/ids: {e}")))?;
            ids.extend(refs.item_refs.iter().filter_map(|r| item_number(&r.id)));
            match refs.continuation.filter(|c| !c.is_empty()) {
                Some(c) if !refs.item_refs.is_empty() => continuation = Some(c),
                _ => break,
            }
        }
        Ok(ids)
    }
}

impl Server for Api {
    /// Logs in: the token the server gives for `user` and `password`.
    fn login(&self, user: &str, password: &str) -> Result<String, SyncError> {
        let url = format!("{}/accounts/ClientLogin", self.base);
        let answer = self
            .agent
            .post(&url)
            .send_form([("Email", user), ("Passwd", password)])
            .map_err(|e| SyncError::Unreachable(e.to_string()))?;
        let text = read(answer, "ClientLogin")?;
        text.lines()
            .find_map(|line| line.strip_prefix("Auth="))
            .map(|auth| auth.trim().to_string())
            .filter(|auth| !auth.is_empty())
            .ok_or_else(|| SyncError::Answer("ClientLogin gave no Auth= line".into()))
    }

    /// The feeds the server follows, with their folders.
    fn subscriptions(&self, token: &str) -> Result<Vec<Subscription>, SyncError> {
        let text = self.get(token, "subscription/list", &[])?;
        let list: Subscriptions = serde_json::from_str(&text)
            .map_err(|e| SyncError::Answer(format!("subscription/list: {e}")))?;
        Ok(list.subscriptions)
    }

    /// A page of the reading list, newest first: `n` items from `continuation`, only those the
    /// server got after `since` (seconds).
    fn reading_list(
        &self,
        token: &str,
        n: usize,
        since: Option<i64>,
        continuation: Option<&str>,
    ) -> Result<Stream, SyncError> {
        let n = n.to_string();
        let since = since.map(|s| s.to_string());
        let mut query = vec![("n", n.as_str())];
        if let Some(since) = &since {
            query.push(("ot", since.as_str()));
        }
        if let Some(c) = continuation {
            query.push(("c", c));
        }
        let text = self.get(
            token,
            "stream/contents/user/-/state/com.google/reading-list",
            &query,
        )?;
        serde_json::from_str(&text).map_err(|e| SyncError::Answer(format!("stream/contents: {e}")))
    }

    /// The ids of every unread item (the reading list less the read ones: FreshRSS does not
    /// list the read stream itself), paged to the end.
    fn unread_ids(&self, token: &str) -> Result<Vec<u64>, SyncError> {
        self.ids(
            token,
            "user/-/state/com.google/reading-list",
            Some("user/-/state/com.google/read"),
        )
    }

    /// The ids of every starred item, paged to the end.
    fn starred_ids(&self, token: &str) -> Result<Vec<u64>, SyncError> {
        self.ids(token, "user/-/state/com.google/starred", None)
    }

    /// Subscribes to the feed at `url`, in the folder `folder` and by the name `name` when
    /// given; or unsubscribes from the stream `stream` (`feed/12`).
    fn edit_subscription(
        &self,
        token: &str,
        subscribe: Option<&Subscribe>,
        unsubscribe: Option<&str>,
    ) -> Result<(), SyncError> {
        let url = format!("{}/reader/api/0/subscription/edit", self.base);
        let mut form: Vec<(&str, String)> = Vec::new();
        if let Some(new) = subscribe {
            form.push(("ac", "subscribe".into()));
            form.push(("s", format!("feed/{}", new.url)));
            if let Some(folder) = &new.folder {
                form.push(("a", format!("user/-/label/{folder}")));
            }
            if let Some(name) = &new.name {
                form.push(("t", name.clone()));
            }
        }
        if let Some(stream) = unsubscribe {
            form.push(("ac", "unsubscribe".into()));
            form.push(("s", stream.to_string()));
        }
        let answer = self
            .agent
            .post(&url)
            .header("Authorization", &authorization(token))
            .send_form(form.iter().map(|(k, v)| (*k, v.as_str())))
            .map_err(|e| SyncError::Unreachable(e.to_string()))?;
        read(answer, "subscription/edit").map(drop)
    }

    /// The short-lived token that edits need (`T`).
    fn edit_token(&self, token: &str) -> Result<String, SyncError> {
        let url = format!("{}/reader/api/0/token", self.base);
        let answer = self
            .agent
            .get(&url)
            .header("Authorization", &authorization(token))
            .call()
            .map_err(|e| SyncError::Unreachable(e.to_string()))?;
        Ok(read(answer, "token")?.trim().to_string())
    }

    /// Adds (`add`) or removes the state `state` (`read`, `starred`) on the items `ids`, a
    /// hundred to a request.
    fn edit_tag(
        &self,
        token: &str,
        edit: &str,
        ids: &[u64],
        state: &str,
        add: bool,
    ) -> Result<(), SyncError> {
        let url = format!("{}/reader/api/0/edit-tag", self.base);
        let tag = format!("user/-/state/com.google/{state}");
        for chunk in ids.chunks(100) {
            let numbers: Vec<String> = chunk.iter().map(u64::to_string).collect();
            let mut form: Vec<(&str, &str)> = numbers.iter().map(|n| ("i", n.as_str())).collect();
            form.push((if add { "a" } else { "r" }, tag.as_str()));
            form.push(("T", edit));
            let answer = self
                .agent
                .post(&url)
                .header("Authorization", &authorization(token))
                .send_form(form)
                .map_err(|e| SyncError::Unreachable(e.to_string()))?;
            read(answer, "edit-tag")?;
        }
        Ok(())
    }
}

/// An answer's text, or why it is not one: `401` is [`SyncError::Unauthorized`] (the token
/// is renewed), any other status but 2xx a refusal. The text is capped.
fn read(mut answer: ureq::http::Response<ureq::Body>, what: &str) -> Result<String, SyncError> {
    let status = answer.status().as_u16();
    if status == 401 || status == 403 {
        return Err(SyncError::Unauthorized);
    }
    if !(200..300).contains(&status) {
        return Err(SyncError::Refused(format!(
            "{what}: the server answered {status}"
        )));
    }
    answer
        .body_mut()
        .with_config()
        .limit(MAX_ANSWER)
        .read_to_string()
        .map_err(|e| SyncError::Unreachable(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_id_is_one_number_in_either_form() {
        let long = "tag:google.com,2005:reader/item/00066201534047c3";
        assert_eq!(item_number(long), Some(0x00066201534047c3));
        assert_eq!(item_number("1796623566176451"), Some(1_796_623_566_176_451));
        assert_eq!(
            item_number(&format!("{}", 0x00066201534047c3u64)),
            item_number(long)
        );
        assert_eq!(item_number("tag:google.com,2005:reader/item/zz"), None);
    }
}
