//! Bookmarks, read state, notes, reading positions and undo in the reader, driven through
//! actions: what the app shows, and the changes it hands over to be saved. Positions and read
//! state go through a real state file and come back in a second reader with another wrap
//! width; a broken bookmark file turns bookmarking off until it is fixed.

mod common;

use std::path::Path;

use broadsheet::action::Action;
use broadsheet::app::layout::Focus;
use broadsheet::app::list::Order;
use broadsheet::app::windows::Overlay;
use broadsheet::app::{App, Effect, Msg};
use broadsheet::bookmarks::folders::Stores;
use broadsheet::bookmarks::saver::Saved;
use broadsheet::bookmarks::{Bookmark, Bookmarks, Change, File, ReadingState};
use broadsheet::durable::{self, StoreError};
use broadsheet::key::Key;
use broadsheet::loader::load;
use chrono::{DateTime, FixedOffset};
use common::{press, quits, run, select, step, take_saved, type_text};
use crossterm::event::{KeyCode, KeyModifiers};
use tempfile::TempDir;

const GENEVA: &str = "leaders-meet-in-geneva-for-climate-summit";
const TRADE: &str = "trade-talks-stall-again";
const MARKETS: &str = "markets-rally-on-summit-hopes";

fn app_with(config: &str, width: u16, height: u16) -> App {
    let mut app = App::new(
        load(Path::new("tests/fixtures/linked")).expect("load"),
        &common::config(config),
        width,
        height,
    )
    .with_clock(first_clock);
    app.load_saved(Ok(Bookmarks::default()), Ok(ReadingState::default()));
    app
}

fn app() -> App {
    app_with("", 120, 40)
}

fn first_clock() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-20T09:00:00+00:00").expect("time")
}

fn second_clock() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-21T09:00:00+00:00").expect("time")
}

fn at(app: &App, id: &str) -> usize {
    app.library().index_of(id).expect("id")
}

/// The ids of the bookmarks as the view lists them.
fn view_ids(app: &App) -> Vec<String> {
    app.marks()
        .rows(app.library())
        .iter()
        .map(|(b, _)| b.id.clone())
        .collect()
}

#[test]
fn the_bookmark_key_toggles_the_selected_or_open_article_and_says_so() {
    let mut app = app();
    select(&mut app, TRADE);
    step(&mut app, Action::ToggleBookmark);
    assert_eq!(app.message(), Some("Bookmarked"));
    assert!(app.marks().is_bookmarked(at(&app, TRADE)));
    let changes = take_saved();
    match changes.as_slice() {
        [Change::Bookmark(b)] => {
            assert_eq!(b.id, TRADE);
            assert_eq!(b.headline, "Trade Talks \"Stall\" - Again");
            assert_eq!(b.added, "2026-11-20T09:00:00+00:00");
        }
        other => panic!("expected one bookmark change, got {other:?}"),
    }
    step(&mut app, Action::ToggleBookmark);
    assert_eq!(app.message(), Some("Removed bookmark"));
    assert!(!app.marks().is_bookmarked(at(&app, TRADE)));
    assert_eq!(take_saved(), [Change::Unbookmark(TRADE.into())]);

    // In the reader the key is about the open article; in the list, the selected one.
    select(&mut app, MARKETS);
    run(&mut app, &[Action::Open, Action::Close, Action::Top]);
    step(&mut app, Action::ToggleBookmark);
    assert!(
        app.marks().is_bookmarked(at(&app, GENEVA)),
        "the selected headline"
    );
    assert!(!app.marks().is_bookmarked(at(&app, MARKETS)));
    // Tab from the list goes into the article the reading pane shows: beside the list, the
    // selected headline's preview, which it opens.
    run(&mut app, &[Action::NextLink, Action::ToggleBookmark]);
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(app.current().map(|v| v.article), Some(at(&app, GENEVA)));
    assert!(
        !app.marks().is_bookmarked(at(&app, GENEVA)),
        "the shown one"
    );
    // One pane at a time, there is no preview: Tab goes back into the open article.
    let mut narrow = app_with("", 90, 40);
    select(&mut narrow, MARKETS);
    run(&mut narrow, &[Action::Open, Action::Close, Action::Top]);
    run(&mut narrow, &[Action::NextLink, Action::ToggleBookmark]);
    assert_eq!(narrow.focus(), Focus::Reader);
    assert!(
        narrow.marks().is_bookmarked(at(&narrow, MARKETS)),
        "the open article"
    );
}

#[test]
fn the_view_lists_newest_first_opens_removes_and_marks_missing_bookmarks() {
    let mut app = app();
    let gone = Bookmark {
        id: "an-article-that-was-deleted".into(),
        headline: "An Article That Was Deleted".into(),
        date: Some("2024-01-01".into()),
        path: "deleted.txt".into(),
        folder: String::new(),
        added: "2026-11-19T09:00:00+00:00".into(),
        note: String::new(),
    };
    // Saved under an old id, but the headline (loosely: other quotes and dashes, other
    // case) is still in the folder: the bookmark finds it again.
    let renamed = Bookmark {
        id: "old-id-of-the-markets-page".into(),
        headline: "MARKETS RALLY ON SUMMIT HOPES".into(),
        added: "2026-11-18T09:00:00+00:00".into(),
        ..gone.clone()
    };
    app.load_saved(
        Ok(Bookmarks {
            list: vec![renamed, gone],
        }),
        Ok(ReadingState::default()),
    );
    assert!(app.marks().is_bookmarked(at(&app, MARKETS)));
    select(&mut app, TRADE);
    step(&mut app, Action::ToggleBookmark);
    app = app.with_clock(second_clock);
    select(&mut app, GENEVA);
    step(&mut app, Action::ToggleBookmark);

    step(&mut app, Action::ShowBookmarks);
    assert_eq!(app.windows().open(), Some(Overlay::Bookmarks));
    assert_eq!(
        view_ids(&app),
        [
            GENEVA,
            TRADE,
            "an-article-that-was-deleted",
            "old-id-of-the-markets-page"
        ]
    );
    let rows = app.marks().rows(app.library());
    let found: Vec<Option<usize>> = rows.iter().map(|(_, at)| *at).collect();
    assert_eq!(
        found,
        [
            Some(at(&app, GENEVA)),
            Some(at(&app, TRADE)),
            None,
            Some(at(&app, MARKETS))
        ]
    );

    // A missing one cannot be opened, and says why.
    run(
        &mut app,
        &[Action::ScrollDown, Action::ScrollDown, Action::Open],
    );
    assert_eq!(
        app.message(),
        Some("Not in the folder any more: An Article That Was Deleted")
    );
    assert_eq!(app.windows().open(), Some(Overlay::Bookmarks));
    // The reattached one opens its article.
    run(&mut app, &[Action::ScrollDown, Action::Open]);
    assert_eq!(app.windows().open(), None);
    assert_eq!(app.current().map(|v| v.article), Some(at(&app, MARKETS)));

    // Removing from the view, then undoing, puts it back as it was.
    take_saved();
    run(&mut app, &[Action::ShowBookmarks, Action::Top]);
    step(&mut app, Action::ToggleBookmark);
    assert_eq!(app.message(), Some("Removed bookmark"));
    assert_eq!(view_ids(&app).len(), 3);
    step(&mut app, Action::Undo);
    assert_eq!(app.message(), Some("Undone: Removed bookmark"));
    assert_eq!(view_ids(&app)[0], GENEVA);
    match take_saved().as_slice() {
        [Change::Unbookmark(id), Change::Bookmark(back)] => {
            assert_eq!(id, GENEVA);
            assert_eq!(
                back.added, "2026-11-21T09:00:00+00:00",
                "when it was first added"
            );
        }
        other => panic!("expected a removal and its undoing, got {other:?}"),
    }
}

#[test]
fn a_note_is_written_in_a_prompt_and_esc_leaves_it_as_it_was() {
    let mut app = app();
    select(&mut app, TRADE);
    // A note on an article not yet bookmarked bookmarks it with the note.
    step(&mut app, Action::EditNote);
    assert!(app.prompt().is_some());
    type_text(&mut app, "read with teh");
    step(
        &mut app,
        Action::Input(Key::new(KeyCode::Char('w'), KeyModifiers::CONTROL)),
    );
    type_text(&mut app, "the Oct call");
    // Keys bound to actions are text while the prompt is open.
    assert!(!app.marks().is_bookmarked(at(&app, TRADE)));
    press(&mut app, KeyCode::Enter);
    assert!(app.prompt().is_none());
    assert_eq!(app.message(), Some("Bookmarked"));
    assert_eq!(
        app.marks().bookmarks().list[0].note,
        "read with the Oct call"
    );

    // Opening the prompt again shows the note; Esc drops the edit.
    step(&mut app, Action::EditNote);
    assert_eq!(
        app.prompt().as_ref().map(|p| p.edit.text()),
        Some("read with the Oct call")
    );
    type_text(&mut app, " and more");
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        app.marks().bookmarks().list[0].note,
        "read with the Oct call"
    );

    // An edit is a note change, and undo brings the old note back.
    step(&mut app, Action::EditNote);
    step(
        &mut app,
        Action::Input(Key::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    type_text(&mut app, "done");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.message(), Some("Note saved"));
    assert_eq!(app.marks().bookmarks().list[0].note, "done");
    step(&mut app, Action::Undo);
    assert_eq!(
        app.marks().bookmarks().list[0].note,
        "read with the Oct call"
    );
    let changes = take_saved();
    assert_eq!(
        changes.last(),
        Some(&Change::Note {
            id: TRADE.into(),
            note: "read with the Oct call".into()
        })
    );
}

#[test]
fn opened_articles_are_read_and_next_unread_skips_them() {
    let mut app = app();
    assert_eq!(app.marks().unread_count(), 3);
    // Reading order: Geneva (newest), Trade, Markets.
    select(&mut app, TRADE);
    step(&mut app, Action::Open);
    assert!(app.marks().is_read(at(&app, TRADE)));
    assert_eq!(
        take_saved(),
        [Change::Read {
            id: TRADE.into(),
            read: true
        }]
    );
    step(&mut app, Action::Close);
    assert_eq!(app.focus(), Focus::List);
    // From Trade, the next unread is Markets; then it wraps round to Geneva.
    step(&mut app, Action::NextUnread);
    assert_eq!(app.list().selected(), at(&app, MARKETS));
    assert_eq!(
        app.focus(),
        Focus::List,
        "in the list, next unread selects it"
    );
    step(&mut app, Action::Open);
    step(&mut app, Action::NextUnread);
    assert_eq!(
        app.current().map(|v| v.article),
        Some(at(&app, GENEVA)),
        "in the reader, next unread opens it"
    );
    assert_eq!(app.message(), Some("Wrapped to the first unread article"));
    assert_eq!(app.marks().unread_count(), 0);
    step(&mut app, Action::NextUnread);
    assert_eq!(app.message(), Some("No unread articles"));

    // The read key marks unread again, and undo takes that back.
    step(&mut app, Action::ToggleRead);
    assert_eq!(app.message(), Some("Marked unread"));
    assert!(!app.marks().is_read(at(&app, GENEVA)));
    step(&mut app, Action::Undo);
    assert!(app.marks().is_read(at(&app, GENEVA)));
    step(&mut app, Action::Undo);
    assert_eq!(
        app.message(),
        Some("Nothing to undo"),
        "opening an article is not an undoable change"
    );
}

/// Applies the reader's state changes to a real state file.
fn save_state(file: &Path, changes: &[Change]) {
    durable::update(file, |state: &mut ReadingState| {
        for change in changes {
            change.apply_to_state(state);
        }
    })
    .expect("save");
}

#[test]
fn the_reading_position_comes_back_in_this_run_and_the_next_at_another_width() {
    let dir = TempDir::new().expect("tempdir");
    let file = dir.path().join("state.toml");
    let mut first = app();
    select(&mut first, GENEVA);
    step(&mut first, Action::Open);
    for _ in 0..25 {
        step(&mut first, Action::ScrollDown);
    }
    // On a line of text, not the blank between two paragraphs.
    while first.page().expect("open").lines[first.scroll()]
        .text
        .trim()
        .is_empty()
    {
        step(&mut first, Action::ScrollDown);
    }
    let page = first.page().expect("open");
    let line = &page.lines[first.scroll()];
    let (stopped, text) = (line.start, line.text.clone());
    assert!(stopped.block > 3, "scrolled into the body: {stopped:?}");

    // In this run: another article, then back to this one from the list.
    step(&mut first, Action::Close);
    select(&mut first, TRADE);
    step(&mut first, Action::Open);
    step(&mut first, Action::Close);
    select(&mut first, GENEVA);
    step(&mut first, Action::Open);
    assert_eq!(first.current().map(|v| v.position), Some(stopped));
    let quit = step(&mut first, Action::Quit);
    assert!(!quits(&quit), "q in the reader goes back to the list");
    assert!(quits(&step(&mut first, Action::Quit)));
    save_state(&file, &take_saved());
    let saved = std::fs::read_to_string(&file).expect("state file");
    assert!(saved.contains(GENEVA), "{saved}");

    // The next run, with a narrower column: the line shown holds the same place in the text.
    let mut second = app_with("wrap_width = 40", 120, 40);
    second.load_saved(Ok(Bookmarks::default()), durable::load(&file));
    assert!(second.marks().is_read(at(&second, GENEVA)));
    assert!(second.marks().is_read(at(&second, TRADE)));
    assert!(!second.marks().is_read(at(&second, MARKETS)));
    select(&mut second, GENEVA);
    step(&mut second, Action::Open);
    let page = second.page().expect("open");
    let top = second.scroll();
    assert!(page.lines[top].start <= stopped);
    assert!(page.lines.get(top + 1).is_none_or(|l| l.start > stopped));
    let first_word = text.split_whitespace().next().expect("a word");
    assert!(
        page.lines[top].text.contains(first_word),
        "{:?} should hold {first_word:?}",
        page.lines[top].text
    );
    assert!(page.lines[top].text.chars().count() <= 40);
}

#[test]
fn a_broken_bookmark_file_turns_bookmarking_off_until_it_is_fixed() {
    let mut app = app();
    let broken = StoreError::Broken {
        path: "data/bookmarks.toml".into(),
        line: 3,
        column: 7,
        message: "invalid string".into(),
    };
    app.load_saved(Err(broken), Ok(ReadingState::default()));
    let alert = app.alert().expect("the reader says so").to_string();
    assert_eq!(
        alert,
        "Bookmarking is off: bookmarks.toml:3:7: invalid string"
    );

    // Asking to bookmark reads the file again first; still broken, nothing happens.
    select(&mut app, TRADE);
    assert!(matches!(
        step(&mut app, Action::ToggleBookmark).as_slice(),
        [Effect::LoadBookmarks]
    ));
    let again = StoreError::Broken {
        path: "data/bookmarks.toml".into(),
        line: 3,
        column: 7,
        message: "invalid string".into(),
    };
    assert!(step(&mut app, Msg::BookmarksLoaded(Err(again))).is_empty());
    // Asked for, the message names the whole path and says the file is left alone.
    let message = app.message().unwrap_or_default().to_string();
    assert!(
        message.starts_with("Bookmarking is off: data/bookmarks.toml:3:7: invalid string")
            && message.contains("left as it is"),
        "{message}"
    );
    assert!(!app.marks().is_bookmarked(at(&app, TRADE)));
    assert!(take_saved().is_empty(), "nothing to write over the file");

    // Fixed: the waiting bookmark is made.
    assert!(matches!(
        step(&mut app, Action::ToggleBookmark).as_slice(),
        [Effect::LoadBookmarks]
    ));
    step(&mut app, Msg::BookmarksLoaded(Ok(Bookmarks::default())));
    assert_eq!(app.message(), Some("Bookmarked"));
    assert!(app.marks().is_bookmarked(at(&app, TRADE)));
    assert_eq!(app.alert(), None);
}

#[test]
fn a_failed_save_stays_on_the_status_bar_until_a_save_succeeds() {
    let mut app = app();
    step(
        &mut app,
        Msg::Saved {
            saved: Saved::Failed(
                File::Bookmarks,
                "cannot write x: Read-only file system".into(),
            ),
            settled: true,
        },
    );
    assert_eq!(
        app.alert(),
        Some("Not saved yet (will retry): cannot write x: Read-only file system")
    );
    step(&mut app, Action::ScrollDown);
    assert!(app.alert().is_some(), "a key does not hide it");
    step(
        &mut app,
        Msg::Saved {
            saved: Saved::State,
            settled: true,
        },
    );
    assert!(
        app.alert().is_some(),
        "the other file saving says nothing of this one"
    );
    step(
        &mut app,
        Msg::Saved {
            saved: Saved::Bookmarks(Bookmarks::default()),
            settled: true,
        },
    );
    assert_eq!(app.alert(), None);
}

/// A status message too long for the bar takes the row above it too, so its end (here the
/// file's line and column) is on screen, not cut off.
#[test]
fn a_long_status_message_wraps_onto_a_second_row() {
    let mut app = app();
    let broken = StoreError::Broken {
        path: "/home/someone/.local/share/broadsheet/bookmarks.toml".into(),
        line: 3,
        column: 7,
        message: "invalid string".into(),
    };
    app.load_saved(Err(broken), Ok(ReadingState::default()));
    step(&mut app, Action::Resize(40, 20));
    let shown = common::screen(&app);
    let rows: Vec<&str> = shown.lines().collect();
    let bottom = format!("{}{}", rows[18], rows[19]);
    assert!(bottom.contains("Bookmarking is off"), "{shown}");
    assert!(bottom.contains("bookmarks.toml:3:7"), "{shown}");
    // A short one leaves the panes' border alone.
    step(&mut app, Action::Resize(200, 20));
    let wide = common::screen(&app);
    assert!(
        wide.lines().nth(18).is_some_and(|r| r.contains('└')),
        "{wide}"
    );
}

#[test]
fn the_list_order_and_selected_headline_come_back_at_the_next_launch() {
    let dir = TempDir::new().expect("tempdir");
    let stores = Stores::new(
        dir.path().join("bookmarks.toml"),
        dir.path().join("state.toml"),
        Path::new("tests/fixtures/linked"),
    );
    let save = |changes: Vec<Change>| {
        (stores.update_state(|state| changes.iter().for_each(|c| c.apply_to_state(state))))
            .expect("save")
    };
    let mut first = app();
    step(&mut first, Action::CycleOrder);
    assert_eq!(first.list().order(), Order::Oldest);
    select(&mut first, TRADE);
    assert_ne!(
        first.list().selected(),
        0,
        "a headline other than the first"
    );
    assert!(quits(&step(&mut first, Action::Quit)));
    save(take_saved());

    let mut second = app();
    second.load_saved(Ok(Bookmarks::default()), stores.load_state());
    assert_eq!(second.list().order(), Order::Oldest);
    assert_eq!(second.list().selected_article(), Some(at(&second, TRADE)));
    assert_eq!(second.list().selected(), first.list().selected());

    // While a search sorts best match first, the order kept is the one from before it.
    common::index(&mut second);
    step(&mut second, Action::Search);
    type_text(&mut second, "summit");
    press(&mut second, KeyCode::Enter);
    assert_eq!(second.list().order(), Order::Relevance);
    select(&mut second, MARKETS);
    assert!(quits(&step(&mut second, Action::Quit)));
    save(take_saved());
    let third = {
        let mut app = app();
        app.load_saved(Ok(Bookmarks::default()), stores.load_state());
        app
    };
    assert_eq!(third.list().order(), Order::Oldest);
    assert_eq!(third.list().selected_article(), Some(at(&third, MARKETS)));
}

#[test]
fn searches_entered_come_back_with_up_at_the_next_launch() {
    let dir = TempDir::new().expect("tempdir");
    let stores = Stores::new(
        dir.path().join("bookmarks.toml"),
        dir.path().join("state.toml"),
        Path::new("tests/fixtures/linked"),
    );
    let mut first = app();
    common::index(&mut first);
    for search in ["summit", "trade talks"] {
        step(&mut first, Action::Search);
        type_text(&mut first, search);
        press(&mut first, KeyCode::Enter);
        step(&mut first, Action::Close);
    }
    assert!(quits(&step(&mut first, Action::Quit)));
    let changes = take_saved();
    (stores.update_state(|state| changes.iter().for_each(|c| c.apply_to_state(state))))
        .expect("save");

    let mut second = app();
    second.load_saved(Ok(Bookmarks::default()), stores.load_state());
    common::index(&mut second);
    step(&mut second, Action::Search);
    press(&mut second, KeyCode::Up);
    assert_eq!(second.prompt().map(|p| p.edit.text()), Some("trade talks"));
    press(&mut second, KeyCode::Up);
    assert_eq!(second.prompt().map(|p| p.edit.text()), Some("summit"));
    // Nothing new entered: quitting saves no searches again.
    press(&mut second, KeyCode::Esc);
    take_saved();
    step(&mut second, Action::Quit);
    assert!(
        !take_saved()
            .iter()
            .any(|c| matches!(c, Change::Searches(_))),
        "unchanged searches are not written again"
    );
}
