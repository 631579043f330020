//! The help window: every bindable action with its keys (from the live keymap), what it does
//! and its name in config.toml.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::action::Action;
use crate::app::App;
use crate::ui::fit;
use crate::ui::window::window;

/// The help window's widest size, room for keys, description and config name.
const HELP_WIDTH: u16 = 82;

/// Every bindable action with its keys, as the help shows them.
pub fn help_lines(app: &App) -> Vec<(String, &'static str, &'static str)> {
    Action::BINDABLE
        .iter()
        .map(|&a| {
            let keys: Vec<String> = app
                .settings()
                .keymap
                .keys(a)
                .iter()
                .map(ToString::to_string)
                .collect();
            let keys = if keys.is_empty() {
                "(unbound)".to_string()
            } else {
                keys.join(", ")
            };
            (keys, a.describe(), a.name())
        })
        .collect()
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let rows = help_lines(app);
    let key_width = rows
        .iter()
        .map(|(k, _, _)| k.len())
        .max()
        .unwrap_or(0)
        .min(24);
    let describe_width = rows.iter().map(|(_, d, _)| d.len()).max().unwrap_or(0);
    let inner_width = usize::from(
        area.width
            .saturating_sub(4)
            .min(HELP_WIDTH)
            .saturating_sub(2),
    );
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(keys, describe, name)| {
            // Cut from the right: the config name goes first, then the description.
            let keys = format!("{keys:<key_width$}  ");
            let room = inner_width.saturating_sub(keys.len());
            let describe = fit(describe, room);
            let describe = format!("{describe:<width$}", width = describe_width.min(room));
            let room = room.saturating_sub(describe.chars().count());
            let name = if room >= name.len() + 2 {
                format!("  {name}")
            } else {
                String::new()
            };
            Line::from(vec![
                Span::styled(fit(&keys, inner_width), app.settings().theme.subheading()),
                Span::raw(describe),
                Span::styled(name, app.settings().theme.dim()),
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
