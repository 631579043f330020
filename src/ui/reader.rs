//! The reading pane: the open article's laid-out lines styled by kind, the focused link
//! and every search hit picked out, and a scrollbar.

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};
use ratatui_image::sliced::{SignedPosition, SlicedImage};

use crate::action::Action;
use crate::app::App;
use crate::app::layout::{Areas, Focus};
use crate::app::reader_view::{ArticleView, LineKind};
use crate::ui::{highlighted, note};

/// Draws the reading pane where `areas` (made for this frame) put it.
pub fn render(app: &App, frame: &mut Frame, areas: &Areas) {
    let area = areas.reader;
    let focused = app.focus() == Focus::Reader && app.windows().open().is_none();
    let mut block = Block::bordered().border_style(app.settings().theme.border(focused));
    if let Some(visit) = app.shown() {
        let label = format!(" {} of {} ", visit.article + 1, app.library().len());
        block = block
            .title_top(Line::from(Span::styled(label, app.settings().theme.dim())).right_aligned());
    }
    frame.render_widget(block, area);
    let column = areas.text_column(app.settings().wrap_width);
    let Some(page) = app.page() else {
        let hint = format!(
            "{} opens the selected headline · {} shows every key",
            app.settings().keymap.hint(Action::Open),
            app.settings().keymap.hint(Action::Help)
        );
        note(
            frame,
            hint,
            app.settings().theme.dim(),
            areas.reader_inner(),
        );
        return;
    };
    let scroll = app.scroll();
    let rows = usize::from(column.height);
    let focused_link = app.focused_link();
    let highlighter = app.list().search().map(|s| &s.highlighter);
    let lines: Vec<Line> = page
        .lines
        .iter()
        .skip(scroll)
        .take(rows)
        .map(|line| {
            let style = match line.kind {
                LineKind::Headline => app.settings().theme.headline(),
                LineKind::Byline | LineKind::DeadLink | LineKind::Note | LineKind::Caption => {
                    app.settings().theme.dim()
                }
                LineKind::Standfirst => app.settings().theme.standfirst(),
                LineKind::Subheading => app.settings().theme.subheading(),
                LineKind::Section => app.settings().theme.title(),
                LineKind::Link(n) if Some(n) == focused_link => app.settings().theme.link_focused(),
                LineKind::Link(_) => app.settings().theme.link(),
                LineKind::Paragraph | LineKind::Blank | LineKind::Picture => Style::new(),
            };
            match highlighter.map(|h| h.hits(&line.text)) {
                Some(hits) if !hits.is_empty() => Line::from(highlighted(
                    line.text.as_str(),
                    &hits,
                    app.settings().theme.hit(),
                ))
                .style(style),
                _ => Line::styled(line.text.as_str(), style),
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), column);
    picture(app, frame, page, column, scroll);

    let max = page.lines.len().saturating_sub(rows);
    if max > 0 {
        let mut state = ScrollbarState::new(max)
            .position(scroll)
            .viewport_content_length(rows);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None),
            area.inner(Margin {
                vertical: 1,
                horizontal: 0,
            }),
            &mut state,
        );
    }
}

/// The story's picture over its rows, as far as they are on screen (it scrolls with the
/// text), centred in the reading column.
fn picture(app: &App, frame: &mut Frame, page: &ArticleView, column: Rect, scroll: usize) {
    let (Some((first, rows)), Some(drawn)) = (page.picture, app.pictures().shown()) else {
        return;
    };
    if drawn.rows != rows {
        return;
    }
    let top = i64::try_from(first).unwrap_or(i64::MAX) - i64::try_from(scroll).unwrap_or(0);
    let bottom = top + i64::from(rows);
    if bottom <= 0 || top >= i64::from(column.height) || top < i64::from(i16::MIN) {
        return;
    }
    let left = column.width.saturating_sub(drawn.columns) / 2;
    let position = SignedPosition {
        x: i16::try_from(left).unwrap_or(0),
        y: top as i16,
    };
    frame.render_widget(SlicedImage::new(&drawn.protocol, position), column);
}
