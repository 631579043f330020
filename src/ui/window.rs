//! What the windows over the panes share: a bordered box centred over the screen, scrolled
//! to the window's place, and a selectable row cut to its width.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::app::App;
use crate::app::layout::window_rect;
use crate::ui::fit;

/// A row of a window with a selection, cut to the window and, when it is the selected row,
/// highlighted across the whole width.
pub fn selectable<'a>(app: &App, spans: Vec<Span<'a>>, row: usize, width: usize) -> Line<'a> {
    let mut used = 0;
    let mut cut = Vec::new();
    for span in spans {
        let room = width.saturating_sub(used);
        if room == 0 {
            break;
        }
        let text = fit(&span.content, room);
        used += text.width();
        cut.push(Span::styled(text, span.style));
    }
    if row == app.windows().selected() {
        cut.push(Span::raw(" ".repeat(width.saturating_sub(used))));
        Line::from(cut).style(app.settings().theme.selected())
    } else {
        Line::from(cut)
    }
}

/// A bordered window centred over the screen, showing `lines` from the overlay's scroll.
pub fn window(
    app: &App,
    frame: &mut Frame,
    area: Rect,
    title: &str,
    lines: Vec<Line>,
    widest: u16,
) {
    let Some(rect) = window_rect(area, lines.len(), widest) else {
        return;
    };
    let (width, rows) = (rect.width, rect.height - 2);
    let mut block = Block::bordered()
        .border_style(app.settings().theme.border(true))
        .title(Span::styled(
            fit(title, usize::from(width.saturating_sub(2))),
            app.settings().theme.title(),
        ));
    let rows = usize::from(rows);
    let total = lines.len();
    if total > rows {
        // Say that the window scrolls, and how far through it the view is.
        let first = app.windows().scroll() + 1;
        let last = (app.windows().scroll() + rows).min(total);
        let more = if last < total { " ↓" } else { "" };
        let label = format!(" {first}–{last} of {total}{more} ");
        block = block.title_bottom(
            Line::from(Span::styled(label, app.settings().theme.dim())).right_aligned(),
        );
    }
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(app.windows().scroll())
        .take(usize::from(inner.height))
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
