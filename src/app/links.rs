//! The links of the open article (`Related stories`, `More like this`, `Linked from`): Tab
//! and Shift-Tab move the focus between them, scrolling just enough to show the one focused,
//! and Enter follows it as a new step of history.

use crate::action::Action;
use crate::app::App;

impl App {
    pub(super) fn move_link(&mut self, forward: bool) {
        let Some(page) = self.reader.shared_page() else {
            return;
        };
        if page.links.is_empty() {
            self.message = Some("This article links to no other article here".into());
            return;
        }
        let count = page.links.len();
        let scroll = self.scroll();
        let rows = self.reader_rows();
        let next = match (self.focused_link(), forward) {
            (Some(n), true) => (n + 1) % count,
            (Some(n), false) => (n + count - 1) % count,
            (None, true) => page
                .links
                .iter()
                .position(|l| l.lines.0 >= scroll)
                .unwrap_or(0),
            (None, false) => page
                .links
                .iter()
                .rposition(|l| l.lines.1 < scroll + rows)
                .unwrap_or(count - 1),
        };
        self.reader.focus_link(next);
        // Scroll just enough to show the whole link.
        let (first, last) = page.links[next].lines;
        let rows = rows.max(1);
        if first < scroll {
            self.scroll_to(first);
        } else if last >= scroll + rows {
            self.scroll_to((last + 1).saturating_sub(rows));
        }
    }

    pub(super) fn follow_link(&mut self) {
        let target = self
            .page()
            .zip(self.focused_link())
            .and_then(|(page, n)| page.links.get(n))
            .map(|l| l.target);
        match target {
            Some(target) => self.visit(target),
            None => {
                let key = self.settings.keymap.hint(Action::NextLink);
                self.message = Some(format!("{key} moves to the links; Enter follows one"));
            }
        }
    }
}
