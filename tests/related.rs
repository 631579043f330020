//! Related stories: publisher links resolved exactly and fuzzily (only when near-identical and
//! unique), backlinks as their exact inverse, similar stories by content (precision on a
//! generated library with known topics and stories), and story threads in date order.

mod common;

use std::collections::HashMap;
use std::path::Path;

use broadsheet::generate::{STORY_SIZE, facts};
use broadsheet::library::Library;
use broadsheet::loader::load;
use broadsheet::related::{Relations, SIMILAR_MIN};
use common::{page_with, write};
use tempfile::TempDir;

fn build(library: &Library) -> Relations {
    Relations::build(library, &|_| {})
}

fn index_of(library: &Library, headline: &str) -> usize {
    let found = library.find_headline(headline);
    assert_eq!(found.len(), 1, "one article is headed {headline:?}");
    found[0]
}

const BODY: &str = "A paragraph of text about the matter at hand.";

/// The page whose related list tries every kind of match, and the articles it may name.
fn resolution_folder() -> TempDir {
    let dir = TempDir::new().expect("tempdir");
    let d = dir.path();
    let related = [
        // Straight for curly quotes, a hyphen for an em dash: the same headline.
        "Trade Talks “Stall” — Again",
        // The local article has no subtitle.
        "Markets Rally on Summit Hopes: What Traders Say",
        // One letter dropped from one long word.
        "Parliment Approves Budget Plan",
        // One different word, or a different number, is a different story.
        "Putin Hails Relations With Japan",
        "Budget Deficit Hits 2025 High",
        // Nothing like it here.
        "Weather Warning Issued as Storm Approaches",
        // Two local articles fit: no guess.
        "Ministers Agree Border Deal: Day One",
        // The page itself.
        "Leaders Meet in Geneva",
        // Listed twice, kept once.
        "Trade Talks \"Stall\" - Again",
    ];
    let pages = [
        ("geneva.txt", "Leaders Meet in Geneva", &related[..]),
        ("trade.txt", "Trade Talks \"Stall\" - Again", &[][..]),
        ("markets.txt", "Markets Rally on Summit Hopes", &[]),
        ("budget.txt", "Parliament Approves Budget Plan", &[]),
        ("china.txt", "Putin Hails Relations With China", &[]),
        ("deficit.txt", "Budget Deficit Hits 2026 High", &[]),
        ("border1.txt", "Ministers Agree Border Deal!", &[]),
        ("border2.txt", "Ministers agree border deals", &[]),
    ];
    for (name, headline, related) in pages {
        let text = page_with(headline, "Monday, Mar 3, 2025", "A summary.", BODY, related);
        write(d, name, &text);
    }
    dir
}

#[test]
fn related_headlines_resolve_exactly_or_when_near_identical_and_unique() {
    let dir = resolution_folder();
    let library = load(dir.path()).expect("load");
    let relations = build(&library);
    let geneva = index_of(&library, "Leaders Meet in Geneva");
    let article = library.text(geneva).expect("held");
    let resolved: Vec<(&str, Option<&str>)> = article
        .related
        .iter()
        .zip(relations.related(geneva))
        .map(|(h, t)| (h.as_str(), t.map(|t| library.articles().headline(t))))
        .collect();
    assert_eq!(
        resolved,
        [
            (
                "Trade Talks “Stall” — Again",
                Some("Trade Talks \"Stall\" - Again")
            ),
            (
                "Markets Rally on Summit Hopes: What Traders Say",
                Some("Markets Rally on Summit Hopes")
            ),
            (
                "Parliment Approves Budget Plan",
                Some("Parliament Approves Budget Plan")
            ),
            ("Putin Hails Relations With Japan", None),
            ("Budget Deficit Hits 2025 High", None),
            ("Weather Warning Issued as Storm Approaches", None),
            ("Ministers Agree Border Deal: Day One", None),
            ("Leaders Meet in Geneva", None),
        ],
        "the repeated trade line appears once; the page never links to itself"
    );
}

#[test]
fn backlinks_are_the_exact_inverse_of_resolved_links() {
    let library = broadsheet::generate::library(300, 5);
    let relations = build(&library);
    let mut forward: Vec<(usize, usize)> = Vec::new();
    for a in 0..library.len() {
        for t in relations.related(a).flatten() {
            assert_ne!(t, a, "an article never links to itself");
            forward.push((a, t));
        }
    }
    let mut backward: Vec<(usize, usize)> = Vec::new();
    for t in 0..library.len() {
        let from: Vec<usize> = relations.linked_from(t).collect();
        assert!(
            from.windows(2).all(|w| w[0] < w[1]),
            "reading order, once each"
        );
        backward.extend(from.into_iter().map(|a| (a, t)));
    }
    forward.sort_unstable();
    forward.dedup();
    backward.sort_unstable();
    assert!(
        forward.len() > 1000,
        "the generated pages link to each other"
    );
    assert_eq!(forward, backward);
}

/// The generated article a loaded one is (its headline ends with its number).
fn generated_number(library: &Library, index: usize) -> usize {
    let headline = &library.articles().headline(index);
    headline
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a generated headline ends with its number")
}

#[test]
fn similar_articles_share_the_topic_and_the_story_comes_first() {
    const SEED: u64 = 11;
    let library = broadsheet::generate::library(600, SEED);
    let relations = build(&library);
    let mut same_topic = 0;
    let mut returned = 0;
    let mut storymates_found = 0;
    for a in 0..library.len() {
        let this = facts(SEED, generated_number(&library, a));
        let similar = relations.similar(&library, a, 5, SIMILAR_MIN);
        assert!(similar.iter().all(|&(d, _)| d != a), "never itself");
        assert!(similar.windows(2).all(|w| w[0].1 >= w[1].1), "best first");
        for (rank, &(d, _)) in similar.iter().enumerate() {
            let other = facts(SEED, generated_number(&library, d));
            returned += 1;
            same_topic += usize::from(other.topic == this.topic);
            if rank < STORY_SIZE - 1 && other.story == this.story {
                storymates_found += 1;
            }
        }
    }
    let precision = same_topic as f64 / returned as f64;
    let story_recall = storymates_found as f64 / (library.len() * (STORY_SIZE - 1)) as f64;
    // Measured: precision at 5 is 1.0 and every report's four story-mates rank first.
    assert!(precision >= 0.98, "topic precision at 5: {precision}");
    assert!(
        story_recall >= 0.98,
        "story-mates ranked first: {story_recall}"
    );
}

#[test]
fn the_two_bundled_pages_are_each_others_top_match_and_an_unrelated_one_has_none() {
    let dir = TempDir::new().expect("tempdir");
    for entry in std::fs::read_dir("articles").expect("articles") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy");
    }
    let only_bundled = load(Path::new("articles")).expect("load");
    let relations = build(&only_bundled);
    for (a, b) in [(0, 1), (1, 0)] {
        let similar = relations.similar(&only_bundled, a, 5, SIMILAR_MIN);
        assert_eq!(similar.first().map(|s| s.0), Some(b));
    }

    let gardening = page_with(
        "Gardeners Prepare Roses for an Early Frost",
        "Tuesday, Oct 21, 2025",
        "Mulch, fleece and patience protect the flower beds.",
        "Allotment holders spread mulch around the roses and pruned the hedges before the \
         frost. Seed catalogues sold out of tulip bulbs, and the compost heaps steamed.",
        &[],
    );
    write(dir.path(), "gardening.txt", &gardening);
    let library = load(dir.path()).expect("load");
    let relations = build(&library);
    let garden = index_of(&library, "Gardeners Prepare Roses for an Early Frost");
    assert_eq!(relations.similar(&library, garden, 5, SIMILAR_MIN), []);
    let putin = index_of(
        &library,
        "Russian President Vladimir Putin Hails \"Model\" Relations With China",
    );
    let top = relations.similar(&library, putin, 5, SIMILAR_MIN);
    assert_eq!(top.len(), 1, "{top:?}");
    assert_eq!(
        library.articles().headline(top[0].0),
        "Xi and Putin urge Nato to rule out expansion as Ukraine tensions rise"
    );
}

#[test]
fn a_thread_is_the_story_in_date_order() {
    const SEED: u64 = 4;
    let library = broadsheet::generate::library(400, SEED);
    let relations = build(&library);
    let mut by_story: HashMap<usize, Vec<usize>> = HashMap::new();
    for a in 0..library.len() {
        let story = facts(SEED, generated_number(&library, a)).story;
        by_story.entry(story).or_default().push(a);
    }
    for a in 0..library.len() {
        let thread = relations.thread(&library, a);
        assert!(thread.contains(&a));
        let dates: Vec<_> = thread
            .iter()
            .map(|&i| library.head(i).expect("article").date)
            .collect();
        assert!(
            dates.windows(2).all(|w| w[0] <= w[1]),
            "oldest first: {dates:?}"
        );
        let story = facts(SEED, generated_number(&library, a)).story;
        let mut mates = by_story[&story].clone();
        mates.sort_unstable();
        let mut members = thread.clone();
        members.sort_unstable();
        assert_eq!(
            members, mates,
            "the thread is the story, no more and no less"
        );
    }
}
