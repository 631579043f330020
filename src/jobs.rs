//! The work behind the app's effects: reading an article and relating it, running a search,
//! building the index, applying the folder's changes. Each job takes what its effect carries
//! and gives back the messages for the app. [`dispatch`] hands each effect to a [`Host`]:
//! the event loop runs them on threads; tests and benchmarks on the spot with [`Inline`].

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::app::App;

use crate::app::message::{
    ArticleRead, Effect, ExportJob, FetchJob, FolderJob, IndexJob, Msg, NoPicture, PictureJob,
    ReadArticle, SearchJob,
};
use crate::article::Article;
use crate::bookmarks::Change;
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

/// Syncs with the config's server, saying how far it has got: [`Msg::Synced`].
pub fn sync(config: &crate::config::Config, progress: &(dyn Fn(usize, usize) + Sync)) -> Msg {
    let Some(account) = &config.sync else {
        return Msg::Synced(Err("no [sync] table in config.toml".into()));
    };
    let now = chrono::Local::now().fixed_offset();
    Msg::Synced(crate::sync::run(config, account, now, progress).map_err(|e| e.to_string()))
}

/// The picture of the job, from the cache (or downloaded, when the job says), decoded and
/// fitted for what `picker` found the terminal draws: [`Msg::PictureDrawn`].
pub fn draw_picture(job: PictureJob, picker: &ratatui_image::picker::Picker) -> Msg {
    use crate::feeds::picture_download::Downloads;
    use crate::images::{draw, store::Cached};
    let PictureJob {
        key,
        store,
        download: limits,
    } = job;
    let file = match (store.get(&key.url), limits) {
        (Some(Cached::File(file)), _) => Ok(file),
        (Some(Cached::Refused(why)), _) => Err(NoPicture::Problem(format!("refused: {why}"))),
        (None, None) => Err(NoPicture::NotDownloaded),
        (None, Some(limits)) => {
            let downloads = Downloads::new(&store, limits);
            let file = downloads.one(&key.url);
            let _ = downloads.trim();
            file.map_err(|e| NoPicture::Problem(e.to_string()))
        }
    };
    let drawn = file.and_then(|file| {
        draw::draw(&file, picker, key.columns, key.max_rows).map_err(NoPicture::Problem)
    });
    Msg::PictureDrawn {
        key,
        drawn: drawn.map(Arc::new),
    }
}

/// A thread that does jobs of one kind, newest first: a job that takes longer than a frame is
/// overtaken by the next one, and only the newest waiting one is done. Each result goes to
/// `wake` (which says whether anyone still listens).
pub struct Newest<J> {
    jobs: Option<std::sync::mpsc::Sender<J>>,
}

impl<J: Send + 'static> Newest<J> {
    pub fn new() -> Newest<J> {
        Newest { jobs: None }
    }

    /// Hands `job` to the thread (started with the first job, again if it has gone), which
    /// does it with the work `make` gives.
    pub fn send<W>(
        &mut self,
        job: J,
        wake: impl Fn(Msg) -> bool + Send + 'static,
        make: impl FnOnce() -> W,
    ) where
        W: FnMut(J) -> Msg + Send + 'static,
    {
        let job = match &self.jobs {
            Some(jobs) => match jobs.send(job) {
                Ok(()) => return,
                Err(std::sync::mpsc::SendError(job)) => job,
            },
            None => job,
        };
        let (send, jobs) = std::sync::mpsc::channel::<J>();
        let mut work = make();
        std::thread::spawn(move || {
            while let Ok(mut job) = jobs.recv() {
                while let Ok(newer) = jobs.try_recv() {
                    job = newer;
                }
                if !wake(work(job)) {
                    break;
                }
            }
        });
        let _ = send.send(job);
        self.jobs = Some(send);
    }
}

impl<J: Send + 'static> Default for Newest<J> {
    fn default() -> Newest<J> {
        Newest::new()
    }
}

/// What carries out each kind of effect: the event loop (threads, the terminal, the saver)
/// and [`Inline`] (here and now, for tests and benchmarks). [`dispatch`] is the one match over
/// every effect, so a new effect is a new method here that both must give.
pub trait Host {
    fn quit(&mut self);
    fn read_article(&mut self, job: ReadArticle);
    fn search(&mut self, job: SearchJob);
    fn start_indexing(&mut self, job: IndexJob);
    fn start_watching(&mut self, dir: PathBuf);
    fn apply_folder_change(&mut self, job: FolderJob);
    fn save(&mut self, changes: Vec<Change>);
    fn load_bookmarks(&mut self);
    fn open_link(&mut self, url: String);
    fn copy_link(&mut self, text: String);
    fn fetch_feeds(&mut self, job: FetchJob);
    fn fetch_later(&mut self, after: Duration);
    fn export(&mut self, job: ExportJob);
    fn sync(&mut self, config: Box<crate::config::Config>);
    fn draw_picture(&mut self, job: PictureJob);
}

/// Hands an effect to the host's method for it.
pub fn dispatch(effect: Effect, host: &mut impl Host) {
    match effect {
        Effect::Quit => host.quit(),
        Effect::ReadArticle(job) => host.read_article(job),
        Effect::Search(job) => host.search(job),
        Effect::StartIndexing(job) => host.start_indexing(job),
        Effect::StartWatching(dir) => host.start_watching(dir),
        Effect::ApplyFolderChange(job) => host.apply_folder_change(job),
        Effect::Save(changes) => host.save(changes),
        Effect::LoadBookmarks => host.load_bookmarks(),
        Effect::OpenLink(url) => host.open_link(url),
        Effect::CopyLink(text) => host.copy_link(text),
        Effect::FetchFeeds(job) => host.fetch_feeds(job),
        Effect::FetchLater(after) => host.fetch_later(after),
        Effect::Export(job) => host.export(job),
        Effect::Sync(config) => host.sync(config),
        Effect::DrawPicture(job) => host.draw_picture(job),
    }
}

/// A host that runs every job here and now, queueing its messages for the app, and keeps the
/// effects that are the event loop's own (quit, save, watch, read the bookmark file, the
/// browser, the clipboard, a timer, an export) for the caller to look at, in order.
#[derive(Default)]
pub struct Inline {
    searcher: Searcher,
    /// The jobs' messages, for the app next.
    pub messages: VecDeque<Msg>,
    /// The effects left for the caller.
    pub left: Vec<Effect>,
    /// While `Some`, articles asked for are not read but kept here, as if on their way.
    pub held: Option<Vec<ReadArticle>>,
}

impl Host for Inline {
    fn quit(&mut self) {
        self.left.push(Effect::Quit);
    }
    fn read_article(&mut self, job: ReadArticle) {
        match &mut self.held {
            Some(held) => held.push(job),
            None => self.messages.push_back(read_article(job)),
        }
    }
    fn search(&mut self, job: SearchJob) {
        let msg = search(&mut self.searcher, job);
        self.messages.push_back(msg);
    }
    fn start_indexing(&mut self, job: IndexJob) {
        index(job, &|_| {}, &mut |m| self.messages.push_back(m));
    }
    fn start_watching(&mut self, dir: PathBuf) {
        self.left.push(Effect::StartWatching(dir));
    }
    fn apply_folder_change(&mut self, job: FolderJob) {
        apply_folder(job, &mut |m| self.messages.push_back(m));
    }
    fn save(&mut self, changes: Vec<Change>) {
        self.left.push(Effect::Save(changes));
    }
    fn load_bookmarks(&mut self) {
        self.left.push(Effect::LoadBookmarks);
    }
    fn open_link(&mut self, url: String) {
        self.left.push(Effect::OpenLink(url));
    }
    fn copy_link(&mut self, text: String) {
        self.left.push(Effect::CopyLink(text));
    }
    fn fetch_feeds(&mut self, job: FetchJob) {
        self.messages.push_back(fetch(job, &|_, _| {}));
    }
    fn fetch_later(&mut self, after: Duration) {
        self.left.push(Effect::FetchLater(after));
    }
    fn export(&mut self, job: ExportJob) {
        self.left.push(Effect::Export(job));
    }
    fn sync(&mut self, config: Box<crate::config::Config>) {
        self.messages.push_back(sync(&config, &|_, _| {}));
    }
    /// In half blocks: no terminal is asked.
    fn draw_picture(&mut self, job: PictureJob) {
        let picker = ratatui_image::picker::Picker::halfblocks();
        self.messages.push_back(draw_picture(job, &picker));
    }
}

impl Inline {
    /// A host that does not read the articles asked for but keeps them in [`Inline::held`],
    /// as if they were still on their way.
    pub fn holding_reads() -> Inline {
        Inline {
            held: Some(Vec::new()),
            ..Inline::default()
        }
    }

    /// Hands `msg` to the app and runs the jobs it asks for, handing their results back in
    /// turn until it asks for none: the reader's flow without threads. Returns the effects
    /// left for the caller.
    pub fn step(&mut self, app: &mut App, msg: impl Into<Msg>) -> Vec<Effect> {
        self.messages.push_back(msg.into());
        while let Some(msg) = self.messages.pop_front() {
            let replaces = replaces_library(&msg);
            for effect in app.update(msg) {
                dispatch(effect, self);
            }
            if replaces {
                crate::allocator::give_back();
            }
        }
        std::mem::take(&mut self.left)
    }
}

/// [`Inline::step`] with a host of its own: the reader's flow without threads, for tests and
/// benchmarks. Returns the effects that are the loop's own, in order.
pub fn step(app: &mut App, msg: impl Into<Msg>) -> Vec<Effect> {
    Inline::default().step(app, msg)
}

/// Whether the app, taking `msg`, lets go of a whole library and index for new ones (a
/// change in the folder applied): the event loop gives the freed memory back to the system
/// after it, so that a reader following a busy folder for days stays its size.
pub fn replaces_library(msg: &Msg) -> bool {
    matches!(msg, Msg::FolderDone(_))
}
