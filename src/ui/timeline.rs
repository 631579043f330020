//! The timeline window: the open story's reports oldest first.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::ui::window::{selectable, window};

/// The story's reports oldest first: date and headline, the open one marked `●`, the
/// selected one highlighted.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    const WIDEST: u16 = 100;
    let inner_width = usize::from(area.width.saturating_sub(4).min(WIDEST).saturating_sub(2));
    let open = app.current().map(|v| v.article);
    let articles = app.library().articles();
    let lines: Vec<Line> = app
        .windows()
        .thread()
        .iter()
        .enumerate()
        .filter_map(|(k, &i)| Some((k, i, articles.get(i)?)))
        .map(|(k, i, article)| {
            let mark = if Some(i) == open { "● " } else { "  " };
            let date = article.date.map_or_else(
                || "undated   ".to_string(),
                |d| d.format("%Y-%m-%d").to_string(),
            );
            let text = format!("{mark}{date}  {}", article.headline);
            selectable(app, vec![Span::raw(text)], k, inner_width)
        })
        .collect();
    let count = lines.len();
    let title = format!(" The story: {count} reports (Enter opens, Esc closes) ");
    window(app, frame, area, &title, lines, WIDEST);
}
