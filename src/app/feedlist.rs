//! The feeds window: the feeds and their folders with unread and total counts (feeds that
//! failed marked with the reason, those with nothing unread hidden on a key), choosing one to
//! narrow the headline list to its articles (search, orders and the rest work inside it), and
//! marking one read.

use crate::action::Action;
use crate::app::App;
use crate::app::layout::overlay_rows;
use crate::app::windows::{Overlay, moved};
use crate::feedlist::{self, Feed, Row, Scope};

/// The feeds window's widest, in columns.
pub const WIDEST: u16 = 64;

/// The feeds the reader knows, which feed each article came from, and the list's scope.
#[derive(Debug, Default)]
pub struct FeedList {
    feeds: Vec<Feed>,
    /// Per article of the library: the feed it came from. Worked out when the window or a
    /// chosen feed needs it, not at start-up (not `fresh` until then).
    owners: Vec<Option<u32>>,
    fresh: bool,
    /// What the headline list is narrowed to (`None`: everything).
    scope: Option<Scope>,
    hide_read: bool,
    /// The window's rows as last worked out.
    rows: Vec<Row>,
}

impl FeedList {
    pub fn feeds(&self) -> &[Feed] {
        &self.feeds
    }

    /// The window's rows.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// What the headline list is narrowed to, if anything.
    pub fn scope(&self) -> Option<&Scope> {
        self.scope.as_ref()
    }

    pub fn hides_read(&self) -> bool {
        self.hide_read
    }

    /// Whether article `i` is in the list's scope.
    pub fn holds(&self, i: usize) -> bool {
        self.scope
            .as_ref()
            .is_none_or(|scope| self.in_scope(scope, i))
    }

    /// Whether article `i` is in `scope`.
    fn in_scope(&self, scope: &Scope, i: usize) -> bool {
        scope.holds(&self.feeds, self.owners.get(i).copied().flatten())
    }
}

impl App {
    /// The feeds subscribed to (as the feeds file and what fetching learnt name them).
    pub fn load_feeds(&mut self, feeds: Vec<Feed>) {
        self.feedlist.feeds = feeds;
        self.feeds_follow_library();
    }

    pub fn feedlist(&self) -> &FeedList {
        &self.feedlist
    }

    /// A feed was fetched: its name (its own title, once known) and its failure follow.
    pub(super) fn feed_fetched(&mut self, outcome: &crate::feeds::fetch::Outcome) {
        let Some(feed) = (self.feedlist.feeds.iter_mut()).find(|f| f.url == outcome.url) else {
            return;
        };
        feed.error = outcome.error.clone();
        if feed.name != outcome.name {
            feed.name = outcome.name.clone();
            feed.folder = crate::feeds::write::folder(&feed.name);
            self.feeds_follow_library();
        }
    }

    /// The library (or the feeds) changed: which feed each article came from is worked out
    /// again, now if the list is narrowed to a feed or the window is open, else when asked.
    pub(super) fn feeds_follow_library(&mut self) {
        self.feedlist.fresh = false;
        let scope_gone = match &self.feedlist.scope {
            Some(Scope::Feed(n)) => *n >= self.feedlist.feeds.len(),
            _ => false,
        };
        if scope_gone {
            self.feedlist.scope = None;
        }
        if self.feedlist.scope.is_some() || self.windows.open() == Some(Overlay::Feeds) {
            self.count_feeds();
        }
    }

    /// The window's rows, counted again from the read marks.
    fn count_feeds(&mut self) {
        if !std::mem::replace(&mut self.feedlist.fresh, true) {
            self.feedlist.owners = feedlist::owners(&self.library, &self.feedlist.feeds);
        }
        let marks = &self.marks;
        self.feedlist.rows = feedlist::rows(
            &self.feedlist.feeds,
            &self.feedlist.owners,
            &|i| marks.is_read(i),
            self.feedlist.hide_read,
        );
    }

    pub(super) fn show_feeds(&mut self) {
        self.count_feeds();
        self.windows.show(Overlay::Feeds);
        let current = self.feedlist.scope.clone().unwrap_or(Scope::All);
        let at = self.feedlist.rows.iter().position(|r| r.scope == current);
        self.windows
            .select(at.unwrap_or(0), self.feedlist.rows.len(), self.height);
    }

    pub(super) fn update_feeds_view(&mut self, action: Action) {
        let len = self.feedlist.rows.len();
        let rows = usize::from(overlay_rows(self.height, len)).max(1);
        let at = moved(self.windows.selected(), action, rows, len.saturating_sub(1));
        self.windows.select(at, len, self.height);
        // A click on a row selects it; on the selected row, chooses it.
        let action = match action {
            Action::Click { column, row } => match self.feeds_row_at(column, row) {
                Some(k) if k == self.windows.selected() => Action::Open,
                Some(k) => {
                    self.windows.select(k, len, self.height);
                    return;
                }
                None => return,
            },
            other => other,
        };
        let at = self.windows.selected();
        let chosen = self.feedlist.rows.get(at).map(|r| r.scope.clone());
        match action {
            Action::Close | Action::Quit | Action::ShowFeeds => self.windows.close(),
            Action::Help => self.windows.show(Overlay::Help),
            Action::Undo => {
                self.undo();
                self.count_feeds();
            }
            Action::Open | Action::OpenSelected => {
                if let Some(scope) = chosen {
                    self.windows.close();
                    self.choose_scope(scope);
                }
            }
            Action::ToggleRead => {
                self.feedlist.hide_read = !self.feedlist.hide_read;
                self.count_feeds();
                self.message = Some(match self.feedlist.hide_read {
                    true => "Feeds with nothing unread hidden".into(),
                    false => "Every feed shown".into(),
                });
            }
            Action::MarkAllRead => {
                if let Some(scope) = chosen {
                    let articles: Vec<usize> = (0..self.library.len())
                        .filter(|&i| self.feedlist.in_scope(&scope, i))
                        .collect();
                    self.mark_all_of(&articles);
                    self.count_feeds();
                }
            }
            _ => {}
        }
        let len = self.feedlist.rows.len();
        self.windows
            .select(self.windows.selected(), len, self.height);
    }

    /// The feeds window's row under a cell, if one is.
    fn feeds_row_at(&self, column: u16, row: u16) -> Option<usize> {
        let screen = ratatui::layout::Rect::new(0, 0, self.width, self.height);
        let rect = crate::app::layout::window_rect(screen, self.feedlist.rows.len(), WIDEST)?;
        let inside =
            column > rect.x && column + 1 < rect.right() && row > rect.y && row + 1 < rect.bottom();
        let k = self.windows.scroll() + usize::from(row.checked_sub(rect.y + 1)?);
        (inside && k < self.feedlist.rows.len()).then_some(k)
    }

    /// Narrows the headline list to `scope` (all of it for [`Scope::All`]).
    fn choose_scope(&mut self, scope: Scope) {
        let name = scope.name(&self.feedlist.feeds);
        self.feedlist.scope = (scope != Scope::All).then_some(scope);
        let keep = self.list.selected_article();
        self.rebuild_list(keep);
        let key = self.settings.keymap.hint(Action::ShowFeeds);
        self.message = Some(match self.feedlist.scope {
            None => format!("Every article listed ({key}: feeds)"),
            Some(_) => format!(
                "{}: {} listed ({key}: feeds)",
                crate::text::clean_display(&name),
                crate::text::plural(self.list.rows(), "article", "articles")
            ),
        });
    }
}
