//! A story from the web written as a page in the articles folder, in the page format the
//! loader reads (masthead, `Link:` line, dateline, the headline twice, standfirst, body), under
//! a name made safe from any title and never over a file that is there already, whole or not
//! at all.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::article::Block;
use crate::article::TRAILER_CHROME;
use crate::text::{one_line, slug};

/// Longest file name stem, before `-2` and `.txt`.
const MAX_STEM: usize = 80;

/// A story to write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewPage {
    /// The masthead: the source's name.
    pub source: String,
    pub link: Option<String>,
    pub date: Option<NaiveDate>,
    /// When it was published, to the second (a `Time:` line; the dateline is then its day
    /// here).
    pub time: Option<chrono::DateTime<chrono::FixedOffset>>,
    pub headline: String,
    /// The summary under the headline.
    pub standfirst: Option<String>,
    pub body: Vec<Block>,
    /// The story's lead picture (an `Image:` line).
    pub image: Option<crate::picture::Picture>,
}

/// The most text a story's body keeps (a feed's summary can weigh megabytes; a page over the
/// loader's limit would not be read at all).
pub const MAX_STORY_BYTES: usize = 512 * 1024;

/// The longest standfirst: a summary longer than this is the story's text, not a summary.
const MAX_STANDFIRST: usize = 600;

/// The story as a page. Every line is one clean line. The standfirst is the story's summary
/// when it is one: not the headline again, not the opening of the first paragraph, not a
/// whole text; else the first paragraph stands there instead (moved, not copied), since the
/// line after the headline is the summary when the page is read back. A body over
/// [`MAX_STORY_BYTES`] is cut, and says so.
pub fn page(story: &NewPage) -> String {
    let keep = |s: &str| !s.is_empty() && !TRAILER_CHROME.contains(&s);
    let headline = Some(one_line(&story.headline))
        .filter(|h| keep(h))
        .unwrap_or_else(|| "Untitled".into());
    let mut body: Vec<Block> = story
        .body
        .iter()
        // A story that starts with its own headline (a page's `h1`) does not say it twice.
        .skip_while(|b| one_line(b.text()) == headline)
        .filter_map(|b| {
            let text = one_line(b.text());
            let block = match b {
                Block::Paragraph(_) => Block::Paragraph(text),
                Block::Subheading(_) => Block::Subheading(text),
            };
            keep(block.text()).then_some(block)
        })
        .collect();
    cut_to(&mut body, MAX_STORY_BYTES);
    let standfirst = story
        .standfirst
        .as_deref()
        .map(one_line)
        .filter(|s| keep(s) && s.len() <= MAX_STANDFIRST)
        .filter(|s| !same_words(s, &headline))
        .filter(|s| !body.first().is_some_and(|b| opens(b.text(), s)))
        .or_else(|| match body.first() {
            Some(Block::Paragraph(_)) => Some(body.remove(0).text().to_string()),
            _ => None,
        });
    let mut out = String::new();
    out.push_str(
        &Some(one_line(&story.source))
            .filter(|s| keep(s))
            .unwrap_or_else(|| "The web".into()),
    );
    out.push('\n');
    if let Some(link) = &story.link {
        out.push_str(&format!("Link: {}\n", one_line(link)));
    }
    if let Some(time) = story.time {
        out.push_str(&format!("Time: {}\n", time.to_rfc3339()));
    }
    if let Some(image) = &story.image {
        out.push_str(&image.line());
        out.push('\n');
    }
    if let Some(date) = story.time.map(crate::text::local_day).or(story.date) {
        out.push_str(&date.format("%A, %b %-d, %Y\n").to_string());
    }
    out.push_str(&format!("\n{headline}\n\n{headline}\n\n"));
    if let Some(standfirst) = standfirst {
        out.push_str(&standfirst);
        out.push_str("\n\n");
    }
    for block in &body {
        match block {
            Block::Paragraph(text) => out.push_str(&format!("{text}\n\n")),
            // Two blank lines after a subheading, as the site prints them.
            Block::Subheading(text) => out.push_str(&format!("{text}\n\n\n")),
        }
    }
    out
}

/// The same words, whatever their case and punctuation.
fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    words(a) == words(b)
}

/// Whether `paragraph` opens with `summary` (a description that is the first paragraph, or
/// its start cut short with `…`).
fn opens(paragraph: &str, summary: &str) -> bool {
    let summary = summary.trim_end_matches(['…', '.', ' ']).trim();
    !summary.is_empty()
        && paragraph
            .to_lowercase()
            .starts_with(&summary.to_lowercase())
}

/// Cuts `body` to at most `most` bytes of text, saying so at its end.
fn cut_to(body: &mut Vec<Block>, most: usize) {
    let total: usize = body.iter().map(|b| b.text().len()).sum();
    if total <= most {
        return;
    }
    let mut used = 0;
    let mut kept = 0;
    for block in body.iter_mut() {
        let text = block.text();
        if used + text.len() <= most {
            used += text.len();
            kept += 1;
            continue;
        }
        let mut end = most - used;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let cut = format!("{}…", text[..end].trim_end());
        *block = match block {
            Block::Paragraph(_) => Block::Paragraph(cut),
            Block::Subheading(_) => Block::Subheading(cut),
        };
        kept += 1;
        break;
    }
    body.truncate(kept);
    body.push(Block::Paragraph(format!(
        "[The rest was cut: the text ran to {} KB.]",
        total / 1024
    )));
}

/// The folder a source's pages go in, below the articles folder: its name as a slug.
pub fn folder(name: &str) -> String {
    Some(slug(name, MAX_STEM))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "feed".into())
}

/// Writes the story into `articles/folder/` as `DATE-HEADLINE.txt` (a `-2`, `-3`… before
/// `.txt` when that name is taken: a file there is never overwritten). Returns the new page's
/// path relative to `articles`.
pub fn save(articles: &Path, folder: &str, story: &NewPage) -> io::Result<PathBuf> {
    let folder = self::folder(folder);
    let dir = articles.join(&folder);
    fs::create_dir_all(&dir)?;
    let date = (story.time.map(crate::text::local_day))
        .or(story.date)
        .map_or_else(
            || "undated".to_string(),
            |d| d.format("%Y-%m-%d").to_string(),
        );
    let stem = Some(slug(&one_line(&story.headline), MAX_STEM))
        .filter(|s| !s.is_empty())
        .map_or(date.clone(), |s| format!("{date}-{s}"));
    let text = page(story);
    // Written whole under a hidden name first, then linked to its own name (which fails,
    // rather than overwrite, when the name is taken): a fetch killed mid-page leaves no half
    // page for the loader, only a hidden file the next fetch removes.
    // Made new and exclusively, under a hidden name `.STEM.RANDOM.tmp` (removed when dropped).
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{stem}."))
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    // Not flushed one by one: [`flush_all`] makes a whole fetch durable at once.
    temp.write_all(text.as_bytes())?;
    let linked = (1..1000).find_map(|n| {
        let name = if n == 1 {
            format!("{stem}.txt")
        } else {
            format!("{stem}-{n}.txt")
        };
        let at = dir.join(&name);
        let made = fs::hard_link(temp.path(), &at).or_else(|e| match e.kind() {
            io::ErrorKind::AlreadyExists => Err(e),
            // A file system without links (FAT): a new file, written in place, and removed
            // again if it cannot be written whole.
            _ => {
                let mut file = OpenOptions::new().write(true).create_new(true).open(&at)?;
                file.write_all(text.as_bytes()).inspect_err(|_| {
                    let _ = fs::remove_file(&at);
                })
            }
        });
        match made {
            Ok(()) => Some(Ok(PathBuf::from(&folder).join(name))),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => None,
            Err(e) => Some(Err(e)),
        }
    });
    drop(temp);
    linked.unwrap_or_else(|| {
        Err(io::Error::other(format!(
            "too many pages named {stem} in {folder}"
        )))
    })
}

/// Writes the story over the page at `path` (relative to `articles`), whole or not at all:
/// written beside it under a hidden name, then renamed over it.
pub fn replace(articles: &Path, path: &Path, story: &NewPage) -> io::Result<()> {
    // The path comes from the state file: it must name a page below the articles folder.
    let below = path
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !below || path.extension().is_none_or(|x| x != "txt") {
        return Err(io::Error::other(format!(
            "{} is not a page below the articles folder",
            path.display()
        )));
    }
    let full = articles.join(path);
    let dir = full.parent().unwrap_or(articles);
    let name = full.file_name().unwrap_or_default().to_string_lossy();
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(page(story).as_bytes())?;
    // Removed as it is dropped when the rename fails.
    temp.persist(&full).map(drop).map_err(|e| e.error)
}

/// The original links of the pages in a folder of fetched pages (the `Link:` line that
/// [`page`] writes under the masthead), read from each page's first kilobyte.
pub fn links_in(dir: &Path) -> std::collections::HashSet<String> {
    use std::io::Read;
    let mut links = std::collections::HashSet::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return links;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "txt") {
            continue;
        }
        let mut head = Vec::with_capacity(1024);
        let read = fs::File::open(&path).and_then(|f| f.take(1024).read_to_end(&mut head));
        if read.is_err() {
            continue;
        }
        let head = String::from_utf8_lossy(&head);
        if let Some(link) = head
            .lines()
            .take(4)
            .find_map(|line| line.strip_prefix("Link: "))
        {
            links.insert(link.trim().to_string());
        }
    }
    links
}

/// Whether the folder holds any page (a `.txt` file).
pub fn holds_pages(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            Path::new(&e.file_name())
                .extension()
                .is_some_and(|x| x == "txt")
        })
    })
}

/// Removes the hidden half-written pages that fetches which ended mid-page left in the
/// folders below `articles` (only one fetch writes there at a time, and this is called under
/// its lock).
pub fn remove_half_written(articles: &Path) {
    let Ok(folders) = fs::read_dir(articles) else {
        return;
    };
    for folder in folders.flatten().filter(|e| e.path().is_dir()) {
        let Ok(entries) = fs::read_dir(folder.path()) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') && name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Makes every page written below `articles` durable, in one call for the whole filesystem
/// (a fetch writes hundreds of pages; syncing each would cost a disk flush apiece). Done before
/// the fetch's state says their items were saved: an error means they may not be on disk yet.
/// On Linux `syncfs` of the folder's filesystem; on other Unix systems `sync` of every one;
/// elsewhere nothing is promised (the pages are written, not flushed).
pub fn flush_all(articles: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let dir = match fs::File::open(articles) {
            Ok(dir) => dir,
            // No folder: no page was written.
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        // SAFETY: syncfs only reads the descriptor, which `dir` keeps open for the call.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    #[cfg(all(unix, not(target_os = "linux")))]
    {
        let _ = articles;
        // SAFETY: sync takes no arguments and cannot fail.
        unsafe { libc::sync() };
    }
    #[cfg(not(unix))]
    let _ = articles;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::parse;

    fn story() -> NewPage {
        NewPage {
            source: "Example \u{1b}[31mNews".into(),
            link: Some("https://news.example.org/a?b=1".into()),
            date: NaiveDate::from_ymd_opt(2025, 3, 3),
            time: None,
            headline: "Harbour\nReopens ../../etc/passwd".into(),
            standfirst: Some("Boats are back.".into()),
            body: vec![
                Block::Subheading("Harbour Reopens ../../etc/passwd".into()),
                Block::Paragraph(
                    "The harbour reopened on Monday after repairs to the wall.".into(),
                ),
                Block::Subheading("What comes next".into()),
                Block::Paragraph("Newsletter".into()),
                Block::Paragraph("Crews will inspect the wall every month, officials said.".into()),
            ],
            image: crate::picture::Picture::new(
                "https://news.example.org/wall.jpg",
                Some("The new wall, \u{1b}[2Jfrom the sea"),
            ),
        }
    }

    #[test]
    fn a_written_page_reads_back_as_the_story() {
        let parsed = parse(&page(&story())).expect("a page");
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        let a = parsed.article;
        assert_eq!(a.source, "Example News");
        assert_eq!(a.link.as_deref(), Some("https://news.example.org/a?b=1"));
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2025, 3, 3));
        assert_eq!(a.headline, "Harbour Reopens ../../etc/passwd");
        assert_eq!(a.standfirst.as_deref(), Some("Boats are back."));
        let image = a.image.expect("the picture line read back");
        assert_eq!(image.url, "https://news.example.org/wall.jpg");
        assert_eq!(image.caption.as_deref(), Some("The new wall, from the sea"));
        assert_eq!(
            a.body,
            [
                Block::Paragraph(
                    "The harbour reopened on Monday after repairs to the wall.".into()
                ),
                Block::Subheading("What comes next".into()),
                Block::Paragraph("Crews will inspect the wall every month, officials said.".into()),
            ]
        );
    }

    #[test]
    fn names_are_safe_and_nothing_is_overwritten() {
        let dir = tempfile::TempDir::new().expect("tempdir");
        let first = save(dir.path(), "../Evil/Feed", &story()).expect("saved");
        assert_eq!(
            first,
            Path::new("evil-feed/2025-03-03-harbour-reopens-etc-passwd.txt")
        );
        let second = save(dir.path(), "../Evil/Feed", &story()).expect("saved");
        assert_eq!(
            second,
            Path::new("evil-feed/2025-03-03-harbour-reopens-etc-passwd-2.txt")
        );
        assert!(dir.path().join(&first).is_file() && dir.path().join(&second).is_file());
        let undated = NewPage {
            date: None,
            headline: "\u{1b}]0;\u{7}".into(),
            ..story()
        };
        let path = save(dir.path(), "", &undated).expect("saved");
        assert_eq!(path, Path::new("feed/undated.txt"));
    }

    fn standfirst_of(story: &NewPage) -> (Option<String>, Vec<Block>) {
        let a = parse(&page(story)).expect("a page").article;
        (a.standfirst, a.body)
    }

    #[test]
    fn a_standfirst_never_repeats_the_headline_or_the_first_paragraph() {
        let first = "The harbour reopened on Monday after repairs to the wall, officials said.";
        let body = vec![
            Block::Paragraph(first.into()),
            Block::Paragraph("Crews will inspect it monthly.".into()),
        ];
        let with = |standfirst: &str| NewPage {
            headline: "Harbour Reopens".into(),
            standfirst: Some(standfirst.into()),
            body: body.clone(),
            ..story()
        };
        // A real summary stays, and the body is whole.
        let (standfirst, kept) = standfirst_of(&with("Boats are back."));
        assert_eq!(standfirst.as_deref(), Some("Boats are back."));
        assert_eq!(kept, body);
        // The headline again, the first paragraph, or its start cut short: the first
        // paragraph stands there instead, once.
        for repeat in [
            "Harbour reopens!",
            first,
            "The harbour reopened on Monday after repairs…",
            "The harbour reopened on Monday after repairs...",
        ] {
            let (standfirst, kept) = standfirst_of(&with(repeat));
            assert_eq!(standfirst.as_deref(), Some(first), "{repeat}");
            assert_eq!(kept, body[1..], "{repeat}");
        }
        // A whole text as summary is no summary.
        let (standfirst, _) = standfirst_of(&with(&"A long summary. ".repeat(100)));
        assert_eq!(standfirst.as_deref(), Some(first));
    }

    #[test]
    fn a_body_of_megabytes_is_cut_and_says_so() {
        let story = NewPage {
            standfirst: Some("Short.".into()),
            body: vec![
                Block::Paragraph("word ".repeat(50_000)),
                Block::Paragraph("é".repeat(2_000_000)),
                Block::Paragraph("never kept".into()),
            ],
            ..story()
        };
        let written = page(&story);
        assert!(written.len() < MAX_STORY_BYTES + 4096, "{}", written.len());
        let (_, body) = standfirst_of(&story);
        assert_eq!(body.len(), 3);
        assert!(body[1].text().ends_with('…'));
        assert_eq!(
            body[2].text(),
            format!(
                "[The rest was cut: the text ran to {} KB.]",
                (250_000 + 4_000_000 + 10) / 1024
            )
        );
    }

    #[test]
    fn a_page_is_replaced_only_below_the_articles_folder() {
        let dir = tempfile::TempDir::new().expect("tempdir");
        let first = save(dir.path(), "feed", &story()).expect("saved");
        let changed = NewPage {
            standfirst: Some("Boats are back, and more.".into()),
            ..story()
        };
        replace(dir.path(), &first, &changed).expect("replaced");
        let text = std::fs::read_to_string(dir.path().join(&first)).expect("read");
        assert!(text.contains("Boats are back, and more."));
        for bad in ["../escape.txt", "/tmp/escape.txt", "feed/x.html"] {
            assert!(
                replace(dir.path(), Path::new(bad), &changed).is_err(),
                "{bad}"
            );
        }
        assert!(!dir.path().join("../escape.txt").exists());
    }
}
