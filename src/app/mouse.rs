//! The mouse, when config.toml turns it on: the wheel scrolls the pane under it, a click
//! selects a headline (a second one opens it) or follows a link in the article; a click on
//! the headline list's title opens the feeds window (whose clicks are its own).

use crate::app::App;
use crate::app::layout::Focus;
use crate::app::windows::WHEEL_LINES;

impl App {
    pub(super) fn wheel(&mut self, column: u16, row: u16, down: bool) {
        let areas = self.areas();
        let delta = if down {
            WHEEL_LINES as isize
        } else {
            -(WHEEL_LINES as isize)
        };
        if contains(areas.reader, column, row) && self.page().is_some() {
            self.scroll_by(delta);
        } else if contains(areas.list, column, row) {
            self.select_by(delta);
        }
    }

    pub(super) fn click(&mut self, column: u16, row: u16) {
        let areas = self.areas();
        // The headline list's title opens the feeds window.
        if row == areas.list.y && contains(areas.list, column, row) {
            return self.show_feeds();
        }
        let list = areas.list_inner();
        let text = areas.text_column(self.settings.wrap_width);
        if contains(list, column, row) {
            let index = self.list.top() + usize::from(row - list.y);
            if let Some(article) = self.list.article_at(index) {
                if index == self.list.selected() {
                    self.visit(article);
                } else {
                    self.focus = Focus::List;
                    self.select(index);
                }
            }
        } else if contains(areas.reader, column, row) && self.page().is_some() {
            self.open_preview();
            self.focus = Focus::Reader;
            let line = self.scroll() + usize::from(row.saturating_sub(text.y));
            let link = self.page().and_then(|p| p.link_at_line(line));
            if row >= text.y
                && let Some(n) = link
            {
                self.reader.focus_link(n);
                self.follow_link();
            }
        }
    }
}

fn contains(area: ratatui::layout::Rect, column: u16, row: u16) -> bool {
    column >= area.x && column < area.right() && row >= area.y && row < area.bottom()
}
