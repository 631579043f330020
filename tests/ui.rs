//! Snapshots of the screen (insta, `TestBackend`) at 120×40 and 60×20: the list, the reader,
//! the related section with a link and a headline that is not in the folder, the help and the
//! too-small screen; and the monochrome theme still marking selection and links.

use std::path::Path;

use broadsheet::action::Action;
use broadsheet::app::App;
use broadsheet::config::Config;
use broadsheet::loader::load;
use broadsheet::ui::render;
use broadsheet::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};

fn app(folder: &str, width: u16, height: u16, actions: &[Action]) -> App {
    let config = Config::parse("", Path::new("config.toml")).expect("defaults");
    let mut app = App::new(
        load(Path::new(folder)).expect("load"),
        &config,
        width,
        height,
    );
    for &action in actions {
        app.update(action);
    }
    app
}

fn draw(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.width, app.height)).expect("terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
    terminal
}

fn screen(app: &App) -> String {
    draw(app).backend().to_string()
}

#[test]
fn headline_list() {
    insta::assert_snapshot!("list_120x40", screen(&app("articles", 120, 40, &[])));
    insta::assert_snapshot!("list_60x20", screen(&app("articles", 60, 20, &[])));
}

#[test]
fn reader() {
    let open = [Action::ScrollDown, Action::Open];
    insta::assert_snapshot!("reader_120x40", screen(&app("articles", 120, 40, &open)));
    insta::assert_snapshot!("reader_60x20", screen(&app("articles", 60, 20, &open)));
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
fn help() {
    insta::assert_snapshot!(
        "help_120x40",
        screen(&app("articles", 120, 40, &[Action::Help]))
    );
    insta::assert_snapshot!(
        "help_60x20",
        screen(&app("articles", 60, 20, &[Action::Help]))
    );
}

#[test]
fn too_small() {
    insta::assert_snapshot!("too_small_20x5", screen(&app("articles", 20, 5, &[])));
}

#[test]
fn problems_window_and_status_count() {
    let app = app("tests/fixtures/pages", 120, 40, &[Action::ShowProblems]);
    insta::assert_snapshot!("problems_120x40", screen(&app));
}

#[test]
fn monochrome_still_shows_selection_and_links() {
    let mut app = app(
        "tests/fixtures/linked",
        120,
        40,
        &[Action::Open, Action::Bottom],
    );
    app.theme = Theme::none();
    app.update(Action::NextLink);
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
