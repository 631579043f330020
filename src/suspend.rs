//! Setting the reader aside for a command that needs the terminal (the article piped to
//! `less`, a mail program, a clipboard tool): the gate that stops the event thread reading
//! keys meanwhile, leaving the reader's screen and coming back to it, and running the command
//! with the article on its standard input.

use std::io::{self, BufRead, Write, stdout};
use std::process::{Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{Clear, ClearType, EnterAlternateScreen, enable_raw_mode};

use crate::text::clean_display;

/// How long the event thread waits for a key before it looks at the gate again: how late a
/// command may start. The only wake-up of an idle reader, a few a second.
pub const POLL: Duration = Duration::from_millis(250);

/// Whether the event thread may read the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Reading,
    /// The loop wants the terminal: the event thread is to stop at its next look.
    Asked,
    /// The event thread has stopped, until `Reading` again.
    Stopped,
}

/// The gate between the event thread and the loop.
pub struct Gate {
    state: Mutex<State>,
    changed: Condvar,
}

impl Default for Gate {
    fn default() -> Gate {
        Gate {
            state: Mutex::new(State::Reading),
            changed: Condvar::new(),
        }
    }
}

impl Gate {
    /// The event thread, between two reads: waits here while the loop holds the terminal.
    pub fn pass(&self) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if *state == State::Asked {
            *state = State::Stopped;
            self.changed.notify_all();
        }
        while *state == State::Stopped {
            match self.changed.wait(state) {
                Ok(s) => state = s,
                Err(_) => return,
            }
        }
    }

    /// Runs `work` while the event thread reads nothing (once it has stopped at the gate, or
    /// a few polls' time if it never comes: a thread that has ended reads nothing either).
    pub fn holding<R>(&self, work: impl FnOnce() -> R) -> R {
        if let Ok(mut state) = self.state.lock() {
            *state = State::Asked;
            let deadline = std::time::Instant::now() + POLL * 4;
            while *state == State::Asked {
                let left = deadline.saturating_duration_since(std::time::Instant::now());
                match self.changed.wait_timeout(state, left) {
                    Ok((s, timeout)) if !timeout.timed_out() => state = s,
                    _ => break,
                }
            }
        }
        let result = work();
        if let Ok(mut state) = self.state.lock() {
            *state = State::Reading;
            self.changed.notify_all();
        }
        result
    }
}

/// Leaves the reader's screen, pipes `text` to `command` (run by `sh -c`) on the terminal,
/// waits for Enter so that its output can be read, and comes back. What to say of it.
pub fn pipe(command: &str, text: &[u8], mouse: bool) -> Result<String, String> {
    let shown = clean_display(command);
    if mouse {
        let _ = execute!(stdout(), DisableMouseCapture);
    }
    let _ = ratatui::try_restore();
    let ran = run(command, text);
    let mut out = stdout();
    let _ = write!(out, "\n[broadsheet] Press Enter to return to the reader");
    let _ = out.flush();
    let _ = io::stdin().lock().read_line(&mut String::new());
    let _ = enable_raw_mode();
    let _ = execute!(out, EnterAlternateScreen, Clear(ClearType::All));
    if mouse {
        let _ = execute!(stdout(), EnableMouseCapture);
    }
    match ran {
        Ok(status) if status.success() => Ok(format!("Piped to {shown}")),
        Ok(status) => Err(match status.code() {
            Some(code) => format!("{shown} exited with status {code}"),
            None => format!("{shown} was stopped by a signal"),
        }),
        Err(e) => Err(format!("Cannot run {shown}: {e}")),
    }
}

/// Leaves the reader's screen, runs a browser (`argv`, no shell) on the terminal until it
/// ends, and comes back. What to say of it.
pub fn browse(argv: &[String], mouse: bool) -> Result<String, String> {
    let Some((program, args)) = argv.split_first() else {
        return Err("no browser to run".into());
    };
    let shown = clean_display(program);
    if mouse {
        let _ = execute!(stdout(), DisableMouseCapture);
    }
    let _ = ratatui::try_restore();
    let ran = Command::new(program).args(args).status();
    let _ = enable_raw_mode();
    let _ = execute!(stdout(), EnterAlternateScreen, Clear(ClearType::All));
    if mouse {
        let _ = execute!(stdout(), EnableMouseCapture);
    }
    match ran {
        Ok(status) if status.success() => Ok(format!("Back from {shown}")),
        Ok(_) => Err(format!("{shown} ended with a failure")),
        Err(e) => Err(format!("{shown}: {e}")),
    }
}

/// Runs `command` with `text` on its standard input (written from a thread of its own, so a
/// command that reads little never blocks the reader).
fn run(command: &str, text: &[u8]) -> io::Result<std::process::ExitStatus> {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .spawn()?;
    // Ctrl-C and Ctrl-\ are for the command now (as `system()` does): they must not end the
    // reader, whose changes are not all saved yet.
    let _ignoring = Ignoring::interrupts();
    if let Some(mut stdin) = child.stdin.take() {
        let text = text.to_vec();
        std::thread::spawn(move || {
            // A command that stops reading early is not an error of the reader's.
            let _ = stdin.write_all(&text);
        });
    }
    child.wait()
}

/// The interrupt and quit signals ignored while this lives (the command was started first,
/// so it keeps them).
struct Ignoring {
    #[cfg(unix)]
    previous: [(libc::c_int, libc::sighandler_t); 2],
}

impl Ignoring {
    fn interrupts() -> Ignoring {
        #[cfg(unix)]
        {
            // SAFETY: setting a signal's disposition to SIG_IGN, which runs no code of ours.
            let ignore = |signal| (signal, unsafe { libc::signal(signal, libc::SIG_IGN) });
            Ignoring {
                previous: [ignore(libc::SIGINT), ignore(libc::SIGQUIT)],
            }
        }
        #[cfg(not(unix))]
        Ignoring {}
    }
}

impl Drop for Ignoring {
    fn drop(&mut self) {
        #[cfg(unix)]
        for (signal, previous) in self.previous {
            // SAFETY: putting back the disposition `signal` had before.
            unsafe { libc::signal(signal, previous) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn work_runs_only_while_the_event_thread_is_stopped_at_the_gate() {
        let gate = Arc::new(Gate::default());
        let reading = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicBool::new(false));
        let thread = {
            let (gate, reading, done) = (gate.clone(), reading.clone(), done.clone());
            std::thread::spawn(move || {
                while !done.load(Ordering::SeqCst) {
                    gate.pass();
                    reading.store(true, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(2));
                    reading.store(false, Ordering::SeqCst);
                }
            })
        };
        for _ in 0..5 {
            let seen = gate.holding(|| {
                let before = reading.load(Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(10));
                before || reading.load(Ordering::SeqCst)
            });
            assert!(
                !seen,
                "the event thread was reading while the terminal was held"
            );
        }
        done.store(true, Ordering::SeqCst);
        thread.join().expect("event thread");
    }
}
