//! The headline list: date and headline per row, cut to the row by display cells, the
//! selection highlighted and kept in view, a marker column for bookmarks (`★`) and unread
//! articles (`•`, and their headlines in bold), search hits picked out in the headlines, and
//! in the title the unread count, or the search and how many it found; the order on the
//! bottom border; each row's source when there are several, as group headings by source.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::app::App;
use crate::app::layout::Focus;
use crate::app::list::Order;
use crate::headers::Head;
use crate::search::Highlighter;
use crate::text::clean_display;
use crate::ui::{fit, highlighted, note};

/// Cells of the marker column (unread, bookmarked, a space) before each row.
const MARKERS: usize = 3;

/// The source column's widest size; narrower lists give it a quarter of their width.
const SOURCE_WIDTH: usize = 16;
/// Below this list width the headline needs every cell: no source column.
const SOURCE_ROOM: usize = 32;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus() == Focus::List && app.windows().open().is_none();
    let mut block = Block::bordered()
        .border_style(app.settings().theme.border(focused))
        .title(Span::styled(
            title(app, usize::from(area.width.saturating_sub(4))),
            app.settings().theme.title(),
        ));
    // The order, when it is not the usual one, on the bottom border: the title keeps its
    // counts in every order.
    if !matches!(app.list().order(), Order::Newest | Order::Relevance) {
        let label = fit(
            &format!(" {} ", app.list().order().label()),
            usize::from(area.width.saturating_sub(4)),
        );
        block = block.title_bottom(
            Line::from(Span::styled(label, app.settings().theme.title())).right_aligned(),
        );
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if let Some(text) = empty_note(app) {
        note(frame, text, app.settings().theme.dim(), inner);
        return;
    }
    let width = usize::from(inner.width);
    let rows = usize::from(inner.height);
    let articles = app.library().articles();
    let end = (app.list().top() + rows).min(app.list().rows());
    let highlighter = app.list().search().map(|s| &s.highlighter);
    let by_source = app.list().order() == Order::Source;
    let lines: Vec<Line> = (app.list().top()..end)
        .filter_map(|row| {
            let i = app.list().article_at(row)?;
            Some((row, i, articles.get(i)?))
        })
        .map(|(row, i, article)| row_line(app, row, i, article, width, highlighter, by_source))
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One headline's row: markers, date, source (a group's heading, by source) and the
/// headline cut to the row, search hits picked out, the selection across the whole width.
fn row_line<'a>(
    app: &App,
    row: usize,
    i: usize,
    article: Head<'a>,
    width: usize,
    highlighter: Option<&Highlighter>,
    by_source: bool,
) -> Line<'a> {
    let articles = app.library().articles();
    let date = article.date.map_or_else(
        || "undated   ".to_string(),
        |d| d.format("%Y-%m-%d").to_string(),
    );
    let unread = !app.marks().is_read(i);
    let markers = format!(
        "{}{} ",
        if unread { '•' } else { ' ' },
        if app.marks().is_bookmarked(i) {
            '★'
        } else {
            ' '
        },
    );
    // Each row's source, when there are several. By source, a group's name heads
    // its first row (and the top row, to say whose rows these are), not the rest.
    let source = (app.source_count() > 1 && width >= SOURCE_ROOM).then(|| {
        let column = (width / 4).clamp(8, SOURCE_WIDTH);
        let heads = !by_source
            || row == app.list().top()
            || (row.checked_sub(1))
                .and_then(|above| app.list().article_at(above))
                .and_then(|above| articles.get(above))
                .is_none_or(|above| above.source != article.source);
        let name = if heads {
            fit(article.source, column)
        } else {
            String::new()
        };
        let pad = column.saturating_sub(name.width()) + 1;
        (format!("{name}{}", " ".repeat(pad)), heads && by_source)
    });
    let source_width = source.as_ref().map_or(0, |(s, _)| s.width());
    let head_width = width.saturating_sub(MARKERS + date.len() + 1 + source_width);
    let headline = match highlighter {
        Some(h) => fit_showing(article.headline, head_width, &h.hits(article.headline)),
        None => fit(article.headline, head_width),
    };
    let row_style = if row == app.list().selected() {
        app.settings().theme.selected()
    } else if unread {
        app.settings().theme.unread()
    } else {
        Style::new()
    };
    let date_style = if row == app.list().selected() {
        row_style
    } else {
        app.settings().theme.dim()
    };
    let mut spans = vec![
        Span::styled(markers, app.settings().theme.marker()),
        Span::styled(date, date_style),
        Span::raw(" "),
    ];
    match source {
        Some((source, true)) if row != app.list().selected() => {
            spans.push(Span::styled(source, app.settings().theme.subheading()));
        }
        Some((source, _)) => spans.push(Span::styled(source, date_style)),
        None => {}
    }
    let hits = highlighter.map(|h| h.hits(&headline)).unwrap_or_default();
    spans.extend(highlighted(headline, &hits, app.settings().theme.hit()));
    let used: usize = spans.iter().map(Span::width).sum();
    if row == app.list().selected() && used < width {
        spans.push(Span::raw(" ".repeat(width - used)));
    }
    Line::from(spans).style(row_style)
}

/// What the list says when it has no rows: how to get news into an empty folder, that a
/// search found nothing, or that a chosen feed has nothing yet; `None` when it has rows.
fn empty_note(app: &App) -> Option<String> {
    let key = |action| app.settings().keymap.hint(action);
    if app.library().is_empty() {
        let folder = clean_display(&app.settings().articles_dir.to_string_lossy());
        let server = app.settings().sync.as_ref().map(|a| {
            let host = url::Url::parse(&a.server)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_else(|| a.server.clone());
            clean_display(&host)
        });
        let text = match (app.feedlist().feeds().len(), server) {
            (_, Some(server)) => format!(
                "No articles yet in {folder}. {} syncs with your server ({server}) and fetches                  your own feeds.",
                key(Action::FetchFeeds)
            ),
            (0, None) => format!(
                "No articles in {folder}. `broadsheet feeds add URL` subscribes to a feed ({} \
                 then fetches it); or put saved pages (*.txt) there, or start broadsheet with \
                 --articles DIR.",
                key(Action::FetchFeeds)
            ),
            (n, None) => format!(
                "No articles yet in {folder}. {} fetches your {}.",
                key(Action::FetchFeeds),
                crate::text::plural(n, "feed", "feeds")
            ),
        };
        return Some(text);
    }
    if app.list().rows() == 0 {
        let text = match app.list().search() {
            Some(search) if search.waiting => app.search_waiting_message(),
            Some(search) => format!(
                "No articles match {}. Esc lists them all again.",
                clean_display(&search.text)
            ),
            None => match app.feedlist().scope() {
                Some(chosen) => format!(
                    "No articles from {} yet. {} chooses another feed.",
                    clean_display(&chosen.name(app.feedlist().feeds())),
                    key(Action::ShowFeeds)
                ),
                None => String::new(),
            },
        };
        return Some(text);
    }
    None
}

/// ` London Daily · 2 articles · 1 unread `, fitted to `width` cells: the source goes
/// first when there is no room for all of it.
fn title(app: &App, width: usize) -> String {
    let scope = match app.feedlist().scope() {
        Some(chosen) => format!(
            " in {}",
            clean_display(&chosen.name(app.feedlist().feeds()))
        ),
        None => String::new(),
    };
    if let Some(search) = app.list().search() {
        let found = match app.list().rows() {
            _ if search.waiting => "indexing…".to_string(),
            1 => "1 match".to_string(),
            n => format!("{n} matches"),
        };
        let text = format!(" / {} · {found}{scope} ", clean_display(&search.text));
        return fit(&text, width);
    }
    // A feed or folder chosen in the feeds window: its name and its own counts.
    if let Some(chosen) = app.feedlist().scope() {
        let name = clean_display(&chosen.name(app.feedlist().feeds()));
        let listed = app.list().articles().iter();
        let unread = match listed.filter(|&&i| !app.marks().is_read(i)).count() {
            0 => String::new(),
            n => format!(" · {n} unread"),
        };
        let count = crate::text::plural(app.list().rows(), "article", "articles");
        return fit(&format!(" {name} · {count}{unread} "), width);
    }
    let unread = match app.marks().unread_count() {
        0 => String::new(),
        n => format!(" · {n} unread"),
    };
    let full = format!(" {}{unread} ", app.list_title());
    if full.width() <= width {
        return full;
    }
    let counts = app
        .list_title()
        .rsplit_once(" · ")
        .map_or(app.list_title(), |(_, count)| count);
    fit(&format!(" {counts}{unread} "), width)
}

/// [`fit`], but when the first of `hits` (byte ranges) would be cut off, the start is cut
/// instead (`…` and a few words before the hit), so the matched word stays in view.
fn fit_showing(text: &str, width: usize, hits: &[std::ops::Range<usize>]) -> String {
    const BEFORE: usize = 12;
    let Some(hit) = hits.first() else {
        return fit(text, width);
    };
    let end = hit.end.min(text.len());
    if width < BEFORE + 2 || !text.is_char_boundary(end) || text[..end].width() < width {
        return fit(text, width);
    }
    // Start a few characters before the hit, at a character boundary.
    let before = text[..hit.start.min(end)]
        .chars()
        .count()
        .saturating_sub(BEFORE);
    let start = text.char_indices().nth(before).map_or(0, |(at, _)| at);
    format!("…{}", fit(&text[start..], width - 1))
}
