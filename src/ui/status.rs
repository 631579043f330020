//! The status bar: an open prompt with its cursor; else the latest message, a saving problem
//! (until it is put right) or where you are, then load problems, the reading position and the
//! help key.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::app::App;
use crate::app::layout::{Areas, Focus};
use crate::app::prompt::{Prompt, Purpose};
use crate::cells::{fit, shorten_message};

pub fn render(app: &App, frame: &mut Frame, areas: &Areas) {
    let area = areas.status;
    let style = app.settings().theme.status();
    if let Some(prompt) = app.prompt() {
        return prompt_bar(app, prompt, frame, area);
    }
    let right = right_side(app, areas);

    let (left, left_style) = match (&app.message(), app.alert()) {
        (Some(message), _) => (message.to_string(), style),
        (None, Some(alert)) => (alert.to_string(), style.patch(app.settings().theme.error())),
        (None, None) if app.library().is_empty() => (String::new(), style),
        (None, None) if app.list().rows() == 0 => (String::new(), style),
        (None, None) => (
            format!("{}/{}", app.list().selected() + 1, app.list().rows()),
            style,
        ),
    };
    let width = usize::from(area.width);
    let mut right = fit(&right, width);
    let mut left_width = width.saturating_sub(right.width() + 1);
    let mut left = format!(" {}", shorten_message(&left, left_width.saturating_sub(1)));
    // A message is worth more than where you are: a long one has the whole bar.
    if left.width() > left_width {
        right.clear();
        left_width = width;
        left = format!(
            " {}",
            shorten_message(left.trim_start(), width.saturating_sub(1))
        );
    }
    // A message too long for the bar takes the row above it too (over the panes' bottom
    // border, until the next key), so its end (a file's line and column, say) is not lost.
    if left.width() > left_width && area.y > 0 && width > 2 {
        let lines = two_rows(left.trim_start(), width - 2);
        if let Some(first) = lines.first() {
            let above = Rect::new(area.x, area.y - 1, area.width, 1);
            let first = fit(&format!(" {first}"), width);
            let pad = width.saturating_sub(first.width());
            let row = Line::from(vec![Span::raw(first), Span::raw(" ".repeat(pad))]);
            frame.render_widget(ratatui::widgets::Clear, above);
            frame.render_widget(Paragraph::new(row.style(left_style)), above);
            left = format!(" {}", lines[1..].join(" "));
        }
    }
    let left = fit(&left, left_width);
    let gap = width.saturating_sub(left.width() + right.width());
    let line = Line::from(vec![
        Span::styled(left, left_style),
        Span::raw(" ".repeat(gap)),
        Span::raw(right),
    ])
    .style(style);
    frame.render_widget(Paragraph::new(line), area);
}

/// The open prompt: its label, the text with the cursor, and a hint of its keys shortened to
/// leave room to type (a search's count of matches stays longest).
fn prompt_bar(app: &App, prompt: &Prompt, frame: &mut Frame, area: Rect) {
    let style = app.settings().theme.status();
    let label = prompt.label();
    // The hint, shortened (the count of matches stays longest) to leave room to type.
    let hints = match prompt.purpose {
        Purpose::Note { .. } | Purpose::Save { .. } => {
            vec![" Enter saves · Esc cancels ".to_string()]
        }
        Purpose::Pipe { .. } => vec![" Enter runs · Esc cancels ".to_string()],
        Purpose::Search(_) => {
            let status = app.search_status();
            vec![
                format!(" {status} · Enter keeps · Esc cancels "),
                format!(" {status} "),
            ]
        }
    };
    let width = usize::from(area.width);
    let hint = hints
        .iter()
        .find(|h| width >= label.width() + h.width() + 12)
        .map_or("", String::as_str);
    let room = width.saturating_sub(label.width() + hint.width() + 1);
    let (text, cursor) = prompt.edit.view(room);
    let gap = room.saturating_sub(text.width());
    let line = Line::from(vec![
        Span::raw(format!(" {label}")),
        Span::raw(text),
        Span::raw(" ".repeat(gap)),
        Span::styled(hint, app.settings().theme.dim()),
    ])
    .style(style);
    frame.render_widget(Paragraph::new(line), area);
    let x = area.x + u16::try_from(1 + label.width() + cursor).unwrap_or(area.width);
    if x < area.right() {
        frame.set_cursor_position((x, area.y));
    }
}

/// A message wrapped into rows of `width`, its path shortened until it takes at most two (the
/// second is cut, at the end, only when no path is left to shorten).
fn two_rows(text: &str, width: usize) -> Vec<String> {
    let mut budget = 2 * width;
    loop {
        let shortened = shorten_message(text, budget);
        let lines: Vec<String> = textwrap::wrap(&shortened, width)
            .into_iter()
            .map(|l| l.into_owned())
            .collect();
        if lines.len() <= 2 {
            return lines;
        }
        if budget <= width {
            // Nothing left to shorten: the second row ends in `…` where the rest was cut.
            let rest = lines[1..].join(" ");
            return vec![lines[0].clone(), fit(&rest, width)];
        }
        budget = budget.saturating_sub(8).max(width);
    }
}

/// The bar's right side: problems, fetching and syncing, indexing, where you are, help.
fn right_side(app: &App, areas: &Areas) -> String {
    let mut right = Vec::new();
    let counts = crate::ui::problems::counts(app, false);
    if !counts.is_empty() {
        right.push(format!(
            "{counts} ({})",
            app.settings().keymap.hint(Action::ShowProblems)
        ));
    }
    if let Some((done, total)) = app.background().fetching() {
        right.push(format!("fetching {done}/{total}"));
    }
    match app.background().syncing() {
        Some((_, 0)) => right.push("syncing".into()),
        Some((done, total)) => right.push(format!("syncing {done}/{total}")),
        None => {}
    }
    if app.background().indexing().is_some() {
        right.push(format!("indexing {}%", app.indexing_percent().unwrap_or(0)));
    }
    if app.focus() == Focus::Reader || areas.wide {
        if let Some((at, of)) = app.story_position() {
            right.push(format!("story {at}/{of}"));
        }
        let position = app.position_label();
        if !position.is_empty() {
            right.push(position);
        }
    }
    right.push(format!("{} help", app.settings().keymap.hint(Action::Help)));
    format!(" {} ", right.join(" │ "))
}
