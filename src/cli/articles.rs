//! The commands about the folder's articles: `list`, `bookmarks`, `show`, `related`,
//! `search`, `mark-read` and `mark-unread`, each given what it reads (the config, the library,
//! the folder's saved index when it needs one, the bookmark and state files).

use std::io::{self, Write};

use crate::bookmarks::folders::Stores;
use crate::bookmarks::{Added, Bookmark, Bookmarks, Change, ReadingState};
use crate::cli::folder::Folder;
use crate::cli::{BookmarksCommand, Command, ExportFormat, Paint};
use crate::config::Config;
use crate::error::Error;
use crate::library::Library;
use crate::related::Answer;
use crate::search::{self, Query, Searcher};
use crate::text::clean_display;

/// What an article command reads.
pub struct Context<'a> {
    pub config: &'a Config,
    pub library: &'a Library,
    /// The folder with its saved index, for the commands that print an article or search.
    pub folder: Option<&'a mut Folder>,
    pub stores: &'a Stores,
    pub paint: Paint,
}

/// The folder a command needs (every article command but `list` and `check` opens one).
fn folder_of<'b>(folder: &'b mut Option<&mut Folder>) -> Result<&'b mut Folder, Error> {
    folder
        .as_deref_mut()
        .ok_or(Error::Usage("no folder".into()))
}

impl Context<'_> {
    /// Runs an article command, writing what it prints to `out`. The outer result is the
    /// command's own failure (exit status and message); the inner, writing to `out`.
    pub fn run(&mut self, command: Command, out: &mut dyn Write) -> Result<io::Result<()>, Error> {
        Ok(match command {
            Command::List {
                json,
                bookmarked,
                unread,
            } => self.list(json, bookmarked, unread, out)?,
            Command::Bookmarks { action, json } => {
                self.bookmarks(action.unwrap_or(BookmarksCommand::List { json }), out)?
            }
            Command::Show { id, json, width } => self.show(&id, json, width, out)?,
            Command::Related { id, json } => {
                let folder = folder_of(&mut self.folder)?;
                let i = folder.article(&id)?;
                let library = folder.library().clone();
                let article = library.text(i).map_err(Error::Page)?;
                let answer = folder.answer(|r| r.answer(&library, i, self.config.similar_count));
                crate::cli::related(&library, &article, &answer, json, self.paint, out)
            }
            Command::Search { query, json, limit } => self.search(&query, json, limit, out)?,
            Command::MarkRead { ids, all } => {
                let folder = folder_of(&mut self.folder)?;
                mark(folder, self.stores, &ids, all, true, out)?
            }
            Command::MarkUnread { ids } => {
                let folder = folder_of(&mut self.folder)?;
                mark(folder, self.stores, &ids, false, false, out)?
            }
            _ => Err(io::Error::other("not an article command")),
        })
    }

    /// `list`: one line per article, or only the bookmarked or unread ones.
    fn list(
        &mut self,
        json: bool,
        bookmarked: bool,
        unread: bool,
        out: &mut dyn Write,
    ) -> Result<io::Result<()>, Error> {
        Ok({
            // JSON rows say whether each article is read and bookmarked.
            let bookmarks: Bookmarks = if bookmarked || json {
                self.stores.load_bookmarks()?
            } else {
                Bookmarks::default()
            };
            let state: ReadingState = if unread || json {
                self.stores.load_state()?
            } else {
                ReadingState::default()
            };
            let keep = |a: crate::headers::Head| {
                (!bookmarked || bookmarks.contains(a.id)) && (!unread || !state.read.contains(a.id))
            };
            let marks =
                |a: crate::headers::Head| (state.read.contains(a.id), bookmarks.contains(a.id));
            crate::cli::list(self.library, json, &keep, &marks, out)
        })
    }

    /// `bookmarks`: list, add, remove or export them.
    fn bookmarks(
        &mut self,
        action: BookmarksCommand,
        out: &mut dyn Write,
    ) -> Result<io::Result<()>, Error> {
        Ok(match action {
            BookmarksCommand::List { json } => {
                let bookmarks = self.stores.load_bookmarks()?;
                if bookmarks.list.is_empty() && !json {
                    // Said on stderr: a script reading stdout sees no lines.
                    eprintln!("no bookmarks");
                }
                crate::cli::bookmarks_list(self.library, &bookmarks, json, out)
            }
            BookmarksCommand::Add { id, note } => {
                let folder = folder_of(&mut self.folder)?;
                let i = folder.article(&id)?;
                let library = folder.library();
                let head = library.head(i).unwrap_or_default();
                let now = chrono::Local::now().fixed_offset();
                let bookmark = Bookmark::new(head, now);
                let new = self
                    .stores
                    .update_bookmarks(|b| b.add(bookmark, note.as_deref()))?;
                let said = match new {
                    Added::New => "Bookmarked",
                    Added::NoteChanged => "Updated bookmark",
                    Added::Already => "Already bookmarked",
                };
                writeln!(out, "{said}: {}", head.id)
            }
            BookmarksCommand::Remove { id } => {
                let removed = self.stores.update_bookmarks(|b| b.remove(&id))?;
                match removed {
                    Some(b) => writeln!(out, "Removed bookmark: {}", clean_display(&b.id)),
                    None => return Err(Error::NoBookmark(id)),
                }
            }
            BookmarksCommand::Export { format } => {
                let bookmarks = self.stores.load_bookmarks()?;
                match format {
                    ExportFormat::Markdown => crate::cli::bookmarks_markdown(&bookmarks, out),
                    ExportFormat::Json => {
                        crate::cli::bookmarks_list(self.library, &bookmarks, true, out)
                    }
                }
            }
        })
    }

    /// `show`: the article as text, or as JSON with everything the index knows of it.
    fn show(
        &mut self,
        id: &str,
        json: bool,
        width: Option<u16>,
        out: &mut dyn Write,
    ) -> Result<io::Result<()>, Error> {
        Ok({
            let folder = folder_of(&mut self.folder)?;
            let i = folder.article(id)?;
            let library = folder.library().clone();
            let article = library.text(i).map_err(Error::Page)?;
            // The similar stories and links come from the index; plain text prints only the
            // publisher's related stories, which the headers resolve.
            let answer = if json {
                folder.answer(|r| r.answer(&library, i, self.config.similar_count))
            } else {
                Answer::pending(&library, i, &article)
            };
            if json {
                crate::cli::show_json(&library, &article, &answer, out)
            } else {
                let width = width.unwrap_or(self.config.wrap_width);
                crate::cli::show_text(
                    &library,
                    &article,
                    &answer,
                    width,
                    &self.config.date_format,
                    self.paint,
                    out,
                )
            }
        })
    }

    /// `search`: the query's hits, best first, filtered as the reader filters them.
    fn search(
        &mut self,
        query: &[String],
        json: bool,
        limit: Option<usize>,
        out: &mut dyn Write,
    ) -> Result<io::Result<()>, Error> {
        Ok({
            let query = Query::parse(&query.join(" "), false);
            if let Some(problem) = query.problems.first() {
                return Err(Error::Usage(problem.clone()));
            }
            let bookmarks: Bookmarks = if query.bookmarked {
                self.stores.load_bookmarks()?
            } else {
                Bookmarks::default()
            };
            let state: ReadingState = if query.unread || query.read {
                self.stores.load_state()?
            } else {
                ReadingState::default()
            };
            let marked: std::collections::HashSet<usize> = bookmarks
                .list
                .iter()
                .filter_map(|b| b.locate(self.library))
                .collect();
            let hits = match &self.folder {
                Some(folder) if query.has_words() => {
                    folder.answer(|r| Searcher::default().run(&r.index, &query))
                }
                _ => Vec::new(),
            };
            let library = self.library;
            let articles = library.articles();
            let hits: Vec<(usize, f32)> = search::filter(
                &query,
                &hits,
                library,
                |i| marked.contains(&i),
                |i| state.read.contains(articles.id(i)),
            )
            .map(|h| (h.article, h.score))
            .take(limit.unwrap_or(usize::MAX))
            .collect();
            crate::cli::search(library, &hits, &query.highlighter(), json, out)
        })
    }
}

/// `mark-read` and `mark-unread`: every id found first (an unknown one changes nothing),
/// then the state file changed once, as the reader changes it.
fn mark(
    folder: &mut Folder,
    stores: &Stores,
    ids: &[String],
    all: bool,
    read: bool,
    out: &mut dyn Write,
) -> Result<io::Result<()>, Error> {
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        let i = folder.article(id)?;
        found.push(folder.library().articles().id(i).to_string());
    }
    if all {
        let articles = folder.library().articles();
        found = (0..articles.len())
            .map(|i| articles.id(i).to_string())
            .collect();
    }
    stores.update_state(|state| {
        for id in &found {
            let id = id.clone();
            Change::Read { id, read }.apply_to_state(state);
        }
    })?;
    let said = if read { "Marked read" } else { "Marked unread" };
    if all {
        return Ok(writeln!(out, "Marked {} articles read", found.len()));
    }
    Ok(found
        .iter()
        .try_for_each(|id| writeln!(out, "{said}: {id}")))
}
