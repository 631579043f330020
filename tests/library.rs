//! Loading folders (nesting, links and loops, files that are not articles), reading order,
//! the id rules and lookup by loosely compared headline.

use std::fs;
use std::path::Path;

use broadsheet::diagnostic::Severity;
use broadsheet::library::Library;
use broadsheet::loader::load;
use common::{page_with, write};
use tempfile::TempDir;

mod common;

fn page(headline: &str, dateline: &str) -> String {
    page_with(
        headline,
        dateline,
        "A summary.",
        "A paragraph of text.",
        &[],
    )
}

fn ids(library: &Library) -> Vec<&str> {
    library.articles().iter().map(|a| a.id).collect()
}

#[test]
fn the_fixture_folder_loads_past_every_bad_file() {
    let library = load(Path::new("tests/fixtures/pages")).expect("folder loads");
    let skipped: Vec<String> = library
        .diagnostics()
        .iter()
        .filter(|d| d.severity == Severity::Skipped)
        .map(|d| d.path.to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        skipped,
        vec![
            "blank.txt",
            "control_junk.txt",
            "empty.txt",
            "no_headline.txt",
            "nul.txt"
        ]
    );
    // README.md and .DS_Store are not articles and not problems: nothing is said of them.
    assert!(library.diagnostics().iter().all(|d| {
        let p = d.path.to_string_lossy();
        !p.contains("README") && !p.contains("DS_Store")
    }));
    // Nested folders are read.
    assert!(
        library
            .articles()
            .iter()
            .any(|a| a.path == Path::new("nested/deeper/copy_of_no_trailer.txt"))
    );
    let (_, skipped_count) = library.problem_counts();
    assert_eq!(library.len() + skipped_count, 20);
}

#[test]
fn newest_first_undated_last_ties_by_headline() {
    let dir = TempDir::new().expect("tempdir");
    write(
        dir.path(),
        "a.txt",
        &page("Old Story", "Monday, Jan 6, 2025"),
    );
    write(
        dir.path(),
        "b.txt",
        &page("New Story", "Friday, Jan 10, 2025"),
    );
    write(
        dir.path(),
        "c.txt",
        &page("Zebra Same Day", "Friday, Jan 10, 2025"),
    );
    write(dir.path(), "d.txt", &page("Undated Story", "Not a date"));
    write(dir.path(), "e.txt", &page("Another Undated", "Not a date"));
    let library = load(dir.path()).expect("load");
    let headlines: Vec<&str> = library.articles().iter().map(|a| a.headline).collect();
    assert_eq!(
        headlines,
        vec![
            "New Story",
            "Zebra Same Day",
            "Old Story",
            "Another Undated",
            "Undated Story"
        ]
    );
}

#[test]
fn ids_are_slugs_made_unique_and_independent_of_file_names() {
    let one = TempDir::new().expect("tempdir");
    let headline = "Café Owners’ “Big” Protest — Paris";
    write(one.path(), "x.txt", &page(headline, "Monday, Jan 6, 2025"));
    write(one.path(), "y.txt", &page(headline, "Friday, Jan 10, 2025"));
    write(
        one.path(),
        "z.txt",
        &page(headline, "Friday, Jan 10, 2025").replace("A summary.", "Other."),
    );
    let long = "Word ".repeat(30);
    write(one.path(), "long.txt", &page(&long, "Friday, Jan 10, 2025"));
    write(
        one.path(),
        "sym.txt",
        &page("!!! ???", "Friday, Jan 10, 2025"),
    );
    let first = load(one.path()).expect("load");

    // Slugs: lowercase ASCII, accents folded, hyphens between words.
    let mut sorted: Vec<&str> = ids(&first);
    sorted.sort();
    assert_eq!(
        sorted,
        vec![
            "article",
            "cafe-owners-big-protest-paris",
            "cafe-owners-big-protest-paris-2",
            "cafe-owners-big-protest-paris-3",
            &"word-".repeat(16)[..79],
        ]
    );
    // The oldest of the same headline keeps the plain slug.
    let oldest = first.get("cafe-owners-big-protest-paris").expect("by id");
    assert_eq!(
        oldest.date.map(|d| d.to_string()).as_deref(),
        Some("2025-01-06")
    );
    for id in ids(&first) {
        assert!(id.len() <= 80);
        assert!(
            id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        );
    }

    // The same pages under other names, in other folders: the same ids for the same pages.
    let two = TempDir::new().expect("tempdir");
    for (from, to) in [
        ("x.txt", "9/q.txt"),
        ("y.txt", "a.txt"),
        ("z.txt", "0.txt"),
        ("long.txt", "m/n/o.txt"),
        ("sym.txt", "b.txt"),
    ] {
        let text = fs::read_to_string(one.path().join(from)).expect("read");
        write(two.path(), to, &text);
    }
    let second = load(two.path()).expect("load");
    let pairs = |l: &Library| {
        let mut v: Vec<(String, Option<String>, String)> = (0..l.len())
            .map(|i| l.text(i).expect("held"))
            .map(|a| {
                (
                    a.id.clone(),
                    a.standfirst.clone(),
                    a.date.map(|d| d.to_string()).unwrap_or_default(),
                )
            })
            .collect();
        v.sort();
        v
    };
    assert_eq!(pairs(&first), pairs(&second));
}

#[test]
fn headlines_are_found_loosely() {
    let library = load(Path::new("articles")).expect("load");
    let straight = r#"Russian President Vladimir Putin Hails "Model" Relations With China"#;
    let curly = "russian president  vladimir putin hails “model” relations with china";
    assert_eq!(
        library.find_headline(straight),
        library.find_headline(curly)
    );
    assert_eq!(library.find_headline(curly).len(), 1);
    let dashed = "Xi and Putin urge Nato to rule out expansion as Ukraine tensions rise";
    assert_eq!(library.find_headline(dashed).len(), 1);
    assert!(library.find_headline("Putin hails relations").is_empty());
}

#[cfg(unix)]
#[test]
fn links_are_followed_and_loops_broken() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "real/one.txt",
        &page("Story One", "Monday, Jan 6, 2025"),
    );
    write(
        root,
        "elsewhere/two.txt",
        &page("Story Two", "Monday, Jan 6, 2025"),
    );
    let outside = TempDir::new().expect("tempdir");
    write(
        outside.path(),
        "three.txt",
        &page("Story Three", "Monday, Jan 6, 2025"),
    );
    // A loop back to the root, a second way into a folder, a link to a folder outside, a
    // link to a file already loaded, and a broken link.
    symlink(root, root.join("real/loop")).expect("link");
    symlink(root.join("real"), root.join("again")).expect("link");
    symlink(outside.path(), root.join("outside")).expect("link");
    symlink(root.join("real/one.txt"), root.join("alias.txt")).expect("link");
    symlink(root.join("missing.txt"), root.join("broken.txt")).expect("link");
    let library = load(root).expect("load");
    let mut headlines: Vec<&str> = library.articles().iter().map(|a| a.headline).collect();
    headlines.sort();
    assert_eq!(headlines, vec!["Story One", "Story Three", "Story Two"]);
    let one = library
        .articles()
        .iter()
        .find(|a| a.headline == "Story One");
    assert!(
        one.is_some_and(|a| a.path.ends_with("one.txt")),
        "a page reached by a link and by its own name is taken by its name: {:?}",
        one.map(|a| a.path)
    );
    let broken: Vec<_> = library
        .diagnostics()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert!(
        broken[0].starts_with("broken.txt: skipped: cannot read"),
        "{broken:?}"
    );
    // A first launch reads the headers while the walk goes on, and the pages reached by
    // links after it: the same pages, by the same names, with the same problem.
    let cache = TempDir::new().expect("tempdir");
    let heads =
        broadsheet::cache::load_heads(root, &cache.path().join("heads.bin")).expect("load heads");
    assert_eq!(listing(&heads), listing(&library));
    let problems =
        |l: &Library| -> Vec<String> { l.diagnostics().iter().map(|d| d.to_string()).collect() };
    assert_eq!(problems(&heads), broken);
}

#[test]
fn an_unreadable_articles_folder_is_an_error_naming_it() {
    let err = load(Path::new("no/such/folder")).expect_err("missing folder");
    assert!(err.to_string().contains("no/such/folder"), "{err}");
    assert_eq!(err.exit_code(), 2);
}

/// What `list` shows of a library: id, date, headline, source and path, in order.
fn listing(library: &broadsheet::library::Library) -> Vec<String> {
    library
        .articles()
        .iter()
        .map(|a| {
            format!(
                "{}\t{:?}\t{}\t{}\t{}",
                a.id,
                a.date,
                a.headline,
                a.source,
                a.path.display()
            )
        })
        .collect()
}

#[test]
fn reading_only_the_headers_lists_exactly_what_reading_everything_does() {
    // Odd pages (legacy encodings, hostile bytes, no dateline, duplicates, binary junk) fall
    // back to a whole read; plain ones are read from their first kilobyte.
    for folder in ["tests/fixtures/pages", "tests/fixtures/linked", "articles"] {
        let whole = broadsheet::loader::load(Path::new(folder)).expect("load");
        let heads = broadsheet::loader::load_heads(Path::new(folder)).expect("heads");
        assert_eq!(listing(&heads), listing(&whole), "{folder}");
        assert_eq!(
            heads.problem_counts().1,
            whole.problem_counts().1,
            "{folder}"
        );
    }
    let dir = tempfile::TempDir::new().expect("tempdir");
    broadsheet::generate::write_folder(dir.path(), 300, 5).expect("generate");
    // A page whose first line is longer than the part read, and one cut short after its
    // header: both must come out the same.
    let long = format!("London Daily{}\n", " ".repeat(3000));
    std::fs::write(
        dir.path().join("long-first-line.txt"),
        format!(
            "{long}\nFocus.\nMonday, Mar 3, 2025\n\nA Long Masthead\n\nA Long Masthead\n\nBody.\n"
        ),
    )
    .expect("write");
    std::fs::write(
        dir.path().join("short.txt"),
        "London Daily\n\nFocus.\nMonday, Mar 3, 2025\n\nShort Page\n\nShort Page",
    )
    .expect("write");
    let whole = broadsheet::loader::load(dir.path()).expect("load");
    let heads = broadsheet::loader::load_heads(dir.path()).expect("heads");
    assert_eq!(whole.len(), 302);
    assert_eq!(listing(&heads), listing(&whole));
    // The header-only articles carry no text.
    assert!((0..heads.len()).all(|i| heads.held_text(i).is_none()));
    assert!((0..whole.len()).all(|i| whole.held_text(i).is_some()));
}

#[test]
fn a_web_page_saved_from_a_browser_is_read_as_its_story() {
    let dir = tempfile::TempDir::new().expect("tempdir");
    common::write(
        dir.path(),
        "saved/Harbour.html",
        r#"<!DOCTYPE html><html><head><title>Harbour wall rebuilt | Coast Post</title>
<meta property="og:site_name" content="Coast Post">
<meta property="article:published_time" content="2025-03-03T09:00:00Z">
<meta name="description" content="Boats are back on the quay.">
<script>var tracker = "TRACKER";</script></head><body>
<nav><a href="/">NAVIGATION</a></nav><div class="ad">ADVERTISEMENT</div>
<article><h1>Harbour wall rebuilt</h1>
<p>The harbour wall that broke in last month's storm has been rebuilt, and the first boats returned on Monday morning to a crowd of families waiting on the quay.</p>
<p>Engineers worked through the night for three weeks to replace the stones that the waves had torn away, using granite from the same quarry as the original wall of 1887.</p>
<p>The harbour master said the repairs had cost less than feared and that the fishing fleet would be back at sea by the end of the week, to everyone's relief.</p>
</article><section class="comments"><p>COMMENT first!</p></section><footer>FOOTER</footer></body></html>"#,
    );
    common::write(
        dir.path(),
        "saved/menu.htm",
        "<html><body><nav>Home | About</nav></body></html>",
    );
    common::write(
        dir.path(),
        "plain.txt",
        &common::page_with(
            "A Plain Page",
            "Sunday, Mar 2, 2025",
            "Its summary.",
            "Its text.",
            &[],
        ),
    );
    let library = load(dir.path()).expect("load");
    assert_eq!(library.len(), 2);
    let i = library
        .index_of("harbour-wall-rebuilt")
        .expect("the web page");
    let article = library.text(i).expect("its text");
    assert_eq!(article.source, "Coast Post");
    assert_eq!(article.date, chrono::NaiveDate::from_ymd_opt(2025, 3, 3));
    assert_eq!(
        article.standfirst.as_deref(),
        Some("Boats are back on the quay.")
    );
    let body: Vec<&str> = article.body.iter().map(|b| b.text()).collect();
    assert!(
        body.iter()
            .any(|t| t.contains("granite from the same quarry")),
        "{body:?}"
    );
    for junk in [
        "TRACKER",
        "NAVIGATION",
        "ADVERTISEMENT",
        "COMMENT",
        "FOOTER",
    ] {
        assert!(!body.iter().any(|t| t.contains(junk)), "{junk} in {body:?}");
    }
    let skipped: Vec<String> = library
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        skipped,
        ["saved/menu.htm: skipped: a web page with no readable story in it"]
    );
    // As the reader reads the folder: headers first, through the same extraction.
    let heads = broadsheet::loader::load_heads(dir.path()).expect("heads");
    assert_eq!(
        heads.get("harbour-wall-rebuilt").map(|a| a.source),
        Some("Coast Post")
    );
}
