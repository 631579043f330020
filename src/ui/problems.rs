//! The problems window: the files that were skipped or loaded with warnings, then the feeds
//! that failed at the last fetch, each wrapped to the window.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::app::App;
use crate::app::window_text::{PROBLEMS_WIDTH, inner_width};
use crate::text::plural;
use crate::ui::window::window;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let width = inner_width(area.width, PROBLEMS_WIDTH);
    let lines: Vec<Line> = app.problem_rows(width).into_iter().map(Line::raw).collect();
    let title = format!(" {} (Esc closes) ", counts(app, true));
    window(app, frame, area, &title, lines, PROBLEMS_WIDTH);
}

/// What went wrong, counted: `2 skipped, 1 warning`, then the feeds that failed when
/// `feeds`; empty when nothing did.
pub fn counts(app: &App, feeds: bool) -> String {
    let (warnings, skipped) = app.library().problem_counts();
    let failed = if feeds {
        app.background().feed_problems().len()
    } else {
        0
    };
    let mut parts = Vec::new();
    if skipped > 0 {
        parts.push(format!("{skipped} skipped"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning", "warnings"));
    }
    if failed > 0 {
        parts.push(format!("{failed} from feeds"));
    }
    let pictures = app.pictures().problems().len();
    if feeds && pictures > 0 {
        parts.push(plural(pictures, "picture", "pictures"));
    }
    parts.join(", ")
}
