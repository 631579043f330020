//! The feeds window: all, each folder with its feeds indented, the feeds in no folder and the
//! pages from no feed, each with its unread and total counts (`3/10`), a feed that failed
//! with the reason, and the list's current choice marked.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::app::App;
use crate::feedlist::{Origin, Scope};
use crate::text::clean_display;
use crate::ui::fit;
use crate::ui::window::{selectable, window};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    const WIDEST: u16 = crate::app::feedlist::WIDEST;
    let inner_width = usize::from(area.width.saturating_sub(4).min(WIDEST).saturating_sub(2));
    let feeds = app.feedlist();
    let current = feeds.scope().cloned().unwrap_or(Scope::All);
    let theme = &app.settings().theme;
    let lines: Vec<Line> = feeds
        .rows()
        .iter()
        .enumerate()
        .map(|(k, row)| {
            let counts = format!(" {}/{}", row.unread, row.total);
            let mark = if row.scope == current { "▸ " } else { "  " };
            let indent = "  ".repeat(usize::from(row.depth));
            let room = inner_width.saturating_sub(counts.width() + mark.width() + indent.width());
            let server = match row.scope {
                Scope::Feed(n) => feeds
                    .feeds()
                    .get(n)
                    .is_some_and(|f| f.origin == Origin::Sync),
                _ => false,
            };
            // A feed the sync server follows says so.
            let label = match server {
                true => format!("{} (server)", clean_display(&row.label)),
                false => clean_display(&row.label),
            };
            let mut spans = vec![Span::raw(format!("{mark}{indent}"))];
            let label_style = match (&row.scope, row.unread) {
                (_, 0) => theme.dim(),
                (Scope::Feed(_), _) => theme.unread(),
                _ => theme.title(),
            };
            let error = row.error.as_deref().map(clean_display);
            let label_room = match &error {
                // The reason gets what the name leaves, the name at least half.
                Some(_) => room.min(label.width().max(room / 2)),
                None => room,
            };
            let shown = fit(&label, label_room);
            let used = shown.width();
            spans.push(Span::styled(shown, label_style));
            let mut left = room.saturating_sub(used);
            if let Some(error) = error {
                let said = fit(&format!("  failed: {error}"), left);
                left = left.saturating_sub(said.width());
                spans.push(Span::styled(said, theme.error()));
            }
            spans.push(Span::raw(" ".repeat(left)));
            spans.push(Span::styled(counts, theme.dim()));
            selectable(app, spans, k, inner_width)
        })
        .collect();
    let keys = |action| app.settings().keymap.hint(action);
    let hide = if feeds.hides_read() { "shows" } else { "hides" };
    let title = format!(
        " Feeds: {} lists · {} marks read · {} {hide} read ",
        keys(Action::Open),
        keys(Action::MarkAllRead),
        keys(Action::ToggleRead),
    );
    window(app, frame, area, &title, lines, WIDEST);
}
