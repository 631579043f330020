//! Colours and text styles of the reader. The defaults lean on bold, dim, reverse and
//! underline, which read on dark and light terminals alike; colours are an accent on top and
//! vanish entirely with `NO_COLOR` or `theme = "none"`.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};

/// The colour slots `[theme]` may set.
pub const SLOTS: [&str; 5] = ["accent", "link", "error", "selection", "status"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Colours at all; without them the screen relies on bold, reverse and underline.
    pub color: bool,
    /// Titles and the reading pane's headline.
    pub accent: Color,
    /// Links to other articles.
    pub link: Color,
    /// Error messages.
    pub error: Color,
    /// The selected headline's background (`Reset`: reverse video).
    pub selection: Color,
    /// The status bar's background (`Reset`: reverse video).
    pub status: Color,
}

impl Default for Theme {
    fn default() -> Theme {
        Theme {
            color: true,
            accent: Color::Blue,
            link: Color::Blue,
            error: Color::Red,
            selection: Color::Reset,
            status: Color::Reset,
        }
    }
}

impl Theme {
    /// Monochrome: selection, links and focus still show, through reverse, bold and underline.
    pub fn none() -> Theme {
        Theme {
            color: false,
            ..Theme::default()
        }
    }

    /// Sets one slot from a colour name (`red`, `lightblue`), an index (`208`) or `#rrggbb`.
    pub fn set(&mut self, slot: &str, value: &str) -> Result<(), String> {
        let color = Color::from_str(value).map_err(|_| {
            format!("'{value}' is not a colour (a name such as \"blue\", an index such as \"208\", or \"#rrggbb\")")
        })?;
        match slot {
            "accent" => self.accent = color,
            "link" => self.link = color,
            "error" => self.error = color,
            "selection" => self.selection = color,
            "status" => self.status = color,
            _ => {
                return Err(format!(
                    "unknown theme colour '{slot}' (known: {})",
                    SLOTS.join(", ")
                ));
            }
        }
        Ok(())
    }

    fn fg(&self, color: Color) -> Style {
        if self.color && color != Color::Reset {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    fn bg_or_reverse(&self, color: Color) -> Style {
        if self.color && color != Color::Reset {
            Style::new().bg(color)
        } else {
            Style::new().add_modifier(Modifier::REVERSED)
        }
    }

    pub fn title(&self) -> Style {
        self.fg(self.accent).add_modifier(Modifier::BOLD)
    }

    pub fn headline(&self) -> Style {
        self.fg(self.accent).add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub fn standfirst(&self) -> Style {
        Style::new().add_modifier(Modifier::ITALIC)
    }

    pub fn subheading(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn link(&self) -> Style {
        self.fg(self.link).add_modifier(Modifier::UNDERLINED)
    }

    pub fn link_focused(&self) -> Style {
        self.link()
            .add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn selected(&self) -> Style {
        self.bg_or_reverse(self.selection)
            .add_modifier(Modifier::BOLD)
    }

    pub fn status(&self) -> Style {
        self.bg_or_reverse(self.status)
    }

    /// An unread headline.
    pub fn unread(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// A search hit in a headline or the article.
    pub fn hit(&self) -> Style {
        if self.color {
            Style::new()
                .fg(ratatui::style::Color::Black)
                .bg(ratatui::style::Color::Yellow)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED | Modifier::BOLD)
        }
    }

    /// The bookmark and unread markers before a headline.
    pub fn marker(&self) -> Style {
        self.fg(self.accent)
    }

    pub fn error(&self) -> Style {
        self.fg(self.error).add_modifier(Modifier::BOLD)
    }

    pub fn border(&self, focused: bool) -> Style {
        if focused {
            self.fg(self.accent)
        } else {
            self.dim()
        }
    }
}
