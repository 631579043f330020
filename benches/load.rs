//! Loading generated folders (about 8 KB a page) into a library: every page whole at 10,000,
//! and only the pages' headers (what `list` needs) at 10,000 and 100,000.

use std::hint::black_box;
use std::time::Duration;

use broadsheet::generate::write_folder;
use broadsheet::loader::{load, load_heads};
use criterion::{Criterion, criterion_group, criterion_main};

fn load_folder(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for count in [10_000, 100_000] {
        let dir = tempfile::TempDir::new().expect("tempdir");
        write_folder(dir.path(), count, 1).expect("generate");
        if count == 10_000 {
            group.bench_function(format!("{count} articles"), |b| {
                b.iter(|| black_box(load(dir.path()).expect("load").len()))
            });
        }
        group.bench_function(format!("{count} headers"), |b| {
            b.iter(|| black_box(load_heads(dir.path()).expect("load").len()))
        });
    }
    group.finish();
}

criterion_group!(benches, load_folder);
criterion_main!(benches);
