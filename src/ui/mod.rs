//! Drawing the reader: one function of `&App` per pane, composed here. Nothing in `ui` changes
//! state; what it needs to know about sizes comes from [`crate::app::layout`].

pub mod bookmarks;
pub mod feeds;
pub mod headlines;
pub mod help;
pub mod problems;
pub mod reader;
pub mod status;
pub mod timeline;
pub mod window;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::App;
use crate::app::windows::Overlay;
pub use crate::cells::fit;

/// Draws the whole screen for the app's state.
pub fn render(app: &App, frame: &mut Frame) {
    // Sizes come from the frame drawn into, never from the last resize the app was told of:
    // the terminal may have changed since.
    let area = frame.area();
    let areas = app.areas_at(area.width, area.height);
    if areas.too_small {
        let text = format!(
            "Terminal too small ({}×{}): broadsheet needs {}×{}",
            area.width,
            area.height,
            crate::app::layout::MIN_WIDTH,
            crate::app::layout::MIN_HEIGHT
        );
        note(frame, text, Style::new(), area);
        return;
    }
    if !areas.list.is_empty() {
        headlines::render(app, frame, areas.list);
    }
    if !areas.reader.is_empty() {
        reader::render(app, frame, &areas);
    }
    status::render(app, frame, &areas);
    match app.windows().open() {
        Some(Overlay::Help) => help::render(app, frame, area),
        Some(Overlay::Problems) => problems::render(app, frame, area),
        Some(Overlay::Thread) => timeline::render(app, frame, area),
        Some(Overlay::Bookmarks) => bookmarks::render(app, frame, area),
        Some(Overlay::Feeds) => feeds::render(app, frame, area),
        None => {}
    }
}

/// A short note centred in an area, wrapped, starting half-way down: the too-small screen,
/// an empty folder, a pane with nothing open.
pub fn note(frame: &mut Frame, text: String, style: Style, area: Rect) {
    let middle = Rect::new(
        area.x,
        area.y + area.height / 2,
        area.width,
        area.height - area.height / 2,
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(style)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        middle,
    );
}

/// `text` as spans, the byte ranges `hits` (in order, on character boundaries) in `style`.
pub fn highlighted<'a>(
    text: impl Into<std::borrow::Cow<'a, str>>,
    hits: &[std::ops::Range<usize>],
    style: Style,
) -> Vec<Span<'a>> {
    let text: std::borrow::Cow<'a, str> = text.into();
    if hits.is_empty() {
        return vec![Span::raw(text)];
    }
    let mut spans = Vec::new();
    let mut at = 0;
    for hit in hits {
        let (start, end) = (hit.start.max(at), hit.end.min(text.len()));
        if start >= end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        if start > at {
            spans.push(Span::raw(text[at..start].to_string()));
        }
        spans.push(Span::styled(text[start..end].to_string(), style));
        at = end;
    }
    if at < text.len() {
        spans.push(Span::raw(text[at..].to_string()));
    }
    spans
}
