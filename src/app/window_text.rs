//! The text of the help and problems windows, wrapped to the window's width: one list of
//! screen rows that the window draws and that its scrolling counts, so the two never differ.

use unicode_width::UnicodeWidthStr;

use crate::action::Action;
use crate::app::App;

/// The help window's widest size, room for keys, description and config name.
pub const HELP_WIDTH: u16 = 82;
/// The problems window's widest size.
pub const PROBLEMS_WIDTH: u16 = 110;
/// The keys column's widest size; longer lists of keys are cut with `…`.
const KEYS_WIDTH: usize = 24;

/// One screen row of the help: keys (on an entry's first row only), a piece of what the
/// action does and its name in config.toml (on the entry's first row, or a row of its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpRow {
    pub keys: String,
    pub describe: String,
    pub name: &'static str,
}

/// The width inside a window of at most `widest` cells on a screen `screen` cells wide.
pub fn inner_width(screen: u16, widest: u16) -> usize {
    usize::from(screen.saturating_sub(4).min(widest).saturating_sub(2))
}

/// `text` wrapped to `width` cells (at least one), its later rows indented by `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> Vec<String> {
    let options = textwrap::Options::new(width.max(1))
        .subsequent_indent(indent)
        .break_words(true);
    textwrap::wrap(text, options)
        .into_iter()
        .map(|row| row.into_owned())
        .collect()
}

impl App {
    /// Every bindable action with its keys, as the help lists them (keys, what it does,
    /// name); then the prompt's own keys and the saved searches.
    pub fn help_entries(&self) -> Vec<(String, String, &'static str)> {
        Action::BINDABLE
            .iter()
            .map(|&a| {
                let keys: Vec<String> = (self.settings.keymap.keys(a).iter())
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
            .chain(self.settings.searches.iter().map(|s| {
                let query = crate::text::clean_display(&s.query);
                (s.key.clone(), format!("search: {query}"), "[searches]")
            }))
            .collect()
    }

    /// The help as screen rows `width` cells wide: keys, then the description wrapped in its
    /// column, then the config name beside it, or under it when the two do not fit side by side.
    pub fn help_rows(&self, width: usize) -> Vec<HelpRow> {
        let entries = self.help_entries();
        let key_width = (entries.iter().map(|(k, _, _)| k.width()).max())
            .unwrap_or(0)
            .min(KEYS_WIDTH);
        let name_width = entries.iter().map(|(_, _, n)| n.len()).max().unwrap_or(0);
        let room = width.saturating_sub(key_width + 2);
        // The names have a column of their own while the descriptions keep 16 cells.
        let beside = room >= name_width + 2 + 16;
        let longest = entries.iter().map(|(_, d, _)| d.width()).max().unwrap_or(0);
        let column = if beside {
            longest.min(room - name_width - 2)
        } else {
            room
        };
        let mut rows = Vec::new();
        for (keys, describe, name) in entries {
            let keys = crate::cells::fit(&keys, key_width);
            let pieces = wrap(&describe, column, "  ");
            for (i, piece) in pieces.into_iter().enumerate() {
                // Beside the names, padded to their column.
                let pad = if beside {
                    column.saturating_sub(piece.width()) + 2
                } else {
                    0
                };
                rows.push(HelpRow {
                    keys: if i == 0 { keys.clone() } else { String::new() },
                    describe: format!("{piece}{}", " ".repeat(pad)),
                    name: if beside && i == 0 { name } else { "" },
                });
            }
            if !beside && !name.is_empty() {
                rows.push(HelpRow {
                    keys: String::new(),
                    describe: String::new(),
                    name,
                });
            }
        }
        // Pad the keys so every description starts in one column.
        for row in &mut rows {
            let pad = key_width.saturating_sub(row.keys.width());
            row.keys = format!("{}{}  ", row.keys, " ".repeat(pad));
        }
        rows
    }

    /// The problems as screen rows `width` cells wide: every file's problem, then every feed
    /// that failed, then every picture that could not be shown, each wrapped with its later rows indented.
    pub fn problem_rows(&self, width: usize) -> Vec<String> {
        let diagnostics = self.library.diagnostics().iter().map(ToString::to_string);
        let feeds = self.background.feed_problems().iter().cloned();
        let pictures = self.pictures.problems().iter().cloned();
        diagnostics
            .chain(feeds)
            .chain(pictures)
            .flat_map(|problem| wrap(&problem, width, "    "))
            .collect()
    }
}
