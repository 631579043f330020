//! The command line end to end: `list`, `show`, `check`, exit codes, hostile text that must
//! never reach stdout, and a reader that stops reading.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

mod common;
use unicode_width::UnicodeWidthStr;

const PUTIN: &str = "russian-president-vladimir-putin-hails-model-relations-with-china";
const NATO: &str = "xi-and-putin-urge-nato-to-rule-out-expansion-as-ukraine-tensions-rise";

fn broadsheet() -> Command {
    let mut cmd = Command::cargo_bin("broadsheet").expect("binary");
    // The headers cache has tests of its own (tests/cache.rs); these leave the user's alone.
    cmd.env_remove("NO_COLOR").env("BROADSHEET_NO_CACHE", "1");
    cmd
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = broadsheet().args(args).output().expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn page(headline: &str, dateline: &str, related: &[&str]) -> String {
    common::page_with(
        headline,
        dateline,
        "A summary of the story.",
        "A paragraph of text.",
        related,
    )
}

#[test]
fn list_prints_id_date_headline_newest_first() {
    let (code, out, err) = run(&["list"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "{NATO}\t2026-01-24\tXi and Putin urge Nato to rule out expansion as Ukraine tensions rise\n\
             {PUTIN}\t2025-10-22\tRussian President Vladimir Putin Hails \"Model\" Relations With China\n"
        )
    );
}

#[test]
fn list_json_has_the_documented_fields() {
    let (code, out, _) = run(&["list", "--json"]);
    assert_eq!(code, 0);
    let rows: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["id"], PUTIN);
    assert_eq!(rows[1]["date"], "2025-10-22");
    assert_eq!(rows[1]["source"], "London Daily");
    assert_eq!(rows[1]["path"], "000_d6e93279b58fa890.txt");
    assert_eq!(
        rows[0]["headline"],
        "Xi and Putin urge Nato to rule out expansion as Ukraine tensions rise"
    );
}

#[test]
fn undated_articles_say_so() {
    let dir = TempDir::new().expect("tempdir");
    fs::write(dir.path().join("u.txt"), page("No Date Here", "", &[])).expect("write");
    let dir_arg = dir.path().to_string_lossy().into_owned();
    let (_, out, _) = run(&["--articles", &dir_arg, "list"]);
    assert_eq!(out, "no-date-here\tundated\tNo Date Here\n");
    let (_, out, _) = run(&["--articles", &dir_arg, "list", "--json"]);
    let rows: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert_eq!(rows[0]["date"], Value::Null);
}

#[test]
fn show_wraps_the_article_and_sets_its_parts_apart() {
    let (code, out, _) = run(&["show", PUTIN, "--width", "50"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "Russian President Vladimir Putin Hails \"Model\"");
    assert_eq!(lines[1], "Relations With China");
    assert_eq!(lines[2], "=".repeat(lines[0].width()));
    assert_eq!(lines[0].width(), 46);
    assert_eq!(lines[3], "Wed 22 Oct 2025 · London Daily");
    assert!(lines[5].starts_with("Russian President Vladimir Putin made the"));
    for line in &lines {
        assert!(line.width() <= 50, "too wide: {line:?}");
    }
    // The subheading stands on its own, underlined, between blank lines.
    let sub = lines
        .iter()
        .position(|l| *l == "\"Unprecedented\" relations")
        .expect("subheading shown");
    assert_eq!(lines[sub - 1], "");
    assert_eq!(lines[sub + 1], "-".repeat(25));
    // The related list closes the article; neither real page names the other.
    let related = lines
        .iter()
        .position(|l| *l == "Related stories")
        .expect("related");
    // Each entry starts with `- `, its wrapped lines deeper under it.
    assert_eq!(
        &lines[related + 2..related + 5],
        [
            "- ‘Frightening’ First Night in Prison for Sarkozy:",
            "    Inmates Riot and Shout ‘Little Nicolas’ (not",
            "    in the folder)",
        ]
    );
    for line in &lines[related + 2..] {
        assert!(
            line.starts_with("- ") || line.starts_with("    "),
            "an entry or its continuation: {line:?}"
        );
    }
    assert!(!out.contains("Newsletter") && !out.contains("0:00"));
}

/// `--width` takes the range `wrap_width` takes in the config, with one message for any
/// value outside it.
#[test]
fn show_width_takes_the_config_range_with_one_message() {
    for bad in ["0", "5", "19", "abc", "70000"] {
        let (code, out, err) = run(&["show", PUTIN, "--width", bad]);
        assert_eq!(code, 2, "{bad}");
        assert!(out.is_empty());
        assert!(
            err.contains("the width must be a whole number from 20 to 65535"),
            "{bad}: {err}"
        );
    }
    let (code, _, _) = run(&["show", PUTIN, "--width", "20"]);
    assert_eq!(code, 0);
}

#[test]
fn show_uses_the_configured_width_by_default() {
    let (_, out, _) = run(&["show", NATO]);
    assert!(out.lines().all(|l| l.width() <= 80));
    assert!(out.lines().any(|l| l.width() > 70));
}

#[test]
fn related_headlines_resolve_to_local_ids_loosely() {
    let dir = TempDir::new().expect("tempdir");
    fs::write(
        dir.path().join("a.txt"),
        page(
            "Leaders Meet in Geneva",
            "Monday, Jan 6, 2025",
            &["Trade Talks “Stall” — Again", "A Story Not Here"],
        ),
    )
    .expect("write");
    fs::write(
        dir.path().join("b.txt"),
        page("Trade Talks \"Stall\" - Again", "Sunday, Jan 5, 2025", &[]),
    )
    .expect("write");
    let dir_arg = dir.path().to_string_lossy().into_owned();
    let (_, out, _) = run(&[
        "--articles",
        &dir_arg,
        "show",
        "leaders-meet-in-geneva",
        "--json",
    ]);
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["related"][0]["headline"], "Trade Talks “Stall” — Again");
    assert_eq!(v["related"][0]["id"], "trade-talks-stall-again");
    assert_eq!(v["related"][1]["id"], Value::Null);
    let (_, out, _) = run(&["--articles", &dir_arg, "show", "leaders-meet-in-geneva"]);
    assert!(
        out.contains("- Trade Talks “Stall” — Again\n    → trade-talks-stall-again\n"),
        "{out}"
    );
    assert!(
        out.contains("- A Story Not Here (not in the folder)"),
        "{out}"
    );
    // Narrower than the id: the id stays whole on its line, never split at its hyphens.
    let (_, narrow, _) = run(&[
        "--articles",
        &dir_arg,
        "show",
        "leaders-meet-in-geneva",
        "--width",
        "20",
    ]);
    assert!(
        narrow.lines().any(|l| l == "    → trade-talks-stall-again"),
        "{narrow}"
    );
    assert!(narrow.contains("- Trade Talks"), "{narrow}");
}

#[test]
fn show_json_has_the_documented_fields() {
    let (code, out, _) = run(&["show", PUTIN, "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["id"], PUTIN);
    assert_eq!(v["date"], "2025-10-22");
    assert_eq!(v["source"], "London Daily");
    assert_eq!(v["path"], "000_d6e93279b58fa890.txt");
    assert!(
        v["standfirst"]
            .as_str()
            .is_some_and(|s| s.starts_with("Russian President Vladimir Putin made"))
    );
    let body = v["body"].as_array().expect("body");
    assert_eq!(body.len(), 25);
    let kinds: Vec<&str> = body.iter().filter_map(|b| b["kind"].as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "subheading").count(), 1);
    assert_eq!(kinds.iter().filter(|k| **k == "paragraph").count(), 24);
    assert_eq!(v["related"].as_array().map(Vec::len), Some(50));
    assert_eq!(
        v["related"][1]["headline"],
        "White House Announces No Imminent Summit Between Trump and Putin"
    );
    assert_eq!(v["related"][1]["id"], Value::Null);
}

#[test]
fn an_unknown_id_exits_1_and_suggests_close_ones() {
    let (code, out, err) = run(&["show", "russian-president-putin"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("russian-president-putin"), "{err}");
    assert!(err.contains(PUTIN), "{err}");
    assert_eq!(err.lines().count(), 1);
    let (code, _, err) = run(&["show", "zzzz"]);
    assert_eq!(code, 1);
    assert!(err.contains("broadsheet list"), "{err}");
    // Close ones only: a typo suggests its article, not the other that shares a word.
    let typo = PUTIN.replace("president", "presidnet");
    let (_, _, err) = run(&["show", &typo]);
    assert!(err.contains(PUTIN) && !err.contains(NATO), "{err}");
}

#[test]
fn ids_match_whatever_their_case() {
    let (code, upper, err) = run(&["show", &PUTIN.to_uppercase()]);
    assert_eq!(code, 0, "{err}");
    let (_, lower, _) = run(&["show", PUTIN]);
    assert_eq!(upper, lower);
    let (code, _, _) = run(&["related", "--json", &NATO.to_ascii_uppercase()]);
    assert_eq!(code, 0);
}

#[test]
fn check_reports_each_problem_and_the_totals() {
    let (code, out, _) = run(&["check"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "2 articles, 0 warnings, 0 skipped\n")
    );
    let (code, out, _) = run(&["--articles", "tests/fixtures/pages", "check"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.contains(&"empty.txt: skipped: empty file"), "{out}");
    assert!(
        lines.contains(&"nul.txt: skipped: binary file (it contains NUL bytes)"),
        "{out}"
    );
    assert!(lines.contains(&"latin1.txt: warning: not valid UTF-8: read as Windows-1252"));
    assert!(
        lines.contains(&"wrong_weekday.txt: warning: line 4: the dateline says Monday, but 2025-10-22 is a Wednesday: the date is kept")
    );
    assert_eq!(lines.last(), Some(&"15 articles, 5 warnings, 5 skipped"));
}

/// Bytes a terminal would act on: ESC, other C0 controls but newline and tab, DEL, C1.
fn terminal_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| broadsheet::text::is_control(c) && c != '\n' && c != '\t')
        .collect()
}

#[test]
fn hostile_text_never_reaches_stdout() {
    let dir = TempDir::new().expect("tempdir");
    let hostile = fs::read("tests/fixtures/pages/hostile.txt").expect("fixture");
    fs::write(dir.path().join("hostile.txt"), &hostile).expect("write");
    // A hostile file name too, with a page that is skipped so that `check` names it.
    fs::write(dir.path().join("evil\x1b]0;title\x07name.txt"), "").expect("write");
    let dir_arg = dir.path().to_string_lossy().into_owned();
    for args in [
        vec!["list"],
        vec!["list", "--json"],
        vec!["show", "evil-headline-here"],
        vec!["show", "evil-headline-here", "--json"],
        vec!["check"],
        vec!["show", "evil\x1b[2J"],
    ] {
        let mut all = vec!["--articles", &dir_arg];
        all.extend(args.iter().copied());
        let (_, out, err) = run(&all);
        assert!(terminal_controls(&out).is_empty(), "{args:?}: {out:?}");
        assert!(terminal_controls(&err).is_empty(), "{args:?}: {err:?}");
        assert!(
            !out.contains("pwned") && !out.contains("ZWNobyBwd25lZA"),
            "{out}"
        );
    }
    let (_, out, _) = run(&["--articles", &dir_arg, "show", "evil-headline-here"]);
    assert!(out.starts_with("Evil Headline Here\n"), "{out}");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = TempDir::new().expect("tempdir");
    broadsheet::generate::write_folder(dir.path(), 3000, 7).expect("generate");
    let bin = assert_cmd::cargo::cargo_bin("broadsheet");
    let script = format!(
        "set -o pipefail; BROADSHEET_NO_CACHE=1 '{}' --articles '{}' list | head -1 >/dev/null",
        bin.display(),
        dir.path().display()
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &script])
        .output()
        .expect("bash");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_missing_articles_folder_exits_2_naming_it() {
    let (code, _, err) = run(&["--articles", "/no/such/news", "list"]);
    assert_eq!(code, 2);
    assert!(err.contains("/no/such/news"), "{err}");
    assert_eq!(err.lines().count(), 1);
}

/// An articles folder that cannot be listed (`chmod 000`): `list` and `check` exit 2 naming
/// it and saying why, as for a missing one. Run as root, the binary runs as `nobody` (root
/// reads any folder), from a copy that user can reach.
#[cfg(unix)]
#[test]
fn an_unreadable_articles_folder_exits_2_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = TempDir::new().expect("tempdir");
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    let locked = dir.path().join("locked");
    fs::create_dir(&locked).expect("mkdir");
    fs::write(
        locked.join("a.txt"),
        page("A story", "Monday, Jan 5, 2026", &[]),
    )
    .expect("write");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let binary = dir.path().join("broadsheet");
    fs::copy(assert_cmd::cargo::cargo_bin!("broadsheet"), &binary).expect("copy");
    let root = unsafe { libc::geteuid() } == 0;
    for command in ["list", "check"] {
        let mut cmd = std::process::Command::new(&binary);
        cmd.env("BROADSHEET_NO_CACHE", "1")
            .env("HOME", dir.path())
            .current_dir(dir.path())
            .arg("--articles")
            .arg(&locked)
            .arg(command);
        if root {
            cmd.uid(65534).gid(65534);
        }
        let out = cmd.output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert!(out.stdout.is_empty(), "{command}");
        assert!(err.contains(&*locked.to_string_lossy()), "{command}: {err}");
        assert!(err.contains("Permission denied"), "{command}: {err}");
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).expect("chmod back");
}

#[test]
fn help_and_version_come_from_clap() {
    let (code, out, _) = run(&["--version"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("broadsheet "));
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    for word in ["list", "show", "check", "--articles", "--config"] {
        assert!(out.contains(word), "--help lacks {word}");
    }
    assert!(
        out.contains("With no command, broadsheet opens the reader"),
        "{out}"
    );
    assert!(Path::new("README.md").exists());
}

#[test]
fn the_reader_needs_a_terminal() {
    // Under the test harness stdin and stdout are pipes, not a terminal.
    let (code, out, err) = run(&[]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("broadsheet list") && err.contains("broadsheet show"),
        "{err}"
    );
}

const GENEVA: &str = "leaders-meet-in-geneva-for-climate-summit";
const TRADE: &str = "trade-talks-stall-again";
const MARKETS: &str = "markets-rally-on-summit-hopes";

#[test]
fn related_json_has_the_three_lists_and_the_thread() {
    let args = [
        "--articles",
        "tests/fixtures/linked",
        "related",
        GENEVA,
        "--json",
    ];
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["id"], GENEVA);
    let related: Vec<(&str, Option<&str>)> = v["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|r| (r["headline"].as_str().expect("headline"), r["id"].as_str()))
        .collect();
    assert_eq!(
        related,
        [
            ("Trade Talks “Stall” — Again", Some(TRADE)),
            ("A Story Not in This Folder", None),
            ("Markets Rally on Summit Hopes", Some(MARKETS)),
        ]
    );
    assert!(v["related"][1]["id"].is_null(), "null, not missing");
    let similar = v["similar"].as_array().expect("similar");
    assert_eq!(similar.len(), 2);
    for s in similar {
        assert!([TRADE, MARKETS].contains(&s["id"].as_str().expect("id")));
        let score = s["score"].as_f64().expect("score");
        assert!(score > 0.0 && score <= 1.0, "{score}");
        assert!(s["headline"].is_string() && s["date"].is_string());
    }
    assert_eq!(v["linked_from"][0]["id"], TRADE);
    assert_eq!(v["linked_from"][0]["date"], "2025-03-02");
    assert_eq!(v["linked_from"].as_array().map(Vec::len), Some(1));
    assert!(v["thread"].as_array().is_some());
}

#[test]
fn related_on_the_bundled_pages_finds_the_other_page_by_content() {
    let (code, out, _) = run(&["related", NATO, "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["similar"][0]["id"], PUTIN);
    // Their publisher lists name stories that are not in the folder.
    assert!(
        v["related"]
            .as_array()
            .expect("related")
            .iter()
            .all(|r| r["id"].is_null())
    );
    assert_eq!(v["linked_from"], serde_json::json!([]));
    assert_eq!(v["thread"], serde_json::json!([]));

    let (code, out, _) = run(&["related", NATO]);
    assert_eq!(code, 0);
    let more = out.find("More like this").expect("section");
    let putin = out.find(PUTIN).expect("the other page's id");
    assert!(putin > more, "{out}");
    assert!(
        out.contains("Linked from\n  no article links here\n"),
        "{out}"
    );
}

#[test]
fn show_json_gains_similar_and_linked_from() {
    let args = [
        "--articles",
        "tests/fixtures/linked",
        "show",
        TRADE,
        "--json",
    ];
    let (code, out, _) = run(&args);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["related"][0]["id"], GENEVA);
    assert_eq!(v["linked_from"][0]["id"], GENEVA);
    assert!(v["similar"].as_array().is_some_and(|s| !s.is_empty()));
}

#[test]
fn related_with_an_unknown_id_exits_1_with_suggestions() {
    let (code, _, err) = run(&["related", "xi-and-putin"]);
    assert_eq!(code, 1);
    assert!(err.contains(NATO), "{err}");
}

/// A page saved from the web: its `Link:` line stands where a London Daily page has its
/// tagline.
fn linked_page(headline: &str, link: &str) -> String {
    format!(
        "Example News\n{link}\nMonday, Mar 3, 2025\n\n{headline}\n\n{headline}\n\nThe summary.\n\nThe story.\n"
    )
}

#[test]
fn list_and_show_json_give_the_link_and_whether_an_article_is_read_and_bookmarked() {
    let dir = TempDir::new().expect("tempdir");
    let articles = dir.path().join("articles");
    common::write(
        &articles,
        "example/harbour.txt",
        &linked_page(
            "Harbour Reopens",
            "Link: https://news.example.org/2025/harbour",
        ),
    );
    common::write(
        &articles,
        "plain.txt",
        &page("Plain Page", "Sunday, Mar 2, 2025", &[]),
    );
    // A `Link:` line that is not an http(s) address is no link.
    common::write(
        &articles,
        "odd.txt",
        &linked_page("Odd Link", "Link: javascript:alert(1)"),
    );
    fs::write(
        dir.path().join("config.toml"),
        "articles_dir = \"articles\"\nbookmarks_file = \"data/bookmarks.toml\"\n",
    )
    .expect("config");
    fs::create_dir_all(dir.path().join("data")).expect("data");
    fs::write(
        dir.path().join("data/state.toml"),
        "read = [\"plain-page\"]\n",
    )
    .expect("state");
    let run_here = |args: &[&str]| -> String {
        let out = Command::cargo_bin("broadsheet")
            .expect("binary")
            .current_dir(dir.path())
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .args(args)
            .output()
            .expect("run");
        common::succeeded(out, args)
    };
    run_here(&["bookmarks", "add", "harbour-reopens"]);
    // Twice: the second time from the headers cache, which must keep the link too.
    for _ in 0..2 {
        let rows: Vec<Value> = serde_json::from_str(&run_here(&["list", "--json"])).expect("json");
        let row = |id: &str| {
            rows.iter()
                .find(|r| r["id"] == id)
                .cloned()
                .expect("listed")
        };
        let harbour = row("harbour-reopens");
        assert_eq!(harbour["link"], "https://news.example.org/2025/harbour");
        assert_eq!(harbour["source"], "Example News");
        assert_eq!(
            (harbour["read"].clone(), harbour["bookmarked"].clone()),
            (false.into(), true.into())
        );
        let plain = row("plain-page");
        assert_eq!(plain["link"], Value::Null);
        assert_eq!(
            (plain["read"].clone(), plain["bookmarked"].clone()),
            (true.into(), false.into())
        );
        assert_eq!(row("odd-link")["link"], Value::Null);
    }
    let shown: Value =
        serde_json::from_str(&run_here(&["show", "harbour-reopens", "--json"])).expect("json");
    assert_eq!(shown["link"], "https://news.example.org/2025/harbour");
    assert_eq!(shown["source"], "Example News");
    assert_eq!(shown["standfirst"], "The summary.");
    let shown: Value =
        serde_json::from_str(&run_here(&["show", "plain-page", "--json"])).expect("json");
    assert_eq!(shown["link"], Value::Null);
}

#[test]
fn completions_and_the_manual_come_from_the_same_definitions() {
    // Neither needs a config or a folder: run from an empty folder.
    let empty = TempDir::new().expect("temp dir");
    let run_in = |args: &[&str]| {
        Command::cargo_bin("broadsheet")
            .expect("binary")
            .current_dir(empty.path())
            .env("XDG_CONFIG_HOME", empty.path())
            .args(args)
            .output()
            .expect("run")
    };
    for (shell, marker) in [
        ("bash", "complete -F _broadsheet"),
        ("zsh", "#compdef broadsheet"),
        ("fish", "complete -c broadsheet"),
        ("elvish", "edit:completion:arg-completer[broadsheet]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = run_in(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8_lossy(&out.stdout);
        assert!(script.contains(marker), "{shell}: {script}");
        // Every command is offered.
        for command in ["list", "show", "feeds", "fetch", "save", "bookmarks"] {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
    }
    let manual = run_in(&["manual"]);
    assert_eq!(manual.status.code(), Some(0));
    let page = String::from_utf8_lossy(&manual.stdout);
    assert!(page.contains(".TH broadsheet 1"), "{page}");
    assert!(
        page.contains("completions") && page.contains("fetch"),
        "{page}"
    );
    assert_eq!(run_in(&["completions", "tcsh"]).status.code(), Some(2));
}
