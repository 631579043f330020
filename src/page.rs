//! One page file on disk: where it is, and reading it into an [`Article`] with the warnings
//! its text gives (or why it cannot be one), within the size a news page can have.

use std::fs;
use std::path::{Path, PathBuf};

use crate::article::{Article, parse_bytes};
use crate::diagnostic::{Diagnostic, Severity};

/// Pages larger than this are not news articles; they are skipped rather than read.
pub const MAX_PAGE_BYTES: u64 = 32 * 1024 * 1024;

/// A page found on disk: where to read it and how to name it.
#[derive(Debug, Clone)]
pub struct PageFile {
    pub full: PathBuf,
    /// Relative to the articles folder, as walked (through links, not to their targets).
    pub relative: PathBuf,
}

/// One page read and parsed, with what was odd about it.
#[derive(Debug)]
pub struct Loaded {
    pub article: Article,
    pub warnings: Vec<Diagnostic>,
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
