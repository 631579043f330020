//! The problems window: the files that were skipped or loaded with warnings, then the feeds
//! that failed at the last fetch, one a line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use crate::app::App;
use crate::text::plural;
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
    let title = format!(" {} (Esc closes) ", counts(app, true));
    window(app, frame, area, &title, lines, 110);
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
    parts.join(", ")
}
