//! The bookmarks window: newest first, each with when it was added, its note, and whether its
//! article is still in the folder.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::action::Action;
use crate::app::App;
use crate::text::clean_display;
use crate::ui::fit;
use crate::ui::window::{selectable, window};

/// The bookmarks newest first: when each was made (`added`), the article's date (`dated`),
/// the headline, the note, and `missing` for an article no longer in the folder.
pub fn render(app: &App, frame: &mut Frame, area: Rect) {
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
            // Each date says what it is: when it was bookmarked, when the story is from.
            let mut spans = vec![Span::styled(
                format!("added {added}  "),
                app.settings().theme.dim(),
            )];
            if !narrow {
                spans.push(Span::styled(
                    format!("dated {date:<10}  "),
                    app.settings().theme.dim(),
                ));
            }
            spans.push(Span::raw(headline));
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
