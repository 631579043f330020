//! `Article` and the London Daily page parser: a pure function from a page's bytes to an
//! article and its warnings, or the reason the page cannot be an article.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::dateline::{parse_dateline, weekday_problem};
use crate::text::{clean_line, decode, is_control, loose_headline};

/// One news story as broadsheet holds it. Every string in it is clean: no control
/// characters and no escape sequences.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    /// Stable identifier, a slug of the headline made unique (assigned by the library).
    pub id: String,
    /// Where the page was found, relative to the articles folder.
    pub path: PathBuf,
    /// The masthead, such as `London Daily` (empty when the page has none).
    pub source: String,
    /// The date from the dateline, when the page has one that reads; when it has a time,
    /// the day that time falls on here (in the local time zone).
    pub date: Option<NaiveDate>,
    /// When the story was published, to the second, with the offset it was written with (a
    /// `Time: 2015-03-01T08:00:00+11:00` line between the masthead and the dateline, as
    /// broadsheet writes for a fetched page); `None` on pages that give only their day.
    pub time: Option<DateTime<FixedOffset>>,
    pub headline: String,
    /// The one-sentence summary under the headline.
    pub standfirst: Option<String>,
    pub body: Vec<Block>,
    /// The publisher's related headlines, de-duplicated, in page order.
    pub related: Vec<String>,
    /// Where the story was published, when the page says (a `Link: URL` line between the
    /// masthead and the dateline, as broadsheet writes for a fetched page).
    pub link: Option<String>,
    /// The story's lead picture, when the page has one (an `Image: URL caption` line between
    /// the masthead and the dateline, as broadsheet writes for a fetched page).
    pub image: Option<crate::picture::Picture>,
}

/// One block of an article's body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Block {
    Paragraph(String),
    Subheading(String),
}

impl Article {
    /// A fingerprint of everything the page says (not where it is or its id): two readings of
    /// a page with the same digest say the same, as far as the reader can tell.
    pub fn digest(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        (
            &self.source,
            self.date,
            self.time,
            &self.headline,
            &self.standfirst,
            &self.body,
            &self.related,
            &self.image,
        )
            .hash(&mut hasher);
        hasher.finish()
    }
}

impl Article {
    /// `Wed 22 Oct 2025 · London Daily`: the date in `date_format` (or `Undated`) and the
    /// source.
    pub fn byline(&self, date_format: &str) -> String {
        self.head().byline(date_format)
    }

    /// The article's header.
    pub fn head(&self) -> crate::headers::Head<'_> {
        crate::headers::Head {
            id: &self.id,
            path: &self.path,
            source: &self.source,
            date: self.date,
            time: self.time,
            headline: &self.headline,
            link: self.link.as_deref().unwrap_or_default(),
        }
    }
}

impl crate::headers::Head<'_> {
    /// An article with this header and no text.
    pub fn to_article(&self) -> Article {
        Article {
            id: self.id.to_string(),
            path: self.path.to_path_buf(),
            source: self.source.to_string(),
            date: self.date,
            time: self.time,
            headline: self.headline.to_string(),
            link: (!self.link.is_empty()).then(|| self.link.to_string()),
            ..Article::default()
        }
    }
}

impl Block {
    pub fn text(&self) -> &str {
        match self {
            Block::Paragraph(t) | Block::Subheading(t) => t,
        }
    }
}

/// Where a line starts in the article's text: the block (headline, byline, standfirst, each
/// body block, then each line of the sections after the body, counted from 0) and the
/// character offset in it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct TextPosition {
    pub block: usize,
    pub offset: usize,
}

impl TextPosition {
    /// The offset of the blank line after a block: past any character, and small enough for
    /// a TOML integer, so that a position saved there comes back there.
    pub const BLOCK_END: usize = u32::MAX as usize;
}

/// A parsed page and what was odd about it. Warnings are one line each, with the page line
/// they are about where there is one.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub article: Article,
    pub warnings: Vec<String>,
}

/// Widget lines the site prints around the related list; never content.
pub const TRAILER_CHROME: [&str; 5] = ["Newsletter", "Related Articles", "0:00", "Close", "×"];
/// How far into a page the header (masthead, tagline, dateline, headline) may reach.
const HEADER_LINES: usize = 12;

/// Why a page is skipped, as its kind; shown as one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Skip {
    #[error("empty file")]
    Empty,
    #[error("binary file (it contains NUL bytes)")]
    Nul,
    #[error("binary file ({controls} of {total} characters are control characters)")]
    Controls { controls: usize, total: usize },
    #[error("no recognisable headline (no line printed twice, no dateline)")]
    NoHeadline,
    #[error("no recognisable headline (the page holds only site chrome)")]
    OnlyChrome,
}

/// Parses a page from its bytes: decoding (UTF-8, else Windows-1252 with a warning), then
/// [`parse`]. `Err` says why the page is skipped.
pub fn parse_bytes(bytes: &[u8]) -> Result<Parsed, Skip> {
    if bytes.contains(&0) {
        return Err(Skip::Nul);
    }
    let (text, legacy) = decode(bytes);
    let mut parsed = parse(&text)?;
    if legacy {
        parsed
            .warnings
            .insert(0, "not valid UTF-8: read as Windows-1252".into());
    }
    Ok(parsed)
}

/// The header alone (masthead, date, headline) from the first bytes of a page, when the
/// whole-page parse would find the very same: plain ASCII (so no other decoding could read it
/// differently), printed the usual way, nothing to warn about. The article has no text.
/// `None` means: read the whole page.
pub fn parse_head(head: &[u8]) -> Option<Article> {
    // The header is looked for among the first HEADER_LINES lines with text: read no further.
    let mut lines: Vec<&str> = Vec::new();
    let mut filled: Vec<usize> = Vec::new();
    for line in head.split(|&b| b == b'\n') {
        if filled.len() == HEADER_LINES {
            break;
        }
        // Printable ASCII only (a line may end in `\r`): then the text is what it says.
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if !line.iter().all(|&b| (b' '..=b'~').contains(&b)) {
            return None;
        }
        let line = std::str::from_utf8(line).ok()?.trim();
        if !line.is_empty() {
            filled.push(lines.len());
        }
        lines.push(line);
    }
    let mut warnings = Vec::new();
    let header = find_header(&lines, &filled, &mut warnings).ok()?;
    if !warnings.is_empty() {
        return None;
    }
    Some(Article {
        id: String::new(),
        path: PathBuf::new(),
        source: header.source,
        date: header.date,
        time: header.time,
        headline: header.headline,
        standfirst: None,
        body: Vec::new(),
        related: Vec::new(),
        link: header.link,
        image: header.image,
    })
}

/// Parses a page's text. `Err` says why the page is skipped: empty, binary junk, or no
/// recognisable headline.
/// Long: one pass down the page in the format's order (masthead, dateline, headline,
/// standfirst, body, related list), each part starting where the one before ended.
pub fn parse(text: &str) -> Result<Parsed, Skip> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Skip::Empty);
    }
    let (mut total, mut controls) = (0usize, 0usize);
    for c in text.chars() {
        total += 1;
        if is_control(c) && !matches!(c, '\n' | '\r' | '\t') {
            controls += 1;
        }
    }
    if controls * 20 > total {
        return Err(Skip::Controls { controls, total });
    }

    // Numbered, cleaned, trimmed lines; blank ones are kept so that spacing can be read.
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| clean_line(l).trim().to_string())
        .collect();
    let filled: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_empty()).collect();
    let mut warnings = Vec::new();

    let header = find_header(&lines, &filled, &mut warnings)?;
    let mut next = header.after;

    let standfirst = match filled.get(next) {
        Some(&i) if !is_trailer_start(&lines[i]) && lines[i] != "×" => {
            next += 1;
            Some(lines[i].clone())
        }
        _ => None,
    };

    let body_end = filled[next..]
        .iter()
        .position(|&i| is_trailer_start(&lines[i]))
        .map_or(filled.len(), |p| next + p);
    let mut body_lines: Vec<usize> = filled[next..body_end].to_vec();
    if body_end == filled.len() {
        // No trailer: a lone close button at the end is still chrome.
        if body_lines.last().is_some_and(|&i| lines[i] == "×") {
            body_lines.pop();
        }
        if body_lines.is_empty() {
            warnings.push("no body text".into());
        }
    }
    let body = body_lines
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            if is_subheading(&lines[i], k + 1 < body_lines.len()) {
                Block::Subheading(lines[i].clone())
            } else {
                Block::Paragraph(lines[i].clone())
            }
        })
        .collect();

    let related = if body_end < filled.len() {
        read_related(&lines, &filled[body_end..], &mut warnings)
    } else {
        Vec::new()
    };

    Ok(Parsed {
        article: Article {
            id: String::new(),
            path: PathBuf::new(),
            source: header.source,
            date: header.date,
            time: header.time,
            headline: header.headline,
            standfirst,
            body,
            related,
            link: header.link,
            image: header.image,
        },
        warnings,
    })
}

struct Header {
    source: String,
    date: Option<NaiveDate>,
    time: Option<DateTime<FixedOffset>>,
    headline: String,
    link: Option<String>,
    image: Option<crate::picture::Picture>,
    /// Index into the non-blank lines of the first line after the header.
    after: usize,
}

/// Finds masthead, dateline and headline. The site prints the headline twice, which is the
/// surest sign of it; failing that, the line after the dateline is taken.
fn find_header<S: AsRef<str>>(
    lines: &[S],
    filled: &[usize],
    warnings: &mut Vec<String>,
) -> Result<Header, Skip> {
    let window = filled.len().min(HEADER_LINES);
    let dateline = (0..window).find_map(|k| {
        let i = filled[k];
        parse_dateline(lines[i].as_ref()).map(|d| (k, i, d))
    });
    let repeated = (0..window.saturating_sub(1)).find(|&k| {
        let line = lines[filled[k]].as_ref();
        line == lines[filled[k + 1]].as_ref() && dateline.as_ref().is_none_or(|(d, _, _)| k > *d)
    });
    let (head, after) = match (repeated, &dateline) {
        (Some(k), _) => (k, k + 2),
        (None, Some((d, _, _))) if d + 1 < filled.len() => {
            let k = *d + 1;
            warnings.push(format!(
                "line {}: the headline is not printed twice as usual",
                filled[k] + 1
            ));
            (k, k + 1)
        }
        _ => return Err(Skip::NoHeadline),
    };
    let headline = lines[filled[head]].as_ref().to_string();
    if TRAILER_CHROME.contains(&headline.as_str()) {
        return Err(Skip::OnlyChrome);
    }

    let date = match &dateline {
        Some((d, i, (date, weekday))) if *d < head => {
            if let Some(problem) = weekday_problem(*date, weekday.as_deref()) {
                warnings.push(format!("line {}: {problem}", i + 1));
            }
            Some(*date)
        }
        _ => {
            warnings.push("no dateline: the article is undated".into());
            None
        }
    };
    let source = match dateline {
        Some((0, _, _)) => String::new(),
        _ if head > 0 => lines[filled[0]].as_ref().to_string(),
        _ => String::new(),
    };
    if source.is_empty() {
        warnings.push("no masthead: the source is unknown".into());
    }
    // Between the masthead and the dateline (where a London Daily page has its tagline).
    let before_dateline = dateline.as_ref().map_or(0, |(d, _, _)| *d).min(head);
    let link = (1..before_dateline).find_map(|k| link_of(lines[filled[k]].as_ref()));
    let time = (1..before_dateline).find_map(|k| time_of(lines[filled[k]].as_ref()));
    let image = (1..before_dateline)
        .find_map(|k| crate::picture::Picture::of_line(lines[filled[k]].as_ref()));
    // A page with a time is on the day that time falls on here.
    let date = time.map(crate::text::local_day).or(date);
    Ok(Header {
        source,
        date,
        time,
        headline,
        link,
        image,
        after,
    })
}

/// The time of a `Time: 2015-03-01T08:00:00+11:00` line (RFC 3339).
fn time_of(line: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(line.strip_prefix("Time:")?.trim()).ok()
}

/// The address of a `Link: https://…` line: `http` or `https`, with no space in it.
fn link_of(line: &str) -> Option<String> {
    let url = line.strip_prefix("Link:")?.trim();
    let ok = (url.starts_with("https://") || url.starts_with("http://"))
        && !url.contains(char::is_whitespace);
    ok.then(|| url.to_string())
}

fn is_trailer_start(line: &str) -> bool {
    line == "Newsletter" || line == "Related Articles"
}

/// A subheading is a short line with no closing punctuation that more text follows.
fn is_subheading(line: &str, more_follows: bool) -> bool {
    if !more_follows || line.chars().count() > 100 || line.split_whitespace().count() > 12 {
        return false;
    }
    let core = line.trim_end_matches(['"', '\'', '’', '”', ')', ']', '»']);
    match core.chars().last() {
        Some(c) => c.is_alphanumeric() && !line.ends_with(':'),
        None => false,
    }
}

/// The related headlines after the trailer's widgets, up to the close button.
fn read_related(lines: &[String], trailer: &[usize], warnings: &mut Vec<String>) -> Vec<String> {
    let mut related: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut closed = false;
    let mut started = false;
    for &i in trailer {
        let line = &lines[i];
        if line == "×" {
            closed = true;
            if let Some(&extra) = trailer.iter().find(|&&j| j > i) {
                warnings.push(format!(
                    "line {}: text after the closing × is ignored",
                    extra + 1
                ));
            }
            break;
        }
        if !started && TRAILER_CHROME.contains(&line.as_str()) {
            continue;
        }
        started = true;
        if seen.insert(loose_headline(line)) {
            related.push(line.clone());
        }
    }
    if !closed && !related.is_empty() {
        warnings.push("the related list has no closing ×".into());
    }
    related
}
