//! The reader's memory over many changes in the folder: the app core on a folder (its index
//! opened or built, and saved), then CHANGES changes, each a page written into the folder or
//! the last one removed again (so the folder returns to its size every second change), each
//! applied as the watcher would hand it over, with the index brought up to date and saved.
//! Prints the resident size after the first changes and every 100.
//!
//! `cargo run --release --example follow_memory -- DIR [CHANGES]` (DIR is written to: use a
//! generated copy).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use broadsheet::app::{App, Msg};
use broadsheet::bookmarks::{Bookmarks, ReadingState};
use broadsheet::config::Config;
use broadsheet::watch::{Batch, Seen};

fn resident() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let pick = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("?")
            .to_string()
    };
    format!(
        "resident {} kB (anonymous {} kB, files {} kB; peak {} kB)",
        pick("VmRSS"),
        pick("RssAnon"),
        pick("RssFile"),
        pick("VmHWM")
    )
}

fn main() {
    broadsheet::allocator::tune();
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: follow_memory DIR [CHANGES]");
        std::process::exit(2);
    };
    let changes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let library = broadsheet::loader::load_heads(&dir).expect("the folder");
    let config = Config::parse(
        &format!("articles_dir = {:?}", dir.display().to_string()),
        Path::new("config.toml"),
    )
    .expect("config");
    let mut app = App::new(Arc::new(library), &config, 120, 40)
        .on_headers()
        .saving_index(broadsheet::cache::index_path(&dir));
    app.load_saved(Ok(Bookmarks::default()), Ok(ReadingState::default()));
    broadsheet::jobs::step(&mut app, Msg::Started);
    println!("indexed: {}", resident());
    let folder = dir.join("followed");
    std::fs::create_dir_all(&folder).expect("folder");
    let count = app.library().len();
    for change in 1..=changes {
        let relative = PathBuf::from("followed").join(format!("page-{change}.txt"));
        let path = dir.join(&relative);
        let seen = if change % 2 == 1 {
            let page = broadsheet::generate::page(change as u64, count + change, count + change);
            std::fs::write(&path, page).expect("write");
            match broadsheet::page::load_file(&dir, &relative) {
                Ok(loaded) => Seen::Read(Box::new(loaded)),
                Err(d) => Seen::Broken(d),
            }
        } else {
            let relative = PathBuf::from("followed").join(format!("page-{}.txt", change - 1));
            let _ = std::fs::remove_file(dir.join(&relative));
            let mut batch = Batch::default();
            batch.pages.insert(relative, Seen::Gone);
            broadsheet::jobs::step(&mut app, Msg::FolderChanged(batch));
            if change <= 4 || change % 100 == 0 {
                println!("after {change} changes: {}", resident());
            }
            continue;
        };
        let mut batch = Batch::default();
        batch.pages.insert(relative, seen);
        broadsheet::jobs::step(&mut app, Msg::FolderChanged(batch));
        if change <= 4 || change % 100 == 0 {
            println!("after {change} changes: {}", resident());
        }
    }
    assert_eq!(app.library().len(), count, "the folder is back to its size");
}
