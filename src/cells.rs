//! Text made to fit a number of terminal cells: cut at its end or in its middle, and a
//! message shortened in its path so that it still says what it said.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Cuts text to at most `width` terminal cells, ending in `…` when it was cut. Wide characters
/// take two cells and combining marks none.
pub fn fit(text: &str, width: usize) -> String {
    let cells = |c: char| c.width().unwrap_or(0);
    let total: usize = text.chars().map(cells).sum();
    if total <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = cells(c);
        if used + w > width - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Cuts text to at most `width` cells by taking out its middle (`…` in its place), so that its
/// start and its end (a path's file name, say) are both kept.
pub fn fit_middle(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width < 3 {
        return fit(text, width);
    }
    let cells = |c: &char| c.width().unwrap_or(0);
    let room = width - 1;
    let (mut head, mut used) = (String::new(), 0);
    for c in text.chars() {
        if used + cells(&c) > room / 2 {
            break;
        }
        used += cells(&c);
        head.push(c);
    }
    let mut tail: Vec<char> = Vec::new();
    for c in text.chars().rev() {
        if used + cells(&c) > room {
            break;
        }
        used += cells(&c);
        tail.push(c);
    }
    tail.reverse();
    format!("{head}…{}", tail.into_iter().collect::<String>())
}

/// A message made to fit `width` cells where it can be without changing what it says: its
/// path (from a word that starts one, `/`, `~/` or `scheme://`, to the end of the last word
/// with a `/`, spaces and all) loses its middle, its file name kept whole. A message with no
/// path, or still too long, comes back as long as it can be made; the caller wraps it.
pub fn shorten_message(text: &str, width: usize) -> String {
    let excess = text.width().saturating_sub(width);
    if excess == 0 {
        return text.to_string();
    }
    let Some(span) = path_in(text) else {
        return text.to_string();
    };
    let path = &text[span.clone()];
    let name = path.rsplit('/').next().unwrap_or(path);
    let keep = path.width().saturating_sub(excess).max(name.width() + 8);
    if keep >= path.width() {
        return text.to_string();
    }
    format!(
        "{}{}{}",
        &text[..span.start],
        fit_path(path, keep),
        &text[span.end..]
    )
}

/// A path cut to `keep` cells in its folders, its file name kept whole while there is room.
fn fit_path(path: &str, keep: usize) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let folder = &path[..path.len() - name.len()];
    if name.width() + 6 <= keep {
        format!("{}{name}", fit_middle(folder, keep - name.width()))
    } else {
        fit_middle(path, keep)
    }
}

/// Where the path in a message is, as [`shorten_message`] finds it.
fn path_in(text: &str) -> Option<std::ops::Range<usize>> {
    let words = || {
        text.split(' ').scan(0, |at, word| {
            let start = *at;
            *at += word.len() + 1;
            Some((start, word))
        })
    };
    let (start, _) =
        words().find(|(_, w)| w.starts_with('/') || w.starts_with("~/") || w.contains("://"))?;
    let (last, word) = words()
        .filter(|(at, w)| *at >= start && w.contains('/'))
        .last()?;
    let end = last + word.trim_end_matches([':', ',', '.', ';', ')']).len();
    Some(start..end)
}
