//! The event loop: the one place that owns the terminal. It reads events (an idle reader
//! wakes only five times a second, to take news of the folder), turns them into actions,
//! updates the app, runs effects, hands the app's bookmark and read-state changes to the
//! saver, its searches to a search thread and the folder's changes to [`crate::watch`], and
//! draws. The terminal is restored on quit, on error and on panic.

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
use crate::app::{App, Effect, SearchRequest};
use crate::bookmarks::file;
use crate::bookmarks::saver::Saver;
use crate::key::Key;
use crate::library::Library;
use crate::related::Relations;
use crate::search::{Hit, Searcher};
use crate::ui;
use crate::watch::{self, Batch, News, Watch};

/// Where the reader keeps what the user saves.
pub struct Files {
    pub bookmarks: PathBuf,
    pub state: PathBuf,
}

/// What the indexing thread reports.
enum Indexing {
    Progress(usize),
    /// The index and links, and what reading the texts found wrong with them.
    Ready(Arc<Relations>, Vec<crate::diagnostic::Diagnostic>),
}

/// How often the screen is redrawn to show indexing progress and finished saves.
const PROGRESS_TICK: Duration = Duration::from_millis(100);
/// How often the loop looks for a search's answer while one is on its way.
const SEARCH_TICK: Duration = Duration::from_millis(2);

/// Reads every text once (the library holds only headers) to build the index and resolve
/// links, on a thread of its own, reporting progress.
fn start_indexing(app: &mut App) -> Receiver<Indexing> {
    let (send, receive) = mpsc::channel();
    let library = app.library.clone();
    app.indexing_progress(0, library.len());
    std::thread::spawn(move || {
        // Every headline is folded here, not on the drawing thread when a bookmark whose id
        // is gone is looked for by its headline.
        library.find_headline("");
        let progress = send.clone();
        let (relations, warnings) = Relations::build_reporting(&library, &|done| {
            let _ = progress.send(Indexing::Progress(done));
        });
        let _ = send.send(Indexing::Ready(Arc::new(relations), warnings));
    });
    receive
}

/// Takes what the indexing thread has said; `true` once it is done (or gone).
fn take_indexing(app: &mut App, receive: &Receiver<Indexing>) -> bool {
    loop {
        match receive.try_recv() {
            Ok(Indexing::Progress(done)) => app.indexing_progress(done, app.library.len()),
            Ok(Indexing::Ready(relations, warnings)) => {
                app.relations_ready(relations);
                app.texts_read(warnings);
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

/// What the thread applying a batch reports, in this order.
enum Applied {
    /// Nothing the reader shows changed.
    Nothing,
    /// The new library, shown at once (its index follows).
    Library(Arc<Library>, News),
    /// The index for that library.
    Relations(Arc<Library>, Arc<Relations>),
}

/// Follows the folder: batches of changed pages are held until the library is whole and
/// indexed, then applied one at a time on a thread of their own. The new library is shown as
/// soon as it is made; its index (renumbered, with the new pages added) comes a moment later,
/// and features that need it say "indexing" until then. While a search with words is shown,
/// the two are taken together, so that the results never blink out.
struct Following {
    watch: Watch,
    waiting: Batch,
    applying: Option<Receiver<Applied>>,
    /// A library held back until its index comes.
    held: Option<(Arc<Library>, News)>,
}

impl Following {
    /// `ready`: the library has its texts and its index (or indexing has given up).
    fn exchange(&mut self, app: &mut App, ready: bool) {
        if let Some(batch) = self.watch.take() {
            self.waiting.merge(batch);
        }
        while let Some(receive) = &self.applying {
            match receive.try_recv() {
                Ok(Applied::Nothing) | Err(TryRecvError::Disconnected) => {
                    self.applying = None;
                    if let Some((library, news)) = self.held.take() {
                        app.folder_changed(library, None, &news);
                    }
                }
                Ok(Applied::Library(library, news)) => {
                    if app.relations.is_some() && app.search().is_some_and(|s| s.query.has_words())
                    {
                        self.held = Some((library, news));
                    } else {
                        app.folder_changed(library, None, &news);
                    }
                }
                Ok(Applied::Relations(library, relations)) => {
                    self.applying = None;
                    match self.held.take() {
                        Some((held, news)) => app.folder_changed(held, Some(relations), &news),
                        None if Arc::ptr_eq(&app.library, &library) => {
                            app.relations_ready(relations);
                        }
                        None => {}
                    }
                }
                Err(TryRecvError::Empty) => return,
            }
        }
        if ready && !self.waiting.is_empty() {
            let batch = std::mem::take(&mut self.waiting);
            let (send, receive) = mpsc::channel();
            let dir = app.articles_dir.clone();
            let library = app.library.clone();
            let relations = app.relations.clone();
            std::thread::spawn(move || {
                let Some(update) = watch::apply(&dir, &library, relations.as_deref(), batch) else {
                    let _ = send.send(Applied::Nothing);
                    return;
                };
                let changed = update.changed;
                let _ = send.send(Applied::Library(changed.library.clone(), update.news));
                if let Some(relations) = relations {
                    let relations = Arc::new(relations.updated(&changed));
                    let _ = send.send(Applied::Relations(changed.library, relations));
                }
            });
            self.applying = Some(receive);
        }
    }

    fn busy(&self) -> bool {
        self.applying.is_some() || !self.waiting.is_empty()
    }
}

/// How often an idle reader looks for news from the folder.
const WATCH_TICK: Duration = Duration::from_millis(200);

/// Runs searches on a thread of its own, so that typing never waits for one: a query that
/// takes longer than a frame is overtaken by the next key, and only the newest is answered.
struct SearchThread {
    /// The index it searches (with the library it was made for).
    relations: Arc<Relations>,
    send: mpsc::Sender<SearchRequest>,
    /// Each answer, with how many requests it answers (those it overtook too).
    answers: Receiver<(usize, SearchRequest, Vec<Hit>)>,
    outstanding: usize,
}

impl SearchThread {
    fn start(library: Arc<Library>, relations: Arc<Relations>) -> SearchThread {
        let index = relations.clone();
        let (send, requests) = mpsc::channel::<SearchRequest>();
        let (answer, answers) = mpsc::channel();
        std::thread::spawn(move || {
            let mut searcher = Searcher::default();
            while let Ok(mut request) = requests.recv() {
                let mut covered = 1;
                while let Ok(newer) = requests.try_recv() {
                    request = newer;
                    covered += 1;
                }
                let hits = searcher.run(&relations.index, &library, &request.query);
                if answer.send((covered, request, hits)).is_err() {
                    break;
                }
            }
        });
        SearchThread {
            relations: index,
            send,
            answers,
            outstanding: 0,
        }
    }

    /// Sends the app's newest query and hands it what has been answered.
    fn exchange(&mut self, app: &mut App) {
        if let Some(request) = app.take_search_request()
            && self.send.send(request).is_ok()
        {
            self.outstanding += 1;
        }
        while let Ok((covered, request, hits)) = self.answers.try_recv() {
            self.outstanding = self.outstanding.saturating_sub(covered);
            app.search_done(request, hits);
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
        // Started on the headers alone; the texts are read for the index once the first frame
        // is on screen, so that they do not compete with it.
        let mut indexing = None;
        let mut first_frame = true;
        let mut indexed = false;
        let mut searching: Option<SearchThread> = None;
        let mut following: Option<Following> = None;
        app.search_off_thread = true;
        loop {
            if !indexed && let Some(receive) = &indexing {
                indexed = take_indexing(app, receive);
            }
            if let Some(following) = &mut following {
                following.exchange(app, indexed);
            }
            // A search thread works on one library and its index; a new pair needs a new one.
            let current = app.relations.as_ref().map(Arc::as_ptr);
            if searching.as_ref().map(|s| Arc::as_ptr(&s.relations)) != current {
                searching = app
                    .relations
                    .as_ref()
                    .map(|relations| SearchThread::start(app.library.clone(), relations.clone()));
            }
            if let Some(searching) = &mut searching {
                searching.exchange(app);
            }
            exchange(app, saver);
            terminal.draw(|frame| ui::render(app, frame))?;
            if first_frame {
                first_frame = false;
                // Watching starts before the texts are read, so that nothing written while
                // they are is missed (a page seen twice is simply found unchanged).
                match Watch::start(&app.articles_dir, watch::SETTLE) {
                    Ok(watch) => {
                        following = Some(Following {
                            watch,
                            waiting: Batch::default(),
                            applying: None,
                            held: None,
                        });
                    }
                    Err(e) => {
                        app.message =
                            Some(format!("Not following the folder for new articles: {e}"));
                    }
                }
                indexing = Some(start_indexing(app));
            }
            // Block for one event (waking now and then while indexing or saving, to show how
            // it goes), then take whatever else is already waiting (a resize storm, a pasted
            // run of keys) before drawing again.
            // A search answer is shown as soon as it comes, not at the next tick.
            let answer_due = searching.as_ref().is_some_and(|s| s.outstanding > 0);
            let busy = !indexed
                || saver.outstanding() > 0
                || answer_due
                || following.as_ref().is_some_and(Following::busy);
            let tick = if answer_due {
                SEARCH_TICK
            } else if busy {
                PROGRESS_TICK
            } else {
                WATCH_TICK
            };
            // Watching the folder, the loop wakes now and then to take its news; the watcher
            // thread itself sleeps until the kernel reports a change.
            if (busy || following.is_some()) && !event::poll(tick)? {
                continue;
            }
            let mut next = Some(event::read()?);
            while let Some(event) = next {
                let mut effect = to_action(app, event).and_then(|action| app.update(action));
                if effect == Some(Effect::LoadBookmarks) {
                    effect = app.bookmarks_loaded(file::load(&files.bookmarks));
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
