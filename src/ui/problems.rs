//! The problems window: the files that were skipped or loaded with warnings, one a line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::app::App;
use crate::ui::window::window;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let lines: Vec<Line> = app
        .library()
        .diagnostics()
        .iter()
        .map(|d| Line::raw(d.to_string()))
        .collect();
    let (warnings, skipped) = app.library().problem_counts();
    let title = format!(" {skipped} skipped, {warnings} warnings (Esc closes) ");
    window(app, frame, area, &title, lines, 110);
}
