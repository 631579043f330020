//! The problems window: the files that were skipped or loaded with warnings, then the feeds
//! that failed at the last fetch, one a line.

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
        .chain(
            app.background()
                .feed_problems()
                .iter()
                .map(|p| Line::raw(p.as_str())),
        )
        .collect();
    let (warnings, skipped) = app.library().problem_counts();
    let feeds = app.background().feed_problems().len();
    let title = match feeds {
        0 => format!(" {skipped} skipped, {warnings} warnings (Esc closes) "),
        n => format!(" {skipped} skipped, {warnings} warnings, {n} from feeds (Esc closes) "),
    };
    window(app, frame, area, &title, lines, 110);
}
