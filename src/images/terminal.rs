//! What the terminal can draw pictures with, asked once when the reader starts (before the
//! first frame, while nothing else reads the keyboard): kitty's graphics protocol, sixel
//! (from the terminal's device attributes), the size of a cell in pixels, and a status
//! request that every terminal answers, which ends the question. The answer is read here,
//! within [`ANSWER_WITHIN`], and nothing is left reading the keyboard after it, so a terminal
//! that does not answer costs that long once and loses no key. iTerm2's protocol is told by
//! its environment (ratatui-image's own rules), and half blocks are the fallback everywhere.
//! Inside tmux the questions go to the terminal outside it. `image_protocol` in config.toml
//! skips the question.

use std::time::{Duration, Instant};

use ratatui_image::FontSize;
use ratatui_image::picker::{Picker, ProtocolType};

use crate::images::{Mode, Protocol, Settings};

/// How long the terminal has to answer (a terminal answers within a few milliseconds).
pub const ANSWER_WITHIN: Duration = Duration::from_millis(300);

/// The size of a cell when the terminal does not say.
const CELL: FontSize = FontSize::new(10, 20);

/// How pictures are drawn in this terminal. `drawable` is false where pictures are not drawn
/// at all (no colour): then, as with `images = "off"`, the terminal is not asked.
pub fn picker(settings: &Settings, drawable: bool) -> Picker {
    let chosen = match settings.protocol {
        Protocol::Auto if settings.mode == Mode::Off || !drawable => {
            return Picker::halfblocks();
        }
        Protocol::Auto => None,
        Protocol::Kitty => Some(ProtocolType::Kitty),
        Protocol::Sixel => Some(ProtocolType::Sixel),
        Protocol::Iterm2 => Some(ProtocolType::Iterm2),
        Protocol::Halfblocks => Some(ProtocolType::Halfblocks),
    };
    let answer = match chosen {
        None if in_tmux() => {
            // Pictures (and the questions) pass through tmux only once it lets them, which
            // making a picker sees to.
            drop(Picker::halfblocks());
            ask(true)
        }
        None => ask(false),
        Some(_) => Answer::default(),
    };
    let cell = answer.cell.or_else(cell_from_window).unwrap_or(CELL);
    // Knows tmux (and lets pictures through it) and iTerm2 by their environment.
    #[allow(deprecated)]
    let mut picker = Picker::from_fontsize(cell);
    // WezTerm and Konsole answer both questions but draw neither well (kitty's placeholders,
    // Konsole's sixel): ratatui-image's own list, kept here. WezTerm draws iTerm2's, which its
    // environment tells.
    let flawed = ["WEZTERM_EXECUTABLE", "KONSOLE_VERSION"]
        .iter()
        .any(|name| std::env::var(name).is_ok_and(|v| !v.is_empty()));
    let found = match (answer.kitty, answer.sixel) {
        _ if flawed => None,
        (true, _) => Some(ProtocolType::Kitty),
        (false, true) => Some(ProtocolType::Sixel),
        _ => None,
    };
    if let Some(protocol) = chosen.or(found) {
        picker.set_protocol_type(protocol);
    }
    picker
}

fn in_tmux() -> bool {
    std::env::var("TERM").is_ok_and(|t| t.starts_with("tmux"))
        || std::env::var("TMUX").is_ok_and(|t| !t.is_empty())
}

/// What the terminal said it can do.
#[derive(Debug, Default)]
pub struct Answer {
    pub kitty: bool,
    pub sixel: bool,
    /// The size of a cell in pixels.
    pub cell: Option<FontSize>,
    /// How many status requests were answered (after each, the answers asked before it
    /// are in).
    pub statuses: usize,
}

/// The questions: kitty's (a one-pixel query image), the device attributes (sixel is
/// attribute 4), the cell size in pixels, and the status request that ends them. Inside
/// tmux they are passed through to the terminal outside, and a status request of tmux's
/// own follows (answered at once, by tmux itself: a terminal outside that has not answered
/// soon after is taken to be none).
pub fn questions(tmux: bool) -> String {
    let asked = "\x1b_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\x1b\\\x1b[c\x1b[16t\x1b[5n";
    if tmux {
        format!(
            "\x1bPtmux;{}\x1b\\\x1b[5n",
            asked.replace('\x1b', "\x1b\x1b")
        )
    } else {
        asked.to_string()
    }
}

/// How long a terminal outside tmux has, once tmux has answered.
const AFTER_TMUX: Duration = Duration::from_millis(60);

/// Reads what a terminal answered (any other bytes are passed over).
pub fn read_answer(bytes: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(bytes);
    let mut answer = Answer {
        kitty: text.contains("\x1b_Gi=31;OK"),
        ..Answer::default()
    };
    for csi in text.split("\x1b[").skip(1) {
        // The parameters and the final character of each control sequence.
        let end = csi
            .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == '?'))
            .unwrap_or(csi.len());
        let (params, last) = (&csi[..end], csi[end..].chars().next());
        match last {
            Some('c') if params.starts_with('?') => {
                answer.sixel = params[1..].split(';').any(|p| p == "4");
            }
            Some('t') => {
                let numbers: Vec<u16> = params.split(';').filter_map(|p| p.parse().ok()).collect();
                if let [6, height, width] = numbers[..]
                    && height > 0
                    && width > 0
                {
                    answer.cell = Some(FontSize::new(width, height));
                }
            }
            Some('n') if params == "0" || params == "3" => answer.statuses += 1,
            _ => {}
        }
    }
    answer
}

/// Asks the terminal on standard output and reads its answer from standard input until the
/// status request is answered or [`ANSWER_WITHIN`] has passed.
#[cfg(unix)]
fn ask(tmux: bool) -> Answer {
    use std::io::IsTerminal;
    use std::io::Write;
    if !std::io::stdin().is_terminal() {
        return Answer::default();
    }
    let mut out = std::io::stdout();
    if out
        .write_all(questions(tmux).as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return Answer::default();
    }
    let mut deadline = Instant::now() + ANSWER_WITHIN;
    let statuses = if tmux { 2 } else { 1 };
    let mut heard = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        let mut ready = libc::pollfd {
            fd: libc::STDIN_FILENO,
            events: libc::POLLIN,
            revents: 0,
        };
        let wait = i32::try_from(left.as_millis()).unwrap_or(i32::MAX).max(1);
        // SAFETY: one pollfd, which lives across the call.
        if unsafe { libc::poll(&mut ready, 1, wait) } <= 0 {
            break;
        }
        let mut buf = [0u8; 256];
        // SAFETY: reads at most the buffer's length into it.
        let n = unsafe { libc::read(libc::STDIN_FILENO, buf.as_mut_ptr().cast(), buf.len()) };
        let Ok(n) = usize::try_from(n) else { break };
        if n == 0 {
            break;
        }
        heard.extend_from_slice(&buf[..n]);
        let answered = read_answer(&heard).statuses;
        if answered >= statuses || heard.len() > 4096 {
            break;
        }
        if tmux && answered == 1 {
            deadline = deadline.min(Instant::now() + AFTER_TMUX);
        }
    }
    read_answer(&heard)
}

#[cfg(not(unix))]
fn ask(_tmux: bool) -> Answer {
    Answer::default()
}

/// The cell size from the window's size in pixels, where the terminal gives it.
#[cfg(unix)]
fn cell_from_window() -> Option<FontSize> {
    let mut size = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ fills the winsize it is given.
    let asked = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) };
    (asked == 0 && size.ws_col > 0 && size.ws_row > 0 && size.ws_xpixel > 0 && size.ws_ypixel > 0)
        .then(|| FontSize::new(size.ws_xpixel / size.ws_col, size.ws_ypixel / size.ws_row))
        .filter(|f| f.width > 0 && f.height > 0)
}

#[cfg(not(unix))]
fn cell_from_window() -> Option<FontSize> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminals_answer_is_read_whatever_else_comes_with_it() {
        // kitty: its graphics answer, attributes without sixel, a cell of 9x18, the status.
        let kitty = read_answer(b"\x1b_Gi=31;OK\x1b\\\x1b[?62;22c\x1b[6;18;9t\x1b[0n");
        assert!(kitty.kitty && !kitty.sixel && kitty.statuses == 1);
        assert_eq!(kitty.cell.map(|f| (f.width, f.height)), Some((9, 18)));
        // A sixel terminal that knows no cell size; a key typed meanwhile is passed over.
        let sixel = read_answer(b"j\x1b[?63;1;4;6c\x1b[0n");
        assert!(!sixel.kitty && sixel.sixel && sixel.statuses == 1 && sixel.cell.is_none());
        // Half an answer is not done.
        assert_eq!(read_answer(b"\x1b[?62;22c").statuses, 0);
        assert!(!read_answer(b"\x1b[?62;14c\x1b[6;0;0t").sixel);
        // Inside tmux the questions pass through, escapes doubled.
        let through = questions(true);
        assert!(through.starts_with("\x1bPtmux;\x1b\x1b_G") && through.ends_with("\x1b\\\x1b[5n"));
    }
}
