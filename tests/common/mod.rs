//! Helpers the integration tests share: London Daily pages made to order, written into a folder.

#![allow(dead_code)]

use std::fs;
use std::path::Path;

/// A page with a headline, a dateline (`Monday, Mar 3, 2025`), a standfirst, one paragraph
/// and a related list.
pub fn page_with(
    headline: &str,
    dateline: &str,
    summary: &str,
    body: &str,
    related: &[&str],
) -> String {
    format!(
        "London Daily\n\nFocus on the big picture.\n{dateline}\n\n{headline}\n\n{headline}\n\n\
         {summary}\n\n{body}\n\nNewsletter\n\nRelated Articles\n\n0:00\n0:00\nClose\n{}\n×",
        related.join("\n")
    )
}

/// Writes `text` to `dir/name`, making folders as needed.
pub fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(path, text).expect("write");
}
