//! Every screen and window drawn at random sizes from 1×1 to 300×100 after random actions,
//! each into a buffer of another size than the last resize told the app, as when the terminal
//! shrinks between an event and the draw: nothing panics, whatever the sizes (issue 27).
//! More cases: `PROPTEST_CASES=5000 cargo test --test fuzz_screens`.

mod common;

use std::path::Path;

use broadsheet::action::Action;
use broadsheet::app::App;
use broadsheet::key::Key;
use broadsheet::ui::render;
use common::{app_in, run, step};
use crossterm::event::{KeyCode, KeyModifiers};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Draws the app into a buffer of this size.
fn draw_at(app: &App, width: u16, height: u16) {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|f| render(app, f)).expect("draw");
}

#[test]
fn an_article_drawn_into_a_buffer_smaller_than_the_last_resize_does_not_panic() {
    // The fault: an article open at 41×18, the terminal at 115×7 by the time it is drawn.
    let mut app = app_in(Path::new("articles"), 41, 18);
    run(&mut app, &[Action::Open, Action::ScrollDown]);
    assert!(app.page().is_some(), "an article is open");
    for (width, height) in [(115, 7), (41, 7), (24, 6), (1, 1), (40, 17), (300, 100)] {
        draw_at(&app, width, height);
    }
    // And the other way: told 115×7, drawn at 41×18.
    step(&mut app, Action::Resize(115, 7));
    run(&mut app, &[Action::ScrollDown, Action::ScrollUp]);
    draw_at(&app, 41, 18);
    draw_at(&app, 23, 5);
}

/// An action a user can take, or a key typed into a prompt. Fetching (which would reach
/// the feeds file) and quitting are left out.
fn action() -> impl Strategy<Value = Action> {
    let bindable: Vec<Action> = Action::BINDABLE
        .into_iter()
        .filter(|a| !matches!(a, Action::FetchFeeds | Action::Quit | Action::ForceQuit))
        .collect();
    prop_oneof![
        4 => prop::sample::select(bindable),
        1 => prop::sample::select(vec![
            KeyCode::Char('a'),
            KeyCode::Char('x'),
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Backspace,
            KeyCode::Left,
        ])
        .prop_map(|code| Action::Input(Key::new(code, KeyModifiers::NONE))),
        1 => (0u16..320, 0u16..110, any::<bool>())
            .prop_map(|(column, row, down)| Action::Wheel { column, row, down }),
        1 => (0u16..320, 0u16..110).prop_map(|(column, row)| Action::Click { column, row }),
    ]
}

/// A size from 1×1 to 300×100.
fn size() -> impl Strategy<Value = (u16, u16)> {
    (1u16..=300, 1u16..=100)
}

const FOLDERS: [&str; 3] = ["articles", "tests/fixtures/linked", "tests/fixtures/pages"];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn any_screen_draws_at_any_size_after_any_resize(
        folder in 0..FOLDERS.len(),
        start in size(),
        steps in prop::collection::vec((action(), size(), size()), 1..24),
    ) {
        let mut app = app_in(Path::new(FOLDERS[folder]), start.0, start.1);
        common::index(&mut app);
        for (action, told, drawn) in steps {
            step(&mut app, action);
            draw_at(&app, drawn.0, drawn.1);
            step(&mut app, Action::Resize(told.0, told.1));
            draw_at(&app, told.0, told.1);
            draw_at(&app, drawn.0, drawn.1);
        }
    }
}
