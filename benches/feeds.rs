//! The feeds window at 100,000 articles over 500 feeds in 20 folders: opening it (every
//! feed's and folder's unread and total counted) and switching the headline list to another
//! feed (the list rebuilt to its articles), each with the frame it causes.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use broadsheet::action::Action;
use broadsheet::app::App;
use broadsheet::article::Article;
use broadsheet::config::Config;
use broadsheet::feedlist::Feed;
use broadsheet::library::Library;
use broadsheet::ui::render;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const ARTICLES: usize = 100_000;
const FEEDS: usize = 500;

fn library() -> Library {
    let articles: Vec<Article> = (0..ARTICLES)
        .map(|i| Article {
            path: PathBuf::from(format!("feed-{:03}/story-{i:06}.txt", i % FEEDS)),
            source: format!("Feed {}", i % FEEDS),
            date: chrono::NaiveDate::from_ymd_opt(2025, 1, 1)
                .map(|d| d + chrono::Duration::days((i / 300) as i64)),
            headline: format!("Story number {i} of the day"),
            ..Article::default()
        })
        .collect();
    Library::new(articles, Vec::new())
}

fn feeds() -> Vec<Feed> {
    (0..FEEDS)
        .map(|n| Feed {
            origin: broadsheet::feedlist::Origin::Local,
            url: format!("https://feed{n}.example/rss"),
            name: format!("Feed {n}"),
            tags: vec![format!("Folder {}", n % 20)],
            folder: format!("feed-{n:03}"),
            error: None,
        })
        .collect()
}

fn feeds_window(c: &mut Criterion) {
    let config = Config::parse("", Path::new("config.toml")).expect("defaults");
    let mut app = App::new(library(), &config, 120, 40);
    app.load_feeds(feeds());
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut group = c.benchmark_group("feeds window, 100,000 articles over 500 feeds");
    group.sample_size(30);
    group.bench_function("open it and draw", |b| {
        b.iter(|| {
            black_box(app.update(Action::ShowFeeds));
            terminal.draw(|f| render(&app, f)).expect("draw");
            app.update(Action::Close);
        })
    });
    // From one feed to the next: open the window, down a row, Enter, and the frame.
    app.update(Action::ShowFeeds);
    app.update(Action::Bottom);
    app.update(Action::Open);
    group.bench_function("switch to another feed and draw", |b| {
        let mut down = true;
        b.iter(|| {
            app.update(Action::ShowFeeds);
            app.update(if down {
                Action::ScrollDown
            } else {
                Action::ScrollUp
            });
            down = !down;
            black_box(app.update(Action::Open));
            terminal.draw(|f| render(&app, f)).expect("draw");
        })
    });
    group.finish();
}

criterion_group!(benches, feeds_window);
criterion_main!(benches);
