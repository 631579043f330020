//! Following the articles folder while the reader is open: a watcher thread (the `notify`
//! crate, inotify on Linux) reads each page that was added or changed once it has been left
//! alone for a moment, holds back a page that does not parse while it is still being written,
//! and hands over batches; [`apply`] turns a batch into a new library and an index updated for
//! just those pages, with what to tell the user (`3 new articles`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime};

use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RemoveKind};
use rustc_hash::{FxHashMap, FxHashSet};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::article::Article;
use crate::diagnostic::{Diagnostic, Severity};
use crate::library::{Changed, Library};
use crate::loader::find_pages;
use crate::page::{Loaded, load_file};
use crate::related::Relations;
use crate::text::plural;

/// A page is read once no event has come for it this long (a writer's bursts become one read).
pub const QUIET: Duration = Duration::from_millis(100);
/// A page written to without a pause is read at the latest this long after its first event.
const MOST_WAIT: Duration = Duration::from_millis(500);
/// How soon a page that does not parse yet is read again.
const RETRY: Duration = Duration::from_millis(200);
/// A page that does not parse is taken for half-written, and not reported, until it has been
/// left unchanged this long.
pub const SETTLE: Duration = Duration::from_secs(2);

/// What reading one page gave.
#[derive(Debug)]
pub enum Seen {
    Read(Box<Loaded>),
    /// It does not parse (and has stopped changing).
    Broken(Diagnostic),
    Gone,
}

/// The pages that changed since the last batch, by path relative to the folder.
#[derive(Debug, Default)]
pub struct Batch {
    pub pages: BTreeMap<PathBuf, Seen>,
    /// Events were lost, or a folder came or went: the whole folder is compared.
    pub rescan: bool,
}

impl Batch {
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty() && !self.rescan
    }

    /// Takes in a later batch: its news of a page replaces this one's.
    pub fn merge(&mut self, later: Batch) {
        self.pages.extend(later.pages);
        self.rescan |= later.rescan;
    }
}

/// The folder being watched. Dropping it stops the watching.
pub struct Watch {
    _watcher: RecommendedWatcher,
    batches: Receiver<Batch>,
}

impl Watch {
    /// Watches `dir` and everything below it. `settle`: how long a page that does not parse
    /// must stay unchanged before it is reported broken ([`SETTLE`] in the reader).
    pub fn start(dir: &Path, settle: Duration) -> notify::Result<Watch> {
        let (events, receive) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(events)?;
        watcher.watch(dir, RecursiveMode::Recursive)?;
        let (send, batches) = mpsc::channel();
        let dir = dir.to_path_buf();
        std::thread::spawn(move || follow(&dir, &receive, &send, settle));
        Ok(Watch {
            _watcher: watcher,
            batches,
        })
    }

    /// Every batch that is ready, as one.
    pub fn take(&self) -> Option<Batch> {
        let mut all: Option<Batch> = None;
        while let Ok(batch) = self.batches.try_recv() {
            match &mut all {
                Some(all) => all.merge(batch),
                None => all = Some(batch),
            }
        }
        all
    }

    /// Waits for the next batch; `None` once the watching has stopped.
    pub fn next(&self) -> Option<Batch> {
        self.batches.recv().ok()
    }

    /// Waits up to `timeout` for the next batch.
    pub fn wait(&self, timeout: Duration) -> Option<Batch> {
        self.batches.recv_timeout(timeout).ok()
    }
}

/// A page waiting to be read.
struct Pending {
    first: Instant,
    due: Instant,
}

/// The watcher thread: notes each event's pages, reads those that are due, sends batches.
fn follow(
    dir: &Path,
    events: &Receiver<notify::Result<Event>>,
    send: &Sender<Batch>,
    settle: Duration,
) {
    let mut pending: HashMap<PathBuf, Pending> = HashMap::new();
    let mut rescan = false;
    loop {
        let now = Instant::now();
        let wait = pending
            .values()
            .map(|p| p.due.saturating_duration_since(now))
            .min()
            .unwrap_or(Duration::from_secs(3600));
        let first = match events.recv_timeout(wait) {
            Ok(event) => Some(event),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        for event in first.into_iter().chain(events.try_iter()) {
            match event {
                Ok(event) => rescan |= note(dir, &event, &mut pending),
                // The watcher lost track of something: compare the whole folder.
                Err(_) => rescan = true,
            }
        }
        let now = Instant::now();
        let due: Vec<PathBuf> = pending
            .iter()
            .filter(|(_, p)| p.due <= now)
            .map(|(path, _)| path.clone())
            .collect();
        let mut batch = Batch {
            rescan: std::mem::take(&mut rescan),
            ..Batch::default()
        };
        for path in due {
            let first = pending.get(&path).map_or(now, |p| p.first);
            // Not forever: a page whose clock is wrong must not be retried without end.
            let patient = now.duration_since(first) < settle * 10;
            match read(dir, &path, settle, patient) {
                Some(seen) => {
                    pending.remove(&path);
                    batch.pages.insert(path, seen);
                }
                None => {
                    if let Some(p) = pending.get_mut(&path) {
                        p.due = now + RETRY;
                    }
                }
            }
        }
        if !batch.is_empty() && send.send(batch).is_err() {
            return;
        }
    }
}

/// Takes note of one event; `true` when the whole folder must be compared.
fn note(dir: &Path, event: &Event, pending: &mut HashMap<PathBuf, Pending>) -> bool {
    if event.need_rescan() {
        return true;
    }
    let now = Instant::now();
    let closed = matches!(
        event.kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
    );
    match event.kind {
        EventKind::Access(_) if !closed => return false,
        EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder) => {
            return true;
        }
        _ => {}
    }
    let mut rescan = false;
    for path in &event.paths {
        let Ok(relative) = path.strip_prefix(dir) else {
            continue;
        };
        let hidden = relative
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if crate::page::is_page(relative) {
            let entry = pending.entry(relative.to_path_buf()).or_insert(Pending {
                first: now,
                due: now,
            });
            // The writer has closed it: read it now. Otherwise wait for a pause, but not
            // for ever.
            entry.due = if closed {
                now
            } else {
                (now + QUIET).min(entry.first + MOST_WAIT)
            };
        } else if matches!(event.kind, EventKind::Modify(ModifyKind::Name(_)))
            && (relative.extension().is_none() || path.is_dir())
        {
            // A folder moved in or out.
            rescan = true;
        }
    }
    rescan
}

/// Reads one page; `None` while it does not parse and may still be being written.
fn read(dir: &Path, relative: &Path, settle: Duration, patient: bool) -> Option<Seen> {
    let meta = match std::fs::metadata(dir.join(relative)) {
        Ok(meta) if meta.is_file() => meta,
        Ok(_) => return Some(Seen::Gone),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Some(Seen::Gone),
        Err(e) => {
            return Some(Seen::Broken(Diagnostic {
                path: relative.to_path_buf(),
                severity: Severity::Skipped,
                message: format!("cannot read: {e}"),
            }));
        }
    };
    match load_file(dir, relative) {
        Ok(loaded) => Some(Seen::Read(Box::new(loaded))),
        Err(diagnostic) => {
            let age = meta
                .modified()
                .ok()
                .and_then(|m| SystemTime::now().duration_since(m).ok())
                .unwrap_or(Duration::ZERO);
            if patient && age < settle {
                None
            } else {
                Some(Seen::Broken(diagnostic))
            }
        }
    }
}

/// What a batch changed, to tell the user.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct News {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    /// Pages that do not parse (and have stopped changing).
    pub broken: Vec<Diagnostic>,
}

impl News {
    /// `3 new articles`, `1 new article · 2 changed · 1 removed`, and any page that could not
    /// be read.
    pub fn message(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.added > 0 {
            parts.push(plural(self.added, "new article", "new articles"));
        }
        // After the first part, `2 changed` rather than `2 articles changed`.
        for (n, what) in [(self.updated, "changed"), (self.removed, "removed")] {
            if n == 0 {
                continue;
            }
            parts.push(if parts.is_empty() {
                plural(n, &format!("article {what}"), &format!("articles {what}"))
            } else {
                format!("{n} {what}")
            });
        }
        match self.broken.as_slice() {
            [] => {}
            [one] => parts.push(format!("{one}")),
            many => parts.push(format!(
                "{} pages could not be read: see the problems list",
                many.len()
            )),
        }
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// A library brought up to date with a batch, and what to say about it. Its index follows
/// with [`Relations::updated`](crate::related::Relations::updated).
pub struct Update {
    pub changed: Changed,
    pub news: News,
}

/// Brings `library` up to date with what `batch` saw in `dir`. Only the pages in the batch are
/// read (all of the folder's names are compared when the batch asks for a rescan). `None` when
/// nothing the reader shows has changed.
///
/// A page written again with the same text is no news: `relations`, when built, hold the digest
/// of each text as it was read (a library of headers holds no texts to compare with).
pub fn apply(
    dir: &Path,
    library: &Library,
    relations: Option<&Relations>,
    mut batch: Batch,
) -> Option<Update> {
    let (by_path, reported) = known_paths(library);
    if batch.rescan {
        rescan(dir, &by_path, &reported, &mut batch);
    }
    let mut news = News::default();
    let mut touched: HashSet<PathBuf> = HashSet::new();
    let mut added: Vec<Article> = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    for (path, seen) in batch.pages {
        let old = by_path.get(path.as_os_str());
        match seen {
            Seen::Read(loaded) => {
                match old {
                    Some(&i)
                        if same_page(
                            library,
                            i,
                            relations.and_then(|r| r.digest(i)),
                            &loaded.article,
                        ) =>
                    {
                        continue;
                    }
                    Some(_) => news.updated += 1,
                    None => news.added += 1,
                }
                added.push(loaded.article);
                diagnostics.extend(loaded.warnings);
            }
            Seen::Broken(diagnostic) => {
                if old.is_some() {
                    news.removed += 1;
                } else if library.diagnostics().contains(&diagnostic) {
                    continue;
                }
                news.broken.push(diagnostic.clone());
                diagnostics.push(diagnostic);
            }
            Seen::Gone => {
                if old.is_some() {
                    news.removed += 1;
                } else if !reported.contains(path.as_os_str()) {
                    continue;
                }
            }
        }
        touched.insert(path);
    }
    if touched.is_empty() {
        return None;
    }
    let changed = library.changed(&touched, added, diagnostics);
    Some(Update { changed, news })
}

/// Every article's number by its path, and the paths the library has diagnostics for.
/// Paths are compared by their bytes: hashing a `Path` walks its components, and the map
/// holds every article.
fn known_paths(library: &Library) -> (FxHashMap<&OsStr, usize>, FxHashSet<&OsStr>) {
    let by_path = library
        .articles()
        .iter()
        .enumerate()
        .map(|(i, a)| (a.path.as_os_str(), i))
        .collect();
    let reported = library
        .diagnostics()
        .iter()
        .map(|d| d.path.as_os_str())
        .collect();
    (by_path, reported)
}

/// What changed in the folder since the library's pages were stamped (by the headers cache,
/// which a launch trusts without reading the folder): pages added, removed, or whose size
/// or time differs, read now. Empty for a library without stamps.
pub fn since_stamped(dir: &Path, library: &Library) -> Batch {
    let mut batch = Batch::default();
    if !library.has_stamps() {
        return batch;
    }
    let Ok((files, _)) = find_pages(dir) else {
        return batch;
    };
    let (by_path, reported) = known_paths(library);
    let stamps = crate::loader::files_map(&files, &|f| crate::page::Stamp::of(&f.full), &|_| None);
    let present: FxHashSet<&OsStr> = files.iter().map(|f| f.relative.as_os_str()).collect();
    for path in by_path.keys() {
        if !present.contains(path) {
            batch.pages.insert(PathBuf::from(path), Seen::Gone);
        }
    }
    for (file, stamp) in files.iter().zip(stamps) {
        let path = file.relative.as_os_str();
        let unchanged = match by_path.get(path) {
            Some(&i) => stamp.is_some() && library.stamp(i) == stamp,
            // A page the cache knew to be broken is reported already.
            None => reported.contains(path),
        };
        if unchanged {
            continue;
        }
        let seen = match load_file(dir, &file.relative) {
            Ok(loaded) => Seen::Read(Box::new(loaded)),
            Err(diagnostic) => Seen::Broken(diagnostic),
        };
        batch.pages.insert(file.relative.clone(), seen);
    }
    batch
}

/// Adds to `batch` the pages that appeared in or went from the folder without a word.
fn rescan(
    dir: &Path,
    by_path: &FxHashMap<&OsStr, usize>,
    reported: &FxHashSet<&OsStr>,
    batch: &mut Batch,
) {
    let Ok((files, _)) = find_pages(dir) else {
        return;
    };
    let present: FxHashSet<&OsStr> = files.iter().map(|f| f.relative.as_os_str()).collect();
    for path in by_path.keys().chain(reported.iter()) {
        let path = Path::new(path);
        if !present.contains(path.as_os_str()) && !batch.pages.contains_key(path) {
            batch.pages.insert(path.to_path_buf(), Seen::Gone);
        }
    }
    for file in &files {
        let path = file.relative.as_path();
        let known = by_path.contains_key(path.as_os_str()) || reported.contains(path.as_os_str());
        if known || batch.pages.contains_key(path) {
            continue;
        }
        let seen = match load_file(dir, path) {
            Ok(loaded) => Seen::Read(Box::new(loaded)),
            Err(diagnostic) => Seen::Broken(diagnostic),
        };
        batch.pages.insert(path.to_path_buf(), seen);
    }
}

/// Whether two readings of a page say the same (the id is the library's, not the page's): the
/// old one `a` as the library has it (perhaps its header only), with the digest of its text
/// when that is known.
fn same_page(library: &Library, i: usize, digest: Option<u64>, b: &Article) -> bool {
    let Some(a) = library.head(i) else {
        return false;
    };
    let heads =
        a.path == b.path && a.source == b.source && a.date == b.date && a.headline == b.headline;
    heads
        && match (digest, library.held_text(i)) {
            (Some(digest), _) => digest == b.digest(),
            (None, Some(a)) => {
                a.standfirst == b.standfirst && a.body == b.body && a.related == b.related
            }
            // Neither the text nor its digest to compare with: it may have changed.
            (None, None) => false,
        }
}
