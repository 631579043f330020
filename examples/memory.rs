//! Where the reader's memory goes on a folder: the resident size and its peak (`VmRSS`,
//! `VmHWM`) after reading the headers, folding the headlines, and building the index and
//! links from the pages, with how long each took.
//!
//! `cargo run --release --example memory -- DIR`

use std::time::Instant;

fn status() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let pick = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string())
            .unwrap_or_else(|| "?".into())
    };
    format!("resident {} kB, peak {} kB", pick("VmRSS"), pick("VmHWM"))
}

fn main() {
    broadsheet::allocator::tune();
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: memory DIR");
        std::process::exit(2);
    };
    let start = Instant::now();
    let library = match broadsheet::loader::load_heads(std::path::Path::new(&dir)) {
        Ok(library) => library,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!(
        "headers of {} pages ({} MB): {:?}; {}",
        library.len(),
        library.articles().heap_bytes() / 1_000_000,
        start.elapsed(),
        status()
    );
    let start = Instant::now();
    library.find_headline("");
    println!("headlines folded: {:?}; {}", start.elapsed(), status());
    let start = Instant::now();
    let (relations, warnings) = broadsheet::related::Relations::build_reporting(&library, &|_| {});
    println!(
        "index ({} terms, {} MB in memory, {} MB of postings on disk) and links, {} warnings: {:?}; {}",
        relations.index.term_count(),
        relations.index.heap_bytes() / 1_000_000,
        relations.index.postings_bytes() / 1_000_000,
        warnings.len(),
        start.elapsed(),
        status()
    );
}
