//! The work behind the app's effects: reading an article and relating it, running a search,
//! building the index, applying the folder's changes. Each job takes what its effect carries
//! and gives back the messages for the app. The event loop runs them on threads; tests and
//! benchmarks run them on the spot with [`run_now`].

use std::collections::VecDeque;
use std::sync::Arc;

use crate::app::App;

use crate::app::message::{
    ArticleRead, Effect, ExportJob, FetchJob, FolderJob, IndexJob, Msg, ReadArticle, SearchJob,
};
use crate::article::Article;
use crate::diagnostic::{Diagnostic, Severity};
use crate::feeds::Feeds;
use crate::feeds::fetch::fetch_all;
use crate::related::{Answer, Relations};
use crate::search::Searcher;
use crate::watch;

/// The article's text as `broadsheet show` prints it, without colour (and, like every text
/// printed, without the page's control characters).
pub fn export_text(job: &ExportJob) -> Result<Vec<u8>, String> {
    let library = &job.library;
    let text = library.text(job.article).map_err(|why| why.message)?;
    let answer = match &job.relations {
        Some(relations) => relations.answer(library, job.article, job.similar_count),
        None => Answer::pending(library, job.article, &text),
    };
    let mut out = Vec::new();
    let paint = crate::cli::Paint { on: false };
    crate::cli::show_text(
        library,
        &text,
        &answer,
        job.width,
        &job.date_format,
        paint,
        &mut out,
    )
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// Saves the article's text into a new file at `path`: a file that is there already is never
/// overwritten, and one half written is removed. What came of it: [`Msg::Exported`].
pub fn save_article(job: &ExportJob, path: &std::path::Path) -> Msg {
    use std::io::Write;
    let shown = crate::text::clean_display(&path.to_string_lossy());
    let saved = export_text(job).and_then(|text| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => {
                    format!("{shown} is there already: not overwritten (S to choose another name)")
                }
                _ => format!("Cannot save {shown}: {e}"),
            })?;
        let written = file.write_all(&text).and_then(|()| file.sync_all());
        written.map_err(|e| {
            let _ = std::fs::remove_file(path);
            format!("Cannot save {shown}: {e}")
        })
    });
    Msg::Exported(saved.map(|()| format!("Saved to {shown}")))
}

/// Reads an article's page and works out how it relates to the rest.
pub fn read_article(job: ReadArticle) -> Msg {
    let ReadArticle {
        library,
        relations,
        article,
        similar_count,
    } = job;
    let text = library.text(article).map_err(|why| why.message);
    let answer = match (&relations, &text) {
        (Some(relations), _) => relations.answer(&library, article, similar_count),
        (None, Ok(text)) => Answer::pending(&library, article, text),
        (None, Err(_)) => Answer::pending(&library, article, &Article::default()),
    };
    Msg::ArticleRead(ArticleRead {
        library,
        article,
        text,
        answer,
    })
}

/// Runs a search (`searcher` keeps its work space from one query to the next).
pub fn search(searcher: &mut Searcher, job: SearchJob) -> Msg {
    let hits = searcher.run(&job.index, &job.request.query);
    Msg::SearchDone {
        request: job.request,
        hits,
    }
}

/// Opens the saved index and links of the job's library (checking every block), or reads
/// every page once to build them and saves them, telling `progress` how many articles are
/// done now and then; `send` gets [`Msg::Indexed`], then, when the job says to check the
/// pages and some changed since the headers cache saw them, [`Msg::FolderChanged`].
pub fn index(job: IndexJob, progress: &(dyn Fn(usize) + Sync), send: &mut dyn FnMut(Msg)) {
    let IndexJob {
        library,
        saved,
        check,
    } = job;
    // Every headline is folded here, not on the drawing thread when a bookmark whose id is
    // gone is looked for by its headline.
    library.find_headline("");
    let made = Relations::open_or_build(&library, saved.as_deref(), true, progress);
    let mut warnings = made.warnings;
    if let (Err(why), Some(path)) = (made.saved, saved) {
        warnings.push(Diagnostic {
            path,
            severity: Severity::Warning,
            message: why,
        });
    }
    send(Msg::Indexed {
        library: library.clone(),
        relations: Arc::new(made.relations),
        warnings,
    });
    if let Some(dir) = check {
        let batch = watch::since_stamped(&dir, &library);
        if !batch.is_empty() {
            send(Msg::FolderChanged(batch));
        }
    }
}

/// Builds the index of `library` here and now (nothing saved or checked) and gives the
/// message that hands it over, for tests and benchmarks.
pub fn index_now(library: Arc<crate::library::Library>) -> Msg {
    let job = IndexJob {
        library,
        saved: None,
        check: None,
    };
    let mut indexed = Msg::IndexFailed("no index was made".into());
    index(job, &|_| {}, &mut |m| indexed = m);
    indexed
}

/// Brings the library and its index up to date with a batch of changed pages: `send` gets
/// the new library first (shown at once), then the index for it.
pub fn apply_folder(job: FolderJob, send: &mut dyn FnMut(Msg)) {
    let FolderJob {
        dir,
        library,
        relations,
        batch,
        saved,
    } = job;
    let Some(update) = watch::apply(&dir, &library, relations.as_deref(), batch) else {
        send(Msg::FolderDone(None));
        return;
    };
    let changed = update.changed;
    send(Msg::FolderLibrary {
        library: changed.library.clone(),
        news: update.news,
    });
    let indexed = relations.map(|relations| {
        let relations = relations.updated(&changed);
        // Saved as it is now, so that the next launch opens it (a failure only costs the
        // next launch a build).
        if let Some(path) = &saved {
            let _ = relations.save(&changed.library, &[], path);
        }
        (changed.library, Arc::new(relations))
    });
    send(Msg::FolderDone(indexed));
}

/// Fetches every feed of the job's feeds file (the pages go to the articles folder, where the
/// watcher finds them), telling `progress` how many feeds have answered of all.
pub fn fetch(job: FetchJob, progress: &(dyn Fn(usize, usize) + Sync)) -> Msg {
    let feeds = match Feeds::load(&job.feeds_file) {
        Ok(feeds) => feeds,
        Err(e) => return Msg::Fetched(Err(e.to_string())),
    };
    progress(0, feeds.feeds.len());
    let now = chrono::Local::now().fixed_offset();
    let outcomes = fetch_all(&feeds.feeds, &job.settings, now, progress);
    Msg::Fetched(outcomes.map_err(|e| e.to_string()))
}

/// Hands `msg` to the app and runs the jobs it asks for here and now, handing their results
/// back in turn until it asks for none: the reader's flow without threads, for tests and
/// benchmarks. Returns the effects that are not jobs (quit, save, watch, read the bookmark
/// file), in order.
pub fn step(app: &mut App, msg: impl Into<Msg>) -> Vec<Effect> {
    step_with(&mut Searcher::default(), app, msg)
}

/// [`step`] with a searcher kept from one search to the next, as the reader's search thread
/// keeps one.
pub fn step_with(searcher: &mut Searcher, app: &mut App, msg: impl Into<Msg>) -> Vec<Effect> {
    let mut left = Vec::new();
    let mut queue = VecDeque::from([msg.into()]);
    while let Some(msg) = queue.pop_front() {
        let replaces = replaces_library(&msg);
        for effect in app.update(msg) {
            if effect.is_job() {
                queue.extend(run_now(searcher, effect));
            } else {
                left.push(effect);
            }
        }
        if replaces {
            crate::allocator::give_back();
        }
    }
    left
}

/// Whether the app, taking `msg`, lets go of a whole library and index for new ones (a
/// change in the folder applied): the event loop gives the freed memory back to the system
/// after it, so that a reader following a busy folder for days stays its size.
pub fn replaces_library(msg: &Msg) -> bool {
    matches!(msg, Msg::FolderDone(_))
}

/// Runs an effect's job here and now and returns its messages, for tests and benchmarks.
/// Quitting, saving, watching, reading the bookmark file and handing a link to the browser or
/// the clipboard are the caller's: they give none.
pub fn run_now(searcher: &mut Searcher, effect: Effect) -> Vec<Msg> {
    match effect {
        Effect::ReadArticle(job) => vec![read_article(job)],
        Effect::Search(job) => vec![search(searcher, job)],
        Effect::StartIndexing(job) => {
            let mut messages = Vec::new();
            index(job, &|_| {}, &mut |m| messages.push(m));
            messages
        }
        Effect::ApplyFolderChange(job) => {
            let mut messages = Vec::new();
            apply_folder(job, &mut |m| messages.push(m));
            messages
        }
        Effect::FetchFeeds(job) => vec![fetch(job, &|_, _| {})],
        // Not jobs (see `Effect::is_job`).
        _ => Vec::new(),
    }
}
