//! The text index and related stories at 10,000 and 100,000 generated articles: building the
//! index (with every publisher link resolved), and answering one article (its related links,
//! `More like this`, `Linked from` and its thread), as the reader does when an article opens.

use std::hint::black_box;
use std::time::Duration;

use broadsheet::generate;
use broadsheet::related::Relations;
use criterion::{Criterion, criterion_group, criterion_main};

fn related(c: &mut Criterion) {
    for count in [10_000, 100_000] {
        let library = generate::library(count, 1);
        let mut group = c.benchmark_group(format!("related {count}"));
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(if count > 10_000 { 60 } else { 15 }));
        group.bench_function("build the index and resolve every link", |b| {
            b.iter(|| black_box(Relations::build(&library, &|_| {}).index.docs()))
        });
        let relations = Relations::build(&library, &|_| {});
        eprintln!(
            "{count} articles: {} terms, index {:.1} MiB",
            relations.index.term_count(),
            relations.index.heap_bytes() as f64 / (1024.0 * 1024.0)
        );
        group
            .sample_size(100)
            .measurement_time(Duration::from_secs(10));
        // Different articles each time, so that no answer is cached anywhere.
        let mut next = 0usize;
        group.bench_function(
            "answer one article (links, similar, backlinks, thread)",
            |b| {
                b.iter(|| {
                    next = (next + 7919) % count;
                    black_box(relations.answer(&library, next, 5).similar.len())
                })
            },
        );
        group.finish();
    }
}

criterion_group!(benches, related);
criterion_main!(benches);
