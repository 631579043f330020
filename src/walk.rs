//! Walking an articles folder for its pages: a recursive walk that follows links safely
//! (loops broken, a file reached twice taken once, hidden entries passed over), each folder's
//! stamp noted, and a diagnostic for what cannot be read. The pages can be handed over in
//! runs as they are found ([`walk_streamed`]), so reading them need not wait for the walk.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::Error;
use crate::page::{PageFile, Stamp, is_page};

/// How many pages [`walk_streamed`] hands over at a time.
pub const RUN: usize = 256;

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
    let mut walk = Walk::of(dir, None)?;
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

/// [`walk`], handing the pages to `give` in runs of [`RUN`] as they are found, in the order
/// found (not sorted). The [`Walked`] returned has the diagnostics and folders but no files;
/// the pages reached through links are left to [`Linked::beyond`], since only once every
/// page is known can a link be told to lead to one taken already.
pub fn walk_streamed(
    dir: &Path,
    give: &mut dyn FnMut(Vec<PageFile>),
) -> Result<(Walked, Linked), Error> {
    let mut walk = Walk::of(dir, Some(give))?;
    let last = std::mem::take(&mut walk.files);
    if let Some(give) = walk.give.as_mut() {
        give(last);
    }
    let linked = Linked {
        canonical: walk.canonical,
        linked: walk.linked,
    };
    let walked = Walked {
        files: Vec::new(),
        diagnostics: walk.diagnostics,
        folders: walk.folders,
    };
    Ok((walked, linked))
}

/// The pages a walk found through links, and each folder's canonical path.
#[derive(Default)]
pub struct Linked {
    /// Each folder walked (relative) with its canonical path.
    canonical: FxHashMap<PathBuf, PathBuf>,
    /// Pages found through a link, with the canonical path of the file it leads to.
    linked: Vec<(OsString, PageFile)>,
}

impl Linked {
    /// The pages reached through links that lead to none of `plain` (the pages found as
    /// files) nor to each other: a plain file's canonical path is its folder's plus its
    /// name, so only when there are links is a look at every page needed.
    pub fn beyond<'a>(self, plain: impl Iterator<Item = &'a PageFile>) -> Vec<PageFile> {
        if self.linked.is_empty() {
            return Vec::new();
        }
        let mut seen: FxHashSet<OsString> = plain
            .filter_map(|f| {
                let folder = self.canonical.get(f.relative.parent()?)?;
                Some(folder.join(f.relative.file_name()?).into_os_string())
            })
            .collect();
        (self.linked.into_iter())
            .filter(|(canonical, _)| seen.insert(canonical.clone()))
            .map(|(_, file)| file)
            .collect()
    }
}

struct Walk<'g> {
    /// Where pages go in runs as they are found, when they are handed over during the walk.
    give: Option<&'g mut dyn FnMut(Vec<PageFile>)>,
    seen_dirs: HashSet<PathBuf>,
    /// Each folder walked (relative) with its canonical path.
    canonical: FxHashMap<PathBuf, PathBuf>,
    /// Pages found through a link, with the canonical path of the file it leads to.
    linked: Vec<(OsString, PageFile)>,
    /// Why the articles folder itself could not be listed, if it could not.
    unlistable: Option<std::io::Error>,
    files: Vec<PageFile>,
    diagnostics: Vec<Diagnostic>,
    folders: Vec<(PathBuf, Option<Stamp>)>,
}

impl<'g> Walk<'g> {
    /// The walk of `dir`, done.
    fn of(dir: &Path, give: Option<&'g mut dyn FnMut(Vec<PageFile>)>) -> Result<Walk<'g>, Error> {
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
            give,
            seen_dirs: HashSet::from([root.clone()]),
            canonical: FxHashMap::default(),
            linked: Vec::new(),
            unlistable: None,
            files: Vec::new(),
            diagnostics: Vec::new(),
            folders: Vec::new(),
        };
        walk.dir(dir, &root, Path::new(""));
        // A folder that cannot be listed at all is an error, as a missing one is (a
        // subfolder that cannot be is a problem to report, and the rest is read).
        if let Some(source) = walk.unlistable.take() {
            return Err(Error::ArticlesDir {
                path: dir.to_path_buf(),
                source,
            });
        }
        Ok(walk)
    }

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
                    if self.files.len() >= RUN
                        && let Some(give) = self.give.as_mut()
                    {
                        give(std::mem::take(&mut self.files));
                    }
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

    /// Adds the pages found through links that lead to no page taken already.
    fn take_linked(&mut self) {
        let linked = Linked {
            canonical: std::mem::take(&mut self.canonical),
            linked: std::mem::take(&mut self.linked),
        };
        let beyond = linked.beyond(self.files.iter());
        self.files.extend(beyond);
    }

    fn skip(&mut self, path: &Path, message: String) {
        self.diagnostics.push(Diagnostic {
            path: path.to_path_buf(),
            severity: Severity::Skipped,
            message,
        });
    }
}
