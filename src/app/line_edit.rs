//! A one-line text prompt (a bookmark's note, a search): the text, a cursor in it, and the
//! editing keys a shell line has. Pure: keys in, text out; drawing is [`crate::ui::status`]'s.

use crossterm::event::{KeyCode, KeyModifiers};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::key::Key;

/// What a key did to the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The text or the cursor changed (or nothing did).
    Editing,
    /// Enter: take the text.
    Accept,
    /// Esc: drop it.
    Cancel,
}

/// The most characters a prompt takes: a line, not a document.
const LONGEST: usize = 1000;

/// The prompt's text and its cursor. The cursor moves, and Backspace and Delete remove, by
/// grapheme cluster (what a reader sees as one character: `e` with a combining accent, a flag,
/// an emoji joined of several); the view measures them in terminal cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEdit {
    text: String,
    /// The cursor, in grapheme clusters from the start.
    cursor: usize,
}

impl LineEdit {
    /// A prompt holding `text` with the cursor at its end.
    pub fn new(text: &str) -> LineEdit {
        let text: String = text
            .chars()
            .filter(|c| !c.is_control())
            .take(LONGEST)
            .collect();
        let mut edit = LineEdit { text, cursor: 0 };
        edit.cursor = edit.len();
        edit
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor, in grapheme clusters from the start.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn clusters(&self) -> Vec<&str> {
        self.text.graphemes(true).collect()
    }

    /// The byte where cluster `at` starts (the text's end past the last).
    fn byte(&self, at: usize) -> usize {
        (self.text.grapheme_indices(true).nth(at)).map_or(self.text.len(), |(b, _)| b)
    }

    fn len(&self) -> usize {
        self.text.graphemes(true).count()
    }

    /// Where the word before the cursor starts (as ctrl-w and alt-backspace see it).
    fn word_start(&self) -> usize {
        let clusters = self.clusters();
        let blank = |g: &str| g.chars().all(char::is_whitespace);
        let mut at = self.cursor.min(clusters.len());
        while at > 0 && blank(clusters[at - 1]) {
            at -= 1;
        }
        while at > 0 && !blank(clusters[at - 1]) {
            at -= 1;
        }
        at
    }

    fn delete(&mut self, from: usize, to: usize) {
        let (a, b) = (self.byte(from), self.byte(to));
        self.text.replace_range(a..b, "");
        self.cursor = from;
    }

    pub fn key(&mut self, key: Key) -> Edit {
        // Alt keys taken here: keep [`takes_alt`] in step.
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let alt = key.modifiers.contains(KeyModifiers::ALT);
        match key.code {
            KeyCode::Enter => return Edit::Accept,
            KeyCode::Esc => return Edit::Cancel,
            KeyCode::Char('c' | 'g') if ctrl => return Edit::Cancel,
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.len(),
            KeyCode::Char('b') if ctrl => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Char('f') if ctrl => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Char('u') if ctrl => self.delete(0, self.cursor),
            KeyCode::Char('k') if ctrl => self.delete(self.cursor, self.len()),
            KeyCode::Char('w') if ctrl => self.delete(self.word_start(), self.cursor),
            KeyCode::Backspace if alt || ctrl => self.delete(self.word_start(), self.cursor),
            KeyCode::Char(c)
                if !ctrl && !alt && !c.is_control() && self.text.chars().count() < LONGEST =>
            {
                let before = self.byte(self.cursor);
                let after = self.text.len() - before;
                self.text.insert(before, c);
                // A combining mark joins the cluster before it: the cursor stays after
                // whatever cluster the new character ended up in.
                let end = self.text.len() - after;
                self.cursor = self.text[..end].graphemes(true).count();
            }
            KeyCode::Backspace if self.cursor > 0 => self.delete(self.cursor - 1, self.cursor),
            KeyCode::Delete if self.cursor < self.len() => {
                self.delete(self.cursor, self.cursor + 1)
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(self.len()),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.len(),
            _ => {}
        }
        Edit::Editing
    }

    /// The part of the text to show in `width` cells, and the cell the cursor is on: the
    /// text scrolls sideways to keep the cursor in view, one cell kept free for it. A cluster
    /// is shown whole or not at all, so the cursor never lands inside a wide character.
    pub fn view(&self, width: usize) -> (String, usize) {
        let clusters = self.clusters();
        let cells = |g: &str| g.width();
        let room = width.saturating_sub(1);
        let cursor = self.cursor.min(clusters.len());
        // Start as far left as lets the cursor show.
        let mut start = cursor;
        let mut used = 0;
        while start > 0 && used + cells(clusters[start - 1]) <= room {
            used += cells(clusters[start - 1]);
            start -= 1;
        }
        let mut shown = String::new();
        let mut total = 0;
        for &g in &clusters[start..] {
            if total + cells(g) > room {
                break;
            }
            shown.push_str(g);
            total += cells(g);
        }
        (shown, used)
    }
}

/// Whether the editor does something of its own with Alt and this key (Alt+Backspace
/// deletes a word); any other Alt key is Esc and the key.
pub fn takes_alt(code: KeyCode) -> bool {
    code == KeyCode::Backspace
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(edit: &mut LineEdit, keys: &[(KeyCode, KeyModifiers)]) {
        for &(code, modifiers) in keys {
            edit.key(Key::new(code, modifiers));
        }
    }

    #[test]
    fn types_moves_and_deletes_by_character_not_byte() {
        let mut edit = LineEdit::new("naïve");
        let none = KeyModifiers::NONE;
        typed(
            &mut edit,
            &[
                (KeyCode::Left, none),
                (KeyCode::Left, none),
                (KeyCode::Backspace, none),
                (KeyCode::Char('ï'), none),
                (KeyCode::Home, none),
                (KeyCode::Delete, none),
                (KeyCode::Char('N'), none),
            ],
        );
        assert_eq!(edit.text(), "Naïve");
        assert_eq!(edit.cursor(), 1);
    }

    #[test]
    fn ctrl_w_deletes_the_word_before_the_cursor_and_ctrl_u_the_line_before_it() {
        let mut edit = LineEdit::new("read this later  ");
        edit.key(Key::new(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(edit.text(), "read this ");
        edit.key(Key::new(KeyCode::Left, KeyModifiers::NONE));
        edit.key(Key::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(edit.text(), " ");
        assert_eq!(
            edit.key(Key::new(KeyCode::Enter, KeyModifiers::NONE)),
            Edit::Accept
        );
    }

    #[test]
    fn a_character_of_several_code_points_is_one_step_of_the_cursor_and_of_backspace() {
        let none = KeyModifiers::NONE;
        // `e` and a combining acute accent: one character to the reader.
        let mut edit = LineEdit::new("cafe\u{301}");
        assert_eq!(edit.cursor(), 4);
        typed(&mut edit, &[(KeyCode::Backspace, none)]);
        assert_eq!(edit.text(), "caf");
        // Typed as two keys, the accent joins the `e`: still one step.
        typed(
            &mut edit,
            &[(KeyCode::Char('e'), none), (KeyCode::Char('\u{301}'), none)],
        );
        assert_eq!((edit.text(), edit.cursor()), ("cafe\u{301}", 4));
        typed(&mut edit, &[(KeyCode::Left, none), (KeyCode::Delete, none)]);
        assert_eq!(edit.text(), "caf");
        // A family emoji joined of five code points, and a flag of two.
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        let mut edit = LineEdit::new(&format!("a{family}b\u{1F1EC}\u{1F1E7}"));
        assert_eq!(edit.cursor(), 4);
        typed(&mut edit, &[(KeyCode::Backspace, none)]);
        assert_eq!(edit.text(), format!("a{family}b"));
        typed(
            &mut edit,
            &[(KeyCode::Left, none), (KeyCode::Backspace, none)],
        );
        assert_eq!(edit.text(), "ab");
        assert_eq!(edit.cursor(), 1);
    }

    #[test]
    fn the_cursor_never_lands_inside_a_wide_character() {
        let none = KeyModifiers::NONE;
        let mut edit = LineEdit::new("漢字x");
        typed(&mut edit, &[(KeyCode::Left, none), (KeyCode::Left, none)]);
        // After `漢`: the cursor is on cell 2, the first cell of `字`.
        assert_eq!(edit.view(20), ("漢字x".to_string(), 2));
        let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        let mut edit = LineEdit::new(&format!("{family}{family}"));
        typed(&mut edit, &[(KeyCode::Left, none)]);
        let (shown, cursor) = edit.view(20);
        assert_eq!(shown, format!("{family}{family}"));
        assert_eq!(cursor, family.width());
    }

    #[test]
    fn the_view_scrolls_to_keep_the_cursor_in_a_narrow_prompt() {
        let edit = LineEdit::new("漢字漢字abc");
        // Six cells of room: the cursor (at the end) and the five cells before it.
        let (shown, cursor) = edit.view(6);
        assert_eq!(shown, "字abc");
        assert_eq!(cursor, 5);
        let mut edit = edit;
        edit.key(Key::new(KeyCode::Home, KeyModifiers::NONE));
        assert_eq!(edit.view(6), ("漢字".to_string(), 0));
    }
}
