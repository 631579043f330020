//! Windows over the panes: the key bindings, generated from the live keymap, the list of
//! files that were skipped or loaded with warnings, a story's timeline and the bookmarks.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::app::App;
use crate::app::layout::overlay_rows;
use crate::text::clean_display;
use crate::ui::fit;

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

pub fn render_problems(app: &App, frame: &mut Frame, area: Rect) {
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

/// The story's reports oldest first: date and headline, the open one marked `●`, the
/// selected one highlighted.
pub fn render_thread(app: &App, frame: &mut Frame, area: Rect) {
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

/// The bookmarks newest first: when each was made, the article's date, the headline, the
/// note, and `missing` for an article no longer in the folder.
pub fn render_bookmarks(app: &App, frame: &mut Frame, area: Rect) {
    const WIDEST: u16 = 110;
    let inner_width = usize::from(area.width.saturating_sub(4).min(WIDEST).saturating_sub(2));
    let articles = app.library().articles();
    // A narrow window keeps room for the headline: the day it was bookmarked, no article date.
    let narrow = inner_width < 70;
    let added_format = if narrow { "%Y-%m-%d" } else { "%Y-%m-%d %H:%M" };
    let lines: Vec<Line> = app
        .marks()
        .rows(app.library())
        .into_iter()
        .enumerate()
        .map(|(k, (bookmark, at))| {
            let added = chrono::DateTime::parse_from_rfc3339(&bookmark.added).map_or_else(
                |_| fit(&clean_display(&bookmark.added), 16),
                |t| t.format(added_format).to_string(),
            );
            let (date, headline) = match at.and_then(|i| articles.get(i)) {
                Some(article) => (
                    article.date.map(|d| d.format("%Y-%m-%d").to_string()),
                    article.headline.to_string(),
                ),
                None => (bookmark.date.clone(), clean_display(&bookmark.headline)),
            };
            let date = clean_display(date.as_deref().unwrap_or("undated"));
            let mut spans = vec![Span::styled(
                format!("{added}  "),
                app.settings().theme.dim(),
            )];
            if narrow {
                spans.push(Span::raw(headline));
            } else {
                spans.push(Span::raw(format!("{date:<10}  {headline}")));
            }
            if at.is_none() {
                spans.push(Span::styled("  missing", app.settings().theme.error()));
            }
            if !bookmark.note.is_empty() {
                let note = clean_display(&bookmark.note);
                spans.push(Span::styled(
                    format!("  — {note}"),
                    app.settings().theme.dim(),
                ));
            }
            selectable(app, spans, k, inner_width)
        })
        .collect();
    let keys = |action| app.settings().keymap.hint(action);
    let title = format!(
        " Bookmarks: {} ({} opens, {} removes, {} edits the note, {} undoes) ",
        lines.len(),
        keys(Action::Open),
        keys(Action::ToggleBookmark),
        keys(Action::EditNote),
        keys(Action::Undo),
    );
    window(app, frame, area, &title, lines, WIDEST);
}

/// A row of a window with a selection, cut to the window and, when it is the selected row,
/// highlighted across the whole width.
fn selectable<'a>(app: &App, spans: Vec<Span<'a>>, row: usize, width: usize) -> Line<'a> {
    let mut used = 0;
    let mut cut = Vec::new();
    for span in spans {
        let room = width.saturating_sub(used);
        if room == 0 {
            break;
        }
        let text = fit(&span.content, room);
        used += text.width();
        cut.push(Span::styled(text, span.style));
    }
    if row == app.windows().selected() {
        cut.push(Span::raw(" ".repeat(width.saturating_sub(used))));
        Line::from(cut).style(app.settings().theme.selected())
    } else {
        Line::from(cut)
    }
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
        .border_style(app.settings().theme.border(true))
        .title(Span::styled(
            fit(title, usize::from(width.saturating_sub(2))),
            app.settings().theme.title(),
        ));
    let rows = usize::from(rows);
    let total = lines.len();
    if total > rows {
        // Say that the window scrolls, and how far through it the view is.
        let first = app.windows().scroll() + 1;
        let last = (app.windows().scroll() + rows).min(total);
        let more = if last < total { " ↓" } else { "" };
        let label = format!(" {first}–{last} of {total}{more} ");
        block = block.title_bottom(
            Line::from(Span::styled(label, app.settings().theme.dim())).right_aligned(),
        );
    }
    let inner = block.inner(rect);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(app.windows().scroll())
        .take(usize::from(inner.height))
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
