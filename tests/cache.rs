//! The headers cache: a second load reads no page yet gives the same library; a page whose
//! size or modification time changed is read again; pages added and removed are seen; a
//! cache cut short or altered is ignored and written anew; and `list` through the binary
//! keeps its cache in the platform cache folder.

mod common;

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use broadsheet::cache;
use broadsheet::library::Library;
use broadsheet::loader::load_heads;
use tempfile::TempDir;

fn page(date: &str, headline: &str) -> String {
    format!(
        "London Daily\n\nFocus on the big picture.\n{date}\n\n{headline}\n\n{headline}\n\n\
         A standfirst.\n\nText.\n"
    )
}

/// A folder of generated pages, the real sample pages, a broken page and two pages with the
/// same date and headline (which are told apart by their text).
fn folder() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    broadsheet::generate::write_folder(dir.path(), 300, 11).expect("generate");
    for entry in fs::read_dir("articles").expect("articles") {
        let entry = entry.expect("entry");
        fs::copy(entry.path(), dir.path().join(entry.file_name())).expect("copy");
    }
    fs::write(dir.path().join("broken.txt"), "not a page\n").expect("write");
    let twin = page("Monday, Jan 5, 2099", "Twins");
    fs::write(dir.path().join("twin-a.txt"), &twin).expect("write");
    fs::write(
        dir.path().join("twin-b.txt"),
        twin.replace("Text.", "Other."),
    )
    .expect("write");
    dir
}

/// Everything `list` and the first screen show of a library.
fn shown(library: &Library) -> Vec<String> {
    let articles = library
        .articles()
        .iter()
        .map(|a| format!("{} {:?} {} {}", a.id, a.date, a.source, a.headline));
    let problems = library.diagnostics().iter().map(|d| d.to_string());
    articles.chain(problems).collect()
}

/// Sets a file's modification time back to what it was.
fn set_time(path: &Path, time: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .expect("open")
        .set_modified(time)
        .expect("set time");
}

#[test]
fn a_second_load_reads_no_page_and_gives_the_same_library() {
    let dir = folder();
    let place = TempDir::new().expect("temp dir");
    let cache_file = place.path().join("heads.bin");
    let plain = shown(&load_heads(dir.path()).expect("load"));
    assert_eq!(
        shown(&cache::load_heads(dir.path(), &cache_file).expect("first")),
        plain
    );
    assert!(cache_file.is_file(), "the cache was written");
    assert_eq!(
        shown(&cache::load_heads(dir.path(), &cache_file).expect("second")),
        plain
    );

    // A page changed behind the cache's back (same size, same time) is taken from the cache:
    // proof that the second load did not read it.
    let sample = fs::read_dir("articles")
        .expect("articles")
        .next()
        .expect("a sample")
        .expect("entry")
        .file_name();
    let path = dir.path().join(&sample);
    let time = fs::metadata(&path).expect("meta").modified().expect("time");
    let text = fs::read_to_string(&path).expect("read");
    let headline = library_headline(&dir, &sample);
    let altered = text.replace(&headline, &"X".repeat(headline.len()));
    assert_eq!(altered.len(), text.len());
    fs::write(&path, &altered).expect("write");
    set_time(&path, time);
    let cached = cache::load_heads(dir.path(), &cache_file).expect("cached");
    assert!(cached.articles().iter().any(|a| a.headline == headline));

    // Its time moves on: it is read again.
    set_time(&path, time + Duration::from_secs(5));
    let fresh = cache::load_heads(dir.path(), &cache_file).expect("fresh");
    assert!(!fresh.articles().iter().any(|a| a.headline == headline));
    assert_eq!(shown(&fresh), shown(&load_heads(dir.path()).expect("load")));
}

fn library_headline(dir: &TempDir, name: &std::ffi::OsStr) -> String {
    let library = load_heads(dir.path()).expect("load");
    library
        .articles()
        .iter()
        .find(|a| a.path == Path::new(name))
        .expect("the sample")
        .headline
        .to_string()
}

#[test]
fn pages_added_and_removed_are_seen() {
    let dir = folder();
    let place = TempDir::new().expect("temp dir");
    let cache_file = place.path().join("heads.bin");
    cache::load_heads(dir.path(), &cache_file).expect("first");
    fs::write(
        dir.path().join("new.txt"),
        page("Monday, Jan 5, 2099", "A New Page"),
    )
    .expect("write");
    fs::remove_file(dir.path().join("twin-a.txt")).expect("remove");
    fs::remove_file(dir.path().join("broken.txt")).expect("remove");
    let library = cache::load_heads(dir.path(), &cache_file).expect("second");
    assert_eq!(
        shown(&library),
        shown(&load_heads(dir.path()).expect("load"))
    );
    assert!(library.index_of("a-new-page").is_some());
    assert_eq!(library.problem_counts().1, 0, "the broken page went");
}

#[test]
fn a_cache_cut_short_or_altered_is_ignored_and_written_anew() {
    let dir = folder();
    let place = TempDir::new().expect("temp dir");
    let cache_file = place.path().join("heads.bin");
    let plain = shown(&load_heads(dir.path()).expect("load"));
    cache::load_heads(dir.path(), &cache_file).expect("first");
    let good = fs::read(&cache_file).expect("cache");

    let mut damaged: Vec<Vec<u8>> = vec![
        good[..good.len() / 2].to_vec(),
        Vec::new(),
        b"garbage".to_vec(),
    ];
    let mut flipped = good.clone();
    flipped[good.len() / 3] ^= 0x20;
    damaged.push(flipped);
    for bytes in damaged {
        fs::write(&cache_file, &bytes).expect("damage");
        assert_eq!(
            shown(&cache::load_heads(dir.path(), &cache_file).expect("load")),
            plain
        );
        assert_eq!(fs::read(&cache_file).expect("cache"), good, "written anew");
    }
}

#[test]
fn list_keeps_its_cache_in_the_platform_cache_folder() {
    let dir = folder();
    let xdg = TempDir::new().expect("temp dir");
    let list = || {
        Command::cargo_bin("broadsheet")
            .expect("binary")
            .env("XDG_CACHE_HOME", xdg.path())
            .arg("--articles")
            .arg(dir.path())
            .arg("list")
            .output()
            .expect("run")
    };
    let first = list();
    assert_eq!(first.status.code(), Some(0));
    let files: Vec<_> = fs::read_dir(xdg.path().join("broadsheet"))
        .expect("the cache folder")
        .collect();
    assert_eq!(files.len(), 1);
    let second = list();
    assert_eq!(second.stdout, first.stdout);
    let uncached = common::uncached(dir.path(), &["list"]);
    assert_eq!(uncached.stdout, first.stdout);
    assert_eq!(
        String::from_utf8_lossy(&first.stdout).lines().count(),
        300 + 2 + 2
    );
}

/// 21 pages with one date and one headline, most of them unreadable whole (a body of
/// escape sequences is binary), laid out as the property test in `tests/properties.rs` found
/// them to make the order of the headers panic (issue 27, fault 1): `Some(text)` a readable
/// page with that paragraph, `None` one that is not.
fn same_story_folder() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    let mut texts = [None; 21];
    texts[2] = Some("a");
    texts[3] = Some("b");
    texts[5] = Some("a");
    texts[18] = Some("b");
    for (i, text) in texts.iter().enumerate() {
        let body = match text {
            Some(text) => format!("Paragraph {text}."),
            None => "\x1b[1m".repeat(10_000),
        };
        let page = page("Monday, Jan 5, 2099", "One Story").replace("Text.", &body);
        fs::write(
            dir.path().join(format!("p{:03}.txt", (i * 919) % 1000)),
            page,
        )
        .expect("write");
    }
    dir
}

#[test]
fn pages_of_one_story_unreadable_whole_are_ordered_without_a_panic() {
    let dir = same_story_folder();
    let place = TempDir::new().expect("temp dir");
    let cached = cache::load_heads(dir.path(), &place.path().join("heads.bin")).expect("load");
    let listed: Vec<String> = cached
        .articles()
        .iter()
        .map(|a| a.path.display().to_string())
        .collect();
    // The readable pages first, by their texts then their names; the rest by their names.
    assert_eq!(
        &listed[..4],
        ["p595.txt", "p838.txt", "p542.txt", "p757.txt"]
    );
    let mut rest = listed[4..].to_vec();
    rest.sort();
    assert_eq!(rest, listed[4..]);
    assert_eq!(listed.len(), 21);
    let out = common::uncached(dir.path(), &["list"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 21);
}
