//! The help window: every bindable action with its keys (from the live keymap), what it does
//! and its name in config.toml; then the search prompt's own keys and the saved searches.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::window_text::{HELP_WIDTH, inner_width};
use crate::ui::window::window;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let width = inner_width(area.width, HELP_WIDTH);
    let theme = &app.settings().theme;
    let lines: Vec<Line> = app
        .help_rows(width)
        .into_iter()
        .map(|row| {
            Line::from(vec![
                Span::styled(row.keys, theme.subheading()),
                Span::raw(row.describe),
                Span::styled(row.name, theme.dim()),
            ])
        })
        .collect();
    window(
        app,
        frame,
        area,
        " Keys (? or Esc closes) ",
        lines,
        HELP_WIDTH,
    );
}
