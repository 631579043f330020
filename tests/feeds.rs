//! The feeds list on the command line: subscribing and unsubscribing (by address or name),
//! the file in the platform config folder, a broken line named with its file:line while the
//! rest works and is never lost, OPML (folders at any depth) and newsboat `urls` imports,
//! OPML export and its round trip, hostile names, and a file that cannot be written.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// A scratch home: no config file, so the feeds file is the platform config folder's.
struct Home {
    dir: TempDir,
}

impl Home {
    fn new() -> Home {
        Home {
            dir: TempDir::new().expect("tempdir"),
        }
    }

    fn feeds_file(&self) -> PathBuf {
        self.dir.path().join("config/broadsheet/feeds")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::cargo_bin("broadsheet")
            .expect("binary")
            .current_dir(self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .args(args)
            .output()
            .expect("run")
    }

    /// stdout of a command that must succeed.
    fn ok(&self, args: &[&str]) -> String {
        common::succeeded(self.run(args), args)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        fs::write(&path, text).expect("write");
        path
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn subscribe_list_and_unsubscribe_by_address_or_name() {
    let home = Home::new();
    assert_eq!(home.ok(&["feeds"]), "", "no feeds yet");
    // Said on stderr, with what to do.
    let none = home.run(&["feeds"]);
    assert!(
        stderr(&none).contains("no feeds: broadsheet feeds add URL subscribes"),
        "{}",
        stderr(&none)
    );
    assert_eq!(
        home.ok(&[
            "feeds",
            "add",
            "https://news.example.org/rss",
            "--name",
            "Example News",
            "--as-is"
        ]),
        "Subscribed: https://news.example.org/rss\n"
    );
    home.ok(&["feeds", "add", "http://127.0.0.1:8080/atom.xml"]);
    assert_eq!(
        home.ok(&["feeds"]),
        "https://news.example.org/rss\tExample News\t-\t-\t0/0\nhttp://127.0.0.1:8080/atom.xml\t127.0.0.1\t-\t-\t0/0\n"
    );
    let file = fs::read_to_string(home.feeds_file()).expect("the feeds file");
    assert!(file.starts_with('#'), "it says what it is: {file}");
    assert!(
        file.ends_with(
            "https://news.example.org/rss Example News\nhttp://127.0.0.1:8080/atom.xml\n"
        )
    );

    // Adding one already there says so, changes nothing, and is no error.
    let again = home.run(&[
        "feeds",
        "add",
        "https://news.example.org/rss",
        "--name",
        "Other",
        "--as-is",
    ]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&again.stdout),
        "Already subscribed: https://news.example.org/rss\n"
    );
    assert_eq!(fs::read_to_string(home.feeds_file()).expect("file"), file);

    let json: Value = serde_json::from_str(&home.ok(&["feeds", "--json"])).expect("json");
    assert_eq!(json[0]["url"], "https://news.example.org/rss");
    assert_eq!(json[0]["name"], "Example News");
    assert_eq!(json[0]["last_fetched"], Value::Null);
    assert_eq!(json[1]["name"], "127.0.0.1");

    // By name, in any case; then by address.
    assert_eq!(
        home.ok(&["feeds", "remove", "example NEWS"]),
        "Unsubscribed: https://news.example.org/rss\n"
    );
    home.ok(&["feeds", "remove", "http://127.0.0.1:8080/atom.xml"]);
    assert_eq!(home.ok(&["feeds"]), "");
    let none = home.run(&["feeds", "remove", "Example News"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(stderr(&none).contains("no feed has the address or name 'Example News'"));
}

#[test]
fn only_http_and_https_addresses_are_taken() {
    let home = Home::new();
    for bad in [
        "ftp://example.org/feed",
        "file:///etc/passwd",
        "example.org/rss",
        "https://",
        "http://[::1",
        "http://exa mple.org/",
    ] {
        let out = home.run(&["feeds", "add", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(stderr(&out).contains(bad), "{}", stderr(&out));
    }
    assert!(!home.feeds_file().exists(), "nothing written");
    // Schemes are any case.
    assert!(
        home.ok(&["feeds", "add", "HTTP://127.0.0.1:9/feed"])
            .starts_with("Subscribed")
    );
}

#[test]
fn a_broken_line_is_named_and_the_rest_works_and_is_kept() {
    let home = Home::new();
    fs::create_dir_all(home.feeds_file().parent().expect("folder")).expect("mkdir");
    let text =
        "# mine\nhttps://a.example/feed  The A Times\nnot a feed at all\nhttps://b.example/rss\n";
    fs::write(home.feeds_file(), text).expect("write");
    let out = home.run(&["feeds"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "https://a.example/feed\tThe A Times\t-\t-\t0/0\nhttps://b.example/rss\tb.example\t-\t-\t0/0\n"
    );
    let problem = format!(
        "{}:3: not is not an http or https address",
        home.feeds_file().display()
    );
    assert!(stderr(&out).contains(&problem), "{}", stderr(&out));
    // Changed by the command line, every line the user wrote stays as written.
    home.ok(&["feeds", "add", "https://c.example/atom", "--as-is"]);
    home.ok(&["feeds", "remove", "https://a.example/feed"]);
    assert_eq!(
        fs::read_to_string(home.feeds_file()).expect("file"),
        "# mine\nnot a feed at all\nhttps://b.example/rss\nhttps://c.example/atom\n"
    );
}

const OPML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>From another reader</title></head>
  <body>
    <outline text="World">
      <outline text="Europe">
        <outline type="rss" text="Le Monde" title="Le Monde" xmlUrl="https://lemonde.example/rss/une.xml"/>
      </outline>
      <outline type="rss" text="Far &amp; Wide" xmlUrl="https://far.example/feed?x=1&amp;y=2"/>
    </outline>
    <outline type="rss" title="Evil&#27;[2J&#27;]0;pwned&#7;Feed" xmlUrl="https://evil.example/rss"/>
    <outline type="rss" text="Gopher" xmlUrl="gopher://old.example/"/>
  </body>
</opml>
"#;

#[test]
fn opml_at_any_depth_and_newsboat_urls_are_imported() {
    let home = Home::new();
    let opml = home.write("subscriptions.opml", OPML);
    let out = home.run(&["feeds", "import", opml.to_str().expect("path")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "Added 3 feeds of 3 in the list\n"
    );
    assert!(
        stderr(&out).contains("left out: gopher://old.example/ is not an http or https address")
    );
    // An OPML title is not a name the user chose: until a feed is fetched, its host shows;
    // its folders are kept as tags on its line.
    let listed = home.ok(&["feeds"]);
    assert_eq!(
        listed,
        "https://lemonde.example/rss/une.xml\tlemonde.example\t-\t-\t0/0\n\
         https://far.example/feed?x=1&y=2\tfar.example\t-\t-\t0/0\n\
         https://evil.example/rss\tevil.example\t-\t-\t0/0\n"
    );
    assert!(!listed.contains('\u{1b}') && !listed.contains('\u{7}'));
    let file = fs::read_to_string(home.feeds_file()).expect("file");
    assert!(
        file.contains("https://lemonde.example/rss/une.xml \"World/Europe\"\n"),
        "{file}"
    );
    assert!(
        file.contains("https://far.example/feed?x=1&y=2 \"World\"\n"),
        "{file}"
    );
    assert!(file.contains("https://evil.example/rss\n"), "{file}");
    let json: Value = serde_json::from_str(&home.ok(&["feeds", "--json"])).expect("json");
    assert_eq!(json[0]["tags"], serde_json::json!(["World/Europe"]));

    // Imported again, nothing is added twice.
    assert_eq!(
        home.ok(&["feeds", "import", opml.to_str().expect("path")]),
        "Added 0 feeds of 3 in the list\n"
    );
    let urls = home.write(
        "urls",
        "# newsboat\nhttps://lemonde.example/rss/une.xml \"fr\"\nhttps://n.example/rss \"news\" \"~Newsboat Name\"\n\"query:unread:unread = \\\"yes\\\"\"\n",
    );
    assert_eq!(
        home.ok(&["feeds", "import", urls.to_str().expect("path")]),
        "Added 1 feed of 2 in the list\n"
    );
    assert!(
        home.ok(&["feeds"])
            .ends_with("https://n.example/rss\tNewsboat Name\t-\t-\t0/0\n")
    );
    // A file that names no feed (the password file, OPML with no outline) is refused.
    for text in [
        "root:x:0:0:root:/root:/bin/bash\n",
        "<opml><body></body></opml>",
    ] {
        let file = home.write("not-a-list", text);
        let out = home.run(&["feeds", "import", file.to_str().expect("path")]);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(stderr(&out).contains("names no feed"), "{}", stderr(&out));
    }
}

#[test]
fn export_keeps_folders_and_feeds_are_removed_by_the_name_shown() {
    let home = Home::new();
    let opml = home.write("in.opml", OPML);
    home.ok(&["feeds", "import", opml.to_str().expect("path")]);
    home.ok(&[
        "feeds",
        "add",
        "https://d.example/rss",
        "--name",
        "Dee",
        "--tag",
        "World/Europe",
        "--as-is",
    ]);
    let exported = home.ok(&["feeds", "export"]);
    let europe = exported
        .find("<outline text=\"Europe\"")
        .expect("the Europe folder");
    let world = exported
        .find("<outline text=\"World\"")
        .expect("the World folder");
    assert!(world < europe, "{exported}");
    let dee = exported.find("text=\"Dee\"").expect("the named feed");
    assert!(europe < dee, "{exported}");
    // The name shown (here the host) removes a feed, as the name given does.
    assert!(
        home.ok(&["feeds", "remove", "far.example"])
            .contains("far.example/feed")
    );
    assert!(
        home.ok(&["feeds", "remove", "dee"])
            .contains("d.example/rss")
    );
    let left = home.ok(&["feeds"]);
    assert!(
        !left.contains("far.example") && !left.contains("d.example"),
        "{left}"
    );
}

#[test]
fn export_is_opml_that_imports_back_the_same() {
    let home = Home::new();
    let opml = home.write("in.opml", OPML);
    home.ok(&["feeds", "import", opml.to_str().expect("path")]);
    let exported = home.ok(&["feeds", "export"]);
    assert!(
        exported.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">")
    );
    assert!(exported.contains("xmlUrl=\"https://far.example/feed?x=1&amp;y=2\""));
    assert!(!exported.contains('\u{1b}'));

    let other = Home::new();
    let back = other.write("out.opml", &exported);
    other.ok(&["feeds", "import", back.to_str().expect("path")]);
    assert_eq!(other.ok(&["feeds"]), home.ok(&["feeds"]));
}

#[test]
fn a_list_that_is_not_opml_names_its_file_and_place() {
    let home = Home::new();
    let bad = home.write("broken.opml", "<opml>\n<body>\n</outline>\n</body>");
    let out = home.run(&["feeds", "import", bad.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(1));
    let message = stderr(&out);
    assert!(message.contains("broken.opml:3:"), "{message}");
    assert!(!home.feeds_file().exists(), "nothing written");
    let missing = home.run(&["feeds", "import", "no-such-file.opml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("no-such-file.opml"));
}

#[test]
fn a_feeds_file_that_cannot_be_written_is_an_error_and_stays_whole() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new();
    home.ok(&["feeds", "add", "https://a.example/feed", "--as-is"]);
    let before = fs::read_to_string(home.feeds_file()).expect("file");
    let folder = home.feeds_file().parent().expect("folder").to_path_buf();
    // As root, permissions do not stop a write: a file where the lock must go does.
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o555)).expect("chmod");
    let blocked = fs::write(folder.join("probe"), "x").is_err();
    if !blocked {
        fs::remove_file(folder.join("probe")).expect("probe");
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).expect("chmod");
        let lock = folder.join("feeds.lock");
        let _ = fs::remove_file(&lock);
        fs::create_dir(&lock).expect("a folder where the lock goes");
    }
    let out = home.run(&["feeds", "add", "https://b.example/feed", "--as-is"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("feeds"), "{}", stderr(&out));
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(fs::read_to_string(home.feeds_file()).expect("file"), before);
    assert_no_temporary_files(&folder);
}

fn assert_no_temporary_files(folder: &Path) {
    let names: Vec<String> = fs::read_dir(folder)
        .expect("folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}
