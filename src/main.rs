//! The `broadsheet` binary: parse arguments, load the config and the library, run one command,
//! and turn errors into a plain message and an exit status.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use broadsheet::app::App;
use broadsheet::bookmarks::folders::Stores;
use broadsheet::bookmarks::{Added, Bookmark, Bookmarks, Change, ReadingState};
use broadsheet::cli::folder::{Folder, caches_on, load_checked};
use broadsheet::cli::{self, BookmarksCommand, Cli, Command, ExportFormat, Paint};
use broadsheet::config::Config;
use broadsheet::error::Error;
use broadsheet::loader;
use broadsheet::related::Answer;
use broadsheet::search::{self, Query, Searcher};
use broadsheet::text::clean_display;
use broadsheet::theme::Theme;
use broadsheet::tui;
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Tuned for holding a large library in little memory; fetching pages, which allocates
    // and frees many large buffers, runs faster without it.
    if !matches!(
        cli.command,
        Some(Command::Fetch { .. } | Command::Save { .. } | Command::Feeds { .. })
    ) {
        broadsheet::allocator::tune();
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("broadsheet: {e}");
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    // Completions and the manual need no config and no folder.
    if let Some(command) = &cli.command
        && let Some(written) = cli::generated(command, &mut io::stdout().lock())
    {
        return match written {
            Ok(()) => Ok(ExitCode::SUCCESS),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
            Err(e) => Err(Error::Terminal(e)),
        };
    }
    let mut config = Config::load(cli.config.as_deref())?;
    match cli.articles {
        Some(dir) => {
            config.articles_dir = dir;
            config.articles_default = false;
        }
        // The news's own folder is made on first use (one the user names must exist).
        None if config.articles_default => {
            std::fs::create_dir_all(&config.articles_dir).map_err(|source| {
                broadsheet::durable::StoreError::Io {
                    doing: "create",
                    path: config.articles_dir.clone(),
                    source,
                }
            })?;
        }
        None => {}
    }
    let Some(command) = cli.command else {
        return read(config);
    };

    // `list` checks every page's header, `check` reads every page whole; the rest read the
    // headers (the cache trusted when no folder changed) and only the pages they print.
    let mut folder = None;
    // `list` writes the headers cache on another thread while it prints the headlines.
    let mut writing = None;
    let library = match command {
        Command::List { .. } => {
            let (library, unwritten) = load_checked(&config.articles_dir, caches_on())?;
            let library = Arc::new(library);
            writing = unwritten.map(|unwritten| {
                let library = library.clone();
                std::thread::spawn(move || unwritten.write(&library))
            });
            library
        }
        // Feeds need no article (`save` reads the headers once the page is written).
        Command::Feeds { .. } | Command::Fetch { .. } | Command::Save { .. } => Arc::default(),
        Command::Check => Arc::new(loader::load(&config.articles_dir)?),
        _ => folder
            .insert(Folder::open(&config.articles_dir)?)
            .library()
            .clone(),
    };
    let stdout = io::stdout();
    let paint = Paint::detect(stdout.is_terminal());
    let mut out = BufWriter::new(stdout.lock());
    let mut code = ExitCode::SUCCESS;
    let stores = Stores::new(
        config.bookmarks_file.clone(),
        config.state_file.clone(),
        &config.articles_dir,
    );
    let written = match command {
        Command::List {
            json,
            bookmarked,
            unread,
        } => {
            // JSON rows say whether each article is read and bookmarked.
            let bookmarks: Bookmarks = if bookmarked || json {
                stores.load_bookmarks()?
            } else {
                Bookmarks::default()
            };
            let state: ReadingState = if unread || json {
                stores.load_state()?
            } else {
                ReadingState::default()
            };
            let keep = |a: broadsheet::headers::Head| {
                (!bookmarked || bookmarks.contains(a.id)) && (!unread || !state.read.contains(a.id))
            };
            let marks = |a: broadsheet::headers::Head| {
                (state.read.contains(a.id), bookmarks.contains(a.id))
            };
            cli::list(&library, json, &keep, &marks, &mut out)
        }
        Command::Bookmarks { action, json } => {
            match action.unwrap_or(BookmarksCommand::List { json }) {
                BookmarksCommand::List { json } => {
                    let bookmarks = stores.load_bookmarks()?;
                    if bookmarks.list.is_empty() && !json {
                        // Said on stderr: a script reading stdout sees no lines.
                        eprintln!("no bookmarks");
                    }
                    cli::bookmarks_list(&library, &bookmarks, json, &mut out)
                }
                BookmarksCommand::Add { id, note } => {
                    let folder = folder.as_mut().ok_or(Error::Usage("no folder".into()))?;
                    let i = folder.article(&id)?;
                    let library = folder.library();
                    let head = library.head(i).unwrap_or_default();
                    let now = chrono::Local::now().fixed_offset();
                    let bookmark = Bookmark::new(head, now);
                    let new = stores.update_bookmarks(|b| b.add(bookmark, note.as_deref()))?;
                    let said = match new {
                        Added::New => "Bookmarked",
                        Added::NoteChanged => "Updated bookmark",
                        Added::Already => "Already bookmarked",
                    };
                    writeln!(out, "{said}: {}", head.id)
                }
                BookmarksCommand::Remove { id } => {
                    let removed = stores.update_bookmarks(|b| b.remove(&id))?;
                    match removed {
                        Some(b) => writeln!(out, "Removed bookmark: {}", clean_display(&b.id)),
                        None => return Err(Error::NoBookmark(id)),
                    }
                }
                BookmarksCommand::Export { format } => {
                    let bookmarks = stores.load_bookmarks()?;
                    match format {
                        ExportFormat::Markdown => cli::bookmarks_markdown(&bookmarks, &mut out),
                        ExportFormat::Json => {
                            cli::bookmarks_list(&library, &bookmarks, true, &mut out)
                        }
                    }
                }
            }
        }
        Command::Show { id, json, width } => {
            let folder = folder.as_mut().ok_or(Error::Usage("no folder".into()))?;
            let i = folder.article(&id)?;
            let library = folder.library().clone();
            let article = library.text(i).map_err(Error::Page)?;
            // The similar stories and links come from the index; plain text prints only the
            // publisher's related stories, which the headers resolve.
            let answer = if json {
                folder.answer(|r| r.answer(&library, i, config.similar_count))
            } else {
                Answer::pending(&library, i, &article)
            };
            if json {
                cli::show_json(&library, &article, &answer, &mut out)
            } else {
                let width = width.unwrap_or(config.wrap_width);
                cli::show_text(
                    &library,
                    &article,
                    &answer,
                    width,
                    &config.date_format,
                    paint,
                    &mut out,
                )
            }
        }
        Command::Related { id, json } => {
            let folder = folder.as_mut().ok_or(Error::Usage("no folder".into()))?;
            let i = folder.article(&id)?;
            let library = folder.library().clone();
            let article = library.text(i).map_err(Error::Page)?;
            let answer = folder.answer(|r| r.answer(&library, i, config.similar_count));
            cli::related(&library, &article, &answer, json, paint, &mut out)
        }
        Command::Search { query, json, limit } => {
            let query = Query::parse(&query.join(" "), false);
            if let Some(problem) = query.problems.first() {
                return Err(Error::Usage(problem.clone()));
            }
            let bookmarks: Bookmarks = if query.bookmarked {
                stores.load_bookmarks()?
            } else {
                Bookmarks::default()
            };
            let state: ReadingState = if query.unread || query.read {
                stores.load_state()?
            } else {
                ReadingState::default()
            };
            let marked: std::collections::HashSet<usize> = bookmarks
                .list
                .iter()
                .filter_map(|b| b.locate(&library))
                .collect();
            let hits = match &folder {
                Some(folder) if query.has_words() => {
                    folder.answer(|r| Searcher::default().run(&r.index, &query))
                }
                _ => Vec::new(),
            };
            let articles = library.articles();
            let hits: Vec<(usize, f32)> = search::filter(
                &query,
                &hits,
                &library,
                |i| marked.contains(&i),
                |i| state.read.contains(articles.id(i)),
            )
            .map(|h| (h.article, h.score))
            .take(limit.unwrap_or(usize::MAX))
            .collect();
            cli::search(&library, &hits, &query.highlighter(), json, &mut out)
        }
        Command::MarkRead { ids, all } => {
            let folder = folder.as_mut().ok_or(Error::Usage("no folder".into()))?;
            mark(folder, &stores, &ids, all, true, &mut out)?
        }
        Command::MarkUnread { ids } => {
            let folder = folder.as_mut().ok_or(Error::Usage("no folder".into()))?;
            mark(folder, &stores, &ids, false, false, &mut out)?
        }
        Command::Feeds { action, json } => cli::feeds::run(&config, action, json, &mut out)?,
        Command::Fetch { json } => cli::feeds::fetch(&config, json, &mut out)?.map(|all| {
            if !all {
                code = ExitCode::FAILURE;
            }
        }),
        Command::Save { url, json } => {
            let load = |dir: &std::path::Path| {
                let (library, unwritten) = load_checked(dir, caches_on())?;
                if let Some(unwritten) = unwritten {
                    let _ = unwritten.write(&library);
                }
                Ok(library)
            };
            cli::feeds::save(&config, &url, json, &load, &mut out)?
        }
        Command::Check => cli::check(&library, &mut out).map(|skipped| {
            if skipped {
                code = ExitCode::FAILURE;
            }
        }),
        // Written before the config was read (see the top of `run`).
        Command::Completions { .. } | Command::Manual => Ok(()),
    };
    let finished = finish(written.and_then(|()| out.flush()), code);
    drop(out);
    // A cache half written when the process ends would leave its temporary file behind.
    if let Some(writing) = writing {
        let _ = writing.join();
    }
    finished
}

/// The exit status once a command's output is written.
fn finish(written: io::Result<()>, code: ExitCode) -> Result<ExitCode, Error> {
    match written {
        Ok(()) => Ok(code),
        // A reader that stopped reading (`broadsheet list | head -1`) is not an error.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(Error::Output(e)),
    }
}

/// `mark-read` and `mark-unread`: every id found first (an unknown one changes nothing),
/// then the state file changed once, as the reader changes it.
fn mark(
    folder: &mut Folder,
    stores: &Stores,
    ids: &[String],
    all: bool,
    read: bool,
    out: &mut dyn Write,
) -> Result<io::Result<()>, Error> {
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        let i = folder.article(id)?;
        found.push(folder.library().articles().id(i).to_string());
    }
    if all {
        let articles = folder.library().articles();
        found = (0..articles.len())
            .map(|i| articles.id(i).to_string())
            .collect();
    }
    stores.update_state(|state| {
        for id in &found {
            let id = id.clone();
            Change::Read { id, read }.apply_to_state(state);
        }
    })?;
    let said = if read { "Marked read" } else { "Marked unread" };
    if all {
        return Ok(writeln!(out, "Marked {} articles read", found.len()));
    }
    Ok(found
        .iter()
        .try_for_each(|id| writeln!(out, "{said}: {id}")))
}

/// No command: the interactive reader, which needs a terminal on both ends.
fn read(mut config: Config) -> Result<ExitCode, Error> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(Error::Usage(
            "the reader needs a terminal; in scripts and pipes use `broadsheet list` and `broadsheet show ID`."
                .into(),
        ));
    }
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        config.theme = Theme::none();
    }
    // The first screen needs only the headlines: the texts are read behind it.
    let (folder, unwritten) = Folder::open_unwritten(&config.articles_dir)?;
    let (index_file, unchecked) = (folder.index_path(), !folder.is_checked());
    let library = folder.library().clone();
    drop(folder);
    // The headers cache is written beside the first frame, not before it.
    let writing = unwritten.map(|unwritten| {
        let library = library.clone();
        std::thread::spawn(move || unwritten.write(&library))
    });
    let mut app = App::new(library, &config, 80, 24)
        .on_headers()
        .saving_index(index_file)
        .unchecked(unchecked);
    let stores = Stores::new(
        config.bookmarks_file.clone(),
        config.state_file.clone(),
        &config.articles_dir,
    );
    // A file that cannot be written to give this folder its old bookmarks is read as it is.
    let bookmarks = stores
        .claim_bookmarks()
        .or_else(|_| stores.load_bookmarks());
    app.load_saved(bookmarks, stores.load_state());
    // The feeds that failed at the last fetch are problems from the start.
    if let (Ok(feeds), Ok(mut states)) = (
        broadsheet::feeds::Feeds::load(&config.feeds_file),
        broadsheet::feeds::fetch::states_of(&config.fetched_file, &config.articles_dir),
    ) {
        app.load_feeds(broadsheet::feedlist::Feed::all(&feeds, &states));
        states
            .feeds
            .retain(|s| feeds.feeds.iter().any(|f| f.url == s.url));
        app.last_fetch_failed(&states);
    }
    let unsaved = tui::run(app, stores).map_err(Error::Terminal);
    // A cache half written when the process ends would leave its temporary file behind.
    if let Some(writing) = writing {
        let _ = writing.join();
    }
    let unsaved = unsaved?;
    if unsaved.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    for why in unsaved {
        eprintln!("broadsheet: your last changes were not saved: {why}");
    }
    Ok(ExitCode::FAILURE)
}
