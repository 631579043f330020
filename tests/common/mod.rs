//! Helpers the integration tests share: London Daily pages made to order and written into a
//! folder; an app made from a folder; messages handed to it with its effects run on the spot
//! (as the event loop runs them on threads); text typed into its prompt; its screen drawn.

#![allow(dead_code)]

use std::fs;
use std::path::Path;

pub mod freshrss;
pub mod server;

use broadsheet::action::Action;
use broadsheet::app::{App, Effect, Msg};
use broadsheet::bookmarks::{Bookmarks, Change, ReadingState};
use broadsheet::config::Config;
use broadsheet::jobs;
use broadsheet::key::Key;
use broadsheet::library::Library;
use broadsheet::loader::load;
use broadsheet::ui::render;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A page with a headline, a dateline (`Monday, Mar 3, 2025`), a standfirst, one paragraph
/// and a related list.
pub fn page_with(
    headline: &str,
    dateline: &str,
    summary: &str,
    body: &str,
    related: &[&str],
) -> String {
    format!(
        "London Daily\n\nFocus on the big picture.\n{dateline}\n\n{headline}\n\n{headline}\n\n\
         {summary}\n\n{body}\n\nNewsletter\n\nRelated Articles\n\n0:00\n0:00\nClose\n{}\n×",
        related.join("\n")
    )
}

/// A picture of `width`x`height` pixels in `format`: a colour gradient, so that its half
/// blocks differ from cell to cell.
pub fn picture(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let pixels = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            160,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut out, format)
        .expect("encode");
    out.into_inner()
}

/// The binary run in `dir` (its config.toml there), as a fetch runs it: caches in
/// `dir/cache`, times in UTC, no proxy from the environment, a minute at most.
pub fn broadsheet_in(dir: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("broadsheet")
        .expect("binary")
        .current_dir(dir)
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .env("TZ", "UTC")
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("ALL_PROXY")
        .timeout(std::time::Duration::from_secs(60))
        .args(args)
        .output()
        .expect("run")
}

/// Writes `text` to `dir/name`, making folders as needed.
pub fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(path, text).expect("write");
}

/// The settings `config` gives over the built-in defaults.
pub fn config(config: &str) -> Config {
    Config::parse(config, Path::new("config.toml")).expect("config")
}

/// The reader on `library` at a size, with empty bookmarks and reading state, before the
/// index is built.
pub fn app_on(library: impl Into<std::sync::Arc<Library>>, width: u16, height: u16) -> App {
    let mut app = App::new(library, &config(""), width, height);
    app.load_saved(Ok(Bookmarks::default()), Ok(ReadingState::default()));
    app
}

/// [`app_on`] the articles of a folder, read whole.
pub fn app_in(folder: &Path, width: u16, height: u16) -> App {
    app_on(load(folder).expect("load"), width, height)
}

/// Hands `msg` to the app and runs the jobs it asks for here and now, handing their results
/// back in turn. Returns the effects that are not jobs (quit, save, watch, read the bookmark
/// file), in order, for the test to look at.
pub fn step(app: &mut App, msg: impl Into<Msg>) -> Vec<Effect> {
    let left = jobs::step(app, msg);
    SAVED.with(|saved| {
        for effect in &left {
            if let Effect::Save(changes) = effect {
                saved.borrow_mut().extend(changes.iter().cloned());
            }
        }
    });
    left
}

thread_local! {
    /// The changes the app on this test's thread asked to save, since the last [`take_saved`].
    static SAVED: std::cell::RefCell<Vec<Change>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The changes the app asked to save (through [`step`]) since the last call.
pub fn take_saved() -> Vec<Change> {
    SAVED.with(|saved| std::mem::take(&mut *saved.borrow_mut()))
}

/// [`step`] for each action in turn; every effect left over, in order.
pub fn run(app: &mut App, actions: &[Action]) -> Vec<Effect> {
    actions.iter().flat_map(|&a| step(app, a)).collect()
}

/// Builds the index for the app's library and hands it over, as the indexing job does after
/// the first frame.
pub fn index(app: &mut App) {
    let msg = jobs::index_now(app.library().clone());
    step(app, msg);
}

/// Whether the effects say to quit.
pub fn quits(effects: &[Effect]) -> bool {
    effects.iter().any(|e| matches!(e, Effect::Quit))
}

/// The changes the effects ask to save, in order.
pub fn saves(effects: Vec<Effect>) -> Vec<Change> {
    effects
        .into_iter()
        .flat_map(|e| match e {
            Effect::Save(changes) => changes,
            _ => Vec::new(),
        })
        .collect()
}

/// A key typed into the open prompt.
pub fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    step(app, Action::Input(Key::new(code, KeyModifiers::NONE)))
}

/// Text typed into the open prompt, key by key.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Selects the headline with this id: to the top, then down a row at a time.
pub fn select(app: &mut App, id: &str) {
    let article = app.library().index_of(id).expect("id");
    let row = app.list().row_of(article).expect("listed");
    step(app, Action::Top);
    for _ in 0..row {
        step(app, Action::ScrollDown);
    }
}

/// The export (pipe or save) the effects ask for.
pub fn export_job(effects: Vec<Effect>) -> broadsheet::app::message::ExportJob {
    effects
        .into_iter()
        .find_map(|e| match e {
            Effect::Export(job) => Some(job),
            _ => None,
        })
        .expect("an export")
}

/// A port on 127.0.0.1 that nothing listens on (free when asked).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// The app drawn at its size.
pub fn draw(app: &App) -> Terminal<TestBackend> {
    let (width, height) = app.size();
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
    terminal
}

/// The screen as text.
pub fn screen(app: &App) -> String {
    draw(app).backend().to_string()
}

/// The first frame is drawn and the index is being built, `done` articles of it so far (of
/// the jobs the app asks for, only reading a page is run: the index is not built).
pub fn indexing(app: &mut App, done: usize) {
    for msg in [Msg::Started, Msg::IndexProgress(done)] {
        for effect in app.update(msg) {
            if let Effect::ReadArticle(job) = effect {
                app.update(jobs::read_article(job));
            }
        }
    }
}

/// The stdout of a command that must have succeeded (its stderr in the failure).
pub fn succeeded(out: std::process::Output, args: &[&str]) -> String {
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// One edit of a fuzzed file: at a place, insert (0), overwrite (1) or cut (2) a piece.
pub type Edit = (proptest::sample::Index, usize, Vec<u8>);

/// `bytes` with the edits made in turn; a cut takes `cut` bytes.
pub fn mutate(mut bytes: Vec<u8>, edits: Vec<Edit>, cut: usize) -> Vec<u8> {
    for (at, kind, piece) in edits {
        let i = at.index(bytes.len() + 1);
        match kind {
            0 => {
                bytes.splice(i..i, piece);
            }
            1 => {
                let end = (i + piece.len()).min(bytes.len());
                bytes.splice(i..end, piece);
            }
            _ => {
                let end = (i + cut).min(bytes.len());
                bytes.drain(i..end);
            }
        }
    }
    bytes
}

/// `broadsheet --articles FOLDER ARGS…` run without the headers cache (which has tests of its
/// own), stopped after a minute.
pub fn uncached(folder: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("broadsheet")
        .expect("binary")
        .env("BROADSHEET_NO_CACHE", "1")
        .arg("--articles")
        .arg(folder)
        .args(args)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run")
}

/// Every file below `dir`, in sub-folders too, as paths relative to it.
pub fn files_below(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                folders.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                found.push(relative.to_path_buf());
            }
        }
    }
    found
}
