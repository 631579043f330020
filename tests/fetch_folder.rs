//! Fetching into an articles folder (issue 28): two fetches at once save each item once; what
//! a folder has learnt is its own, so a new or emptied folder gets its news; a fetch killed
//! mid-way leaves no half page, and the hidden leftovers of one are never read and are
//! removed by the next. Every server is a real one on 127.0.0.1, stopped by its test.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::server::{Server, ok};
use tempfile::TempDir;

/// A home with a config that fetches into `articles` from a feeds file of one feed.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new(feed: &str) -> Home {
        let dir = TempDir::new().expect("tempdir");
        std::fs::write(
            dir.path().join("config.toml"),
            "articles_dir = \"articles\"\nbookmarks_file = \"data/bookmarks.toml\"\n\
             feeds_file = \"feeds\"\nfetch_timeout = 10\nfetch_connect_timeout = 2\n",
        )
        .expect("config");
        std::fs::write(dir.path().join("feeds"), format!("{feed}\n")).expect("feeds");
        Home { dir }
    }

    fn command(&self, args: &[&str]) -> std::process::Command {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"));
        command
            .current_dir(self.dir.path())
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .env_remove("http_proxy")
            .env_remove("HTTP_PROXY")
            .env_remove("ALL_PROXY")
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        command
    }

    fn run(&self, args: &[&str]) -> String {
        let out = self.command(args).output().expect("run");
        common::succeeded(out, args)
    }

    /// The pages below a folder of the home, by path.
    fn pages(&self, folder: &str) -> Vec<PathBuf> {
        let mut pages: Vec<PathBuf> = common::files_below(&self.dir.path().join(folder))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        pages.sort();
        pages
    }
}

/// A feed of `n` items, each linking to a page of its own on the server.
fn serve_feed(server: &Server, n: usize) {
    let items: String = (0..n)
        .map(|i| {
            format!(
                "<item><title>Story number {i} of the day</title><link>{}</link><guid>s{i}</guid>\
                 <pubDate>Mon, 03 Mar 2025 0{}:00:00 GMT</pubDate></item>",
                server.url(&format!("/page{i}")),
                i % 10
            )
        })
        .collect();
    server.route(
        "/feed",
        ok(
            "application/rss+xml",
            format!(
                "<rss version=\"2.0\"><channel><title>Harbour News</title>{items}</channel></rss>"
            ),
        ),
    );
    for i in 0..n {
        let page = format!(
            "<html><head><title>Story number {i} of the day</title></head><body><article><h1>Story number {i} of the day</h1>\
             <p>The harbour wall that broke in last month's storm has been rebuilt, story {i} says, and the \
             first boats returned on Monday morning to a crowd of families waiting on the quay.</p></article></body></html>"
        );
        server.route(&format!("/page{i}"), ok("text/html", page));
    }
}

#[test]
fn two_fetches_at_once_save_each_item_once() {
    let server = Server::start();
    serve_feed(&server, 6);
    // Slow pages, so that the two fetches overlap.
    for i in 0..6 {
        server.slow(&format!("/page{i}"), Duration::from_millis(150));
    }
    let home = Home::new(&server.url("/feed"));
    let first = home.command(&["fetch"]).spawn().expect("spawn");
    let second = home.command(&["fetch"]).spawn().expect("spawn");
    let outs = [first, second].map(|child| child.wait_with_output().expect("wait"));
    for out in &outs {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let pages = home.pages("articles");
    assert_eq!(pages.len(), 6, "{pages:?}");
    assert!(!pages.iter().any(|p| p.to_string_lossy().contains("-2.txt")));
    let said: Vec<String> = outs
        .iter()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .collect();
    assert!(
        said.iter().any(|s| s.contains("6 new")) && said.iter().any(|s| s.contains("0 new")),
        "{said:?}"
    );
}

#[test]
fn a_new_or_emptied_folder_gets_its_news_and_a_full_one_gets_nothing_twice() {
    let server = Server::start();
    serve_feed(&server, 3);
    let home = Home::new(&server.url("/feed"));
    assert!(home.run(&["fetch"]).contains("3 new"));
    assert!(home.run(&["fetch"]).contains("0 new"));
    // Another folder learns for itself.
    std::fs::create_dir(home.dir.path().join("other")).expect("mkdir");
    assert!(
        home.run(&["--articles", "other", "fetch"])
            .contains("3 new")
    );
    assert_eq!(home.pages("other").len(), 3);
    assert!(
        home.run(&["--articles", "other", "fetch"])
            .contains("0 new")
    );
    // One page deleted stays deleted; the feed's pages all gone, they come back.
    let pages = home.pages("articles");
    std::fs::remove_file(home.dir.path().join("articles").join(&pages[0])).expect("rm");
    assert!(home.run(&["fetch"]).contains("0 new"));
    for page in &pages[1..] {
        std::fs::remove_file(home.dir.path().join("articles").join(page)).expect("rm");
    }
    assert!(home.run(&["fetch"]).contains("3 new"));
    assert_eq!(home.pages("articles"), pages);
}

#[test]
fn a_killed_fetch_leaves_no_half_page_and_its_leftovers_go() {
    let server = Server::start();
    serve_feed(&server, 4);
    server.slow("/page2", Duration::from_secs(3));
    let home = Home::new(&server.url("/feed"));
    let mut child = home.command(&["fetch"]).spawn().expect("spawn");
    std::thread::sleep(Duration::from_millis(1200));
    child.kill().expect("kill");
    let _ = child.wait();
    // Whatever it wrote is whole.
    for page in home.pages("articles") {
        let text = std::fs::read(home.dir.path().join("articles").join(&page)).expect("read");
        assert!(broadsheet::article::parse_bytes(&text).is_ok(), "{page:?}");
    }
    // A leftover of a page written half-way: hidden, so never read, and removed next time.
    let folder = home.dir.path().join("articles/harbour-news");
    std::fs::create_dir_all(&folder).expect("mkdir");
    let leftover = folder.join(".2025-03-03-story-number-9-of-the-day.4242.tmp");
    std::fs::write(&leftover, "London Daily\nMonday, Mar 3, 2025\n\nHalf").expect("write");
    let listed = home.run(&["--articles", "articles", "list"]);
    assert!(!listed.contains("Half"), "{listed}");
    server.slow("/page2", Duration::ZERO);
    assert!(home.run(&["fetch"]).contains("new"));
    assert!(!leftover.exists());
    assert_eq!(home.pages("articles").len(), 4);
    assert!(!Path::new(&leftover).exists());
}

#[test]
fn relative_links_are_taken_from_the_feed_address() {
    let server = Server::start();
    let rss = "<rss version=\"2.0\"><channel><title>Relative News</title>\
               <item><title>From the root of the site</title><link>/pages/root.html</link><guid>r1</guid></item>\
               <item><title>From the folder above</title><link>../pages/above.html</link><guid>r2</guid></item>\
               </channel></rss>";
    server.route("/news/feed.xml", ok("application/rss+xml", rss));
    for (path, headline) in [
        ("/pages/root.html", "From the root of the site"),
        ("/pages/above.html", "From the folder above"),
    ] {
        let page = format!(
            "<html><body><article><h1>{headline}</h1><p>The harbour wall that broke in last \
             month's storm has been rebuilt, and the first boats returned on Monday morning to \
             a crowd of families waiting on the quay, {headline}.</p></article></body></html>"
        );
        server.route(path, ok("text/html", page));
    }
    let home = Home::new(&server.url("/news/feed.xml"));
    let said = home.run(&["fetch"]);
    assert!(said.contains("2 new"), "{said}");
    let shown = home.run(&[
        "--articles",
        "articles",
        "show",
        "from-the-root-of-the-site",
    ]);
    assert!(shown.contains(&server.url("/pages/root.html")), "{shown}");
    assert!(shown.contains("a crowd of families"), "{shown}");
    let shown = home.run(&["--articles", "articles", "show", "from-the-folder-above"]);
    assert!(shown.contains(&server.url("/pages/above.html")), "{shown}");
}

#[test]
fn a_host_that_hangs_is_asked_once_per_place_and_its_items_keep_their_own_text() {
    let server = Server::start();
    let items: String = (0..6)
        .map(|i| {
            format!(
                "<item><title>Hanging story {i} of the day</title><link>{}</link><guid>h{i}</guid>\
                 <description>The feed's own text of story {i}.</description></item>",
                server.url(&format!("/hang{i}"))
            )
        })
        .collect();
    server.route(
        "/feed",
        ok(
            "application/rss+xml",
            format!("<rss version=\"2.0\"><channel><title>Slow</title>{items}</channel></rss>"),
        ),
    );
    for i in 0..6 {
        server.route(&format!("/hang{i}"), ok("text/html", "<p>late</p>"));
        server.slow(&format!("/hang{i}"), Duration::from_secs(4));
    }
    let home = Home::new(&server.url("/feed"));
    std::fs::write(
        home.dir.path().join("config.toml"),
        "articles_dir = \"articles\"\nbookmarks_file = \"data/bookmarks.toml\"\n\
         feeds_file = \"feeds\"\nfetch_timeout = 1\nfetch_connect_timeout = 1\nfetch_per_host = 2\n",
    )
    .expect("config");
    let out = home.command(&["fetch"]).output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(String::from_utf8_lossy(&out.stdout).contains("6 new"));
    // Two asked at once; once they timed out, the host was not asked again.
    let asked = (0..6)
        .filter(|i| !server.asked(&format!("/hang{i}")).is_empty())
        .count();
    assert_eq!(asked, 2, "{stderr}");
    assert_eq!(stderr.matches("not asked again").count(), 4, "{stderr}");
    assert_eq!(
        stderr.matches("saved the feed's own text").count(),
        6,
        "{stderr}"
    );
    let shown = home.run(&[
        "--articles",
        "articles",
        "show",
        "hanging-story-5-of-the-day",
    ]);
    assert!(shown.contains("The feed's own text of story 5."), "{shown}");
}

#[test]
fn save_refuses_what_is_not_a_story_and_never_saves_a_page_twice() {
    let server = Server::start();
    serve_feed(&server, 2);
    server.route(
        "/welcome",
        ok("text/html", "<html><body><p>Welcome.</p></body></html>"),
    );
    let home = Home::new(&server.url("/feed"));
    std::fs::create_dir(home.dir.path().join("articles")).expect("mkdir");
    // A feed is not a page; a page with no story is not one either: exit 1 and the reason.
    for (path, reason) in [("/feed", "it is a feed"), ("/welcome", "no readable story")] {
        let out = home
            .command(&["save", &server.url(path)])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{path}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(reason),
            "{path}: {out:?}"
        );
    }
    assert!(home.pages("articles").is_empty());
    // The same page dropped in as a file is skipped with the reason.
    std::fs::write(
        home.dir.path().join("articles/welcome.html"),
        "<html><body><p>Welcome.</p></body></html>",
    )
    .expect("write");
    let checked = home.command(&["check"]).output().expect("run");
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(
        said.contains("welcome.html: skipped: a web page with no readable story"),
        "{said}"
    );
    std::fs::remove_file(home.dir.path().join("articles/welcome.html")).expect("rm");
    // The feed brings its items; saving an item's page gives the feed's page, every time.
    home.run(&["fetch"]);
    let pages = home.pages("articles");
    assert_eq!(pages.len(), 2, "{pages:?}");
    let again = home.run(&["save", &server.url("/page1")]);
    assert_eq!(home.run(&["save", &server.url("/page1")]), again);
    assert_eq!(home.pages("articles"), pages);
    let listed = home.run(&["list"]);
    assert!(
        listed.lines().any(|l| l.starts_with(again.trim())),
        "{again} {listed}"
    );
    // A page saved on its own, saved again: one page, the same id.
    server.route("/other", ok("text/html", format!(
        "<html><head><title>Another story</title></head><body><article><p>{}</p></article></body></html>",
        "The ferry timetable changes from April, with new sailings on weekday mornings. ".repeat(3)
    )));
    let first = home.run(&["save", &server.url("/other")]);
    assert_eq!(home.run(&["save", &server.url("/other")]), first);
    assert_eq!(home.pages("articles").len(), 3);
}

#[test]
fn a_busy_server_is_left_alone_as_it_asks_and_a_failing_feed_is_asked_less_often() {
    let server = Server::start();
    let mut busy = ok("text/plain", "busy");
    busy.status = 429;
    busy.headers.push(("Retry-After".into(), "120".into()));
    server.route("/busy", busy);
    let mut broken = ok("text/plain", "oops");
    broken.status = 500;
    server.route("/broken", broken);
    let home = Home::new(&server.url("/busy"));
    std::fs::write(
        home.dir.path().join("feeds"),
        format!("{}\n{}\n", server.url("/busy"), server.url("/broken")),
    )
    .expect("feeds");
    let fetch = || {
        let out = home.command(&["fetch"]).output().expect("run");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let first = fetch();
    assert!(
        first.contains("429 Too Many Requests (asks to wait 120 s)"),
        "{first}"
    );
    let second = fetch();
    assert!(
        second.contains("not asked: the server asked to wait (Retry-After)"),
        "{second}"
    );
    assert_eq!(server.asked("/busy").len(), 1);
    fetch();
    // The broken feed: asked three times, then left alone for a while, and `feeds` says so.
    let fourth = fetch();
    assert!(
        fourth.contains("not asked: backing off after 3 failures in a row"),
        "{fourth}"
    );
    assert_eq!(server.asked("/broken").len(), 3);
    let listed = home.run(&["feeds"]);
    assert!(
        listed.contains("backing off after 3 failures in a row, until"),
        "{listed}"
    );
    assert!(listed.contains("500 Internal Server Error"), "{listed}");
}

#[test]
fn items_keep_their_time_are_ordered_by_it_and_dated_in_the_local_zone() {
    let server = Server::start();
    let item = |title: &str, date: &str| {
        format!(
            "<item><title>{title}</title><guid>{title}</guid><pubDate>{date}</pubDate>\
             <description>The text of the story called {title}, told at some length so that it \
             counts as a story worth keeping in the folder.</description></item>"
        )
    };
    let items = [
        item("Midnight story", "Mon, 03 Mar 2025 00:00:00 GMT"),
        item("One o'clock story", "Mon, 03 Mar 2025 01:00:00 GMT"),
        item("Two o'clock story", "Mon, 03 Mar 2025 02:00:00 GMT"),
        item("Three o'clock story", "Mon, 03 Mar 2025 03:00:00 GMT"),
        item("Sydney morning story", "Sun, 01 Mar 2015 08:00:00 +1100"),
    ]
    .concat();
    server.route(
        "/feed",
        ok(
            "application/rss+xml",
            format!("<rss version=\"2.0\"><channel><title>Clock</title>{items}</channel></rss>"),
        ),
    );
    let home = Home::new(&server.url("/feed"));
    let in_zone = |zone: &str, args: &[&str]| {
        let out = home.command(args).env("TZ", zone).output().expect("run");
        common::succeeded(out, args)
    };
    in_zone("UTC", &["fetch"]);
    let listed = in_zone("UTC", &["list"]);
    let headlines: Vec<&str> = listed
        .lines()
        .map(|l| l.split('\t').nth(2).unwrap_or(""))
        .collect();
    assert_eq!(
        headlines,
        [
            "Three o'clock story",
            "Two o'clock story",
            "One o'clock story",
            "Midnight story",
            "Sydney morning story"
        ],
        "{listed}"
    );
    // 08:00 in Sydney is the evening before in UTC; the day shown is the reader's own.
    assert!(
        listed.contains("2015-02-28\tSydney morning story"),
        "{listed}"
    );
    let sydney = in_zone("Australia/Sydney", &["list"]);
    assert!(
        sydney.contains("2015-03-01\tSydney morning story"),
        "{sydney}"
    );
    // The full time, with its offset, in JSON.
    let json: serde_json::Value =
        serde_json::from_str(&in_zone("UTC", &["list", "--json"])).expect("json");
    assert_eq!(json[0]["time"], "2025-03-03T03:00:00+00:00");
    assert_eq!(json[4]["time"], "2015-02-28T21:00:00+00:00");
}

#[test]
fn feeds_add_finds_the_feed_behind_a_home_page() {
    let server = Server::start();
    let home = Home::new(&server.url("/feed"));
    std::fs::remove_file(home.dir.path().join("feeds")).expect("rm");
    // A page that names its feed, of each type.
    for (n, kind) in [
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
    ]
    .iter()
    .enumerate()
    {
        let page = format!(
            "<html><head><link rel=\"alternate\" type=\"{kind}\" href=\"/feed{n}\"></head><body>Home</body></html>"
        );
        server.route(&format!("/site{n}/"), ok("text/html", page));
        let json =
            "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"J\",\"items\":[]}";
        let atom =
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>A</title><id>urn:a</id></feed>";
        let body = match n {
            0 => "<rss version=\"2.0\"><channel><title>R</title></channel></rss>",
            1 => atom,
            _ => json,
        };
        server.route(&format!("/feed{n}"), ok("text/plain", body));
        let out = home
            .command(&["feeds", "add", &server.url(&format!("/site{n}/"))])
            .output()
            .expect("run");
        assert!(out.status.success(), "{out:?}");
        let said = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            said,
            format!("Subscribed: {}\n", server.url(&format!("/feed{n}")))
        );
        assert!(String::from_utf8_lossy(&out.stderr).contains("is a page: its feed is"));
    }
    // A page that names none: the usual place on its site.
    server.route(
        "/blog/",
        ok("text/html", "<html><body>A blog</body></html>"),
    );
    server.route(
        "/rss.xml",
        ok(
            "application/rss+xml",
            "<rss version=\"2.0\"><channel><title>B</title></channel></rss>",
        ),
    );
    let out = home
        .command(&["feeds", "add", &server.url("/blog/")])
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!("Subscribed: {}\n", server.url("/rss.xml"))
    );
    // Nothing to be found: exit 1 and the reason; nothing subscribed.
    server.route(
        "/plain/",
        ok("text/html", "<html><body>Welcome.</body></html>"),
    );
    server.route("/rss.xml", ok("text/html", "not here"));
    let out = home
        .command(&["feeds", "add", &server.url("/plain/")])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no feed found at"),
        "{out:?}"
    );
    let listed = home.run(&["feeds"]);
    assert_eq!(listed.lines().count(), 4, "{listed}");
    assert!(!listed.contains("/plain/"));
}

#[test]
fn an_item_changed_under_the_same_guid_is_updated_in_place_keeping_its_id_and_read_mark() {
    let server = Server::start();
    let feed = |summary: &str| {
        format!(
            "<rss version=\"2.0\"><channel><title>Harbour News</title>\
             <item><title>The harbour story</title><link>{}</link><guid>h1</guid>\
             <pubDate>Mon, 03 Mar 2025 09:00:00 GMT</pubDate><description>{summary}</description></item>\
             </channel></rss>",
            server.url("/page")
        )
    };
    let page = |text: &str| {
        format!(
            "<html><body><article><h1>The harbour story</h1><p>{}</p></article></body></html>",
            text.repeat(4)
        )
    };
    server.route("/feed", ok("application/rss+xml", feed("First summary.")));
    server.route(
        "/page",
        ok(
            "text/html",
            page("The wall was rebuilt in a week of work by the crews. "),
        ),
    );
    let home = Home::new(&server.url("/feed"));
    assert!(home.run(&["fetch"]).contains("1 new"));
    assert!(
        home.run(&["fetch"]).contains("0 new"),
        "unchanged: nothing written"
    );
    home.run(&["mark-read", "the-harbour-story"]);
    // The item changes under its guid: its page is written again, where it was.
    server.route(
        "/feed",
        ok("application/rss+xml", feed("A corrected summary.")),
    );
    server.route(
        "/page",
        ok(
            "text/html",
            page("The wall was rebuilt in two weeks, the crews said. "),
        ),
    );
    let out = home.command(&["fetch"]).output().expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 new"));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("1 item changed since: their pages were updated"),
        "{out:?}"
    );
    assert_eq!(home.pages("articles").len(), 1);
    let shown = home.run(&["show", "the-harbour-story"]);
    assert!(shown.contains("two weeks"), "{shown}");
    assert!(shown.contains("A corrected summary."), "{shown}");
    let json: serde_json::Value =
        serde_json::from_str(&home.run(&["list", "--json"])).expect("json");
    assert_eq!(json[0]["id"], "the-harbour-story");
    assert_eq!(json[0]["read"], true, "the read mark stays");
}

#[test]
fn feeds_counts_follow_read_marks_made_with_mark_read() {
    let server = Server::start();
    serve_feed(&server, 3);
    let home = Home::new(&server.url("/feed"));
    home.run(&["fetch"]);
    assert!(home.run(&["feeds"]).ends_with("\tok\t3/3\n"));
    home.run(&["mark-read", "story-number-1-of-the-day"]);
    assert!(home.run(&["feeds"]).ends_with("\tok\t2/3\n"));
    let json: serde_json::Value =
        serde_json::from_str(&home.run(&["feeds", "--json"])).expect("json");
    assert_eq!(
        (json[0]["unread"].clone(), json[0]["total"].clone()),
        (2.into(), 3.into())
    );
    home.run(&["mark-read", "--all"]);
    assert!(home.run(&["feeds"]).ends_with("\tok\t0/3\n"));
}
