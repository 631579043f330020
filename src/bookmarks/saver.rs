//! The edge that keeps the reader's bookmarks and reading state on disk while it runs: each
//! change is saved as it happens, on a thread of its own so that a slow disk never holds up a
//! key, in order, through [`durable::update`] (lock, re-read, apply, atomic write). A change
//! that could not be saved stays queued and is tried again with the next save and at the end.

use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use crate::bookmarks::folders::Stores;
use crate::bookmarks::{Bookmarks, Change, File};

/// What became of one save of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Saved. For the bookmarks, the folder's as the file now holds them (with whatever other
    /// processes added).
    Bookmarks(Bookmarks),
    State,
    /// Not saved: why. The changes are kept and tried again.
    Failed(File, String),
}

/// One round of saving, covering `jobs` batches of changes.
#[derive(Debug)]
pub struct Round {
    pub jobs: usize,
    pub saved: Vec<Saved>,
}

pub struct Saver {
    jobs: Option<Sender<Vec<Change>>>,
    rounds: Receiver<Round>,
    worker: Option<JoinHandle<Vec<String>>>,
    outstanding: usize,
}

impl Saver {
    pub fn start(stores: Stores) -> Saver {
        Saver::start_notifying(stores, Box::new(|| {}))
    }

    /// [`Saver::start`], calling `notify` (from the saving thread) after each round, so that
    /// an event loop can wake to take its results.
    pub fn start_notifying(stores: Stores, notify: Box<dyn Fn() + Send>) -> Saver {
        let (jobs, inbox) = mpsc::channel::<Vec<Change>>();
        let (report, rounds) = mpsc::channel();
        let worker = std::thread::spawn(move || {
            let mut queue = Queue {
                stores,
                bookmarks: Vec::new(),
                state: Vec::new(),
            };
            while let Ok(first) = inbox.recv() {
                // Take whatever else is waiting too: a burst of changes is one save.
                let mut jobs = 1;
                queue.add(first);
                while let Ok(more) = inbox.try_recv() {
                    jobs += 1;
                    queue.add(more);
                }
                let saved = queue.save();
                if report.send(Round { jobs, saved }).is_err() {
                    break;
                }
                notify();
            }
            // The reader is closing: one last try for anything that failed before.
            queue
                .save()
                .into_iter()
                .filter_map(|s| match s {
                    Saved::Failed(_, why) => Some(why),
                    _ => None,
                })
                .collect()
        });
        Saver {
            jobs: Some(jobs),
            rounds,
            worker: Some(worker),
            outstanding: 0,
        }
    }

    /// Queues changes to be saved.
    pub fn save(&mut self, changes: Vec<Change>) {
        if changes.is_empty() {
            return;
        }
        if let Some(jobs) = &self.jobs
            && jobs.send(changes).is_ok()
        {
            self.outstanding += 1;
        }
    }

    /// Batches sent and not yet reported on.
    pub fn outstanding(&self) -> usize {
        self.outstanding
    }

    /// The rounds finished since the last call.
    pub fn finished(&mut self) -> Vec<Round> {
        let rounds: Vec<Round> = self.rounds.try_iter().collect();
        for round in &rounds {
            self.outstanding = self.outstanding.saturating_sub(round.jobs);
        }
        rounds
    }

    /// Waits for every queued change to be saved (or tried once more) and returns why any
    /// could not be.
    pub fn finish(mut self) -> Vec<String> {
        self.jobs = None;
        let mut failed = Vec::new();
        // Rounds already reported are over; the worker's last try covers what still failed.
        if let Some(worker) = self.worker.take() {
            match worker.join() {
                Ok(why) => failed.extend(why),
                Err(_) => failed.push("the thread saving bookmarks stopped".into()),
            }
        }
        failed
    }
}

/// The changes not yet saved, per file.
struct Queue {
    stores: Stores,
    bookmarks: Vec<Change>,
    state: Vec<Change>,
}

impl Queue {
    fn add(&mut self, changes: Vec<Change>) {
        for change in changes {
            match change.file() {
                File::Bookmarks => self.bookmarks.push(change),
                File::State => self.state.push(change),
            }
        }
    }

    /// Saves each file with changes waiting; what fails stays waiting.
    fn save(&mut self) -> Vec<Saved> {
        let mut saved = Vec::new();
        if !self.bookmarks.is_empty() {
            let changes = &self.bookmarks;
            let result = self.stores.update_bookmarks(|mine: &mut Bookmarks| {
                for change in changes {
                    change.apply_to_bookmarks(mine);
                }
                mine.clone()
            });
            saved.push(match result {
                Ok(file) => {
                    self.bookmarks.clear();
                    Saved::Bookmarks(file)
                }
                Err(e) => Saved::Failed(File::Bookmarks, e.to_string()),
            });
        }
        if !self.state.is_empty() {
            let changes = &self.state;
            let result = self.stores.update_state(|state| {
                for change in changes {
                    change.apply_to_state(state);
                }
            });
            saved.push(match result {
                Ok(()) => {
                    self.state.clear();
                    Saved::State
                }
                Err(e) => Saved::Failed(File::State, e.to_string()),
            });
        }
        saved
    }
}
