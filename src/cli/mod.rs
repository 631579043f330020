//! The non-interactive command line: its arguments (clap), and in [`print`] what each command
//! writes, plain or JSON, to any writer (the bookmarks commands' in [`bookmarks`]).

pub mod articles;
mod bookmarks;
pub mod feeds;
pub mod folder;
mod print;
pub mod sync;

pub use bookmarks::{bookmarks_list, bookmarks_markdown};
pub use print::{check, find, list, related, search, show_json, show_text};

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// A terminal news reader for a folder of saved news pages.
#[derive(Debug, Parser)]
#[command(
    name = "broadsheet",
    version,
    about,
    after_help = "With no command, broadsheet opens the reader (in a terminal) on the articles \
                  folder; `?` in the reader lists its keys."
)]
pub struct Cli {
    /// The articles folder (beats `articles_dir` in the config file).
    #[arg(long, global = true, value_name = "DIR")]
    pub articles: Option<PathBuf>,

    /// The config file to read (default: ./config.toml, else the platform config folder).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// One line per article, newest first: id, date and headline, separated by tabs.
    List {
        /// An array of {id, date, headline, source, path, link, read, bookmarked}.
        #[arg(long)]
        json: bool,
        /// Only bookmarked articles.
        #[arg(long)]
        bookmarked: bool,
        /// Only articles not yet read.
        #[arg(long)]
        unread: bool,
    },
    /// Bookmarks: list them (the default), add, remove or export.
    Bookmarks {
        #[command(subcommand)]
        action: Option<BookmarksCommand>,
        /// With no subcommand: list as JSON.
        #[arg(long)]
        json: bool,
    },
    /// One article as readable text.
    Show {
        /// The article's id, as `list` prints it.
        id: String,
        /// The article as a JSON object.
        #[arg(long)]
        json: bool,
        /// Wrap the text at this many columns (default: `wrap_width` from the config).
        #[arg(long, value_name = "N", value_parser = parse_width)]
        width: Option<u16>,
    },
    /// How an article relates to the rest: the publisher's related stories (resolved to local
    /// ids), similar stories by content, the articles that link to it, and its story thread.
    Related {
        /// The article's id, as `list` prints it.
        id: String,
        /// An object {id, related, similar, linked_from, thread}.
        #[arg(long)]
        json: bool,
    },
    /// Search headlines and full text, best first: `id<TAB>date<TAB>headline` per hit. The
    /// words are one query: every word must match; `"quoted phrases"`; filters `before:DATE`,
    /// `after:DATE` (YYYY, YYYY-MM or YYYY-MM-DD), `is:bookmarked`, `is:unread`, `is:read`,
    /// `source:NAME` (the source's name holds NAME); a value may be quoted, `source:"world press"`.
    Search {
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        /// An array of {id, date, headline, score, snippet}.
        #[arg(long)]
        json: bool,
        /// At most this many hits.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// Load every file and report the problems found; exit 1 when a file was skipped.
    Check,
    /// The feeds subscribed to: `url<TAB>name<TAB>last fetched or -<TAB>ok|error message`
    /// (`-` there too for a feed never fetched); add, remove, import or export them.
    Feeds {
        #[command(subcommand)]
        action: Option<FeedsCommand>,
        /// With no subcommand: an array of {url, name, last_fetched, status, error}.
        #[arg(long)]
        json: bool,
    },
    /// Fetch every feed and save each new item as a page in the articles folder, under a
    /// folder per feed: `name<TAB>N new<TAB>status` per feed. Exit 1 when any feed failed (the
    /// others are still saved).
    Fetch {
        /// An array of {url, name, new, status, error}, one object per feed.
        #[arg(long)]
        json: bool,
    },
    /// Sync with the server in config.toml's `[sync]` (the Google Reader API of FreshRSS,
    /// Miniflux, Inoreader): its new items saved as pages, its read and starred marks taken
    /// in. `NAME<TAB>N new` per server feed with new items, then `N new, N sent, N pending`.
    /// Exit 1 when the server could not be reached or refused (what arrived is kept), 2 for a
    /// bad `[sync]` table.
    Sync {
        /// {server, feeds, new, sent, pending, error}.
        #[arg(long)]
        json: bool,
    },
    /// Mark articles read, as the reader does: `Marked read: ID` per article (none is
    /// changed when an id is unknown: exit 1). `--all`: every article in the folder,
    /// `Marked N articles read`.
    MarkRead {
        #[arg(
            value_name = "ID",
            required_unless_present = "all",
            conflicts_with = "all"
        )]
        ids: Vec<String>,
        /// Every article in the folder.
        #[arg(long)]
        all: bool,
    },
    /// Mark articles unread again: `Marked unread: ID` per article.
    MarkUnread {
        #[arg(value_name = "ID", required = true)]
        ids: Vec<String>,
    },
    /// Save one web page's story as an article and print its id; exit 1 with the reason when
    /// nothing readable was found.
    Save {
        url: String,
        /// An object {id, path, headline, source, link}.
        #[arg(long)]
        json: bool,
    },
    /// Print a completion script for a shell (bash, zsh, fish, elvish, powershell), made
    /// from these same definitions: `broadsheet completions bash > ~/.local/share/bash-completion/completions/broadsheet`.
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff), made from these same definitions:
    /// `broadsheet manual > ~/.local/share/man/man1/broadsheet.1`.
    Manual,
}

/// The completion script for `shell`, or the manual page, as the commands' definitions give
/// them; `None` for any other command.
pub fn generated(command: &Command, out: &mut dyn std::io::Write) -> Option<std::io::Result<()>> {
    use clap::CommandFactory;
    match command {
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "broadsheet", out);
            Some(Ok(()))
        }
        Command::Manual => Some(clap_mangen::Man::new(Cli::command()).render(out)),
        _ => None,
    }
}

#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Subscribe to a feed (RSS, Atom or JSON Feed) at an http or https address, or to the
    /// feed a site's page names (or keeps at a usual place); one already there is left as it
    /// is, and says so.
    Add {
        url: String,
        /// What to call it (default: the feed's own title).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// A folder to put it in (as many as you like; `News/World` for a folder in a folder).
        #[arg(long = "tag", value_name = "FOLDER")]
        tags: Vec<String>,
        /// Subscribe to the address as given, without asking it whether it is a feed (or
        /// which feed its page names).
        #[arg(long)]
        as_is: bool,
        /// Subscribe on the sync server of config.toml's `[sync]` (its first `--tag` the
        /// server's folder), not in the feeds file: `sync` brings its items.
        #[arg(long)]
        sync: bool,
    },
    /// Unsubscribe from the feeds with this address or name, in the feeds file and on the
    /// sync server; exit 1 when none has it.
    Remove {
        #[arg(value_name = "URL|NAME")]
        feed: String,
    },
    /// Subscribe to every feed of an OPML file (its folders, at any depth, kept as tags) or a
    /// newsboat `urls` file; prints how many were added. Exit 1 when the file names no feed.
    Import { file: PathBuf },
    /// Every feed as OPML 2.0, on stdout: its name, its type and its folders.
    Export,
}

#[derive(Debug, Subcommand)]
pub enum BookmarksCommand {
    /// Newest first, five columns: `id<TAB>date<TAB>headline<TAB>missing<TAB>note`, the
    /// fourth `missing` when the folder no longer holds the article (else empty), the fifth
    /// the note (else empty). "no bookmarks" on stderr when there are none.
    List {
        /// An array of {id, headline, date, added, note, missing}.
        #[arg(long)]
        json: bool,
    },
    /// Bookmark an article; one already bookmarked keeps its place and gets the new note.
    Add {
        id: String,
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Remove a bookmark.
    Remove { id: String },
    /// Every bookmark, ready to paste: a dated Markdown list, or JSON.
    Export {
        #[arg(long, value_enum, default_value = "markdown")]
        format: ExportFormat,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Markdown,
    Json,
}

/// Text styling for a terminal: bold and dim, or nothing when output is not a terminal or
/// `NO_COLOR` is set.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    /// Styling on when `is_terminal` and `NO_COLOR` is unset or empty.
    pub fn detect(is_terminal: bool) -> Paint {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Paint {
            on: is_terminal && !no_color,
        }
    }

    fn wrap(self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }
}

/// A `--width`: the range the config's `wrap_width` takes, with the same words.
fn parse_width(text: &str) -> Result<u16, String> {
    let min = crate::config::MIN_WRAP_WIDTH;
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|w| *w >= min)
        .ok_or_else(|| {
            format!(
                "the width must be a whole number from {min} to {}",
                u16::MAX
            )
        })
}
