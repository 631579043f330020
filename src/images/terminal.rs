//! What the terminal can draw pictures with: asked of the terminal itself (kitty's graphics
//! protocol, sixel, iTerm2's, else half blocks; inside tmux too) by ratatui-image, once, when
//! the reader starts, or as config.toml's `image_protocol` says (then nothing is asked).

use std::time::Duration;

use ratatui_image::picker::{Picker, ProtocolType, cap_parser::QueryStdioOptions};

use crate::images::{Mode, Protocol, Settings};

/// How long the terminal has to answer (a terminal answers in a few milliseconds; one over
/// a slow link may take longer).
const ANSWER_WITHIN: Duration = Duration::from_millis(500);

/// How pictures are drawn in this terminal. `drawable` is false where pictures are not drawn
/// at all (no colour): then, as with `images = "off"`, the terminal is not asked.
pub fn picker(settings: &Settings, drawable: bool) -> Picker {
    let chosen = match settings.protocol {
        Protocol::Auto if settings.mode == Mode::Off || !drawable => ProtocolType::Halfblocks,
        Protocol::Auto => {
            let options = QueryStdioOptions {
                timeout: ANSWER_WITHIN,
                ..QueryStdioOptions::default()
            };
            return Picker::from_query_stdio_with_options(options)
                .unwrap_or_else(|_| Picker::halfblocks());
        }
        Protocol::Kitty => ProtocolType::Kitty,
        Protocol::Sixel => ProtocolType::Sixel,
        Protocol::Iterm2 => ProtocolType::Iterm2,
        Protocol::Halfblocks => ProtocolType::Halfblocks,
    };
    let mut picker = Picker::halfblocks();
    picker.set_protocol_type(chosen);
    picker
}
