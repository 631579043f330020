//! A story's lead picture as the page format keeps it: an `Image: URL caption` line between
//! the masthead and the dateline, its address http(s) only, its caption one clean line.

use crate::text::one_line;

/// A story's lead picture: its address, and its caption (or alt text) when it has one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Picture {
    pub url: String,
    pub caption: Option<String>,
}

/// The page line's name: `Image: https://… caption`.
pub const LINE: &str = "Image:";

impl Picture {
    /// A picture at `url` (which must be http or https, with no space in it), its caption
    /// made one clean line (an empty one is none).
    pub fn new(url: &str, caption: Option<&str>) -> Option<Picture> {
        let url = url.trim();
        let ok = (starts_with_ignoring_case(url, "https://")
            || starts_with_ignoring_case(url, "http://"))
            && url.len() <= MAX_URL
            && !url.chars().any(|c| c.is_whitespace() || c.is_control());
        ok.then(|| Picture {
            url: url.to_string(),
            caption: caption.map(one_line).filter(|c| !c.is_empty()),
        })
    }

    /// The picture read from its page line: `Image: URL`, then the caption, if any, after a
    /// space.
    pub fn of_line(line: &str) -> Option<Picture> {
        let rest = line.strip_prefix(LINE)?.trim();
        let (url, caption) = match rest.split_once(char::is_whitespace) {
            Some((url, caption)) => (url, Some(caption)),
            None => (rest, None),
        };
        Picture::new(url, caption)
    }

    /// The picture as its page line (no newline).
    pub fn line(&self) -> String {
        match &self.caption {
            Some(caption) => format!("{LINE} {} {caption}", self.url),
            None => format!("{LINE} {}", self.url),
        }
    }

    /// `[photo: caption]` (or `[photo]`): the picture where it cannot be drawn.
    pub fn placeholder(&self) -> String {
        match &self.caption {
            Some(caption) => format!("[photo: {caption}]"),
            None => "[photo]".to_string(),
        }
    }
}

/// The longest picture address kept (longer ones are not pictures but data).
pub const MAX_URL: usize = 2048;

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_line_is_read_back_as_written() {
        let p = Picture::new("https://x.example/a b.jpg", None);
        assert_eq!(p, None, "a space is not part of an address");
        let p = Picture::new("https://x.example/a.jpg", Some("  Two\nlines \u{1b}[2J ")).unwrap();
        assert_eq!(p.caption.as_deref(), Some("Two lines"));
        assert_eq!(p.line(), "Image: https://x.example/a.jpg Two lines");
        assert_eq!(Picture::of_line(&p.line()), Some(p.clone()));
        let bare = Picture::new("HTTP://x.example/b.png", Some("")).unwrap();
        assert_eq!(bare.caption, None);
        assert_eq!(Picture::of_line(&bare.line()), Some(bare));
        for bad in [
            "Image: ftp://x/a.jpg",
            "Image: /a.jpg",
            "Image:",
            "Image: javascript:alert(1)",
        ] {
            assert_eq!(Picture::of_line(bad), None, "{bad}");
        }
        assert_eq!(p.placeholder(), "[photo: Two lines]");
    }
}
