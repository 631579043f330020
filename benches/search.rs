//! Search as you type at 10,000 and 100,000 generated articles: each query is typed into the
//! reader's prompt a key at a time, as a user would, and every key runs the search, filters
//! and orders the list as in the reader (`App::update` with the index built, the search it asks
//! for run on the spot by `jobs::Inline` rather than on the search thread). The
//! time per key is the time per iteration divided by the keys typed (criterion's throughput
//! reports keys per second).

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use broadsheet::action::Action;
use broadsheet::app::App;
use broadsheet::config::Config;
use broadsheet::generate;
use broadsheet::jobs::{self, Inline};
use broadsheet::key::Key;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyModifiers};

/// Typed queries: a common place and topic, two topic words, a rare made-up name, a
/// phrase, and a common two-letter beginning (the widest prefix a key can ask for).
const QUERIES: [&str; 5] = [
    "moscow summit",
    "satellite astronauts",
    "grizulenlen",
    "\"summit delegation\"",
    "st",
];

/// A key typed into the prompt, the search it asks for run here (as the search thread would,
/// with a searcher kept from key to key).
fn key(host: &mut Inline, app: &mut App, code: KeyCode) {
    host.step(app, Action::Input(Key::new(code, KeyModifiers::NONE)));
}

fn search(c: &mut Criterion) {
    for count in [10_000, 100_000] {
        let library = generate::library(count, 1);
        let config = Config::parse("", Path::new("config.toml")).expect("config");
        let mut app = App::new(library, &config, 120, 40);
        let indexed = jobs::index_now(app.library().clone());
        jobs::step(&mut app, indexed);
        let mut host = Inline::default();
        let mut group = c.benchmark_group(format!("search {count}"));
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(5));
        for query in QUERIES {
            let keys = query.chars().count() as u64;
            group.throughput(Throughput::Elements(keys));
            group.bench_function(format!("type {query}"), |b| {
                b.iter(|| {
                    jobs::step(&mut app, Action::Search);
                    for ch in query.chars() {
                        key(&mut host, &mut app, KeyCode::Char(ch));
                    }
                    let found = app.list().rows();
                    key(&mut host, &mut app, KeyCode::Esc);
                    black_box(found)
                })
            });
            jobs::step(&mut app, Action::Search);
            for ch in query.chars() {
                key(&mut host, &mut app, KeyCode::Char(ch));
            }
            eprintln!("{count} articles, {query}: {} matches", app.list().rows());
            key(&mut host, &mut app, KeyCode::Esc);
        }
        group.finish();
    }
}

criterion_group!(benches, search);
criterion_main!(benches);
