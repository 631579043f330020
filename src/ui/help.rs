//! The help window: every bindable action with its keys (from the live keymap), what it does
//! and its name in config.toml; then the search prompt's own keys and the saved searches.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::action::Action;
use crate::app::App;
use crate::ui::fit;
use crate::ui::window::window;

/// The help window's widest size, room for keys, description and config name.
const HELP_WIDTH: u16 = 82;

/// Every bindable action with its keys, as the help shows them (keys, what it does, name).
pub fn help_lines(app: &App) -> Vec<(String, String, &'static str)> {
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
            (keys, a.describe().to_string(), a.name())
        })
        // Keys of the search prompt, which are not bindable actions.
        .chain(
            crate::action::PROMPT_KEYS
                .iter()
                .map(|&(keys, describe)| (keys.to_string(), describe.to_string(), "")),
        )
        // The searches config.toml binds to keys (its text, so cleaned).
        .chain(app.settings().searches.iter().map(|s| {
            let query = crate::text::clean_display(&s.query);
            (s.key.clone(), format!("search: {query}"), "[searches]")
        }))
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
    let describe_width = (rows.iter().map(|(_, d, _)| d.chars().count()).max()).unwrap_or(0);
    let inner_width = usize::from(
        area.width
            .saturating_sub(4)
            .min(HELP_WIDTH)
            .saturating_sub(2),
    );
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(keys, describe, name)| {
            // Cut from the right, marked with `…`: the config name goes first, then the
            // description; nothing is dropped without a mark.
            let keys = format!("{keys:<key_width$}  ");
            let room = inner_width.saturating_sub(keys.len());
            let column = describe_width.min(room);
            let whole = format!("{describe:<column$}  {name}");
            let shown = fit(&whole, room);
            // Description and name are ASCII (a character is a cell); the `…` is not.
            let split = (shown.char_indices())
                .nth(column)
                .map_or(shown.len(), |(at, _)| at);
            let (describe, name) = shown.split_at(split);
            Line::from(vec![
                Span::styled(fit(&keys, inner_width), app.settings().theme.subheading()),
                Span::raw(describe.to_string()),
                Span::styled(name.to_string(), app.settings().theme.dim()),
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
