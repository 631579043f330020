//! The headline list's width beside the article (`list_width` in config.toml): a share of
//! the terminal or a number of columns, and how many columns either gives.

/// The headline list's width beside the article (`list_width`): a share of the terminal's
/// width, or a number of columns. Either way each pane keeps at least a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListWidth {
    Percent(u16),
    Columns(u16),
}

/// The list's share by default: at 120 columns, 54 for the headlines and 66 for the article.
pub const DEFAULT_LIST_WIDTH: ListWidth = ListWidth::Percent(45);

impl ListWidth {
    /// The list's columns on a terminal `width` wide.
    pub fn columns(self, width: u16) -> u16 {
        let wanted = match self {
            ListWidth::Percent(p) => u32::from(width) * u32::from(p) / 100,
            ListWidth::Columns(c) => u32::from(c),
        };
        let (least, most) = (u32::from(width) / 4, u32::from(width) * 3 / 4);
        wanted.clamp(least, most) as u16
    }

    /// `45%` or `50`, as config.toml spells it.
    pub(super) fn parse(value: &toml::Value) -> Option<ListWidth> {
        match value {
            toml::Value::Integer(c) => u16::try_from(*c)
                .ok()
                .filter(|c| *c >= 10)
                .map(ListWidth::Columns),
            toml::Value::String(text) => {
                let percent: u16 = text.trim().strip_suffix('%')?.trim().parse().ok()?;
                (10..=90)
                    .contains(&percent)
                    .then_some(ListWidth::Percent(percent))
            }
            _ => None,
        }
    }
}
