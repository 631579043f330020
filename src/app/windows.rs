//! The windows over the panes (help, problems, the story's timeline, the bookmarks, the
//! feeds): which is open, its scroll and selection, and the keys each one takes (the feeds
//! window's in [`super::feedlist`]).

use std::sync::Arc;

use crate::action::Action;
use crate::app::App;
use crate::app::layout::overlay_rows;
use crate::app::window_text::{HELP_WIDTH, PROBLEMS_WIDTH, inner_width};
use crate::bookmarks::Change;

/// Lines scrolled by one turn of the mouse wheel.
pub const WHEEL_LINES: usize = 3;

/// A window over the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Problems,
    /// The open story's reports as a timeline.
    Thread,
    /// The bookmarks, newest first.
    Bookmarks,
    /// The feeds and their folders, with unread counts.
    Feeds,
}

/// The window that is open, and where it is scrolled to.
#[derive(Debug)]
pub struct Windows {
    open: Option<Overlay>,
    /// The first row on screen.
    scroll: usize,
    /// The selected row of a window with a selection (the timeline, the bookmarks).
    selected: usize,
    /// The timeline the thread window shows.
    thread: Arc<[usize]>,
}

impl Default for Windows {
    fn default() -> Windows {
        Windows {
            open: None,
            scroll: 0,
            selected: 0,
            thread: Arc::from(Vec::new()),
        }
    }
}

impl Windows {
    /// The open window.
    pub fn open(&self) -> Option<Overlay> {
        self.open
    }

    /// The first row on screen.
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// The selected row (timeline, bookmarks).
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The articles of the timeline window, oldest first.
    pub fn thread(&self) -> &[usize] {
        &self.thread
    }

    pub fn show(&mut self, overlay: Overlay) {
        self.open = Some(overlay);
        self.scroll = 0;
    }

    /// Opens the timeline of `thread` with `article` selected.
    pub fn show_timeline(&mut self, thread: Arc<[usize]>, article: usize, height: u16) {
        self.selected = thread.iter().position(|&a| a == article).unwrap_or(0);
        self.show(Overlay::Thread);
        self.keep_selection_in_view(thread.len(), height);
        self.thread = thread;
    }

    pub fn close(&mut self) {
        self.open = None;
    }

    /// Selects row `at` of a window of `len` rows on a screen `height` high, in view.
    pub fn select(&mut self, at: usize, len: usize, height: u16) {
        self.selected = at.min(len.saturating_sub(1));
        self.keep_selection_in_view(len, height);
    }

    /// Scrolls a window of `len` rows on a screen `height` high so that its selection shows.
    pub fn keep_selection_in_view(&mut self, len: usize, height: u16) {
        let rows = usize::from(overlay_rows(height, len)).max(1);
        if self.selected < self.scroll {
            self.scroll = self.selected;
        } else if self.selected >= self.scroll + rows {
            self.scroll = self.selected + 1 - rows;
        }
        self.scroll = self.scroll.min(len.saturating_sub(rows));
    }

    /// The window's list shrank to `len` rows.
    pub fn clamp_selection(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }

    /// The library changed: the timeline follows its articles (and closes when none is left).
    pub(super) fn move_articles(&mut self, moved: &dyn Fn(usize) -> Option<usize>) {
        self.thread = self.thread.iter().filter_map(|&i| moved(i)).collect();
        if self.open == Some(Overlay::Thread) && self.thread.is_empty() {
            self.open = None;
        }
    }
}

/// Where a window's cursor (its scroll offset, or its selection) goes for a movement action,
/// `rows` being a screenful and `last` the furthest it may go.
pub fn moved(at: usize, action: Action, rows: usize, last: usize) -> usize {
    match action {
        Action::ScrollDown => at + 1,
        Action::ScrollUp => at.saturating_sub(1),
        Action::PageDown => at + rows,
        Action::PageUp => at.saturating_sub(rows),
        Action::Top => 0,
        Action::Bottom => last,
        Action::Wheel { down, .. } if down => at + WHEEL_LINES,
        Action::Wheel { .. } => at.saturating_sub(WHEEL_LINES),
        _ => at,
    }
    .min(last)
}

impl App {
    /// The open window's keys.
    pub(super) fn update_overlay(&mut self, overlay: Overlay, action: Action) {
        match overlay {
            Overlay::Thread => return self.update_thread_view(action),
            Overlay::Bookmarks => return self.update_bookmarks_view(action),
            Overlay::Feeds => return self.update_feeds_view(action),
            Overlay::Help | Overlay::Problems => {}
        }
        // As the window shows them: wrapped to its width.
        let len = match overlay {
            Overlay::Problems => self
                .problem_rows(inner_width(self.width, PROBLEMS_WIDTH))
                .len(),
            _ => self.help_rows(inner_width(self.width, HELP_WIDTH)).len(),
        };
        let rows = usize::from(overlay_rows(self.height, len)).max(1);
        let max = len.saturating_sub(rows);
        self.windows.scroll = moved(self.windows.scroll, action, rows, max);
        match action {
            Action::Close | Action::Quit => self.windows.close(),
            Action::Help if overlay == Overlay::Help => self.windows.close(),
            Action::ShowProblems if overlay == Overlay::Problems => self.windows.close(),
            Action::Help => self.windows.show(Overlay::Help),
            Action::ShowProblems => self.windows.show(Overlay::Problems),
            _ => {}
        }
    }

    pub(super) fn show_problems(&mut self) {
        if self.library.diagnostics().is_empty()
            && self.background.feed_problems().is_empty()
            && self.pictures.problems().is_empty()
        {
            self.message = Some("Every file loaded without a problem".into());
        } else {
            self.windows.show(Overlay::Problems);
        }
    }

    fn update_thread_view(&mut self, action: Action) {
        let len = self.windows.thread.len();
        let rows = usize::from(overlay_rows(self.height, len)).max(1);
        let step = match action {
            Action::NextInThread => Action::ScrollDown,
            Action::PreviousInThread => Action::ScrollUp,
            other => other,
        };
        self.windows.selected = moved(self.windows.selected, step, rows, len.saturating_sub(1));
        self.windows.keep_selection_in_view(len, self.height);
        match action {
            Action::Close | Action::Quit | Action::ShowThread => self.windows.close(),
            Action::Open | Action::OpenSelected => {
                self.windows.close();
                if let Some(&article) = self.windows.thread.get(self.windows.selected) {
                    self.visit(article);
                }
            }
            Action::Help => self.windows.show(Overlay::Help),
            _ => {}
        }
    }

    pub(super) fn show_bookmarks(&mut self) {
        let len = self.marks.bookmarks().list.len();
        if len == 0 {
            let key = self.settings.keymap.hint(Action::ToggleBookmark);
            self.message = Some(format!("No bookmarks yet: {key} bookmarks an article"));
            return;
        }
        self.windows.show(Overlay::Bookmarks);
        let open = self.target();
        self.windows.selected = self
            .marks
            .rows(&self.library)
            .iter()
            .position(|(_, at)| at.is_some() && *at == open)
            .unwrap_or(0);
        self.windows.keep_selection_in_view(len, self.height);
    }

    fn update_bookmarks_view(&mut self, action: Action) {
        let len = self.marks.bookmarks().list.len();
        let rows = usize::from(overlay_rows(self.height, len)).max(1);
        self.windows.selected = moved(self.windows.selected, action, rows, len.saturating_sub(1));
        self.windows.keep_selection_in_view(len, self.height);
        let selected = self
            .marks
            .rows(&self.library)
            .get(self.windows.selected)
            .map(|(b, at)| ((*b).clone(), *at));
        match action {
            Action::Close | Action::Quit | Action::ShowBookmarks => self.windows.close(),
            Action::Help => self.windows.show(Overlay::Help),
            Action::Undo => self.undo(),
            Action::Open | Action::OpenSelected => match selected {
                Some((_, Some(article))) => {
                    self.windows.close();
                    self.visit(article);
                }
                Some((b, None)) => {
                    self.message = Some(format!(
                        "Not in the folder any more: {}",
                        crate::text::clean_display(&b.headline)
                    ))
                }
                None => {}
            },
            Action::ToggleBookmark => {
                if let Some((b, _)) = selected {
                    self.change(Change::Unbookmark(b.id), Some("Removed bookmark"));
                    self.message = Some("Removed bookmark".into());
                }
            }
            Action::EditNote => {
                if let Some((b, at)) = selected {
                    self.open_note_prompt(b.id, at);
                }
            }
            _ => {}
        }
        let len = self.marks.bookmarks().list.len();
        if len == 0 && self.windows.open() == Some(Overlay::Bookmarks) {
            self.windows.close();
        }
        self.windows.clamp_selection(len);
        self.windows.keep_selection_in_view(len, self.height);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_moves_by_the_action_and_stays_in_range() {
        assert_eq!(moved(0, Action::ScrollDown, 5, 9), 1);
        assert_eq!(moved(0, Action::ScrollUp, 5, 9), 0);
        assert_eq!(moved(7, Action::PageDown, 5, 9), 9);
        assert_eq!(moved(7, Action::PageUp, 5, 9), 2);
        assert_eq!(moved(4, Action::Bottom, 5, 9), 9);
        assert_eq!(moved(4, Action::Top, 5, 9), 0);
        let wheel = |down| Action::Wheel {
            column: 0,
            row: 0,
            down,
        };
        assert_eq!(moved(4, wheel(true), 5, 9), 4 + WHEEL_LINES);
        assert_eq!(moved(1, wheel(false), 5, 9), 0);
        assert_eq!(moved(4, Action::Help, 5, 9), 4, "not a movement");
    }

    #[test]
    fn the_timeline_follows_its_articles_and_closes_when_none_is_left() {
        let mut windows = Windows::default();
        windows.show_timeline(Arc::from(vec![4, 7, 9]), 7, 40);
        assert_eq!(
            (windows.open(), windows.selected()),
            (Some(Overlay::Thread), 1)
        );
        windows.move_articles(&|i| (i != 7).then_some(i + 1));
        assert_eq!(windows.thread(), [5, 10]);
        windows.move_articles(&|_| None);
        assert_eq!(windows.open(), None);
    }

    #[test]
    fn a_long_window_scrolls_to_its_selection() {
        let mut windows = Windows::default();
        windows.show(Overlay::Bookmarks);
        windows.selected = 30;
        // A 20-row screen leaves a window of fewer rows than that.
        windows.keep_selection_in_view(40, 20);
        assert!(windows.scroll() > 0 && windows.scroll() <= 30);
        windows.clamp_selection(3);
        assert_eq!(windows.selected(), 2);
    }
}
