//! `broadsheet sync` against a real FreshRSS on 127.0.0.1 (its Google Reader API): the
//! server's items become pages, its read and starred marks become read marks and bookmarks,
//! marks made here are sent (and not undone by older ones there), kept while the server is
//! down and sent when it is back; the token is kept for its
//! owner only and no password is ever printed. Without a server: a bad `[sync]` table exits
//! 2 naming file, line and column, an unreachable server or a refused login exits 1.

mod common;

use std::path::Path;
use std::process::Output;

use common::freshrss::{self, FreshRss};
use common::server::{Server, ok};
use serde_json::Value;
use tempfile::TempDir;

/// A home for broadsheet: its config (with `[sync]` pointing at `server`), articles and data.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new(sync: &str) -> Home {
        let dir = TempDir::new().expect("tempdir");
        let config = format!(
            "articles_dir = \"articles\"\nbookmarks_file = \"data/bookmarks.toml\"\n\
             feeds_file = \"feeds\"\nfetch_timeout = 10\n\n[sync]\n{sync}\n"
        );
        std::fs::write(dir.path().join("config.toml"), config).expect("config");
        std::fs::create_dir_all(dir.path().join("articles")).expect("articles");
        Home { dir }
    }

    fn run(&self, args: &[&str], password: &str) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_broadsheet"))
            .current_dir(self.dir.path())
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .env("BROADSHEET_SYNC_PASSWORD", password)
            .arg("--config")
            .arg("config.toml")
            .args(args)
            .output()
            .expect("run")
    }

    /// The reader on this home's folder, with its config, at a size.
    fn app(&self, width: u16, height: u16) -> broadsheet::app::App {
        let path = self.path("config.toml");
        let text = std::fs::read_to_string(&path).expect("config");
        let config = broadsheet::config::Config::parse(&text, &path).expect("config");
        let library = broadsheet::loader::load(&config.articles_dir).expect("load");
        broadsheet::app::App::new(library, &config, width, height)
    }

    fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    fn listed(&self) -> Vec<Value> {
        let out = self.run(&["list", "--json"], "");
        let json: Value = serde_json::from_slice(&out.stdout).expect("list json");
        json.as_array().expect("array").clone()
    }
}

/// A FreshRSS, a server of feeds with [`FEED`] at `/feed.xml`, and the feeds' site; `None`
/// without FreshRSS.
fn with_feed() -> Option<(FreshRss, Server, String)> {
    let server = FreshRss::start()?;
    let feeds = Server::start();
    let site = format!("http://127.0.0.1:{}", feeds.port);
    feeds.route(
        "/feed.xml",
        ok("application/rss+xml", FEED.replace("LINK", &site)),
    );
    Some((server, feeds, site))
}

/// A home whose `[sync]` is the test user on `server`.
fn home_on(server: &FreshRss) -> Home {
    Home::new(&format!(
        "server = \"{}\"\nuser = \"{}\"",
        server.base,
        freshrss::USER
    ))
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file below `dir`, read as text where it is.
fn contents_below(dir: &Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.push_str(&contents_below(&path));
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            all.push_str(&text);
        }
    }
    all
}

const FEED: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Harbour News</title><link>http://127.0.0.1/</link>
<description>d</description>
<item><title>Harbour reopens after repairs</title><link>LINK/a.html</link><guid>a1</guid>
<pubDate>Mon, 03 Mar 2025 08:00:00 +0000</pubDate>
<description>&lt;p&gt;The harbour reopened on Monday after repairs to the wall.&lt;/p&gt;</description></item>
<item><title>Crews inspect the wall</title><link>LINK/b.html</link><guid>b1</guid>
<pubDate>Tue, 04 Mar 2025 08:00:00 +0000</pubDate>
<description>&lt;p&gt;Crews will inspect the wall every month, officials said.&lt;/p&gt;</description></item>
</channel></rss>"#;

#[test]
fn the_servers_items_become_pages_and_its_marks_read_marks_and_bookmarks() {
    let Some((server, feeds, site)) = with_feed() else {
        return;
    };
    server.subscribe(&format!("{site}/feed.xml"), "Local");
    let home = home_on(&server);

    // The first sync: both items, as pages of the feed's folder, with their time and link.
    let out = home.run(&["sync"], freshrss::PASSWORD);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert_eq!(stdout, "Harbour News\t2 new\n2 new, 0 sent, 0 pending\n");
    let listed = home.listed();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["headline"], "Crews inspect the wall");
    assert_eq!(listed[0]["source"], "Harbour News");
    assert_eq!(listed[0]["time"], "2025-03-04T08:00:00+00:00");
    assert_eq!(listed[0]["link"], format!("{site}/b.html"));
    assert!(
        listed[0]["path"]
            .as_str()
            .is_some_and(|p| p.starts_with("harbour-news/")),
        "{listed:?}"
    );
    assert!(
        listed
            .iter()
            .all(|a| a["read"] == false && a["bookmarked"] == false)
    );
    // The server's feed is listed with the local ones, marked as the server's, in its folder.
    let out = home.run(&["feeds", "--json"], "");
    let listed_feeds: Value = serde_json::from_slice(&out.stdout).expect("feeds json");
    let feed = &listed_feeds.as_array().expect("array")[0];
    assert_eq!(feed["origin"], "sync", "{listed_feeds}");
    assert_eq!(feed["name"], "Harbour News");
    assert_eq!(feed["url"], format!("{site}/feed.xml"));
    assert_eq!(feed["tags"], serde_json::json!(["Local"]));
    assert_eq!(
        (feed["unread"].clone(), feed["total"].clone()),
        (2.into(), 2.into())
    );
    let show = home.run(&["show", "crews-inspect-the-wall"], "");
    assert!(
        text(&show)
            .0
            .contains("Crews will inspect the wall every month")
    );

    // The token is kept for its owner only; no password anywhere broadsheet wrote.
    let token = home.path("data/sync-token");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token)
            .expect("token")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let written = contents_below(home.dir.path());
    assert!(!written.contains(freshrss::PASSWORD));

    // Marked on another device: one read, one starred. The next sync takes the marks in and
    // saves nothing twice.
    let items = server.items();
    let id_of = |title: &str| {
        items
            .iter()
            .find(|(_, t)| t == title)
            .map(|(id, _)| id.clone())
            .expect("item")
    };
    server.mark(&id_of("Harbour reopens after repairs"), "read");
    server.mark(&id_of("Crews inspect the wall"), "starred");
    let out = home.run(&["sync", "--json"], freshrss::PASSWORD);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(json["server"], server.base);
    assert_eq!(json["new"], 0);
    assert_eq!(json["sent"], 0);
    assert_eq!(json["pending"], 0);
    assert_eq!(json["error"], Value::Null);
    assert_eq!(json["feeds"], Value::Array(Vec::new()));
    assert!(!stdout.contains(freshrss::PASSWORD));
    let listed = home.listed();
    let by = |headline: &str| {
        listed
            .iter()
            .find(|a| a["headline"] == headline)
            .cloned()
            .expect("listed")
    };
    assert_eq!(by("Harbour reopens after repairs")["read"], true);
    assert_eq!(by("Crews inspect the wall")["bookmarked"], true);
    assert_eq!(listed.len(), 2, "nothing saved twice");

    // Changed here, later: unread again and bookmarked. The next sync sends both, and the
    // server's older marks do not undo them.
    let harbour = id_of("Harbour reopens after repairs");
    let out = home.run(&["mark-unread", "harbour-reopens-after-repairs"], "");
    assert!(out.status.success());
    let out = home.run(&["bookmarks", "add", "harbour-reopens-after-repairs"], "");
    assert!(out.status.success(), "{:?}", text(&out));
    let out = home.run(&["sync", "--json"], freshrss::PASSWORD);
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (json["sent"].clone(), json["pending"].clone()),
        (2.into(), 0.into())
    );
    assert!(server.ids("unread").contains(&harbour));
    assert!(server.ids("starred").contains(&harbour));
    let listed = home.listed();
    assert_eq!(listed.iter().filter(|a| a["read"] == true).count(), 0);
    assert_eq!(listed.iter().filter(|a| a["bookmarked"] == true).count(), 2);

    // Marked read while the server is down: kept, said to be pending, sent once it is back.
    let mut server = server;
    server.stop();
    let out = home.run(&["mark-read", "harbour-reopens-after-repairs"], "");
    assert!(out.status.success());
    let out = home.run(&["sync", "--json"], freshrss::PASSWORD);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["pending"], 1, "{json}");
    assert!(
        json["error"]
            .as_str()
            .is_some_and(|e| e.contains("could not be reached"))
    );
    server.restart();
    let out = home.run(&["sync", "--json"], freshrss::PASSWORD);
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (json["sent"].clone(), json["pending"].clone()),
        (1.into(), 0.into())
    );
    assert!(!server.ids("unread").contains(&harbour));

    // A new item on the server arrives with the next sync, only it.
    let more = FEED.replace("LINK", &site).replace(
        "<item><title>Harbour reopens",
        "<item><title>Ferry returns</title><link>LINK/c.html</link><guid>c1</guid>\
         <pubDate>Wed, 05 Mar 2025 08:00:00 +0000</pubDate><description>Back.</description></item>\
         <item><title>Harbour reopens",
    );
    feeds.route(
        "/feed.xml",
        ok("application/rss+xml", more.replace("LINK", &site)),
    );
    server.refresh();
    let out = home.run(&["sync"], freshrss::PASSWORD);
    assert_eq!(
        text(&out).0,
        "Harbour News\t1 new\n1 new, 0 sent, 0 pending\n"
    );
    assert_eq!(home.listed().len(), 3);
}

#[test]
fn a_bad_sync_table_exits_2_naming_file_line_and_column() {
    for (table, said, line) in [
        (
            "server = \"http://rss.example.org/api/greader.php\"\nuser = \"me\"",
            "server must be an https address",
            7,
        ),
        (
            "server = \"https://rss.example.org/api/greader.php\"\nuser = \"me\"\npassword = \"x\"",
            "a password is never kept in config.toml",
            9,
        ),
        (
            "server = \"https://rss.example.org/\"",
            "[sync] needs user",
            6,
        ),
    ] {
        let home = Home::new(table);
        let out = home.run(&["sync"], "");
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(said), "{stderr}");
        assert!(stderr.contains(&format!("config.toml:{line}:")), "{stderr}");
    }
}

#[test]
fn an_unreachable_server_or_a_refused_login_exits_1_without_the_password() {
    // A port nothing listens on.
    let port = common::free_port();
    let home = Home::new(&format!(
        "server = \"http://127.0.0.1:{port}/api/greader.php\"\nuser = \"me\""
    ));
    let out = home.run(&["sync", "--json"], "hunter2-secret");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("json");
    assert!(
        json["error"]
            .as_str()
            .is_some_and(|e| e.contains("could not be reached")),
        "{json}"
    );
    assert!(!stdout.contains("hunter2") && !stderr.contains("hunter2"));

    // A server that refuses the login.
    let refusing = Server::start();
    let mut no = ok("text/plain", "Error=BadAuthentication");
    no.status = 401;
    refusing.route("/api/greader.php/accounts/ClientLogin", no);
    let home = Home::new(&format!(
        "server = \"http://127.0.0.1:{}/api/greader.php\"\nuser = \"me\"",
        refusing.port
    ));
    let out = home.run(&["sync"], "hunter2-secret");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("refused the login"), "{stderr}");
    assert!(!stdout.contains("hunter2") && !stderr.contains("hunter2"));
    assert!(!home.path("data/sync-token").exists());

    // No password at all: said, not asked of the server.
    let out = home.run(&["sync"], "");
    assert!(
        text(&out).1.contains("BROADSHEET_SYNC_PASSWORD"),
        "{:?}",
        text(&out)
    );
}

/// R in the reader syncs too when there is a server: the status bar says what came of it,
/// a server that cannot be reached is a line in the problems window (and the reader goes on).
#[test]
fn r_in_the_reader_syncs_and_a_server_that_is_down_is_a_problem_not_a_wait() {
    use broadsheet::action::Action;
    let port = common::free_port();
    let home = Home::new(&format!(
        "server = \"http://127.0.0.1:{port}/api/greader.php\"\nuser = \"me\"\npassword_command = \"echo x\""
    ));
    let mut app = home.app(120, 40);
    common::step(&mut app, Action::FetchFeeds);
    assert!(app.background().syncing().is_none(), "the sync is over");
    let message = app.message().unwrap_or_default().to_string();
    assert!(message.starts_with("Sync failed:"), "{message}");
    assert!(
        app.background()
            .feed_problems()
            .iter()
            .any(|p| p.starts_with("sync: the server could not be reached")),
        "{:?}",
        app.background().feed_problems()
    );

    // With the server up: R brings its items, and the status bar says how many.
    let Some((server, _feeds, site)) = with_feed() else {
        return;
    };
    server.subscribe(&format!("{site}/feed.xml"), "Local");
    // The password from a command, as a person keeps it in a password manager.
    let home = Home::new(&format!(
        "server = \"{}\"\nuser = \"{}\"\npassword_command = \"echo {}\"",
        server.base,
        freshrss::USER,
        freshrss::PASSWORD
    ));
    let mut app = home.app(120, 40);
    common::step(&mut app, Action::FetchFeeds);
    assert_eq!(app.message(), Some("Synced: 2 new articles"));
    assert!(app.background().feed_problems().is_empty());
    assert_eq!(home.listed().len(), 2);

    // Read and starred on another device: the next R shows it in the list at once.
    let mut app = home.app(120, 40);
    for (id, title) in server.items() {
        if title == "Harbour reopens after repairs" {
            server.mark(&id, "read");
            server.mark(&id, "starred");
        }
    }
    common::step(&mut app, Action::FetchFeeds);
    assert_eq!(app.message(), Some("Synced: 0 new articles"));
    let at = app
        .library()
        .index_of("harbour-reopens-after-repairs")
        .expect("listed");
    assert!(app.marks().is_read(at) && app.marks().is_bookmarked(at));
    assert_eq!(app.marks().unread_count(), 1);
}

/// An item the server gives only a summary of is saved with the story read from its page;
/// an item whose story is in the folder already (here from a local feed) is not saved twice.
#[test]
fn the_whole_story_is_read_from_the_page_and_a_story_here_already_is_not_saved_again() {
    let Some((server, feeds, site)) = with_feed() else {
        return;
    };
    let story = "<html><head><title>Harbour reopens after repairs</title>\
                 <meta property=\"og:image\" content=\"/photo.jpg\"></head><body><article>\
                 <h1>Harbour reopens after repairs</h1>\
                 <p>The harbour reopened on Monday after three months of repairs to the sea wall, \
                 which storms had broken in two places last winter.</p>\
                 <p>Fishing boats were the first back, followed by the ferry to the islands, \
                 which had sailed from the next town along the coast while the work went on.</p>\
                 <p>The council said the new wall should stand for fifty years.</p>\
                 </article></body></html>";
    feeds.route("/a.html", ok("text/html", story));
    let photo = common::picture(320, 180, image::ImageFormat::Jpeg);
    feeds.route("/photo.jpg", ok("image/jpeg", photo));
    server.subscribe(&format!("{site}/feed.xml"), "Local");
    let home = home_on(&server);
    // The second story is in the folder already, fetched from the same feed by broadsheet.
    let here = format!(
        "Harbour News\nLink: {site}/b.html\nTuesday, Mar 4, 2025\n\nCrews inspect the wall\n\n\
         Crews inspect the wall\n\nCrews will inspect the wall every month, officials said.\n\n\
         The first inspection is on Friday.\n"
    );
    std::fs::create_dir_all(home.path("articles/local")).expect("mkdir");
    std::fs::write(home.path("articles/local/crews.txt"), here).expect("page");

    let out = home.run(&["sync"], freshrss::PASSWORD);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert_eq!(stdout, "Harbour News\t1 new\n1 new, 0 sent, 0 pending\n");
    let listed = home.listed();
    assert_eq!(listed.len(), 2, "{listed:?}");
    let show = home.run(&["show", "harbour-reopens-after-repairs"], "");
    let shown = text(&show).0;
    assert!(
        shown.contains("Fishing boats were the first back"),
        "{shown}"
    );
    assert!(shown.contains("should stand for fifty years"), "{shown}");
    assert_eq!(feeds.asked("/a.html").len(), 1, "the page was read once");
    // Its picture came with it, as a fetch's does.
    let json = home.run(&["show", "harbour-reopens-after-repairs", "--json"], "");
    let json: Value = serde_json::from_slice(&json.stdout).expect("show json");
    assert_eq!(json["image"]["url"], format!("{site}/photo.jpg"));
    assert_eq!(feeds.asked("/photo.jpg").len(), 1);
    let kept = common::files_below(&home.path("cache/broadsheet/images/files"));
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(
        feeds.asked("/b.html").is_empty(),
        "a story here already is not read"
    );
    // The page that was here is the server's item: marked read there, it is read here.
    for (id, title) in server.items() {
        if title == "Crews inspect the wall" {
            server.mark(&id, "read");
        }
    }
    let out = home.run(&["sync"], freshrss::PASSWORD);
    assert!(out.status.success(), "{:?}", text(&out));
    let listed = home.listed();
    let crews = listed
        .iter()
        .find(|a| a["path"] == "local/crews.txt")
        .expect("the page that was here");
    assert_eq!(crews["read"], true, "{listed:?}");
}

/// `feeds add --sync` subscribes on the server (in its folder, by the name given) and
/// `feeds remove` unsubscribes there; `feeds` shows each change at once.
#[test]
fn feeds_add_with_sync_and_feeds_remove_reach_the_server() {
    let Some((server, _feeds, site)) = with_feed() else {
        return;
    };
    let home = home_on(&server);
    let url = format!("{site}/feed.xml");
    let out = home.run(
        &[
            "feeds",
            "add",
            "--sync",
            "--tag",
            "Coast",
            "--name",
            "The Harbour",
            &url,
        ],
        freshrss::PASSWORD,
    );
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert_eq!(stdout, format!("Subscribed on the server: {url}\n"));
    let out = home.run(&["feeds", "--json"], "");
    let listed: Value = serde_json::from_slice(&out.stdout).expect("json");
    let feed = &listed.as_array().expect("array")[0];
    assert_eq!(feed["origin"], "sync", "{listed}");
    assert_eq!(feed["name"], "The Harbour");
    assert_eq!(feed["tags"], serde_json::json!(["Coast"]));
    // Its items come with the next sync, under its name.
    let out = home.run(&["sync"], freshrss::PASSWORD);
    assert_eq!(
        text(&out).0,
        "The Harbour\t2 new\n2 new, 0 sent, 0 pending\n"
    );

    let out = home.run(&["feeds", "remove", "The Harbour"], freshrss::PASSWORD);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert_eq!(stdout, format!("Unsubscribed on the server: {url}\n"));
    let out = home.run(&["feeds", "--json"], "");
    let listed: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(listed, serde_json::json!([]));
    // The pages it gave stay: they are the user's now.
    assert_eq!(home.listed().len(), 2);
}

/// A server that answers garbage, 500 or nothing at all: a clear message, exit 1, nothing
/// the folder had is lost, and no password anywhere. An expired token is renewed.
#[test]
fn garbage_an_error_or_silence_from_the_server_is_said_and_nothing_is_lost() {
    let fake = Server::start();
    fake.route(
        "/api/greader.php/accounts/ClientLogin",
        ok("text/plain", "SID=x\nLSID=x\nAuth=fresh-token\n"),
    );
    let home = Home::new(&format!(
        "server = \"http://127.0.0.1:{}/api/greader.php\"\nuser = \"me\"",
        fake.port
    ));
    std::fs::write(
        home.path("articles/kept.txt"),
        "London Daily\n\nMonday, Mar 3, 2025\n\nKept\n\nKept\n\nA standfirst.\n\nA body.\n",
    )
    .expect("page");
    let list = "/api/greader.php/reader/api/0/subscription/list?output=json";
    for (reply, said) in [
        (ok("application/json", "<html>not json"), "not understood"),
        (
            {
                let mut broken = ok("text/plain", "oops");
                broken.status = 500;
                broken
            },
            "the server answered 500",
        ),
    ] {
        fake.route(list, reply);
        let out = home.run(&["sync"], "hunter2-secret");
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
        assert!(stderr.contains(said), "{stderr}");
        assert!(!stderr.contains("hunter2") && !stdout.contains("hunter2"));
        assert_eq!(home.listed().len(), 1, "the folder is as it was");
    }
    // The token the login gave is kept, not the password.
    let token = std::fs::read_to_string(home.path("data/sync-token")).expect("token");
    assert_eq!(token, "fresh-token");

    // An expired token: the server says 401 to it, broadsheet logs in again once.
    std::fs::write(home.path("data/sync-token"), "expired").expect("token");
    let mut refused = ok("text/plain", "Unauthorized");
    refused.status = 401;
    fake.route(list, refused);
    let out = home.run(&["sync"], "hunter2-secret");
    assert_eq!(out.status.code(), Some(1));
    let logins = fake.asked("/api/greader.php/accounts/ClientLogin");
    assert!(logins.len() >= 2, "logged in again: {}", logins.len());
    assert_eq!(
        std::fs::read_to_string(home.path("data/sync-token")).expect("token"),
        "fresh-token"
    );

    // A server that never answers: the fetch timeout, then a clear message.
    fake.route(list, ok("application/json", "{\"subscriptions\":[]}"));
    fake.slow(list, std::time::Duration::from_secs(30));
    let config = std::fs::read_to_string(home.path("config.toml")).expect("config");
    std::fs::write(
        home.path("config.toml"),
        config.replace("fetch_timeout = 10", "fetch_timeout = 1"),
    )
    .expect("config");
    let started = std::time::Instant::now();
    let out = home.run(&["sync"], "hunter2-secret");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(stderr.contains("could not be reached"), "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(home.listed().len(), 1);
}

/// More items than one page of the reading list (200): every one arrives, each once.
#[test]
fn a_reading_list_of_several_pages_arrives_whole() {
    let Some(server) = FreshRss::start() else {
        return;
    };
    let feeds = Server::start();
    let site = format!("http://127.0.0.1:{}", feeds.port);
    let items: String = (0..250)
        .map(|i| {
            format!(
                "<item><title>Story number {i} of the day</title><link>{site}/s{i}.html</link>\
                 <guid>g{i}</guid><pubDate>Mon, 03 Mar 2025 08:{:02}:{:02} +0000</pubDate>\
                 <description>Story {i}: what happened, in a few words.</description></item>",
                i / 60,
                i % 60
            )
        })
        .collect();
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Many</title>\
         <link>{site}/</link><description>d</description>{items}</channel></rss>"
    );
    feeds.route("/many.xml", ok("application/rss+xml", feed));
    server.subscribe(&format!("{site}/many.xml"), "Local");
    assert_eq!(server.items().len(), 100, "the helper's own first page");
    let home = home_on(&server);
    let out = home.run(&["sync", "--json"], freshrss::PASSWORD);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(json["new"], 250, "{json}");
    let listed = home.listed();
    assert_eq!(listed.len(), 250);
    let mut headlines: Vec<&str> = listed
        .iter()
        .filter_map(|a| a["headline"].as_str())
        .collect();
    headlines.sort_unstable();
    headlines.dedup();
    assert_eq!(headlines.len(), 250, "each once");
}

/// While a sync runs, the status bar says how far it has got; keys are not held up.
#[test]
fn the_status_bar_says_how_far_a_sync_has_got() {
    use broadsheet::action::Action;
    use broadsheet::app::Msg;
    let home = Home::new("server = \"https://rss.example.org/api/greader.php\"\nuser = \"me\"");
    let mut app = home.app(120, 40);
    // The effects are not run: the sync is on its way.
    let effects = app.update(Msg::Action(Action::FetchFeeds));
    assert!(effects.iter().any(|e| e.name() == "sync"));
    let last = |app: &broadsheet::app::App| {
        common::screen(app)
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    assert!(last(&app).contains("│ syncing │"), "{}", last(&app));
    app.update(Msg::SyncProgress {
        done: 120,
        total: 800,
    });
    assert!(last(&app).contains("syncing 120/800"), "{}", last(&app));
    // R again while it runs starts no second sync.
    let effects = app.update(Msg::Action(Action::FetchFeeds));
    assert!(!effects.iter().any(|e| e.name() == "sync"));
    app.update(Msg::Synced(Ok(broadsheet::sync::Report {
        new: 800,
        ..Default::default()
    })));
    assert!(!last(&app).contains("syncing"));
    assert_eq!(app.message(), Some("Synced: 800 new articles"));
}

/// An empty reader with a sync account says that R syncs with the server.
#[test]
fn an_empty_reader_with_an_account_says_r_syncs() {
    let home = Home::new("server = \"https://rss.example.org/api/greader.php\"\nuser = \"me\"");
    // One pane, so the note's lines are not mixed with the reading pane's.
    let app = home.app(70, 20);
    let shown: String = common::screen(&app)
        .lines()
        .map(|l| l.trim_matches(|c| "\"│ ".contains(c)))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        shown.contains("R syncs with your server (rss.example.org)"),
        "{shown}"
    );
}

/// A subscription made while the server is down is kept, said to be pending, and sent at the
/// next sync that reaches it.
#[test]
fn a_subscription_made_while_the_server_is_down_is_sent_when_it_is_back() {
    let Some((mut server, _feeds, site)) = with_feed() else {
        return;
    };
    let home = home_on(&server);
    let out = home.run(&["sync"], freshrss::PASSWORD);
    assert!(out.status.success(), "{:?}", text(&out));
    server.stop();
    let url = format!("{site}/feed.xml");
    let out = home.run(
        &["feeds", "add", "--sync", "--tag", "Coast", &url],
        freshrss::PASSWORD,
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("kept, and sent at the next sync"),
        "{stderr}"
    );
    let out = home.run(&["sync", "--json"], freshrss::PASSWORD);
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["pending"], 1, "{json}");
    server.restart();
    let out = home.run(&["sync", "--json"], freshrss::PASSWORD);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stdout}{stderr}");
    let json: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(
        (json["sent"].clone(), json["pending"].clone()),
        (1.into(), 0.into())
    );
    assert_eq!(json["new"], 2, "its items came in the same sync: {json}");
    let out = home.run(&["feeds", "--json"], "");
    let listed: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(listed[0]["url"], url.as_str());
    assert_eq!(listed[0]["tags"], serde_json::json!(["Coast"]));
}
