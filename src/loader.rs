//! Reading an articles folder from disk into a [`Library`]: a recursive walk that follows
//! links safely, parsing in parallel, and a diagnostic for every file that is odd or skipped.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::article::{Article, parse_head};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::headers::Heads;
use crate::library::Library;
use crate::page::{Loaded, PageFile, Stamp, is_page, is_web_page, load_page};
pub(crate) use crate::parallel::{files_chunks, files_map};

/// Loads every page below `dir`: `*.txt`, and web pages saved as `*.html` or `*.htm` (links
/// followed, loops broken, hidden entries passed over). Only a folder that cannot be read at all is an error; every problem with a single
/// file becomes a diagnostic and the rest loads.
pub fn load(dir: &Path) -> Result<Library, Error> {
    let (files, mut diagnostics) = find_pages(dir)?;
    let (articles, more) = parse_all(&files);
    diagnostics.extend(more);
    Ok(Library::new(articles, diagnostics))
}

/// How much of each page [`load_heads`] reads: the header is in the first few hundred bytes.
const HEAD_BYTES: usize = 1024;

/// Loads every page's header only (masthead, date, headline, so ids and order are the same as
/// [`load`]'s), reading the first bytes of each file; a page whose start is not plain (not
/// ASCII, or odd enough to warn about) is read and parsed whole. What `list` needs, at a
/// fraction of the cost. The articles have no text (the library reads it from the page when
/// asked, [`Library::text`]), and pages parsed from their header carry no warnings.
pub fn load_heads(dir: &Path) -> Result<Library, Error> {
    let (files, mut diagnostics) = find_pages(dir)?;
    let parsed = parse_heads_with(&files, |f| &f.relative, &|f| (load_head(f), None));
    diagnostics.extend(parsed.diagnostics);
    Ok(heads_library(dir, parsed.heads, Vec::new(), diagnostics))
}

/// The library of pages read by their headers: those that share a date and headline are read
/// whole, as their texts order them (see [`load_heads`]). `stamps`: each header's page's
/// stamp, in the headers' order, if known.
pub(crate) fn heads_library(
    dir: &Path,
    heads: Heads,
    stamps: Vec<Option<Stamp>>,
    diagnostics: Vec<Diagnostic>,
) -> Library {
    let read_whole = |path: &Path| {
        let file = PageFile {
            full: dir.join(path),
            relative: path.to_path_buf(),
        };
        load_page(&file).ok()
    };
    Library::from_heads(heads, stamps, &read_whole, diagnostics).reading_from(dir.to_path_buf())
}

/// Reads the start of one page and parses its header, or falls back to the whole page.
pub(crate) fn load_head(file: &PageFile) -> Result<Loaded, Diagnostic> {
    load_head_stamped(file).0
}

/// A page read, or why not, with its stamp as it was when it was opened.
pub(crate) type Stamped = (Result<Loaded, Diagnostic>, Option<Stamp>);

/// [`load_head`], with the page's stamp as it was when it was opened (taken from the open
/// file: no second look-up by its path).
pub(crate) fn load_head_stamped(file: &PageFile) -> Stamped {
    use std::io::Read;
    let mut stamp = None;
    let head = (|| -> std::io::Result<Option<Vec<u8>>> {
        let mut opened = fs::File::open(&file.full)?;
        stamp = opened.metadata().ok().as_ref().and_then(Stamp::of_metadata);
        let mut buffer = vec![0u8; HEAD_BYTES];
        let mut read = 0;
        while read < HEAD_BYTES {
            match opened.read(&mut buffer[read..])? {
                0 => break,
                n => read += n,
            }
        }
        buffer.truncate(read);
        if read == HEAD_BYTES {
            // More follows: end at the last whole line.
            match buffer.iter().rposition(|&b| b == b'\n') {
                Some(end) => buffer.truncate(end),
                None => return Ok(None),
            }
        }
        Ok(Some(buffer))
    })();
    // A web page has no header to read on its own.
    let head = head.ok().flatten().filter(|_| !is_web_page(&file.relative));
    let loaded = match head.as_deref().and_then(parse_head) {
        Some(mut article) => {
            article.path = file.relative.clone();
            Ok(Loaded {
                article,
                warnings: Vec::new(),
            })
        }
        None => load_page(file),
    };
    (loaded, stamp.or_else(|| Stamp::of(&file.full)))
}

/// Walks `dir` for article files, in a stable order.
pub fn find_pages(dir: &Path) -> Result<(Vec<PageFile>, Vec<Diagnostic>), Error> {
    let walked = walk(dir)?;
    Ok((walked.files, walked.diagnostics))
}

/// What a walk of the articles folder found.
pub struct Walked {
    /// The pages, in a stable order.
    pub files: Vec<PageFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Every folder walked (relative to the articles folder; `""` is the folder itself) with
    /// its stamp as it was just before it was listed: a page added, removed or renamed
    /// since changes its folder's time, so a cache can tell an unchanged folder by these
    /// alone.
    pub folders: Vec<(PathBuf, Option<Stamp>)>,
}

/// Walks `dir` for article files and the folders that hold them.
pub fn walk(dir: &Path) -> Result<Walked, Error> {
    let root = fs::canonicalize(dir).map_err(|source| Error::ArticlesDir {
        path: dir.to_path_buf(),
        source,
    })?;
    if !root.is_dir() {
        return Err(Error::ArticlesDir {
            path: dir.to_path_buf(),
            source: std::io::Error::other("not a folder"),
        });
    }
    let mut walk = Walk {
        seen_dirs: HashSet::from([root.clone()]),
        canonical: FxHashMap::default(),
        linked: Vec::new(),
        unlistable: None,
        files: Vec::new(),
        diagnostics: Vec::new(),
        folders: Vec::new(),
    };
    walk.dir(dir, &root, Path::new(""));
    // A folder that cannot be listed at all is an error, as a missing one is (a subfolder
    // that cannot be is a problem to report, and the rest is read).
    if let Some(source) = walk.unlistable.take() {
        return Err(Error::ArticlesDir {
            path: dir.to_path_buf(),
            source,
        });
    }
    walk.take_linked();
    // By the paths' bytes: a stable order, cheaper than comparing path components.
    walk.files
        .sort_by(|a, b| a.relative.as_os_str().cmp(b.relative.as_os_str()));
    Ok(Walked {
        files: walk.files,
        diagnostics: walk.diagnostics,
        folders: walk.folders,
    })
}

struct Walk {
    seen_dirs: HashSet<PathBuf>,
    /// Each folder walked (relative) with its canonical path.
    canonical: FxHashMap<PathBuf, PathBuf>,
    /// Pages found through a link, with the canonical path of the file it leads to.
    linked: Vec<(std::ffi::OsString, PageFile)>,
    /// Why the articles folder itself could not be listed, if it could not.
    unlistable: Option<std::io::Error>,
    files: Vec<PageFile>,
    diagnostics: Vec<Diagnostic>,
    folders: Vec<(PathBuf, Option<Stamp>)>,
}

impl Walk {
    /// Walks `dir`, whose canonical path is `canonical`.
    fn dir(&mut self, dir: &Path, canonical: &Path, relative: &Path) {
        self.canonical
            .insert(relative.to_path_buf(), canonical.to_path_buf());
        // Before the listing: a change made while it is read shows as a later time.
        self.folders.push((relative.to_path_buf(), Stamp::of(dir)));
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if relative.as_os_str().is_empty() => {
                self.unlistable = Some(e);
                return;
            }
            Err(e) => {
                self.skip(relative, format!("cannot read the folder: {e}"));
                return;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    self.skip(relative, format!("cannot read the folder: {e}"));
                    continue;
                }
            };
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let full = entry.path();
            let rel = relative.join(&name);
            let is_page_file = is_page(&rel);
            // A plain file needs no more system calls: the folder listing says what it is,
            // and its canonical path is the folder's plus its name.
            if let Ok(kind) = entry.file_type()
                && kind.is_file()
            {
                if is_page_file {
                    self.files.push(PageFile {
                        full,
                        relative: rel,
                    });
                }
                continue;
            }
            // Follows links: a link is whatever it points to.
            let meta = match fs::metadata(&full) {
                Ok(meta) => meta,
                Err(e) => {
                    if is_page(&rel) {
                        self.skip(&rel, format!("cannot read: {e}"));
                    }
                    continue;
                }
            };
            if meta.is_dir() {
                // A folder reached twice (a link loop, or two links to one place) is walked once.
                if let Ok(target) = fs::canonicalize(&full)
                    && self.seen_dirs.insert(target.clone())
                {
                    self.dir(&full, &target, &rel);
                }
            } else if meta.is_file() && is_page(&rel) {
                let canonical = fs::canonicalize(&full).unwrap_or_else(|_| full.clone());
                self.linked.push((
                    canonical.into_os_string(),
                    PageFile {
                        full,
                        relative: rel,
                    },
                ));
            }
        }
    }

    /// Adds the pages found through links that lead to no page taken already: a plain
    /// file's canonical path is its folder's plus its name, so only with links is a look
    /// at every page's needed.
    fn take_linked(&mut self) {
        if self.linked.is_empty() {
            return;
        }
        let mut seen: FxHashSet<std::ffi::OsString> = (self.files.iter())
            .filter_map(|f| {
                let folder = self.canonical.get(f.relative.parent()?)?;
                Some(folder.join(f.relative.file_name()?).into_os_string())
            })
            .collect();
        for (canonical, file) in std::mem::take(&mut self.linked) {
            if seen.insert(canonical) {
                self.files.push(file);
            }
        }
    }

    fn skip(&mut self, path: &Path, message: String) {
        self.diagnostics.push(Diagnostic {
            path: path.to_path_buf(),
            severity: Severity::Skipped,
            message,
        });
    }
}

/// Reads and parses pages on every core. Results come back in the order of `files`.
pub fn parse_all(files: &[PageFile]) -> (Vec<Article>, Vec<Diagnostic>) {
    parse_all_with(files, |f| &f.relative, &load_page)
}

/// Runs `load` over the pages on every core, results in the order of `files`. `path_of` names
/// a page's file (relative to the folder) should its thread fail.
pub(crate) fn parse_all_with<T: Sync>(
    files: &[T],
    path_of: fn(&T) -> &PathBuf,
    load: &(dyn Fn(&T) -> Result<Loaded, Diagnostic> + Sync),
) -> (Vec<Article>, Vec<Diagnostic>) {
    // A parser bug must not take the folder down: its files are reported instead.
    let failed = |f: &T| {
        Err(Diagnostic {
            path: path_of(f).clone(),
            severity: Severity::Skipped,
            message: "internal error while parsing".into(),
        })
    };
    let results = files_map(files, load, &failed);
    let mut articles = Vec::with_capacity(files.len());
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(loaded) => {
                diagnostics.extend(loaded.warnings);
                articles.push(loaded.article);
            }
            Err(d) => diagnostics.push(d),
        }
    }
    (articles, diagnostics)
}

/// What [`parse_heads_with`] read.
#[derive(Default)]
pub(crate) struct ParsedHeads {
    /// The headers, in the order of the files (ids not given yet).
    pub heads: Heads,
    /// Each header's page's stamp as it was opened, in the headers' order.
    pub stamps: Vec<Option<Stamp>>,
    /// The warnings, and the pages skipped.
    pub diagnostics: Vec<Diagnostic>,
    /// The pages skipped whose stamps are known, with them.
    pub skipped: Vec<(Diagnostic, Stamp)>,
}

/// Runs `load` over the pages on every core, each page's header packed as soon as it is read
/// (a text read whole is let go at once). `path_of` names a page's file should its thread
/// fail.
pub(crate) fn parse_heads_with<T: Sync>(
    files: &[T],
    path_of: fn(&T) -> &PathBuf,
    load: &(dyn Fn(&T) -> Stamped + Sync),
) -> ParsedHeads {
    let parse = |part: &[T]| {
        let mut parsed = ParsedHeads {
            heads: Heads::with_capacity(part.len()),
            stamps: Vec::with_capacity(part.len()),
            ..ParsedHeads::default()
        };
        for file in part {
            match load(file) {
                (Ok(loaded), stamp) => {
                    parsed.diagnostics.extend(loaded.warnings);
                    parsed.heads.push(loaded.article.head());
                    parsed.stamps.push(stamp);
                }
                (Err(d), stamp) => {
                    if let Some(stamp) = stamp.filter(|_| d.severity == Severity::Skipped) {
                        parsed.skipped.push((d.clone(), stamp));
                    }
                    parsed.diagnostics.push(d);
                }
            }
        }
        parsed
    };
    // A parser bug must not take the folder down: its files are reported instead.
    let failed = |part: &[T]| {
        let skipped = part.iter().map(|f| Diagnostic {
            path: path_of(f).clone(),
            severity: Severity::Skipped,
            message: "internal error while parsing".into(),
        });
        ParsedHeads {
            diagnostics: skipped.collect(),
            ..ParsedHeads::default()
        }
    };
    let mut all = ParsedHeads {
        heads: Heads::with_capacity(files.len()),
        stamps: Vec::with_capacity(files.len()),
        ..ParsedHeads::default()
    };
    for part in files_chunks(files, &parse, &failed) {
        all.heads.append(&part.heads);
        all.stamps.extend(part.stamps);
        all.diagnostics.extend(part.diagnostics);
        all.skipped.extend(part.skipped);
    }
    all.heads = all.heads.done();
    all
}
