//! One page file on disk: where it is, and reading it into an [`Article`] with the warnings
//! its text gives (or why it cannot be one), within the size a news page can have.

use std::fs;
use std::path::{Path, PathBuf};

use crate::article::{Article, parse_bytes};
use crate::diagnostic::{Diagnostic, Severity};
use crate::mapped::Column;

/// Pages larger than this are not news articles; they are skipped rather than read.
pub const MAX_PAGE_BYTES: u64 = 32 * 1024 * 1024;

/// A page found on disk: where to read it and how to name it.
#[derive(Debug, Clone)]
pub struct PageFile {
    pub full: PathBuf,
    /// Relative to the articles folder, as walked (through links, not to their targets).
    pub relative: PathBuf,
}

/// A file's size and modification time, as the caches check them: a page
/// whose stamp is unchanged is taken to be unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub size: u64,
    pub seconds: i64,
    pub nanos: u32,
}

impl Stamp {
    /// The stamp of the file (or folder) at `path`, links followed; `None` if it cannot be
    /// read.
    pub fn of(path: &Path) -> Option<Stamp> {
        Stamp::of_metadata(&fs::metadata(path).ok()?)
    }

    /// The stamp in a file's metadata (of a file open already, say).
    pub fn of_metadata(meta: &fs::Metadata) -> Option<Stamp> {
        let (seconds, nanos) = match meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH) {
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

/// Pages' stamps, in order: owned, or read in place from a saved file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stamps {
    pub sizes: Column<u64>,
    /// Seconds since 1970 (as the bits of an `i64`).
    pub seconds: Column<u64>,
    pub nanos: Column<u32>,
}

impl Stamps {
    pub fn len(&self) -> usize {
        self.sizes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sizes.is_empty()
    }

    /// Stamp `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<Stamp> {
        Some(Stamp {
            size: *self.sizes.get(i)?,
            seconds: *self.seconds.get(i)? as i64,
            nanos: *self.nanos.get(i)?,
        })
    }

    /// Every stamp, in order.
    pub fn iter(&self) -> impl Iterator<Item = Stamp> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    /// Whether the three columns are of one length.
    pub fn hold_together(&self) -> bool {
        self.seconds.len() == self.sizes.len() && self.nanos.len() == self.sizes.len()
    }
}

impl FromIterator<Stamp> for Stamps {
    fn from_iter<I: IntoIterator<Item = Stamp>>(stamps: I) -> Stamps {
        let (mut sizes, mut seconds, mut nanos) = (Vec::new(), Vec::new(), Vec::new());
        for s in stamps {
            sizes.push(s.size);
            seconds.push(s.seconds as u64);
            nanos.push(s.nanos);
        }
        Stamps {
            sizes: sizes.into(),
            seconds: seconds.into(),
            nanos: nanos.into(),
        }
    }
}

/// One page read and parsed, with what was odd about it.
#[derive(Debug)]
pub struct Loaded {
    pub article: Article,
    pub warnings: Vec<Diagnostic>,
}

/// Whether the file at this path is a page broadsheet reads: a `.txt` news page, or a web
/// page saved from a browser (`.html`, `.htm`).
pub fn is_page(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "txt") || is_web_page(path)
}

/// A web page saved from a browser, read through the same extraction as `save URL`.
pub fn is_web_page(path: &Path) -> bool {
    path.extension()
        .and_then(|x| x.to_str())
        .is_some_and(|x| x.eq_ignore_ascii_case("html") || x.eq_ignore_ascii_case("htm"))
}

/// The readable story of a saved web page as an article: its title, the site's name as the
/// source, its description as the standfirst, dated when the page says (else when the file
/// was saved), with what was odd about it.
fn web_page(
    bytes: &[u8],
    modified: Option<std::time::SystemTime>,
) -> Result<(Article, Vec<String>), String> {
    let (text, _) = crate::text::decode(bytes);
    let story = crate::feeds::html::readable(&text, None)
        .ok_or("a web page with no readable story in it")?;
    let time = story.time();
    let date = time
        .map(crate::text::local_day)
        .or_else(|| modified.map(|m| chrono::DateTime::<chrono::Local>::from(m).date_naive()));
    let warnings = story.warnings();
    let article = Article {
        source: story.site_name.unwrap_or_else(|| "Saved page".into()),
        date,
        time,
        headline: Some(story.title)
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| "Untitled".into()),
        standfirst: story.excerpt,
        body: story.body,
        ..Article::default()
    };
    Ok((article, warnings))
}

/// Reads and parses the page at `relative` below `dir`, as [`crate::loader::load`] would.
pub fn load_file(dir: &Path, relative: &Path) -> Result<Loaded, Diagnostic> {
    load_page(&PageFile {
        full: dir.join(relative),
        relative: relative.to_path_buf(),
    })
}

/// Reads and parses one page.
pub(crate) fn load_page(file: &PageFile) -> Result<Loaded, Diagnostic> {
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
    if is_web_page(&file.relative) {
        let modified = fs::metadata(&file.full).and_then(|m| m.modified()).ok();
        let (mut article, warnings) = web_page(&bytes, modified).map_err(skipped)?;
        article.path = file.relative.clone();
        return Ok(Loaded {
            article,
            warnings: warned(file, warnings),
        });
    }
    let parsed = parse_bytes(&bytes).map_err(|why| skipped(why.to_string()))?;
    let mut article = parsed.article;
    article.path = file.relative.clone();
    Ok(Loaded {
        article,
        warnings: warned(file, parsed.warnings),
    })
}

/// A page's warnings as problems that name it.
fn warned(file: &PageFile, warnings: Vec<String>) -> Vec<Diagnostic> {
    warnings
        .into_iter()
        .map(|message| Diagnostic {
            path: file.relative.clone(),
            severity: Severity::Warning,
            message,
        })
        .collect()
}
