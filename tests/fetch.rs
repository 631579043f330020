//! Fetching, against a real HTTP server on 127.0.0.1 run by the test with fixtures it writes:
//! RSS 2.0, RSS 1.0, Atom and JSON Feed; an ISO-8859-1 feed; items with and without dates,
//! guids and links; duplicate guids; entities and CDATA; article pages with navigation, ads,
//! comments and scripts around the story; a 304 on the second request with the conditional
//! headers checked; gzip; redirects and a loop; 404 and 500; a server that never answers; a
//! body over the cap; malformed XML; a title with `../` and escape sequences. No test reaches
//! the internet, and every server stops with its test.

mod common;

use common::server::{Reply, Server, ok};

use std::collections::HashMap;
use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use broadsheet::feeds::http::{Client, Failure, Limits, Response, Validators};
use serde_json::Value;
use tempfile::TempDir;

/// An article page: the story amid the site's navigation, ads, comments and scripts.
fn article_page(headline: &str, paragraphs: &[&str]) -> String {
    let story: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!DOCTYPE html><html><head><title>{headline} | The Site</title>
<meta property="og:site_name" content="The Site">
<script>var tracker = "TRACKER-CODE";</script><style>.ad {{ color: red }}</style></head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">NAVIGATION-LINK</a></nav>
<div class="ad">ADVERTISEMENT buy now</div>
<article><h1>{headline}</h1>
{story}</article>
<section id="comments" class="comments"><h3>Comments</h3><div class="comment"><p>COMMENT-TEXT first!</p></div></section>
<footer>FOOTER-TEXT copyright</footer>
<script>alert("SCRIPT-TEXT")</script>
</body></html>"#
    )
}

const STORY: [&str; 4] = [
    "The harbour wall that broke in last month's storm has been rebuilt, and the first boats returned on Monday morning to a crowd of families waiting on the quay.",
    "Engineers worked through the night for three weeks to replace the stones that the waves had torn away, using granite from the same quarry as the original wall of 1887.",
    "The harbour master said the repairs had cost less than feared and that the fishing fleet, idle since the storm, would be back at sea by the end of the week.",
    "Residents said they had missed the sound of the boats, and the café by the slipway opened early to serve the crews who had come home.",
];

fn rss(server: &Server) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour &amp; Coast News</title><link>{site}</link>
<description>News from the coast</description>
<item><title>Harbour wall rebuilt after the storm</title><link>{a}</link><guid>harbour-1</guid>
<pubDate>Mon, 03 Mar 2025 09:00:00 GMT</pubDate><description><![CDATA[<p>Boats are <b>back</b> &amp; the quay is busy.</p>]]></description></item>
<item><title>Harbour wall rebuilt after the storm (again listed)</title><link>{a}</link><guid>harbour-1</guid></item>
<item><title>No date, no guid: the tide tables</title><link>{b}</link><description>Tide tables for the week.</description></item>
<item><title>A story whose page is gone</title><link>{gone}</link><guid>gone-1</guid>
<pubDate>Sun, 02 Mar 2025 09:00:00 GMT</pubDate><description>The lifeboat crew trained in the bay on Sunday.</description></item>
<item><title>../../../etc/passwd &#27;[2J&#27;]0;owned&#7; Evil</title><guid>evil</guid><description>Only a summary.</description></item>
</channel></rss>"#,
        site = server.url("/"),
        a = server.url("/news/harbour"),
        b = server.url("/news/tides"),
        gone = server.url("/news/gone"),
    )
}

fn atom(server: &Server) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>The Atom Times</title><id>urn:times</id><updated>2025-03-04T10:00:00Z</updated>
<entry><title type="html">Council &lt;em&gt;votes&lt;/em&gt; on the budget</title><id>urn:times:budget</id>
<link href="{page}"/><updated>2025-03-04T10:00:00Z</updated><summary>Councillors voted on Tuesday.</summary></entry>
</feed>"#,
        page = server.url("/news/budget")
    )
}

fn rss1(server: &Server) -> String {
    format!(
        r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{site}"><title>RDF Weekly</title><link>{site}</link><description>old style</description></channel>
<item rdf:about="{page}"><title>Lighthouse keeper retires</title><link>{page}</link><dc:date>2025-02-28T08:00:00Z</dc:date></item>
</rdf:RDF>"#,
        site = server.url("/"),
        page = server.url("/news/lighthouse")
    )
}

fn json_feed(server: &Server) -> String {
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Daily",
        "items": [{
            "id": "json-1",
            "url": server.url("/news/ferry"),
            "title": "Ferry timetable changes",
            "summary": "New sailings from April.",
            "date_published": "2025-03-01T07:30:00Z"
        }]
    })
    .to_string()
}

/// ISO-8859-1 bytes for a feed whose title has accents.
fn latin1_feed() -> Vec<u8> {
    let text = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss version=\"2.0\"><channel><title>Le Caf\u{e9} du Port</title>\
                <item><title>Cr\u{e8}me br\u{fb}l\u{e9}e au march\u{e9}</title><guid>latin-1</guid><description>Le march\u{e9} ouvre t\u{f4}t.</description></item></channel></rss>";
    text.chars().map(|c| c as u32 as u8).collect()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

/// A home for the command line: its config names the articles folder and fetches quickly.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new() -> Home {
        let dir = TempDir::new().expect("tempdir");
        std::fs::write(
            dir.path().join("config.toml"),
            "articles_dir = \"articles\"\nbookmarks_file = \"data/bookmarks.toml\"\nfeeds_file = \"feeds\"\nfetch_timeout = 5\nfetch_connect_timeout = 2\n",
        )
        .expect("config");
        Home { dir }
    }

    fn articles(&self) -> PathBuf {
        self.dir.path().join("articles")
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        common::broadsheet_in(self.dir.path(), args)
    }

    fn ok(&self, args: &[&str]) -> String {
        common::succeeded(self.run(args), args)
    }

    /// Every page written below the articles folder, by path.
    fn pages(&self) -> HashMap<PathBuf, String> {
        common::files_below(&self.articles())
            .into_iter()
            .map(|relative| {
                let text = std::fs::read_to_string(self.articles().join(&relative));
                (relative, text.expect("a text page"))
            })
            .collect()
    }
}

fn page_with<'a>(pages: &'a HashMap<PathBuf, String>, needle: &str) -> (&'a PathBuf, &'a String) {
    pages
        .iter()
        .find(|(_, text)| text.contains(needle))
        .unwrap_or_else(|| panic!("no page holds {needle:?}: {:?}", pages.keys()))
}

fn serve_news(server: &Server) {
    server.route("/rss", ok("application/rss+xml", rss(server)));
    server.route("/atom", ok("application/atom+xml", atom(server)));
    server.route("/rdf", ok("application/rdf+xml", rss1(server)));
    server.route("/json", ok("application/feed+json", json_feed(server)));
    server.route("/latin", ok("application/rss+xml", latin1_feed()));
    server.route(
        "/news/harbour",
        ok(
            "text/html",
            article_page("Harbour wall rebuilt after the storm", &STORY),
        ),
    );
    server.route(
        "/news/tides",
        ok("text/html", article_page("The tide tables", &STORY[1..])),
    );
    server.route(
        "/news/budget",
        ok(
            "text/html",
            article_page("Council votes on the budget", &STORY[..3]),
        ),
    );
    server.route(
        "/news/lighthouse",
        ok(
            "text/html",
            article_page("Lighthouse keeper retires", &STORY[2..]),
        ),
    );
    server.route(
        "/news/ferry",
        ok("text/html", article_page("Ferry timetable changes", &STORY)),
    );
}

#[test]
fn every_kind_of_feed_is_fetched_into_pages_that_hold_only_the_story() {
    let server = Server::start();
    serve_news(&server);
    let home = Home::new();
    for path in ["/rss", "/atom", "/rdf", "/json", "/latin"] {
        home.ok(&["feeds", "add", &server.url(path)]);
    }
    let out = home.run(&["fetch"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        stdout,
        "Harbour & Coast News\t4 new\tok\nThe Atom Times\t1 new\tok\nRDF Weekly\t1 new\tok\nJSON Daily\t1 new\tok\nLe Café du Port\t1 new\tok\n"
    );
    // The page that is gone is saved from the feed's own text, and says so.
    assert!(stderr.contains("A story whose page is gone: the page could not be read (the server answered 404 Not Found): saved the feed's own text"), "{stderr}");

    let pages = home.pages();
    let (path, harbour) = page_with(&pages, "Harbour wall rebuilt after the storm");
    assert!(path.starts_with("harbour-coast-news"), "{path:?}");
    for story in STORY {
        assert!(harbour.contains(story), "the story is kept: {story}");
    }
    for chrome in [
        "NAVIGATION-LINK",
        "ADVERTISEMENT",
        "COMMENT-TEXT",
        "FOOTER-TEXT",
        "SCRIPT-TEXT",
        "TRACKER-CODE",
        "<p>",
        "&amp;",
    ] {
        assert!(!harbour.contains(chrome), "{chrome} left out:\n{harbour}");
    }
    assert!(
        harbour.starts_with(&format!(
            "Harbour & Coast News\nLink: {}\nTime: 2025-03-03T09:00:00+00:00\nMonday, Mar 3, 2025\n",
            server.url("/news/harbour")
        )),
        "{harbour}"
    );
    assert!(
        harbour.contains("\nBoats are back & the quay is busy.\n"),
        "the summary, markup gone:\n{harbour}"
    );
    // Duplicate guids give one page; the evil title stays inside its folder, escapes gone.
    assert_eq!(
        pages
            .values()
            .filter(|t| t.contains("(again listed)"))
            .count(),
        0
    );
    let (evil_path, evil) = page_with(&pages, "Evil");
    assert!(
        evil_path.starts_with("harbour-coast-news") && evil_path.components().count() == 2,
        "{evil_path:?}"
    );
    assert!(!evil.contains('\u{1b}') && !evil.contains('\u{7}'));
    let (_, latin) = page_with(&pages, "Crème brûlée au marché");
    assert!(latin.starts_with("Le Café du Port\n"));

    // They load, with their source and original link.
    let rows: Vec<Value> = serde_json::from_str(&home.ok(&["list", "--json"])).expect("json");
    assert_eq!(rows.len(), 8, "{rows:#?}");
    let budget = rows
        .iter()
        .find(|r| r["headline"] == "Council votes on the budget")
        .expect("atom item");
    assert_eq!(budget["source"], "The Atom Times");
    assert_eq!(budget["link"], server.url("/news/budget"));
    assert_eq!(budget["date"], "2025-03-04");
    let tides = rows
        .iter()
        .find(|r| r["headline"] == "No date, no guid: the tide tables")
        .expect("undated item");
    assert_eq!(
        tides["date"],
        chrono::Local::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string(),
        "the fetch date"
    );

    // The feeds list now knows each feed's own title and when it answered.
    let feeds: Vec<Value> = serde_json::from_str(&home.ok(&["feeds", "--json"])).expect("json");
    assert_eq!(feeds[0]["name"], "Harbour & Coast News");
    assert_eq!(feeds[0]["status"], "ok");
    assert!(feeds[0]["last_fetched"].is_string());
}

#[test]
fn a_second_fetch_asks_conditionally_and_saves_nothing_twice() {
    let server = Server::start();
    serve_news(&server);
    let mut feed = ok("application/rss+xml", rss(&server));
    feed.headers.push(("ETag".into(), "\"v1\"".into()));
    feed.headers.push((
        "Last-Modified".into(),
        "Mon, 03 Mar 2025 10:00:00 GMT".into(),
    ));
    server.route("/rss", feed);
    let home = Home::new();
    home.ok(&[
        "feeds",
        "add",
        &server.url("/rss"),
        "--name",
        "Coast",
        "--as-is",
    ]);
    assert_eq!(home.ok(&["fetch"]), "Coast\t4 new\tok\n");
    let first = home.pages();

    // Unchanged: the server says 304 to the validators it gave.
    server.route(
        "/rss",
        Reply {
            status: 304,
            headers: Vec::new(),
            body: Vec::new(),
        },
    );
    assert_eq!(home.ok(&["fetch"]), "Coast\t0 new\tok\n");
    let asked = server.asked("/rss");
    assert_eq!(asked.len(), 2);
    assert_eq!(
        asked[1].get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    assert_eq!(
        asked[1].get("if-modified-since").map(String::as_str),
        Some("Mon, 03 Mar 2025 10:00:00 GMT")
    );
    assert!(
        asked[0]
            .get("user-agent")
            .is_some_and(|ua| ua.starts_with("broadsheet/"))
    );
    assert!(
        asked[0]
            .get("accept-encoding")
            .is_some_and(|e| e.contains("gzip"))
    );

    // The feed answers in full again, and the user has deleted a page: nothing comes back.
    server.route("/rss", ok("application/rss+xml", rss(&server)));
    let (harbour, _) = page_with(&first, "Harbour wall rebuilt");
    std::fs::remove_file(home.articles().join(harbour)).expect("delete");
    assert_eq!(home.ok(&["fetch"]), "Coast\t0 new\tok\n");
    assert_eq!(home.pages().len(), first.len() - 1);
}

#[test]
fn failing_feeds_are_named_with_their_reason_and_the_rest_are_saved() {
    let server = Server::start();
    serve_news(&server);
    server.route(
        "/broken",
        ok(
            "application/rss+xml",
            "<rss><channel><title>Broken</title><item>",
        ),
    );
    server.route(
        "/error",
        Reply {
            status: 500,
            headers: Vec::new(),
            body: b"oops".to_vec(),
        },
    );
    server.route(
        "/gz",
        Reply {
            status: 200,
            headers: vec![
                ("Content-Type".into(), "application/atom+xml".into()),
                ("Content-Encoding".into(), "gzip".into()),
            ],
            body: gzip(atom(&server).as_bytes()),
        },
    );
    // A server that takes the connection and never answers, until the test is done.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let silent_url = format!("http://{}/feed", silent.local_addr().expect("addr"));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let held = {
        let done = done.clone();
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(30);
            let mut open = Vec::new();
            silent.set_nonblocking(true).expect("nonblocking");
            while Instant::now() < deadline && !done.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok((stream, _)) = silent.accept() {
                    open.push(stream);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    };
    let home = Home::new();
    for (url, name) in [
        (server.url("/broken"), "Broken"),
        (server.url("/missing"), "Missing"),
        (server.url("/error"), "Erroring"),
        (silent_url.clone(), "Silent"),
        (server.url("/gz"), "Zipped"),
        (server.url("/rdf"), "Fine"),
    ] {
        home.ok(&["feeds", "add", &url, "--name", name, "--as-is"]);
    }
    let started = Instant::now();
    let out = home.run(&["fetch", "--json"]);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the timeout fired"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["name"] == name)
            .cloned()
            .expect("a row")
    };
    assert!(
        row("Broken")["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("not a feed"))
    );
    assert_eq!(row("Missing")["error"], "the server answered 404 Not Found");
    assert_eq!(
        row("Erroring")["error"],
        "the server answered 500 Internal Server Error"
    );
    assert!(
        row("Silent")["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("no answer in time")),
        "{:?}",
        row("Silent")
    );
    assert_eq!(row("Silent")["status"], "error");
    assert_eq!(
        (
            row("Zipped")["new"].clone(),
            row("Zipped")["status"].clone()
        ),
        (1.into(), "ok".into())
    );
    assert_eq!(row("Fine")["new"], 1);
    let listed = home.ok(&["feeds"]);
    assert!(
        listed.contains("\t-\tthe server answered 404 Not Found\t0/0\n"),
        "{listed}"
    );
    drop(held);
}

#[test]
fn the_client_keeps_to_its_limits() {
    let server = Server::start();
    server.route("/big", ok("text/html", vec![b'x'; 64 * 1024]));
    for hop in 1..=3 {
        server.route(
            &format!("/hop{hop}"),
            Reply {
                status: 302,
                headers: vec![("Location".into(), server.url(&format!("/hop{}", hop + 1)))],
                body: Vec::new(),
            },
        );
    }
    server.route("/hop4", ok("text/plain", "arrived"));
    server.route(
        "/loop",
        Reply {
            status: 301,
            headers: vec![("Location".into(), server.url("/loop"))],
            body: Vec::new(),
        },
    );
    let client = Client::new(Limits {
        max_bytes: 16 * 1024,
        ..Limits::default()
    });
    let none = Validators::default();
    let body = |answer: Result<Response, Failure>| match answer {
        Ok(Response::Fetched(f)) => Ok(f.body),
        Ok(Response::NotModified) => Err("304".to_string()),
        Err(e) => Err(e.to_string()),
    };
    // Each failure is of its kind, and says itself in one line.
    let big = client.ask(&server.url("/big"), &none);
    assert!(matches!(big, Err(Failure::TooLarge(0))), "{big:?}");
    assert_eq!(body(big), Err("refused: larger than 0 MiB".into()));
    assert_eq!(
        body(client.ask(&server.url("/hop1"), &none)),
        Ok(b"arrived".to_vec())
    );
    let looped = client.ask(&server.url("/loop"), &none);
    assert!(matches!(looped, Err(Failure::Redirects)), "{looped:?}");
    assert_eq!(body(looped), Err("more than 5 redirects (a loop?)".into()));
    let local = client.ask("file:///etc/passwd", &none);
    assert!(matches!(local, Err(Failure::Refused(_))), "{local:?}");
    assert!(body(local).is_err_and(|e| e.contains("not an http or https address")));
}

#[test]
fn save_writes_one_page_and_prints_its_id() {
    let server = Server::start();
    serve_news(&server);
    server.route(
        "/nothing",
        ok("text/html", "<html><body><nav>Menu</nav></body></html>"),
    );
    let home = Home::new();
    let id = home.ok(&["save", &server.url("/news/ferry")]);
    assert_eq!(id, "ferry-timetable-changes\n");
    let shown: Value =
        serde_json::from_str(&home.ok(&["show", "ferry-timetable-changes", "--json"]))
            .expect("json");
    assert_eq!(shown["source"], "The Site");
    assert_eq!(shown["link"], server.url("/news/ferry"));
    assert!(
        shown["body"]
            .to_string()
            .contains("granite from the same quarry")
    );
    let nothing = home.run(&["save", &server.url("/nothing")]);
    assert_eq!(nothing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&nothing.stderr).contains("nothing saved from"));
    let first = home.pages();
    let again = home.run(&["save", &server.url("/news/ferry"), "--json"]);
    let saved: Value = serde_json::from_slice(&again.stdout).expect("json");
    let path = PathBuf::from(saved["path"].as_str().expect("path"));
    assert!(path.starts_with("the-site"), "{path:?}");
    // Already in the folder: its id again, and no second copy (issue 28).
    assert!(first.contains_key(&path), "the page saved before");
    assert_eq!(saved["id"], "ferry-timetable-changes");
    assert_eq!(home.pages().len(), 1);
    let ids: Vec<Value> = serde_json::from_str(&home.ok(&["list", "--json"])).expect("json");
    assert!(ids.iter().any(|r| r["id"] == saved["id"]));
    assert_eq!(saved["link"], server.url("/news/ferry"));
}

#[test]
fn an_item_without_guid_or_link_is_known_by_its_title_and_date() {
    let server = Server::start();
    let item = |day: u32| {
        format!(
            "<item><title>Tide tables</title><pubDate>Mon, {day:02} Mar 2025 09:00:00 GMT</pubDate><description>The week's tides.</description></item>"
        )
    };
    server.route(
        "/rss",
        ok(
            "application/rss+xml",
            format!(
                "<rss version=\"2.0\"><channel><title>Tides</title>{}{}{}</channel></rss>",
                item(3),
                item(10),
                item(3)
            ),
        ),
    );
    let home = Home::new();
    home.ok(&["feeds", "add", &server.url("/rss")]);
    assert_eq!(
        home.ok(&["fetch"]),
        "Tides\t2 new\tok\n",
        "one a week, the repeat once"
    );
    assert_eq!(home.ok(&["fetch"]), "Tides\t0 new\tok\n");
}
