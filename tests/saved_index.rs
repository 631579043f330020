//! The saved index: it survives a restart and answers as a fresh build does, after pages were
//! added, changed or removed between runs (a property over random folders and changes); a
//! file cut short, garbled or of another version is built again, never trusted; a process
//! killed while writing leaves the old index or none; two processes at once both answer and
//! leave a sound index; the reader applies what changed in place while it was closed; a
//! cache sealed as checked and then written in place is checked whole again.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use assert_cmd::Command;
use broadsheet::cache;
use broadsheet::generate;
use broadsheet::index::Index;
use broadsheet::index::saved::Broken;
use broadsheet::library::Library;
use broadsheet::related::Relations;
use broadsheet::related::saved::{How, Unusable};
use broadsheet::search::{Query, Searcher};
use proptest::prelude::*;
use tempfile::TempDir;

/// Everything the reader and `related` show of every article, and what a few searches find,
/// scores rounded (a sum taken in another order may differ in its last bits).
fn answers(library: &Library, relations: &Relations) -> Vec<String> {
    let mut all = Vec::new();
    for i in 0..library.len() {
        let a = relations.answer(library, i, 5);
        let similar: Vec<String> = a
            .similar
            .iter()
            .map(|(k, s)| format!("{}:{:.4}", library.articles().id(*k), s))
            .collect();
        let ids = |list: &[usize]| -> Vec<&str> {
            list.iter().map(|&k| library.articles().id(k)).collect()
        };
        let related: Vec<&str> = a
            .related
            .iter()
            .map(|r| r.map_or("-", |k| library.articles().id(k)))
            .collect();
        all.push(format!(
            "{} related {:?} similar {:?} from {:?} thread {:?}",
            library.articles().id(i),
            related,
            similar,
            ids(&a.linked_from),
            ids(&a.thread)
        ));
    }
    for words in ["vaccine", "talks", "st", "\"central bank\""] {
        let query = Query::parse(words, true);
        let hits = Searcher::default().run(&relations.index, &query);
        let hits: Vec<String> = hits
            .iter()
            .map(|h| format!("{}:{:.4}", library.articles().id(h.article), h.score))
            .collect();
        all.push(format!("{words}: {hits:?}"));
    }
    all
}

/// A change to the folder between runs.
#[derive(Debug, Clone)]
enum Change {
    Add(u64),
    Rewrite(usize, u64),
    Remove(usize),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        (0u64..1000).prop_map(Change::Add),
        (0usize..1000, 0u64..1000).prop_map(|(i, s)| Change::Rewrite(i, s)),
        (0usize..1000).prop_map(Change::Remove),
    ]
}

/// Every page of the folder, in a stable order.
fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = fs::read_dir(dir.join("batch-000"))
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .collect();
    pages.sort();
    pages
}

/// Every page of the folder with its bytes.
fn contents(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    pages(dir)
        .into_iter()
        .map(|p| {
            let bytes = fs::read(&p).expect("read");
            (p, bytes)
        })
        .collect()
}

fn apply(dir: &Path, change: &Change, n: usize) {
    let pages = pages(dir);
    let later = SystemTime::now() + Duration::from_secs(60);
    match *change {
        Change::Add(seed) => {
            let path = dir.join("batch-000").join(format!("added-{n}.txt"));
            fs::write(&path, generate::page(seed + 7, n, 50)).expect("write");
        }
        Change::Rewrite(k, seed) if !pages.is_empty() => {
            let path = &pages[k % pages.len()];
            fs::write(path, generate::page(seed + 3, k, 50)).expect("write");
            // Another time, should the size come out the same.
            let file = fs::File::options().write(true).open(path).expect("open");
            file.set_modified(later).expect("time");
        }
        Change::Remove(k) if pages.len() > 1 => {
            fs::remove_file(&pages[k % pages.len()]).expect("remove");
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn a_saved_index_answers_as_a_fresh_build_after_a_restart_and_changes(
        count in 15usize..60,
        seed in 0u64..500,
        changes in prop::collection::vec(change(), 0..10),
    ) {
        let dir = TempDir::new().expect("temp dir");
        generate::write_folder(dir.path(), count, seed).expect("generate");
        let caches = TempDir::new().expect("temp dir");
        let (heads, saved) = (caches.path().join("heads.bin"), caches.path().join("index.bin"));
        let load = || Arc::new(cache::load_heads(dir.path(), &heads).expect("load"));

        let library = load();
        let first = Relations::open_or_build(&library, Some(&saved), false, &|_| {});
        prop_assert!(matches!(first.how, How::Built(Some(Unusable::Broken(Broken::Missing)))));
        prop_assert!(first.saved.is_ok());
        let built = answers(&library, &first.relations);

        // A restart on the same folder opens it as saved, and it answers alike.
        let library = load();
        let again = Relations::open_or_build(&library, Some(&saved), true, &|_| {});
        prop_assert!(matches!(again.how, How::Opened), "{:?}", again.how);
        prop_assert_eq!(&answers(&library, &again.relations), &built);

        let before = contents(dir.path());
        for (n, c) in changes.iter().enumerate() {
            apply(dir.path(), c, n);
        }
        let library = load();
        let updated = Relations::open_or_build(&library, Some(&saved), true, &|_| {});
        let fresh = Relations::build(&library, &|_| {});
        let expected = answers(&library, &fresh);
        prop_assert_eq!(&answers(&library, &updated.relations), &expected);
        // Changes that leave the folder as it was (a page added, then removed) may open it.
        if contents(dir.path()) != before {
            prop_assert!(!matches!(updated.how, How::Opened), "{:?}", updated.how);
        }
        // What was saved after the changes is what the next run opens.
        let library = load();
        let reopened = Relations::open_or_build(&library, Some(&saved), true, &|_| {});
        prop_assert!(matches!(reopened.how, How::Opened), "{:?}", reopened.how);
        prop_assert_eq!(&answers(&library, &reopened.relations), &expected);
    }
}

/// A folder of generated pages, its own cache folder, and the binary run on them.
struct Setup {
    dir: TempDir,
    xdg: TempDir,
}

impl Setup {
    fn new(count: usize) -> Setup {
        let dir = TempDir::new().expect("temp dir");
        generate::write_folder(dir.path(), count, 5).expect("generate");
        Setup {
            dir,
            xdg: TempDir::new().expect("temp dir"),
        }
    }

    fn command(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("broadsheet"));
        cmd.env("XDG_CACHE_HOME", self.xdg.path())
            .env_remove("BROADSHEET_NO_CACHE")
            .arg("--articles")
            .arg(self.dir.path())
            .args(args);
        cmd
    }

    /// The command started, its output let go.
    fn spawn_quiet(&self, args: &[&str]) -> std::process::Child {
        self.command(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn")
    }

    /// What the command prints, and what it says on stderr; it must succeed.
    fn run(&self, args: &[&str]) -> (String, String) {
        let out = self.command(args).output().expect("run");
        assert!(out.status.success(), "{args:?}: {out:?}");
        (
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// What the command prints with no cache at all.
    fn uncached(&self, args: &[&str]) -> String {
        let out = Command::cargo_bin("broadsheet")
            .expect("binary")
            .env("BROADSHEET_NO_CACHE", "1")
            .arg("--articles")
            .arg(self.dir.path())
            .args(args)
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The saved index's file, if there is one.
    fn index_file(&self) -> Option<PathBuf> {
        fs::read_dir(self.xdg.path().join("broadsheet"))
            .ok()?
            .flatten()
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("index-"))
                    && p.extension().is_some_and(|e| e == "bin")
            })
    }
}

const SEARCH: &[&str] = &["search", "vaccine", "talks"];

/// Whether the saved index at `path` opens and every part of it matches its checksums.
fn sound(path: &Path) -> bool {
    Index::open(path).is_ok_and(|(index, _, tail)| index.verify() && tail.check())
}

/// Where a saved index's terms start: after the 64-byte header and the postings, at a
/// multiple of 8 (the header gives the postings' length at bytes 24..32).
fn meta_start(bytes: &[u8]) -> usize {
    let postings = u64::from_le_bytes(bytes[24..32].try_into().expect("header"));
    (64 + postings as usize).next_multiple_of(8)
}

#[test]
fn a_saved_index_cut_short_garbled_or_of_another_version_is_built_again() {
    type Damage = fn(&mut Vec<u8>);
    let damages: [(&str, Damage); 4] = [
        ("cut short", |b| b.truncate(b.len() / 2)),
        ("postings garbled", |b| {
            for at in (64..b.len() / 2).step_by(997) {
                b[at] ^= 0x5a;
            }
        }),
        ("terms garbled", |b| {
            let at = meta_start(b) + 100;
            b[at] ^= 0xff;
        }),
        ("another version", |b| {
            b[16..20].copy_from_slice(&999u32.to_le_bytes());
            let sum = crc32fast::hash(&b[..56]);
            b[56..60].copy_from_slice(&sum.to_le_bytes());
        }),
    ];
    let setup = Setup::new(120);
    let expected = setup.uncached(SEARCH);
    assert!(expected.lines().count() > 3, "the search finds something");
    for (what, damage) in damages {
        let (first, _) = setup.run(SEARCH);
        assert_eq!(first, expected, "{what}: first");
        let file = setup.index_file().expect("saved");
        assert!(Index::open(&file).is_ok(), "{what}: saved sound");
        let mut bytes = fs::read(&file).expect("read");
        damage(&mut bytes);
        fs::write(&file, &bytes).expect("write");
        assert!(
            Index::open(&file).is_err() || what == "postings garbled",
            "{what}: refused when opened"
        );
        let (again, _) = setup.run(SEARCH);
        assert_eq!(again, expected, "{what}: the answer after the damage");
        assert!(sound(&file), "{what}: built again and saved");
    }
    let (show, _) = setup.run(&["related", "--json", expected.split('\t').next().unwrap()]);
    assert!(show.contains("\"similar\""));
}

/// Writes `byte` over the file's byte at `at`, in place: the same file, the same size.
fn write_in_place(path: &Path, at: u64, byte: u8) {
    use std::io::{Seek, SeekFrom, Write};
    let mut file = fs::OpenOptions::new().write(true).open(path).expect("open");
    file.seek(SeekFrom::Start(at)).expect("seek");
    file.write_all(&[byte]).expect("write");
}

#[test]
fn caches_sealed_as_checked_and_then_written_in_place_are_checked_again() {
    let setup = Setup::new(60);
    let expected = setup.uncached(SEARCH);
    let listed = setup.uncached(&["list"]);
    setup.run(SEARCH);
    // Settled, the next command checks both caches whole and seals them.
    std::thread::sleep(broadsheet::seal::SETTLED + Duration::from_millis(100));
    setup.run(SEARCH);
    let index = setup.index_file().expect("saved");
    let heads = index.with_file_name(
        index
            .file_name()
            .expect("name")
            .to_string_lossy()
            .replacen("index-", "heads-", 1),
    );
    for cache in [&index, &heads] {
        assert!(
            broadsheet::seal::path_of(cache).exists(),
            "{cache:?} sealed"
        );
    }
    // A byte of the index's terms, and a byte in the middle of the headers cache.
    let terms = meta_start(&fs::read(&index).expect("read")) as u64 + 100;
    let old = fs::read(&index).expect("read")[terms as usize];
    write_in_place(&index, terms, old ^ 0xff);
    let middle = fs::metadata(&heads).expect("heads").len() / 2;
    let old = fs::read(&heads).expect("read")[middle as usize];
    write_in_place(&heads, middle, old ^ 0x20);
    assert!(
        Index::open(&index).is_err(),
        "the index refused, its seal no longer holds"
    );
    assert_eq!(setup.run(SEARCH).0, expected, "the search after the damage");
    assert_eq!(setup.run(&["list"]).0, listed, "the list after the damage");
    assert!(sound(&index), "built again and saved");
}

#[test]
fn a_garbled_tail_is_not_used_by_answers_and_is_built_again_before_an_update() {
    let dir = TempDir::new().expect("temp dir");
    generate::write_folder(dir.path(), 50, 4).expect("generate");
    let caches = TempDir::new().expect("temp dir");
    let (heads, saved) = (
        caches.path().join("heads.bin"),
        caches.path().join("index.bin"),
    );
    let library = Arc::new(cache::load_heads(dir.path(), &heads).expect("load"));
    let made = Relations::open_or_build(&library, Some(&saved), false, &|_| {});
    let expected = answers(&library, &made.relations);
    // The last bytes are the pages' warnings and texts' digests, which only updates use.
    let mut bytes = fs::read(&saved).expect("read");
    let at = bytes.len() - 12;
    bytes[at] ^= 0x5a;
    fs::write(&saved, &bytes).expect("write");
    let answering = Relations::open_or_build(&library, Some(&saved), false, &|_| {});
    assert!(matches!(answering.how, How::Opened), "{:?}", answering.how);
    assert_eq!(answers(&library, &answering.relations), expected);
    assert!(
        matches!(
            Relations::open(&library, &saved),
            Err(Unusable::Broken(Broken::Damaged(_)))
        ),
        "checked whole, it is refused"
    );
    let reader = Relations::open_or_build(&library, Some(&saved), true, &|_| {});
    assert!(
        matches!(reader.how, How::Built(Some(Unusable::Broken(_)))),
        "{:?}",
        reader.how
    );
    assert_eq!(answers(&library, &reader.relations), expected);
    assert!(
        Relations::open(&library, &saved).is_ok(),
        "saved again whole"
    );
}

#[test]
fn a_process_killed_while_writing_leaves_the_old_index_or_none() {
    let setup = Setup::new(1500);
    let expected = setup.uncached(SEARCH);
    for delay in [30, 80, 150, 300, 600, 1000] {
        if let Some(file) = setup.index_file() {
            fs::remove_file(file).expect("remove");
        }
        let mut child = setup.spawn_quiet(SEARCH);
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        if let Some(file) = setup.index_file() {
            assert!(
                sound(&file),
                "killed after {delay} ms: {:?}",
                Index::open(&file).err()
            );
        }
    }
    let (after, _) = setup.run(SEARCH);
    assert_eq!(after, expected);
    // Killed for certain while it writes the file that becomes the index: an old index
    // stays whole, and the next build removes the dead process's temporary file.
    let temps = || -> Vec<PathBuf> {
        fs::read_dir(setup.xdg.path().join("broadsheet"))
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.to_string_lossy().contains("/.index-"))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut old = Vec::new();
    // A try in which the process ends before its file is seen is tried again.
    for attempt in 0..10 {
        let (before, _) = setup.run(SEARCH);
        assert_eq!(before, setup.uncached(SEARCH));
        old = fs::read(setup.index_file().expect("saved")).expect("read");
        let page = setup
            .dir
            .path()
            .join("batch-000")
            .join(format!("more-{attempt}.txt"));
        fs::write(page, generate::page(77 + attempt, 1500, 1501)).expect("write");
        for stale in temps() {
            fs::remove_file(stale).expect("remove");
        }
        let mut child = setup.spawn_quiet(SEARCH);
        let start = std::time::Instant::now();
        let mut ended = false;
        while temps().is_empty() && start.elapsed() < Duration::from_secs(60) {
            if child.try_wait().ok().flatten().is_some() {
                ended = true;
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.kill();
        let _ = child.wait();
        if !ended {
            break;
        }
        old.clear();
    }
    assert!(
        !old.is_empty(),
        "a process was killed while writing its file"
    );
    assert!(!temps().is_empty(), "it left its temporary file");
    let file = setup.index_file().expect("the old index is still there");
    assert_eq!(fs::read(&file).expect("read"), old, "untouched");
    let (after, _) = setup.run(SEARCH);
    assert_eq!(after, setup.uncached(SEARCH));
    assert!(temps().is_empty(), "the dead process's file was removed");
    assert!(sound(&file));
}

#[test]
fn two_processes_at_once_both_answer_and_leave_a_sound_index() {
    let setup = Setup::new(800);
    let expected = setup.uncached(SEARCH);
    let spawn = || {
        setup
            .command(SEARCH)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "{out:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
    }
    let file = setup.index_file().expect("saved");
    assert!(sound(&file));
    let (again, _) = setup.run(SEARCH);
    assert_eq!(again, expected);
}

#[test]
fn pages_added_and_removed_between_commands_are_found_and_forgotten() {
    let setup = Setup::new(60);
    let (before, _) = setup.run(&["search", "zyxwvutsrq"]);
    assert_eq!(before, "");
    let page = generate::page(1, 0, 1)
        .replacen("\n\n", "\n\nzyxwvutsrq\n\n", 4)
        .replace("Text.", "zyxwvutsrq");
    let added = setup.dir.path().join("batch-000").join("new-page.txt");
    fs::write(&added, format!("{page}\nThe zyxwvutsrq story.\n")).expect("write");
    let (found, _) = setup.run(&["search", "zyxwvutsrq"]);
    assert_eq!(found.lines().count(), 1, "{found}");
    fs::remove_file(&added).expect("remove");
    let (gone, _) = setup.run(&["search", "zyxwvutsrq"]);
    assert_eq!(gone, "");
    assert_eq!(setup.run(SEARCH).0, setup.uncached(SEARCH));
}

#[test]
fn the_reader_applies_a_page_changed_in_place_while_it_was_closed() {
    use broadsheet::app::{App, Msg};
    let dir = TempDir::new().expect("temp dir");
    let pages = generate::write_folder(dir.path(), 30, 9).expect("generate");
    let caches = TempDir::new().expect("temp dir");
    let (heads, saved) = (
        caches.path().join("heads.bin"),
        caches.path().join("index.bin"),
    );
    let library = Arc::new(cache::load_heads(dir.path(), &heads).expect("load"));
    Relations::open_or_build(&library, Some(&saved), false, &|_| {});
    // Written in place: the folder's time stays, so the cache is trusted at launch.
    let old = fs::read_to_string(&pages[3]).expect("read");
    let headline = library
        .articles()
        .iter()
        .find(|h| dir.path().join(h.path) == pages[3])
        .expect("the page")
        .headline
        .to_string();
    fs::write(
        &pages[3],
        old.replace(&headline, "Harbour reopens after the storm"),
    )
    .expect("write");
    let trusted = cache::load_saved(dir.path(), &heads).expect("trusted");
    assert!(
        trusted
            .find_headline("Harbour reopens after the storm")
            .is_empty()
    );
    let config = common::config(&format!("articles_dir = {:?}", dir.path()));
    let mut app = App::new(trusted, &config, 100, 30)
        .on_headers()
        .saving_index(Some(saved.clone()))
        .unchecked(true);
    common::step(&mut app, Msg::Started);
    assert_eq!(
        app.library()
            .find_headline("Harbour reopens after the storm")
            .len(),
        1,
        "the changed page is read once the index is there"
    );
    assert!(app.library().find_headline(&headline).is_empty());
}

#[test]
fn an_index_saved_again_or_elsewhere_is_copied_and_the_first_file_stays_sound() {
    let dir = TempDir::new().expect("temp dir");
    generate::write_folder(dir.path(), 40, 2).expect("generate");
    let caches = TempDir::new().expect("temp dir");
    let heads = caches.path().join("heads.bin");
    let (first, other) = (
        caches.path().join("index.bin"),
        caches.path().join("elsewhere").join("index.bin"),
    );
    let library = Arc::new(cache::load_heads(dir.path(), &heads).expect("load"));
    let made = Relations::open_or_build(&library, Some(&first), false, &|_| {});
    assert!(made.saved.is_ok());
    let before = fs::read(&first).expect("saved");
    let warning = broadsheet::diagnostic::Diagnostic {
        path: "x.txt".into(),
        severity: broadsheet::diagnostic::Severity::Warning,
        message: "a warning".into(),
    };
    made.relations
        .save(&library, std::slice::from_ref(&warning), &other)
        .expect("saved elsewhere");
    made.relations
        .save(&library, &[warning], &first)
        .expect("saved again");
    for path in [&first, &other] {
        let opened = Relations::open(&library, path).expect("opens");
        assert_eq!(opened.warnings.len(), 1, "{}", path.display());
        assert!(opened.relations.index.verify());
        assert_eq!(
            answers(&library, &opened.relations),
            answers(&library, &made.relations)
        );
    }
    assert_ne!(
        fs::read(&first).expect("saved"),
        before,
        "written anew, whole"
    );
}
