//! Reading an articles folder from disk into a [`Library`]: a recursive walk that follows
//! links safely, parsing in parallel, and a diagnostic for every file that is odd or skipped.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::thread;

use crate::article::{Article, parse_bytes};
use crate::error::Error;
use crate::library::{Diagnostic, Library, Severity};

/// Pages larger than this are not news articles; they are skipped rather than read.
pub const MAX_PAGE_BYTES: u64 = 32 * 1024 * 1024;

/// Loads every `*.txt` file below `dir` (links followed, loops broken, hidden entries passed
/// over). Only a folder that cannot be read at all is an error; every problem with a single
/// file becomes a diagnostic and the rest loads.
pub fn load(dir: &Path) -> Result<Library, Error> {
    let (files, mut diagnostics) = find_pages(dir)?;
    let (articles, more) = parse_all(&files);
    diagnostics.extend(more);
    Ok(Library::new(articles, diagnostics))
}

/// A page found on disk: where to read it and how to name it.
#[derive(Debug, Clone)]
pub struct PageFile {
    pub full: PathBuf,
    /// Relative to the articles folder, as walked (through links, not to their targets).
    pub relative: PathBuf,
}

/// Walks `dir` for article files, in a stable order.
pub fn find_pages(dir: &Path) -> Result<(Vec<PageFile>, Vec<Diagnostic>), Error> {
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
        seen_files: HashSet::new(),
        files: Vec::new(),
        diagnostics: Vec::new(),
    };
    walk.dir(dir, Path::new(""));
    walk.files.sort_by(|a, b| a.relative.cmp(&b.relative));
    Ok((walk.files, walk.diagnostics))
}

struct Walk {
    seen_dirs: HashSet<PathBuf>,
    seen_files: HashSet<PathBuf>,
    files: Vec<PageFile>,
    diagnostics: Vec<Diagnostic>,
}

impl Walk {
    fn dir(&mut self, dir: &Path, relative: &Path) {
        let entries = match fs::read_dir(dir) {
            Ok(entries) => entries,
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
            // Follows links: a link is whatever it points to.
            let meta = match fs::metadata(&full) {
                Ok(meta) => meta,
                Err(e) => {
                    if rel.extension().is_some_and(|x| x == "txt") {
                        self.skip(&rel, format!("cannot read: {e}"));
                    }
                    continue;
                }
            };
            if meta.is_dir() {
                // A folder reached twice (a link loop, or two links to one place) is walked once.
                if let Ok(canonical) = fs::canonicalize(&full)
                    && self.seen_dirs.insert(canonical)
                {
                    self.dir(&full, &rel);
                }
            } else if meta.is_file() && rel.extension().is_some_and(|x| x == "txt") {
                let canonical = fs::canonicalize(&full).unwrap_or_else(|_| full.clone());
                if self.seen_files.insert(canonical) {
                    self.files.push(PageFile {
                        full,
                        relative: rel,
                    });
                }
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
    let threads = thread::available_parallelism()
        .map_or(1, usize::from)
        .min(files.len().div_ceil(64))
        .max(1);
    let chunk = files.len().div_ceil(threads).max(1);
    let results: Vec<Vec<Result<Loaded, Diagnostic>>> = thread::scope(|s| {
        let handles: Vec<_> = files
            .chunks(chunk)
            .map(|part| (part, s.spawn(move || part.iter().map(load_page).collect())))
            .collect();
        handles
            .into_iter()
            .map(|(part, handle)| {
                // A parser bug must not take the folder down: its files are reported instead.
                handle.join().unwrap_or_else(|_| {
                    part.iter()
                        .map(|f| {
                            Err(Diagnostic {
                                path: f.relative.clone(),
                                severity: Severity::Skipped,
                                message: "internal error while parsing".into(),
                            })
                        })
                        .collect()
                })
            })
            .collect()
    });
    let mut articles = Vec::with_capacity(files.len());
    let mut diagnostics = Vec::new();
    for result in results.into_iter().flatten() {
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

struct Loaded {
    article: Article,
    warnings: Vec<Diagnostic>,
}

/// Reads and parses one page.
fn load_page(file: &PageFile) -> Result<Loaded, Diagnostic> {
    let skipped = |message: String| Diagnostic {
        path: file.relative.clone(),
        severity: Severity::Skipped,
        message,
    };
    let size = fs::metadata(&file.full)
        .map_err(|e| skipped(format!("cannot read: {e}")))?
        .len();
    if size > MAX_PAGE_BYTES {
        return Err(skipped(format!(
            "too large for a news page ({size} bytes; the limit is {MAX_PAGE_BYTES})"
        )));
    }
    let bytes = fs::read(&file.full).map_err(|e| skipped(format!("cannot read: {e}")))?;
    let parsed = parse_bytes(&bytes).map_err(skipped)?;
    let mut article = parsed.article;
    article.path = file.relative.clone();
    let warnings = parsed
        .warnings
        .into_iter()
        .map(|message| Diagnostic {
            path: file.relative.clone(),
            severity: Severity::Warning,
            message,
        })
        .collect();
    Ok(Loaded { article, warnings })
}
