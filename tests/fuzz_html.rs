//! HTML that cannot cost more than its size (issue 27): pages of 10,000 and 100,000 nested
//! elements are read, flattened, by the extraction and by `list` with the rest of the folder
//! and a problem that names them; and the extraction takes arbitrary markup, deep nesting
//! among it, without a panic or a control character in what it keeps.
//! More cases: `PROPTEST_CASES=5000 cargo test --test fuzz_html`.

mod common;

use broadsheet::article::Block;
use broadsheet::feeds::html::{blocks, readable};
use broadsheet::feeds::nesting::{MAX_DEPTH, flatten};
use broadsheet::text::is_control;
use proptest::prelude::*;
use tempfile::TempDir;

const STORY: &str = "The harbour wall that broke in last month's storm has been rebuilt, and the \
                     first boats returned on Monday morning to a crowd of families on the quay.";

/// A web page whose story sits `depth` elements of `tag` down.
fn nested_page(tag: &str, depth: usize) -> String {
    format!(
        "<html><head><title>Deep story</title></head><body><article><h1>Deep story</h1>{}<p>{STORY}</p><p>{STORY}</p>{}</article></body></html>",
        format!("<{tag}>").repeat(depth),
        format!("</{tag}>").repeat(depth)
    )
}

#[test]
fn pages_of_ten_and_a_hundred_thousand_nested_elements_are_read_flattened() {
    for (tag, depth) in [("div", 10_000), ("div", 100_000), ("section", 100_000)] {
        let page = nested_page(tag, depth);
        let flat = flatten(&page);
        // Every tag below the limit, opening and closing, is gone.
        let dropped = flat.dropped;
        assert!(
            dropped >= 2 * (depth - MAX_DEPTH),
            "{tag} {depth}: {dropped}"
        );
        assert!(flat.html.len() < page.len());
        let story = readable(&page, None).expect("a readable story");
        assert!(story.flattened >= 2 * (depth - MAX_DEPTH));
        assert!(
            story.body.iter().any(|b| b.text() == STORY),
            "{tag} {depth}"
        );
        assert!(story.warnings()[0].contains("nested more than 256 elements deep"));
        assert!(blocks(&page).iter().any(|b| b.text() == STORY));
    }
    // An ordinary page is left as it is and says nothing.
    let plain = readable(&nested_page("div", 20), None).expect("readable");
    assert_eq!(plain.flattened, 0);
    assert!(plain.warnings().is_empty());
}

#[test]
fn a_page_too_costly_to_look_for_its_story_in_keeps_its_whole_text() {
    // Chains of 200 divs, 60 of them: every element's depth added up is 1.2 million.
    let chains = format!("{}x{}", "<div>".repeat(200), "</div>".repeat(200)).repeat(60);
    let page = format!(
        "<html><head><title>Heavy story</title><script>var x = 1;</script></head><body>\
         <nav>Home</nav><p>{STORY}</p>{chains}<p>The end.</p></body></html>"
    );
    let story = readable(&page, None).expect("its text");
    assert!(story.whole_page);
    assert_eq!(story.title, "Heavy story");
    assert_eq!(story.body.first().map(Block::text), Some(STORY));
    assert_eq!(story.body.last().map(Block::text), Some("The end."));
    assert!(
        !story
            .body
            .iter()
            .any(|b| b.text().contains("var x") || b.text() == "Home")
    );
    assert_eq!(
        story.warnings(),
        ["HTML too deeply nested to look for its story in: the whole page's text was kept"]
    );
}

#[test]
fn list_reads_a_folder_holding_a_page_of_a_hundred_thousand_nested_divs() {
    let dir = TempDir::new().expect("temp dir");
    common::write(dir.path(), "deep.html", &nested_page("div", 100_000));
    common::write(
        dir.path(),
        "plain.txt",
        &common::page_with(
            "A plain story",
            "Monday, Mar 3, 2025",
            "Summary.",
            "Text.",
            &[],
        ),
    );
    let listed = common::succeeded(common::uncached(dir.path(), &["list"]), &["list"]);
    assert!(listed.contains("A plain story"), "{listed}");
    assert!(listed.contains("Deep story"), "{listed}");
    let check = common::uncached(dir.path(), &["check"]);
    let said = String::from_utf8_lossy(&check.stdout).into_owned()
        + &String::from_utf8_lossy(&check.stderr);
    assert!(
        said.lines()
            .any(|l| l.contains("deep.html") && l.contains("nested more than 256")),
        "{said}"
    );
}

/// Pieces of markup: tags that nest and tags that do not, raw text, comments, quotes,
/// entities, escapes, and whole runs of deep nesting.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "<div>", "</div>", "<p>", "</p>", "<section>", "</section>", "<b>", "</b>", "<a href='>'>",
            "</a>", "<table>", "<tr>", "<td>", "</table>", "<ul>", "<li>", "</ul>", "<h2>", "</h2>",
            "<br>", "<img src=x>", "<div/>", "<script>", "</script>", "<style>", "<!--", "-->",
            "<!DOCTYPE html>", "<svg>", "</svg>", "<math>", "<template>", "<plaintext>",
            "<title>", "</title>", "&amp;", "&#27;", "&#x9b;", "<", ">", "\"", "'", "=", "</",
            "\u{1b}[2J", "\u{1b}]0;x\u{7}", "\u{9b}31m", "\0", "中文", "text ", "\n",
        ])
        .prop_map(str::to_string),
        1 => "[a-z <>/=\"']{0,12}",
        1 => (prop::sample::select(vec!["div", "section", "span", "b", "ul", "table", "p", "a"]), 300usize..800)
            .prop_map(|(tag, depth)| format!("<{tag}>").repeat(depth)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn extraction_takes_any_markup(pieces in prop::collection::vec(piece(), 0..30)) {
        let html: String = pieces.concat();
        let found = blocks(&html);
        for block in &found {
            prop_assert!(!block.text().chars().any(is_control), "{:?}", block);
        }
        if let Some(story) = readable(&html, Some("http://127.0.0.1/page")) {
            let texts = std::iter::once(story.title.as_str())
                .chain(story.body.iter().map(Block::text));
            for text in texts {
                prop_assert!(!text.chars().any(is_control), "{:?}", text);
            }
        }
    }

    #[test]
    fn flattening_keeps_every_character_outside_the_tags_it_drops(
        pieces in prop::collection::vec(piece(), 0..60),
        depth in 1usize..40,
    ) {
        let html: String = pieces.concat();
        let flat = broadsheet::feeds::nesting::flatten_at(&html, depth);
        prop_assert!(flat.html.len() <= html.len());
        prop_assert_eq!(flat.dropped == 0, flat.html.len() == html.len());
        // What is left is the text with some tags cut out: every byte of it, in order.
        let mut rest = html.as_bytes().iter();
        for byte in flat.html.as_bytes() {
            prop_assert!(rest.any(|b| b == byte));
        }
    }
}
