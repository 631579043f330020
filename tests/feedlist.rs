//! The feeds window (issue 28): feeds and folders with unread and total counts that follow
//! read marks, a feed chosen narrows the headline list (and a search stays inside it), a
//! feed marked read, feeds with nothing unread hidden on a key, failures shown; `feeds`
//! counts the same; snapshots at 120×40 and 70×20.

mod common;

use std::path::Path;

use broadsheet::action::Action;
use broadsheet::app::App;
use broadsheet::app::windows::Overlay;
use broadsheet::feedlist::{Feed, Origin, Scope};
use common::{app_in, index, run, screen, step, type_text};
use crossterm::event::KeyCode;
use tempfile::TempDir;

/// A folder with two feeds' pages (in their folders) and the bundled London Daily pages.
fn folder() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    let page = |source: &str, headline: &str, day: u32| {
        common::page_with(
            headline,
            &format!("Monday, Mar {day}, 2025"),
            "A summary of the harbour story.",
            "The harbour wall was rebuilt after the storm.",
            &[],
        )
        .replacen("London Daily", source, 1)
    };
    for (k, headline) in ["Golem one", "Golem two", "Golem three"].iter().enumerate() {
        let name = format!("golem-de/2025-03-0{k}.txt");
        common::write(dir.path(), &name, &page("Golem.de", headline, 3 + k as u32));
    }
    for (k, headline) in ["Heise one", "Heise two"].iter().enumerate() {
        let name = format!("heise/2025-03-0{k}.txt");
        common::write(dir.path(), &name, &page("Heise", headline, 10 + k as u32));
    }
    for entry in std::fs::read_dir("articles").expect("articles").flatten() {
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    dir
}

fn feeds() -> Vec<Feed> {
    vec![
        Feed {
            origin: Origin::Local,
            url: "https://golem.example/rss".into(),
            name: "Golem.de".into(),
            tags: vec!["Tech".into()],
            folder: "golem-de".into(),
            error: None,
        },
        // Followed on the sync server.
        Feed {
            origin: Origin::Sync,
            url: "https://heise.example/rss".into(),
            name: "Heise".into(),
            tags: vec!["Tech".into()],
            folder: "heise".into(),
            error: None,
        },
        Feed {
            origin: Origin::Local,
            url: "https://gone.example/rss".into(),
            name: "Gone".into(),
            tags: Vec::new(),
            folder: "gone".into(),
            error: Some("the server answered 404 Not Found".into()),
        },
    ]
}

fn app(dir: &Path, width: u16, height: u16) -> App {
    let mut app = app_in(dir, width, height);
    app.load_feeds(feeds());
    index(&mut app);
    app
}

/// The feeds window's rows as `label unread/total`.
fn rows(app: &App) -> Vec<String> {
    app.feedlist()
        .rows()
        .iter()
        .map(|r| format!("{} {}/{}", r.label, r.unread, r.total))
        .collect()
}

/// Selects the feeds window's row with this label.
fn select_row(app: &mut App, label: &str) {
    let at = app
        .feedlist()
        .rows()
        .iter()
        .position(|r| r.label == label)
        .expect("the row");
    step(app, Action::Top);
    for _ in 0..at {
        step(app, Action::ScrollDown);
    }
}

fn listed(app: &App) -> Vec<String> {
    (0..app.list().rows())
        .filter_map(|row| app.list().article_at(row))
        .map(|i| app.library().articles().headline(i).to_string())
        .collect()
}

#[test]
fn the_feeds_window_counts_and_narrows_the_list_to_a_feed() {
    let dir = folder();
    let mut app = app(dir.path(), 120, 40);
    step(&mut app, Action::ShowFeeds);
    assert_eq!(app.windows().open(), Some(Overlay::Feeds));
    assert_eq!(
        rows(&app),
        [
            "All 7/7",
            "Tech 5/5",
            "Golem.de 3/3",
            "Heise 2/2",
            "Gone 0/0",
            "Other pages 2/2"
        ]
    );
    // Choosing Golem.de lists its articles alone.
    select_row(&mut app, "Golem.de");
    step(&mut app, Action::Open);
    assert_eq!(app.windows().open(), None);
    assert_eq!(app.feedlist().scope(), Some(&Scope::Feed(0)));
    assert_eq!(listed(&app), ["Golem three", "Golem two", "Golem one"]);
    assert!(screen(&app).contains("Golem.de · 3 articles · 3 unread"));
    // A read mark made in the list is counted.
    step(&mut app, Action::ToggleRead);
    step(&mut app, Action::ShowFeeds);
    assert!(
        rows(&app).contains(&"Golem.de 2/3".to_string()),
        "{:?}",
        rows(&app)
    );
    assert!(rows(&app).contains(&"All 6/7".to_string()));
    step(&mut app, Action::Close);
    // A search stays inside the feed: "harbour" is in every page, Golem's only are listed.
    step(&mut app, Action::Search);
    type_text(&mut app, "harbour");
    common::press(&mut app, KeyCode::Enter);
    assert_eq!(listed(&app).len(), 3, "{:?}", listed(&app));
    assert!(listed(&app).iter().all(|h| h.starts_with("Golem")));
    // All again.
    step(&mut app, Action::ShowFeeds);
    select_row(&mut app, "All");
    step(&mut app, Action::Open);
    assert_eq!(app.feedlist().scope(), None);
}

#[test]
fn a_folder_is_marked_read_and_read_feeds_can_be_hidden() {
    let dir = folder();
    let mut app = app(dir.path(), 120, 40);
    step(&mut app, Action::ShowFeeds);
    select_row(&mut app, "Tech");
    step(&mut app, Action::MarkAllRead);
    assert_eq!(app.message(), Some("Marked 5 articles read"));
    assert_eq!(
        rows(&app),
        [
            "All 2/7",
            "Tech 0/5",
            "Golem.de 0/3",
            "Heise 0/2",
            "Gone 0/0",
            "Other pages 2/2"
        ]
    );
    step(&mut app, Action::ToggleRead);
    assert_eq!(rows(&app), ["All 2/7", "Other pages 2/2"]);
    step(&mut app, Action::ToggleRead);
    assert_eq!(rows(&app).len(), 6);
    // The feed that failed says so.
    let shown = screen(&app);
    assert!(shown.contains("failed: the server answered 404"), "{shown}");
}

#[test]
fn the_feeds_window_on_screen() {
    let dir = folder();
    let mut wide = app(dir.path(), 120, 40);
    run(
        &mut wide,
        &[Action::ScrollDown, Action::ToggleRead, Action::ShowFeeds],
    );
    insta::assert_snapshot!("feeds_120x40", screen(&wide));
    let mut narrow = app(dir.path(), 70, 20);
    run(&mut narrow, &[Action::ShowFeeds, Action::ScrollDown]);
    let shown = screen(&narrow);
    insta::assert_snapshot!("feeds_70x20", shown);
    // The sync server's feed says so; the local ones do not.
    assert!(shown.contains("Heise (server)"), "{shown}");
    assert!(!shown.contains("Golem.de (server)"), "{shown}");
}

#[test]
fn the_feeds_window_is_a_click_away_and_a_feed_two() {
    let dir = folder();
    let mut app = app(dir.path(), 120, 40);
    // The headline list's title opens it.
    step(&mut app, Action::Click { column: 10, row: 0 });
    assert_eq!(app.windows().open(), Some(Overlay::Feeds));
    let screen_area = ratatui::layout::Rect::new(0, 0, 120, 40);
    let len = app.feedlist().rows().len();
    let rect =
        broadsheet::app::layout::window_rect(screen_area, len, broadsheet::app::feedlist::WIDEST)
            .expect("the window fits");
    let heise = app
        .feedlist()
        .rows()
        .iter()
        .position(|r| r.label == "Heise")
        .expect("Heise") as u16;
    let click = Action::Click {
        column: rect.x + 3,
        row: rect.y + 1 + heise,
    };
    // One click selects the row, a second chooses it.
    step(&mut app, click);
    assert_eq!(app.windows().selected(), usize::from(heise));
    step(&mut app, click);
    assert_eq!(app.windows().open(), None);
    assert_eq!(app.feedlist().scope(), Some(&Scope::Feed(1)));
    assert_eq!(listed(&app), ["Heise two", "Heise one"]);
}

#[test]
fn an_empty_folder_says_how_to_get_news_and_an_empty_feed_says_so() {
    // The left pane's text, its lines joined: a note wraps.
    let left = |app: &App| -> String {
        let screen = screen(app);
        let text: Vec<String> = screen
            .lines()
            .map(|l| l.chars().skip(2).take(52).collect::<String>())
            .collect();
        text.join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let empty = TempDir::new().expect("temp dir");
    let mut nothing = app_in(empty.path(), 120, 40);
    let shown = left(&nothing);
    assert!(
        shown.contains("`broadsheet feeds add URL` subscribes"),
        "{shown}"
    );
    nothing.load_feeds(feeds());
    let shown = left(&nothing);
    assert!(shown.contains("No articles yet"), "{shown}");
    assert!(shown.contains("R fetches your 3 feeds"), "{shown}");
    // A feed with nothing fetched yet, chosen.
    let dir = folder();
    let mut app = app(dir.path(), 120, 40);
    step(&mut app, Action::ShowFeeds);
    select_row(&mut app, "Gone");
    step(&mut app, Action::Open);
    let shown = left(&app);
    assert!(
        shown.contains("No articles from Gone yet. f chooses another feed."),
        "{shown}"
    );
}
