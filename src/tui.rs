//! The event loop: the one place that owns the terminal. It reads events (blocking, so an
//! idle reader uses no CPU), turns them into actions, updates the app, runs effects, hands the
//! app's bookmark and read-state changes to the saver, and draws. The terminal is restored on
//! quit, on error and on panic.

use std::io::{self, stdout};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind, MouseButton, MouseEventKind,
};
use crossterm::execute;

use crate::action::Action;
use crate::app::{App, Effect};
use crate::keymap::Key;
use crate::related::Relations;
use crate::saver::Saver;
use crate::store;
use crate::ui;

/// Where the reader keeps what the user saves.
pub struct Files {
    pub bookmarks: PathBuf,
    pub state: PathBuf,
}

/// What the indexing thread reports.
enum Indexing {
    Progress(usize),
    Ready(Arc<Relations>),
}

/// How often the screen is redrawn to show indexing progress and finished saves.
const PROGRESS_TICK: Duration = Duration::from_millis(100);

/// Builds the index and resolves links on a thread of its own, reporting progress.
fn start_indexing(app: &mut App) -> Receiver<Indexing> {
    let (send, receive) = mpsc::channel();
    let library = app.library.clone();
    app.indexing_progress(0, library.len());
    std::thread::spawn(move || {
        let progress = send.clone();
        let relations = Relations::build(&library, &|done| {
            let _ = progress.send(Indexing::Progress(done));
        });
        let _ = send.send(Indexing::Ready(Arc::new(relations)));
    });
    receive
}

/// Takes what the indexing thread has said; `true` once it is done (or gone).
fn take_indexing(app: &mut App, receive: &Receiver<Indexing>) -> bool {
    loop {
        match receive.try_recv() {
            Ok(Indexing::Progress(done)) => app.indexing_progress(done, app.library.len()),
            Ok(Indexing::Ready(relations)) => {
                app.relations_ready(relations);
                return true;
            }
            Err(TryRecvError::Empty) => return false,
            Err(TryRecvError::Disconnected) => {
                app.indexing = None;
                return true;
            }
        }
    }
}

/// Hands the app's changes to the saver and the saver's results to the app.
fn exchange(app: &mut App, saver: &mut Saver) {
    saver.save(app.take_changes());
    for round in saver.finished() {
        let settled = saver.outstanding() == 0;
        for saved in round.saved {
            app.saved(saved, settled);
        }
    }
}

/// Runs the reader until the user quits. Returns why any change could not be saved.
pub fn run(mut app: App, files: Files) -> io::Result<Vec<String>> {
    let mut saver = Saver::start(files.bookmarks.clone(), files.state.clone());
    let result = run_loop(&mut app, &mut saver, &files);
    // Whatever happened, what the user changed goes to disk.
    saver.save(app.take_changes());
    let unsaved = saver.finish();
    result.map(|()| unsaved)
}

fn run_loop(app: &mut App, saver: &mut Saver, files: &Files) -> io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let mouse = app.mouse;
    if mouse {
        // ratatui's hook restores the screen on a panic; the mouse must be let go too.
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let _ = execute!(stdout(), DisableMouseCapture);
            previous(info);
        }));
    }
    // Everything from here on runs inside the guard, so any error still restores the terminal.
    let result = (|| -> io::Result<()> {
        if mouse {
            execute!(stdout(), EnableMouseCapture)?;
        }
        let size = terminal.size()?;
        app.update(Action::Resize(size.width, size.height));
        let indexing = start_indexing(app);
        let mut indexed = false;
        loop {
            if !indexed {
                indexed = take_indexing(app, &indexing);
            }
            exchange(app, saver);
            terminal.draw(|frame| ui::render(app, frame))?;
            // Block for one event (waking now and then while indexing or saving, to show how
            // it goes), then take whatever else is already waiting (a resize storm, a pasted
            // run of keys) before drawing again.
            let busy = !indexed || saver.outstanding() > 0;
            if busy && !event::poll(PROGRESS_TICK)? {
                continue;
            }
            let mut next = Some(event::read()?);
            while let Some(event) = next {
                let mut effect = to_action(app, event).and_then(|action| app.update(action));
                if effect == Some(Effect::LoadBookmarks) {
                    effect = app.bookmarks_loaded(store::load(&files.bookmarks));
                }
                if effect == Some(Effect::Quit) {
                    return Ok(());
                }
                next = if event::poll(Duration::ZERO)? {
                    Some(event::read()?)
                } else {
                    None
                };
            }
        }
    })();
    if mouse {
        let _ = execute!(stdout(), DisableMouseCapture);
    }
    ratatui::try_restore()?;
    result
}

/// The action an event asks for: key presses through the keymap (releases and repeats are
/// ignored), resizes, and the wheel and left clicks when the mouse is on.
fn to_action(app: &App, event: Event) -> Option<Action> {
    match event {
        // An open prompt takes every key as text.
        Event::Key(key) if key.kind == KeyEventKind::Press && app.prompt.is_some() => {
            Some(Action::Input(Key::from_event(&key)))
        }
        Event::Key(key) if key.kind == KeyEventKind::Press => {
            app.keymap.action(Key::from_event(&key))
        }
        Event::Resize(width, height) => Some(Action::Resize(width, height)),
        Event::Mouse(mouse) if app.mouse => {
            let (column, row) = (mouse.column, mouse.row);
            match mouse.kind {
                MouseEventKind::ScrollDown => Some(Action::Wheel {
                    column,
                    row,
                    down: true,
                }),
                MouseEventKind::ScrollUp => Some(Action::Wheel {
                    column,
                    row,
                    down: false,
                }),
                MouseEventKind::Down(MouseButton::Left) => Some(Action::Click { column, row }),
                _ => None,
            }
        }
        _ => None,
    }
}
