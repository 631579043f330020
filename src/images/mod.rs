//! Pictures on the reader's screen: when they are downloaded (`images` in config.toml), the
//! cache of downloaded files ([`store`]), decoding within memory limits and fitting to the
//! reading column ([`draw`]), and what the terminal can draw them with ([`terminal`]). A
//! story's picture is a [`Picture`] (the page's `Image:` line); which one leads a story, and
//! downloading it, are the feeds' ([`crate::feeds::lead_picture`],
//! [`crate::feeds::picture_download`]).

pub mod draw;
pub mod store;
pub mod terminal;

pub use crate::picture::Picture;

/// When pictures are downloaded (`images` in config.toml).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// With the news, when a story is fetched: opening an article tells no server what is
    /// read.
    #[default]
    Fetch,
    /// When the article is first opened.
    Open,
    /// Never: no picture is downloaded or drawn.
    Off,
}

impl Mode {
    pub fn parse(value: &str) -> Option<Mode> {
        match value {
            "fetch" => Some(Mode::Fetch),
            "open" => Some(Mode::Open),
            "off" => Some(Mode::Off),
            _ => None,
        }
    }
}

/// How the reader draws pictures (`image_protocol` in config.toml): `auto` asks the terminal
/// what it can draw; the others say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Protocol {
    #[default]
    Auto,
    Kitty,
    Sixel,
    Iterm2,
    Halfblocks,
}

impl Protocol {
    pub fn parse(value: &str) -> Option<Protocol> {
        match value {
            "auto" => Some(Protocol::Auto),
            "kitty" => Some(Protocol::Kitty),
            "sixel" => Some(Protocol::Sixel),
            "iterm2" => Some(Protocol::Iterm2),
            "halfblocks" => Some(Protocol::Halfblocks),
            _ => None,
        }
    }
}

/// What the picture settings are.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub mode: Mode,
    pub protocol: Protocol,
    /// The most the cache of downloaded pictures holds, in bytes.
    pub cache_bytes: u64,
    /// Where the downloaded pictures are kept.
    pub cache_dir: std::path::PathBuf,
    /// Whether the reader shows pictures when it starts (`P` turns them off and on).
    pub shown: bool,
}
