//! What went wrong with one file while loading: a [`Diagnostic`] names the file, says whether
//! it was skipped or loaded with a warning, and why, in one line safe to print.

use std::fmt;
use std::path::PathBuf;

use crate::text::clean_display;

/// What happened to one file while loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Loaded, with something odd about it.
    Warning,
    /// Not loaded.
    Skipped,
}

/// One problem with one file, said in one line.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The file, relative to the articles folder.
    pub path: PathBuf,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    /// `path: warning: reason` or `path: skipped: reason`, safe to print to a terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Skipped => "skipped",
        };
        write!(
            f,
            "{}: {kind}: {}",
            clean_display(&self.path.to_string_lossy()),
            clean_display(&self.message)
        )
    }
}
