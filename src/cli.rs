//! The non-interactive command line: arguments (clap) and the `list`, `show` and `check`
//! commands, each writing plain or JSON output to any writer.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::article::{Article, Block};
use crate::error::Error;
use crate::library::Library;

/// A terminal news reader for a folder of saved news pages.
#[derive(Debug, Parser)]
#[command(name = "broadsheet", version, about)]
pub struct Cli {
    /// The articles folder (beats `articles_dir` in the config file).
    #[arg(long, global = true, value_name = "DIR")]
    pub articles: Option<PathBuf>,

    /// The config file to read (default: ./config.toml, else the platform config folder).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// One line per article, newest first: id, date and headline, separated by tabs.
    List {
        /// An array of {id, date, headline, source, path}.
        #[arg(long)]
        json: bool,
    },
    /// One article as readable text.
    Show {
        /// The article's id, as `list` prints it.
        id: String,
        /// The article as a JSON object.
        #[arg(long)]
        json: bool,
        /// Wrap the text at this many columns (default: `wrap_width` from the config).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        width: Option<u16>,
    },
    /// Load every file and report the problems found; exit 1 when a file was skipped.
    Check,
}

/// Text styling for a terminal: bold and dim, or nothing when output is not a terminal or
/// `NO_COLOR` is set.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    /// Styling on when `is_terminal` and `NO_COLOR` is unset or empty.
    pub fn detect(is_terminal: bool) -> Paint {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Paint {
            on: is_terminal && !no_color,
        }
    }

    fn wrap(self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }
}

fn date_field(article: &Article) -> Option<String> {
    article.date.map(|d| d.format("%Y-%m-%d").to_string())
}

fn path_field(article: &Article) -> String {
    article.path.to_string_lossy().replace('\\', "/")
}

/// `list`: every article, newest first.
pub fn list(library: &Library, json: bool, out: &mut dyn Write) -> io::Result<()> {
    if json {
        #[derive(Serialize)]
        struct Row<'a> {
            id: &'a str,
            date: Option<String>,
            headline: &'a str,
            source: &'a str,
            path: String,
        }
        let rows: Vec<Row> = library
            .articles()
            .iter()
            .map(|a| Row {
                id: &a.id,
                date: date_field(a),
                headline: &a.headline,
                source: &a.source,
                path: path_field(a),
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        return writeln!(out);
    }
    for a in library.articles() {
        let date = date_field(a).unwrap_or_else(|| "undated".into());
        writeln!(out, "{}\t{}\t{}", a.id, date, a.headline)?;
    }
    Ok(())
}

/// The local article a related headline names, if the library holds it.
fn resolve_related<'a>(library: &'a Library, headline: &str) -> Option<&'a Article> {
    library.resolve(headline).map(|i| &library.articles()[i])
}

/// `show ID`: finds the article or says which ids come close.
pub fn find<'a>(library: &'a Library, id: &str) -> Result<&'a Article, Error> {
    library.get(id).ok_or_else(|| Error::UnknownId {
        id: id.to_string(),
        suggestions: library.suggest(id).into_iter().map(String::from).collect(),
    })
}

/// `show ID --json`.
pub fn show_json(library: &Library, article: &Article, out: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct BlockOut<'a> {
        kind: &'static str,
        text: &'a str,
    }
    #[derive(Serialize)]
    struct Related<'a> {
        headline: &'a str,
        id: Option<&'a str>,
    }
    #[derive(Serialize)]
    struct Show<'a> {
        id: &'a str,
        date: Option<String>,
        headline: &'a str,
        source: &'a str,
        path: String,
        standfirst: Option<&'a str>,
        body: Vec<BlockOut<'a>>,
        related: Vec<Related<'a>>,
    }
    let show = Show {
        id: &article.id,
        date: date_field(article),
        headline: &article.headline,
        source: &article.source,
        path: path_field(article),
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
        related: article
            .related
            .iter()
            .map(|h| Related {
                headline: h,
                id: resolve_related(library, h).map(|a| a.id.as_str()),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &show)?;
    writeln!(out)
}

/// `show ID`: the article as text wrapped at `width` columns. The headline is underlined with
/// `=` and subheadings with `-`, so the layout reads without colour too.
pub fn show_text(
    library: &Library,
    article: &Article,
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
    writeln!(out, "{}", paint.dim(&article.byline(date_format)))?;
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
    if !article.related.is_empty() {
        writeln!(out)?;
        underlined(out, "Related stories", "-")?;
        for headline in &article.related {
            let local = resolve_related(library, headline);
            let line = match local {
                Some(local) => format!("* {headline} [{}]", local.id),
                None => format!("  {headline} (not in the folder)"),
            };
            let options = textwrap::Options::new(width).subsequent_indent("  ");
            for part in textwrap::wrap(&line, options) {
                let part = if local.is_some() {
                    part.to_string()
                } else {
                    paint.dim(&part)
                };
                writeln!(out, "{part}")?;
            }
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
