//! An article laid out for the reading pane at one width: wrapped lines that remember where in
//! the text they start, and the links to other articles (`Related stories`, `More like this`,
//! `Linked from`) with the lines they occupy. Pure; the app caches one per article and width,
//! so a key press never re-wraps.

use crate::article::{Article, Block, TextPosition};
use crate::headers::Head;
use crate::library::Library;
use crate::outline;
use crate::related::Answer;
use crate::text::clean_display;

/// What a line of the page is, which decides how it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Headline,
    Byline,
    Standfirst,
    Paragraph,
    Subheading,
    Blank,
    /// The title of a section after the body (`Related stories`).
    Section,
    /// Part of link number n (an index into [`ArticleView::links`]).
    Link(usize),
    /// A related headline the library does not hold.
    DeadLink,
    /// A remark of the reader's own (`finding similar stories…`).
    Note,
    /// A row the story's picture is drawn over.
    Picture,
    /// The picture's caption, or `[photo: caption]` where the picture is not drawn.
    Caption,
}

/// How the story's picture stands under the byline.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PictureLayout {
    /// Drawn over this many rows, its caption (if any) beneath.
    Drawn { rows: u16, caption: Option<String> },
    /// Not drawn: this line (`[photo: caption]`) stands for it.
    Placeholder(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLine {
    pub kind: LineKind,
    pub text: String,
    pub start: TextPosition,
}

/// A link to another article of the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The target's position in the library's reading order.
    pub target: usize,
    /// The page lines the link is drawn on (first and last, inclusive).
    pub lines: (usize, usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleView {
    pub lines: Vec<PageLine>,
    pub links: Vec<Link>,
    /// The first of the rows the picture is drawn over, and how many there are.
    pub picture: Option<(usize, u16)>,
}

/// The marker before a related headline that can be opened.
pub const LINK_MARK: &str = "→ ";

impl ArticleView {
    /// The article's headline and byline, and why its text cannot be shown: its page could not
    /// be read again (changed into something that is not an article, or gone).
    pub fn unreadable(
        library: &Library,
        index: usize,
        why: &str,
        width: u16,
        date_format: &str,
    ) -> ArticleView {
        let width = usize::from(width.max(1));
        let article = library.head(index).unwrap_or_default();
        let mut page = ArticleView::head(article, width, date_format);
        page.blank(2);
        let note = format!("The text cannot be read: {}", clean_display(why));
        page.push_wrapped(LineKind::Note, &note, 2, width, "");
        page
    }

    /// Lays out article `index` of `library`, whose whole text is `article`, at `width`
    /// cells, with the links `answer` knows and its picture as `picture` says.
    pub fn build(
        library: &Library,
        (index, article): (usize, &Article),
        answer: &Answer,
        picture: Option<&PictureLayout>,
        width: u16,
        date_format: &str,
    ) -> ArticleView {
        let width = usize::from(width.max(1));
        let mut page = ArticleView::head(article.head(), width, date_format);
        if let Some(picture) = picture {
            page.push_picture(picture, width);
        }
        let mut block = 2;
        if let Some(standfirst) = &article.standfirst {
            page.blank(block);
            page.push_wrapped(LineKind::Standfirst, standfirst, block, width, "");
        }
        block += 1;
        for b in &article.body {
            page.blank(block);
            let kind = match b {
                Block::Paragraph(_) => LineKind::Paragraph,
                Block::Subheading(_) => LineKind::Subheading,
            };
            page.push_wrapped(kind, b.text(), block, width, "");
            block += 1;
        }
        // The sections after the body, as `show`, `|` and `S` write them too.
        for section in outline::sections(library, index, article, answer, date_format) {
            page.blank(block);
            page.push_wrapped(LineKind::Section, section.title, block, width, "");
            block += 1;
            if let Some(note) = section.note {
                page.push_wrapped(LineKind::Note, &format!("  {note}"), block, width, "  ");
                block += 1;
            }
            for entry in section.entries {
                match entry.target {
                    // A related list that names the article itself links nowhere.
                    Some(target) if target != index => {
                        let text = format!("{LINK_MARK}{}", entry.text);
                        page.push_link(target, &text, block, width);
                    }
                    _ => {
                        let text = format!("  {}", entry.text);
                        page.push_wrapped(LineKind::DeadLink, &text, block, width, "  ");
                    }
                }
                block += 1;
            }
        }
        page
    }

    /// A page of the article's headline and byline, with its original link under it (blocks
    /// 0 and 1), at `width` cells.
    fn head(article: Head, width: usize, date_format: &str) -> ArticleView {
        let mut page = ArticleView {
            lines: Vec::new(),
            links: Vec::new(),
            picture: None,
        };
        page.push_wrapped(LineKind::Headline, article.headline, 0, width, "");
        // The original link, when the page has one, on a line of its own under the date.
        let byline = match article.link {
            "" => article.byline(date_format),
            link => format!("{}\n{}", article.byline(date_format), clean_display(link)),
        };
        page.push_wrapped(LineKind::Byline, &byline, 1, width, "");
        page
    }

    /// The picture's rows and caption under the byline. Their positions lie between the
    /// byline's and the blank line after it, far above any character of the byline, so that
    /// a position kept in the text finds the same line whether the picture is shown or not.
    fn push_picture(&mut self, picture: &PictureLayout, width: usize) {
        const FIRST: usize = TextPosition::BLOCK_END - 100_000;
        let push = |page: &mut ArticleView, kind: LineKind, text: String| {
            let offset = FIRST + page.lines.len();
            page.lines.push(PageLine {
                kind,
                text,
                start: TextPosition { block: 1, offset },
            });
        };
        push(self, LineKind::Blank, String::new());
        let caption = match picture {
            PictureLayout::Drawn { rows, caption } => {
                self.picture = Some((self.lines.len(), *rows));
                for _ in 0..*rows {
                    push(self, LineKind::Picture, String::new());
                }
                caption.as_deref()
            }
            PictureLayout::Placeholder(line) => Some(line.as_str()),
        };
        for line in textwrap::wrap(caption.unwrap_or_default(), width) {
            push(self, LineKind::Caption, line.to_string());
        }
    }

    fn push_link(&mut self, target: usize, text: &str, block: usize, width: usize) {
        let first = self.lines.len();
        let n = self.links.len();
        self.push_wrapped(LineKind::Link(n), text, block, width, "  ");
        self.links.push(Link {
            target,
            lines: (first, self.lines.len() - 1),
        });
    }

    /// A blank line before `block`. It counts as the end of the block before, so that every
    /// line starts at a distinct position and `line_of` finds each one again.
    fn blank(&mut self, block: usize) {
        self.lines.push(PageLine {
            kind: LineKind::Blank,
            text: String::new(),
            start: TextPosition {
                block: block.saturating_sub(1),
                offset: TextPosition::BLOCK_END,
            },
        });
    }

    fn push_wrapped(
        &mut self,
        kind: LineKind,
        text: &str,
        block: usize,
        width: usize,
        indent: &str,
    ) {
        let options = textwrap::Options::new(width).subsequent_indent(indent);
        // Wrapping only drops white space, so each line is found in the text at or after the
        // end of the one before: one forward search, counting characters as it goes.
        let (mut byte, mut chars) = (0, 0);
        for (n, line) in textwrap::wrap(text, options).into_iter().enumerate() {
            let shown = if n == 0 {
                &line[..]
            } else {
                line.strip_prefix(indent).unwrap_or(&line)
            };
            let shown = shown.trim_start();
            let found = text[byte..].find(shown);
            if let Some(found) = found {
                chars += text[byte..byte + found].chars().count();
                byte += found;
            }
            // Positions must rise strictly, even if a line was not found where expected.
            let offset = match self.lines.last() {
                Some(prev) if n > 0 && prev.start.block == block && prev.start.offset >= chars => {
                    prev.start.offset + 1
                }
                _ => chars,
            };
            self.lines.push(PageLine {
                kind,
                text: line.to_string(),
                start: TextPosition { block, offset },
            });
            if found.is_some() {
                byte += shown.len();
                chars += shown.chars().count();
            }
        }
    }

    /// The line showing a position in the text: the last line that starts at or before it.
    pub fn line_of(&self, position: TextPosition) -> usize {
        self.lines
            .partition_point(|l| l.start <= position)
            .saturating_sub(1)
    }

    /// The link drawn on a line, if any.
    pub fn link_at_line(&self, line: usize) -> Option<usize> {
        match self.lines.get(line)?.kind {
            LineKind::Link(n) => Some(n),
            _ => None,
        }
    }
}
