//! Downloading pictures into the cache: only http(s) (a [`Picture`] holds no other kind of
//! address), with the fetch's timeouts, at most [`MAX_IMAGE_BYTES`] each, a few at a time
//! within each host's limit. What comes back is checked from its header before it is kept: a
//! file that is not a picture broadsheet reads, or that claims too many pixels, is refused,
//! and the refusal is remembered so the address is not asked again.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::feeds::http::{Client, Limits, Response, Validators};
use crate::feeds::pages::{Hosts, PAGES_AT_ONCE, PageError};
use crate::images::draw::{MAX_IMAGE_BYTES, check};
use crate::images::store::{Cached, Store};
use crate::picture::Picture;

/// Why a picture is not at hand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Missing {
    /// The download failed (it may work next time).
    #[error("could not be downloaded: {0}")]
    Failed(#[from] PageError),
    /// What came was refused (remembered: not asked for again).
    #[error("refused: {0}")]
    Refused(String),
    /// The cache could not keep it.
    #[error("could not be kept in {0}")]
    Cache(String),
}

/// Keeps `bytes` as the picture at `url` when they are one broadsheet reads; else remembers
/// why not.
pub fn keep(store: &Store, url: &str, bytes: &[u8]) -> Result<PathBuf, Missing> {
    let shown = |e: std::io::Error| Missing::Cache(format!("{}: {e}", store.dir().display()));
    match check(bytes) {
        Ok(_) => store.put(url, bytes).map_err(shown),
        Err(why) => {
            store.refuse(url, &why).map_err(shown)?;
            Err(Missing::Refused(why))
        }
    }
}

/// Pictures downloaded into a cache: with a fetch's timeouts, at most [`MAX_IMAGE_BYTES`]
/// each, and a connection pool of their own.
pub struct Downloads<'a> {
    client: Client,
    store: &'a Store,
}

impl<'a> Downloads<'a> {
    /// Downloads into `store` within the timeouts of `fetch` (a fetch's limits).
    pub fn new(store: &'a Store, fetch: Limits) -> Downloads<'a> {
        let limits = Limits {
            max_bytes: MAX_IMAGE_BYTES,
            ..fetch
        };
        Downloads {
            client: Client::new(limits),
            store,
        }
    }

    /// The picture at `url`'s file, from the cache, else downloaded into it. (It does not
    /// keep the cache within its cap: see [`Store::trim`].)
    pub fn one(&self, url: &str) -> Result<PathBuf, Missing> {
        match self.store.get(url) {
            Some(Cached::File(file)) => return Ok(file),
            Some(Cached::Refused(why)) => return Err(Missing::Refused(why)),
            None => {}
        }
        let answer = (self.client)
            .ask(url, &Validators::default())
            .map_err(|e| Missing::Failed(PageError::Fetch(e)))?;
        let fetched = match answer {
            Response::Fetched(fetched) => fetched,
            Response::NotModified => return Err(Missing::Failed(PageError::NotModified)),
        };
        keep(self.store, url, &fetched.body)
    }

    /// Downloads each picture not in the cache yet, [`PAGES_AT_ONCE`] at a time within the
    /// hosts' limits. What became of each, in order: `None` for one that `asked` (the
    /// addresses asked for in this fetch, by any feed) held already, so that two items
    /// naming one picture ask for it once. (The caller keeps the cache within its cap once
    /// its downloads are done: [`Store::trim`] looks at every picture kept.)
    pub fn all(
        &self,
        hosts: &Hosts,
        pictures: &[&Picture],
        asked: &Mutex<HashSet<String>>,
    ) -> Vec<Option<Result<PathBuf, Missing>>> {
        crate::parallel::queue(pictures, PAGES_AT_ONCE, &|picture| {
            let first = asked
                .lock()
                .map(|mut asked| asked.insert(picture.url.clone()))
                .unwrap_or(true);
            if !first {
                return None;
            }
            // A failed request goes through the host's limit (a timeout marks the host down).
            let done = hosts.within(&picture.url, || match self.one(&picture.url) {
                Err(Missing::Failed(e)) => Err(e),
                other => Ok(other),
            });
            Some(done.unwrap_or_else(|e| Err(Missing::Failed(e))))
        })
        .into_iter()
        .map(|done| done.unwrap_or(Some(Err(Missing::Cache("the download stopped".into())))))
        .collect()
    }

    /// Keeps the cache within its cap, after a run of downloads.
    pub fn trim(&self) -> Result<(), Missing> {
        (self.store.trim())
            .map_err(|e| Missing::Cache(format!("{}: {e}", self.store.dir().display())))
    }
}
