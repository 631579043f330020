//! The errors that stop a command: each carries the path (and line:column) it is about, and
//! knows the exit status it ends the program with.

use std::io;
use std::path::{Path, PathBuf};

use crate::text::{clean_display, line_column};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read the config file {}: {source}", shown(path))]
    ConfigRead { path: PathBuf, source: io::Error },

    #[error("{}:{line}:{column}: {message}", shown(path))]
    Config {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("cannot read the articles folder {}: {source}", shown(path))]
    ArticlesDir { path: PathBuf, source: io::Error },

    #[error(
        "no article has the id '{}'{}",
        clean_display(id),
        suggestion(suggestions)
    )]
    UnknownId {
        id: String,
        suggestions: Vec<String>,
    },

    #[error("no bookmark has the id '{}'", clean_display(.0))]
    NoBookmark(String),

    #[error("{0}")]
    Usage(String),

    #[error("no feed has the address or name '{}'", clean_display(.0))]
    NoFeed(String),
    /// The sync server could not be reached or refused (why).
    #[error("sync: {0}")]
    Sync(String),

    #[error("no feed found at {}: {}", clean_display(url), clean_display(why))]
    NoFeedFound { url: String, why: String },

    #[error("cannot read {}: {source}", shown(path))]
    Read { path: PathBuf, source: io::Error },

    #[error("nothing saved from {}: {}", clean_display(url), clean_display(why))]
    NotSaved { url: String, why: String },

    /// A feed list that is neither OPML nor a newsboat `urls` file (the message has the
    /// line:column).
    #[error("{}:{}", shown(path), clean_display(message))]
    Import { path: PathBuf, message: String },

    /// A page whose text is needed and can no longer be read (the diagnostic names it).
    #[error("{0}")]
    Page(crate::diagnostic::Diagnostic),

    #[error("cannot write the output: {0}")]
    Output(io::Error),

    #[error("the terminal failed: {0}")]
    Terminal(io::Error),

    #[error("{0}")]
    Store(#[from] crate::durable::StoreError),
}

impl Error {
    /// 2 for problems with how broadsheet was set up or called, 1 for a request that failed.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::UnknownId { .. }
            | Error::NoBookmark(_)
            | Error::NoFeed(_)
            | Error::NoFeedFound { .. }
            | Error::Import { .. }
            | Error::NotSaved { .. }
            | Error::Sync(_) => 1,
            _ => 2,
        }
    }

    /// A config error at a byte offset of the file's text.
    pub fn config_at(path: &Path, text: &str, offset: usize, message: impl Into<String>) -> Error {
        let (line, column) = line_column(text, offset);
        Error::Config {
            path: path.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// A path as it may be shown on a terminal.
pub fn shown(path: &Path) -> String {
    clean_display(&path.to_string_lossy())
}

fn suggestion(ids: &[String]) -> String {
    match ids {
        [] => ". `broadsheet list` shows every id.".to_string(),
        [one] => format!(". Did you mean '{}'?", clean_display(one)),
        many => format!(
            ". Did you mean one of: {}?",
            many.iter()
                .map(|id| format!("'{}'", clean_display(id)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}
