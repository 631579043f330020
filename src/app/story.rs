//! The open story: its reports in date order (from the answer the index gives), stepping
//! through them, and the timeline window that lists them.

use std::sync::Arc;

use crate::action::Action;
use crate::app::{App, Wait};

impl App {
    /// The open story, or a message saying why there is none yet. When the answer that tells
    /// is not at hand, it is asked for and `action` runs again when it comes.
    pub(super) fn thread(&mut self, action: Action) -> Option<(usize, Arc<[usize]>)> {
        let article = self
            .current()
            .map(|v| v.article)
            .or(self.list.selected_article())?;
        if self.relations.is_none() {
            self.message = Some(self.indexing_message());
            return None;
        }
        let Some(answer) = self.answer(article) else {
            self.waiting = (self.library.handle(article)).map(|h| (Wait::Article(h), action));
            self.ask(article);
            return None;
        };
        let thread = answer.thread.clone();
        if thread.len() < 2 {
            self.message = Some("No other reports of this story".into());
            return None;
        }
        Some((article, thread))
    }

    pub(super) fn step_thread(&mut self, delta: isize) {
        let action = if delta > 0 {
            Action::NextInThread
        } else {
            Action::PreviousInThread
        };
        let Some((article, thread)) = self.thread(action) else {
            return;
        };
        let at = thread.iter().position(|&a| a == article).unwrap_or(0);
        match at.checked_add_signed(delta).and_then(|k| thread.get(k)) {
            Some(&next) => {
                self.visit(next);
                self.message = Some(format!(
                    "Report {} of {} of this story",
                    at.saturating_add_signed(delta) + 1,
                    thread.len()
                ));
            }
            None if delta > 0 => {
                self.message = Some("This is the latest report of this story".into())
            }
            None => self.message = Some("This is the first report of this story".into()),
        }
    }

    /// The story as a timeline, the article it is about selected.
    pub(super) fn show_thread(&mut self) {
        let Some((article, thread)) = self.thread(Action::ShowThread) else {
            return;
        };
        self.windows.show_timeline(thread, article, self.height);
    }
}
