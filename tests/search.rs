//! Search: the query language (prefix while typing, phrases, accents and case, every filter,
//! the empty query), ranking on a fixture whose right order is known, highlight positions on
//! wide and combining characters, the reader's prompt (each key updates the list, Esc brings
//! the old selection back, no hits said so, hits in the article), the sort key, and the
//! `search` command's outputs.

mod common;

use assert_cmd::Command;
use broadsheet::action::Action;
use broadsheet::app::layout::Focus;
use broadsheet::app::list::Order;
use broadsheet::app::message::SearchJob;
use broadsheet::app::{App, Effect};
use broadsheet::bookmarks::{Bookmark, Bookmarks, ReadingState};
use broadsheet::index::Index;
use broadsheet::jobs;
use broadsheet::key::Key;
use broadsheet::library::Library;
use broadsheet::loader::load;
use broadsheet::search::{Query, Searcher};
use common::{app_on, indexing, page_with, press, step, type_text, write};
use crossterm::event::{KeyCode, KeyModifiers};
use serde_json::Value;
use tempfile::TempDir;

/// Two identical bodies that name the harbour once, so that only their dates tell them apart.
const ONCE: &str = "Boats came and went from the harbour all week while crews painted hulls.";

/// A folder where the right answers are known.
fn fixture() -> TempDir {
    let dir = TempDir::new().expect("tempdir");
    let pages = [
        (
            "headline.txt",
            "Harbour Wall Repaired at Last",
            "Monday, Mar 3, 2025",
            "Engineers finished the work.",
            "The council paid for stone from the quarry and the work took a year.",
        ),
        (
            "many.txt",
            "Fishermen Count Their Losses",
            "Saturday, Jan 10, 2026",
            "A hard winter for the fleet.",
            "The harbour froze. The harbour master closed the harbour, and the harbour \
             stayed shut for a week.",
        ),
        (
            "older.txt",
            "Painters Return to Work",
            "Sunday, Feb 1, 2026",
            "Spring comes early.",
            ONCE,
        ),
        (
            "newer.txt",
            "Painters Return to Boats",
            "Monday, Feb 2, 2026",
            "Spring comes early.",
            ONCE,
        ),
        (
            "rates.txt",
            "Central Bank Raises Interest Rates",
            "Thursday, Oct 2, 2025",
            "Borrowing costs climb.",
            "The bank said interest rates would stay high into next year.",
        ),
        (
            "rates-apart.txt",
            "Savers Watch the Rates",
            "Wednesday, Oct 1, 2025",
            "Deposit rates and loans.",
            "Rates of interest on savings accounts rose for the third month.",
        ),
        (
            "cafe.txt",
            "CAFÉ Owners Protest New Rules",
            "Tuesday, Dec 30, 2025",
            "Coffee shops in the square.",
            "Owners of the cafe on the square said the rules came without warning.",
        ),
    ];
    for (name, headline, dateline, summary, body) in pages {
        write(
            dir.path(),
            name,
            &page_with(headline, dateline, summary, body, &[]),
        );
    }
    dir
}

fn library(dir: &TempDir) -> Library {
    load(dir.path()).expect("load")
}

/// The headlines a query finds, best first.
fn found(library: &Library, query: &str, typing: bool) -> Vec<String> {
    let index = Index::build(library, &|_| {});
    Searcher::default()
        .run(&index, &Query::parse(query, typing))
        .into_iter()
        .map(|h| library.articles().headline(h.article).to_string())
        .collect()
}

#[test]
fn the_last_word_is_a_prefix_only_while_typing() {
    let dir = fixture();
    let library = library(&dir);
    assert_eq!(
        found(&library, "council quar", true),
        ["Harbour Wall Repaired at Last"]
    );
    assert!(found(&library, "council quar", false).is_empty());
    // A word before the last is a whole word, even while typing.
    assert!(found(&library, "quar council", true).is_empty());
    // A space ends the word.
    assert!(found(&library, "quar ", true).is_empty());
    // One letter waits for another.
    assert_eq!(Query::parse("q", true), Query::parse("", true));
}

#[test]
fn phrases_need_their_words_together_and_in_order() {
    let dir = fixture();
    let library = library(&dir);
    assert_eq!(
        found(&library, "interest rates", false),
        [
            "Central Bank Raises Interest Rates",
            "Savers Watch the Rates"
        ]
    );
    assert_eq!(
        found(&library, "\"interest rates\"", false),
        ["Central Bank Raises Interest Rates"]
    );
    assert_eq!(
        found(&library, "\"rates of interest\"", false),
        ["Savers Watch the Rates"],
        "a stop word inside the phrase is passed over the same way on both sides"
    );
    // An open quote while typing is a phrase so far.
    assert_eq!(
        found(&library, "\"interest rates", true),
        ["Central Bank Raises Interest Rates"]
    );
}

#[test]
fn case_and_accents_do_not_matter() {
    let dir = fixture();
    let library = library(&dir);
    for query in ["cafe", "CAFÉ", "Café", "cafè", "Cafe\u{301}"] {
        assert_eq!(
            found(&library, query, false),
            ["CAFÉ Owners Protest New Rules"],
            "{query}"
        );
    }
}

#[test]
fn ranking_puts_headline_hits_first_then_bm25_then_newer() {
    let dir = fixture();
    let library = library(&dir);
    assert_eq!(
        found(&library, "harbour", false),
        [
            // In the headline, though older and said once.
            "Harbour Wall Repaired at Last",
            // Four times in the body.
            "Fishermen Count Their Losses",
            // Once each, same length: the newer first.
            "Painters Return to Boats",
            "Painters Return to Work",
        ]
    );
}

#[test]
fn date_filters_take_a_year_a_month_or_a_day() {
    let dir = fixture();
    let library = library(&dir);
    let dated = |query: &str| -> Vec<String> {
        let query = Query::parse(query, false);
        assert!(query.problems.is_empty(), "{:?}", query.problems);
        library
            .articles()
            .iter()
            .filter(|&a| query.admits(a, false, false))
            .map(|a| a.date.expect("dated").to_string())
            .collect()
    };
    assert_eq!(dated("after:2026-02"), ["2026-02-02", "2026-02-01"]);
    assert_eq!(
        dated("before:2025-10-02"),
        ["2025-10-01", "2025-03-03"],
        "before a day leaves that day out"
    );
    assert_eq!(
        dated("after:2025-10-02 before:2026"),
        ["2025-12-30", "2025-10-02"],
        "after a day takes it in"
    );
    assert_eq!(dated("before:2025").len(), 0);
    let bad = Query::parse("after:2025-13 before:soon is:starred", false);
    assert_eq!(bad.problems.len(), 3, "{:?}", bad.problems);
    assert!(bad.problems[0].starts_with("after:2025-13:"));
}

fn app(dir: &TempDir) -> App {
    let mut app = app_on(library(dir), 120, 40);
    common::index(&mut app);
    app
}

fn key(app: &mut App, code: KeyCode) {
    press(app, code);
}

/// The headlines the list shows, top to bottom.
fn listed(app: &App) -> Vec<String> {
    (0..app.list().rows())
        .filter_map(|row| app.list().article_at(row))
        .map(|i| app.library().articles().headline(i).to_string())
        .collect()
}

fn selected_headline(app: &App) -> String {
    let i = app.list().selected_article().expect("a selection");
    app.library().articles().headline(i).to_string()
}

#[test]
fn every_key_updates_the_list_and_esc_brings_back_the_old_selection() {
    let dir = fixture();
    let mut app = app(&dir);
    for _ in 0..3 {
        step(&mut app, Action::ScrollDown);
    }
    let before = selected_headline(&app);
    step(&mut app, Action::Search);
    let mut counts = Vec::new();
    for c in "harbour".chars() {
        key(&mut app, KeyCode::Char(c));
        counts.push(app.list().rows());
    }
    // `h` waits for a second letter; `ha` begins harbour and nothing else does.
    assert_eq!(counts, [7, 4, 4, 4, 4, 4, 4]);
    assert_eq!(app.search_status(), "4 matches");
    assert_eq!(selected_headline(&app), "Harbour Wall Repaired at Last");
    key(&mut app, KeyCode::Esc);
    assert!(app.prompt().is_none());
    assert!(app.list().search().is_none());
    assert_eq!(app.list().rows(), 7);
    assert_eq!(selected_headline(&app), before);
}

#[test]
fn enter_keeps_the_results_and_esc_in_the_list_clears_them() {
    let dir = fixture();
    let mut app = app(&dir);
    step(&mut app, Action::Search);
    type_text(&mut app, "painters");
    key(&mut app, KeyCode::Enter);
    assert!(app.prompt().is_none());
    assert_eq!(app.focus(), Focus::List);
    assert_eq!(
        listed(&app),
        ["Painters Return to Boats", "Painters Return to Work"]
    );
    // The article opens with its hits, and the hit keys scroll to them.
    step(&mut app, Action::ScrollDown);
    step(&mut app, Action::Open);
    // Hits: the headline (in view already) and the link to the other report at the end.
    step(&mut app, Action::NextHit);
    assert_eq!(app.message(), Some("Hit 2 of 2"));
    let page = app.page().expect("open");
    let shown = &page.lines[app.scroll()..];
    assert!(shown.iter().take(5).any(|l| l.text.contains("Painters")));
    step(&mut app, Action::NextHit);
    assert_eq!(app.message(), Some("No more hits below"));
    step(&mut app, Action::PreviousHit);
    assert_eq!(app.message(), Some("Hit 1 of 2"));
    step(&mut app, Action::Close);
    // The search stays until Esc in the list, which keeps the article selected.
    step(&mut app, Action::Close);
    assert!(app.list().search().is_none());
    assert_eq!(app.list().rows(), 7);
    assert_eq!(selected_headline(&app), "Painters Return to Work");
}

#[test]
fn a_search_with_no_hits_says_so_in_the_list() {
    let dir = fixture();
    let mut app = app(&dir);
    step(&mut app, Action::Search);
    type_text(&mut app, "zeppelin");
    assert_eq!(app.list().rows(), 0);
    assert_eq!(app.search_status(), "no matches");
    step(
        &mut app,
        Action::Input(Key::new(KeyCode::Enter, KeyModifiers::NONE)),
    );
    step(&mut app, Action::Open);
    assert_eq!(app.message(), Some("No article matches the search"));
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("terminal");
    terminal
        .draw(|f| broadsheet::ui::render(&app, f))
        .expect("draw");
    let screen = terminal.backend().to_string();
    assert!(screen.contains("No articles match zeppelin"), "{screen}");
    // An empty query lists everything.
    step(&mut app, Action::Search);
    step(
        &mut app,
        Action::Input(Key::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
    );
    assert_eq!(app.list().rows(), 7);
    assert!(app.list().search().is_none());
}

#[test]
fn is_filters_use_the_bookmarks_and_the_read_state() {
    let dir = fixture();
    let mut app = app(&dir);
    let article = |app: &App, headline: &str| {
        app.library()
            .articles()
            .iter()
            .find(|a| a.headline == headline)
            .expect("article")
            .to_article()
    };
    let rates = article(&app, "Central Bank Raises Interest Rates");
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-20T09:00:00+00:00").expect("t");
    let mut state = ReadingState::default();
    state.read.insert(rates.id.clone());
    app.load_saved(
        Ok(Bookmarks {
            list: vec![Bookmark::new(rates.head(), now)],
        }),
        Ok(state),
    );
    step(&mut app, Action::Search);
    type_text(&mut app, "is:bookmarked");
    assert_eq!(listed(&app), ["Central Bank Raises Interest Rates"]);
    key(&mut app, KeyCode::Esc);
    step(&mut app, Action::Search);
    type_text(&mut app, "rates is:unread");
    assert_eq!(listed(&app), ["Savers Watch the Rates"]);
    key(&mut app, KeyCode::Esc);
    step(&mut app, Action::Search);
    type_text(&mut app, "is:read after:2025-10");
    assert_eq!(listed(&app), ["Central Bank Raises Interest Rates"]);
}

#[test]
fn the_sort_key_cycles_the_order_and_keeps_the_selection() {
    let dir = fixture();
    let mut app = app(&dir);
    step(&mut app, Action::ScrollDown);
    let selected = selected_headline(&app);
    step(&mut app, Action::CycleOrder);
    assert_eq!(app.list().order(), Order::Oldest);
    assert_eq!(listed(&app)[0], "Harbour Wall Repaired at Last");
    assert_eq!(selected_headline(&app), selected);
    step(&mut app, Action::CycleOrder);
    assert_eq!(app.list().order(), Order::Headline);
    assert_eq!(
        listed(&app),
        [
            "CAFÉ Owners Protest New Rules",
            "Central Bank Raises Interest Rates",
            "Fishermen Count Their Losses",
            "Harbour Wall Repaired at Last",
            "Painters Return to Boats",
            "Painters Return to Work",
            "Savers Watch the Rates"
        ]
    );
    // By source (one here: see the next test), keeping the selection.
    step(&mut app, Action::CycleOrder);
    assert_eq!(app.list().order(), Order::Source);
    let sources: Vec<String> = (0..app.list().rows())
        .filter_map(|r| app.list().article_at(r))
        .map(|i| {
            app.library()
                .articles()
                .get(i)
                .expect("article")
                .source
                .to_lowercase()
        })
        .collect();
    assert!(sources.is_sorted(), "{sources:?}");
    assert_eq!(selected_headline(&app), selected);
    // Unread first: the newest one read goes last; the others keep newest first.
    step(&mut app, Action::CycleOrder);
    assert_eq!(app.list().order(), Order::UnreadFirst);
    let newest_first = listed(&app);
    step(&mut app, Action::Top);
    step(&mut app, Action::ToggleRead);
    for _ in 0..5 {
        step(&mut app, Action::CycleOrder);
    }
    assert_eq!(app.list().order(), Order::UnreadFirst, "a whole cycle");
    let unread_first = listed(&app);
    assert_eq!(unread_first.last(), newest_first.first());
    assert_eq!(unread_first[..6], newest_first[1..]);
    step(&mut app, Action::CycleOrder);
    assert_eq!(app.list().order(), Order::Newest);
    assert_eq!(listed(&app)[0], "Painters Return to Boats");
    // While searching, best match is one of the orders.
    step(&mut app, Action::Search);
    type_text(&mut app, "harbour");
    assert_eq!(app.list().order(), Order::Relevance);
    key(&mut app, KeyCode::Enter);
    step(&mut app, Action::CycleOrder);
    assert_eq!(app.list().order(), Order::Newest);
    assert_eq!(
        listed(&app),
        [
            "Painters Return to Boats",
            "Painters Return to Work",
            "Fishermen Count Their Losses",
            "Harbour Wall Repaired at Last"
        ]
    );
}

#[test]
fn highlights_cover_whole_characters_wide_and_combining() {
    let text = "東京 Cafe\u{301} owners, CAFÉS and cafés";
    let hits = Query::parse("café", false).highlighter().hits(text);
    let words: Vec<&str> = hits.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(words, ["Cafe\u{301}", "CAFÉS", "cafés"]);
    let hits = Query::parse("東京", false).highlighter().hits(text);
    let words: Vec<&str> = hits.iter().map(|r| &text[r.clone()]).collect();
    assert_eq!(words, ["東", "京"]);
    // Drawn, the wide characters are bold and the space after them is not; the accent
    // stays in the cell of the letter it sits on, bold with it.
    let mut hits = hits;
    hits.extend(Query::parse("café", false).highlighter().hits(text));
    let spans = broadsheet::ui::highlighted(
        text,
        &hits,
        ratatui::style::Style::new().add_modifier(ratatui::style::Modifier::BOLD),
    );
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(30, 1)).expect("terminal");
    terminal
        .draw(|f| {
            f.render_widget(
                ratatui::widgets::Paragraph::new(ratatui::text::Line::from(spans)),
                f.area(),
            )
        })
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let cell = |x: u16| {
        let c = &buffer[(x, 0)];
        (
            c.symbol().to_string(),
            c.modifier.contains(ratatui::style::Modifier::BOLD),
        )
    };
    assert_eq!(cell(0), ("東".into(), true));
    assert_eq!(cell(2), ("京".into(), true));
    assert_eq!(cell(4), (" ".into(), false));
    assert_eq!(cell(5), ("C".into(), true));
    assert_eq!(cell(8), ("e\u{301}".into(), true));
    assert_eq!(cell(9), (" ".into(), false));
}

fn cli(dir: &TempDir, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("broadsheet")
        .expect("binary")
        // Its own caches, never the user's (a dot folder is not walked for pages).
        .env("XDG_CACHE_HOME", dir.path().join(".cache"))
        .arg("--articles")
        .arg(dir.path())
        .args(args)
        .output()
        .expect("run")
}

#[test]
fn the_search_command_prints_hits_best_first_as_text_and_json() {
    let dir = fixture();
    let out = cli(&dir, &["search", "harbour", "after:2026"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "fishermen-count-their-losses\t2026-01-10\tFishermen Count Their Losses\n\
         painters-return-to-boats\t2026-02-02\tPainters Return to Boats\n\
         painters-return-to-work\t2026-02-01\tPainters Return to Work\n"
    );
    let out = cli(&dir, &["search", "harbour", "--json", "--limit", "2"]);
    let hits: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(hits.len(), 2);
    let first = hits[0].as_object().expect("object");
    let mut keys: Vec<&str> = first.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["date", "headline", "id", "score", "snippet", "time"]);
    assert_eq!(first["id"], "harbour-wall-repaired-at-last");
    assert_eq!(first["date"], "2025-03-03");
    assert!(first["score"].as_f64().expect("score") > 0.0);
    // The snippet comes from the body around its first hit.
    let snippet = hits[1]["snippet"].as_str().expect("snippet");
    assert!(snippet.starts_with("The harbour froze."), "{snippet}");
    // Only a filter: everything it lets through, newest first.
    let out = cli(&dir, &["search", "before:2025-10-02"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.split('\t').next().unwrap_or(""))
            .collect::<Vec<_>>(),
        ["savers-watch-the-rates", "harbour-wall-repaired-at-last"]
    );
    // A filter that means nothing is a usage error.
    let out = cli(&dir, &["search", "after:someday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("after:someday"));
    // No hits: nothing printed, and an empty array.
    let out = cli(&dir, &["search", "zeppelin", "--json"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

#[test]
fn off_the_drawing_thread_only_the_newest_answer_shows() {
    let dir = fixture();
    let mut app = app(&dir);
    step(&mut app, Action::Search);
    // Typed without running the searches the keys ask for: each key asks for its own.
    let type_unanswered = |app: &mut App, text: &str| -> Vec<SearchJob> {
        text.chars()
            .flat_map(|c| {
                app.update(Action::Input(Key::new(
                    KeyCode::Char(c),
                    KeyModifiers::NONE,
                )))
            })
            .filter_map(|e| match e {
                Effect::Search(job) => Some(job),
                _ => None,
            })
            .collect()
    };
    let first = type_unanswered(&mut app, "harbour")
        .pop()
        .expect("a request");
    let newest = type_unanswered(&mut app, " week")
        .pop()
        .expect("a newer request");
    assert_eq!(app.search_status(), "searching…");
    let answer = |job: SearchJob| jobs::search(&mut Searcher::default(), job);
    let (old, new) = (answer(first), answer(newest));
    // The newer answer shows; the older one, arriving late, is dropped.
    step(&mut app, new);
    assert_eq!(
        listed(&app),
        [
            "Fishermen Count Their Losses",
            "Painters Return to Boats",
            "Painters Return to Work"
        ]
    );
    step(&mut app, old);
    assert_eq!(app.list().rows(), 3);
    assert_eq!(
        app.list().search().map(|s| s.text.as_str()),
        Some("harbour week")
    );
}

#[test]
fn a_search_before_the_index_is_built_waits_for_it() {
    let dir = fixture();
    let mut app = App::new(library(&dir), &common::config(""), 120, 40);
    indexing(&mut app, 2);
    step(&mut app, Action::Search);
    type_text(&mut app, "harbour");
    assert_eq!(app.list().rows(), 0);
    assert_eq!(
        app.search_status(),
        "indexing 28%: results come when it is done"
    );
    // Filters alone need no index.
    key(&mut app, KeyCode::Esc);
    step(&mut app, Action::Search);
    type_text(&mut app, "after:2026");
    assert_eq!(app.list().rows(), 3);
    key(&mut app, KeyCode::Esc);
    step(&mut app, Action::Search);
    type_text(&mut app, "harbour");
    common::index(&mut app);
    assert_eq!(app.list().rows(), 4);
}

#[test]
fn source_filters_by_the_name_of_the_source_in_the_reader_and_the_command() {
    let dir = TempDir::new().expect("tempdir");
    let page = |source: &str, headline: &str| {
        format!(
            "{source}\n\nMonday, Mar 3, 2025\n\n{headline}\n\n{headline}\n\nThe summary.\n\nThe harbour story.\n"
        )
    };
    write(
        dir.path(),
        "a.txt",
        &page("The Atom Times", "Harbour reopens in the Times"),
    );
    write(
        dir.path(),
        "b.txt",
        &page("London Daily", "Harbour reopens in the Daily"),
    );
    write(
        dir.path(),
        "c.txt",
        &page("Harbour & Coast News", "Harbour reopens on the coast"),
    );
    let query = Query::parse("source:atom", false);
    assert_eq!(query.sources, ["atom"]);
    assert!(query.has_filters() && !query.has_words());
    let empty = Query::parse("source:", false);
    assert!(empty.problems[0].starts_with("source:: source: takes a name"));

    // In the reader, as typed: one source, and the words and the source together.
    let mut app = app(&dir);
    step(&mut app, Action::Search);
    type_text(&mut app, "source:atom");
    assert_eq!(listed(&app), ["Harbour reopens in the Times"]);
    key(&mut app, KeyCode::Esc);
    step(&mut app, Action::Search);
    type_text(&mut app, "harbour source:harbour-coast source:LONDON");
    let mut found = listed(&app);
    found.sort();
    assert_eq!(
        found,
        [
            "Harbour reopens in the Daily",
            "Harbour reopens on the coast"
        ]
    );

    // The command answers the same.
    let out = cli(&dir, &["search", "harbour", "source:times"]);
    assert!(out.status.success());
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect();
    assert_eq!(ids, ["harbour-reopens-in-the-times"]);
}

/// Every filter takes its value in quotes, so a source whose name has a space is found by its
/// name as written: `source:"world press"`, in the reader (while the quote is still open, too)
/// and from the command line.
#[test]
fn a_filter_value_may_be_quoted() {
    let dir = TempDir::new().expect("tempdir");
    let page = |source: &str, headline: &str, dateline: &str| {
        format!(
            "{source}\n\n{dateline}\n\n{headline}\n\n{headline}\n\nThe summary.\n\nThe harbour story.\n"
        )
    };
    write(
        dir.path(),
        "a.txt",
        &page("World Press", "Harbour in the press", "Monday, Mar 3, 2025"),
    );
    write(
        dir.path(),
        "b.txt",
        &page(
            "London Daily",
            "Harbour in the daily",
            "Monday, Mar 10, 2025",
        ),
    );
    let query = Query::parse(r#"source:"world press" harbour"#, false);
    assert_eq!(query.sources, ["worldpress"]);
    assert!(query.problems.is_empty(), "{:?}", query.problems);
    assert_eq!(query.words.len(), 1);
    let dated = Query::parse(r#"after:"2025-03-05" is:"unread" "harbour story""#, false);
    assert!(dated.problems.is_empty(), "{:?}", dated.problems);
    assert_eq!(
        dated.after.map(|d| d.to_string()).as_deref(),
        Some("2025-03-05")
    );
    assert!(dated.unread);
    assert_eq!(dated.phrases.len(), 1);
    // A quote after a word that is no filter is a phrase, as before.
    let phrase = Query::parse(r#"harbour:"press story""#, false);
    assert!(phrase.sources.is_empty() && phrase.phrases.len() == 1);

    let mut app = app(&dir);
    step(&mut app, Action::Search);
    type_text(&mut app, r#"source:"world pr"#);
    assert_eq!(listed(&app), ["Harbour in the press"]);
    type_text(&mut app, r#"ess""#);
    assert_eq!(listed(&app), ["Harbour in the press"]);
    assert!(!app.search_status().contains("takes a name"));

    let out = cli(&dir, &["search", r#"source:"World Press""#]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap_or("").to_string())
        .collect();
    assert_eq!(ids, ["harbour-in-the-press"]);
}

/// A query of only stop words matches nothing and says so, in the reader (typed or entered)
/// and from the command line alike; with another word, the stop words are just left out.
#[test]
fn a_query_of_only_common_words_says_so_and_matches_nothing() {
    let dir = fixture();
    let mut app = app(&dir);
    step(&mut app, Action::Search);
    for c in "the".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    assert_eq!(app.list().rows(), 0, "{:?}", listed(&app));
    assert!(
        app.search_status().contains("too common"),
        "{}",
        app.search_status()
    );
    for c in " of".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.list().rows(), 0);
    assert_eq!(
        app.search_status(),
        "the of: too common to search for; add a less common word"
    );

    for args in [
        &["search", "the"][..],
        &["search", "the", "of"],
        &["search", "\"of the\""],
    ] {
        let out = cli(&dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing listed");
        assert!(String::from_utf8_lossy(&out.stderr).contains("too common"));
    }
    let with_word = cli(&dir, &["search", "the", "harbour"]);
    let plain = cli(&dir, &["search", "harbour"]);
    assert!(with_word.status.success());
    assert_eq!(with_word.stdout, plain.stdout);
    assert!(!plain.stdout.is_empty());
}

/// `A` marks every listed article read: a search's hits only, while one is in force.
#[test]
fn mark_all_read_marks_what_the_list_shows() {
    let dir = fixture();
    let mut app = app(&dir);
    step(&mut app, Action::Search);
    for c in "harbour".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    let hits = app.list().rows();
    assert!(hits > 0 && hits < app.library().len());
    step(&mut app, Action::MarkAllRead);
    let read = |app: &App| {
        (0..app.library().len())
            .filter(|&i| app.marks().is_read(i))
            .count()
    };
    assert_eq!(read(&app), hits);
    assert_eq!(
        app.message(),
        Some(format!("Marked {hits} articles read").as_str())
    );
    step(&mut app, Action::Close);
    assert!(app.list().search().is_none());
    step(&mut app, Action::MarkAllRead);
    assert_eq!(read(&app), app.library().len());
    step(&mut app, Action::MarkAllRead);
    assert_eq!(app.message(), Some("Every listed article is read already"));
    // One `u` takes back the whole of the last `A` (issue 29): the rest that it marked
    // are unread again, and the search's hits still read.
    step(&mut app, Action::Undo);
    assert_eq!(
        app.message(),
        Some("Undone: marking every listed article read")
    );
    assert_eq!(read(&app), hits);
    step(&mut app, Action::Undo);
    assert_eq!(read(&app), 0);
}

/// A date being typed that does not parse yet (`after:2`, `after:202`, `after:2026-`) says
/// "date incomplete" and filters nothing until it parses; typed in full, or from the command
/// line, a year of fewer than four digits is an error, never the year 202.
#[test]
fn an_unfinished_date_says_so_and_filters_nothing() {
    for unfinished in ["after:2", "after:202", "before:2026-", "after:2026-02-"] {
        let query = Query::parse(unfinished, true);
        assert_eq!(query.problems, [format!("{unfinished}: date incomplete")]);
        assert!(!query.has_filters(), "{unfinished}");
        let done = Query::parse(unfinished, false);
        assert!(
            done.problems
                .first()
                .is_some_and(|p| p.contains("a date is YYYY")),
            "{unfinished}: {:?}",
            done.problems
        );
    }
    assert!(Query::parse("after:2026-02", true).problems.is_empty());
    let dir = fixture();
    let mut app = app(&dir);
    let all = app.list().rows();
    step(&mut app, Action::Search);
    for c in "after:202".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    assert_eq!(app.search_status(), "after:202: date incomplete");
    assert_eq!(app.list().rows(), all, "filters nothing yet");
    for c in "6-02".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    assert_eq!(app.list().rows(), 2, "{:?}", listed(&app));
    assert_eq!(app.search_status(), "2 matches");
}

/// A headline too long for the list keeps a matched word near its end in view, cut at its
/// start instead (`…`).
#[test]
fn a_match_at_the_end_of_a_long_headline_stays_in_view() {
    let dir = TempDir::new().expect("tempdir");
    common::write(
        dir.path(),
        "long.txt",
        &common::page_with(
            "Ministers gather at the lakeside conference centre for a long day of talks on zeppelins",
            "Monday, Jan 5, 2026",
            "A summary.",
            "Text.",
            &[],
        ),
    );
    let library = broadsheet::loader::load(dir.path()).expect("load");
    let mut app = app_on(library, 100, 20);
    common::index(&mut app);
    let row = |app: &App| {
        common::screen(app)
            .lines()
            .nth(1)
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        !row(&app).contains("zeppelins"),
        "cut without a search: {}",
        row(&app)
    );
    step(&mut app, Action::Search);
    for c in "zeppelin".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    let shown = row(&app);
    assert!(
        shown.contains("zeppelins") && shown.contains('…'),
        "{shown}"
    );
}

/// Up and Down in the search prompt go through the searches entered before, newest first,
/// and back down to what was being typed; the list follows.
#[test]
fn up_and_down_recall_earlier_searches() {
    let dir = fixture();
    let mut app = app(&dir);
    for text in ["harbour", "painters", "harbour"] {
        step(&mut app, Action::Search);
        type_text(&mut app, text);
        key(&mut app, KeyCode::Enter);
        step(&mut app, Action::Close);
        assert!(app.list().search().is_none());
    }
    step(&mut app, Action::Search);
    type_text(&mut app, "wor");
    let prompt_text = |app: &App| app.prompt().map(|p| p.edit.text().to_string());
    key(&mut app, KeyCode::Up);
    assert_eq!(prompt_text(&app).as_deref(), Some("harbour"));
    assert_eq!(app.list().rows(), 4, "the list follows");
    key(&mut app, KeyCode::Up);
    assert_eq!(prompt_text(&app).as_deref(), Some("painters"), "each once");
    key(&mut app, KeyCode::Up);
    assert_eq!(
        prompt_text(&app).as_deref(),
        Some("painters"),
        "nothing older"
    );
    key(&mut app, KeyCode::Down);
    assert_eq!(prompt_text(&app).as_deref(), Some("harbour"));
    key(&mut app, KeyCode::Down);
    assert_eq!(
        prompt_text(&app).as_deref(),
        Some("wor"),
        "back to what was typed"
    );
}

/// The "by source" order lists the sources A–Z, newest first within each.
#[test]
fn by_source_lists_sources_a_to_z_newest_first_within() {
    let dir = fixture();
    for (name, headline, date) in [
        ("atom1.txt", "Atom Story Old", "Monday, Jan 5, 2026"),
        ("atom2.txt", "Atom Story New", "Monday, Mar 2, 2026"),
    ] {
        let page = page_with(headline, date, "Summary.", "Text.", &[]);
        write(
            dir.path(),
            name,
            &page.replacen("London Daily", "Atom Times", 1),
        );
    }
    let mut app = app(&dir);
    for _ in 0..3 {
        step(&mut app, Action::CycleOrder);
    }
    assert_eq!(app.list().order(), Order::Source);
    let shown = listed(&app);
    assert_eq!(
        shown[..3],
        [
            "Atom Story New",
            "Atom Story Old",
            "Painters Return to Boats"
        ]
    );
    // On screen, at every width: the group's name heads its first row only, the title still
    // counts the sources, and the order is named on the list's bottom border.
    for (width, height) in [(70, 20), (120, 40), (200, 60)] {
        step(&mut app, Action::Resize(width, height));
        step(&mut app, Action::Top);
        let screen = common::screen(&app);
        // The list pane's part of each row.
        let rows: Vec<&str> = screen
            .lines()
            .map(|r| r.split("││").next().unwrap_or(r))
            .collect();
        assert!(rows[0].contains(" 2 sources · "), "{width}: {}", rows[0]);
        assert!(
            rows[1].contains("Atom Times") && rows[1].contains("Atom Story New"),
            "{}",
            rows[1]
        );
        assert!(
            rows[2].contains("Atom Story Old") && !rows[2].contains("Atom Times"),
            "{}",
            rows[2]
        );
        assert!(rows[3].contains("London Daily"), "{width}: {}", rows[3]);
        assert!(!rows[4].contains("London Daily"), "{width}: {}", rows[4]);
        let bottom = rows.iter().rev().nth(1).expect("border");
        let bottom = bottom.split("┘└").next().unwrap_or(bottom);
        assert!(bottom.contains(" by source "), "{width}: {bottom}");
    }
    // Newest first, every row names its source, at every width, and so does the title.
    step(&mut app, Action::CycleOrder);
    step(&mut app, Action::CycleOrder);
    assert_eq!(app.list().order(), Order::Newest);
    for (width, height) in [(70, 20), (120, 40), (200, 60)] {
        step(&mut app, Action::Resize(width, height));
        let screen = common::screen(&app);
        let rows: Vec<&str> = screen.lines().collect();
        assert!(rows[0].contains(" 2 sources · "), "{width}: {}", rows[0]);
        for row in rows[1..5].iter() {
            assert!(
                row.contains("Atom Times") || row.contains("London Daily"),
                "{width}: {row}"
            );
        }
    }
}
