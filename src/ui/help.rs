//! Windows over the panes: the key bindings, generated from the live keymap, the list of
//! files that were skipped or loaded with warnings, and a story's timeline.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::app::App;
use crate::ui::fit;
use crate::ui::layout::overlay_rows;

/// The help window's widest size, room for keys, description and config name.
const HELP_WIDTH: u16 = 82;

/// Every bindable action with its keys, as the help shows them.
pub fn help_lines(app: &App) -> Vec<(String, &'static str, &'static str)> {
    Action::BINDABLE
        .iter()
        .map(|&a| {
            let keys: Vec<String> = app.keymap.keys(a).iter().map(ToString::to_string).collect();
            let keys = if keys.is_empty() {
                "(unbound)".to_string()
            } else {
                keys.join(", ")
            };
            (keys, a.describe(), a.name())
        })
        .collect()
}

pub fn render_help(app: &App, frame: &mut Frame, area: Rect) {
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
                Span::styled(fit(&keys, inner_width), app.theme.subheading()),
                Span::raw(describe),
                Span::styled(name, app.theme.dim()),
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

pub fn render_problems(app: &App, frame: &mut Frame, area: Rect) {
    let lines: Vec<Line> = app
        .library
        .diagnostics()
        .iter()
        .map(|d| Line::raw(d.to_string()))
        .collect();
    let (warnings, skipped) = app.library.problem_counts();
    let title = format!(" {skipped} skipped, {warnings} warnings (Esc closes) ");
    window(app, frame, area, &title, lines, 110);
}

/// The story's reports oldest first: date and headline, the open one marked `●`, the
/// selected one highlighted.
pub fn render_thread(app: &App, frame: &mut Frame, area: Rect) {
    const WIDEST: u16 = 100;
    let inner_width = usize::from(area.width.saturating_sub(4).min(WIDEST).saturating_sub(2));
    let open = app.current().map(|v| v.article);
    let articles = app.library.articles();
    let lines: Vec<Line> = app
        .thread_view
        .iter()
        .enumerate()
        .filter_map(|(k, &i)| Some((k, i, articles.get(i)?)))
        .map(|(k, i, article)| {
            let mark = if Some(i) == open { "● " } else { "  " };
            let date = article.date.map_or_else(
                || "undated   ".to_string(),
                |d| d.format("%Y-%m-%d").to_string(),
            );
            let text = fit(&format!("{mark}{date}  {}", article.headline), inner_width);
            if k == app.thread_selected {
                let pad = inner_width.saturating_sub(text.width());
                Line::styled(format!("{text}{}", " ".repeat(pad)), app.theme.selected())
            } else {
                Line::raw(text)
            }
        })
        .collect();
    let count = lines.len();
    let title = format!(" The story: {count} reports (Enter opens, Esc closes) ");
    window(app, frame, area, &title, lines, WIDEST);
}

/// A bordered window centred over the screen, showing `lines` from the overlay's scroll.
fn window(app: &App, frame: &mut Frame, area: Rect, title: &str, lines: Vec<Line>, widest: u16) {
    let width = area.width.saturating_sub(4).min(widest);
    let rows = overlay_rows(area.height, lines.len());
    let height = rows + 2;
    if width < 3 || rows < 1 {
        return;
    }
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let mut block = Block::bordered()
        .border_style(app.theme.border(true))
        .title(Span::styled(
            fit(title, usize::from(width.saturating_sub(2))),
            app.theme.title(),
        ));
    let rows = usize::from(rows);
    let total = lines.len();
    if total > rows {
        // Say that the window scrolls, and how far through it the view is.
        let first = app.overlay_scroll + 1;
        let last = (app.overlay_scroll + rows).min(total);
        let more = if last < total { " ↓" } else { "" };
        let label = format!(" {first}–{last} of {total}{more} ");
        block =
            block.title_bottom(Line::from(Span::styled(label, app.theme.dim())).right_aligned());
    }
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(app.overlay_scroll)
        .take(usize::from(inner.height))
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
