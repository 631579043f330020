//! Bookmarks on the command line and on disk: add, list newest first, notes, remove, export,
//! missing and reattached articles, `list --bookmarked/--unread`, an atomic save that fails
//! half-way, many processes adding at once, a broken file kept byte for byte, and a folder
//! that cannot be written; and the reader's saver keeping what it could not save and saving
//! it with the next change or at the end.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use broadsheet::bookmarks::folders::Stores;
use broadsheet::bookmarks::saver::{Saved, Saver};
use broadsheet::bookmarks::{Bookmark, Bookmarks, Change, File as BookmarkFile};
use broadsheet::durable;
use serde_json::Value;
use tempfile::TempDir;

const PUTIN: &str = "russian-president-vladimir-putin-hails-model-relations-with-china";
const NATO: &str = "xi-and-putin-urge-nato-to-rule-out-expansion-as-ukraine-tensions-rise";

/// A scratch place with a config whose bookmarks and state live in it.
struct Place {
    dir: TempDir,
}

impl Place {
    fn new(articles: &str) -> Place {
        let dir = TempDir::new().expect("tempdir");
        let articles = fs::canonicalize(articles).expect("articles");
        let config = format!(
            "articles_dir = {:?}\nbookmarks_file = \"data/bookmarks.toml\"\n",
            articles.to_string_lossy()
        );
        fs::write(dir.path().join("config.toml"), config).expect("config");
        Place { dir }
    }

    fn bookmarks_file(&self) -> PathBuf {
        self.dir.path().join("data/bookmarks.toml")
    }

    fn run(&self, args: &[&str]) -> Output {
        let config = self.dir.path().join("config.toml");
        Command::cargo_bin("broadsheet")
            .expect("binary")
            .env("XDG_CACHE_HOME", self.dir.path().join("cache"))
            .arg("--config")
            .arg(config)
            .args(args)
            .output()
            .expect("run")
    }

    fn ok(&self, args: &[&str]) -> String {
        common::succeeded(self.run(args), args)
    }

    fn json(&self) -> Vec<Value> {
        serde_json::from_str(&self.ok(&["bookmarks", "list", "--json"])).expect("json")
    }
}

#[test]
fn add_list_note_remove_and_export() {
    let place = Place::new("articles");
    let none = place.run(&["bookmarks"]);
    assert!(none.status.success() && none.stdout.is_empty());
    assert_eq!(String::from_utf8_lossy(&none.stderr), "no bookmarks\n");
    assert_eq!(place.ok(&["bookmarks", "list", "--json"]).trim(), "[]");
    assert_eq!(
        place.ok(&["bookmarks", "add", PUTIN]),
        format!("Bookmarked: {PUTIN}\n")
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    place.ok(&["bookmarks", "add", NATO, "--note", "read with the Oct call"]);
    let list = place.json();
    let ids: Vec<&str> = list.iter().map(|b| b["id"].as_str().expect("id")).collect();
    assert_eq!(ids, [NATO, PUTIN], "newest first");
    assert_eq!(list[0]["note"], "read with the Oct call");
    assert_eq!(list[1]["date"], "2025-10-22");
    assert_eq!(list[1]["missing"], false);
    assert!(
        chrono::DateTime::parse_from_rfc3339(list[1]["added"].as_str().expect("added")).is_ok()
    );

    // Adding again keeps the place and when it was added, and takes the new note.
    let added = list[1]["added"].clone();
    assert_eq!(
        place.ok(&["bookmarks", "add", PUTIN, "--note", "model relations"]),
        format!("Updated bookmark: {PUTIN}\n")
    );
    let list = place.json();
    assert_eq!(list.len(), 2);
    assert_eq!(
        (&list[1]["id"], &list[1]["added"]),
        (&Value::from(PUTIN), &added)
    );
    assert_eq!(list[1]["note"], "model relations");
    // Again with the same note, or none: nothing changes, and it says so.
    for again in [
        &["bookmarks", "add", PUTIN, "--note", "model relations"][..],
        &["bookmarks", "add", PUTIN],
    ] {
        assert_eq!(place.ok(again), format!("Already bookmarked: {PUTIN}\n"));
    }
    assert_eq!(place.json()[1]["note"], "model relations");

    // Text: five columns, the fourth whether it is missing, the fifth the note.
    let text = place.ok(&["bookmarks"]);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.len() == 5), "{rows:?}");
    assert_eq!(rows[0][3], "");
    assert_eq!(rows[0][4], "read with the Oct call");
    assert_eq!(rows[1][4], "model relations");

    // The file is TOML a person can read: one table per bookmark.
    let text = fs::read_to_string(place.bookmarks_file()).expect("file");
    assert_eq!(text.matches("[[bookmark]]").count(), 2, "{text}");
    assert!(text.contains(&format!("id = \"{PUTIN}\"")), "{text}");

    let markdown = place.ok(&["bookmarks", "export", "--format", "markdown"]);
    assert_eq!(
        place.ok(&["bookmarks", "export"]),
        markdown,
        "Markdown by default"
    );
    assert_eq!(
        markdown,
        "# Bookmarks\n\n\
         - 2026-01-24 — Xi and Putin urge Nato to rule out expansion as Ukraine tensions rise: read with the Oct call\n\
         - 2025-10-22 — Russian President Vladimir Putin Hails \"Model\" Relations With China: model relations\n"
    );
    let json: Vec<Value> =
        serde_json::from_str(&place.ok(&["bookmarks", "export", "--format", "json"]))
            .expect("json");
    assert_eq!(json, place.json());

    assert_eq!(place.ok(&["list", "--bookmarked"]).lines().count(), 2);
    // Ids are matched whatever their case.
    place.ok(&["bookmarks", "remove", &NATO.to_uppercase()]);
    assert_eq!(
        place.ok(&["list", "--bookmarked"]),
        format!(
            "{PUTIN}\t2025-10-22\tRussian President Vladimir Putin Hails \"Model\" Relations With China\n"
        )
    );
    let out = place.run(&["bookmarks", "remove", NATO]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no bookmark has the id"));
    let out = place.run(&["bookmarks", "add", "no-such-article"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_bookmark_of_an_article_that_left_stays_listed_as_missing_and_comes_back() {
    let folder = TempDir::new().expect("tempdir");
    let page = fs::read("articles/000_d6e93279b58fa890.txt").expect("page");
    fs::write(folder.path().join("putin.txt"), &page).expect("write");
    let place = Place::new(&folder.path().to_string_lossy());
    place.ok(&["bookmarks", "add", PUTIN]);
    fs::remove_file(folder.path().join("putin.txt")).expect("remove");
    let list = place.json();
    assert_eq!(
        (&list[0]["id"], &list[0]["missing"]),
        (&Value::from(PUTIN), &Value::from(true))
    );
    let row = place.ok(&["bookmarks"]);
    let columns: Vec<&str> = row.trim_end_matches('\n').split('\t').collect();
    assert_eq!(columns.len(), 5, "{row:?}");
    assert_eq!((columns[3], columns[4]), ("missing", ""));
    // Back under another file name: the same id finds it again.
    fs::write(folder.path().join("renamed.txt"), &page).expect("write");
    assert_eq!(place.json()[0]["missing"], false);
}

/// `mark-read ID...`, `mark-read --all` and `mark-unread ID...` change the state file as the
/// reader does; an unknown id changes nothing.
#[test]
fn mark_read_and_unread_from_the_command_line() {
    let place = Place::new("articles");
    let config = format!(
        "{}state_file = \"data/state.toml\"\n",
        fs::read_to_string(place.dir.path().join("config.toml")).expect("config")
    );
    fs::write(place.dir.path().join("config.toml"), config).expect("config");
    assert_eq!(place.ok(&["list", "--unread"]).lines().count(), 2);
    assert_eq!(
        place.ok(&["mark-read", &NATO.to_uppercase()]),
        format!("Marked read: {NATO}\n")
    );
    let unread = place.ok(&["list", "--unread"]);
    assert!(
        unread.starts_with(PUTIN) && unread.lines().count() == 1,
        "{unread}"
    );
    let out = place.run(&["mark-read", PUTIN, "no-such-article"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        place.ok(&["list", "--unread"]).lines().count(),
        1,
        "nothing changed"
    );
    assert_eq!(
        place.ok(&["mark-read", "--all"]),
        "Marked 2 articles read\n"
    );
    assert_eq!(place.ok(&["list", "--unread"]), "");
    assert_eq!(
        place.ok(&["mark-unread", PUTIN, NATO]),
        format!("Marked unread: {PUTIN}\nMarked unread: {NATO}\n")
    );
    assert_eq!(place.ok(&["list", "--unread"]).lines().count(), 2);
    let state = fs::read_to_string(place.dir.path().join("data/state.toml")).expect("state");
    assert!(!state.contains(PUTIN), "{state}");
    // Neither ids nor --all: a usage error.
    assert_eq!(place.run(&["mark-read"]).status.code(), Some(2));
}

#[test]
fn list_unread_leaves_out_what_the_state_file_says_was_read() {
    let place = Place::new("articles");
    assert_eq!(place.ok(&["list", "--unread"]).lines().count(), 2);
    fs::create_dir_all(place.dir.path().join("data")).expect("mkdir");
    fs::write(
        place.dir.path().join("data/state.toml"),
        format!("read = [\"{NATO}\"]\n"),
    )
    .expect("state");
    let out = place.ok(&["list", "--unread"]);
    assert!(out.starts_with(PUTIN) && out.lines().count() == 1, "{out}");
}

#[test]
fn a_save_that_fails_before_the_rename_leaves_the_old_file_whole() {
    let dir = TempDir::new().expect("tempdir");
    let path = dir.path().join("bookmarks.toml");
    fs::write(&path, "old contents\n").expect("write");
    let failed = broadsheet::durable::write_atomic(&path, b"new contents\n", |temp| {
        // The new text is complete on disk under the temporary name at this point.
        assert_eq!(fs::read(temp).expect("temp"), b"new contents\n");
        Err(std::io::Error::other("power cut"))
    });
    assert!(failed.is_err());
    assert_eq!(fs::read_to_string(&path).expect("read"), "old contents\n");
    let left: Vec<_> = fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(left.len(), 1, "the temporary file is cleaned up");
    broadsheet::durable::write_atomic(&path, b"new contents\n", |_| Ok(())).expect("write");
    assert_eq!(fs::read_to_string(&path).expect("read"), "new contents\n");
}

#[test]
fn many_processes_adding_at_once_lose_nothing() {
    let folder = TempDir::new().expect("tempdir");
    broadsheet::generate::write_folder(folder.path(), 24, 9).expect("generate");
    let place = Place::new(&folder.path().to_string_lossy());
    let ids: Vec<String> = place
        .ok(&["list"])
        .lines()
        .map(|l| l.split('\t').next().expect("id").to_string())
        .collect();
    let config = place.dir.path().join("config.toml");
    let binary = assert_cmd::cargo::cargo_bin("broadsheet");
    let children: Vec<_> = ids
        .iter()
        .map(|id| {
            std::process::Command::new(&binary)
                .env("XDG_CACHE_HOME", place.dir.path().join("cache"))
                .arg("--config")
                .arg(&config)
                .args(["bookmarks", "add", id])
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut child in children {
        assert!(child.wait().expect("wait").success());
    }
    let mut saved: Vec<String> = place
        .json()
        .iter()
        .map(|b| b["id"].as_str().expect("id").to_string())
        .collect();
    saved.sort();
    let mut wanted = ids.clone();
    wanted.sort();
    assert_eq!(saved, wanted);
}

#[test]
fn a_broken_file_is_kept_byte_for_byte_and_named_with_its_position() {
    let place = Place::new("articles");
    let path = place.bookmarks_file();
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let broken = b"[[bookmark]]\nid = \"x\"\nheadline = \"unclosed\n";
    fs::write(&path, broken).expect("write");
    for args in [
        &["bookmarks", "add", PUTIN][..],
        &["bookmarks", "remove", "x"],
        &["bookmarks"],
    ] {
        let out = place.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("bookmarks.toml:3:"), "{err}");
        assert!(err.contains("left as it is"), "{err}");
        assert_eq!(fs::read(&path).expect("read"), broken);
    }
}

#[test]
fn a_folder_that_cannot_be_written_is_an_error_and_nothing_else_changes() {
    let place = Place::new("articles");
    // A bookmarks folder whose parent is a file cannot be made, even by root.
    let blocker = place.dir.path().join("data");
    fs::write(&blocker, "not a folder").expect("write");
    let out = place.run(&["bookmarks", "add", PUTIN]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("cannot create the folder {}", blocker.display())),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&blocker).expect("read"), "not a folder");
}

fn bookmark(id: &str, added: &str) -> Bookmark {
    Bookmark {
        id: id.into(),
        headline: format!("Headline of {id}"),
        date: None,
        path: format!("{id}.txt"),
        folder: String::new(),
        added: added.into(),
        note: String::new(),
    }
}

/// Waits (at most ten seconds) for the saver's next round of saves.
fn next_round(saver: &mut Saver) -> Vec<Saved> {
    let start = Instant::now();
    loop {
        let rounds = saver.finished();
        if !rounds.is_empty() {
            return rounds.into_iter().flat_map(|r| r.saved).collect();
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no save came back"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Makes `folder` unwritable: read-only when permissions bite, else (as root, whom they do
/// not stop) by putting a file where the folder should be. Returns how to undo it.
fn make_unwritable(folder: &Path) -> impl FnOnce() {
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(folder).expect("mkdir");
    fs::set_permissions(folder, fs::Permissions::from_mode(0o555)).expect("chmod");
    let bites = fs::write(folder.join("probe"), "x").is_err();
    let folder = folder.to_path_buf();
    if !bites {
        fs::remove_file(folder.join("probe")).expect("probe");
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).expect("chmod");
        fs::remove_dir_all(&folder).expect("rmdir");
        fs::write(&folder, "not a folder").expect("blocker");
    }
    move || {
        if bites {
            fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).expect("chmod");
        } else {
            fs::remove_file(&folder).expect("blocker");
        }
    }
}

#[test]
fn the_reader_keeps_a_change_it_could_not_save_and_saves_it_with_the_next() {
    let dir = TempDir::new().expect("tempdir");
    let folder = dir.path().join("data");
    let file = folder.join("bookmarks.toml");
    let restore = make_unwritable(&folder);
    let stores = Stores::new(file.clone(), folder.join("state.toml"), dir.path());
    let mut saver = Saver::start(stores.clone());
    saver.save(vec![Change::Bookmark(bookmark(
        "first",
        "2026-11-20T09:00:00+00:00",
    ))]);
    match next_round(&mut saver).as_slice() {
        [Saved::Failed(BookmarkFile::Bookmarks, why)] => {
            let place = folder.display().to_string();
            assert!(why.contains(&place), "the message names the place: {why}")
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert_eq!(saver.outstanding(), 0);

    // The folder can be written again: the next save carries both changes.
    restore();
    saver.save(vec![Change::Bookmark(bookmark(
        "second",
        "2026-11-21T09:00:00+00:00",
    ))]);
    match next_round(&mut saver).as_slice() {
        [Saved::Bookmarks(saved)] => {
            let ids: Vec<&str> = saved.list.iter().map(|b| b.id.as_str()).collect();
            assert_eq!(ids, ["first", "second"]);
        }
        other => panic!("expected a save, got {other:?}"),
    }
    // A change made just before the reader closes is saved before it is gone.
    saver.save(vec![Change::Read {
        id: "first".into(),
        read: true,
    }]);
    assert!(saver.finish().is_empty());
    let state = stores.load_state().expect("state");
    assert!(state.read.contains("first"));
    let saved: Bookmarks = durable::load(&file).expect("bookmarks");
    assert_eq!(saved.list.len(), 2);
}

#[test]
fn a_change_that_still_cannot_be_saved_at_the_end_is_reported() {
    let dir = TempDir::new().expect("tempdir");
    let folder = dir.path().join("data");
    let _restore = make_unwritable(&folder);
    let saver = {
        let stores = Stores::new(
            folder.join("bookmarks.toml"),
            folder.join("state.toml"),
            dir.path(),
        );
        let mut saver = Saver::start(stores);
        saver.save(vec![Change::Unbookmark("x".into())]);
        saver
    };
    let unsaved = saver.finish();
    assert_eq!(unsaved.len(), 1, "{unsaved:?}");
    // The message names the place in full, not a word that any path here holds.
    let place = folder.display().to_string();
    assert!(unsaved[0].contains(&place), "{unsaved:?}");
}

/// Two folders holding the same pages, sharing one bookmarks file and one state file.
fn two_folders(place: &Place) -> (PathBuf, PathBuf) {
    let folders = (place.dir.path().join("one"), place.dir.path().join("two"));
    for folder in [&folders.0, &folders.1] {
        fs::create_dir_all(folder).expect("folder");
        for entry in fs::read_dir("articles").expect("articles") {
            let path = entry.expect("entry").path();
            fs::copy(&path, folder.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    folders
}

fn in_folder(place: &Place, folder: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--articles", folder.to_str().expect("utf-8")];
    all.extend_from_slice(args);
    place.run(&all)
}

#[test]
fn each_folder_keeps_its_own_bookmarks_and_read_marks() {
    let place = Place::new("articles");
    let (one, two) = two_folders(&place);
    let ok = |folder: &Path, args: &[&str]| {
        let out = in_folder(&place, folder, args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    ok(&one, &["bookmarks", "add", PUTIN]);
    ok(&two, &["bookmarks", "add", NATO]);
    ok(&one, &["mark-read", NATO]);
    assert!(ok(&one, &["bookmarks"]).starts_with(PUTIN));
    assert!(!ok(&one, &["bookmarks"]).contains(NATO));
    assert!(ok(&two, &["bookmarks"]).starts_with(NATO));
    // Removing in one folder what only the other bookmarked changes nothing there.
    let removed = in_folder(&place, &two, &["bookmarks", "remove", PUTIN]);
    assert!(!removed.status.success(), "{removed:?}");
    assert!(String::from_utf8_lossy(&removed.stderr).contains("no bookmark has the id"));
    assert!(ok(&one, &["bookmarks"]).starts_with(PUTIN));
    let unread_in = |folder: &Path| ok(folder, &["list", "--unread"]);
    assert!(!unread_in(&one).contains(NATO));
    assert!(unread_in(&two).contains(NATO), "read in one folder only");
}

#[test]
fn state_saved_before_folders_were_told_apart_is_migrated() {
    let place = Place::new("articles");
    let (one, two) = two_folders(&place);
    // The files as an earlier broadsheet wrote them: no folder anywhere.
    let legacy = format!(
        "[[bookmark]]\nid = \"{PUTIN}\"\nheadline = \"Putin\"\npath = \"000_d6e93279b58fa890.txt\"\n\
         added = \"2026-11-20T09:00:00+00:00\"\nnote = \"kept\"\n\n\
         [[bookmark]]\nid = \"gone\"\nheadline = \"Gone\"\npath = \"gone.txt\"\n\
         added = \"2026-11-19T09:00:00+00:00\"\nnote = \"\"\n"
    );
    fs::create_dir_all(place.bookmarks_file().parent().expect("data")).expect("data");
    fs::write(place.bookmarks_file(), legacy).expect("bookmarks");
    let state_file = place.bookmarks_file().with_file_name("state.toml");
    fs::write(&state_file, format!("read = [\"{NATO}\"]\n")).expect("state");
    let ok = |folder: &Path, args: &[&str]| {
        let out = in_folder(&place, folder, args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    // Before any folder has saved, both see what was saved, as they did.
    for folder in [&one, &two] {
        let listed = ok(folder, &["bookmarks"]);
        assert!(
            listed.contains(PUTIN) && listed.contains("gone"),
            "{listed}"
        );
        assert!(!ok(folder, &["list", "--unread"]).contains(NATO));
    }
    // A change in folder one gives it the bookmark whose page it holds, and starts its own
    // read marks from the old ones.
    ok(&one, &["bookmarks", "add", NATO]);
    ok(&one, &["mark-unread", NATO]);
    let listed = ok(&two, &["bookmarks"]);
    assert!(!listed.contains(PUTIN), "folder one's now: {listed}");
    assert!(
        listed.contains("gone"),
        "a page no folder holds stays seen: {listed}"
    );
    assert!(
        ok(&one, &["bookmarks"]).contains("kept"),
        "the note came along"
    );
    assert!(ok(&one, &["list", "--unread"]).contains(NATO));
    assert!(!ok(&two, &["list", "--unread"]).contains(NATO));
    // The old file's text is still there to read: one bookmark per table, each with its folder.
    let text = fs::read_to_string(place.bookmarks_file()).expect("bookmarks");
    let canonical = fs::canonicalize(&one).expect("canonical");
    assert_eq!(
        text.matches(&format!("folder = {:?}", canonical.to_string_lossy()))
            .count(),
        2,
        "{text}"
    );
}
