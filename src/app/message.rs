//! What goes into the app and what comes out: a [`Msg`] is a user action or the result of a
//! job; an [`Effect`] names a piece of I/O the app wants done, with everything the job needs.
//! [`crate::jobs`] does the work of each effect; the event loop carries the results back.

use std::path::PathBuf;
use std::sync::Arc;

use crate::action::Action;
use crate::article::Article;
use crate::bookmarks::saver::Saved;
use crate::bookmarks::{Bookmarks, Change};
use crate::diagnostic::Diagnostic;
use crate::durable::StoreError;
use crate::feeds::fetch::{Outcome, Settings};
use crate::index::Index;
use crate::library::Library;
use crate::related::{Answer, Relations};
use crate::search::{Hit, Query};
use crate::watch::{Batch, News};

/// Something for the app to take in.
#[derive(Debug)]
pub enum Msg {
    /// The user (or the terminal) asked for something.
    Action(Action),
    /// The first frame is on screen: background work may start without competing with it.
    Started,
    /// The folder cannot be followed (the reason).
    WatchFailed(String),
    /// Pages were added, changed or removed in the folder.
    FolderChanged(Batch),
    /// Building the index has read this many articles.
    IndexProgress(usize),
    /// The index and links are built for `library`, with what reading every text found wrong.
    Indexed {
        library: Arc<Library>,
        relations: Arc<Relations>,
        warnings: Vec<Diagnostic>,
    },
    /// Building the index stopped without an index.
    IndexFailed(String),
    /// An article's text, read from its page, and how it relates to the rest.
    ArticleRead(ArticleRead),
    /// A search has been answered.
    SearchDone {
        request: SearchRequest,
        hits: Vec<Hit>,
    },
    /// The folder's changes made this library, to show at once (its index follows).
    FolderLibrary { library: Arc<Library>, news: News },
    /// A folder change is done: the index for the library it made, when one was built (`None`
    /// when nothing the reader shows changed, or there was no index to bring up to date).
    FolderDone(Option<(Arc<Library>, Arc<Relations>)>),
    /// A save finished; `settled`: no other save is on its way.
    Saved { saved: Saved, settled: bool },
    /// The bookmark file, read again.
    BookmarksLoaded(Result<Bookmarks, StoreError>),
    /// Fetching has answered this many feeds of all.
    FetchProgress { done: usize, total: usize },
    /// Fetching is over: what each feed gave, or why fetching could not start.
    Fetched(Result<Vec<Outcome>, String>),
    /// The browser could not be started for a link (why).
    LinkNotOpened(String),
    /// The time asked for with [`Effect::FetchLater`] has come.
    FetchDue,
    /// An article was piped or saved (what to say), or why not.
    Exported(Result<String, String>),
    /// Syncing has saved this many of the server's new items of all.
    SyncProgress { done: usize, total: usize },
    /// A sync with the server is over: what it did, or why it stopped.
    Synced(Result<crate::sync::Report, String>),
    /// A picture is ready to draw, or why it is not.
    PictureDrawn {
        key: PictureKey,
        drawn: Result<Arc<crate::images::draw::Drawn>, NoPicture>,
    },
}

/// A picture at a size: the same picture at the same size is drawn once.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PictureKey {
    pub url: String,
    /// The reading column's width, and the most rows the picture may take.
    pub columns: u16,
    pub max_rows: u16,
}

/// Why a picture is not drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoPicture {
    /// It is not downloaded (with `images = "fetch"`, it comes with the news, never on
    /// opening).
    NotDownloaded,
    /// It could not be downloaded, read or drawn: a problem to show.
    Problem(String),
}

/// Draw a picture for the reading pane.
#[derive(Debug, Clone)]
pub struct PictureJob {
    pub key: PictureKey,
    pub store: crate::images::store::Store,
    /// Download it when it is not in the cache yet (`images = "open"`), within these limits.
    pub download: Option<crate::feeds::http::Limits>,
}

impl From<Action> for Msg {
    fn from(action: Action) -> Msg {
        Msg::Action(action)
    }
}

/// A piece of I/O for the event loop to do.
#[derive(Debug)]
pub enum Effect {
    /// Quit (after saving what is queued).
    Quit,
    /// Read an article's page and work out how it relates to the rest: [`Msg::ArticleRead`].
    ReadArticle(ReadArticle),
    /// Run a search off the drawing thread: [`Msg::SearchDone`]; only the newest counts.
    Search(SearchJob),
    /// Open the saved index and links, or read every page to build them (and save them):
    /// [`Msg::IndexProgress`], then [`Msg::Indexed`] or [`Msg::IndexFailed`].
    StartIndexing(IndexJob),
    /// Follow the folder for new, changed and removed pages: [`Msg::FolderChanged`], or
    /// [`Msg::WatchFailed`].
    StartWatching(PathBuf),
    /// Bring the library and its index up to date with a batch: [`Msg::FolderLibrary`] (when
    /// anything changed), then [`Msg::FolderDone`].
    ApplyFolderChange(FolderJob),
    /// Save these bookmark and read-state changes: [`Msg::Saved`].
    Save(Vec<Change>),
    /// Read the bookmark file again: [`Msg::BookmarksLoaded`].
    LoadBookmarks,
    /// Open a link in the browser (`$BROWSER`, else the platform's opener); only a failure
    /// comes back, as [`Msg::LinkNotOpened`].
    OpenLink(String),
    /// Put a link on the terminal's clipboard (OSC 52).
    CopyLink(String),
    /// Fetch every feed of the feeds file into the articles folder: [`Msg::FetchProgress`],
    /// then [`Msg::Fetched`]. New pages arrive through the folder watcher.
    FetchFeeds(FetchJob),
    /// Send [`Msg::FetchDue`] once this long has passed.
    FetchLater(std::time::Duration),
    /// Pipe an article's text to a command or save it to a file: [`Msg::Exported`].
    Export(ExportJob),
    /// Sync with the server of config.toml's `[sync]`, in the background: [`Msg::Synced`]. New
    /// pages arrive through the folder watcher.
    Sync(Box<crate::config::Config>),
    /// Download (when the job says), decode and fit a picture off the thread that answers
    /// keys: [`Msg::PictureDrawn`]. Only the newest waiting one counts.
    DrawPicture(PictureJob),
}

impl Effect {
    /// The effect's name, as the tests and the docs call it.
    pub fn name(&self) -> &'static str {
        match self {
            Effect::Quit => "quit",
            Effect::ReadArticle(_) => "read_article",
            Effect::Search(_) => "search",
            Effect::StartIndexing(_) => "start_indexing",
            Effect::StartWatching(_) => "start_watching",
            Effect::ApplyFolderChange(_) => "apply_folder_change",
            Effect::Save(_) => "save",
            Effect::LoadBookmarks => "load_bookmarks",
            Effect::OpenLink(_) => "open_link",
            Effect::CopyLink(_) => "copy_link",
            Effect::FetchFeeds(_) => "fetch_feeds",
            Effect::FetchLater(_) => "fetch_later",
            Effect::Export(_) => "export",
            Effect::Sync(_) => "sync",
            Effect::DrawPicture(_) => "draw_picture",
        }
    }
}

/// An article to write out as text (as `broadsheet show` prints it), and where to.
#[derive(Debug, Clone)]
pub struct ExportJob {
    pub library: Arc<Library>,
    pub relations: Option<Arc<Relations>>,
    pub article: usize,
    pub similar_count: usize,
    pub width: u16,
    pub date_format: String,
    pub to: ExportTo,
}

/// Where an exported article goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportTo {
    /// A shell command's standard input, the reader set aside while it runs.
    Pipe(String),
    /// A new file (one that exists is never overwritten).
    Save(PathBuf),
}

/// Which article to read, from which library, and the index to relate it with.
#[derive(Debug, Clone)]
pub struct ReadArticle {
    pub library: Arc<Library>,
    pub relations: Option<Arc<Relations>>,
    pub article: usize,
    pub similar_count: usize,
}

/// An article read: its text (or why it cannot be read) and what is known of its relations
/// (complete once the index is built, exact links only before).
#[derive(Debug)]
pub struct ArticleRead {
    /// The library the article number is in; an answer for another is dropped.
    pub library: Arc<Library>,
    pub article: usize,
    pub text: Result<Arc<Article>, String>,
    pub answer: Answer,
}

/// A query, numbered so that only the newest answer is shown.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub seq: u64,
    pub text: String,
    pub query: Query,
    /// The same search again (the library or index changed): its answer keeps the selection.
    pub rerun: bool,
}

/// A query and the library and index to run it against.
#[derive(Debug, Clone)]
pub struct SearchJob {
    pub request: SearchRequest,
    pub library: Arc<Library>,
    pub index: Arc<Index>,
}

/// Which feeds to fetch and how.
#[derive(Debug, Clone)]
pub struct FetchJob {
    pub feeds_file: PathBuf,
    pub settings: Settings,
}

/// The library to index, and where its index is saved (`None`: it is not).
#[derive(Debug)]
pub struct IndexJob {
    pub library: Arc<Library>,
    pub saved: Option<PathBuf>,
    /// The folder whose pages are then compared with the library's stamps (a library the
    /// headers cache gave unchecked): what changed comes as [`Msg::FolderChanged`].
    pub check: Option<PathBuf>,
}

/// A batch of changed pages and what they change.
#[derive(Debug)]
pub struct FolderJob {
    pub dir: PathBuf,
    pub library: Arc<Library>,
    pub relations: Option<Arc<Relations>>,
    pub batch: Batch,
    /// Where the index brought up to date is saved (`None`: it is not).
    pub saved: Option<PathBuf>,
}
