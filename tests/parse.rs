//! The page parser on the two real pages (FORMAT.md's facts table) and on a fixture for every
//! variation FORMAT.md lists.

use broadsheet::article::{Article, Block, Parsed, Skip, parse, parse_bytes};
use broadsheet::text::is_control;
use chrono::NaiveDate;

fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn real(name: &str) -> Parsed {
    parse_bytes(&read(&format!("articles/{name}"))).expect("a real page parses")
}

fn fixture(name: &str) -> Result<Parsed, Skip> {
    parse_bytes(&read(&format!("tests/fixtures/pages/{name}")))
}

fn ok(name: &str) -> Parsed {
    fixture(name).unwrap_or_else(|e| panic!("{name} was skipped: {e}"))
}

fn paragraphs(a: &Article) -> Vec<&str> {
    a.body
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(t) => Some(t.as_str()),
            Block::Subheading(_) => None,
        })
        .collect()
}

fn subheadings(a: &Article) -> Vec<&str> {
    a.body
        .iter()
        .filter_map(|b| match b {
            Block::Subheading(t) => Some(t.as_str()),
            Block::Paragraph(_) => None,
        })
        .collect()
}

/// Every string field of an article.
fn fields(a: &Article) -> Vec<&str> {
    let mut all = vec![a.source.as_str(), a.headline.as_str()];
    all.extend(a.standfirst.as_deref());
    all.extend(a.body.iter().map(Block::text));
    all.extend(a.related.iter().map(String::as_str));
    all
}

const CHROME: [&str; 7] = [
    "Focus on the big picture.",
    "Newsletter",
    "Related Articles",
    "0:00",
    "Close",
    "×",
    "Wednesday, Oct 22, 2025",
];

#[test]
fn real_page_000_matches_the_facts_table() {
    let p = real("000_d6e93279b58fa890.txt");
    let a = &p.article;
    assert_eq!(a.source, "London Daily");
    assert_eq!(a.date, NaiveDate::from_ymd_opt(2025, 10, 22));
    assert_eq!(
        a.headline,
        r#"Russian President Vladimir Putin Hails "Model" Relations With China"#
    );
    let standfirst = a.standfirst.as_deref().unwrap_or_default();
    assert!(standfirst.starts_with("Russian President Vladimir Putin made the comment"));
    let paras = paragraphs(a);
    assert!(paras[0].starts_with("Russian President Vladimir Putin on Wednesday hailed"));
    assert_eq!(paras.len(), 24);
    assert_eq!(subheadings(a), vec![r#""Unprecedented" relations"#]);
    assert_eq!(a.related.len(), 50);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn real_page_004_matches_the_facts_table() {
    let p = real("004_dc89d653a686152d.txt");
    let a = &p.article;
    assert_eq!(a.source, "London Daily");
    assert_eq!(a.date, NaiveDate::from_ymd_opt(2026, 1, 24));
    assert_eq!(
        a.headline,
        "Xi and Putin urge Nato to rule out expansion as Ukraine tensions rise"
    );
    let standfirst = a.standfirst.as_deref().unwrap_or_default();
    assert!(standfirst.starts_with("Chinese and Russian leaders call on west"));
    let paras = paragraphs(a);
    assert!(paras[0].starts_with("China’s Xi Jinping and Vladimir Putin of Russia"));
    assert_eq!(paras.len(), 31);
    assert!(subheadings(a).is_empty());
    // 50 lines, 44 distinct, first appearance kept in order.
    assert_eq!(a.related.len(), 44);
    assert_eq!(
        a.related[0],
        "Starmer Breaks Diplomatic Restraint With Firm Rebuke of Trump, Seizing Chance to Advocate for Europe"
    );
    let greenland = a
        .related
        .iter()
        .filter(|h| h.starts_with("The Greenland Gambit"))
        .count();
    assert_eq!(greenland, 1);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn page_chrome_never_reaches_a_field() {
    for name in ["000_d6e93279b58fa890.txt", "004_dc89d653a686152d.txt"] {
        let a = real(name).article;
        for field in fields(&a) {
            assert!(
                !CHROME.contains(&field),
                "{name}: chrome {field:?} in a field"
            );
        }
        // The headline is printed twice on the page but kept once.
        assert!(!a.body.iter().any(|b| b.text() == a.headline), "{name}");
        assert_ne!(a.standfirst.as_deref(), Some(a.headline.as_str()));
        assert!(!a.related.contains(&a.headline), "{name}");
    }
}

#[test]
fn windows_line_endings_bom_and_trailing_spaces() {
    let p = ok("crlf_bom.txt");
    let a = &p.article;
    assert_eq!(a.source, "London Daily");
    assert_eq!(a.headline, "Ministers Agree New Border Deal");
    assert_eq!(
        a.standfirst.as_deref(),
        Some("Officials said the agreement would be signed next week.")
    );
    assert_eq!(paragraphs(a).len(), 2);
    assert_eq!(a.related.len(), 2);
    assert!(
        fields(a)
            .iter()
            .all(|f| !f.ends_with(' ') && !f.contains('\r'))
    );
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn windows_1252_bytes_are_decoded_with_a_warning() {
    let p = ok("latin1.txt");
    assert_eq!(p.article.headline, "Café Owners Protest New Rules");
    assert_eq!(
        paragraphs(&p.article),
        vec!["A “quiet” protest outside the café drew a crowd."]
    );
    assert!(p.warnings.iter().any(|w| w.contains("Windows-1252")));
}

#[test]
fn a_page_without_a_trailer_keeps_its_body() {
    let p = ok("no_trailer.txt");
    assert_eq!(paragraphs(&p.article).len(), 2);
    assert!(p.article.related.is_empty());
}

#[test]
fn a_trailer_without_the_close_button_still_gives_related() {
    let p = ok("no_close.txt");
    assert_eq!(
        p.article.related,
        vec![
            "Border Talks Resume in Brussels",
            "Trade Ministers Meet in Geneva"
        ]
    );
    assert!(p.warnings.iter().any(|w| w.contains("no closing ×")));
}

#[test]
fn an_empty_related_list_is_fine() {
    let p = ok("empty_related.txt");
    assert!(p.article.related.is_empty());
    assert_eq!(paragraphs(&p.article).len(), 2);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn a_wrong_weekday_keeps_the_date_and_warns_with_the_line() {
    let p = ok("wrong_weekday.txt");
    assert_eq!(p.article.date, NaiveDate::from_ymd_opt(2025, 10, 22));
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].starts_with("line 4:"), "{}", p.warnings[0]);
    assert!(p.warnings[0].contains("Monday") && p.warnings[0].contains("Wednesday"));
}

#[test]
fn a_missing_weekday_keeps_the_date_and_warns() {
    let p = ok("no_weekday.txt");
    assert_eq!(p.article.date, NaiveDate::from_ymd_opt(2025, 10, 22));
    assert!(p.warnings.iter().any(|w| w.contains("no weekday")));
}

#[test]
fn no_dateline_gives_an_undated_article() {
    let p = ok("no_dateline.txt");
    assert_eq!(p.article.date, None);
    assert_eq!(p.article.headline, "Ministers Agree New Border Deal");
    assert_eq!(p.article.source, "London Daily");
    assert!(p.warnings.iter().any(|w| w.contains("undated")));
}

#[test]
fn empty_binary_and_headless_pages_are_skipped_with_a_reason() {
    for (name, kind, reason) in [
        ("empty.txt", Skip::Empty, "empty"),
        ("blank.txt", Skip::Empty, "empty"),
        ("nul.txt", Skip::Nul, "NUL"),
        (
            "control_junk.txt",
            Skip::Controls {
                controls: 361,
                total: 409,
            },
            "control characters",
        ),
        (
            "no_headline.txt",
            Skip::NoHeadline,
            "no recognisable headline",
        ),
    ] {
        match fixture(name) {
            Ok(p) => panic!("{name} loaded as {:?}", p.article.headline),
            Err(e) => {
                assert_eq!(e, kind, "{name}");
                assert!(e.to_string().contains(reason), "{name}: {e}");
            }
        }
    }
}

#[test]
fn the_standfirst_may_run_straight_into_the_body() {
    let p = ok("standfirst_runs_on.txt");
    assert_eq!(
        p.article.standfirst.as_deref(),
        Some("Officials said the agreement would be signed next week.")
    );
    let paras = paragraphs(&p.article);
    assert_eq!(paras.len(), 2);
    assert!(paras[0].starts_with("The deal was reached"));
    // `Newsletter` straight after the last paragraph is still the trailer.
    assert_eq!(
        paras[1],
        "Critics said the terms were vague and would need scrutiny."
    );
    assert_eq!(p.article.related.len(), 2);
}

#[test]
fn a_short_unpunctuated_line_is_a_subheading() {
    let p = ok("subheading.txt");
    assert_eq!(subheadings(&p.article), vec!["“Historic” agreement"]);
    assert_eq!(paragraphs(&p.article).len(), 2);
    // The subheading sits between the paragraphs, in page order.
    assert!(matches!(p.article.body[1], Block::Subheading(_)));
}

#[test]
fn repeated_related_lines_appear_once_in_order() {
    let p = ok("repeated_related.txt");
    assert_eq!(
        p.article.related,
        vec!["Trump’s “Board of Peace” Meets", "Greenland Gambit"]
    );
}

#[test]
fn escape_sequences_and_control_characters_are_removed_whole() {
    let p = ok("hostile.txt");
    let a = &p.article;
    assert_eq!(a.headline, "Evil Headline Here");
    assert_eq!(
        a.standfirst.as_deref(),
        Some("Standfirst with clipboard write.")
    );
    assert_eq!(
        paragraphs(a)[0],
        "Body with red and  DCS and a tab and  DEL."
    );
    assert_eq!(a.related, vec!["Related blinking story"]);
    for field in fields(a) {
        assert!(!field.chars().any(is_control), "{field:?}");
        assert!(!field.contains("pwned") && !field.contains("ZWNobyBwd25lZA"));
    }
}

#[test]
fn wide_and_combining_characters_are_kept() {
    let p = ok("wide.txt");
    assert_eq!(
        p.article.headline,
        "東京の市場が急騰 📈 as Cafe\u{301} Stocks Soar"
    );
    assert!(paragraphs(&p.article)[0].contains("👍🏽"));
}

#[test]
fn a_very_long_line_and_a_very_large_page_load() {
    let p = ok("long_line.txt");
    assert!(paragraphs(&p.article)[0].len() > 100_000);
    // A 20 MB page of ordinary paragraphs.
    let mut big =
        String::from("London Daily\n\nOct 1, 2025\n\nBig Page\n\nBig Page\n\nSummary.\n\n");
    for i in 0..200_000 {
        big.push_str(&format!(
            "Paragraph {i} has some ordinary words in it, no more.\n\n"
        ));
    }
    let p = parse_bytes(big.as_bytes()).expect("a large page loads");
    assert_eq!(p.article.body.len(), 200_000);
}

#[test]
fn a_link_line_between_masthead_and_dateline_is_the_original_address() {
    let page = "Example News\nLink: https://news.example.org/a?b=1\nMonday, Mar 3, 2025\n\nHarbour Reopens\n\nHarbour Reopens\n\nThe summary.\n\nLink: https://elsewhere.example/ is only text here.\n";
    let parsed = parse(page).expect("page");
    assert_eq!(
        parsed.article.link.as_deref(),
        Some("https://news.example.org/a?b=1")
    );
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(parsed.article.source, "Example News");
    assert_eq!(
        paragraphs(&parsed.article),
        ["Link: https://elsewhere.example/ is only text here."]
    );
    // The header alone reads the same link.
    let head = broadsheet::article::parse_head(page.as_bytes()).expect("a plain header");
    assert_eq!(head.link, parsed.article.link);
    // London Daily's tagline, a link that is no web address, or one after the dateline: none.
    for page in [
        "London Daily\n\nFocus on the big picture.\nMonday, Mar 3, 2025\n\nA\n\nA\n\nText.\n",
        "Example\nLink: file:///etc/passwd\nMonday, Mar 3, 2025\n\nA\n\nA\n\nText.\n",
        "Example\nMonday, Mar 3, 2025\nLink: https://late.example/\n\nA\n\nA\n\nText.\n",
    ] {
        assert_eq!(parse(page).expect("page").article.link, None, "{page}");
    }
}
