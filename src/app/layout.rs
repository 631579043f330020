//! Where each pane goes for a terminal size: shared by the app (to page, clamp and map mouse
//! clicks without drawing) and by rendering, so the two always agree.

use ratatui::layout::Rect;

use crate::config::ListWidth;

/// Terminals at least this wide show the headlines and the article side by side.
pub const WIDE: u16 = 100;
/// Below this size the screen only says it is too small.
pub const MIN_WIDTH: u16 = 24;
pub const MIN_HEIGHT: u16 = 6;

/// Which pane has the keyboard (and, on a narrow terminal, the whole screen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub wide: bool,
    pub too_small: bool,
    /// The headline list with its border (empty when not shown).
    pub list: Rect,
    /// The reading pane with its border (empty when not shown).
    pub reader: Rect,
    pub status: Rect,
}

impl Areas {
    pub fn new(width: u16, height: u16, focus: Focus, list_width: ListWidth) -> Areas {
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            return Areas {
                wide: false,
                too_small: true,
                list: Rect::default(),
                reader: Rect::default(),
                status: Rect::default(),
            };
        }
        let body = Rect::new(0, 0, width, height - 1);
        let status = Rect::new(0, height - 1, width, 1);
        let wide = width >= WIDE;
        let (list, reader) = if wide {
            let list_width = list_width.columns(width);
            (
                Rect::new(0, 0, list_width, body.height),
                Rect::new(list_width, 0, width - list_width, body.height),
            )
        } else if focus == Focus::List {
            (body, Rect::default())
        } else {
            (Rect::default(), body)
        };
        Areas {
            wide,
            too_small: false,
            list,
            reader,
            status,
        }
    }

    /// The headline rows inside the list's border.
    pub fn list_inner(&self) -> Rect {
        inset(self.list, 1, 1)
    }

    /// The text area inside the reading pane's border and margin.
    pub fn reader_inner(&self) -> Rect {
        inset(self.reader, 2, 1)
    }

    /// The reading column: the pane's text area, no wider than `wrap_width`, centred.
    pub fn text_column(&self, wrap_width: u16) -> Rect {
        let inner = self.reader_inner();
        let width = inner.width.min(wrap_width);
        Rect::new(
            inner.x + (inner.width - width) / 2,
            inner.y,
            width,
            inner.height,
        )
    }
}

/// The text rows of a window over the panes holding `lines` lines, on a screen `height`
/// rows tall: the window stays inside the panes' borders (the top row, and the row above
/// the status bar) and has a border of its own.
pub fn overlay_rows(height: u16, lines: usize) -> u16 {
    let lines = u16::try_from(lines).unwrap_or(u16::MAX);
    overlay_band(height).1.saturating_sub(2).min(lines)
}

/// Where a window over the panes of `lines` lines, at most `widest` columns wide, stands in
/// `area` (the screen): centred in the band between the panes' borders, never over them;
/// `None` when it does not fit.
pub fn window_rect(area: Rect, lines: usize, widest: u16) -> Option<Rect> {
    let width = area.width.saturating_sub(4).min(widest);
    let rows = overlay_rows(area.height, lines);
    let height = rows + 2;
    if width < 3 || rows < 1 {
        return None;
    }
    let (top, band) = overlay_band(area.height);
    Some(Rect::new(
        area.x + (area.width - width) / 2,
        area.y + top + band.saturating_sub(height) / 2,
        width,
        height,
    ))
}

/// The rows a window over the panes may take on a screen `height` rows tall: from the row
/// below the panes' top border, this many (the panes' bottom border and the status bar
/// below them are left alone).
pub fn overlay_band(height: u16) -> (u16, u16) {
    (1, height.saturating_sub(3))
}

fn inset(area: Rect, horizontal: u16, vertical: u16) -> Rect {
    if area.width <= horizontal * 2 || area.height <= vertical * 2 {
        return Rect::new(area.x, area.y, 0, 0);
    }
    Rect::new(
        area.x + horizontal,
        area.y + vertical,
        area.width - horizontal * 2,
        area.height - vertical * 2,
    )
}
