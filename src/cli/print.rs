//! What the commands print: `list`, `show`, `related`, `bookmarks`, `check` and `search`, plain
//! for people (coloured when stdout is a terminal) or JSON for scripts, to any writer.

use std::io::{self, Write};

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::Paint;
use crate::article::{Article, Block};
use crate::error::Error;
use crate::headers::Head;
use crate::library::Library;
use crate::related::Answer;
use crate::text::clean_display;

fn date_field(article: Head) -> Option<String> {
    article.date.map(|d| d.format("%Y-%m-%d").to_string())
}

fn link_field(article: Head<'_>) -> Option<&str> {
    (!article.link.is_empty()).then_some(article.link)
}

fn path_field(article: Head) -> String {
    article.path.to_string_lossy().replace('\\', "/")
}

/// The fields that start an article's JSON row: `id`, `date`, `time`, `headline`.
#[derive(Serialize)]
struct RowStart<'a> {
    id: &'a str,
    date: Option<String>,
    /// When it was published, RFC 3339 with the offset the page gives (`null`: only a day).
    time: Option<String>,
    headline: &'a str,
}

impl RowStart<'_> {
    fn of(article: Head<'_>) -> RowStart<'_> {
        RowStart {
            id: article.id,
            date: date_field(article),
            time: article.time.map(|t| t.to_rfc3339()),
            headline: article.headline,
        }
    }
}

/// `list`: every article (that `keep` keeps), newest first. `marks` tells whether an article
/// has been read and whether it is bookmarked, for the JSON rows.
pub fn list(
    library: &Library,
    json: bool,
    keep: &dyn Fn(Head) -> bool,
    marks: &dyn Fn(Head) -> (bool, bool),
    out: &mut dyn Write,
) -> io::Result<()> {
    if json {
        #[derive(Serialize)]
        struct Row<'a> {
            #[serde(flatten)]
            head: RowStart<'a>,
            source: &'a str,
            path: String,
            link: Option<&'a str>,
            read: bool,
            bookmarked: bool,
        }
        let rows: Vec<Row> = library
            .articles()
            .iter()
            .filter(|&a| keep(a))
            .map(|a| {
                let (read, bookmarked) = marks(a);
                Row {
                    head: RowStart::of(a),
                    source: a.source,
                    path: path_field(a),
                    link: link_field(a),
                    read,
                    bookmarked,
                }
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        return writeln!(out);
    }
    for a in library.articles().iter().filter(|&a| keep(a)) {
        let date = date_field(a).unwrap_or_else(|| "undated".into());
        writeln!(out, "{}\t{}\t{}", a.id, date, a.headline)?;
    }
    Ok(())
}

/// A related headline and the id of the local article it names (`null`: not in the folder).
#[derive(Serialize)]
struct RelatedOut<'a> {
    headline: &'a str,
    id: Option<&'a str>,
}

/// Another article, as the relation lists name it.
#[derive(Serialize)]
struct Other<'a> {
    id: &'a str,
    headline: &'a str,
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
}

fn other(library: &Library, index: usize, score: Option<f32>) -> Option<Other<'_>> {
    let a = library.head(index)?;
    Some(Other {
        id: a.id,
        headline: a.headline,
        date: date_field(a),
        // Four decimals say all a similarity score means.
        score: score.map(|s| (f64::from(s) * 10_000.0).round() / 10_000.0),
    })
}

fn related_out<'a>(
    library: &'a Library,
    article: &'a Article,
    answer: &Answer,
) -> Vec<RelatedOut<'a>> {
    article
        .related
        .iter()
        .enumerate()
        .map(|(n, h)| RelatedOut {
            headline: h,
            id: answer
                .related
                .get(n)
                .copied()
                .flatten()
                .and_then(|t| library.head(t))
                .map(|a| a.id),
        })
        .collect()
}

fn similar_out<'a>(library: &'a Library, answer: &Answer) -> Vec<Other<'a>> {
    answer
        .similar
        .iter()
        .filter_map(|&(i, s)| other(library, i, Some(s)))
        .collect()
}

fn linked_from_out<'a>(library: &'a Library, answer: &Answer) -> Vec<Other<'a>> {
    answer
        .linked_from
        .iter()
        .filter_map(|&i| other(library, i, None))
        .collect()
}

/// The three relation lists `show --json` and `related --json` both print.
#[derive(Serialize)]
struct Lists<'a> {
    related: Vec<RelatedOut<'a>>,
    similar: Vec<Other<'a>>,
    linked_from: Vec<Other<'a>>,
}

impl<'a> Lists<'a> {
    fn new(library: &'a Library, article: &'a Article, answer: &Answer) -> Lists<'a> {
        Lists {
            related: related_out(library, article, answer),
            similar: similar_out(library, answer),
            linked_from: linked_from_out(library, answer),
        }
    }
}

/// The story's reports oldest first, the article included; empty when it has no others.
fn thread_out<'a>(library: &'a Library, answer: &Answer) -> Vec<Other<'a>> {
    if answer.thread.len() < 2 {
        return Vec::new();
    }
    answer
        .thread
        .iter()
        .filter_map(|&i| other(library, i, None))
        .collect()
}

/// `show ID`: finds the article, whole, or says which ids come close.
pub fn find(library: &Library, id: &str) -> Result<std::sync::Arc<Article>, Error> {
    let i = library.index_of(id).ok_or_else(|| Error::UnknownId {
        id: id.to_string(),
        suggestions: library.suggest(id).into_iter().map(String::from).collect(),
    })?;
    library.text(i).map_err(Error::Page)
}

/// `show ID --json`.
pub fn show_json(
    library: &Library,
    article: &Article,
    answer: &Answer,
    out: &mut dyn Write,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct BlockOut<'a> {
        kind: &'static str,
        text: &'a str,
    }
    #[derive(Serialize)]
    struct Show<'a> {
        id: &'a str,
        date: Option<String>,
        time: Option<String>,
        headline: &'a str,
        source: &'a str,
        path: String,
        link: Option<&'a str>,
        /// The lead picture: `{"url", "caption"}`, or null.
        image: Option<&'a crate::picture::Picture>,
        standfirst: Option<&'a str>,
        body: Vec<BlockOut<'a>>,
        #[serde(flatten)]
        lists: Lists<'a>,
    }
    let show = Show {
        id: &article.id,
        date: date_field(article.head()),
        time: article.time.map(|t| t.to_rfc3339()),
        headline: &article.headline,
        source: &article.source,
        path: path_field(article.head()),
        link: article.link.as_deref(),
        image: article.image.as_ref(),
        standfirst: article.standfirst.as_deref(),
        body: article
            .body
            .iter()
            .map(|b| BlockOut {
                kind: match b {
                    Block::Paragraph(_) => "paragraph",
                    Block::Subheading(_) => "subheading",
                },
                text: b.text(),
            })
            .collect(),
        lists: Lists::new(library, article, answer),
    };
    serde_json::to_writer_pretty(&mut *out, &show)?;
    writeln!(out)
}

/// What `show` prints under the headline: the byline, the original link, and the picture
/// as its caption and address (text has no pictures).
fn under_headline(
    article: &Article,
    (width, date_format): (usize, &str),
    paint: Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    writeln!(out, "{}", paint.dim(&article.byline(date_format)))?;
    if let Some(link) = &article.link {
        writeln!(out, "{}", paint.dim(&clean_display(link)))?;
    }
    if let Some(picture) = &article.image {
        writeln!(out)?;
        let line = format!("{} {}", picture.placeholder(), picture.url);
        for line in textwrap::wrap(&clean_display(&line), width) {
            writeln!(out, "{}", paint.dim(&line))?;
        }
    }
    Ok(())
}

/// `show ID`: the article as text wrapped at `width` columns. The headline is underlined with
/// `=` and subheadings with `-`, so the layout reads without colour too.
pub fn show_text(
    library: &Library,
    article: &Article,
    answer: &Answer,
    width: u16,
    date_format: &str,
    paint: Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    let width = usize::from(width.max(1));
    let underlined = |out: &mut dyn Write, text: &str, rule: &str| -> io::Result<()> {
        let lines = textwrap::wrap(text, width);
        for line in &lines {
            writeln!(out, "{}", paint.bold(line))?;
        }
        let cells = lines.iter().map(|l| l.width()).max().unwrap_or(0);
        writeln!(out, "{}", rule.repeat(cells.max(1)))
    };
    underlined(out, &article.headline, "=")?;
    under_headline(article, (width, date_format), paint, out)?;
    if let Some(standfirst) = &article.standfirst {
        writeln!(out)?;
        for line in textwrap::wrap(standfirst, width) {
            writeln!(out, "{}", paint.dim(&line))?;
        }
    }
    for block in &article.body {
        writeln!(out)?;
        match block {
            Block::Paragraph(text) => {
                for line in textwrap::wrap(text, width) {
                    writeln!(out, "{line}")?;
                }
            }
            Block::Subheading(text) => underlined(out, text, "-")?,
        }
    }
    // The sections after the body, as the reader shows them. Each entry starts with `- `;
    // its wrapped lines sit deeper, under its text; a story in the folder ends with `→ ID` on
    // a line of its own, never broken, to copy.
    let options = textwrap::Options::new(width)
        .initial_indent("- ")
        .subsequent_indent("    ")
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let index = library.index_of(&article.id);
    let sections = crate::outline::sections(
        library,
        index.unwrap_or(usize::MAX),
        article,
        answer,
        date_format,
    );
    // A section still being worked out (similar stories while the index is built) is the
    // reader's passing remark, not text to keep: it is left out.
    for section in sections.into_iter().filter(|s| !s.entries.is_empty()) {
        writeln!(out)?;
        underlined(out, section.title, "-")?;
        for entry in section.entries {
            let local = entry.target.and_then(|t| library.head(t));
            let text = match local {
                Some(_) => entry.text.clone(),
                None => format!("{} (not in the folder)", entry.text),
            };
            for part in textwrap::wrap(&text, &options) {
                match local {
                    Some(_) => writeln!(out, "{part}")?,
                    None => writeln!(out, "{}", paint.dim(&part))?,
                }
            }
            if let Some(local) = local {
                writeln!(out, "    → {}", local.id)?;
            }
        }
    }
    Ok(())
}

/// `related ID`: the three lists and the thread, as text or JSON.
pub fn related(
    library: &Library,
    article: &Article,
    answer: &Answer,
    json: bool,
    paint: Paint,
    out: &mut dyn Write,
) -> io::Result<()> {
    let lists = Lists::new(library, article, answer);
    let thread = thread_out(library, answer);
    if json {
        #[derive(Serialize)]
        struct Related<'a> {
            id: &'a str,
            #[serde(flatten)]
            lists: Lists<'a>,
            thread: Vec<Other<'a>>,
        }
        let all = Related {
            id: &article.id,
            lists,
            thread,
        };
        serde_json::to_writer_pretty(&mut *out, &all)?;
        return writeln!(out);
    }
    let Lists {
        related,
        similar,
        linked_from,
    } = lists;
    let line = |o: &Other, mark: &str| {
        let date = o.date.as_deref().unwrap_or("undated   ");
        let score = o.score.map(|s| format!("{s:.2}  ")).unwrap_or_default();
        format!("{mark}{score}{date}  {}\t{}", o.headline, o.id)
    };
    writeln!(out, "{}", paint.bold("Related stories"))?;
    if related.is_empty() {
        writeln!(out, "  {}", paint.dim("none listed"))?;
    }
    for r in &related {
        match r.id {
            Some(id) => writeln!(out, "  {}\t{id}", r.headline)?,
            None => writeln!(
                out,
                "  {}",
                paint.dim(&format!("{} (not in the folder)", r.headline))
            )?,
        }
    }
    let sections = [
        ("More like this", &similar, "nothing similar enough"),
        ("Linked from", &linked_from, "no article links here"),
        ("The story", &thread, "no other reports of this story"),
    ];
    for (title, list, empty) in sections {
        writeln!(out, "{}", paint.bold(title))?;
        if list.is_empty() {
            writeln!(out, "  {}", paint.dim(empty))?;
        }
        for o in list {
            let mark = if title == "The story" && o.id == article.id {
                "● "
            } else {
                "  "
            };
            writeln!(out, "{}", line(o, mark))?;
        }
    }
    Ok(())
}

/// `check`: every diagnostic, then the totals. Returns whether anything was skipped.
pub fn check(library: &Library, out: &mut dyn Write) -> io::Result<bool> {
    for d in library.diagnostics() {
        writeln!(out, "{d}")?;
    }
    let (warnings, skipped) = library.problem_counts();
    writeln!(
        out,
        "{} articles, {warnings} warnings, {skipped} skipped",
        library.len()
    )?;
    Ok(skipped > 0)
}

/// Search hits, best first: `id<TAB>date<TAB>headline`, or JSON `[{id, date, headline, score,
/// snippet}]` with a short extract around the first hit in the body.
pub fn search(
    library: &Library,
    hits: &[(usize, f32)],
    highlighter: &crate::search::Highlighter,
    json: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let articles = library.articles();
    let found = hits
        .iter()
        .filter_map(|&(i, score)| Some((i, articles.get(i)?, score)));
    if json {
        #[derive(Serialize)]
        struct Row<'a> {
            #[serde(flatten)]
            head: RowStart<'a>,
            score: f32,
            snippet: String,
        }
        let rows: Vec<Row> = found
            .map(|(i, a, score)| Row {
                head: RowStart::of(a),
                score: (score * 1000.0).round() / 1000.0,
                snippet: library.text(i).map_or_else(
                    |_| String::new(),
                    |t| crate::search::snippet(&t, highlighter, 160),
                ),
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        return writeln!(out);
    }
    for (_, a, _) in found {
        let date = date_field(a).unwrap_or_else(|| "undated".into());
        writeln!(out, "{}\t{}\t{}", a.id, date, a.headline)?;
    }
    Ok(())
}
