//! The headers cache: what [`crate::loader::load_heads`] found in each page (id, masthead,
//! date, headline, warnings, or why it was skipped), kept in the platform cache folder with
//! each file's size and modification time, so that a launch on an unchanged folder reads no
//! page at all. Every entry is checked against its file; a page whose size or time differs is
//! read again; a cache that is cut short, fails its checksum or comes from another version is
//! ignored and written anew. Nothing the user saved is in it: deleting it only costs time.

use std::collections::HashMap;
use std::fs;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use chrono::{Datelike, NaiveDate};
use rustc_hash::{FxHashMap, FxHasher};

use crate::article::Article;
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::headers::{Head, Heads};
use crate::library::Library;
use crate::loader::{find_pages, heads_library, load_head, parallel_map, parse_all_with};
use crate::page::{Loaded, PageFile};

/// The first bytes of a cache file; a format change gets a new number.
const MAGIC: &[u8] = b"broadsheet heads cache 2\n";

/// A file's size and modification time, as the cache checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    size: u64,
    seconds: i64,
    nanos: u32,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = fs::metadata(path).ok()?;
        let (seconds, nanos) = match meta.modified().ok()?.duration_since(UNIX_EPOCH) {
            Ok(d) => (i64::try_from(d.as_secs()).ok()?, d.subsec_nanos()),
            Err(e) => (-i64::try_from(e.duration().as_secs()).ok()?, 0),
        };
        Some(Stamp {
            size: meta.len(),
            seconds,
            nanos,
        })
    }
}

/// What the cache says of one file.
/// Its strings are owned when read from the cache, and borrowed from the library when
/// written to it (so writing copies nothing).
#[derive(Debug, Clone)]
enum Found<S = String> {
    Article(Fields<S>),
    Skipped(S),
}

/// A cached article's header.
#[derive(Debug, Clone)]
struct Fields<S> {
    id: S,
    source: S,
    date: Option<NaiveDate>,
    headline: S,
    /// Empty when the page gives none.
    link: S,
}

#[derive(Debug, Clone)]
struct Entry<S = String> {
    path: S,
    stamp: Stamp,
    found: Found<S>,
    warnings: Vec<S>,
}

/// Where the cache of `dir` lives: the platform cache folder (`$XDG_CACHE_HOME/broadsheet` on
/// Linux), one file per articles folder.
pub fn default_path(dir: &Path) -> Option<PathBuf> {
    let folder = fs::canonicalize(dir).ok()?;
    let mut hasher = FxHasher::default();
    hasher.write(folder.to_string_lossy().as_bytes());
    let dirs = directories::ProjectDirs::from("", "", "broadsheet")?;
    Some(
        dirs.cache_dir()
            .join(format!("heads-{:016x}.bin", hasher.finish())),
    )
}

/// [`load_heads`](crate::loader::load_heads) through the cache at `cache`: the same library,
/// reading only the pages the cache does not know as they are now, and writing the cache
/// again when anything differed (a cache that cannot be written is simply not kept).
pub fn load_heads(dir: &Path, cache: &Path) -> Result<Library, Error> {
    let (files, walk_diagnostics) = find_pages(dir)?;
    let stamped = stamp_all(files);
    // The entries borrow their strings from the file's bytes: none is copied until needed.
    let bytes = fs::read(cache).unwrap_or_default();
    let entries = read(&bytes).unwrap_or_default();
    let by_path: FxHashMap<&str, &Entry<&str>> = entries.iter().map(|e| (e.path, e)).collect();
    let known = |(file, stamp): &(PageFile, Option<Stamp>)| {
        let entry = by_path.get(file.relative.to_str()?)?;
        (Some(entry.stamp) == *stamp).then_some(*entry)
    };
    // The folder as the cache saw it: the articles come in its order with its ids.
    if entries.len() == stamped.len()
        && by_path.len() == entries.len()
        && stamped.iter().all(|s| known(s).is_some())
    {
        drop(by_path);
        return match from_entries(entries, walk_diagnostics) {
            Some(library) => Ok(library.reading_from(dir.to_path_buf())),
            // Ids that do not hold together: the cache is not to be trusted; read it all.
            None => {
                let _ = fs::remove_file(cache);
                load_heads(dir, cache)
            }
        };
    }
    let load = |item: &(PageFile, Option<Stamp>)| match known(item) {
        Some(entry) => loaded(entry),
        None => load_head(&item.0),
    };
    let (articles, more) = parse_all_with(&stamped, |(f, _)| &f.relative, &load);
    let mut diagnostics = walk_diagnostics;
    diagnostics.extend(more);
    let library = heads_library(dir, articles, diagnostics);
    let _ = write(cache, &library, &stamped);
    Ok(library)
}

/// Each file's stamp, on every core.
fn stamp_all(files: Vec<PageFile>) -> Vec<(PageFile, Option<Stamp>)> {
    let stamps = parallel_map(&files, &|f| Stamp::of(&f.full), &|_| None);
    files.into_iter().zip(stamps).collect()
}

/// A cached page as the loader gives it.
fn loaded(entry: &Entry<&str>) -> Result<Loaded, Diagnostic> {
    let path = PathBuf::from(entry.path);
    match &entry.found {
        Found::Skipped(message) => Err(Diagnostic {
            path,
            severity: Severity::Skipped,
            message: message.to_string(),
        }),
        Found::Article(f) => Ok(Loaded {
            article: Article {
                path: path.clone(),
                source: f.source.to_string(),
                date: f.date,
                headline: f.headline.to_string(),
                link: (!f.link.is_empty()).then(|| f.link.to_string()),
                ..Article::default()
            },
            warnings: entry
                .warnings
                .iter()
                .map(|message| Diagnostic {
                    path: path.clone(),
                    severity: Severity::Warning,
                    message: message.to_string(),
                })
                .collect(),
        }),
    }
}

/// The library exactly as the cache saved it (its order and ids), if they hold together.
fn from_entries(entries: Vec<Entry<&str>>, mut diagnostics: Vec<Diagnostic>) -> Option<Library> {
    let mut heads = Heads::with_capacity(entries.len());
    for entry in entries {
        let path = Path::new(entry.path);
        diagnostics.extend(entry.warnings.into_iter().map(|message| Diagnostic {
            path: path.to_path_buf(),
            severity: Severity::Warning,
            message: message.to_string(),
        }));
        match entry.found {
            Found::Article(f) => heads.push(Head {
                id: f.id,
                path,
                source: f.source,
                date: f.date,
                headline: f.headline,
                link: f.link,
            }),
            Found::Skipped(message) => diagnostics.push(Diagnostic {
                path: path.to_path_buf(),
                severity: Severity::Skipped,
                message: message.to_string(),
            }),
        }
    }
    Library::from_ordered(heads.done(), diagnostics)
}

/// Writes the cache of `library`, whose pages were found with these stamps.
fn write(cache: &Path, library: &Library, stamped: &[(PageFile, Option<Stamp>)]) -> Option<()> {
    let stamps: HashMap<&Path, Stamp> = stamped
        .iter()
        .filter_map(|(f, s)| Some((f.relative.as_path(), (*s)?)))
        .collect();
    let mut warnings: HashMap<&Path, Vec<&str>> = HashMap::new();
    let mut entries = Vec::with_capacity(library.len());
    for d in library.diagnostics() {
        if d.severity == Severity::Warning {
            warnings.entry(&d.path).or_default().push(&d.message);
        }
    }
    for a in library.articles() {
        entries.push(Entry {
            path: a.path.to_str()?,
            stamp: *stamps.get(a.path)?,
            found: Found::Article(Fields {
                id: a.id,
                source: a.source,
                date: a.date,
                headline: a.headline,
                link: a.link,
            }),
            warnings: warnings.remove(a.path).unwrap_or_default(),
        });
    }
    for d in library.diagnostics() {
        // Skipped pages are cached too, so that a broken page is not read at every launch;
        // a folder that could not be read is not a page.
        if d.severity == Severity::Skipped
            && let Some(stamp) = stamps.get(d.path.as_path())
            && let Some(path) = d.path.to_str()
        {
            entries.push(Entry {
                path,
                stamp: *stamp,
                found: Found::Skipped(d.message.as_str()),
                warnings: Vec::new(),
            });
        }
    }
    fs::create_dir_all(cache.parent()?).ok()?;
    crate::durable::write_atomic(cache, &encode(&entries), |_| Ok(())).ok()
}

fn encode<S: AsRef<str>>(entries: &[Entry<S>]) -> Vec<u8> {
    // The size is known before writing: the buffer is made once, not doubled as it fills.
    let texts = |e: &Entry<S>| -> usize {
        let found = match &e.found {
            Found::Article(f) => {
                1 + 5 * 4
                    + f.id.as_ref().len()
                    + f.source.as_ref().len()
                    + f.headline.as_ref().len()
                    + f.link.as_ref().len()
            }
            Found::Skipped(message) => 1 + 4 + message.as_ref().len(),
        };
        let warnings: usize = e.warnings.iter().map(|w| 4 + w.as_ref().len()).sum();
        4 + e.path.as_ref().len() + 8 + 8 + 4 + found + 4 + warnings
    };
    let size = MAGIC.len() + 8 + entries.iter().map(texts).sum::<usize>() + 8;
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(entries.len() as u64).to_le_bytes());
    let text = |out: &mut Vec<u8>, s: &S| {
        let s = s.as_ref();
        out.extend_from_slice(&(s.len() as u32).to_le_bytes());
        out.extend_from_slice(s.as_bytes());
    };
    for e in entries {
        text(&mut out, &e.path);
        out.extend_from_slice(&e.stamp.size.to_le_bytes());
        out.extend_from_slice(&e.stamp.seconds.to_le_bytes());
        out.extend_from_slice(&e.stamp.nanos.to_le_bytes());
        match &e.found {
            Found::Article(f) => {
                out.push(0);
                text(&mut out, &f.id);
                text(&mut out, &f.source);
                let day = f.date.map_or(i32::MIN, |d| d.num_days_from_ce());
                out.extend_from_slice(&day.to_le_bytes());
                text(&mut out, &f.headline);
                text(&mut out, &f.link);
            }
            Found::Skipped(message) => {
                out.push(1);
                text(&mut out, message);
            }
        }
        out.extend_from_slice(&(e.warnings.len() as u32).to_le_bytes());
        for w in &e.warnings {
            text(&mut out, w);
        }
    }
    let sum = checksum(&out);
    out.extend_from_slice(&sum.to_le_bytes());
    debug_assert_eq!(out.len(), size);
    out
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

/// The entries of the cache at `path`; `None` when it is missing, cut short, altered or of
/// another version.
fn read(bytes: &[u8]) -> Option<Vec<Entry<&str>>> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if checksum(body) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    let mut r = Reader(body.strip_prefix(MAGIC)?);
    let count = usize::try_from(r.u64()?).ok()?;
    // Each entry takes at least this many bytes: a count the file cannot hold is a lie.
    if count > r.0.len() / 33 {
        return None;
    }
    let mut entries = Vec::with_capacity(count);
    for _ in 0..count {
        let path = r.text()?;
        let stamp = Stamp {
            size: r.u64()?,
            seconds: i64::from_le_bytes(r.take(8)?.try_into().ok()?),
            nanos: r.u32()?,
        };
        let found = match r.take(1)? {
            [0] => Found::Article(Fields {
                id: r.text()?,
                source: r.text()?,
                date: {
                    let day = i32::from_le_bytes(r.take(4)?.try_into().ok()?);
                    if day == i32::MIN {
                        None
                    } else {
                        Some(NaiveDate::from_num_days_from_ce_opt(day)?)
                    }
                },
                headline: r.text()?,
                link: r.text()?,
            }),
            [1] => Found::Skipped(r.text()?),
            _ => return None,
        };
        let warnings = (0..r.u32()?).map(|_| r.text()).collect::<Option<_>>()?;
        entries.push(Entry {
            path,
            stamp,
            found,
            warnings,
        });
    }
    r.0.is_empty().then_some(entries)
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn text(&mut self) -> Option<&'a str> {
        let n = usize::try_from(self.u32()?).ok()?;
        std::str::from_utf8(self.take(n)?).ok()
    }
}
