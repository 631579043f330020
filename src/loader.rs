//! Reading an articles folder from disk into a [`Library`]: the pages found by the walk
//! ([`crate::walk`]) read on many threads, whole or by their headers, and a diagnostic for
//! every file that is odd or skipped.

use std::fs;
use std::path::{Path, PathBuf};

use crate::article::{Article, parse_head};
use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::headers::Heads;
use crate::library::Library;
use crate::page::{Loaded, PageFile, Stamp, is_web_page, load_page};
pub(crate) use crate::parallel::{files_chunks, files_map};
pub use crate::walk::{Walked, find_pages, walk};

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

/// Walks `dir` and reads every page's header as the walk finds it ([`load_head_stamped`], on
/// file threads while the walk goes on): what the walk found besides the pages, and the
/// headers with their stamps. The pages' warnings and skips come in the order of their paths.
pub(crate) fn walk_and_read_heads(dir: &Path) -> Result<(Walked, ParsedHeads), Error> {
    let parse = |part: &[PageFile]| parse_run(part, &load_head_stamped);
    let failed = |part: &[PageFile]| failed_run(part, |f| &f.relative);
    let (walked, runs) = crate::parallel::files_streamed(
        |give| crate::walk::walk_streamed(dir, give),
        &parse,
        &failed,
    );
    let (walked, linked) = walked?;
    let beyond = linked.beyond(runs.iter().flat_map(|(files, _)| files));
    let mut all = ParsedHeads::default();
    for (_, part) in runs {
        all.add(part);
    }
    if !beyond.is_empty() {
        all.add(parse_heads_with(
            &beyond,
            |f| &f.relative,
            &load_head_stamped,
        ));
    }
    all.heads = std::mem::take(&mut all.heads).done();
    all.diagnostics.sort_by(|a, b| a.path.cmp(&b.path));
    all.skipped.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    Ok((walked, all))
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
    let parse = |part: &[T]| parse_run(part, load);
    let failed = |part: &[T]| failed_run(part, path_of);
    let mut all = ParsedHeads {
        heads: Heads::with_capacity(files.len()),
        stamps: Vec::with_capacity(files.len()),
        ..ParsedHeads::default()
    };
    for part in files_chunks(files, &parse, &failed) {
        all.add(part);
    }
    all.heads = all.heads.done();
    all
}

/// One run of pages read by `load`, each header packed as soon as it is read.
fn parse_run<T>(part: &[T], load: &(dyn Fn(&T) -> Stamped + Sync)) -> ParsedHeads {
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
}

/// A run whose thread failed: a parser bug must not take the folder down, so its files are
/// reported instead.
fn failed_run<T>(part: &[T], path_of: fn(&T) -> &PathBuf) -> ParsedHeads {
    let skipped = part.iter().map(|f| Diagnostic {
        path: path_of(f).clone(),
        severity: Severity::Skipped,
        message: "internal error while parsing".into(),
    });
    ParsedHeads {
        diagnostics: skipped.collect(),
        ..ParsedHeads::default()
    }
}

impl ParsedHeads {
    /// Adds `part`'s headers and findings after these.
    fn add(&mut self, part: ParsedHeads) {
        self.heads.append(&part.heads);
        self.stamps.extend(part.stamps);
        self.diagnostics.extend(part.diagnostics);
        self.skipped.extend(part.skipped);
    }
}
