//! Moving between articles from the reading pane: back and forward through history (each
//! step giving back the list's scroll it had), and the next or previous article in list order.

use crate::app::App;

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
}
