//! The `broadsheet` binary: parse arguments, load the config and the library, run one command,
//! and turn errors into a plain message and an exit status.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::thread::JoinHandle;

use broadsheet::app::App;
use broadsheet::bookmarks::folders::Stores;
use broadsheet::cli::folder::{Folder, caches_on, load_checked};
use broadsheet::cli::{self, Cli, Command, Paint};
use broadsheet::config::Config;
use broadsheet::error::Error;
use broadsheet::library::Library;
use broadsheet::loader;
use broadsheet::theme::Theme;
use broadsheet::tui;
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Tuned for holding a large library in little memory; fetching pages, which allocates
    // and frees many large buffers, runs faster without it.
    if !matches!(
        cli.command,
        Some(
            Command::Fetch { .. }
                | Command::Save { .. }
                | Command::Feeds { .. }
                | Command::Sync { .. }
        )
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
    articles_folder(&mut config, cli.articles)?;
    let Some(command) = cli.command else {
        return read(config);
    };

    let (library, mut folder, writing) = load_for(&command, &config)?;
    let stdout = io::stdout();
    let paint = Paint::detect(stdout.is_terminal());
    let mut out = BufWriter::new(stdout.lock());
    let mut code = ExitCode::SUCCESS;
    let stores = Stores::new(
        config.bookmarks_file.clone(),
        config.state_file.clone(),
        &config.articles_dir,
    );
    let mut context = cli::articles::Context {
        config: &config,
        library: &library,
        folder: folder.as_mut(),
        stores: &stores,
        paint,
    };
    let written = match command {
        Command::Feeds { action, json } => cli::feeds::run(&config, action, json, &mut out)?,
        Command::Sync { json } => cli::sync::run(&config, json, &mut out)?.map(|ok| {
            if !ok {
                code = ExitCode::FAILURE;
            }
        }),
        Command::Fetch { json } => cli::feeds::fetch(&config, json, &mut out)?.map(|all| {
            if !all {
                code = ExitCode::FAILURE;
            }
        }),
        Command::Save { url, json } => cli::feeds::save(&config, &url, json, &mut out)?,
        Command::Check => cli::check(&library, &mut out).map(|skipped| {
            if skipped {
                code = ExitCode::FAILURE;
            }
        }),
        // Written before the config was read (see the top of `run`).
        Command::Completions { .. } | Command::Manual => Ok(()),
        command => context.run(command, &mut out)?,
    };
    let finished = finish(written.and_then(|()| out.flush()), code);
    drop(out);
    // A cache half written when the process ends would leave its temporary file behind.
    if let Some(writing) = writing {
        let _ = writing.join();
    }
    finished
}

/// The articles folder: the one given with `--articles`, else the config's; the news's own
/// folder (no folder named anywhere) is made on first use, where one the user names must exist.
fn articles_folder(config: &mut Config, given: Option<PathBuf>) -> Result<(), Error> {
    match given {
        Some(dir) => {
            config.articles_dir = dir;
            config.articles_default = false;
        }
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
    Ok(())
}

/// The library a command reads, the folder with its saved index when it needs one, and the
/// thread writing the headers cache, to wait for.
type Loaded = (Arc<Library>, Option<Folder>, Option<JoinHandle<()>>);

/// What a command reads of the folder: `list` checks every page's header (and writes the
/// headers cache on another thread while it prints: the handle to wait for), `check` reads
/// every page whole, the feed commands nothing; the rest read the headers (the cache trusted
/// when no folder changed) and open the folder's saved index for the pages they print.
fn load_for(command: &Command, config: &Config) -> Result<Loaded, Error> {
    Ok(match command {
        Command::List { .. } => {
            let (library, unwritten) = load_checked(&config.articles_dir, caches_on())?;
            let library = Arc::new(library);
            let writing = unwritten.map(|unwritten| {
                let library = library.clone();
                std::thread::spawn(move || {
                    unwritten.write(&library);
                })
            });
            (library, None, writing)
        }
        // Feeds need no article (`save` reads the headers once the page is written).
        Command::Feeds { .. }
        | Command::Fetch { .. }
        | Command::Save { .. }
        | Command::Sync { .. } => (Arc::default(), None, None),
        Command::Check => (Arc::new(loader::load(&config.articles_dir)?), None, None),
        _ => {
            let folder = Folder::open(&config.articles_dir)?;
            (folder.library().clone(), Some(folder), None)
        }
    })
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

/// No command: the interactive reader, which needs a terminal on both ends.
fn read(mut config: Config) -> Result<ExitCode, Error> {
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(Error::Usage(
            "the reader needs a terminal; in scripts and pipes use `broadsheet list` and `broadsheet show ID`."
                .into(),
        ));
    }
    // No colour asked for, or none to be had: monochrome, and pictures as their captions.
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb" || t.starts_with("vt"));
    if dumb || std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
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
        let mut listed = broadsheet::feedlist::Feed::all(&feeds, &states);
        // The sync server's feeds too, as the last sync listed them.
        let server = broadsheet::sync::server_feeds(&config);
        listed.extend(server.iter().map(broadsheet::feedlist::Feed::of_server));
        app.load_feeds(listed);
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
