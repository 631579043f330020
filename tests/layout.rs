//! The code's layout as a newcomer meets it: every file says what it owns in a `//!` line, no
//! file grows far past 500 lines, modules import each other without loops (top-level modules,
//! and the files inside each folder), and the app core imports nothing from the UI.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The longest a file may be: about 500 lines.
const MOST_LINES: usize = 520;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file's code without comments (doc links are not imports).
fn code(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names that `prefix` is followed by in `code`: `crate::app::list` with prefix
/// `crate::` gives `app`; grouped imports (`use crate::{a, b::c}`) give each first name.
fn names_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let word = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (at, _) in code.match_indices(prefix) {
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The group's items at its own depth: a nested group (`a::{b, c}`) is one item,
            // whose first name is `a`, and the items after it are still read.
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        found.insert(word(group[start..i].trim()));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.insert(word(group[start..i].trim()));
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            found.remove("");
        } else {
            let name = word(rest);
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

/// A loop in `graph`, if there is one.
fn a_loop(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if graph.contains_key(next)
                && let Some(cycle) = visit(next, graph, path, done)
            {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

/// Every source file with its path below `src/`, as `app/list.rs`.
fn files() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    sources(Path::new("src"), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p
                .strip_prefix("src")
                .expect("below src")
                .to_string_lossy()
                .replace('\\', "/");
            (name, fs::read_to_string(&p).expect("read"))
        })
        .collect()
}

/// The module a file belongs to below `folder` (`""` for the top): `app/list.rs` is `list`
/// in `app`, `app/mod.rs` is `app` at the top.
fn module_in<'a>(file: &'a str, folder: &str) -> Option<&'a str> {
    let rest = if folder.is_empty() {
        file
    } else {
        file.strip_prefix(folder)?.strip_prefix('/')?
    };
    if rest == "mod.rs" || rest == "lib.rs" || rest == "main.rs" {
        return None;
    }
    Some(rest.split(['/', '.']).next().unwrap_or(rest))
}

#[test]
fn every_file_says_what_it_owns_and_none_is_much_over_500_lines() {
    for (name, text) in files() {
        assert!(text.starts_with("//!"), "{name} starts without a //! line");
        let lines = text.lines().count();
        assert!(lines <= MOST_LINES, "{name} has {lines} lines");
    }
}

#[test]
fn modules_import_each_other_without_loops() {
    let files = files();
    let folders: BTreeSet<String> = files
        .iter()
        .filter_map(|(name, _)| name.rsplit_once('/').map(|(dir, _)| dir.to_string()))
        .chain([String::new()])
        .collect();
    for folder in folders {
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (name, text) in &files {
            let Some(module) = module_in(name, &folder) else {
                continue;
            };
            let code = code(text);
            let mut uses = if folder.is_empty() {
                names_after(&code, "crate::")
            } else {
                let mut uses =
                    names_after(&code, &format!("crate::{}::", folder.replace('/', "::")));
                // A file in a folder below this one speaks of its siblings through `super::`.
                if name.matches('/').count()
                    == folder.matches('/').count() + usize::from(!folder.is_empty())
                {
                    uses.extend(names_after(&code, "super::"));
                }
                uses
            };
            uses.remove(module);
            graph.entry(module.to_string()).or_default().extend(uses);
        }
        assert_eq!(
            a_loop(&graph),
            None,
            "modules of src/{folder} import in a loop"
        );
    }
}

#[test]
fn the_app_core_imports_nothing_from_the_ui() {
    for (name, text) in files() {
        if name.starts_with("app/") || name == "jobs.rs" {
            let uses = names_after(&code(&text), "crate::");
            assert!(
                !uses.contains("ui") && !uses.contains("tui"),
                "{name} imports the UI"
            );
        }
    }
}

#[test]
fn the_loop_finder_finds_a_loop() {
    let graph: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(
        a_loop(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let code = code(
        "use crate::{app::{App, layout::Areas}, search::{self, Query}, ui};\n\
         // crate::tui in a comment\nlet x = crate::jobs::step;",
    );
    // Nested groups hide no import and add no false one (`Areas`, `Query`, `self`).
    assert_eq!(
        names_after(&code, "crate::"),
        ["app", "jobs", "search", "ui"]
            .into_iter()
            .map(String::from)
            .collect()
    );
}
