//! broadsheet: a terminal news reader for a folder of saved London Daily pages.
//!
//! Everything that reaches a terminal has been through [`text::clean_line`]. The modules, by
//! what they are about:
//!
//! Pages and the library
//! - [`article`]: an `Article` and the page parser (bytes in, article and warnings out; pure).
//! - [`dateline`]: a page's dateline read into a date, its weekday checked.
//! - [`page`]: one page file on disk, read and parsed within the size a page can have.
//! - [`headers`]: every article's header (id, path, masthead, date, headline), compact.
//! - [`picture`]: a story's lead picture as its page keeps it (the `Image:` line).
//! - [`images`]: pictures on screen: the cache, decoding within limits, what the terminal draws.
//! - [`library`]: the in-memory list in reading order, ids, lookup by id and loose headline.
//! - [`walk`]: a folder walked for its pages, links followed safely.
//! - [`loader`]: the pages read into a library, on many threads.
//! - [`cache`]: the headers cache, so that an unchanged folder is listed without reading it.
//! - [`mapped`]: arrays owned or read in place from a mapped file (the caches).
//! - [`seal`]: a note that a saved cache was checked whole, so it is not checked at every run.
//! - [`watch`]: following the folder while the reader is open.
//! - [`diagnostic`]: what went wrong with one file.
//!
//! Finding and relating
//! - [`index`]: the text index (analysis, build, postings on disk, lookup, the saved file).
//! - [`search`]: the query language, ranking, the one filter, highlighting.
//! - [`related`]: publisher links resolved, similar stories, story threads, saved with the
//!   index and opened against the folder.
//!
//! News coming in
//! - [`feeds`]: the subscriptions file, OPML and newsboat lists in and out, fetching, pages
//!   read a few per host, deep HTML flattened, the feed behind a site's page.
//! - [`feedlist`]: the feeds as the feeds window shows them, with unread and total counts.
//! - [`sync`]: the server a person reads from elsewhere (Google Reader API): its items as
//!   pages, its read and starred marks as read marks and bookmarks.
//!
//! What the user keeps
//! - [`bookmarks`]: the bookmark set and reading state, and the saver.
//! - [`durable`]: files the user owns, changed under a lock and written atomically.
//!
//! The reader
//! - [`action`]: every user intent, with its config name, help text and default keys.
//! - [`key`] and [`keymap`]: key names, and which action each key runs.
//! - [`app`]: the pure core, `App::update(Msg) -> Vec<Effect>`, state in owned parts.
//! - [`outline`]: an article's sections, one model for the reader and for `show`, `|`, `S`.
//! - [`jobs`]: the work behind each effect (read, search, index, apply a folder change).
//! - [`tui`]: the event loop, the one place that owns the terminal.
//! - [`suspend`]: the reader set aside while a command (`less`, a browser) has the terminal.
//! - [`browser`]: which browser opens a link, and whether it gets the terminal.
//! - [`ui`]: drawing, a function of `&App`, one file per pane and window.
//! - [`theme`]: the colours, from config.toml.
//!
//! The rest
//! - [`cli`]: the commands' arguments and what they print.
//! - [`config`]: config.toml, over built-in defaults, with file:line:col errors.
//! - [`error`]: the errors that stop a command, with their exit codes.
//! - [`text`]: control characters and escapes removed, legacy bytes decoded, loose headlines.
//! - [`cells`]: text cut to a width in terminal cells, at its end or in its middle.
//! - [`parallel`]: work spread over every core, and a queue for uneven work (fetching).
//! - [`generate`]: made-up folders of pages for tests and benchmarks.
//! - [`allocator`]: asking glibc to give memory back after large builds.

pub mod action;
pub mod allocator;
pub mod app;
pub mod article;
pub mod bookmarks;
pub mod browser;
pub mod cache;
pub mod cells;
pub mod cli;
pub mod config;
pub mod dateline;
pub mod diagnostic;
pub mod durable;
pub mod error;
pub mod feedlist;
pub mod feeds;
pub mod generate;
pub mod headers;
pub mod images;
pub mod index;
pub mod jobs;
pub mod key;
pub mod keymap;
pub mod library;
pub mod loader;
pub mod mapped;
pub mod outline;
pub mod page;
pub mod parallel;
pub mod picture;
pub mod related;
pub mod seal;
pub mod search;
pub mod suspend;
pub mod sync;
pub mod text;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod walk;
pub mod watch;
