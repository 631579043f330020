//! Piping the article to a command (`|`, as newsboat's pipe-to) and saving it as a text file
//! (`S`): each asks on the status bar (the last command, or a file name in `save_dir`, ready
//! to edit) and hands the event loop an [`Effect::Export`]; what came of it is a message.

use crate::app::App;
use crate::app::line_edit::LineEdit;
use crate::app::message::{Effect, ExportJob, ExportTo};
use crate::app::prompt::{Prompt, Purpose};

impl App {
    /// Opens the pipe prompt for the selected or open article, holding the last command.
    pub(super) fn open_pipe_prompt(&mut self) {
        let Some(article) = self.target().and_then(|a| self.library.handle(a)) else {
            self.message = Some("No article to pipe".into());
            return;
        };
        self.prompt = Some(Prompt {
            edit: LineEdit::new(&self.last_pipe),
            purpose: Purpose::Pipe { article },
        });
    }

    /// Opens the save prompt for the selected or open article, offering `ID.txt` in
    /// `save_dir`.
    pub(super) fn open_save_prompt(&mut self) {
        let article = self.target().and_then(|a| self.library.handle(a));
        let Some(article) = article else {
            self.message = Some("No article to save".into());
            return;
        };
        let path = self.settings.save_dir.join(format!("{}.txt", article.id()));
        self.prompt = Some(Prompt {
            edit: LineEdit::new(&path.to_string_lossy()),
            purpose: Purpose::Save { article },
        });
    }

    /// The pipe or save prompt was accepted with `text`.
    pub(super) fn export_accepted(&mut self, purpose: Purpose, text: &str) {
        let text = text.trim();
        let (article, to) = match purpose {
            Purpose::Pipe { .. } if text.is_empty() => {
                self.message = Some("No command: nothing piped".into());
                return;
            }
            Purpose::Save { .. } if text.is_empty() => {
                self.message = Some("No file name: nothing saved".into());
                return;
            }
            Purpose::Pipe { article } => {
                self.last_pipe = text.to_string();
                (article, ExportTo::Pipe(text.to_string()))
            }
            Purpose::Save { article } => {
                let cwd = std::env::current_dir().unwrap_or_default();
                (article, ExportTo::Save(crate::config::resolve(&cwd, text)))
            }
            Purpose::Note { .. } | Purpose::Search(_) => return,
        };
        let Some(article) = self.library.find(&article) else {
            self.message = Some("That article has left the folder".into());
            return;
        };
        self.emit(Effect::Export(ExportJob {
            library: self.library.clone(),
            relations: self.relations.clone(),
            article,
            similar_count: self.settings.similar_count,
            width: self.settings.wrap_width,
            date_format: self.settings.date_format.clone(),
            to,
        }));
    }

    /// What came of a pipe or a save.
    pub(super) fn exported(&mut self, outcome: Result<String, String>) {
        self.message = Some(match outcome {
            Ok(said) | Err(said) => said,
        });
    }
}
