//! The config file: the shipped default, errors with file:line:col, paths, the search order.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use broadsheet::config::{Config, DEFAULT_DATE_FORMAT, DEFAULT_WRAP_WIDTH};
use broadsheet::error::Error;
use tempfile::TempDir;

fn parse(text: &str) -> Result<Config, Error> {
    Config::parse(text, Path::new("/etc/bs/config.toml"))
}

fn position(err: &Error) -> (usize, usize) {
    match err {
        Error::Config { line, column, .. } => (*line, *column),
        other => panic!("not a config error: {other}"),
    }
}

#[test]
fn the_shipped_config_is_the_built_in_default() {
    let text = fs::read_to_string("config.toml").expect("config.toml ships");
    let shipped = parse(&text).expect("the shipped config parses");
    let empty = parse("").expect("an empty config parses");
    // The shipped file keeps the bundled pages beside it; everything else is the default.
    assert_eq!(
        broadsheet::config::Config {
            articles_dir: empty.articles_dir.clone(),
            articles_default: true,
            ..shipped.clone()
        },
        empty
    );
    assert_eq!(shipped.wrap_width, DEFAULT_WRAP_WIDTH);
    assert_eq!(shipped.date_format, DEFAULT_DATE_FORMAT);
    assert_eq!(shipped.articles_dir, Path::new("/etc/bs/articles"));
    assert!(!shipped.articles_default);
    // With no articles_dir, the news lives in the platform data folder.
    assert!(empty.articles_default);
    assert!(
        empty.articles_dir.ends_with("broadsheet/articles"),
        "{:?}",
        empty.articles_dir
    );
    assert_eq!(
        empty.articles_dir.parent(),
        empty.bookmarks_file.parent(),
        "beside the bookmarks"
    );
    // Every key the program reads is documented in the shipped file.
    for key in [
        "articles_dir",
        "bookmarks_file",
        "feeds_file",
        "fetch_timeout",
        "fetch_connect_timeout",
        "fetch_parallel",
        "fetch_per_host",
        "fetch_on_start",
        "fetch_every_minutes",
        "wrap_width",
        "list_width",
        "date_format",
        "save_dir",
        "images",
        "images_cache_mb",
        "image_protocol",
        "pictures",
    ] {
        assert!(
            text.contains(&format!("{key} =")),
            "config.toml lacks {key}"
        );
    }
    // And every action's keys, under [keys].
    let keys = &text[text.find("\n[keys]").expect("a [keys] table")..];
    for action in broadsheet::action::Action::BINDABLE {
        assert!(
            keys.contains(&format!("\n{} = ", action.name())),
            "config.toml's [keys] lacks {}",
            action.name()
        );
    }
}

#[test]
fn unknown_keys_are_errors_with_file_line_and_column() {
    let err = parse("wrap_width = 72\n\n  colour = \"red\"\n").expect_err("unknown key");
    assert_eq!(position(&err), (3, 3));
    let message = err.to_string();
    assert!(
        message.starts_with("/etc/bs/config.toml:3:3: "),
        "{message}"
    );
    assert!(message.contains("colour"), "{message}");
}

#[test]
fn wrong_types_and_bad_values_are_errors_with_positions() {
    let err = parse("date_format = \"%Y\"\nwrap_width = \"wide\"\n").expect_err("type");
    assert_eq!(position(&err), (2, 14));
    let err = parse("wrap_width = 5\n").expect_err("too narrow");
    assert_eq!(position(&err), (1, 14));
    assert!(err.to_string().contains("wrap_width"));
    let err = parse("\ndate_format = \"%Q %Y\"\n").expect_err("bad pattern");
    assert_eq!(position(&err), (2, 15));
    let err = parse("date_format = \"%H:%M\"\n").expect_err("a time has no place in a date");
    assert!(err.to_string().contains("date_format"));
    let err = parse("wrap_width = 72\nwrap_width = 73\n").expect_err("duplicate key");
    assert_eq!(position(&err).0, 2);
    for bad in ["\"5%\"", "\"wide\"", "3", "\"95%\"", "true"] {
        let err = parse(&format!("\nlist_width = {bad}\n")).expect_err(bad);
        assert_eq!(position(&err), (2, 14), "{bad}");
        assert!(err.to_string().contains("list_width"), "{bad}: {err}");
    }
}

#[test]
fn list_width_takes_a_share_or_columns_and_leaves_each_pane_a_quarter() {
    use broadsheet::app::layout::{Areas, Focus};
    let areas = |config: &str| {
        let config = parse(config).expect("config");
        Areas::new(120, 40, Focus::List, config.list_width)
            .list
            .width
    };
    assert_eq!(areas(""), 54, "45% by default");
    assert_eq!(areas("list_width = \"30%\""), 36);
    assert_eq!(areas("list_width = 70"), 70);
    assert_eq!(areas("list_width = 200"), 90, "the article keeps a quarter");
    assert_eq!(areas("list_width = 10"), 30, "the list keeps a quarter");
}

#[test]
fn paths_are_relative_to_the_config_folder_and_tilde_expands() {
    let config = parse("articles_dir = \"news\"\nbookmarks_file = \"~/marks.toml\"\n").expect("ok");
    assert_eq!(config.articles_dir, Path::new("/etc/bs/news"));
    let home = std::env::var("HOME").expect("HOME is set");
    assert_eq!(config.bookmarks_file, Path::new(&home).join("marks.toml"));
    let config = parse("articles_dir = \"/srv/news\"\n").expect("ok");
    assert_eq!(config.articles_dir, Path::new("/srv/news"));
}

fn broadsheet(cwd: &Path, xdg: &Path) -> Command {
    let mut cmd = Command::cargo_bin("broadsheet").expect("binary");
    cmd.current_dir(cwd)
        .env("XDG_CONFIG_HOME", xdg.join("config"))
        .env("XDG_DATA_HOME", xdg.join("data"))
        .env("XDG_CACHE_HOME", xdg.join("cache"))
        .env_remove("NO_COLOR");
    cmd
}

fn articles_in(dir: &Path, headline: &str) {
    let page = format!(
        "London Daily\n\nTagline\nMonday, Jan 6, 2025\n\n{headline}\n\n{headline}\n\nSummary.\n\nBody.\n"
    );
    fs::create_dir_all(dir).expect("mkdir");
    fs::write(dir.join("a.txt"), page).expect("write");
}

#[test]
fn the_search_order_is_flag_then_local_then_platform_then_defaults() {
    let tmp = TempDir::new().expect("tempdir");
    let (cwd, xdg) = (tmp.path().join("cwd"), tmp.path().join("xdg"));
    articles_in(
        &xdg.join("data/broadsheet/articles"),
        "Built In Default Folder",
    );
    articles_in(&cwd.join("articles"), "Current Folder");
    articles_in(
        &xdg.join("config/broadsheet/platform"),
        "Platform Config Folder",
    );
    articles_in(&cwd.join("local"), "Local Config Folder");
    articles_in(&tmp.path().join("flag"), "Flag Config Folder");

    // No file anywhere: built-in defaults, the news in the platform data folder (not the
    // current folder's `articles`), from any folder.
    let out = broadsheet(&cwd, &xdg).arg("list").output().expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Built In Default Folder"));
    let out = broadsheet(tmp.path(), &xdg)
        .arg("list")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Built In Default Folder"));
    // A fresh data folder gets its articles folder on first use.
    let fresh = tmp.path().join("fresh");
    let out = broadsheet(&cwd, &fresh).arg("list").output().expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(fresh.join("data/broadsheet/articles").is_dir());

    // The platform config folder.
    fs::write(
        xdg.join("config/broadsheet/config.toml"),
        "articles_dir = \"platform\"\n",
    )
    .expect("write");
    let out = broadsheet(&cwd, &xdg).arg("list").output().expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Platform Config Folder"));

    // ./config.toml beats it.
    fs::write(cwd.join("config.toml"), "articles_dir = \"local\"\n").expect("write");
    let out = broadsheet(&cwd, &xdg).arg("list").output().expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Local Config Folder"));

    // --config beats both, and --articles beats the file.
    fs::write(tmp.path().join("flag.toml"), "articles_dir = \"flag\"\n").expect("write");
    let out = broadsheet(&cwd, &xdg)
        .args(["--config", "../flag.toml", "list"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Flag Config Folder"));
    let out = broadsheet(&cwd, &xdg)
        .args(["--config", "../flag.toml", "--articles", "articles", "list"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Current Folder"));
}

#[test]
fn config_errors_exit_2_with_the_position_and_change_nothing() {
    let tmp = TempDir::new().expect("tempdir");
    let cwd = tmp.path();
    let text = "wrap_width = 80\nmystery = true\n";
    fs::write(cwd.join("config.toml"), text).expect("write");
    let out = broadsheet(cwd, cwd).arg("list").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml:2:1:"), "{err}");
    assert!(err.contains("mystery"), "{err}");
    assert!(!err.contains("panicked"));
    assert_eq!(
        fs::read_to_string(cwd.join("config.toml")).expect("read"),
        text
    );
    let mut entries: Vec<_> = fs::read_dir(cwd)
        .expect("ls")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    entries.sort();
    assert_eq!(entries, vec!["config.toml"]);

    // A missing explicit config is an error too.
    let out = broadsheet(cwd, cwd)
        .args(["--config", "nope.toml", "list"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.toml"));
}

#[test]
fn saved_searches_are_bound_to_their_keys_and_checked_as_the_prompt_checks() {
    use broadsheet::action::Action;
    use broadsheet::key::Key;
    let config = parse("[searches]\n\"1\" = \"is:unread\"\nctrl-t = \" source:times \"\n")
        .expect("searches");
    let bound = |name: &str| config.keymap.action(Key::parse(name).expect("key"));
    let queries: Vec<(&str, &str)> = (config.searches.iter())
        .map(|s| (s.key.as_str(), s.query.as_str()))
        .collect();
    assert_eq!(queries, [("1", "is:unread"), ("ctrl-t", "source:times")]);
    assert_eq!(bound("1"), Some(Action::SavedSearch(0)));
    assert_eq!(bound("ctrl-t"), Some(Action::SavedSearch(1)));
    assert_eq!(
        bound("j"),
        Some(Action::ScrollDown),
        "the actions keep theirs"
    );

    // A key an action has, a search the prompt would refuse, and no search at all.
    let taken = parse("[searches]\n\"1\" = \"is:unread\"\n\"j\" = \"storm\"\n").expect_err("j");
    assert_eq!(position(&taken), (3, 1));
    assert!(
        taken
            .to_string()
            .contains("'j' is bound to both scroll_down and a search"),
        "{taken}"
    );
    let bad = parse("[searches]\n\"2\" = \"after:2025-13\"\n").expect_err("a bad date");
    assert_eq!(position(&bad), (2, 1));
    assert!(bad.to_string().contains("[searches] 2: "), "{bad}");
    let empty = parse("[searches]\n\"3\" = \"\"\n").expect_err("empty");
    assert!(empty.to_string().contains("expected a search"), "{empty}");
    // A key freed from its action can take a search.
    let freed = parse("[keys]\nscroll_down = [\"down\"]\n[searches]\nj = \"storm\"\n");
    assert!(freed.is_ok(), "{freed:?}");
}
