//! Following the folder at 10,000 and 100,000 generated articles: what one new page costs
//! once the watcher has read it. First the new library the list shows (sharing the old
//! articles), then, on the same thread, its index (renumbered, with the page's postings added)
//! and every related headline resolved again. `cargo bench --bench related` gives the index
//! built from scratch, which is what the update saves.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use broadsheet::article::parse;
use broadsheet::generate;
use broadsheet::page::Loaded;
use broadsheet::related::Relations;
use broadsheet::watch::{self, Batch, Seen};
use criterion::{Criterion, criterion_group, criterion_main};

/// A batch saying one new page arrived (generated past the end of the library).
fn one_new_page(count: usize) -> Batch {
    let mut article = parse(&generate::page(1, count, count + 1))
        .expect("a generated page parses")
        .article;
    article.path = PathBuf::from("new-page.txt");
    let mut batch = Batch::default();
    batch.pages.insert(
        article.path.clone(),
        Seen::Read(Box::new(Loaded {
            article,
            warnings: Vec::new(),
        })),
    );
    batch
}

fn follow(c: &mut Criterion) {
    for count in [10_000, 100_000] {
        let library = generate::library(count, 1);
        let relations = Relations::build(&library, &|_| {});
        let mut group = c.benchmark_group(format!("follow {count}"));
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(if count > 10_000 { 30 } else { 10 }));
        group.bench_function("one new page: the new library (shown at once)", |b| {
            b.iter(|| {
                let update = watch::apply(Path::new("."), &library, None, one_new_page(count));
                black_box(update.map(|u| u.changed.library.len()))
            })
        });
        let update =
            watch::apply(Path::new("."), &library, None, one_new_page(count)).expect("news");
        group.bench_function("one new page: its index and links (follow it)", |b| {
            b.iter(|| black_box(relations.updated(&update.changed).index.docs()))
        });
        group.finish();
    }
}

criterion_group!(benches, follow);
criterion_main!(benches);
