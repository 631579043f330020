//! The reader's speed: drawing one frame of a long article, a key press (update and draw),
//! and start to first frame (read the pages' headers, build the app, draw) on 10,000
//! generated articles, as the reader starts: the texts come after the first frame; opening an
//! article of a library of headers (its page read from disk); and key presses in the list and
//! the article at 100,000 articles.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use broadsheet::action::Action;
use broadsheet::app::App;
use broadsheet::config::Config;
use broadsheet::jobs;
use broadsheet::loader::{load, load_heads};
use broadsheet::ui::render;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn config() -> Config {
    Config::parse("", Path::new("config.toml")).expect("defaults")
}

/// A folder holding one article of 300 paragraphs (about 100 KB).
fn long_article() -> tempfile::TempDir {
    let dir = tempfile::TempDir::new().expect("tempdir");
    let mut page = String::from(
        "London Daily\n\nFocus on the big picture.\nMonday, Jan 6, 2025\n\nA Long Read\n\nA Long Read\n\nThe summary.\n\n",
    );
    for i in 0..300 {
        page.push_str(&format!(
            "Paragraph {i}: the committee heard evidence from witnesses across the country, \
             and members said the report would be published before the summer recess, \
             with recommendations on funding, oversight and the timetable for reform.\n\n"
        ));
    }
    std::fs::write(dir.path().join("long.txt"), page).expect("write");
    dir
}

/// One key press and the frame it causes, down and up in turn so the view never sticks.
fn press_and_draw(b: &mut criterion::Bencher, app: &mut App, terminal: &mut Terminal<TestBackend>) {
    let mut down = true;
    b.iter(|| {
        jobs::step(
            app,
            if down {
                Action::ScrollDown
            } else {
                Action::ScrollUp
            },
        );
        down = !down;
        terminal.draw(|f| render(app, f)).expect("draw");
    })
}

fn frames(c: &mut Criterion) {
    let dir = long_article();
    let mut app = App::new(load(dir.path()).expect("load"), &config(), 120, 40);
    jobs::step(&mut app, Action::Open);
    for _ in 0..40 {
        jobs::step(&mut app, Action::PageDown);
    }
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut group = c.benchmark_group("reader");
    group.bench_function("draw one frame, long article, 120x40", |b| {
        b.iter(|| {
            terminal.draw(|f| render(&app, f)).expect("draw");
        })
    });
    group.bench_function("key press (scroll) and draw, long article", |b| {
        press_and_draw(b, &mut app, &mut terminal)
    });
    group.finish();
}

fn first_frame(c: &mut Criterion) {
    let dir = tempfile::TempDir::new().expect("tempdir");
    broadsheet::generate::write_folder(dir.path(), 10_000, 1).expect("generate");
    let config = config();
    let mut group = c.benchmark_group("start");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("read 10000 headers and draw the first frame", |b| {
        b.iter(|| {
            let app = App::new(load_heads(dir.path()).expect("load"), &config, 120, 40);
            let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            terminal.draw(|f| render(&app, f)).expect("draw");
            black_box(app.library().len())
        })
    });
    let mut app = App::new(load(dir.path()).expect("load"), &config, 120, 40);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    group.bench_function("key press in the list of 10000 (move and draw)", |b| {
        press_and_draw(b, &mut app, &mut terminal)
    });
    // As the reader holds them: headers only, each opened article read from its page.
    let heads = load_heads(dir.path()).expect("load");
    let mut app = App::new(heads, &config, 120, 40);
    let indexed = jobs::index_now(app.library().clone());
    jobs::step(&mut app, indexed);
    group.bench_function(
        "open the next article of 10000 headers (read its page, relate, draw)",
        |b| {
            b.iter(|| {
                jobs::step(&mut app, Action::Close);
                jobs::step(&mut app, Action::ScrollDown);
                jobs::step(&mut app, Action::Open);
                terminal.draw(|f| render(&app, f)).expect("draw");
            })
        },
    );
    group.finish();
}

/// Key presses at 100,000 articles with the index built: moving in the list, opening an
/// article (its page laid out with its related lists, never cached: a different article each
/// time) and scrolling it, each with the frame drawn.
fn keys_at_scale(c: &mut Criterion) {
    let library = broadsheet::generate::library(100_000, 1);
    let mut app = App::new(library, &config(), 120, 40);
    let indexed = jobs::index_now(app.library().clone());
    jobs::step(&mut app, indexed);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut group = c.benchmark_group("keys at 100000");
    group.bench_function("key press in the list (move and draw)", |b| {
        press_and_draw(b, &mut app, &mut terminal)
    });
    group.bench_function("open the next article (lay out, relate and draw)", |b| {
        b.iter(|| {
            jobs::step(&mut app, Action::Close);
            jobs::step(&mut app, Action::ScrollDown);
            jobs::step(&mut app, Action::Open);
            terminal.draw(|f| render(&app, f)).expect("draw");
        })
    });
    group.bench_function("key press in the article (scroll and draw)", |b| {
        press_and_draw(b, &mut app, &mut terminal)
    });
    jobs::step(&mut app, Action::Close);
    group.bench_function("sort key (next order and draw)", |b| {
        b.iter(|| {
            jobs::step(&mut app, Action::CycleOrder);
            terminal.draw(|f| render(&app, f)).expect("draw");
        })
    });
    group.finish();
}

criterion_group!(benches, frames, first_frame, keys_at_scale);
criterion_main!(benches);
