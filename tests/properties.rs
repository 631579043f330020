//! Property tests: the parser never panics, on arbitrary bytes or on mutated real pages, and no
//! field it returns holds a control character.

use broadsheet::article::{Article, Block, parse_bytes};
use broadsheet::text::{clean_line, is_control};
use proptest::prelude::*;

fn assert_clean(article: &Article) {
    let mut fields = vec![&article.source, &article.headline];
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
        assert!(!field.is_empty() || field == article.source, "empty field");
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
        let mut page = real_pages().swap_remove(which);
        for (at, kind, bytes) in edits {
            let i = at.index(page.len() + 1);
            match kind {
                0 => { page.splice(i..i, bytes); }
                1 => { let end = (i + bytes.len()).min(page.len()); page.splice(i..end, bytes); }
                _ => { let end = (i + 200).min(page.len()); page.drain(i..end); }
            }
        }
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
