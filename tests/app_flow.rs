//! The reader's behaviour driven through actions, without a terminal: opening, scrolling,
//! paging, next/previous, links, history, resizing, windows, the mouse and the keymap.

mod common;

use std::path::Path;

use broadsheet::action::Action;
use broadsheet::app::App;
use broadsheet::app::layout::Focus;
use broadsheet::app::reader_view::LineKind;
use broadsheet::app::windows::Overlay;
use broadsheet::config::Config;
use broadsheet::key::Key;
use common::{app_in, indexing, quits, run, select, step};
use crossterm::event::{KeyCode, KeyModifiers};

const GENEVA: &str = "leaders-meet-in-geneva-for-climate-summit";
const TRADE: &str = "trade-talks-stall-again";
const MARKETS: &str = "markets-rally-on-summit-hopes";

fn app(folder: &str, width: u16, height: u16) -> App {
    app_in(Path::new(folder), width, height)
}

fn open_id(app: &App) -> Option<&str> {
    app.current()
        .map(|v| app.library().articles().id(v.article))
}

/// The first line of text shown in the reading pane.
fn top_line(app: &App) -> String {
    let page = app.page().expect("an open article");
    page.lines[app.scroll()].text.clone()
}

#[test]
fn enter_opens_the_selected_headline_and_the_selection_follows() {
    let mut app = app("articles", 120, 40);
    assert_eq!(app.focus(), Focus::List);
    run(&mut app, &[Action::ScrollDown, Action::Open]);
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(
        open_id(&app),
        Some("russian-president-vladimir-putin-hails-model-relations-with-china")
    );
    assert_eq!(app.list().selected(), 1);
    assert_eq!(app.reader().history().len(), 1);
    assert!(top_line(&app).starts_with("Russian President Vladimir Putin"));
}

#[test]
fn scrolling_is_clamped_at_both_ends() {
    let mut app = app("articles", 120, 40);
    run(&mut app, &[Action::Open, Action::ScrollUp, Action::PageUp]);
    assert_eq!(app.scroll(), 0);
    assert_eq!(app.position_label(), "Top");
    let lines = app.page().expect("page").lines.len();
    let rows = app.reader_rows();
    run(&mut app, &[Action::Bottom]);
    assert_eq!(app.scroll(), lines - rows);
    assert_eq!(app.position_label(), "End");
    run(
        &mut app,
        &[Action::ScrollDown, Action::PageDown, Action::ScrollDown],
    );
    assert_eq!(app.scroll(), lines - rows);
    run(&mut app, &[Action::ScrollUp]);
    assert_eq!(app.scroll(), lines - rows - 1);
    assert!(app.position_label().ends_with('%'));
}

#[test]
fn paging_moves_a_screen_less_one_line() {
    let mut app = app("articles", 120, 40);
    run(&mut app, &[Action::Open, Action::PageDown]);
    let rows = app.reader_rows();
    assert_eq!(app.scroll(), rows - 1);
    run(&mut app, &[Action::PageDown, Action::PageUp]);
    assert_eq!(app.scroll(), rows - 1);
    run(&mut app, &[Action::Top]);
    assert_eq!(app.scroll(), 0);
}

#[test]
fn paging_in_the_list_moves_by_a_screen_and_keeps_the_selection_in_view() {
    let dir = tempfile::TempDir::new().expect("tempdir");
    broadsheet::generate::write_folder(dir.path(), 120, 3).expect("generate");
    let mut app = app(&dir.path().to_string_lossy(), 60, 20);
    let rows = app.list_rows();
    run(&mut app, &[Action::PageDown]);
    assert_eq!(app.list().selected(), rows);
    assert!(
        app.list().selected() >= app.list().top()
            && app.list().selected() < app.list().top() + rows
    );
    run(&mut app, &[Action::Bottom]);
    assert_eq!(app.list().selected(), 119);
    assert_eq!(app.list().top(), 120 - rows);
    run(&mut app, &[Action::ScrollDown]);
    assert_eq!(app.list().selected(), 119);
    run(&mut app, &[Action::Top, Action::ScrollUp]);
    assert_eq!((app.list().selected(), app.list().top()), (0, 0));
}

#[test]
fn next_and_previous_step_through_the_list_in_the_reader() {
    let mut app = app("tests/fixtures/linked", 120, 40);
    run(&mut app, &[Action::Open]);
    assert_eq!(open_id(&app), Some(GENEVA));
    run(&mut app, &[Action::NextArticle]);
    assert_eq!(open_id(&app), Some(TRADE));
    assert_eq!((app.focus(), app.list().selected()), (Focus::Reader, 1));
    run(&mut app, &[Action::NextArticle, Action::NextArticle]);
    assert_eq!(open_id(&app), Some(MARKETS));
    assert_eq!(app.message(), Some("This is the last article"));
    run(&mut app, &[Action::PreviousArticle]);
    assert_eq!(open_id(&app), Some(TRADE));
    assert_eq!(app.reader().history().len(), 4);
}

#[test]
fn tab_focuses_links_and_enter_follows_them_with_history() {
    let mut app = app("tests/fixtures/linked", 60, 20);
    run(&mut app, &[Action::Open]);
    let page = app.page().expect("page").clone();
    // Two of the three related headlines are in the folder; the third is not a link.
    assert_eq!(page.links.len(), 2);
    assert_eq!(
        page.lines
            .iter()
            .filter(|l| l.kind == LineKind::DeadLink)
            .count(),
        1
    );
    run(&mut app, &[Action::NextLink]);
    assert_eq!(app.focused_link(), Some(0));
    // The pane scrolled so that the link is on screen.
    let (first, last) = page.links[0].lines;
    assert!(first >= app.scroll() && last < app.scroll() + app.reader_rows());

    run(&mut app, &[Action::NextLink, Action::NextLink]);
    assert_eq!(app.focused_link(), Some(0), "focus wraps around");
    run(&mut app, &[Action::PreviousLink]);
    assert_eq!(app.focused_link(), Some(1));
    run(&mut app, &[Action::PreviousLink]);
    let where_we_were = app.scroll();
    run(&mut app, &[Action::Open]);
    assert_eq!(open_id(&app), Some(TRADE));
    assert_eq!(app.scroll(), 0);
    assert_eq!(
        app.list().selected(),
        app.library().index_of(TRADE).expect("id")
    );

    run(&mut app, &[Action::ScrollDown, Action::ScrollDown]);
    run(&mut app, &[Action::Back]);
    assert_eq!(open_id(&app), Some(GENEVA));
    assert_eq!(app.scroll(), where_we_were, "back restores the position");
    assert_eq!(app.focused_link(), Some(0));
    assert_eq!(app.list().selected(), 0);

    run(&mut app, &[Action::Forward]);
    assert_eq!(open_id(&app), Some(TRADE));
    assert_eq!(app.scroll(), 2, "forward restores the position too");
    run(&mut app, &[Action::Forward]);
    assert_eq!(app.message(), Some("Nothing further forward in history"));

    // Following a new link from an earlier step drops the forward history.
    run(&mut app, &[Action::Back, Action::NextLink, Action::Open]);
    assert_eq!(open_id(&app), Some(MARKETS));
    assert_eq!(app.reader().history().len(), 2);
    run(&mut app, &[Action::Forward]);
    assert_eq!(open_id(&app), Some(MARKETS));
}

#[test]
fn enter_without_a_focused_link_says_how_to_get_one() {
    let mut app = app("tests/fixtures/linked", 120, 40);
    run(&mut app, &[Action::Open, Action::Open]);
    assert_eq!(open_id(&app), Some(GENEVA));
    assert_eq!(
        app.message(),
        Some("tab moves to the links; Enter follows one")
    );
    // An article with no links says so.
    select(&mut app, MARKETS);
    run(
        &mut app,
        &[
            Action::Close,
            Action::Bottom,
            Action::Open,
            Action::NextLink,
        ],
    );
    assert_eq!(open_id(&app), Some(MARKETS));
    assert_eq!(app.focused_link(), None);
    assert!(app.message().is_some());
}

#[test]
fn resizing_between_wide_and_narrow_keeps_selection_and_position() {
    let mut app = app("articles", 120, 40);
    run(&mut app, &[Action::ScrollDown, Action::Open]);
    for _ in 0..15 {
        step(&mut app, Action::ScrollDown);
    }
    while top_line(&app).is_empty() {
        step(&mut app, Action::ScrollDown);
    }
    let line = top_line(&app);
    let word = line.split_whitespace().next().expect("text").to_string();
    assert!(app.areas().wide);

    run(&mut app, &[Action::Resize(60, 20)]);
    assert!(!app.areas().wide);
    assert_eq!(app.focus(), Focus::Reader);
    assert_eq!(app.list().selected(), 1);
    // Re-wrapped at another width, the view still starts at the same place in the text:
    // the top line is the one that holds it.
    assert!(
        top_line(&app).contains(&word),
        "{:?} vs {line:?}",
        top_line(&app)
    );

    run(&mut app, &[Action::Close]);
    assert_eq!(app.focus(), Focus::List);
    assert!(app.areas().reader.is_empty(), "narrow: one pane at a time");
    run(&mut app, &[Action::Resize(200, 60), Action::Open]);
    assert_eq!(app.list().selected(), 1);
    assert!(top_line(&app).contains(&word));
}

#[test]
fn help_opens_and_closes_with_question_mark_esc_and_q() {
    let mut app = app("articles", 120, 40);
    for close in [Action::Help, Action::Close, Action::Quit] {
        run(&mut app, &[Action::Help]);
        assert_eq!(app.windows().open(), Some(Overlay::Help));
        // Keys scroll the window, not the panes behind it.
        run(&mut app, &[Action::ScrollDown]);
        assert_eq!(app.list().selected(), 0);
        assert!(!quits(&run(&mut app, &[close])));
        assert_eq!(app.windows().open(), None);
    }
}

#[test]
fn quit_leaves_the_article_then_quits_and_ctrl_c_quits_anywhere() {
    let mut app = app("articles", 60, 20);
    assert!(!quits(&run(&mut app, &[Action::Open, Action::Quit])));
    assert_eq!(app.focus(), Focus::List);
    assert!(quits(&run(&mut app, &[Action::Quit])));
    let mut app = self::app("articles", 60, 20);
    assert!(quits(&run(
        &mut app,
        &[Action::Open, Action::Help, Action::ForceQuit]
    )));
}

/// Back in history gives the list its scroll as it was, instead of putting the selected
/// row at the top.
#[test]
fn back_keeps_the_list_scrolled_where_it_was() {
    let dir = tempfile::TempDir::new().expect("tempdir");
    broadsheet::generate::write_folder(dir.path(), 80, 3).expect("generate");
    let mut app = app_in(dir.path(), 120, 20);
    for _ in 0..25 {
        run(&mut app, &[Action::ScrollDown]);
    }
    let (top, selected) = (app.list().top(), app.list().selected());
    assert!(top > 0 && selected > top, "scrolled: {top} {selected}");
    run(&mut app, &[Action::Open]);
    for _ in 0..20 {
        run(&mut app, &[Action::NextArticle]);
    }
    assert!(
        app.list().top() > selected,
        "the list followed: {}",
        app.list().top()
    );
    for _ in 0..20 {
        run(&mut app, &[Action::Back]);
    }
    assert_eq!(app.list().selected(), selected);
    assert_eq!(app.list().top(), top);
}

/// Ctrl-C quits from the search and note prompts too, not only from the panes.
#[test]
fn ctrl_c_quits_from_the_prompts() {
    use crossterm::event::{Event, KeyEvent};
    let ctrl_c = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
    for open in [Action::Search, Action::ToggleBookmark] {
        let mut app = app("articles", 120, 40);
        run(&mut app, &[open]);
        if open == Action::ToggleBookmark {
            run(&mut app, &[Action::EditNote]);
        }
        assert!(app.prompt().is_some(), "{open:?} opens a prompt");
        let action = app.to_action(ctrl_c.clone()).expect("an action");
        assert_eq!(action, Action::ForceQuit, "{open:?}");
        assert!(quits(&step(&mut app, action)), "{open:?}");
        // Other keys still go to the prompt as text.
        let mut app = self::app("articles", 120, 40);
        run(&mut app, &[Action::Search]);
        let q = Event::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE));
        assert_eq!(
            app.to_action(q),
            Some(Action::Input(Key::new(
                KeyCode::Char('q'),
                KeyModifiers::NONE
            )))
        );
    }
}

/// While the terminal is too small to show the reader, keys change nothing (`r` would mark
/// the selected article unread unseen); quit and resize still work.
#[test]
fn keys_do_nothing_while_the_terminal_is_too_small() {
    let mut app = app("articles", 20, 5);
    let before = app.marks().is_read(0);
    run(
        &mut app,
        &[
            Action::ToggleRead,
            Action::ScrollDown,
            Action::Open,
            Action::ToggleBookmark,
        ],
    );
    assert_eq!(app.marks().is_read(0), before);
    assert_eq!(app.list().selected(), 0);
    assert_eq!(app.focus(), Focus::List);
    assert!(!app.marks().is_bookmarked(0));
    run(&mut app, &[Action::Resize(120, 40), Action::ToggleRead]);
    assert_ne!(app.marks().is_read(0), before, "acts once it fits");
    run(&mut app, &[Action::Resize(20, 5)]);
    assert!(quits(&run(&mut app, &[Action::Quit])));
}

#[test]
fn the_problems_window_lists_load_diagnostics() {
    let mut app = app("tests/fixtures/pages", 120, 40);
    run(&mut app, &[Action::ShowProblems]);
    assert_eq!(app.windows().open(), Some(Overlay::Problems));
    run(&mut app, &[Action::ShowProblems]);
    assert_eq!(app.windows().open(), None);
    let mut clean = self::app("articles", 120, 40);
    run(&mut clean, &[Action::ShowProblems]);
    assert_eq!(clean.windows().open(), None);
    assert!(clean.message().is_some());
}

#[test]
fn clicks_select_and_open_headlines_and_follow_links() {
    let mut app = app("tests/fixtures/linked", 120, 40);
    // Rows of the list start inside its border, at row 1.
    run(&mut app, &[Action::Click { column: 5, row: 2 }]);
    assert_eq!((app.list().selected(), app.current()), (1, None));
    run(&mut app, &[Action::Click { column: 5, row: 2 }]);
    assert_eq!(open_id(&app), Some(TRADE));
    // The trade story links back to Geneva: click it.
    run(&mut app, &[Action::Bottom]);
    let page = app.page().expect("page").clone();
    let (line, _) = page.links[0].lines;
    let text = app.areas().text_column(app.settings().wrap_width);
    let row = text.y + (line - app.scroll()) as u16;
    run(
        &mut app,
        &[Action::Click {
            column: text.x + 2,
            row,
        }],
    );
    assert_eq!(open_id(&app), Some(GENEVA));
    assert_eq!(app.reader().history().len(), 2);
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let mut app = app("articles", 120, 40);
    run(&mut app, &[Action::Open]);
    let reader = app.areas().reader;
    run(
        &mut app,
        &[Action::Wheel {
            column: reader.x + 5,
            row: 10,
            down: true,
        }],
    );
    assert_eq!(app.scroll(), 3);
    assert_eq!(app.list().selected(), 0);
    run(
        &mut app,
        &[Action::Wheel {
            column: 3,
            row: 10,
            down: true,
        }],
    );
    assert_eq!(
        app.list().selected(),
        1,
        "the list moved, the article did not"
    );
    assert_eq!(app.scroll(), 3);
}

#[test]
fn tiny_sizes_and_resize_storms_never_panic() {
    let mut app = app("tests/fixtures/linked", 120, 40);
    let sizes = [
        (1, 1),
        (0, 0),
        (23, 5),
        (24, 6),
        (99, 30),
        (100, 30),
        (3, 200),
        (500, 2),
    ];
    for (i, &(w, h)) in sizes.iter().cycle().take(64).enumerate() {
        let step = [
            Action::Open,
            Action::NextLink,
            Action::PageDown,
            Action::Bottom,
        ][i % 4];
        run(&mut app, &[Action::Resize(w, h), step]);
        let backend = ratatui::backend::TestBackend::new(w, h);
        let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
        terminal
            .draw(|f| broadsheet::ui::render(&app, f))
            .expect("draw");
    }
}

#[test]
fn keys_map_to_actions_and_can_be_rebound() {
    let config = Config::parse(
        "[keys]\nscroll_down = [\"ctrl-n\", \"J\"]\nhelp = [\"f1\"]\n",
        Path::new("c.toml"),
    )
    .expect("valid bindings");
    let keys = &config.keymap;
    let key = |code, mods| keys.action(Key::new(code, mods));
    assert_eq!(
        key(KeyCode::Char('n'), KeyModifiers::CONTROL),
        Some(Action::ScrollDown)
    );
    // A terminal may report Shift with an upper-case letter; it is the same key.
    assert_eq!(
        key(KeyCode::Char('J'), KeyModifiers::SHIFT),
        Some(Action::ScrollDown)
    );
    assert_eq!(
        key(KeyCode::Char('j'), KeyModifiers::NONE),
        None,
        "replaced"
    );
    assert_eq!(key(KeyCode::F(1), KeyModifiers::NONE), Some(Action::Help));
    assert_eq!(key(KeyCode::Char('?'), KeyModifiers::NONE), None);
    assert_eq!(
        key(KeyCode::BackTab, KeyModifiers::SHIFT),
        Some(Action::PreviousLink)
    );
    assert_eq!(key(KeyCode::Left, KeyModifiers::ALT), Some(Action::Back));
    assert_eq!(
        key(KeyCode::Char('c'), KeyModifiers::CONTROL),
        Some(Action::ForceQuit)
    );

    // The help is generated from the live keymap.
    let app = App::new(
        broadsheet::loader::load(Path::new("articles")).expect("load"),
        &config,
        120,
        40,
    );
    let help = app.help_entries();
    assert!(
        help.iter()
            .any(|(k, _, n)| k == "ctrl-n, J" && *n == "scroll_down")
    );
    assert!(help.iter().any(|(k, _, n)| k == "f1" && *n == "help"));
    // Key names read back as written.
    for name in ["ctrl-n", "J", "f1", "alt-left", "backtab", "space", "?"] {
        assert_eq!(Key::parse(name).expect("parses").to_string(), name);
    }
}

#[test]
fn bad_bindings_are_config_errors_with_positions() {
    let parse = |text: &str| Config::parse(text, Path::new("c.toml")).expect_err("bad");
    let err = parse("wrap_width = 70\n[keys]\nscroll_dwn = [\"j\"]\n").to_string();
    assert!(err.starts_with("c.toml:3:1: "), "{err}");
    assert!(err.contains("scroll_dwn"), "{err}");
    let err = parse("[keys]\nhelp = [\"h\"]\n").to_string();
    assert!(err.starts_with("c.toml:2:1: "), "{err}");
    assert!(
        err.contains("'h'") && err.contains("close") && err.contains("help"),
        "{err}"
    );
    let err = parse("[keys]\nquit = [\"q\"]\n  top = [\"ctrl-\u{e9}x\"]\n").to_string();
    assert!(err.starts_with("c.toml:3:3: "), "{err}");
    let err = parse("[keys]\nquit = 5\n").to_string();
    assert!(err.starts_with("c.toml:2:1: "), "{err}");
    // Two actions on one key, both from the user.
    let err = parse("[keys]\nnext_article = [\"x\"]\nprevious_article = [\"x\"]\n").to_string();
    assert!(err.contains("'x'"), "{err}");
}

#[test]
fn theme_colours_parse_and_none_is_monochrome() {
    let config = Config::parse(
        "[theme]\nlink = \"#ff8800\"\naccent = \"208\"\n",
        Path::new("c.toml"),
    )
    .expect("valid theme");
    assert_eq!(
        config.theme.link,
        ratatui::style::Color::Rgb(0xff, 0x88, 0x00)
    );
    assert_eq!(config.theme.accent, ratatui::style::Color::Indexed(208));
    let none = Config::parse("theme = \"none\"\n", Path::new("c.toml")).expect("none");
    assert!(!none.theme.color);
    let err = Config::parse("[theme]\nlink = \"blurple\"\n", Path::new("c.toml"))
        .expect_err("bad colour")
        .to_string();
    assert!(
        err.starts_with("c.toml:2:1: ") && err.contains("blurple"),
        "{err}"
    );
    let err = Config::parse("[theme]\nlinks = \"red\"\n", Path::new("c.toml"))
        .expect_err("bad slot")
        .to_string();
    assert!(err.contains("links"), "{err}");
}

/// The app with its index built, as it is a moment after start.
fn indexed(folder: &str, width: u16, height: u16) -> App {
    let mut app = app(folder, width, height);
    common::index(&mut app);
    app
}

/// Focuses the first link under the section titled `title` and follows it.
fn follow_first_link_in(app: &mut App, title: &str) -> usize {
    let page = app.page().expect("page").clone();
    let section = page
        .lines
        .iter()
        .position(|l| l.kind == LineKind::Section && l.text == title)
        .unwrap_or_else(|| panic!("a {title} section"));
    let n = page
        .links
        .iter()
        .position(|l| l.lines.0 > section)
        .expect("a link after it");
    // Tab through the links (focus may start where history left it) until the one is focused.
    for _ in 0..page.links.len() {
        if app.focused_link() == Some(n) {
            break;
        }
        step(app, Action::NextLink);
    }
    assert_eq!(app.focused_link(), Some(n));
    let target = page.links[n].target;
    step(app, Action::Open);
    target
}

#[test]
fn following_more_like_this_and_linked_from_links_pushes_history() {
    let mut app = indexed("tests/fixtures/linked", 120, 40);
    run(&mut app, &[Action::Open]);
    assert_eq!(open_id(&app), Some(GENEVA));
    let target = follow_first_link_in(&mut app, "More like this");
    assert_eq!(app.current().map(|v| v.article), Some(target));
    assert_eq!(open_id(&app), Some(MARKETS));
    assert_eq!(app.reader().history().len(), 2);

    run(&mut app, &[Action::Back]);
    assert_eq!(open_id(&app), Some(GENEVA));
    // Geneva is named by the trade story's related list.
    let target = follow_first_link_in(&mut app, "Linked from");
    assert_eq!(app.library().articles().id(target), TRADE);
    assert_eq!(open_id(&app), Some(TRADE));
    assert_eq!(
        app.reader().history().len(),
        2,
        "forward history was replaced"
    );
    run(&mut app, &[Action::Back]);
    assert_eq!(open_id(&app), Some(GENEVA));
    run(&mut app, &[Action::Forward]);
    assert_eq!(open_id(&app), Some(TRADE));
}

#[test]
fn story_keys_step_through_the_thread_by_date_and_the_window_opens_a_report() {
    let dir = tempfile::TempDir::new().expect("tempdir");
    broadsheet::generate::write_folder(dir.path(), 60, 3).expect("generate");
    let mut app = indexed(&dir.path().to_string_lossy(), 120, 40);
    run(&mut app, &[Action::Open, Action::ShowThread]);
    assert_eq!(app.windows().open(), Some(Overlay::Thread));
    let thread = app.windows().thread().to_vec();
    assert!(thread.len() >= 2, "generated stories have several reports");
    // Open the oldest report from the window, then walk forward with the story key.
    run(&mut app, &[Action::Top, Action::Open]);
    assert_eq!(app.windows().open(), None);
    assert_eq!(app.current().map(|v| v.article), Some(thread[0]));
    for (k, &expected) in thread.iter().enumerate().skip(1) {
        run(&mut app, &[Action::NextInThread]);
        assert_eq!(app.current().map(|v| v.article), Some(expected));
        assert_eq!(app.story_position(), Some((k + 1, thread.len())));
    }
    let dates: Vec<_> = thread
        .iter()
        .map(|&i| app.library().head(i).expect("article").date)
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    run(&mut app, &[Action::NextInThread]);
    assert_eq!(
        app.message(),
        Some("This is the latest report of this story")
    );
    run(&mut app, &[Action::PreviousInThread]);
    assert_eq!(
        app.current().map(|v| v.article),
        Some(thread[thread.len() - 2])
    );
    assert_eq!(app.reader().history().len(), thread.len() + 2);
}

#[test]
fn story_keys_before_the_index_is_ready_say_indexing() {
    let mut app = app("tests/fixtures/linked", 120, 40);
    indexing(&mut app, 1);
    run(&mut app, &[Action::Open, Action::NextInThread]);
    assert_eq!(open_id(&app), Some(GENEVA));
    assert_eq!(
        app.message(),
        Some("Indexing… 33% (stories come when it is done)")
    );
    // The pending page says so too, and fills in when the index arrives.
    let note = |app: &App| {
        app.page()
            .expect("page")
            .lines
            .iter()
            .any(|l| l.kind == LineKind::Note)
    };
    assert!(note(&app));
    common::index(&mut app);
    assert!(!note(&app));
    assert_eq!(app.background().indexing(), None);
}

#[test]
fn the_reader_holds_headers_and_reads_an_opened_article_from_its_page() {
    let config = Config::parse("", Path::new("config.toml")).expect("defaults");
    let dir = tempfile::TempDir::new().expect("tempdir");
    let folder = Path::new("tests/fixtures/linked");
    for name in ["geneva.txt", "trade.txt", "markets.txt"] {
        std::fs::copy(folder.join(name), dir.path().join(name)).expect("copy");
    }
    // Geneva's related list lacks its closing ×: a warning only its whole text gives.
    let geneva = std::fs::read_to_string(dir.path().join("geneva.txt")).expect("read");
    let cut = geneva.trim_end().strip_suffix('×').expect("a closing ×");
    std::fs::write(dir.path().join("geneva.txt"), cut).expect("write");
    let heads = broadsheet::loader::load_heads(dir.path()).expect("heads");
    assert!((0..heads.len()).all(|i| heads.held_text(i).is_none()));
    assert!(heads.diagnostics().is_empty());
    let mut app = App::new(heads, &config, 120, 40).on_headers();
    // A bookmark saved under an old id finds its article by headline once the indexing thread
    // has folded every headline (not on the drawing thread before the first screen).
    let renamed = broadsheet::bookmarks::Bookmark {
        id: "an-old-id".into(),
        headline: "markets rally on summit hopes".into(),
        date: None,
        path: String::new(),
        folder: String::new(),
        added: "2026-11-20T09:00:00+00:00".into(),
        note: String::new(),
    };
    app.load_saved(
        Ok(broadsheet::bookmarks::Bookmarks {
            list: vec![renamed],
        }),
        Ok(Default::default()),
    );
    let markets = app.library().index_of(MARKETS).expect("markets");
    assert!(!app.marks().is_bookmarked(markets));

    // Opened, an article shows its whole text, read from its page; its exact links are
    // known before the index.
    select(&mut app, TRADE);
    step(&mut app, Action::Open);
    let text = |app: &App| -> Vec<String> {
        let page = app.page().expect("a page");
        page.lines.iter().map(|l| l.text.clone()).collect()
    };
    assert!(text(&app).iter().any(|l| l.contains("Negotiators")));
    let page = app.page().expect("a page");
    assert!(!page.links.is_empty());
    assert!((0..app.library().len()).all(|i| app.library().held_text(i).is_none()));

    // The index reads every page once, and finds what the headers did not show.
    common::index(&mut app);
    assert!(app.marks().is_bookmarked(markets));
    let problems: Vec<String> = app
        .library()
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        ["geneva.txt: warning: the related list has no closing ×"]
    );
    assert_eq!(open_id(&app), Some(TRADE));

    // A page that can no longer be read says so, under its headline.
    std::fs::write(dir.path().join("markets.txt"), "not a news page any more\n").expect("write");
    step(&mut app, Action::Close);
    select(&mut app, MARKETS);
    step(&mut app, Action::Open);
    let lines = text(&app);
    assert!(lines[0].starts_with("Markets Rally"), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("The text cannot be read: ")),
        "{lines:?}"
    );
}

#[test]
fn beside_the_list_the_selected_headline_is_previewed_without_being_read() {
    let mut app = app("tests/fixtures/linked", 120, 40);
    let trade = app.library().index_of(TRADE).expect("trade");
    select(&mut app, TRADE);
    assert_eq!(app.focus(), Focus::List);
    assert_eq!(app.shown().map(|v| v.article), Some(trade));
    assert!(app.previewing());
    assert!(common::screen(&app).contains("Negotiators failed to agree"));
    assert_eq!(open_id(&app), None, "a preview is no step of history");
    assert!(!app.marks().is_read(trade), "nor is it reading");

    // Opening it reads it; back in the list, the selection moves on and the preview follows.
    step(&mut app, Action::Open);
    assert_eq!(open_id(&app), Some(TRADE));
    assert!(app.marks().is_read(trade));
    step(&mut app, Action::Close);
    assert_eq!(app.shown().map(|v| v.article), Some(trade));
    step(&mut app, Action::ScrollDown);
    let next = app.list().selected_article().expect("a next headline");
    assert_ne!(next, trade);
    assert_eq!(app.shown().map(|v| v.article), Some(next));
    assert_eq!(open_id(&app), Some(TRADE), "the open article stays open");
    assert!(!app.marks().is_read(next));
    let headline = app.library().head(next).expect("head").headline.to_string();
    let page = app.page().expect("the preview laid out");
    assert!(
        headline.starts_with(page.lines[0].text.trim()),
        "{headline}"
    );

    // One pane at a time, the list has the whole screen: nothing is previewed.
    step(&mut app, Action::Resize(90, 40));
    assert!(!app.previewing());
    assert_eq!(app.shown().map(|v| v.article), Some(trade));
}

#[test]
fn an_article_is_saved_as_a_text_file_and_never_over_one() {
    use broadsheet::app::message::ExportTo;
    let root = tempfile::TempDir::new().expect("tempdir");
    // A folder deep enough that the messages naming it do not fit the status bar.
    let dir = root
        .path()
        .join("saved articles/from the reader/kept for later/to read again on the train");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let config = format!("save_dir = {:?}", dir.to_string_lossy());
    let config = Config::parse(&config, Path::new("config.toml")).expect("config");
    let library = broadsheet::loader::load(Path::new("tests/fixtures/linked")).expect("load");
    let mut app = App::new(library, &config, 120, 40);
    select(&mut app, TRADE);
    let save = |app: &mut App| {
        step(app, Action::SaveArticle);
        let prompt = app.prompt().expect("the save prompt");
        assert_eq!(prompt.label(), "Save to: ");
        let offered = dir.join(format!("{TRADE}.txt"));
        assert_eq!(prompt.edit.text(), offered.to_string_lossy());
        let effects = common::press(app, KeyCode::Enter);
        let job = common::export_job(effects);
        assert_eq!(job.to, ExportTo::Save(offered.clone()));
        step(app, broadsheet::jobs::save_article(&job, &offered));
        offered
    };
    let file = save(&mut app);
    assert_eq!(
        app.message(),
        Some(format!("Saved to {}", file.display()).as_str())
    );
    let text = std::fs::read_to_string(&file).expect("saved");
    assert!(
        text.starts_with("Trade Talks \"Stall\" - Again\n"),
        "{text}"
    );
    assert!(text.contains("Negotiators failed to agree"));
    assert!(
        !app.marks()
            .is_read(app.library().index_of(TRADE).expect("id"))
    );

    // A file by that name is never overwritten.
    std::fs::write(&file, "my own notes").expect("write");
    save(&mut app);
    assert!(app.message().is_some_and(|m| m.contains("not overwritten")));
    assert_eq!(
        std::fs::read_to_string(&file).expect("kept"),
        "my own notes"
    );
    // Too long for the bar, the message keeps what it says and the file's name: the path
    // loses its middle, never the end of the sentence.
    for (width, height) in [(200, 60), (120, 40), (70, 20)] {
        step(&mut app, Action::Resize(width, height));
        let screen = common::screen(&app);
        let rows: Vec<&str> = screen.lines().collect();
        let bar = rows[rows.len() - 2..]
            .iter()
            .map(|r| r.trim_matches('"').trim())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            bar.contains(&format!(
                "{TRADE}.txt is there already: not overwritten (S to choose another name)"
            )),
            "{width}x{height}: {bar}"
        );
        let cut = bar.contains('…') && !bar.contains(&dir.to_string_lossy().into_owned());
        assert_eq!(cut, width < 200, "{width}x{height}: {bar}");
    }
}

#[test]
fn the_pipe_prompt_offers_the_last_command_and_an_empty_one_pipes_nothing() {
    use broadsheet::app::Effect;
    use broadsheet::app::message::ExportTo;
    let mut app = app("tests/fixtures/linked", 120, 40);
    select(&mut app, MARKETS);
    step(&mut app, Action::PipeTo);
    assert_eq!(app.prompt().map(|p| p.label()), Some("Pipe to: "));
    common::type_text(&mut app, "wc -w");
    let effects = common::press(&mut app, KeyCode::Enter);
    let markets = app.library().index_of(MARKETS).expect("id");
    assert!(matches!(
        effects.as_slice(),
        [Effect::Export(job)] if job.to == ExportTo::Pipe("wc -w".into()) && job.article == markets
    ));
    step(&mut app, Action::PipeTo);
    assert_eq!(app.prompt().map(|p| p.edit.text()), Some("wc -w"));
    step(
        &mut app,
        Action::Input(Key::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    let effects = common::press(&mut app, KeyCode::Enter);
    assert!(effects.is_empty());
    assert_eq!(app.message(), Some("No command: nothing piped"));
}

#[test]
fn a_saved_search_runs_from_its_key_and_the_help_lists_it() {
    let config = "[searches]\n\"1\" = \"summit\"\n";
    let config = Config::parse(config, Path::new("config.toml")).expect("config");
    let library = broadsheet::loader::load(Path::new("tests/fixtures/linked")).expect("load");
    let mut app = App::new(library, &config, 120, 40);
    common::index(&mut app);
    let one = Key::new(KeyCode::Char('1'), KeyModifiers::NONE);
    let action = app.settings().keymap.action(one).expect("bound");
    step(&mut app, action);
    assert!(app.prompt().is_none(), "run and kept, as with Enter");
    assert_eq!(app.list().search().map(|s| s.text.as_str()), Some("summit"));
    assert_eq!(app.focus(), Focus::List);
    let listed: Vec<&str> = (0..app.list().rows())
        .filter_map(|r| app.list().article_at(r))
        .map(|a| app.library().articles().id(a))
        .collect();
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert!(!listed.contains(&TRADE), "{listed:?}");
    let help = app.help_entries();
    assert!(
        help.iter()
            .any(|(k, d, n)| k == "1" && d == "search: summit" && *n == "[searches]"),
        "{help:?}"
    );
    // It joins the search history, as one typed would.
    step(&mut app, Action::Search);
    common::press(&mut app, KeyCode::Up);
    assert_eq!(app.prompt().map(|p| p.edit.text()), Some("summit"));
    // The help scrolls down to it on a small screen.
    common::press(&mut app, KeyCode::Esc);
    run(
        &mut app,
        &[Action::Resize(70, 20), Action::Help, Action::Bottom],
    );
    assert!(common::screen(&app).contains("search: summit"));
}

/// What `|` and `S` write has the sections the reader shows, in its order, with the same
/// entries: the publisher's related stories, the similar ones and those linking here.
#[test]
fn a_piped_or_saved_article_has_the_sections_the_reader_shows() {
    use broadsheet::app::reader_view::LineKind;
    let mut app = app("tests/fixtures/linked", 120, 40);
    common::index(&mut app);
    select(&mut app, MARKETS);
    step(&mut app, Action::Open);
    let page = app.page().expect("laid out");
    let shown: Vec<String> = page
        .lines
        .iter()
        .filter(|l| l.kind == LineKind::Section)
        .map(|l| l.text.clone())
        .collect();
    assert!(
        shown.iter().any(|t| t == "More like this") && shown.iter().any(|t| t == "Linked from"),
        "{shown:?}"
    );
    // Each link's text on screen (its first line, without the mark).
    let links: Vec<String> = page
        .links
        .iter()
        .map(|l| {
            page.lines[l.lines.0]
                .text
                .trim_start_matches("→ ")
                .to_string()
        })
        .collect();
    step(&mut app, Action::PipeTo);
    common::type_text(&mut app, "cat");
    let effects = common::press(&mut app, KeyCode::Enter);
    let job = common::export_job(effects);
    let text = String::from_utf8(broadsheet::jobs::export_text(&job).expect("text")).expect("utf8");
    let lines: Vec<&str> = text.lines().collect();
    // A section title is a line underlined with `-`.
    let written: Vec<&str> = lines
        .windows(2)
        .filter(|w| !w[1].is_empty() && w[1].chars().all(|c| c == '-'))
        .map(|w| w[0])
        .collect();
    assert_eq!(written, shown, "{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for link in links {
        let words = link.split_whitespace().collect::<Vec<_>>().join(" ");
        let start: String = words.chars().take(30).collect();
        assert!(flat.contains(&start), "{link} in {text}");
    }
}
