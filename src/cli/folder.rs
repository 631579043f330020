//! What a command reads of the articles folder, and no more: every page's header from the
//! headers cache (trusted when no folder of it changed, else checked page by page), one
//! article's page, and the saved index for similar stories, links and search (opened, or
//! built and saved for the next command, with a progress line on a terminal).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::cache::{self, Unwritten};
use crate::error::Error;
use crate::library::Library;
use crate::page::Stamp;
use crate::related::Relations;

pub use crate::cache::{caches_on, load_checked};

/// The articles folder as a command sees it.
pub struct Folder {
    dir: PathBuf,
    /// Whether the caches are used (`BROADSHEET_NO_CACHE=1` turns them off).
    cached: bool,
    library: Arc<Library>,
    /// Whether every page's stamp was checked (else the cache was trusted as it is).
    checked: bool,
}

impl Folder {
    /// The folder's headers: the headers cache as it is when none of its folders changed
    /// (no page is read), else every page's header checked (and the cache written again).
    pub fn open(dir: &Path) -> Result<Folder, Error> {
        let (folder, unwritten) = Folder::open_unwritten(dir)?;
        if let Some(unwritten) = unwritten {
            let _ = unwritten.write(&folder.library);
        }
        Ok(folder)
    }

    /// [`Folder::open`], leaving the headers cache to be written by the caller (the reader
    /// writes it on another thread once the headlines are on screen).
    pub fn open_unwritten(dir: &Path) -> Result<(Folder, Option<Unwritten>), Error> {
        let cached = caches_on();
        let trusted = cache::default_path(dir)
            .filter(|_| cached)
            .and_then(|path| cache::load_saved(dir, &path));
        let (library, unwritten, checked) = match trusted {
            Some(library) => (library, None, false),
            None => {
                let (library, unwritten) = load_checked(dir, cached)?;
                (library, unwritten, true)
            }
        };
        let folder = Folder {
            dir: dir.to_path_buf(),
            cached,
            library: Arc::new(library),
            checked,
        };
        Ok((folder, unwritten))
    }

    /// Every page's header, through the headers cache when it is on (written at once).
    fn checked(dir: &Path, cached: bool) -> Result<Folder, Error> {
        let (library, unwritten) = load_checked(dir, cached)?;
        if let Some(unwritten) = unwritten {
            let _ = unwritten.write(&library);
        }
        Ok(Folder {
            dir: dir.to_path_buf(),
            cached,
            library: Arc::new(library),
            checked: true,
        })
    }

    pub fn library(&self) -> &Arc<Library> {
        &self.library
    }

    /// Whether every page's stamp was checked (else the headers cache was trusted).
    pub fn is_checked(&self) -> bool {
        self.checked
    }

    /// The article with this id, its page checked: when the page changed since the cache
    /// saw it (or it is not found in a trusted cache), every page's header is checked first.
    pub fn article(&mut self, id: &str) -> Result<usize, Error> {
        let unchanged = |library: &Library, i: usize| {
            let head = library.head(i)?;
            let now = Stamp::of(&self.dir.join(head.path))?;
            (library.stamp(i).is_none_or(|s| s == now)).then_some(i)
        };
        if let Some(i) = self.library.index_of(id)
            && (self.checked || unchanged(&self.library, i).is_some())
        {
            return Ok(i);
        }
        if !self.checked {
            *self = Folder::checked(&self.dir, self.cached)?;
        }
        self.library.index_of(id).ok_or_else(|| Error::UnknownId {
            id: id.to_string(),
            suggestions: self
                .library
                .suggest(id)
                .into_iter()
                .map(String::from)
                .collect(),
        })
    }

    /// Where the index is saved, when the caches are on.
    pub fn index_path(&self) -> Option<PathBuf> {
        cache::index_path(&self.dir).filter(|_| self.cached)
    }

    /// The relations and index of the folder: the saved ones (brought up to date if pages
    /// changed), else built from every page and saved. While it builds, a line on stderr
    /// (when it is a terminal) says how far it has got.
    pub fn relations(&self) -> Relations {
        let total = self.library.len();
        let terminal = std::io::stderr().is_terminal();
        let shown = std::sync::atomic::AtomicUsize::new(0);
        let progress = |done: usize| {
            let percent = done * 100 / total.max(1);
            if terminal
                && shown.fetch_max(percent + 1, std::sync::atomic::Ordering::Relaxed) <= percent
            {
                let mut err = std::io::stderr().lock();
                let _ = write!(
                    err,
                    "\rbroadsheet: indexing {done} of {total} articles ({percent}%)"
                );
                let _ = err.flush();
            }
        };
        let path = self.index_path();
        let made = Relations::open_or_build(&self.library, path.as_deref(), false, &progress);
        if terminal && shown.load(std::sync::atomic::Ordering::Relaxed) > 0 {
            eprint!("\r\x1b[K");
        }
        if let Err(why) = made.saved {
            eprintln!("broadsheet: {why}");
        }
        made.relations
    }

    /// Answers with `answer` from the folder's relations; should a block of the saved index
    /// turn out damaged while answering, the index is built again and asked again.
    pub fn answer<T>(&self, answer: impl Fn(&Relations) -> T) -> T {
        let relations = self.relations();
        let first = answer(&relations);
        if relations.index.is_sound() {
            return first;
        }
        if let Some(path) = self.index_path() {
            eprintln!(
                "broadsheet: the saved index {} is damaged; building it again",
                path.display()
            );
            let _ = std::fs::remove_file(&path);
        }
        let rebuilt = self.relations();
        answer(&rebuilt)
    }
}
