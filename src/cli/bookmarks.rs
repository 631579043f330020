//! What the `bookmarks` commands print: the list, newest first, as text or JSON, and the
//! Markdown export.

use std::io::{self, Write};

use serde::Serialize;

use crate::bookmarks::Bookmarks;
use crate::library::Library;
use crate::text::clean_display;

/// `bookmarks list`: newest first, as text or JSON.
pub fn bookmarks_list(
    library: &Library,
    bookmarks: &Bookmarks,
    json: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let list = bookmarks.newest_first();
    if json {
        #[derive(Serialize)]
        struct Row<'a> {
            id: &'a str,
            headline: &'a str,
            date: Option<&'a str>,
            added: &'a str,
            note: &'a str,
            missing: bool,
        }
        let rows: Vec<Row> = list
            .iter()
            .map(|b| Row {
                id: &b.id,
                headline: &b.headline,
                date: b.date.as_deref(),
                added: &b.added,
                note: &b.note,
                missing: b.locate(library).is_none(),
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &rows)?;
        return writeln!(out);
    }
    for b in list {
        // The file is the user's to edit: nothing in it reaches the terminal uncleaned.
        // Always five columns: whether it is missing and its note each have their own.
        let missing = if b.locate(library).is_none() {
            "missing"
        } else {
            ""
        };
        writeln!(
            out,
            "{}\t{}\t{}\t{missing}\t{}",
            clean_display(&b.id),
            clean_display(b.date.as_deref().unwrap_or("undated")),
            clean_display(&b.headline),
            clean_display(&b.note).replace('\t', " ")
        )?;
    }
    Ok(())
}

/// `bookmarks export --format markdown`: a dated list of headlines with their notes.
pub fn bookmarks_markdown(bookmarks: &Bookmarks, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Bookmarks\n")?;
    for b in bookmarks.newest_first() {
        let date = b.date.as_deref().unwrap_or("undated");
        let mut line = format!("- {} — {}", clean_display(date), clean_display(&b.headline));
        if !b.note.is_empty() {
            line.push_str(&format!(": {}", clean_display(&b.note)));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}
