//! Feeds mutated at random, served by a real server on 127.0.0.1 and fetched through the
//! fetch path (items, their pages, deep nesting among them): nothing panics, every page
//! written stays inside the articles folder and reads back clean (issue 27). And a feed whose
//! items link to pages of 100,000 nested divs is fetched whole, each page flattened, with a
//! note that says so. More cases: `PROPTEST_CASES=500 cargo test --test fuzz_feeds`.

mod common;

use std::path::Path;
use std::time::Duration;

use broadsheet::article::{Block, parse_bytes};
use broadsheet::feeds::Feed;
use broadsheet::feeds::fetch::{Settings, fetch_all};
use broadsheet::feeds::http::Limits;
use broadsheet::text::is_control;
use common::mutate;
use common::server::{Server, ok};
use proptest::prelude::*;
use tempfile::TempDir;

fn settings(dir: &Path) -> Settings {
    Settings {
        limits: Limits {
            connect_timeout: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
            max_bytes: 4 * 1024 * 1024,
        },
        parallel: 2,
        per_host: 2,
        articles: dir.join("articles"),
        state: dir.join("state.toml"),
        pictures: None,
    }
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2025-03-05T12:00:00+00:00").expect("time")
}

fn feed(url: String) -> Feed {
    Feed {
        url,
        name: None,
        tags: Vec::new(),
        line: 1,
    }
}

/// A page of the story `depth` divs down.
fn deep_page(depth: usize) -> String {
    format!(
        "<html><head><title>Deep</title></head><body><article><h1>Deep</h1>{}<p>{}</p>{}</article></body></html>",
        "<div>".repeat(depth),
        "The lifeboat crew trained in the bay on Sunday, and the new boat did all that was asked of it in a rising sea. ".repeat(3),
        "</div>".repeat(depth)
    )
}

#[test]
fn a_feed_whose_items_link_to_deeply_nested_pages_is_fetched_with_a_note() {
    let server = Server::start();
    let items: String = (0..40)
        .map(|i| {
            let link = match i % 20 {
                0 => server.url("/deep"),
                _ => server.url(&format!("/page{i}")),
            };
            format!("<item><title>Item {i}</title><link>{link}</link><guid>g{i}</guid><description>Summary {i}.</description></item>")
        })
        .collect();
    let rss = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Deep News</title>{items}</channel></rss>"
    );
    server.route("/feed", ok("application/rss+xml", rss));
    server.route("/deep", ok("text/html", deep_page(100_000)));
    for i in 0..40 {
        server.route(&format!("/page{i}"), ok("text/html", deep_page(3)));
    }
    let dir = TempDir::new().expect("temp dir");
    let outcomes = fetch_all(
        &[feed(server.url("/feed"))],
        &settings(dir.path()),
        now(),
        &|_, _| {},
    )
    .expect("fetched");
    assert_eq!(outcomes[0].error, None);
    assert_eq!(outcomes[0].new, 40);
    let flattened: Vec<&String> = outcomes[0]
        .notes
        .iter()
        .filter(|n| n.contains("nested more than 256 elements deep"))
        .collect();
    assert_eq!(flattened.len(), 2, "{:?}", outcomes[0].notes);
    assert!(flattened[0].starts_with("Item 0: "), "{flattened:?}");
}

/// Bytes a hostile or broken feed is made of.
fn nasty() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"<item>".to_vec()),
        Just(b"</item>".to_vec()),
        Just(b"<entry>".to_vec()),
        Just(b"<![CDATA[".to_vec()),
        Just(b"]]>".to_vec()),
        Just(b"&#27;[2J".to_vec()),
        Just(b"\x1b]0;title\x07".to_vec()),
        Just(b"&amp;".to_vec()),
        Just(b"&#0;".to_vec()),
        Just(b"../../".to_vec()),
        Just(b"\x00".to_vec()),
        Just(b"\xe9\xff".to_vec()),
        Just("中文👍🏽".as_bytes().to_vec()),
        Just("<div>".repeat(800).into_bytes()),
        Just(b"\"".to_vec()),
        Just(b"<".to_vec()),
        prop::collection::vec(any::<u8>(), 1..8),
    ]
}

/// The feeds a mutation starts from: RSS, Atom and JSON Feed, items linking to pages on the
/// server (one of them nested deep).
fn base_feeds(server: &Server) -> [String; 3] {
    let (a, b) = (server.url("/page"), server.url("/deep"));
    [
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Coast &amp; News</title>\
             <item><title>Harbour wall rebuilt</title><link>{a}</link><guid>h1</guid>\
             <pubDate>Mon, 03 Mar 2025 09:00:00 GMT</pubDate><description><![CDATA[<p>Boats are <b>back</b>.</p>]]></description></item>\
             <item><title>../../etc/passwd</title><link>{b}</link><description>Deep.</description></item>\
             </channel></rss>"
        ),
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atom</title><id>urn:a</id>\
             <entry><title type=\"html\">Council &lt;em&gt;votes&lt;/em&gt;</title><id>urn:a:1</id><link href=\"{a}\"/>\
             <updated>2025-03-04T10:00:00Z</updated><content type=\"html\">&lt;p&gt;Text&lt;/p&gt;</content></entry></feed>"
        ),
        format!(
            "{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"JSON\",\"items\":[{{\"id\":\"j1\",\"url\":\"{b}\",\
             \"title\":\"Ferry\",\"content_html\":\"<p>New sailings</p>\",\"date_published\":\"2025-03-01T07:30:00Z\"}}]}}"
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn mutated_feeds_are_fetched_without_a_panic_into_the_folder_only(
        which in 0usize..3,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, nasty()), 1..10),
        page_edits in prop::collection::vec((any::<prop::sample::Index>(), nasty()), 0..6),
    ) {
        let server = Server::start();
        let bytes = mutate(base_feeds(&server)[which].clone().into_bytes(), edits, 40);
        let page_edits = page_edits.into_iter().map(|(at, piece)| (at, 0, piece)).collect();
        let page = mutate(deep_page(2).into_bytes(), page_edits, 0);
        server.route("/feed", ok("application/xml", bytes));
        server.route("/page", ok("text/html", page));
        server.route("/deep", ok("text/html", deep_page(5_000)));
        let dir = TempDir::new().expect("temp dir");
        let outcomes = fetch_all(&[feed(server.url("/feed"))], &settings(dir.path()), now(), &|_, _| {});
        prop_assert!(outcomes.is_ok());
        for file in common::files_below(dir.path()) {
            // The pages, the state file and its lock, the folder's fetch lock: nothing else.
            let name = file.to_string_lossy();
            let in_folder = file.starts_with("articles")
                || name.starts_with("state.toml")
                || (name.starts_with("fetch-") && name.ends_with(".lock"));
            prop_assert!(in_folder, "{}", file.display());
            if file.starts_with("articles") {
                let written = std::fs::read(dir.path().join(&file)).expect("read");
                if let Ok(parsed) = parse_bytes(&written) {
                    let article = parsed.article;
                    let texts = [article.source.as_str(), article.headline.as_str()]
                        .into_iter()
                        .chain(article.standfirst.as_deref())
                        .chain(article.body.iter().map(Block::text));
                    for text in texts {
                        prop_assert!(!text.chars().any(is_control), "{:?}", text);
                    }
                }
            }
        }
    }
}
