//! Moving between articles from the reading pane: back and forward through history (each
//! step giving back the list's scroll it had), the next or previous article in list order,
//! and the next unread one.

use crate::app::App;
use crate::app::layout::Focus;

impl App {
    pub(super) fn step_history(&mut self, delta: isize) {
        match self.reader.step(delta) {
            Some(at) => {
                self.remember_position();
                self.remember_list_top();
                self.reader.at = at;
                if let Some(top) = self.current().map(|v| v.list_top) {
                    self.list.set_top(top);
                }
                self.show_current();
            }
            _ if delta < 0 => self.message = Some("Nothing further back in history".into()),
            _ => self.message = Some("Nothing further forward in history".into()),
        }
    }

    /// Keeps the list's scroll with the open article, for history to give back.
    pub(super) fn remember_list_top(&mut self) {
        let top = self.list.top();
        if let Some(visit) = self.reader.current_mut() {
            visit.list_top = top;
        }
    }

    /// The next or previous article in list order.
    pub(super) fn step_article(&mut self, delta: isize) {
        let Some(visit) = self.current() else { return };
        let row = self
            .list
            .row_of(visit.article)
            .unwrap_or(self.list.selected());
        match row
            .checked_add_signed(delta)
            .and_then(|r| self.list.article_at(r))
        {
            Some(next) => self.visit(next),
            _ if delta > 0 => self.message = Some("This is the last article".into()),
            _ => self.message = Some("This is the first article".into()),
        }
    }

    /// The next unread article in list order, wrapping round.
    pub(super) fn next_unread(&mut self) {
        let len = self.list.rows();
        let from = self
            .target()
            .and_then(|a| self.list.row_of(a))
            .unwrap_or(self.list.selected());
        let next = (1..=len).map(|k| (from + k) % len.max(1)).find(|&row| {
            self.list
                .article_at(row)
                .is_some_and(|a| !self.marks.is_read(a))
        });
        match next {
            None => self.message = Some("No unread articles".into()),
            Some(row) => {
                if row <= from {
                    self.message = Some("Wrapped to the first unread article".into());
                }
                if self.focus == Focus::Reader {
                    if let Some(article) = self.list.article_at(row) {
                        self.visit(article);
                    }
                } else {
                    self.select(row);
                }
            }
        }
    }
}
