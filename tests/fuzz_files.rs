//! The files a user keeps or imports, mutated at random (issue 27): OPML and newsboat `urls`
//! lists, the feeds file, config.toml, the bookmark and state files, and the headers cache.
//! Nothing panics; a broken bookmark or state file is named with line:column and never
//! rewritten; a damaged cache gives what a fresh load gives. More cases:
//! `PROPTEST_CASES=2000 cargo test --test fuzz_files`.

mod common;

use std::fs;
use std::path::Path;

use broadsheet::bookmarks::Bookmark;
use broadsheet::bookmarks::folders::Stores;
use broadsheet::config::Config;
use broadsheet::durable::StoreError;
use broadsheet::feeds::opml;
use broadsheet::feeds::{Feeds, check_url};
use broadsheet::library::Library;
use broadsheet::text::is_control;
use common::{Edit, mutate};
use proptest::prelude::*;
use tempfile::TempDir;

/// Bytes that break the structure of a file: quotes, brackets, markup, escapes, invalid
/// UTF-8, line ends.
fn nasty() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"\"".to_vec()),
        Just(b"'".to_vec()),
        Just(b"[".to_vec()),
        Just(b"]]".to_vec()),
        Just(b"{".to_vec()),
        Just(b"=".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"<outline xmlUrl=\"".to_vec()),
        Just(b"</outline>".to_vec()),
        Just(b"<!ENTITY a \"aaaaaaaaaa\">".to_vec()),
        Just(b"&a;".to_vec()),
        Just(b"\x1b]0;x\x07".to_vec()),
        Just(b"\x1b[2J".to_vec()),
        Just(b"\x00".to_vec()),
        Just(b"\xe9\xff".to_vec()),
        Just("中文👍🏽".as_bytes().to_vec()),
        Just(b"http://127.0.0.1/".to_vec()),
        Just(b"javascript:".to_vec()),
        Just(b"9999999999999999999999".to_vec()),
        prop::collection::vec(any::<u8>(), 1..8),
    ]
}

/// Edits: insert, overwrite or cut at a place.
fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, nasty()), 1..10)
}

const OPML: &str = r#"<?xml version="1.0"?>
<opml version="2.0"><head><title>Feeds</title></head><body>
<outline text="News" title="News">
  <outline type="rss" text="Coast" title="Coast &amp; Harbour" xmlUrl="http://127.0.0.1:1/coast.xml"/>
  <outline text="Deeper"><outline type="atom" text="Atom" xmlUrl="https://example.org/atom"/></outline>
</outline>
<outline type="rss" text="Top" xmlUrl="http://127.0.0.1:1/top.xml"/>
</body></opml>
"#;

const URLS: &str = "http://127.0.0.1:1/a.xml \"~Coast news\" tech\n# a comment\n\
                    https://example.org/b.xml\nnot a url\nhttp://127.0.0.1:1/c \"quoted \\\" name\"\n";

const CONFIG: &str = "articles_dir = \"articles\"\nwrap_width = 80\nlist_width = \"40%\"\n\
                      date_format = \"%Y-%m-%d\"\n[keys]\nscroll_down = [\"j\", \"down\"]\nquit = \"q\"\n\
                      [searches]\n\"1\" = \"source:times after:2025-01-01\"\n";

const BOOKMARKS: &str = "[[bookmark]]\nid = \"harbour-wall\"\nheadline = \"Harbour wall\"\n\
                         date = \"2025-03-03\"\npath = \"harbour.txt\"\nadded = \"2026-12-01T09:00:00+00:00\"\n\
                         note = \"read \\\"later\\\"\"\n";

const STATE: &str = "read = [\"old-one\"]\n[folder.\"/tmp/x\"]\nread = [\"a\", \"b\"]\norder = \"oldest\"\n\
                     selected = \"a\"\nsearches = [\"vaccine\"]\n[folder.\"/tmp/x\".position.a]\nblock = 2\nchar = 10\n";

fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn feed_lists_import_without_a_panic_and_give_only_checked_addresses(
        opml_list in any::<bool>(),
        edits in edits(),
    ) {
        let text = text_of(&mutate((if opml_list { OPML } else { URLS }).into(), edits, 30));
        if let Ok((feeds, _problems)) = opml::import(&text) {
            for feed in feeds {
                prop_assert!(check_url(&feed.url).is_ok(), "{}", feed.url);
            }
        }
        let parsed = Feeds::parse(&text, Path::new("feeds"));
        for problem in &parsed.problems {
            prop_assert!(!problem.to_string().chars().any(is_control));
        }
    }

    #[test]
    fn config_files_parse_or_name_the_place_without_a_panic(edits in edits()) {
        let dir = TempDir::new().expect("temp dir");
        let path = dir.path().join("config.toml");
        fs::write(&path, mutate(CONFIG.into(), edits, 30)).expect("write");
        if let Err(e) = Config::read(&path) {
            let said = e.to_string();
            let place = format!("{}:", path.display());
            prop_assert!(said.starts_with(&place), "{said}");
            let at = said[place.len()..].split(':').take(2).map(|n| n.parse::<usize>()).collect::<Vec<_>>();
            prop_assert!(at.len() == 2 && at.iter().all(Result::is_ok), "no line:column in {said}");
            prop_assert!(!said.chars().any(|c| is_control(c) && c != '\n'), "{said:?}");
        }
    }

    #[test]
    fn broken_bookmark_and_state_files_are_named_and_never_rewritten(
        state in any::<bool>(),
        edits in edits(),
    ) {
        let dir = TempDir::new().expect("temp dir");
        let (bookmarks, state_file) = (dir.path().join("bookmarks.toml"), dir.path().join("state.toml"));
        let bytes = mutate((if state { STATE } else { BOOKMARKS }).into(), edits, 30);
        let target = if state { &state_file } else { &bookmarks };
        fs::write(target, &bytes).expect("write");
        let stores = Stores::new(bookmarks.clone(), state_file.clone(), Path::new("/tmp/x"));
        let loaded = if state {
            stores.load_state().map(|_| ())
        } else {
            stores.load_bookmarks().map(|_| ())
        };
        // A change saved on top: refused on a broken file, which stays byte for byte.
        let changed = if state {
            stores.update_state(|s| { s.read.insert("new".into()); })
        } else {
            stores.update_bookmarks(|b| b.list.push(Bookmark {
                id: "new".into(),
                headline: "New".into(),
                date: None,
                path: "new.txt".into(),
                folder: String::new(),
                added: "2026-12-07T09:00:00+00:00".into(),
                note: String::new(),
            }))
        };
        match loaded {
            Ok(()) => prop_assert!(changed.is_ok()),
            Err(e) => {
                let said = e.to_string();
                let broken = matches!(e, StoreError::Broken { .. });
                prop_assert!(broken, "{said}");
                prop_assert!(said.contains(&*target.file_name().expect("name").to_string_lossy()), "{said}");
                prop_assert!(!said.chars().any(is_control), "{said:?}");
                prop_assert!(changed.is_err());
                prop_assert_eq!(fs::read(target).expect("read"), bytes);
            }
        }
    }
}

/// Everything `list` shows of a library.
fn shown(library: &Library) -> Vec<String> {
    let articles = library
        .articles()
        .iter()
        .map(|a| format!("{} {:?} {} {}", a.id, a.date, a.source, a.headline));
    articles
        .chain(library.diagnostics().iter().map(|d| d.to_string()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_damaged_headers_cache_gives_what_a_fresh_load_gives(
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, nasty()), 1..6),
    ) {
        let dir = TempDir::new().expect("temp dir");
        broadsheet::generate::write_folder(dir.path(), 40, 3).expect("generate");
        let place = TempDir::new().expect("temp dir");
        let cache = place.path().join("heads.bin");
        let fresh = shown(&broadsheet::loader::load_heads(dir.path()).expect("load"));
        broadsheet::cache::load_heads(dir.path(), &cache).expect("first");
        let good = fs::read(&cache).expect("cache");
        let bytes = mutate(good, edits, 64);
        fs::write(&cache, &bytes).expect("damage");
        let again = broadsheet::cache::load_heads(dir.path(), &cache).expect("load");
        prop_assert_eq!(shown(&again), fresh);
    }
}
