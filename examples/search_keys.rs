//! Times every key of a typed query on a generated library, key by key, to find the slowest
//! one (criterion times whole queries): `cargo run --release --example search_keys -- 100000
//! "moscow summit" st`.

use std::time::Instant;

use broadsheet::generate;
use broadsheet::index::Index;
use broadsheet::search::{Query, Searcher};

fn main() {
    let mut args = std::env::args().skip(1);
    let count: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100_000);
    let library = generate::library(count, 1);
    let index = Index::build(&library, &|_| {});
    let mut searcher = Searcher::default();
    for query in args {
        let mut worst = (0.0f64, String::new());
        let mut total = 0.0;
        let chars: Vec<char> = query.chars().collect();
        for k in 1..=chars.len() {
            let typed: String = chars[..k].iter().collect();
            let parsed = Query::parse(&typed, true);
            // The best of three runs, so that a stray interruption does not count.
            let ms = (0..3)
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(searcher.run(&index, &parsed).len());
                    start.elapsed().as_secs_f64() * 1000.0
                })
                .fold(f64::MAX, f64::min);
            total += ms;
            if ms > worst.0 {
                worst = (ms, typed);
            }
        }
        println!(
            "{count} articles, {query:?}: {:.2} ms per key on average, slowest {:.2} ms at {:?}",
            total / chars.len() as f64,
            worst.0,
            worst.1
        );
    }
}
