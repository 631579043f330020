//! The one-line prompt on the status bar (a search, a bookmark's note): what its text is for,
//! and the keys typed into it while it takes the keyboard.

use crate::app::App;
use crate::app::layout::Focus;
use crate::app::line_edit::{Edit, LineEdit};
use crate::app::list::Before;
use crate::key::Key;
use crate::library::Handle;
use crossterm::event::KeyCode;

/// Searches entered, oldest first (each once, the latest place kept), and where Up and Down
/// have got to in them in the open prompt.
#[derive(Debug, Clone, Default)]
pub struct History {
    entries: Vec<String>,
    /// The entry shown (`None`: the text being typed, kept in `typed`).
    at: Option<usize>,
    typed: String,
}

/// Searches remembered.
const HISTORY: usize = 100;

impl History {
    /// The searches entered before (oldest first), as the state file keeps them.
    pub fn of(entries: &[String]) -> History {
        let from = entries.len().saturating_sub(HISTORY);
        History {
            entries: entries[from..].to_vec(),
            ..History::default()
        }
    }

    /// The searches entered, oldest first.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// A search entered: it goes last, once.
    fn entered(&mut self, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        self.entries.retain(|e| e != text);
        self.entries.push(text.to_string());
        if self.entries.len() > HISTORY {
            self.entries.remove(0);
        }
    }

    /// Up (`older`) or Down from where the prompt is, `typed` being its text now: the text
    /// to show, if there is one to go to.
    fn step(&mut self, older: bool, typed: &str) -> Option<String> {
        let next = match (self.at, older) {
            (None, true) => self.entries.len().checked_sub(1),
            (None, false) => None,
            (Some(at), true) => at.checked_sub(1),
            (Some(at), false) if at + 1 < self.entries.len() => Some(at + 1),
            (Some(_), false) => {
                self.at = None;
                return Some(std::mem::take(&mut self.typed));
            }
        }?;
        if self.at.is_none() {
            self.typed = typed.to_string();
        }
        self.at = Some(next);
        self.entries.get(next).cloned()
    }

    /// The prompt opened or closed: Up starts again from the newest.
    fn reset(&mut self) {
        self.at = None;
        self.typed.clear();
    }
}

/// A one-line prompt on the status bar and what its text is for.
#[derive(Debug, Clone)]
pub struct Prompt {
    pub purpose: Purpose,
    pub edit: LineEdit,
}

#[derive(Debug, Clone)]
pub enum Purpose {
    /// The note of the bookmark with this id, or of a new bookmark of `article`.
    Note { id: String, article: Option<Handle> },
    /// A search; the list as it was before, for Esc.
    Search(Box<Before>),
    /// A shell command to pipe this article's text to.
    Pipe { article: Handle },
    /// A file to save this article's text in.
    Save { article: Handle },
}

impl Prompt {
    /// The label before the text.
    pub fn label(&self) -> &'static str {
        match self.purpose {
            Purpose::Note { .. } => "Note: ",
            Purpose::Search(_) => "/",
            Purpose::Pipe { .. } => "Pipe to: ",
            Purpose::Save { .. } => "Save to: ",
        }
    }

    /// The library changed: the list the search prompt goes back to on Esc has moved (the
    /// other prompts hold their article by [`Handle`], which needs no moving).
    pub(super) fn move_articles(&mut self, moved: &dyn Fn(usize) -> Option<usize>) {
        if let Purpose::Search(before) = &mut self.purpose {
            before.move_articles(moved);
        }
    }
}

impl App {
    /// Opens the search prompt, holding the text of the search in force to refine.
    pub(super) fn open_search(&mut self) {
        if !self.areas().wide {
            self.focus = Focus::List;
            self.refresh();
        }
        let text = self.list.search().map_or("", |s| s.text.as_str());
        self.searches.reset();
        self.prompt = Some(Prompt {
            edit: LineEdit::new(text),
            purpose: Purpose::Search(Box::new(self.list.before())),
        });
    }

    /// Takes the searches entered before, as the state file keeps them, for Up and Down.
    pub(super) fn restore_searches(&mut self) {
        self.searches = History::of(self.marks.searches());
    }

    /// Remembers the searches entered for the next launch (as the reader closes), when they
    /// changed.
    pub(super) fn remember_searches(&mut self) {
        if self.searches.entries() != self.marks.searches() {
            let searches = self.searches.entries().to_vec();
            self.change(crate::bookmarks::Change::Searches(searches), None);
        }
    }

    /// Runs the search bound to a key in `[searches]`, as if typed after `/` and kept with
    /// Enter (so it joins the search history too).
    pub(super) fn run_saved_search(&mut self, n: usize) {
        let Some(query) = self.settings.searches.get(n).map(|s| s.query.clone()) else {
            return;
        };
        self.open_search();
        if let Some(prompt) = self.prompt.as_mut() {
            prompt.edit = LineEdit::new(&query);
        }
        self.set_search(&query);
        self.search_key(Edit::Accept);
    }

    /// A key typed into the search prompt: the list follows every key.
    fn search_key(&mut self, edit: Edit) {
        match edit {
            Edit::Editing => {
                let text = self
                    .prompt
                    .as_ref()
                    .map(|p| p.edit.text().to_string())
                    .unwrap_or_default();
                self.set_search(&text);
            }
            Edit::Accept => {
                if let Some(prompt) = self.prompt.take() {
                    self.searches.entered(prompt.edit.text());
                }
                self.focus = Focus::List;
                self.refresh();
                if let Some(problem) = self.list.search().and_then(|s| s.query.problems.first()) {
                    self.message = Some(problem.clone());
                }
            }
            Edit::Cancel => {
                if let Some(Prompt {
                    purpose: Purpose::Search(before),
                    ..
                }) = self.prompt.take()
                {
                    self.restore_list(*before);
                }
            }
        }
    }

    /// Opens the note prompt for the bookmark with this id (or a new bookmark of `article`),
    /// holding its note to edit.
    pub(super) fn open_note_prompt(&mut self, id: String, article: Option<usize>) {
        let article = article.and_then(|a| self.library.handle(a));
        let note = self
            .marks
            .bookmarks()
            .list
            .iter()
            .find(|b| b.id == id)
            .map_or("", |b| b.note.as_str());
        self.prompt = Some(Prompt {
            edit: LineEdit::new(note),
            purpose: Purpose::Note { id, article },
        });
    }

    /// A key typed while the prompt is open.
    pub(super) fn prompt_key(&mut self, key: Key) {
        let Some(prompt) = self.prompt.as_mut() else {
            return;
        };
        // Up and Down in the search prompt go through the searches entered before.
        if matches!(prompt.purpose, Purpose::Search(_))
            && key.modifiers.is_empty()
            && matches!(key.code, KeyCode::Up | KeyCode::Down)
        {
            let typed = prompt.edit.text().to_string();
            if let Some(text) = self.searches.step(key.code == KeyCode::Up, &typed) {
                prompt.edit = LineEdit::new(&text);
                self.set_search(&text);
            }
            return;
        }
        let edit = prompt.edit.key(key);
        if matches!(prompt.purpose, Purpose::Search(_)) {
            self.search_key(edit);
            return;
        }
        match edit {
            Edit::Editing => {}
            Edit::Cancel => self.prompt = None,
            Edit::Accept => match self.prompt.take() {
                Some(Prompt {
                    purpose: Purpose::Note { id, article },
                    edit,
                }) => {
                    let note = edit.text().trim().to_string();
                    self.note_accepted(id, article, note);
                }
                Some(Prompt { purpose, edit }) => self.export_accepted(purpose, edit.text()),
                None => {}
            },
        }
    }
}
