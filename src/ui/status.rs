//! The status bar: the latest message (or where you are), load problems, the reading position
//! and the help key.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::app::App;
use crate::ui::fit;
use crate::ui::layout::Focus;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let style = app.theme.status();
    let mut right = Vec::new();
    let (warnings, skipped) = app.library.problem_counts();
    if warnings + skipped > 0 {
        let mut parts = Vec::new();
        if skipped > 0 {
            parts.push(format!("{skipped} skipped"));
        }
        if warnings > 0 {
            parts.push(format!(
                "{warnings} warning{}",
                if warnings == 1 { "" } else { "s" }
            ));
        }
        right.push(format!(
            "{} ({})",
            parts.join(", "),
            app.keymap.hint(Action::ShowProblems)
        ));
    }
    if let Some((done, total)) = app.indexing {
        right.push(format!("indexing {}%", done * 100 / total.max(1)));
    }
    if app.focus == Focus::Reader || app.areas().wide {
        if let Some((at, of)) = app.story_position() {
            right.push(format!("story {at}/{of}"));
        }
        let position = app.position_label();
        if !position.is_empty() {
            right.push(position);
        }
    }
    right.push(format!("{} help", app.keymap.hint(Action::Help)));
    let right = format!(" {} ", right.join(" │ "));

    let left = match &app.message {
        Some(message) => message.clone(),
        None if app.library.is_empty() => String::new(),
        None => format!("{}/{}", app.selected + 1, app.library.len()),
    };
    let width = usize::from(area.width);
    let right = fit(&right, width);
    let left_width = width.saturating_sub(right.width() + 1);
    let left = fit(&format!(" {left}"), left_width);
    let gap = width.saturating_sub(left.width() + right.width());
    let line = Line::from(vec![
        Span::raw(left),
        Span::raw(" ".repeat(gap)),
        Span::raw(right),
    ])
    .style(style);
    frame.render_widget(Paragraph::new(line), area);
}
