//! The event loop: the one place that owns the terminal. It waits on one channel for terminal
//! events and job results (nothing wakes it otherwise, so an idle reader does no work), turns
//! events into actions, hands everything to [`App::update`], runs the effects that come back
//! ([`crate::jobs`] on threads, the saver, the watcher) and draws. It decides nothing: what to
//! do and when is the app's. The terminal is restored on quit, on error and on panic.

use std::collections::VecDeque;
use std::io::{self, stdout};
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use crossterm::execute;

use crate::action::Action;
use crate::app::message::{
    ExportJob, ExportTo, FetchJob, FolderJob, IndexJob, ReadArticle, SearchJob,
};
use crate::app::{App, Msg};
use crate::bookmarks::Change;
use crate::bookmarks::folders::Stores;
use crate::bookmarks::saver::Saver;
use crate::browser::{self, Plan};
use crate::jobs;
use crate::search::Searcher;
use crate::suspend::{self, Gate};
use crate::ui;
use crate::watch::{self, Watch};

/// What wakes the loop.
enum Wake {
    Event(Event),
    /// The terminal could not be read.
    EventFailed(io::Error),
    Msg(Msg),
    /// The saver finished a round.
    Saved,
}

/// How many progress reports building the index sends at most (one a percent).
const PROGRESS_STEPS: usize = 100;

/// Runs the reader until the user quits. Returns why any change could not be saved.
pub fn run(mut app: App, files: Stores) -> io::Result<Vec<String>> {
    let (wake, woken) = mpsc::channel();
    let saved = wake.clone();
    let mut saver = Saver::start_notifying(
        files.clone(),
        Box::new(move || {
            let _ = saved.send(Wake::Saved);
        }),
    );
    let mut runner = Runner {
        wake,
        saver: &mut saver,
        files: &files,
        searches: jobs::Newest::new(),
        pictures: jobs::Newest::new(),
        picker: ratatui_image::picker::Picker::halfblocks(),
        pipe: None,
        browse: None,
        browser: app.settings().browser.clone(),
        queue: VecDeque::new(),
        quitting: false,
    };
    let result = run_loop(&mut app, &mut runner, &woken);
    drop(runner);
    // Whatever happened, what the user changed goes to disk.
    let unsaved = saver.finish();
    result.map(|()| unsaved)
}

/// The event loop: set the terminal up, draw, then take events and messages until the app
/// quits, setting the reader aside for a command that needs the terminal. Long: every step
/// shares the terminal, which only this function owns.
fn run_loop(app: &mut App, runner: &mut Runner, woken: &Receiver<Wake>) -> io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    // What the terminal draws pictures with, asked before anything is drawn over its answer.
    let settings = app.settings();
    runner.picker = crate::images::terminal::picker(&settings.images, settings.theme.color);
    let mouse = app.settings().mouse;
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
        if runner.handle(app, Action::Resize(size.width, size.height).into()) {
            return Ok(());
        }
        terminal.draw(|frame| ui::render(app, frame))?;
        let events = runner.wake.clone();
        let gate = Arc::new(Gate::default());
        let reading = gate.clone();
        std::thread::spawn(move || read_events(&events, &reading));
        if runner.handle(app, Msg::Started) {
            return Ok(());
        }
        loop {
            // Block until something happens, then take whatever else is already waiting (a
            // resize storm, a pasted run of keys, a burst of progress) before drawing again.
            let Ok(first) = woken.recv() else {
                return Ok(());
            };
            let mut next = Some(first);
            let mut changed = false;
            while let Some(wake) = next {
                let messages = match wake {
                    Wake::Event(event) => {
                        app.to_action(event).map(Msg::Action).into_iter().collect()
                    }
                    Wake::EventFailed(e) => return Err(e),
                    Wake::Msg(msg) => vec![msg],
                    Wake::Saved => runner.saved(),
                };
                for msg in messages {
                    changed = true;
                    if runner.handle(app, msg) {
                        return Ok(());
                    }
                    // A command that needs the terminal runs with the reader set aside.
                    if let Some(argv) = runner.browse.take() {
                        let browsed = gate.holding(|| suspend::browse(&argv, mouse));
                        terminal = ratatui::Terminal::new(
                            ratatui::backend::CrosstermBackend::new(stdout()),
                        )?;
                        let msg = match browsed {
                            Ok(_) => Msg::Action(Action::Resize(app.size().0, app.size().1)),
                            Err(why) => Msg::LinkNotOpened(why),
                        };
                        if runner.handle(app, msg) {
                            return Ok(());
                        }
                    }
                    if let Some(job) = runner.pipe.take() {
                        let piped = pipe(&job, &gate, mouse);
                        // A terminal of fresh buffers draws every cell again (`clear` would
                        // ask the terminal where its cursor is, which not every one answers).
                        terminal = ratatui::Terminal::new(
                            ratatui::backend::CrosstermBackend::new(stdout()),
                        )?;
                        if runner.handle(app, piped) {
                            return Ok(());
                        }
                    }
                }
                next = woken.try_recv().ok();
            }
            // A key that means nothing here, or a wake with no news, draws nothing.
            if !changed {
                continue;
            }
            terminal.draw(|frame| ui::render(app, frame))?;
        }
    })();
    if mouse {
        let _ = execute!(stdout(), DisableMouseCapture);
    }
    ratatui::try_restore()?;
    result
}

/// Reads terminal events for the loop, on a thread of its own, stopping at `gate` while a
/// command has the terminal.
fn read_events(wake: &Sender<Wake>, gate: &Gate) {
    loop {
        gate.pass();
        let event = match event::poll(suspend::POLL) {
            Ok(false) => continue,
            Ok(true) => event::read(),
            Err(e) => Err(e),
        };
        let sent = match event {
            Ok(event) => wake.send(Wake::Event(event)),
            Err(e) => {
                let _ = wake.send(Wake::EventFailed(e));
                return;
            }
        };
        if sent.is_err() {
            return;
        }
    }
}

/// Pipes the article to the job's command with the reader set aside: [`Msg::Exported`].
fn pipe(job: &ExportJob, gate: &Gate, mouse: bool) -> Msg {
    let ExportTo::Pipe(command) = &job.to else {
        return Msg::Exported(Err("not a command".into()));
    };
    Msg::Exported(
        jobs::export_text(job)
            .and_then(|text| gate.holding(|| suspend::pipe(command, &text, mouse))),
    )
}

/// Runs effects: the edges the app asks for work from.
struct Runner<'a> {
    wake: Sender<Wake>,
    saver: &'a mut Saver,
    files: &'a Stores,
    /// The search thread, started with the first search.
    searches: jobs::Newest<SearchJob>,
    /// The thread that draws pictures, and how this terminal draws them.
    pictures: jobs::Newest<crate::app::message::PictureJob>,
    picker: ratatui_image::picker::Picker,
    /// An article to pipe to a command, which needs the terminal: the loop runs it.
    pipe: Option<ExportJob>,
    /// A text browser to give the terminal to: the loop runs it.
    browse: Option<Vec<String>>,
    /// config.toml's browser, for links.
    browser: Option<String>,
    /// Messages for the app from work done on the spot.
    queue: VecDeque<Msg>,
    /// The app asked to quit.
    quitting: bool,
}

impl Runner<'_> {
    /// Hands `msg` to the app and runs the effects that come back (and those that their
    /// results bring, for the jobs done on the spot). `true` when the app quits.
    fn handle(&mut self, app: &mut App, msg: Msg) -> bool {
        self.queue.push_back(msg);
        while let Some(msg) = self.queue.pop_front() {
            let replaces = jobs::replaces_library(&msg);
            let effects = app.update(msg);
            if replaces {
                // The app has let the old library go: its memory goes back to the system, on
                // a thread of its own (it walks the whole heap, which no key should wait for).
                std::thread::spawn(crate::allocator::give_back);
            }
            for effect in effects {
                jobs::dispatch(effect, self);
                if self.quitting {
                    return true;
                }
            }
        }
        false
    }

    /// What the saver has finished since the last call, as messages.
    fn saved(&mut self) -> Vec<Msg> {
        let rounds = self.saver.finished();
        let settled = self.saver.outstanding() == 0;
        rounds
            .into_iter()
            .flat_map(|round| round.saved)
            .map(|saved| Msg::Saved { saved, settled })
            .collect()
    }
}

/// The event loop's way with each effect: jobs on threads of their own (a page read and a
/// file saved on the spot), the saver, the terminal's clipboard, the browser.
impl jobs::Host for Runner<'_> {
    fn quit(&mut self) {
        self.quitting = true;
    }

    /// Reading one page is quick: done here, so that the article shows in the same frame as
    /// the key that opened it.
    fn read_article(&mut self, job: ReadArticle) {
        self.queue.push_back(jobs::read_article(job));
    }

    fn search(&mut self, job: SearchJob) {
        let wake = self.wake.clone();
        let wake = move |msg| wake.send(Wake::Msg(msg)).is_ok();
        self.searches.send(job, wake, || {
            let mut searcher = Searcher::default();
            move |job| jobs::search(&mut searcher, job)
        });
    }

    fn draw_picture(&mut self, job: crate::app::message::PictureJob) {
        let picker = self.picker.clone();
        let wake = self.wake.clone();
        let wake = move |msg| wake.send(Wake::Msg(msg)).is_ok();
        self.pictures
            .send(job, wake, || move |job| jobs::draw_picture(job, &picker));
    }

    fn start_indexing(&mut self, job: IndexJob) {
        let wake = self.wake.clone();
        std::thread::spawn(move || index(job, &wake));
    }

    /// A thread starts watching (which walks every folder: not on the thread that answers
    /// keys) and passes each batch on.
    fn start_watching(&mut self, dir: PathBuf) {
        let wake = self.wake.clone();
        std::thread::spawn(move || {
            let watch = match Watch::start(&dir, watch::SETTLE) {
                Ok(watch) => watch,
                Err(e) => {
                    let _ = wake.send(Wake::Msg(Msg::WatchFailed(e.to_string())));
                    return;
                }
            };
            while let Some(batch) = watch.next() {
                if wake.send(Wake::Msg(Msg::FolderChanged(batch))).is_err() {
                    return;
                }
            }
        });
    }

    fn apply_folder_change(&mut self, job: FolderJob) {
        let wake = self.wake.clone();
        std::thread::spawn(move || {
            jobs::apply_folder(job, &mut |msg| {
                let _ = wake.send(Wake::Msg(msg));
            })
        });
    }

    fn save(&mut self, changes: Vec<Change>) {
        self.saver.save(changes);
    }

    fn load_bookmarks(&mut self) {
        let loaded = self.files.load_bookmarks();
        self.queue.push_back(Msg::BookmarksLoaded(loaded));
    }

    fn open_link(&mut self, url: String) {
        let env = std::env::var("BROWSER").ok();
        match browser::plan(self.browser.as_deref(), env.as_deref(), &url) {
            // A text browser needs the terminal: the loop runs it.
            Plan::Terminal(argv) => self.browse = Some(argv),
            plan => {
                let wake = self.wake.clone();
                std::thread::spawn(move || {
                    if let Err(why) = open_apart(&plan, &url) {
                        let _ = wake.send(Wake::Msg(Msg::LinkNotOpened(why)));
                    }
                });
            }
        }
    }

    fn copy_link(&mut self, text: String) {
        copy_to_clipboard(&text);
    }

    fn fetch_feeds(&mut self, job: FetchJob) {
        let wake = self.wake.clone();
        std::thread::spawn(move || {
            let progress = |done, total| {
                let _ = wake.send(Wake::Msg(Msg::FetchProgress { done, total }));
            };
            let msg = jobs::fetch(job, &progress);
            let _ = wake.send(Wake::Msg(msg));
        });
    }

    fn fetch_later(&mut self, after: Duration) {
        let wake = self.wake.clone();
        std::thread::spawn(move || {
            std::thread::sleep(after);
            let _ = wake.send(Wake::Msg(Msg::FetchDue));
        });
    }

    fn sync(&mut self, config: Box<crate::config::Config>) {
        let wake = self.wake.clone();
        std::thread::spawn(move || {
            let progress = |done, total| {
                let _ = wake.send(Wake::Msg(Msg::SyncProgress { done, total }));
            };
            let msg = jobs::sync(&config, &progress);
            let _ = wake.send(Wake::Msg(msg));
        });
    }

    /// A file is saved on the spot; a pipe needs the terminal, so the loop runs it.
    fn export(&mut self, job: ExportJob) {
        match &job.to {
            ExportTo::Save(path) => self.queue.push_back(jobs::save_article(&job, path)),
            ExportTo::Pipe(_) => self.pipe = Some(job),
        }
    }
}

/// Opens or builds the index, reporting progress a percent at a time.
fn index(job: IndexJob, wake: &Sender<Wake>) {
    let total = job.library.len().max(1);
    let reported = AtomicUsize::new(0);
    let progress = |done: usize| {
        let percent = done * PROGRESS_STEPS / total;
        if reported.fetch_max(percent, Ordering::Relaxed) < percent {
            let _ = wake.send(Wake::Msg(Msg::IndexProgress(done)));
        }
    };
    let mut send = |msg| {
        let _ = wake.send(Wake::Msg(msg));
    };
    let ran = std::panic::catch_unwind(AssertUnwindSafe(|| jobs::index(job, &progress, &mut send)));
    if ran.is_err() {
        let _ = wake.send(Wake::Msg(Msg::IndexFailed(
            "the indexing thread stopped".into(),
        )));
    }
}

/// Opens `url` in the browser: `$BROWSER` when it is set (its first command; `%s` stands for
/// the address, else the address goes last), else the platform's opener. The browser's own
/// output is kept off the reader's screen.
/// Opens `url` apart from the reader, as `plan` says: the first of its commands that starts
/// (waited for on this thread, so that it leaves no zombie), or the platform's opener.
fn open_apart(plan: &Plan, url: &str) -> Result<(), String> {
    use std::process::{Command, Stdio};
    let Plan::Apart(commands) = plan else {
        return open::that_detached(url).map_err(|e| e.to_string());
    };
    let mut why = String::from("BROWSER names no command");
    for argv in commands {
        let Some((program, args)) = argv.split_first() else {
            continue;
        };
        let started = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match started {
            Ok(mut child) => {
                let _ = child.wait();
                return Ok(());
            }
            Err(e) => why = format!("{program}: {e}"),
        }
    }
    Err(why)
}

/// Puts `text` on the clipboard of the terminal the reader runs in (OSC 52), which terminals
/// pass on to the system's clipboard, over SSH too. The text is a link the app checked: no
/// escape of its own reaches the terminal, and it goes base64-encoded.
fn copy_to_clipboard(text: &str) {
    use std::io::Write;
    let mut out = stdout();
    let _ = write!(out, "\x1b]52;c;{}\x07", base64(text.as_bytes()));
    let _ = out.flush();
}

/// Standard base64, with padding.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (k, &b)| n | u32::from(b) << (16 - 8 * k));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * k) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_the_standard_one() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(
            base64(b"https://a.example/?x=1"),
            "aHR0cHM6Ly9hLmV4YW1wbGUvP3g9MQ=="
        );
    }
}
