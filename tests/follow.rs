//! The library follows the folder: the watcher sees pages added, changed and removed and holds
//! back a half-written one; an update reads only what changed yet gives the library and index
//! a fresh load would; and the reader keeps its selection, reading position and missing
//! bookmarks through it.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use broadsheet::action::Action;
use broadsheet::app::layout::Focus;
use broadsheet::app::{App, Msg};
use broadsheet::key::Key;
use broadsheet::library::Library;
use broadsheet::loader::{load, load_heads};
use broadsheet::page::load_file;
use broadsheet::related::Relations;
use broadsheet::watch::{self, Batch, Seen, Watch};
use common::{select, step};
use crossterm::event::{KeyCode, KeyModifiers};
use tempfile::TempDir;

/// A page in the London Daily format.
fn page(date: &str, headline: &str, body: &str) -> String {
    format!(
        "London Daily\n\nFocus on the big picture.\n{date}\n\n{headline}\n\n{headline}\n\n\
         A standfirst about {headline}.\n\n{body}\n\nNewsletter\n"
    )
}

fn copy_linked() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    for name in ["geneva.txt", "markets.txt", "trade.txt"] {
        fs::copy(
            Path::new("tests/fixtures/linked").join(name),
            dir.path().join(name),
        )
        .expect("copy");
    }
    dir
}

fn read(dir: &Path, name: &str) -> Seen {
    match load_file(dir, Path::new(name)) {
        Ok(loaded) => Seen::Read(Box::new(loaded)),
        Err(diagnostic) => Seen::Broken(diagnostic),
    }
}

fn ids(library: &Library) -> Vec<String> {
    library
        .articles()
        .iter()
        .map(|a| a.id.to_string())
        .collect()
}

fn no_progress(_: usize) {}

#[test]
fn an_update_reads_only_what_changed_and_matches_a_fresh_load() {
    update_matches_a_fresh_load(load);
}

/// The reader's library holds only headers: its update holds no new texts either (but for
/// pages that share a date and headline), and its index, read from the pages, matches too.
#[test]
fn an_update_of_a_library_of_headers_matches_a_fresh_one() {
    update_matches_a_fresh_load(load_heads);
}

fn update_matches_a_fresh_load(load: fn(&Path) -> Result<Library, broadsheet::error::Error>) {
    let dir = TempDir::new().expect("temp dir");
    let names: Vec<String> = broadsheet::generate::write_folder(dir.path(), 150, 5)
        .expect("generate")
        .iter()
        .map(|p| {
            let relative = p.strip_prefix(dir.path()).expect("inside");
            relative.to_string_lossy().into_owned()
        })
        .collect();
    let library = load(dir.path()).expect("load");
    let relations = Relations::build(&library, &no_progress);

    // One page new (with a word no other page has), one changed, one removed, one broken.
    let (changed, removed) = (&names[10], &names[20]);
    fs::write(
        dir.path().join("zz-new.txt"),
        page(
            "Monday, Jan 5, 2099",
            "Quokkas Elected To City Council",
            "The quokkas campaigned on a platform of smiles.",
        ),
    )
    .expect("write");
    let text = fs::read_to_string(dir.path().join(changed)).expect("read");
    let text = text.replacen("\n\n", "\n\nA late correction about wombats.\n\n", 4);
    fs::write(dir.path().join(changed), text).expect("write");
    fs::remove_file(dir.path().join(removed)).expect("remove");
    fs::write(dir.path().join("broken.txt"), "not a news page\n").expect("write");

    let mut batch = Batch::default();
    for name in ["zz-new.txt", changed.as_str(), "broken.txt"] {
        batch
            .pages
            .insert(PathBuf::from(name), read(dir.path(), name));
    }
    batch.pages.insert(PathBuf::from(removed), Seen::Gone);
    let update =
        watch::apply(dir.path(), &library, Some(&relations), batch).expect("something changed");

    assert_eq!(update.news.added, 1);
    assert_eq!(update.news.updated, 1);
    assert_eq!(update.news.removed, 1);
    assert_eq!(update.news.broken.len(), 1);
    assert_eq!(update.news.broken[0].path, Path::new("broken.txt"));
    let message = update.news.message().expect("a message");
    assert!(
        message.starts_with("1 new article · 1 changed · 1 removed · broken.txt: skipped:"),
        "{message}"
    );

    // What a fresh load of the folder gives, article for article and term for term.
    let fresh = load(dir.path()).expect("load");
    let updated = &update.changed.library;
    assert_eq!(ids(updated), ids(&fresh));
    assert_eq!(updated.diagnostics(), fresh.diagnostics());
    for (a, b) in updated.articles().iter().zip(fresh.articles()) {
        assert_eq!(a, b);
    }
    for i in 0..fresh.len() {
        assert_eq!(updated.text(i), fresh.text(i));
    }
    let rebuilt = Relations::build(&fresh, &no_progress);
    let relations = relations.updated(&update.changed);
    assert!(
        relations.index == rebuilt.index,
        "the updated index differs from a fresh one"
    );
    assert_same_links(&relations, &rebuilt, fresh.len());
    assert!(relations.index.term("quokka").is_some());
    assert!(relations.index.term("wombat").is_some());

    // The texts of the old articles that stayed are shared, not copied.
    let kept = (0..library.len())
        .find(|&i| {
            let path = library.articles().get(i).expect("article").path;
            path != Path::new(changed) && path != Path::new(removed)
        })
        .expect("an article");
    let at = updated
        .index_of(library.articles().id(kept))
        .expect("still there");
    match (library.held_text(kept), updated.held_text(at)) {
        (Some(old), Some(new)) => assert!(Arc::ptr_eq(old, new)),
        // A library of headers holds no text, before or after.
        (old, new) => assert!(old.is_none() && new.is_none()),
    }
}

#[test]
fn a_page_written_again_unchanged_is_no_news() {
    let dir = copy_linked();
    let library = load(dir.path()).expect("load");
    let text = fs::read(dir.path().join("trade.txt")).expect("read");
    fs::write(dir.path().join("trade.txt"), text).expect("write");
    let mut batch = Batch::default();
    batch
        .pages
        .insert("trade.txt".into(), read(dir.path(), "trade.txt"));
    batch.pages.insert("never-there.txt".into(), Seen::Gone);
    assert!(watch::apply(dir.path(), &library, None, batch).is_none());

    // A library of headers holds no text to compare: the digests its index read tell.
    let heads = load_heads(dir.path()).expect("heads");
    let relations = Relations::build(&heads, &no_progress);
    let trade = || {
        let mut batch = Batch::default();
        batch
            .pages
            .insert("trade.txt".into(), read(dir.path(), "trade.txt"));
        batch
    };
    assert!(watch::apply(dir.path(), &heads, Some(&relations), trade()).is_none());
    // Without them, the page cannot be told unchanged; and a real change is news.
    assert!(watch::apply(dir.path(), &heads, None, trade()).is_some());
    let text = fs::read_to_string(dir.path().join("trade.txt")).expect("read");
    fs::write(
        dir.path().join("trade.txt"),
        // The header stays as it was: only the digest can tell.
        text.replacen("Negotiators failed", "Negotiators again failed", 1),
    )
    .expect("write");
    let update = watch::apply(dir.path(), &heads, Some(&relations), trade()).expect("news");
    assert_eq!(update.news.updated, 1);
}

#[test]
fn a_rescan_finds_pages_nobody_reported() {
    let dir = copy_linked();
    let library = load(dir.path()).expect("load");
    fs::create_dir(dir.path().join("moved-in")).expect("mkdir");
    fs::write(
        dir.path().join("moved-in/one.txt"),
        page("Monday, Jan 5, 2099", "Folder Moved In", "Text."),
    )
    .expect("write");
    fs::remove_file(dir.path().join("geneva.txt")).expect("remove");
    let batch = Batch {
        rescan: true,
        ..Batch::default()
    };
    let update = watch::apply(dir.path(), &library, None, batch).expect("news");
    assert_eq!((update.news.added, update.news.removed), (1, 1));
    assert_eq!(
        ids(&update.changed.library),
        ids(&load(dir.path()).expect("load"))
    );
}

/// Waits (up to ten seconds: a loaded machine may be slow, and this is not a timing test) for
/// batches until one says something of `name` that `wanted` accepts.
fn wait_for(watch: &Watch, name: &str, wanted: impl Fn(&Seen) -> bool) -> Batch {
    let end = Instant::now() + Duration::from_secs(10);
    let mut all = Batch::default();
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        if let Some(batch) = watch.wait(left) {
            all.merge(batch);
            if all.pages.get(Path::new(name)).is_some_and(&wanted) {
                return all;
            }
        }
    }
    panic!("no news of {name} within ten seconds");
}

fn headline(seen: &Seen) -> Option<&str> {
    match seen {
        Seen::Read(loaded) => Some(&loaded.article.headline),
        _ => None,
    }
}

#[test]
fn the_watcher_sees_pages_come_change_and_go() {
    let dir = copy_linked();
    let watch = Watch::start(dir.path(), Duration::from_secs(30)).expect("watch");

    fs::write(dir.path().join(".hidden.txt"), "London Daily\n").expect("write");
    fs::write(dir.path().join("notes.md"), "not a page").expect("write");
    fs::write(
        dir.path().join("new.txt"),
        page("Monday, Jan 5, 2099", "A New Page Arrives", "Text."),
    )
    .expect("write");
    let batch = wait_for(&watch, "new.txt", |s| {
        headline(s) == Some("A New Page Arrives")
    });
    assert!(
        batch
            .pages
            .keys()
            .all(|p| p.extension().is_some_and(|x| x == "txt") && !p.starts_with(".")),
        "only pages: {:?}",
        batch.pages.keys().collect::<Vec<_>>()
    );

    fs::write(
        dir.path().join("trade.txt"),
        page("Sunday, Mar 2, 2025", "Trade Talks Resume", "Text."),
    )
    .expect("write");
    wait_for(&watch, "trade.txt", |s| {
        headline(s) == Some("Trade Talks Resume")
    });

    fs::remove_file(dir.path().join("geneva.txt")).expect("remove");
    wait_for(&watch, "geneva.txt", |s| matches!(s, Seen::Gone));
}

#[test]
fn a_half_written_page_is_held_back_until_it_parses() {
    let dir = copy_linked();
    let watch = Watch::start(dir.path(), Duration::from_secs(30)).expect("watch");
    let whole = page("Monday, Jan 5, 2099", "Written In Two Goes", "Text.");
    let (first, rest) = whole.split_at(20);
    fs::write(dir.path().join("slow.txt"), first).expect("write");
    // Long enough for the watcher to have read it (and retried it) several times.
    let end = Instant::now() + Duration::from_millis(1200);
    while let Some(left) = end.checked_duration_since(Instant::now()) {
        if let Some(batch) = watch.wait(left) {
            assert!(
                !batch.pages.contains_key(Path::new("slow.txt")),
                "a half-written page was reported"
            );
        }
    }
    fs::write(dir.path().join("slow.txt"), format!("{first}{rest}")).expect("write");
    wait_for(&watch, "slow.txt", |s| {
        headline(s) == Some("Written In Two Goes")
    });
}

#[test]
fn a_page_that_stays_broken_is_reported_once_it_settles() {
    let dir = copy_linked();
    let watch = Watch::start(dir.path(), Duration::from_millis(300)).expect("watch");
    fs::write(dir.path().join("junk.txt"), "not a news page\n").expect("write");
    let batch = wait_for(&watch, "junk.txt", |s| matches!(s, Seen::Broken(_)));
    let Some(Seen::Broken(diagnostic)) = batch.pages.get(Path::new("junk.txt")) else {
        unreachable!("checked by wait_for");
    };
    assert!(diagnostic.to_string().starts_with("junk.txt: skipped:"));
}

const GENEVA: &str = "leaders-meet-in-geneva-for-climate-summit";
const TRADE: &str = "trade-talks-stall-again";
const MARKETS: &str = "markets-rally-on-summit-hopes";

fn reader(dir: &Path) -> App {
    let mut app = common::app_in(dir, 120, 40);
    common::index(&mut app);
    app
}

/// Applies what changed in the folder to the app, as the event loop does: the batch as news
/// from the watcher, and the job it asks for run on the spot.
fn follow(app: &mut App, dir: &Path, names: &[&str]) {
    let mut batch = Batch::default();
    for name in names {
        batch.pages.insert(PathBuf::from(name), read(dir, name));
        if !dir.join(name).exists() {
            batch.pages.insert(PathBuf::from(name), Seen::Gone);
        }
    }
    step(app, Msg::FolderChanged(batch));
}

/// [`follow`], but no article is read: the reads the app asks for are handed back instead,
/// as if they were still on their way.
fn follow_unread(
    app: &mut App,
    dir: &Path,
    names: &[&str],
) -> Vec<broadsheet::app::message::ReadArticle> {
    let mut batch = Batch::default();
    for name in names {
        batch.pages.insert(PathBuf::from(name), read(dir, name));
        if !dir.join(name).exists() {
            batch.pages.insert(PathBuf::from(name), Seen::Gone);
        }
    }
    let mut host = broadsheet::jobs::Inline::holding_reads();
    host.step(app, Msg::FolderChanged(batch));
    host.held.take().unwrap_or_default()
}

fn selected_id(app: &App) -> String {
    let at = app.list().selected_article().expect("a selection");
    app.library().articles().id(at).to_string()
}

#[test]
fn the_list_keeps_its_selection_and_says_what_arrived() {
    let dir = copy_linked();
    let mut app = reader(dir.path());
    select(&mut app, TRADE);
    let before = app.list().selected_article();
    for (name, headline) in [
        ("a.txt", "Comet Seen Over Lisbon"),
        ("b.txt", "Comet Seen Over Porto"),
        ("c.txt", "Comet Seen Over Faro"),
    ] {
        let text = page("Monday, Jan 5, 2099", headline, "Text.");
        fs::write(dir.path().join(name), text).expect("write");
    }
    follow(&mut app, dir.path(), &["a.txt", "b.txt", "c.txt"]);

    assert_eq!(app.message(), Some("3 new articles"));
    assert_eq!(app.library().len(), 6);
    assert_eq!(selected_id(&app), TRADE);
    assert_ne!(
        app.list().selected_article(),
        before,
        "the article moved down the list"
    );
    assert!(
        app.list_title().contains("6 articles"),
        "{}",
        app.list_title()
    );
    // The new articles are searchable at once: the index was updated.
    step(&mut app, Action::Search);
    for c in "lisbon".chars() {
        step(
            &mut app,
            Action::Input(Key::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    assert_eq!(app.search_status(), "1 match");
    assert_eq!(selected_id(&app), "comet-seen-over-lisbon");
}

#[test]
fn the_open_article_keeps_its_place_and_a_removed_bookmark_stays_missing() {
    let dir = copy_linked();
    let mut app = reader(dir.path());
    select(&mut app, TRADE);
    step(&mut app, Action::ToggleBookmark);
    select(&mut app, MARKETS);
    step(&mut app, Action::Open);
    for _ in 0..3 {
        step(&mut app, Action::ScrollDown);
    }
    let position = app.current().expect("open").position;
    assert_eq!(app.focus(), Focus::Reader);

    // The open page gains a paragraph at its end, the bookmarked page goes, a new one comes.
    let text = fs::read_to_string(dir.path().join("markets.txt")).expect("read");
    let text = text.replacen(
        "\n\nNewsletter",
        "\n\nA paragraph added later.\n\nNewsletter",
        1,
    );
    fs::write(dir.path().join("markets.txt"), text).expect("write");
    fs::remove_file(dir.path().join("trade.txt")).expect("remove");
    fs::write(
        dir.path().join("new.txt"),
        page("Monday, Jan 5, 2099", "Comet Seen Over Lisbon", "Text."),
    )
    .expect("write");
    follow(
        &mut app,
        dir.path(),
        &["markets.txt", "trade.txt", "new.txt"],
    );

    assert_eq!(app.message(), Some("1 new article · 1 changed · 1 removed"));
    assert_eq!(app.focus(), Focus::Reader);
    let open = app.current().expect("still open");
    assert_eq!(app.library().articles().id(open.article), MARKETS);
    assert_eq!(open.position, position);
    let page = app.page().expect("laid out");
    assert!(
        page.lines.iter().any(|l| l.text.contains("added later")),
        "the open page shows the new text"
    );
    let rows = app.marks().rows(app.library());
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0.id, TRADE);
    assert_eq!(rows[0].1, None, "the bookmark of a removed page is missing");
    assert!(app.library().index_of(GENEVA).is_some());
}

#[test]
fn removing_the_open_article_says_so_and_goes_back_to_the_list() {
    let dir = copy_linked();
    let mut app = reader(dir.path());
    select(&mut app, GENEVA);
    step(&mut app, Action::Open);
    fs::remove_file(dir.path().join("geneva.txt")).expect("remove");
    follow(&mut app, dir.path(), &["geneva.txt"]);
    assert_eq!(app.focus(), Focus::List);
    assert_eq!(
        app.message(),
        Some("1 article removed · the article that was open has gone from the folder")
    );
    assert_eq!(app.library().len(), 2);
    assert!(app.list().selected_article().is_some());
}

#[test]
fn headlines_named_only_by_pages_that_left_are_let_go() {
    let dir = TempDir::new().expect("temp dir");
    let page = |n: usize| {
        common::page_with(
            &format!("Story number {n} of the day"),
            "Monday, Mar 3, 2025",
            "A summary.",
            "The story.",
            &[
                &format!("A related headline only page {n} names"),
                "Story number 0 of the day",
            ],
        )
    };
    for n in 0..5 {
        common::write(dir.path(), &format!("p{n}.txt"), &page(n));
    }
    let mut library = Arc::new(load(dir.path()).expect("load"));
    let mut relations = Relations::build(&library, &no_progress);
    let live = |relations: &Relations| relations.name_count();
    let at_start = live(&relations);
    // A page comes and the oldest but page 0 goes, two hundred times over.
    for n in 5..205 {
        let added = format!("p{n}.txt");
        let removed = format!("p{}.txt", n - 4);
        common::write(dir.path(), &added, &page(n));
        fs::remove_file(dir.path().join(&removed)).expect("remove");
        let mut batch = Batch::default();
        batch
            .pages
            .insert(PathBuf::from(&added), read(dir.path(), &added));
        batch.pages.insert(PathBuf::from(&removed), Seen::Gone);
        let update = watch::apply(dir.path(), &library, Some(&relations), batch).expect("news");
        relations = relations.updated(&update.changed);
        library = update.changed.library;
    }
    // The names held stay near what the five pages name, not every page ever seen.
    assert!(
        live(&relations) <= at_start + at_start / 2 + 1,
        "{} names",
        live(&relations)
    );
    // And the links are those a fresh build finds.
    let fresh = Relations::build(&library, &no_progress);
    assert_same_links(&relations, &fresh, library.len());
}

/// The two give every one of `count` articles the same related stories and backlinks.
fn assert_same_links(a: &Relations, b: &Relations, count: usize) {
    for i in 0..count {
        assert_eq!(
            a.related(i).collect::<Vec<_>>(),
            b.related(i).collect::<Vec<_>>()
        );
        assert_eq!(
            a.linked_from(i).collect::<Vec<_>>(),
            b.linked_from(i).collect::<Vec<_>>()
        );
    }
}

/// Pages come, go and are renamed while the reader holds articles: the open one, the one a
/// window shows, the one a prompt is about, the one an action waits on. Each still acts on
/// the same article afterwards, found by its handle, not by a place that now holds another.
#[test]
fn articles_held_across_folder_changes_stay_the_same_articles() {
    use broadsheet::app::Effect;
    use broadsheet::app::message::ExportTo;
    use broadsheet::bookmarks::{Bookmarks, Change, ReadingState};
    use broadsheet::durable::StoreError;
    let dir = TempDir::new().expect("tempdir");
    let files = broadsheet::generate::write_folder(dir.path(), 60, 3).expect("generate");
    let mut app = reader(dir.path());
    let id = |app: &App, at: usize| app.library().articles().id(at).to_string();
    let thread_ids =
        |app: &App| -> Vec<String> { app.windows().thread().iter().map(|&a| id(app, a)).collect() };
    // Paths as the library holds them: relative to the folder.
    let name = |path: &PathBuf| {
        let relative = path.strip_prefix(dir.path()).expect("below");
        relative.to_string_lossy().into_owned()
    };
    // The held article: the first in the list with other reports of its story.
    let held = (0..app.library().len())
        .find(|&a| {
            let thread = app.relations().expect("indexed").thread(app.library(), a);
            thread.len() > 2
        })
        .expect("a story of several reports");
    let held_id = id(&app, held);
    let held_file = app
        .library()
        .head(held)
        .expect("head")
        .path
        .to_string_lossy()
        .into_owned();
    // Pages that no thread of the held article's holds, to remove and rename.
    let spare: Vec<String> = files.iter().map(name).filter(|f| *f != held_file).collect();
    // Each round adds a page that lists first (so every place moves down one), removes a
    // page and renames another.
    let mut round = 0;
    let mut change = |app: &mut App, read: bool| {
        round += 1;
        let new = format!("new{round}.txt");
        let headline = format!("Comet Seen Over Lisbon {round}");
        fs::write(
            dir.path().join(&new),
            page("Monday, Jan 5, 2099", &headline, "Text."),
        )
        .expect("write");
        let thread = app.relations().expect("indexed").thread(
            app.library(),
            app.library().index_of(&held_id).expect("held"),
        );
        let in_thread = |f: &String| {
            thread.iter().any(|&a| {
                app.library()
                    .head(a)
                    .is_some_and(|h| h.path.to_string_lossy() == f.as_str())
            })
        };
        let mut others = spare
            .iter()
            .filter(|f| !in_thread(f) && dir.path().join(f).exists());
        let gone = others.next().expect("a page to remove").clone();
        let from = others.next().expect("a page to rename").clone();
        let to = format!("batch-000/moved{round}.txt");
        fs::remove_file(dir.path().join(&gone)).expect("remove");
        fs::rename(dir.path().join(&from), dir.path().join(&to)).expect("rename");
        let names = [new, gone, from, to];
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        if read {
            follow(app, dir.path(), &names);
            Vec::new()
        } else {
            follow_unread(app, dir.path(), &names)
        }
    };

    // The open article and the timeline window over it.
    let row = app.list().row_of(held).expect("listed");
    step(&mut app, Action::Top);
    for _ in 0..row {
        step(&mut app, Action::ScrollDown);
    }
    step(&mut app, Action::Open);
    step(&mut app, Action::ShowThread);
    let thread = thread_ids(&app);
    assert!(thread.len() > 2, "{thread:?}");
    let chosen = id(&app, app.windows().thread()[app.windows().selected()]);
    let before = app.current().expect("open").article;
    let _ = change(&mut app, true);
    let open = app.current().expect("still open").article;
    assert_ne!(open, before, "its place moved");
    assert_eq!(id(&app, open), held_id);
    let now = thread_ids(&app);
    assert_eq!(now, thread);
    assert_eq!(
        id(&app, app.windows().thread()[app.windows().selected()]),
        chosen
    );
    step(&mut app, Action::Close);

    // A prompt about the article: the save is of the same article after a change.
    step(&mut app, Action::SaveArticle);
    let _ = change(&mut app, true);
    let effects = common::press(&mut app, KeyCode::Enter);
    let job = common::export_job(effects);
    assert!(matches!(job.to, ExportTo::Save(_)));
    assert_eq!(job.library.articles().id(job.article), held_id);

    // An action waiting for the article's answer (the timeline, asked for while the answer
    // is not at hand): the folder changes before it comes, and it opens for the same article.
    // The open article's answer is asked for after a change and is still on its way.
    let asked = change(&mut app, false);
    assert!(!asked.is_empty(), "the answer was asked for");
    app.update(Msg::Action(Action::ShowThread));
    assert!(app.windows().open().is_none(), "it waits");
    let asked_again = change(&mut app, false);
    // The answer for the old library comes late and is dropped; the new one is asked for.
    for stale in asked {
        step(&mut app, broadsheet::jobs::read_article(stale));
    }
    assert!(
        app.windows().open().is_none(),
        "a stale answer runs nothing"
    );
    assert!(!asked_again.is_empty(), "asked again of the new library");
    for job in asked_again {
        step(&mut app, broadsheet::jobs::read_article(job));
    }
    assert!(app.windows().open().is_some(), "the timeline opened");
    assert_eq!(id(&app, app.current().expect("open").article), held_id);
    let now = thread_ids(&app);
    assert_eq!(now, thread);
    step(&mut app, Action::Close);

    // A bookmark that waits for the bookmark file to be read again: the folder changes
    // meanwhile, and the bookmark is of the article it was asked for.
    let broken = StoreError::Broken {
        path: "bookmarks.toml".into(),
        line: 1,
        column: 2,
        message: "invalid".into(),
    };
    app.load_saved(Err(broken), Ok(ReadingState::default()));
    let effects = app.update(Msg::Action(Action::ToggleBookmark));
    assert!(effects.iter().any(|e| matches!(e, Effect::LoadBookmarks)));
    let _ = change(&mut app, true);
    let effects = app.update(Msg::BookmarksLoaded(Ok(Bookmarks::default())));
    let made: Vec<String> = effects
        .into_iter()
        .flat_map(|e| match e {
            Effect::Save(changes) => changes,
            _ => Vec::new(),
        })
        .filter_map(|c| match c {
            Change::Bookmark(b) => Some(b.id),
            _ => None,
        })
        .collect();
    assert_eq!(made, [held_id]);
}
