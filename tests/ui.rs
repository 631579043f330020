//! Snapshots of the screen (insta, `TestBackend`) at 120×40 and 60×20: the list, the reader,
//! the related section with a link and a headline that is not in the folder, the help and the
//! too-small screen, the bookmark and unread markers, the bookmarks view and the note prompt;
//! and the monochrome theme still marking selection and links.

mod common;

use std::path::Path;

use broadsheet::action::Action;
use broadsheet::app::App;
use broadsheet::theme::Theme;
use common::{app_in, draw, run, screen, step};
use ratatui::style::{Color, Modifier};

/// The app on a folder, with the index built (as it is a moment after start).
fn app(folder: &str, width: u16, height: u16, actions: &[Action]) -> App {
    let mut app = app_in(Path::new(folder), width, height);
    common::index(&mut app);
    run(&mut app, actions);
    app
}

/// The app on a folder while the index is still being built.
fn indexing(folder: &str, width: u16, height: u16, actions: &[Action]) -> App {
    let mut app = app_in(Path::new(folder), width, height);
    run(&mut app, actions);
    app
}

/// The two bundled pages, newest first.
const XI: &str = "Xi and Putin urge Nato to rule out expansion as Ukraine tensions rise";
const PUTIN: &str = "Russian President Vladimir Putin Hails \"Model\" Relations With China";

#[test]
fn headline_list() {
    let wide = screen(&app("articles", 120, 40, &[]));
    insta::assert_snapshot!("list_120x40", wide);
    let narrow = screen(&app("articles", 60, 20, &[]));
    insta::assert_snapshot!("list_60x20", narrow);
    for shown in [&wide, &narrow] {
        let rows: Vec<&str> = shown.lines().map(|r| r.trim_matches('"')).collect();
        // The title counts both pages, both unread; newest first, each unread-marked, with
        // its date; the headline cut with `…` where the row ends, never without.
        assert!(
            rows[0].contains(" London Daily · 2 articles · 2 unread "),
            "{}",
            rows[0]
        );
        let first = rows[1].split("││").next().unwrap_or(rows[1]);
        let second = rows[2].split("││").next().unwrap_or(rows[2]);
        assert!(
            first.starts_with("│•  2026-01-24 Xi and Putin urge"),
            "{first}"
        );
        assert!(
            second.starts_with("│•  2025-10-22 Russian President"),
            "{second}"
        );
        let (_, headline) = first.split_once("2026-01-24 ").expect("a date");
        let headline = headline.trim_end_matches('│').trim_end();
        assert!(XI.starts_with(headline.trim_end_matches('…')), "{headline}");
        assert!(headline == XI || headline.ends_with('…'), "{headline}");
        let status = rows.last().copied().unwrap_or_default();
        assert!(status.contains(" 1/2 "), "the place in the list: {status}");
    }
}

#[test]
fn reader() {
    let open = [Action::ScrollDown, Action::Open];
    let wide = screen(&app("articles", 120, 40, &open));
    insta::assert_snapshot!("reader_120x40", wide);
    let narrow = screen(&app("articles", 60, 20, &open));
    insta::assert_snapshot!("reader_60x20", narrow);
    for shown in [&wide, &narrow] {
        // The second page open: its headline whole (wrapped), its byline, its standfirst, and
        // the reader's place in the folder.
        let text: String = shown
            .lines()
            .map(|row| row.trim_matches('"'))
            .map(|row| row.rsplit("││").next().unwrap_or(row))
            .map(|row| row.trim_matches(|c| "│█║ ".contains(c)))
            .collect::<Vec<_>>()
            .join(" ");
        assert!(text.contains(PUTIN), "{text}");
        assert!(text.contains("Wed 22 Oct 2025 · London Daily"), "{text}");
        assert!(
            text.contains("Russian President Vladimir Putin made the comment"),
            "{text}"
        );
        assert!(shown.lines().next().is_some_and(|r| r.contains(" 2 of 2 ")));
        assert!(shown.lines().last().is_some_and(|r| r.contains("Top")));
    }
    // At 60 columns the reader has the screen; at 120 the list stays beside it.
    assert!(!narrow.contains("2026-01-24"));
    assert!(wide.contains("2026-01-24"));
}

#[test]
fn related_section_with_a_link_and_a_missing_story() {
    let at_end = [Action::Open, Action::Bottom, Action::NextLink];
    insta::assert_snapshot!(
        "related_120x40",
        screen(&app("tests/fixtures/linked", 120, 40, &at_end))
    );
    insta::assert_snapshot!(
        "related_60x20",
        screen(&app("tests/fixtures/linked", 60, 20, &at_end))
    );
}

#[test]
fn similar_and_linked_from_sections_and_the_thread_window() {
    // Geneva is linked from the trade story and is most like it and the markets story.
    let at_end = [Action::Open, Action::Bottom];
    insta::assert_snapshot!(
        "more_like_this_120x40",
        screen(&app("tests/fixtures/linked", 120, 40, &at_end))
    );
}

#[test]
fn the_thread_window_lists_the_story_oldest_first_with_the_open_report_marked() {
    let dir = tempfile::TempDir::new().expect("tempdir");
    broadsheet::generate::write_folder(dir.path(), 40, 3).expect("generate");
    let folder = dir.path().to_string_lossy();
    let open = [Action::Open, Action::ShowThread, Action::ScrollDown];
    insta::assert_snapshot!("thread_120x40", screen(&app(&folder, 120, 40, &open)));
    insta::assert_snapshot!("thread_60x20", screen(&app(&folder, 60, 20, &open)));
}

#[test]
fn while_indexing_the_sections_say_so_and_the_status_bar_shows_progress() {
    let mut app = indexing(
        "tests/fixtures/linked",
        120,
        40,
        &[Action::Open, Action::Bottom],
    );
    common::indexing(&mut app, 1);
    insta::assert_snapshot!("indexing_120x40", screen(&app));
}

#[test]
fn help() {
    insta::assert_snapshot!(
        "help_120x40",
        screen(&app("articles", 120, 40, &[Action::Help]))
    );
    insta::assert_snapshot!(
        "help_60x20",
        screen(&app("articles", 60, 20, &[Action::Help]))
    );
    let shown = screen(&app("articles", 70, 20, &[Action::Help]));
    insta::assert_snapshot!("help_70x20", shown);
    // Nothing in the help is cut: at every width each description is there whole, wrapped
    // over rows, and each setting name stands whole on its entry's first row.
    for width in [60, 70, 90, 120, 200] {
        let app = app("articles", width, 40, &[]);
        let inner = broadsheet::app::window_text::inner_width(width, 82);
        let rows = app.help_rows(inner);
        for row in &rows {
            let text = format!("{}{}{}", row.keys, row.describe, row.name);
            assert!(
                unicode_width::UnicodeWidthStr::width(text.trim_end()) <= inner,
                "{width}: {text}"
            );
            assert!(!row.describe.contains('…'), "{width}: {text}");
        }
        let mut at = 0;
        for (keys, describe, name) in app.help_entries() {
            let first = &rows[at];
            assert!(first.keys.trim_end().len() <= keys.len(), "{keys}");
            let mut pieces = vec![first.describe.trim().to_string()];
            at += 1;
            while at < rows.len() && rows[at].keys.trim().is_empty() {
                pieces.push(rows[at].describe.trim().to_string());
                at += 1;
            }
            let pieces: Vec<String> = pieces.into_iter().filter(|p| !p.is_empty()).collect();
            assert_eq!(pieces.join(" "), describe, "{width}");
            let named = rows[at - 1..at]
                .iter()
                .chain([first])
                .any(|r| r.name == name);
            assert!(named, "{width}: {name}");
        }
        assert_eq!(at, rows.len());
    }
    // On screen at 70 columns: no row of the window ends in `…`.
    for row in shown.lines().skip(2).take(15) {
        let inner = row.split('│').nth(2).unwrap_or_default();
        assert!(!inner.contains('…'), "{row}");
    }
}

/// A window over the panes (help, the story's timeline, problems) stays inside the panes'
/// borders: the row above the status bar is the panes' bottom border, window open or not.
#[test]
fn windows_never_draw_over_the_panes_bottom_border() {
    let dir = tempfile::TempDir::new().expect("tempdir");
    broadsheet::generate::write_folder(dir.path(), 40, 3).expect("generate");
    let folder = dir.path().to_string_lossy().into_owned();
    for (width, height) in [(120, 40), (70, 20), (60, 20), (60, 12)] {
        for (on, open) in [
            ("articles", vec![Action::Help]),
            (folder.as_str(), vec![Action::Open, Action::ShowThread]),
            ("tests/fixtures/pages", vec![Action::ShowProblems]),
        ] {
            let closed = screen(&app(on, width, height, &open[..open.len() - 1]));
            let shown = screen(&app(on, width, height, &open));
            let border = |s: &str| s.lines().nth(usize::from(height) - 2).map(str::to_string);
            assert_ne!(closed, shown, "{open:?} opens a window");
            assert_eq!(
                border(&shown),
                border(&closed),
                "{open:?} at {width}x{height}"
            );
        }
    }
}

#[test]
fn too_small() {
    let shown = screen(&app("articles", 20, 5, &[]));
    insta::assert_snapshot!("too_small_20x5", shown);
    // It says the size it has and the size it needs, and draws nothing else.
    let text = shown
        .lines()
        .map(|r| r.trim_matches('"').trim())
        .collect::<Vec<_>>()
        .join(" ");
    let (width, height) = (
        broadsheet::app::layout::MIN_WIDTH,
        broadsheet::app::layout::MIN_HEIGHT,
    );
    assert_eq!(
        text.trim(),
        format!("Terminal too small (20×5): broadsheet needs {width}×{height}")
    );
}

#[test]
fn problems_window_and_status_count() {
    let app = app("tests/fixtures/pages", 120, 40, &[Action::ShowProblems]);
    let shown = screen(&app);
    insta::assert_snapshot!("problems_120x40", shown);
    // Every problem is there to its last word, wrapped within the window.
    let text: String = shown
        .lines()
        .filter_map(|row| row.split('│').nth(2))
        .map(|inner| inner.trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(!text.contains('…'), "{text}");
    for problem in app.library().diagnostics() {
        assert!(text.contains(&problem.to_string()), "{problem} in {text}");
    }
    let status = shown.lines().last().unwrap_or_default();
    assert!(status.contains("5 skipped, 5 warnings (e)"), "{status}");
}

/// One warning is "1 warning", in the status bar and the window's title alike.
#[test]
fn one_problem_is_counted_in_the_singular() {
    let dir = tempfile::TempDir::new().expect("tempdir");
    let page = "London Daily\n\nWednesday, Oct 22, 2025\n\nPutin hails relations\n\n\
                Putin hails relations\n";
    std::fs::write(dir.path().join("short.txt"), page).expect("write");
    let folder = dir.path().to_string_lossy().into_owned();
    let status = screen(&app(&folder, 120, 40, &[]));
    let last = status.lines().last().unwrap_or_default().to_string();
    assert!(last.contains("1 warning (e)"), "{last}");
    let shown = screen(&app(&folder, 120, 40, &[Action::ShowProblems]));
    assert!(shown.contains("┌ 1 warning (Esc closes) ─"), "{shown}");
    assert!(
        shown.contains("short.txt: warning: no body text"),
        "{shown}"
    );
}

#[test]
fn monochrome_still_shows_selection_and_links() {
    let mut config = common::config("");
    config.theme = Theme::none();
    let library = broadsheet::loader::load(Path::new("tests/fixtures/linked")).expect("load");
    let mut app = broadsheet::app::App::new(library, &config, 120, 40);
    common::index(&mut app);
    run(&mut app, &[Action::Open, Action::Bottom, Action::NextLink]);
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    let mut selection = false;
    let mut focused_link = false;
    let mut link = false;
    for cell in buffer.content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "no colour at all: {cell:?}"
        );
        let m = cell.modifier;
        selection |= m.contains(Modifier::REVERSED) && cell.symbol() == "L";
        focused_link |= m.contains(Modifier::REVERSED | Modifier::UNDERLINED);
        link |= m.contains(Modifier::UNDERLINED) && !m.contains(Modifier::REVERSED);
    }
    assert!(
        selection && focused_link && link,
        "{selection} {focused_link} {link}"
    );
}

#[test]
fn headlines_are_cut_by_display_cells() {
    use broadsheet::ui::fit;
    use unicode_width::UnicodeWidthStr;
    // CJK and emoji take two cells, combining marks none.
    assert_eq!(fit("東京の市場", 5), "東京…");
    assert_eq!(fit("東京の市場", 6), "東京…");
    assert_eq!(fit("東京の市場", 10), "東京の市場");
    assert_eq!(fit("Cafe\u{301} ok", 7), "Cafe\u{301} ok");
    assert_eq!(fit("Cafe\u{301} okay", 7), "Cafe\u{301} o…");
    assert_eq!(fit("📈📈📈", 4), "📈…");
    assert_eq!(fit("anything", 0), "");
    for w in 0..12 {
        assert!(fit("東京の市場 📈 as Cafe\u{301}", w).width() <= w);
    }
}

/// The linked folder with a bookmark whose article is gone, Trade read and bookmarked with a
/// note, and Geneva bookmarked a day later.
fn with_bookmarks(width: u16, height: u16) -> App {
    use broadsheet::bookmarks::{Bookmark, Bookmarks, ReadingState};
    use broadsheet::key::Key;
    use crossterm::event::{KeyCode, KeyModifiers};
    let mut app = app("tests/fixtures/linked", width, height, &[]);
    let gone = Bookmark {
        id: "ministers-resign-over-budget".into(),
        headline: "Ministers Resign Over Budget".into(),
        date: Some("2025-02-11".into()),
        path: "budget.txt".into(),
        folder: String::new(),
        added: "2026-11-19T18:30:00+00:00".into(),
        note: "for the \u{1b}[31mfollow-up".into(),
    };
    app.load_saved(
        Ok(Bookmarks { list: vec![gone] }),
        Ok(ReadingState::default()),
    );
    app = app.with_clock(|| {
        chrono::DateTime::parse_from_rfc3339("2026-11-20T09:15:00+00:00").expect("t")
    });
    for action in [Action::ScrollDown, Action::Open, Action::EditNote] {
        step(&mut app, action);
    }
    for c in "compare with the March draft".chars() {
        step(
            &mut app,
            Action::Input(Key::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    step(
        &mut app,
        Action::Input(Key::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    app = app.with_clock(|| {
        chrono::DateTime::parse_from_rfc3339("2026-11-21T10:00:00+00:00").expect("t")
    });
    for action in [Action::Close, Action::Top, Action::ToggleBookmark] {
        step(&mut app, action);
    }
    app
}

#[test]
fn list_markers_for_bookmarked_and_unread_articles() {
    insta::assert_snapshot!("markers_120x40", screen(&with_bookmarks(120, 40)));
}

#[test]
fn the_bookmarks_view_newest_first_with_notes_and_a_missing_article() {
    let mut app = with_bookmarks(120, 40);
    step(&mut app, Action::ShowBookmarks);
    insta::assert_snapshot!("bookmarks_120x40", screen(&app));
    let mut app = with_bookmarks(60, 20);
    step(&mut app, Action::ShowBookmarks);
    step(&mut app, Action::ScrollDown);
    insta::assert_snapshot!("bookmarks_60x20", screen(&app));
}

#[test]
fn the_note_prompt_on_the_status_bar() {
    use broadsheet::key::Key;
    use crossterm::event::{KeyCode, KeyModifiers};
    let mut app = with_bookmarks(120, 40);
    step(&mut app, Action::EditNote);
    for c in "東京 desk says: check".chars() {
        step(
            &mut app,
            Action::Input(Key::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    let terminal = draw(&app);
    insta::assert_snapshot!("note_prompt_120x40", terminal.backend().to_string());
    // The cursor stands after the text: " Note: " is 7 cells, the text 21 (東京 takes 4).
    let mut terminal = terminal;
    assert_eq!(
        terminal.get_cursor_position().expect("cursor"),
        ratatui::layout::Position::new(7 + 21, 39)
    );
}

#[test]
fn the_search_prompt_with_its_count_and_the_list_it_narrows() {
    use broadsheet::key::Key;
    use crossterm::event::{KeyCode, KeyModifiers};
    let mut app = app("tests/fixtures/linked", 120, 40, &[Action::Search]);
    for c in "summit ho".chars() {
        step(
            &mut app,
            Action::Input(Key::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    insta::assert_snapshot!("search_120x40", screen(&app));
    let mut app = app_narrow_search();
    step(
        &mut app,
        Action::Input(Key::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    insta::assert_snapshot!("search_kept_60x20", screen(&app));
}

fn app_narrow_search() -> App {
    use broadsheet::key::Key;
    use crossterm::event::{KeyCode, KeyModifiers};
    let mut app = app("tests/fixtures/linked", 60, 20, &[Action::Search]);
    for c in "talks".chars() {
        step(
            &mut app,
            Action::Input(Key::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
    app
}

#[test]
fn each_row_names_its_source_when_there_are_several_and_room() {
    let dir = tempfile::TempDir::new().expect("tempdir");
    let page = |source: &str, day: u32, headline: &str| {
        format!(
            "{source}\n\nMonday, Mar {day}, 2025\n\n{headline}\n\n{headline}\n\nThe summary.\n\nThe story.\n"
        )
    };
    common::write(
        dir.path(),
        "a.txt",
        &page("The Atom Times", 3, "Harbour reopens"),
    );
    common::write(
        dir.path(),
        "b.txt",
        &page("London Daily", 2, "Council votes"),
    );
    let wide = app_in(dir.path(), 200, 20);
    let screen_text = screen(&wide);
    let row = screen_text
        .lines()
        .find(|l| l.contains("Harbour reopens"))
        .expect("a row");
    assert!(
        row.contains("2025-03-03 The Atom Times   Harbour reopens"),
        "{row}"
    );
    // At 120 columns the list is too narrow to spare the room.
    let narrow = app_in(dir.path(), 120, 20);
    let row = screen(&narrow)
        .lines()
        .find(|l| l.contains("Harbour reopens"))
        .map(str::to_string)
        .expect("a row");
    assert!(!row.contains("Atom Times"), "{row}");
    // One source: no column, whatever the width.
    let one = app_in(Path::new("articles"), 200, 20);
    assert!(
        !screen(&one)
            .lines()
            .any(|l| l.contains("2026-01-24 London Daily"))
    );
}

#[test]
fn the_original_link_stands_under_the_date() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let page = common::page_with(
        "Harbour wall rebuilt",
        "Monday, Mar 3, 2025",
        "Boats are back.",
        "The wall was rebuilt.",
        &[],
    )
    .replacen(
        "London Daily\n",
        "London Daily\nLink: https://news.example.org/harbour\n",
        1,
    );
    common::write(dir.path(), "harbour.txt", &page);
    let mut app = common::app_in(dir.path(), 120, 40);
    run(&mut app, &[Action::Open]);
    let shown = screen(&app);
    let lines: Vec<&str> = shown.lines().collect();
    let date = lines
        .iter()
        .position(|l| l.contains("Mon 3 Mar 2025 · London Daily"))
        .expect("the byline");
    assert!(
        lines[date + 1].contains("https://news.example.org/harbour"),
        "{shown}"
    );
}
