//! The headers cache: what [`crate::loader::load_heads`] found in each page (id, masthead,
//! date, headline, warnings, or why it was skipped), kept in the platform cache folder with
//! each file's size and modification time, so that a launch on an unchanged folder reads no
//! page at all. Nothing the user saved is in it: deleting it only costs time.
//!
//! The file is the library's own arrays (headers, ids in order, the loose-headline lookup,
//! stamps), laid out to be mapped and read in place ([`crate::mapped`]): opening it costs a
//! checksum, not a parse (and once it is sealed, [`crate::seal`], not even that), and a
//! command touches only what it prints. [`load_saved`] trusts
//! it when no folder's time changed; [`load_heads`] checks every page against it, reads
//! again those whose size or time differs, and writes it anew. A cache cut short, failing
//! its checksum or of another version is ignored and written anew.

use std::fs;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHasher};

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::headers::Heads;
use crate::library::Library;
use crate::loader::{
    ParsedHeads, Walked, files_map, heads_library, load_head, load_head_stamped, parse_heads_with,
    walk, walk_and_read_heads,
};
use crate::mapped::{Column, In, Mapped, Out, checksum};
use crate::page::{Loaded, PageFile, Stamp, Stamps};
use crate::seal;

/// The first bytes of a cache file (32 of them, so that what follows is aligned); a format
/// change gets a new number.
const MAGIC: &[u8; 32] = b"broadsheet heads cache 5\n\0\0\0\0\0\0\0";

/// Where the cache of `dir` lives: the platform cache folder (`$XDG_CACHE_HOME/broadsheet` on
/// Linux), one file per articles folder.
pub fn default_path(dir: &Path) -> Option<PathBuf> {
    cache_file(dir, "heads")
}

/// Where the saved index of `dir` lives: beside its headers cache.
pub fn index_path(dir: &Path) -> Option<PathBuf> {
    cache_file(dir, "index")
}

/// `KIND-HASH.bin` in the cache folder, the hash being of `dir`'s canonical path.
fn cache_file(dir: &Path, kind: &str) -> Option<PathBuf> {
    let folder = fs::canonicalize(dir).ok()?;
    let mut hasher = FxHasher::default();
    hasher.write(folder.to_string_lossy().as_bytes());
    Some(cache_folder()?.join(format!("{kind}-{:016x}.bin", hasher.finish())))
}

/// The platform cache folder (`$XDG_CACHE_HOME/broadsheet` on Linux).
pub fn cache_folder() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "broadsheet")?;
    Some(dirs.cache_dir().to_path_buf())
}

/// [`load_heads`](crate::loader::load_heads) through the cache at `cache`: the same library,
/// reading only the pages the cache does not know as they are now, and writing the cache
/// again when anything differed (a cache that cannot be written is simply not kept). The
/// library knows each page's stamp ([`Library::stamp`]).
pub fn load_heads(dir: &Path, cache: &Path) -> Result<Library, Error> {
    let (library, unwritten) = load_heads_unwritten(dir, cache)?;
    if let Some(unwritten) = unwritten {
        let _ = unwritten.write(&library);
    }
    Ok(library)
}

/// A headers cache still to be written for a library just read, by [`Unwritten::write`]:
/// the reader writes it on another thread once the headlines are on screen, `list` once it
/// has printed them.
#[derive(Debug)]
pub struct Unwritten {
    cache: PathBuf,
    /// The pages skipped, with their stamps.
    skipped: Vec<(Diagnostic, Stamp)>,
    folders: Vec<(PathBuf, Option<Stamp>)>,
}

impl Unwritten {
    /// Writes the cache of `library` (the one it was read with); `None` if it cannot be.
    pub fn write(&self, library: &Library) -> Option<()> {
        let skipped: Vec<(&Diagnostic, Stamp)> =
            self.skipped.iter().map(|(d, s)| (d, *s)).collect();
        write_with(
            &self.cache,
            library,
            library.stamps(),
            &skipped,
            &self.folders,
        )
    }
}

/// [`load_heads`], leaving the cache to be written by the caller (`None`: nothing to write).
pub fn load_heads_unwritten(
    dir: &Path,
    cache: &Path,
) -> Result<(Library, Option<Unwritten>), Error> {
    let Some(image) = Image::open(cache) else {
        return read_whole_folder(dir, cache);
    };
    let mut walked = walk(dir)?;
    // With a cache, every page's stamp first, to tell the pages it knows.
    let stamped = stamp_all(std::mem::take(&mut walked.files));
    let known: FxHashMap<&[u8], Known> = image.by_path();
    let known_now = |(file, stamp): &(PageFile, Option<Stamp>)| {
        let entry = known.get(file.relative.as_os_str().as_encoded_bytes())?;
        (Some(entry.stamp()) == *stamp).then_some(entry)
    };
    // The folder as the cache saw it: the library is the cache's, in its order with its ids.
    if known.len() == stamped.len() && stamped.iter().all(|s| known_now(s).is_some()) {
        let folders_moved = image.folders != walked.folders;
        if let Some(library) = image.library(dir, walked.diagnostics.clone()) {
            // Only a folder's time moved (a file that is not a page came or went): the
            // cache is written again with it, so the next launch can trust it unread.
            let unwritten = folders_moved.then(|| Unwritten {
                cache: cache.to_path_buf(),
                skipped: image
                    .diagnostics
                    .iter()
                    .filter_map(|(d, s)| Some((d.clone(), (*s)?)))
                    .collect(),
                folders: walked.folders,
            });
            return Ok((library, unwritten));
        }
    }
    let load = |item: &(PageFile, Option<Stamp>)| match (known_now(item), item.1) {
        (Some(entry), stamp) => (entry.loaded(&image), stamp),
        (None, Some(stamp)) => (load_head(&item.0), Some(stamp)),
        (None, None) => load_head_stamped(&item.0),
    };
    let parsed = parse_heads_with(&stamped, |(f, _)| &f.relative, &load);
    drop(known);
    drop(stamped);
    Ok(with_unwritten(dir, cache, walked, parsed))
}

/// [`load_heads_unwritten`] with no cache to go by: every page's header read (and stamped as
/// it is opened) while the walk goes on.
fn read_whole_folder(dir: &Path, cache: &Path) -> Result<(Library, Option<Unwritten>), Error> {
    let (walked, parsed) = walk_and_read_heads(dir)?;
    Ok(with_unwritten(dir, cache, walked, parsed))
}

/// The library of the headers read, with the cache to write for it (none when a page's
/// stamp could not be taken: it could not be told unchanged next time).
fn with_unwritten(
    dir: &Path,
    cache: &Path,
    walked: Walked,
    parsed: ParsedHeads,
) -> (Library, Option<Unwritten>) {
    let mut diagnostics = walked.diagnostics;
    diagnostics.extend(parsed.diagnostics);
    let library = heads_library(dir, parsed.heads, parsed.stamps, diagnostics);
    if !library.has_stamps() {
        return (library, None);
    }
    let unwritten = Unwritten {
        cache: cache.to_path_buf(),
        skipped: parsed.skipped,
        folders: walked.folders,
    };
    (library, Some(unwritten))
}

/// The library exactly as the cache at `cache` saved it, without reading the folder's pages:
/// only each folder's stamp is checked (a page added, removed or renamed changes its
/// folder's time), not each page's. `None` when the cache is missing, broken, or a folder
/// changed: then [`load_heads`] is the way. A page changed in place is not seen here; the
/// reader checks every page's stamp after its first frame, and `show` checks its own page.
pub fn load_saved(dir: &Path, cache: &Path) -> Option<Library> {
    let image = Image::open(cache)?;
    if image.folders.is_empty() {
        return None;
    }
    let unchanged = image
        .folders
        .iter()
        .all(|(folder, stamp)| Stamp::of(&dir.join(folder)) == *stamp);
    if !unchanged {
        return None;
    }
    image.library(dir, Vec::new())
}

/// Each file's stamp, on every core.
fn stamp_all(files: Vec<PageFile>) -> Vec<(PageFile, Option<Stamp>)> {
    let stamps = files_map(&files, &|f| Stamp::of(&f.full), &|_| None);
    files.into_iter().zip(stamps).collect()
}

/// A cache file, mapped and checked.
struct Image {
    fingerprint: u64,
    heads: Heads,
    stamps: Stamps,
    by_id: Column<u32>,
    by_headline: Column<[u64; 2]>,
    /// Warnings about pages, and pages skipped with their stamps.
    diagnostics: Vec<(Diagnostic, Option<Stamp>)>,
    folders: Vec<(PathBuf, Option<Stamp>)>,
}

/// What the cache knows of one file: article `n`, or a page skipped.
enum Known<'a> {
    Article(usize, Stamp),
    Skipped(&'a Diagnostic, Stamp),
}

impl Known<'_> {
    fn stamp(&self) -> Stamp {
        match self {
            Known::Article(_, s) | Known::Skipped(_, s) => *s,
        }
    }

    /// The page as the loader would give it: its header, with the warnings it gave.
    fn loaded(&self, image: &Image) -> Result<Loaded, Diagnostic> {
        match self {
            Known::Skipped(d, _) => Err((*d).clone()),
            Known::Article(n, _) => {
                let mut article = image.heads.get(*n).unwrap_or_default().to_article();
                article.id = String::new();
                let warnings = image
                    .diagnostics
                    .iter()
                    .filter(|(d, _)| d.severity == Severity::Warning && d.path == article.path)
                    .map(|(d, _)| d.clone())
                    .collect();
                Ok(Loaded { article, warnings })
            }
        }
    }
}

impl Image {
    /// The cache at `path`; `None` when it is missing, cut short, altered or of another
    /// version.
    fn open(path: &Path) -> Option<Image> {
        let file = fs::File::open(path).ok()?;
        let mapped = Mapped::of(&file).ok()?;
        let bytes = mapped.bytes();
        let body = bytes.len().checked_sub(8)?;
        if body < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return None;
        }
        let sum = u64::from_le_bytes(bytes[body..].try_into().ok()?);
        let sealing = seal::Sealing::of(path, &file);
        if !sealing.is_sealed() && u64::from(checksum(&bytes[..body])) != sum {
            return None;
        }
        let mut r = In::new(&mapped, MAGIC.len()..body);
        let fingerprint = r.u64()?;
        let heads = Heads::read(&mut r)?;
        let stamps = Stamps {
            sizes: r.array()?,
            seconds: r.array()?,
            nanos: r.array()?,
        };
        let by_id = r.array()?;
        let by_headline = r.array()?;
        let mut diagnostics = Vec::new();
        for _ in 0..r.u64()? {
            let severity = match r.u64()? {
                0 => Severity::Warning,
                1 => Severity::Skipped,
                _ => return None,
            };
            let path = path_of(r.bytes()?);
            let message = std::str::from_utf8(r.bytes()?).ok()?.to_string();
            let stamp = read_stamp(&mut r)?;
            diagnostics.push((
                Diagnostic {
                    path,
                    severity,
                    message,
                },
                stamp,
            ));
        }
        let mut folders = Vec::new();
        for _ in 0..r.u64()? {
            let path = path_of(r.bytes()?);
            folders.push((path, read_stamp(&mut r)?));
        }
        let holds = r.is_done() && stamps.len() == heads.len() && stamps.hold_together();
        if holds {
            sealing.seal();
        }
        holds.then_some(Image {
            fingerprint,
            heads,
            stamps,
            by_id,
            by_headline,
            diagnostics,
            folders,
        })
    }

    /// What the cache knows of each file, by its path.
    fn by_path(&self) -> FxHashMap<&[u8], Known<'_>> {
        let mut known = FxHashMap::default();
        known.reserve(self.heads.len());
        for (n, head) in self.heads.iter().enumerate() {
            if let Some(stamp) = self.stamps.get(n) {
                known.insert(
                    head.path.as_os_str().as_encoded_bytes(),
                    Known::Article(n, stamp),
                );
            }
        }
        for (d, stamp) in &self.diagnostics {
            if let (Severity::Skipped, Some(stamp)) = (d.severity, stamp) {
                known.insert(
                    d.path.as_os_str().as_encoded_bytes(),
                    Known::Skipped(d, *stamp),
                );
            }
        }
        known
    }

    /// The library the cache holds, reading its pages from `dir`, with `diagnostics` (the
    /// walk's) besides its own; `None` if its ids do not hold together.
    fn library(&self, dir: &Path, mut diagnostics: Vec<Diagnostic>) -> Option<Library> {
        diagnostics.extend(self.diagnostics.iter().map(|(d, _)| d.clone()));
        let library = Library::from_saved(
            self.heads.clone(),
            self.by_id.clone(),
            self.by_headline.clone(),
            diagnostics,
        )?;
        Some(
            library
                .with_stamps(self.stamps.clone())
                .with_fingerprint(self.fingerprint)
                .reading_from(dir.to_path_buf()),
        )
    }
}

/// A path from the bytes it was saved as (a path's bytes on this system).
fn path_of(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    let path = <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes);
    #[cfg(not(unix))]
    let path = std::str::from_utf8(bytes).unwrap_or_default();
    PathBuf::from(path)
}

fn read_stamp(r: &mut In) -> Option<Option<Stamp>> {
    let known = r.u64()? == 1;
    let stamp = Stamp {
        size: r.u64()?,
        seconds: r.u64()? as i64,
        nanos: u32::try_from(r.u64()?).ok()?,
    };
    Some(known.then_some(stamp))
}

fn put_stamp(out: &mut Out, stamp: Option<Stamp>) {
    out.u64(u64::from(stamp.is_some()));
    let stamp = stamp.unwrap_or(Stamp {
        size: 0,
        seconds: 0,
        nanos: 0,
    });
    out.u64(stamp.size);
    out.u64(stamp.seconds as u64);
    out.u64(u64::from(stamp.nanos));
}

/// Writes the cache of `library`, whose pages have these stamps (in its order), skipped
/// these pages (with theirs), and were found in these folders.
fn write_with(
    cache: &Path,
    library: &Library,
    stamps: &Stamps,
    skipped: &[(&Diagnostic, Stamp)],
    folders: &[(PathBuf, Option<Stamp>)],
) -> Option<()> {
    if stamps.len() != library.len() {
        return None;
    }
    let mut out = Out::after(MAGIC.to_vec());
    out.u64(crate::library::fingerprint(
        library.articles().iter().map(|h| h.path).zip(stamps.iter()),
    ));
    library.articles().write(&mut out);
    out.array(&stamps.sizes);
    out.array(&stamps.seconds);
    out.array(&stamps.nanos);
    out.array(library.by_id());
    out.array(library.by_headline());
    let warnings = library
        .diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Warning);
    let problems: Vec<(&Diagnostic, Option<Stamp>)> = warnings
        .map(|d| (d, None))
        .chain(skipped.iter().map(|&(d, s)| (d, Some(s))))
        .collect();
    out.u64(problems.len() as u64);
    for (d, stamp) in problems {
        out.u64(u64::from(d.severity == Severity::Skipped));
        out.bytes(d.path.as_os_str().as_encoded_bytes());
        out.bytes(d.message.as_bytes());
        put_stamp(&mut out, stamp);
    }
    out.u64(folders.len() as u64);
    for (path, stamp) in folders {
        out.bytes(path.as_os_str().as_encoded_bytes());
        put_stamp(&mut out, *stamp);
    }
    let mut bytes = out.into_bytes();
    let sum = u64::from(crc32fast::hash(&bytes));
    bytes.extend_from_slice(&sum.to_le_bytes());
    fs::create_dir_all(cache.parent()?).ok()?;
    crate::durable::write_atomic(cache, &bytes, |_| Ok(())).ok()
}

/// Every page's header through the headers cache (when caches are on), the cache written
/// again on the spot when the folder changed: for a command that reads the folder after
/// writing pages into it (`save`, `sync`).
pub fn load_kept(dir: &Path) -> Result<Library, Error> {
    let (library, unwritten) = load_checked(dir, caches_on())?;
    if let Some(unwritten) = unwritten {
        let _ = unwritten.write(&library);
    }
    Ok(library)
}

/// Whether the caches are used: `BROADSHEET_NO_CACHE=1` turns them off.
pub fn caches_on() -> bool {
    std::env::var_os("BROADSHEET_NO_CACHE").is_none_or(|v| v.is_empty())
}

/// Every page's header checked against the folder, through the headers cache when `cached`,
/// with the cache still to be written ([`Unwritten`]: `None` when nothing is to be written).
pub fn load_checked(dir: &Path, cached: bool) -> Result<(Library, Option<Unwritten>), Error> {
    match default_path(dir).filter(|_| cached) {
        Some(path) => Ok(load_heads_unwritten(dir, &path)?),
        None => Ok((crate::loader::load_heads(dir)?, None)),
    }
}
