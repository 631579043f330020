//! The app core on its own: messages in, effects out, with no terminal, no disk and no
//! thread. Libraries are made in memory; each job an effect asks for is run by hand (or not,
//! to see what the app does meanwhile) and its result handed back as a message. Covers every
//! job result, every effect, and the hand-offs between them that only a real run used to
//! show: a folder change while a search is shown, an answer to a query that has changed since,
//! indexing that finishes while an article is open.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use broadsheet::action::Action;
use broadsheet::app::layout::Focus;
use broadsheet::app::message::{FolderJob, ReadArticle, SearchJob};
use broadsheet::app::reader_view::LineKind;
use broadsheet::app::{App, Effect, Msg};
use broadsheet::article::{Article, Block};
use broadsheet::bookmarks::saver::Saved;
use broadsheet::bookmarks::{Bookmarks, File, ReadingState};
use broadsheet::config::Config;
use broadsheet::durable::StoreError;
use broadsheet::feeds::fetch::Outcome;
use broadsheet::jobs;
use broadsheet::key::Key;
use broadsheet::library::Library;
use broadsheet::related::Relations;
use broadsheet::search::Searcher;
use broadsheet::watch::{Batch, News, Seen};
use chrono::NaiveDate;
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

fn article(headline: &str, day: u32, body: &str) -> Article {
    Article {
        source: "London Daily".into(),
        date: NaiveDate::from_ymd_opt(2026, 1, day),
        headline: headline.into(),
        standfirst: Some(format!("What happened: {headline}.")),
        body: (0..12)
            .map(|n| Block::Paragraph(format!("{body} Paragraph {n} of the report.")))
            .collect(),
        ..Article::default()
    }
}

/// Three stories, newest first: two reports of one harbour story and a vote.
fn articles() -> Vec<Article> {
    vec![
        article(
            "Harbour wall repaired after storm",
            20,
            "The harbour wall broke in the storm and crews repaired the harbour wall.",
        ),
        article(
            "Council votes on the budget",
            15,
            "Councillors voted on the budget for schools and roads.",
        ),
        article(
            "Storm breaks harbour wall",
            10,
            "The storm broke the harbour wall and boats were damaged in the harbour.",
        ),
    ]
}

fn library(articles: Vec<Article>) -> Arc<Library> {
    Arc::new(Library::new(articles, Vec::new()))
}

fn app_on(library: Arc<Library>) -> App {
    let config = Config::parse("", Path::new("config.toml")).expect("defaults");
    // One pane at a time: no preview reads the selected headline before a test opens it.
    let mut app = App::new(library, &config, 90, 40);
    app.load_saved(Ok(Bookmarks::default()), Ok(ReadingState::default()));
    app
}

fn names(effects: &[Effect]) -> Vec<&'static str> {
    effects.iter().map(Effect::name).collect()
}

fn read_job(effects: Vec<Effect>) -> ReadArticle {
    effects
        .into_iter()
        .find_map(|e| match e {
            Effect::ReadArticle(job) => Some(job),
            _ => None,
        })
        .expect("an article to read")
}

/// The last search the effects ask for (each key typed asks for one).
fn search_job(effects: Vec<Effect>) -> SearchJob {
    effects
        .into_iter()
        .filter_map(|e| match e {
            Effect::Search(job) => Some(job),
            _ => None,
        })
        .last()
        .expect("a search to run")
}

/// The index built for the app's library, as the message the indexing job sends.
fn indexed(app: &App) -> Msg {
    let library = app.library().clone();
    let relations = Arc::new(Relations::build(&library, &|_| {}));
    Msg::Indexed {
        library,
        relations,
        warnings: Vec::new(),
    }
}

/// The app with its index built and the search prompt open.
fn searching() -> App {
    let mut app = app_on(library(articles()));
    let msg = indexed(&app);
    app.update(msg);
    app.update(Action::Search);
    app
}

fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| {
            app.update(Action::Input(Key::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            )))
        })
        .collect()
}

fn listed(app: &App) -> Vec<String> {
    (0..app.list().rows())
        .filter_map(|row| app.list().article_at(row))
        .map(|i| app.library().articles().headline(i).to_string())
        .collect()
}

fn selected_headline(app: &App) -> Option<String> {
    let i = app.list().selected_article()?;
    Some(app.library().articles().headline(i).to_string())
}

#[test]
fn opening_an_article_asks_for_its_page_and_shows_it_when_it_is_read() {
    let mut app = app_on(library(articles()));
    let effects = app.update(Action::Open);
    // Opening marks it read (saved first), and its text is asked for.
    assert_eq!(names(&effects), ["save", "read_article"]);
    assert_eq!(app.focus(), Focus::Reader);
    assert!(app.current().is_some() && app.page().is_none());
    let job = read_job(effects);
    assert_eq!(job.article, 0);
    assert!(job.relations.is_none(), "no index yet");
    assert!(app.update(jobs::read_article(job)).is_empty());
    let page = app.page().expect("laid out");
    assert_eq!(page.lines[0].text, "Harbour wall repaired after storm");
    // Back and forth between articles read: nothing is read again.
    let next = read_job(app.update(Action::NextArticle));
    app.update(jobs::read_article(next));
    assert!(!names(&app.update(Action::Back)).contains(&"read_article"));
    assert_eq!(app.current().map(|v| v.article), Some(0));
    assert!(app.page().is_some());
}

#[test]
fn an_answer_for_a_library_that_has_gone_is_dropped() {
    let mut app = app_on(library(articles()));
    let job = read_job(app.update(Action::Open));
    let stale = ReadArticle {
        library: library(articles()),
        ..job
    };
    app.update(jobs::read_article(stale));
    assert!(app.page().is_none(), "not the library the app shows");
}

#[test]
fn the_first_frame_starts_watching_and_indexing_and_progress_shows_until_it_is_done() {
    let mut app = app_on(library(articles()));
    let effects = app.update(Msg::Started);
    assert_eq!(names(&effects), ["start_watching", "start_indexing"]);
    assert!(
        matches!(&effects[0], Effect::StartWatching(dir) if *dir == app.settings().articles_dir)
    );
    assert_eq!(app.indexing_percent(), Some(0));
    app.update(Msg::IndexProgress(1));
    assert_eq!(app.indexing_percent(), Some(33));
    // Story keys say how far it has got.
    app.update(Action::NextInThread);
    assert_eq!(
        app.message(),
        Some("Indexing… 33% (stories come when it is done)")
    );
    let msg = indexed(&app);
    app.update(msg);
    assert_eq!(app.indexing_percent(), None);
    assert!(app.relations().is_some());
}

#[test]
fn indexing_that_finishes_while_an_article_is_open_completes_its_page_in_place() {
    let mut app = app_on(library(articles()));
    let job = read_job(app.update(Action::Open));
    app.update(jobs::read_article(job));
    let note = |app: &App| {
        app.page()
            .expect("page")
            .lines
            .iter()
            .any(|l| l.kind == LineKind::Note)
    };
    assert!(note(&app), "the page says similar stories are coming");
    for _ in 0..5 {
        app.update(Action::ScrollDown);
    }
    let position = app.current().map(|v| v.position);
    let scroll = app.scroll();
    assert!(scroll > 0);

    let msg = indexed(&app);
    let effects = app.update(msg);
    // The open article's full answer is asked for; its page stays up meanwhile.
    let job = read_job(effects);
    assert_eq!(job.article, 0);
    assert!(job.relations.is_some());
    assert!(note(&app), "the old page is still shown");
    app.update(jobs::read_article(job));
    assert!(!note(&app));
    let page = app.page().expect("page");
    let more = page
        .lines
        .iter()
        .position(|l| l.text == "More like this")
        .expect("similar stories");
    assert!(
        page.lines[more..]
            .iter()
            .any(|l| l.text.contains("Storm breaks harbour wall")),
        "the other harbour report"
    );
    assert_eq!(app.current().map(|v| v.position), position);
    assert_eq!(app.scroll(), scroll, "the reader stays where it was");
    assert_eq!(app.story_position(), Some((2, 2)));
}

#[test]
fn a_search_waits_for_the_index_and_runs_off_the_drawing_thread() {
    let mut app = app_on(library(articles()));
    app.update(Msg::Started);
    app.update(Action::Search);
    assert!(
        typed(&mut app, "harbour").is_empty(),
        "nothing to search yet"
    );
    assert_eq!(app.list().rows(), 0);
    assert_eq!(
        app.search_status(),
        "indexing 0%: results come when it is done"
    );
    let msg = indexed(&app);
    let job = search_job(app.update(msg));
    assert_eq!(job.request.text, "harbour");
    assert_eq!(app.search_status(), "searching…");
    app.update(jobs::search(&mut Searcher::default(), job));
    assert_eq!(
        listed(&app),
        [
            "Harbour wall repaired after storm",
            "Storm breaks harbour wall"
        ]
    );
}

#[test]
fn an_answer_to_a_query_that_has_changed_since_is_dropped() {
    let mut app = searching();
    let old = search_job(typed(&mut app, "storm"));
    let new = search_job(typed(&mut app, " repaired"));
    let mut searcher = Searcher::default();
    let (old, new) = (
        jobs::search(&mut searcher, old),
        jobs::search(&mut searcher, new),
    );
    app.update(new);
    assert_eq!(listed(&app), ["Harbour wall repaired after storm"]);
    app.update(old);
    assert_eq!(listed(&app), ["Harbour wall repaired after storm"]);
    // Esc brings the list back as it was, and an answer still on its way is not shown.
    let late = search_job(typed(&mut app, "x"));
    app.update(Action::Input(Key::new(KeyCode::Esc, KeyModifiers::NONE)));
    app.update(jobs::search(&mut searcher, late));
    assert_eq!(app.list().rows(), 3);
    assert!(app.list().search().is_none());
}

#[test]
fn a_folder_change_while_a_search_is_shown_waits_for_its_index_and_keeps_the_selection() {
    let mut app = searching();
    let job = search_job(typed(&mut app, "harbour"));
    app.update(jobs::search(&mut Searcher::default(), job));
    app.update(Action::Input(Key::new(KeyCode::Enter, KeyModifiers::NONE)));
    let hits = listed(&app);
    assert_eq!(hits.len(), 2);
    // The second hit selected.
    app.update(Action::ScrollDown);
    let chosen = selected_headline(&app).expect("a selection");
    assert_eq!(chosen, hits[1]);

    // A new report arrives: its library first, held back while the search is shown.
    let mut more = articles();
    more.push(article(
        "Harbour reopens to boats",
        25,
        "Boats returned to the harbour after the wall was repaired.",
    ));
    let new = library(more);
    let news = News {
        added: 1,
        ..News::default()
    };
    let effects = app.update(Msg::FolderLibrary {
        library: new.clone(),
        news,
    });
    assert!(effects.is_empty());
    assert_eq!(app.library().len(), 3, "held until its index comes");
    assert_eq!(listed(&app).len(), 2);

    // Its index comes: the new library is shown with the hits it had, the selection on the
    // same article, and the search runs again for the new one.
    let relations = Arc::new(Relations::build(&new, &|_| {}));
    let effects = app.update(Msg::FolderDone(Some((new.clone(), relations))));
    assert_eq!(app.library().len(), 4);
    assert_eq!(app.message(), Some("1 new article"));
    assert_eq!(listed(&app), hits, "the hits it had, never blinking out");
    assert_eq!(selected_headline(&app), Some(chosen.clone()));
    let job = search_job(effects);
    assert!(job.request.rerun);
    assert!(Arc::ptr_eq(&job.library, &new));
    app.update(jobs::search(&mut Searcher::default(), job));
    assert_eq!(listed(&app).len(), 3);
    assert!(listed(&app).contains(&"Harbour reopens to boats".to_string()));
    assert_eq!(selected_headline(&app), Some(chosen));
}

#[test]
fn a_folder_change_without_a_search_shows_the_library_at_once_and_its_index_after() {
    let mut app = app_on(library(articles()));
    let msg = indexed(&app);
    app.update(msg);
    app.update(Action::ScrollDown);
    let mut more = articles();
    more.push(article("Harbour reopens to boats", 25, "Boats returned."));
    let new = library(more);
    app.update(Msg::FolderLibrary {
        library: new.clone(),
        news: News {
            added: 1,
            ..News::default()
        },
    });
    assert_eq!(app.library().len(), 4, "shown at once");
    assert!(app.relations().is_none(), "its index is on its way");
    assert_eq!(
        selected_headline(&app).as_deref(),
        Some("Council votes on the budget")
    );
    let relations = Arc::new(Relations::build(&new, &|_| {}));
    app.update(Msg::FolderDone(Some((new, relations))));
    assert!(app.relations().is_some());
}

/// A batch of changed pages, made in memory.
fn batch(name: &str) -> Batch {
    let mut batch = Batch::default();
    batch.pages.insert(PathBuf::from(name), Seen::Gone);
    batch
}

#[test]
fn folder_news_waits_for_the_index_and_batches_are_applied_one_at_a_time() {
    let mut app = app_on(library(articles()));
    app.update(Msg::Started);
    assert!(app.update(Msg::FolderChanged(batch("a.txt"))).is_empty());
    let msg = indexed(&app);
    let effects = app.update(msg);
    assert_eq!(names(&effects), ["apply_folder_change"]);
    let Some(Effect::ApplyFolderChange(FolderJob { batch: first, .. })) =
        effects.into_iter().next()
    else {
        unreachable!("checked by name");
    };
    assert!(first.pages.contains_key(Path::new("a.txt")));
    // While one is applied, the next waits, and joins any that come after it.
    assert!(app.update(Msg::FolderChanged(batch("b.txt"))).is_empty());
    assert!(app.update(Msg::FolderChanged(batch("c.txt"))).is_empty());
    let effects = app.update(Msg::FolderDone(None));
    let Some(Effect::ApplyFolderChange(FolderJob { batch: next, .. })) = effects.into_iter().next()
    else {
        panic!("the waiting batch is applied");
    };
    let names: Vec<&Path> = next.pages.keys().map(PathBuf::as_path).collect();
    assert_eq!(names, [Path::new("b.txt"), Path::new("c.txt")]);
}

#[test]
fn an_index_that_fails_says_so_and_lets_folder_changes_through() {
    let mut app = app_on(library(articles()));
    app.update(Msg::Started);
    app.update(Msg::FolderChanged(batch("a.txt")));
    let effects = app.update(Msg::IndexFailed("the indexing thread stopped".into()));
    assert_eq!(names(&effects), ["apply_folder_change"]);
    assert_eq!(
        app.message(),
        Some("Indexing stopped: the indexing thread stopped")
    );
    assert_eq!(app.indexing_percent(), None);
    app.update(Msg::WatchFailed("too many watches".into()));
    assert_eq!(
        app.message(),
        Some("Not following the folder for new articles: too many watches")
    );
}

#[test]
fn saves_and_the_bookmark_file_come_back_as_messages() {
    let mut app = app_on(library(articles()));
    let effects = app.update(Action::ToggleBookmark);
    assert_eq!(names(&effects), ["save"]);
    app.update(Msg::Saved {
        saved: Saved::Failed(File::Bookmarks, "disk full".into()),
        settled: true,
    });
    assert_eq!(app.alert(), Some("Not saved yet (will retry): disk full"));
    app.update(Msg::Saved {
        saved: Saved::Bookmarks(Bookmarks::default()),
        settled: true,
    });
    assert_eq!(app.alert(), None);
    assert!(
        !app.marks().is_bookmarked(0),
        "settled: the file as saved is what shows"
    );

    // A broken bookmark file: the key asks for it again, and runs once it reads.
    let broken = || StoreError::Broken {
        path: "bookmarks.toml".into(),
        line: 1,
        column: 2,
        message: "invalid".into(),
    };
    app.load_saved(Err(broken()), Ok(ReadingState::default()));
    assert_eq!(
        names(&app.update(Action::ToggleBookmark)),
        ["load_bookmarks"]
    );
    assert!(app.update(Msg::BookmarksLoaded(Err(broken()))).is_empty());
    assert_eq!(
        names(&app.update(Action::ToggleBookmark)),
        ["load_bookmarks"]
    );
    let effects = app.update(Msg::BookmarksLoaded(Ok(Bookmarks::default())));
    assert_eq!(names(&effects), ["save"], "the waiting bookmark is made");
    assert!(app.marks().is_bookmarked(0));
}

#[test]
fn quitting_saves_the_reading_position_first() {
    let mut app = app_on(library(articles()));
    let job = read_job(app.update(Action::Open));
    app.update(jobs::read_article(job));
    app.update(Action::PageDown);
    let effects = app.update(Action::ForceQuit);
    assert_eq!(names(&effects), ["save", "quit"]);
}

#[test]
fn every_effect_is_asked_for_by_some_message() {
    let mut seen = std::collections::BTreeSet::new();
    let mut note = |effects: &[Effect]| seen.extend(names(effects));
    let mut app = App::new(
        library(articles()),
        &Config::parse("fetch_every_minutes = 5", Path::new("c.toml")).expect("config"),
        120,
        40,
    );
    note(&app.update(Msg::Started));
    note(&app.update(Action::Open));
    let msg = indexed(&app);
    note(&app.update(msg));
    note(&app.update(Msg::FolderChanged(batch("a.txt"))));
    app.update(Action::Search);
    note(&typed(&mut app, "harbour"));
    app.update(Action::Input(Key::new(KeyCode::Esc, KeyModifiers::NONE)));
    app.load_saved(
        Err(StoreError::Broken {
            path: "b.toml".into(),
            line: 1,
            column: 1,
            message: "bad".into(),
        }),
        Ok(ReadingState::default()),
    );
    note(&app.update(Action::ToggleBookmark));
    note(&app.update(Action::FetchFeeds));
    let mut linked = articles();
    linked[0].link = Some("https://a.example/".into());
    let mut other = app_on(library(linked));
    note(&other.update(Action::OpenLink));
    note(&other.update(Action::CopyLink));
    note(&app.update(Action::ForceQuit));
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        [
            "apply_folder_change",
            "copy_link",
            "fetch_feeds",
            "fetch_later",
            "load_bookmarks",
            "open_link",
            "quit",
            "read_article",
            "save",
            "search",
            "start_indexing",
            "start_watching"
        ]
    );
}

fn key_event(code: KeyCode, modifiers: KeyModifiers, kind: KeyEventKind) -> Event {
    let mut key = KeyEvent::new(code, modifiers);
    key.kind = kind;
    Event::Key(key)
}

#[test]
fn terminal_events_map_to_actions_without_a_terminal() {
    let config = Config::parse(
        "mouse = true\n[keys]\nhelp = [\"f1\"]\n",
        Path::new("c.toml"),
    )
    .expect("config");
    let mut app = App::new(library(articles()), &config, 90, 40);
    let press = |code| key_event(code, KeyModifiers::NONE, KeyEventKind::Press);
    assert_eq!(
        app.to_action(press(KeyCode::Char('j'))),
        Some(Action::ScrollDown)
    );
    assert_eq!(app.to_action(press(KeyCode::F(1))), Some(Action::Help));
    assert_eq!(app.to_action(press(KeyCode::Char('?'))), None, "rebound");
    assert_eq!(
        app.to_action(key_event(
            KeyCode::Char('j'),
            KeyModifiers::NONE,
            KeyEventKind::Release
        )),
        None
    );
    assert_eq!(
        app.to_action(key_event(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL,
            KeyEventKind::Press
        )),
        Some(Action::ForceQuit)
    );
    assert_eq!(
        app.to_action(Event::Resize(80, 24)),
        Some(Action::Resize(80, 24))
    );
    let mouse = |kind| {
        Event::Mouse(MouseEvent {
            kind,
            column: 3,
            row: 4,
            modifiers: KeyModifiers::NONE,
        })
    };
    assert_eq!(
        app.to_action(mouse(MouseEventKind::ScrollDown)),
        Some(Action::Wheel {
            column: 3,
            row: 4,
            down: true
        })
    );
    assert_eq!(
        app.to_action(mouse(MouseEventKind::Down(MouseButton::Left))),
        Some(Action::Click { column: 3, row: 4 })
    );
    // An open prompt takes every key as text.
    app.update(Action::Search);
    assert_eq!(
        app.to_action(press(KeyCode::Char('j'))),
        Some(Action::Input(Key::new(
            KeyCode::Char('j'),
            KeyModifiers::NONE
        )))
    );
    // The mouse left alone when config.toml does not turn it on.
    let plain = App::new(
        library(articles()),
        &Config::parse("mouse = false", Path::new("c.toml")).expect("config"),
        120,
        40,
    );
    assert_eq!(plain.to_action(mouse(MouseEventKind::ScrollDown)), None);
}

/// Esc and a key typed together reach the terminal as Alt and the key: an Alt key with no
/// binding of its own is Esc, then the key, in the prompt and out of it.
#[test]
fn an_unbound_alt_key_is_esc_then_the_key() {
    let alt = |c| key_event(KeyCode::Char(c), KeyModifiers::ALT, KeyEventKind::Press);
    let mut app = app_on(library(articles()));
    // In the search prompt: Esc closes it, then `q` quits.
    app.update(Action::Search);
    for c in "harb".chars() {
        app.update(Action::Input(Key::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
    let action = app.to_action(alt('q')).expect("an action");
    assert_eq!(
        action,
        Action::Escaped(Key::new(KeyCode::Char('q'), KeyModifiers::NONE))
    );
    let effects = app.update(action);
    assert!(app.prompt().is_none(), "the prompt is closed");
    assert!(names(&effects).contains(&"quit"), "{:?}", names(&effects));

    // Out of a prompt: Alt+j moves down as `j` does.
    let mut app = app_on(library(articles()));
    assert_eq!(app.list().selected(), 0);
    let action = app.to_action(alt('j')).expect("an action");
    app.update(action);
    assert_eq!(app.list().selected(), 1);
    // Alt keys with a binding of their own keep it; Alt+Backspace deletes a word in a prompt.
    assert_eq!(
        app.to_action(key_event(
            KeyCode::Left,
            KeyModifiers::ALT,
            KeyEventKind::Press
        )),
        Some(Action::Back)
    );
    app.update(Action::Search);
    let word = key_event(KeyCode::Backspace, KeyModifiers::ALT, KeyEventKind::Press);
    assert!(matches!(app.to_action(word), Some(Action::Input(_))));
}

#[test]
fn the_original_link_is_opened_or_copied_and_an_article_without_one_says_so() {
    let mut linked = articles();
    linked[0].link = Some("https://news.example.org/harbour".into());
    let mut app = app_on(library(linked));
    let effects = app.update(Action::OpenLink);
    assert!(
        effects.iter().any(
            |e| matches!(e, Effect::OpenLink(url) if url == "https://news.example.org/harbour")
        )
    );
    // Opening the link marks the article read, as newsboat does.
    assert!(app.marks().is_read(0));
    assert_eq!(
        app.message(),
        Some("Opening https://news.example.org/harbour")
    );
    let effects = app.update(Action::CopyLink);
    assert!(
        matches!(effects.as_slice(), [Effect::CopyLink(url)] if url == "https://news.example.org/harbour")
    );
    app.update(Action::ScrollDown);
    assert!(app.update(Action::OpenLink).is_empty());
    assert_eq!(app.message(), Some("This article has no original link"));
    assert!(app.update(Action::CopyLink).is_empty());
    app.update(Msg::LinkNotOpened("xdg-open: not found".into()));
    assert_eq!(
        app.message(),
        Some("The browser did not start: xdg-open: not found")
    );
}

#[test]
fn fetching_runs_once_at_a_time_shows_progress_and_keeps_what_failed() {
    let mut app = app_on(library(articles()));
    let effects = app.update(Action::FetchFeeds);
    let Some(Effect::FetchFeeds(job)) = effects.into_iter().next() else {
        panic!("a fetch is asked for");
    };
    assert_eq!(job.feeds_file, app.settings().feeds_file);
    assert_eq!(job.settings.articles, app.settings().articles_dir);
    assert_eq!(job.settings.parallel, app.settings().fetch_parallel);
    assert!(app.update(Action::FetchFeeds).is_empty());
    assert_eq!(app.message(), Some("Fetching already"));
    app.update(Msg::FetchProgress { done: 1, total: 3 });
    assert_eq!(app.background().fetching(), Some((1, 3)));
    let outcome = |name: &str, new, error: Option<&str>| Outcome {
        url: format!("https://{name}.example/rss"),
        name: name.into(),
        new,
        updated: 0,
        error: error.map(str::to_string),
        notes: Vec::new(),
    };
    app.update(Msg::Fetched(Ok(vec![
        outcome("coast", 2, None),
        outcome("times", 1, None),
        outcome("gone", 0, Some("the server answered 404 Not Found")),
    ])));
    assert_eq!(app.background().fetching(), None);
    assert_eq!(
        app.message(),
        Some("Fetched 3 feeds: 3 new articles · 1 failed (e shows why)")
    );
    assert_eq!(
        app.background().feed_problems(),
        ["https://gone.example/rss: the server answered 404 Not Found"]
    );
    // The problems window opens for them though every file loaded.
    app.update(Action::ShowProblems);
    assert_eq!(
        app.windows().open(),
        Some(broadsheet::app::windows::Overlay::Problems)
    );
    // A fetch that could not start says why, and another may start.
    app.update(Action::Close);
    app.update(Action::FetchFeeds);
    app.update(Msg::Fetched(Err(
        "cannot read feeds: Permission denied".into()
    )));
    assert_eq!(
        app.message(),
        Some("Fetching failed: cannot read feeds: Permission denied")
    );
    assert_eq!(names(&app.update(Action::FetchFeeds)), ["fetch_feeds"]);
}

#[test]
fn the_feeds_that_failed_at_the_last_fetch_are_problems_from_the_start() {
    use broadsheet::feeds::fetch::{State, States};
    let mut app = app_on(library(articles()));
    let state = |url: &str, error: Option<&str>| State {
        url: url.into(),
        error: error.map(Into::into),
        ..State::default()
    };
    app.last_fetch_failed(&States {
        feeds: vec![
            state("https://fine.example/rss", None),
            state(
                "https://gone.example/rss",
                Some("the server answered 404 Not Found"),
            ),
        ],
    });
    assert_eq!(
        app.background().feed_problems(),
        ["https://gone.example/rss: the server answered 404 Not Found"]
    );
    app.update(Action::ShowProblems);
    assert_eq!(
        app.windows().open(),
        Some(broadsheet::app::windows::Overlay::Problems)
    );
}

#[test]
fn more_like_this_finds_one_story_across_outlets_and_names_the_other_outlet() {
    let mut stories = articles();
    let mut other_outlet = article(
        "Storm-hit harbour wall is rebuilt",
        21,
        "The harbour wall broke in the storm and crews repaired the harbour wall.",
    );
    other_outlet.source = "The Atom Times".into();
    stories.push(other_outlet);
    let mut app = app_on(library(stories));
    let msg = indexed(&app);
    app.update(msg);
    // The London Daily report, opened: the other outlet's is the most like it.
    let job = read_job(app.update(Action::Open));
    assert_eq!(
        app.library().articles().headline(job.article),
        "Storm-hit harbour wall is rebuilt",
        "newest first"
    );
    app.update(Action::ScrollDown);
    app.update(Action::Close);
    app.update(Action::ScrollDown);
    let job = read_job(app.update(Action::Open));
    assert_eq!(
        app.library().articles().headline(job.article),
        "Harbour wall repaired after storm"
    );
    app.update(jobs::read_article(job));
    let page = app.page().expect("page");
    let more = page
        .lines
        .iter()
        .position(|l| l.text == "More like this")
        .expect("similar stories");
    // Each link as one line of text, however it wrapped.
    let links: Vec<String> = page
        .links
        .iter()
        .filter(|l| l.lines.0 > more)
        .map(|l| {
            page.lines[l.lines.0..=l.lines.1]
                .iter()
                .map(|line| line.text.trim())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert!(
        links[0].starts_with("→ Storm-hit harbour wall is rebuilt")
            && links[0].ends_with("· The Atom Times"),
        "{links:?}"
    );
    // A report from its own outlet is not labelled.
    assert!(
        links
            .iter()
            .any(|l| l.contains("Storm breaks harbour wall") && !l.contains("London Daily")),
        "{links:?}"
    );
}

#[test]
fn the_reader_fetches_by_itself_when_the_config_says() {
    let config = Config::parse(
        "fetch_on_start = true\nfetch_every_minutes = 30\n",
        Path::new("c.toml"),
    )
    .expect("config");
    let mut app = App::new(library(articles()), &config, 90, 40);
    let effects = app.update(Msg::Started);
    assert_eq!(
        names(&effects),
        [
            "start_watching",
            "start_indexing",
            "fetch_feeds",
            "fetch_later"
        ]
    );
    assert!(matches!(effects[3], Effect::FetchLater(d) if d.as_secs() == 30 * 60));
    // Still fetching when the time comes: only the next time is asked for.
    assert_eq!(names(&app.update(Msg::FetchDue)), ["fetch_later"]);
    app.update(Msg::Fetched(Ok(Vec::new())));
    assert_eq!(
        names(&app.update(Msg::FetchDue)),
        ["fetch_feeds", "fetch_later"]
    );
    // By default it never does.
    let mut quiet = app_on(library(articles()));
    assert_eq!(
        names(&quiet.update(Msg::Started)),
        ["start_watching", "start_indexing"]
    );
    let bad = Config::parse("fetch_every_minutes = -5\n", Path::new("c.toml"))
        .expect_err("negative minutes")
        .to_string();
    assert!(
        bad.starts_with("c.toml:1:23: fetch_every_minutes must be"),
        "{bad}"
    );
}
