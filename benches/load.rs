//! Loading a generated folder of 10,000 articles (about 8 KB each) into a library.

use std::hint::black_box;
use std::time::Duration;

use broadsheet::generate::write_folder;
use broadsheet::loader::load;
use criterion::{Criterion, criterion_group, criterion_main};

fn load_folder(c: &mut Criterion) {
    let dir = tempfile::TempDir::new().expect("tempdir");
    write_folder(dir.path(), 10_000, 1).expect("generate");
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("10000 articles", |b| {
        b.iter(|| black_box(load(dir.path()).expect("load").len()))
    });
    group.finish();
}

criterion_group!(benches, load_folder);
criterion_main!(benches);
