//! Property tests: the parser never panics, on arbitrary bytes or on mutated real pages, and no
//! field it returns holds a control character; a library of headers alone is ordered and
//! numbered as one of whole articles.

mod common;

use broadsheet::article::{Article, Block, parse_bytes};
use broadsheet::headers::Heads;
use broadsheet::library::Library;
use broadsheet::text::{clean_line, is_control};
use proptest::prelude::*;

fn assert_clean(article: &Article) {
    // The source may be empty (a page with no masthead); no other field the parser returns is.
    assert!(
        !article.source.chars().any(is_control),
        "control character in {:?}",
        article.source
    );
    let mut fields = vec![&article.headline];
    fields.extend(article.standfirst.as_ref());
    fields.extend(article.related.iter());
    for field in fields
        .into_iter()
        .map(String::as_str)
        .chain(article.body.iter().map(Block::text))
    {
        assert!(
            !field.chars().any(is_control),
            "control character in {field:?}"
        );
        assert!(!field.is_empty(), "empty field");
    }
}

fn real_pages() -> Vec<Vec<u8>> {
    [
        "articles/000_d6e93279b58fa890.txt",
        "articles/004_dc89d653a686152d.txt",
    ]
    .iter()
    .map(|p| std::fs::read(p).expect("real page"))
    .collect()
}

/// Bytes a hostile or broken page is made of: escapes, C1 in UTF-8, CR, NUL, the page's own
/// markers, multi-byte characters.
fn nasty() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"\x1b[2J".to_vec()),
        Just(b"\x1b]0;title\x07".to_vec()),
        Just(b"\x1b]52;c;AAAA".to_vec()),
        Just("\u{9b}31m".as_bytes().to_vec()),
        Just(b"\x1bP".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\n\n".to_vec()),
        Just(b"\x00".to_vec()),
        Just(b"\xe9\xff".to_vec()),
        Just("×".as_bytes().to_vec()),
        Just(b"Newsletter\n".to_vec()),
        Just("中文👍🏽e\u{301}".as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 1..8),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_bytes_never_panic_and_come_out_clean(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(parsed) = parse_bytes(&bytes) {
            assert_clean(&parsed.article);
        }
    }

    #[test]
    fn mutated_real_pages_never_panic_and_come_out_clean(
        which in 0usize..2,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, nasty()), 1..12),
    ) {
        let page = common::mutate(real_pages().swap_remove(which), edits, 200);
        if let Ok(parsed) = parse_bytes(&page) {
            assert_clean(&parsed.article);
        }
    }

    #[test]
    fn cleaning_is_idempotent_and_total(text in ".{0,200}") {
        let once = clean_line(&text);
        prop_assert!(!once.chars().any(is_control));
        prop_assert_eq!(clean_line(&once), once.clone());
    }
}

/// Headlines that share long starts, differ in case or only after eight bytes, are prefixes
/// of each other, or are not ASCII: what the header order's first, compact key cannot tell
/// apart on its own.
fn headline() -> impl Strategy<Value = String> {
    prop_oneof![
        "[aAb]{0,3}",
        "(Brasilia|brasilia|BRASILIA) (urges|unveils)( [a-c]{1,3})?",
        "(Élan|élan|Ébène|Zürich|中文)[ a]{0,3}",
        "[a-z]{7,9}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A library made from headers alone (as the first launch makes it) has the order and ids
    /// of one made from the articles whole, whatever the dates and headlines.
    #[test]
    fn headers_are_ordered_and_numbered_as_whole_articles_are(
        rows in prop::collection::vec(
            (
                prop::option::of(0i32..4),
                prop::option::of(0i64..3),
                headline(),
                prop_oneof![Just(""), Just("London Daily")],
            ),
            0..60,
        )
    ) {
        let day = |n: i32| chrono::NaiveDate::from_ymd_opt(2025, 3, 1)
            .map(|d| d + chrono::Duration::days(i64::from(n)));
        // Some pages give a time on their day too (an hour after noon, UTC).
        let time = |date: Option<chrono::NaiveDate>, hour: Option<i64>| {
            let noon = date?.and_hms_opt(12, 0, 0)?.and_utc().fixed_offset();
            Some(noon + chrono::Duration::hours(hour?))
        };
        let articles: Vec<Article> = rows
            .iter()
            .enumerate()
            .map(|(i, (date, hour, headline, source))| {
                let time = time(date.and_then(day), *hour);
                Article {
                    path: format!("p{i:03}.txt").into(),
                    source: source.to_string(),
                    date: time.map(broadsheet::text::local_day).or(date.and_then(day)),
                    time,
                    headline: headline.clone(),
                    ..Article::default()
                }
            })
            .collect();
        let whole = Library::new(articles.clone(), Vec::new());
        let heads = Heads::of(articles.iter().map(Article::head));
        let from_heads = Library::from_heads(heads, Vec::new(), &|_| None, Vec::new());
        let listed = |library: &Library| -> Vec<(String, String)> {
            (0..library.len())
                .filter_map(|i| library.head(i))
                .map(|h| (h.id.to_string(), h.path.display().to_string()))
                .collect()
        };
        prop_assert_eq!(listed(&from_heads), listed(&whole));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Pages of one date and headline, some of which cannot be read whole (issue 27): their
    /// order is total, so it is the same whatever order the headers came in, and sorting
    /// them never panics.
    #[test]
    fn headers_of_one_story_are_ordered_whatever_can_be_read_whole(
        texts in prop::collection::vec(prop::option::of("[a-c]{0,2}"), 2..48),
        turn in any::<prop::sample::Index>(),
    ) {
        let articles: Vec<Article> = (0..texts.len())
            .map(|i| Article {
                path: format!("p{:03}.txt", (i * 7919) % 1000).into(),
                date: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
                headline: "One story".into(),
                ..Article::default()
            })
            .collect();
        let whole = |path: &std::path::Path| {
            let i = articles.iter().position(|a| a.path == path)?;
            let text = texts[i].as_ref()?;
            Some(broadsheet::page::Loaded {
                article: Article {
                    body: vec![Block::Paragraph(text.clone())],
                    ..articles[i].clone()
                },
                warnings: Vec::new(),
            })
        };
        let listed = |heads: Vec<&Article>| -> Vec<String> {
            let heads = Heads::of(heads.into_iter().map(Article::head));
            let library = Library::from_heads(heads, Vec::new(), &whole, Vec::new());
            (0..library.len())
                .filter_map(|i| library.head(i))
                .map(|h| format!("{} {}", h.id, h.path.display()))
                .collect()
        };
        let mut turned: Vec<&Article> = articles.iter().collect();
        turned.rotate_left(turn.index(articles.len()));
        let reversed: Vec<&Article> = articles.iter().rev().collect();
        let first = listed(articles.iter().collect());
        prop_assert_eq!(&listed(turned), &first);
        prop_assert_eq!(&listed(reversed), &first);
    }

    /// The headers reader (the first kilobytes of a page) takes any bytes.
    #[test]
    fn the_headers_reader_takes_any_bytes(
        which in 0usize..2,
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..3, nasty()), 0..12),
        cut in 0usize..4096,
    ) {
        let page = common::mutate(real_pages().swap_remove(which), edits, 200);
        let head = &page[..cut.min(page.len())];
        if let Some(article) = broadsheet::article::parse_head(head) {
            prop_assert!(!article.headline.chars().any(is_control));
            prop_assert!(!article.source.chars().any(is_control));
        }
    }
}
