//! The library's order and ids: newest first (by the day, then the time where the page gives
//! one, pages with only their day after the timed ones of that day), undated last, then by
//! headline (texts break
//! exact ties, so the order never depends on file names), and each article's id, the slug of
//! its headline made unique oldest first; also the library made from headers alone in that
//! order ([`Library::from_heads`]).

use std::borrow::Cow;

use super::*;
use chrono::Datelike;

use crate::parallel;

impl Library {
    /// [`Library::new`] over headers read in any order, without their texts: what a library
    /// of headers is made of, at a third of the memory of one `Article` per page. Articles
    /// with the same date and headline are ordered (and so numbered `-2`, `-3`…) by their
    /// texts, so those few are read whole (`read_whole`, by their paths; the warnings they
    /// give join `diagnostics`) and get the ids [`Library::new`] gives. `stamps`, when there
    /// is one for every header (in the headers' order), are the pages' stamps.
    /// Long: each step hands a buffer with an entry per article to the next and drops it as
    /// soon as that step is done, to keep a large load's peak memory down.
    pub fn from_heads(
        heads: Heads,
        stamps: Vec<Option<Stamp>>,
        read_whole: &dyn Fn(&Path) -> Option<crate::page::Loaded>,
        mut diagnostics: Vec<Diagnostic>,
    ) -> Library {
        let count = heads.len();
        // Each headline folded on every core.
        let folded = parallel::strings(count, &|i, out| {
            out.push_str(&heads.headline(i).to_lowercase());
        });
        // Each date, time and headline looked up once, not at every comparison.
        let keys: Vec<Key> = (0..count)
            .map(|i| {
                let time = heads.time(i).map(|t| t.timestamp());
                (heads.date(i), time, heads.headline(i))
            })
            .collect();
        let tie = |i: usize, j: usize| {
            let (a, b) = (heads.get(i), heads.get(j));
            let (a, b) = (a.unwrap_or_default(), b.unwrap_or_default());
            a.source.cmp(b.source).then_with(|| a.path.cmp(b.path))
        };
        // `tie` ends every comparison: paths are unique, so the order is total.
        let mut order = sort_by_key_first(count, &|i| (keys[i], folded.get(i)), &|i, j| {
            head_order(keys[i], folded.get(i), keys[j], folded.get(j)).then_with(|| tie(i, j))
        });
        // The same date and headline (rare) sit side by side now.
        order_equal_keys(
            &mut order,
            &keys,
            &heads,
            read_whole,
            &mut diagnostics,
            &tie,
        );
        drop(keys);
        drop(folded);
        // The slug each id is made from, on every core.
        let bases = parallel::strings(count, &|k, out| {
            out.push_str(&base_slug(heads.headline(order[k])));
        });
        let mut used = FxHashSet::default();
        used.reserve(count);
        let mut ids = vec![Cow::Borrowed(""); count];
        let given = ids_for(
            (0..count).collect(),
            &mut used,
            |k| heads.date(order[k]),
            |k| Cow::Borrowed(bases.get(k)),
        );
        drop(used);
        for (k, id) in given {
            ids[k] = id;
        }
        // The headers copied into their order while the ids are sorted beside it.
        let id_of = &ids;
        let sort_ids = move || {
            let mut by_id: Vec<u32> = (0..count as u32).collect();
            by_id.sort_unstable_by(|&a, &b| id_of[a as usize].cmp(&id_of[b as usize]));
            by_id
        };
        let (ordered, by_id) = std::thread::scope(|s| {
            let sorting = s.spawn(sort_ids);
            let ordered = heads.reordered(&order, id_of);
            (ordered, sorting.join().unwrap_or_else(|_| sort_ids()))
        });
        drop(heads);
        drop(ids);
        drop(bases);
        let stamps: Option<Stamps> = match stamps.len() == count {
            true => order.iter().map(|&i| stamps[i]).collect(),
            false => None,
        };
        let library = Library::of_parts(
            ordered.done(),
            Vec::new(),
            by_id.into(),
            Default::default(),
            diagnostics,
        );
        match stamps {
            Some(stamps) => library.with_stamps(stamps),
            None => library,
        }
    }
}

/// Orders the runs of `order` that share a date and headline (rare) by their texts: those
/// pages are read whole (their warnings join `diagnostics`).
fn order_equal_keys(
    order: &mut [usize],
    keys: &[Key],
    heads: &Heads,
    read_whole: &dyn Fn(&Path) -> Option<crate::page::Loaded>,
    diagnostics: &mut Vec<Diagnostic>,
    tie: &dyn Fn(usize, usize) -> Ordering,
) {
    let count = order.len();
    let mut start = 0;
    while start < count {
        let key = keys[order[start]];
        let end = (start + 1..count)
            .find(|&k| keys[order[k]] != key)
            .unwrap_or(count);
        if end - start > 1 {
            let mut wholes = rustc_hash::FxHashMap::default();
            for &i in &order[start..end] {
                let path = heads.get(i).unwrap_or_default().path;
                if let Some(loaded) = read_whole(path) {
                    diagnostics.extend(loaded.warnings);
                    wholes.insert(i, loaded.article);
                }
            }
            // Pages that can be read whole first, by their texts; those that cannot
            // after them. Comparing one that cannot by its text with nothing would tie
            // it to every other and make the order no order at all (a sort may then
            // panic): every step here compares like with like, and the path is unique.
            order[start..end].sort_by(|&i, &j| {
                match (wholes.get(&i), wholes.get(&j)) {
                    (Some(x), Some(y)) => text_order(x, y),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                }
                .then_with(|| tie(i, j))
                .then(i.cmp(&j))
            });
        }
        start = end;
    }
}

/// The places `0..count` in the order `full` gives them, sorted first by a compact key made
/// from each one's date and the first eight bytes of its folded headline (`key`), which
/// `full` must agree with: newest first, undated last, then the folded headlines. Comparing
/// the compact keys looks nothing up, so only places that share one are compared in full
/// (at 100,000 headers this sort took half the time of one by `full` alone).
fn sort_by_key_first<'a>(
    count: usize,
    key: &dyn Fn(usize) -> (Key<'a>, &'a str),
    full: &dyn Fn(usize, usize) -> Ordering,
) -> Vec<usize> {
    let compact = |i: usize| {
        let ((date, time, _), folded) = key(i);
        let day = date.map_or(i64::MAX, |d| -i64::from(d.num_days_from_ce()));
        let time = time.map_or(i64::MAX, i64::saturating_neg);
        let mut start = [0u8; 8];
        let n = folded.len().min(8);
        start[..n].copy_from_slice(&folded.as_bytes()[..n]);
        (day, time, u64::from_be_bytes(start))
    };
    let mut keyed: Vec<(i64, i64, u64, usize)> = (0..count)
        .map(|i| {
            let (day, time, start) = compact(i);
            (day, time, start, i)
        })
        .collect();
    keyed.sort_unstable();
    let mut order: Vec<usize> = keyed.iter().map(|k| k.3).collect();
    let mut start = 0;
    while start < count {
        let end = (start + 1..count)
            .find(|&k| {
                keyed[k].0 != keyed[start].0
                    || keyed[k].1 != keyed[start].1
                    || keyed[k].2 != keyed[start].2
            })
            .unwrap_or(count);
        order[start..end].sort_by(|&i, &j| full(i, j));
        start = end;
    }
    order
}

/// The slug an article's id is made from.
pub(super) fn base_slug(headline: &str) -> String {
    let base = slug(headline, MAX_SLUG);
    if base.is_empty() {
        "article".to_string()
    } else {
        base
    }
}

/// Newest first, undated last, then by headline; the remaining fields break exact ties so
/// that the order never depends on file names.
pub(super) fn reading_order(a: &Article, a_folded: &str, b: &Article, b_folded: &str) -> Ordering {
    head_order(
        (a.date, a.time.map(|t| t.timestamp()), &a.headline),
        a_folded,
        (b.date, b.time.map(|t| t.timestamp()), &b.headline),
        b_folded,
    )
    .then_with(|| text_order(a, b))
    .then_with(|| a.source.cmp(&b.source))
    .then_with(|| a.path.cmp(&b.path))
}

/// An article's date, time (seconds from 1970) and headline: what its place is told by first.
type Key<'a> = (Option<chrono::NaiveDate>, Option<i64>, &'a str);

/// Newest first, the ones with none last.
fn newest_first<T: Ord>(a: Option<T>, b: Option<T>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The first keys of the reading order: newest day first, undated last; within a day the
/// latest time first, those with no time after; then by headline (folded, then as written).
/// Only articles with the same date, time and headline go further.
fn head_order(a: Key, a_folded: &str, b: Key, b_folded: &str) -> Ordering {
    newest_first(a.0, b.0)
        .then_with(|| newest_first(a.1, b.1))
        .then_with(|| a_folded.cmp(b_folded))
        .then_with(|| a.2.cmp(b.2))
}

/// The reading order of two articles with the same date and headline, by their texts.
fn text_order(a: &Article, b: &Article) -> Ordering {
    a.standfirst
        .cmp(&b.standfirst)
        .then_with(|| a.body.cmp(&b.body))
        .then_with(|| a.related.cmp(&b.related))
}

/// Gives every article the slug of its headline, made unique with `-2`, `-3`… The oldest
/// article keeps the plain slug, so a newer story with the same headline never takes the id
/// an older one (and its bookmarks) already had.
pub(super) fn assign_ids(articles: &mut [Arc<Article>]) {
    let all = (0..articles.len()).collect();
    let mut used = FxHashSet::default();
    used.reserve(articles.len());
    give_ids(articles, all, &mut used);
}

/// Gives the articles `which` (places in reading order) ids that `used` does not hold yet,
/// oldest first.
pub(super) fn give_ids(
    articles: &mut [Arc<Article>],
    which: Vec<usize>,
    used: &mut FxHashSet<Cow<'static, str>>,
) {
    let given = ids_for(
        which,
        used,
        |i| articles[i].date,
        |i| Cow::Owned(base_slug(&articles[i].headline)),
    );
    for (i, id) in given {
        if articles[i].id != id {
            Arc::make_mut(&mut articles[i]).id = id.into_owned();
        }
    }
}

/// The ids of the articles `which` (places in reading order; `date` and `base` give each
/// one's date and the slug of its headline) that `used` does not hold yet, given oldest first.
fn ids_for<'a>(
    which: Vec<usize>,
    used: &mut FxHashSet<Cow<'a, str>>,
    date: impl Fn(usize) -> Option<chrono::NaiveDate>,
    base: impl Fn(usize) -> Cow<'a, str>,
) -> Vec<(usize, Cow<'a, str>)> {
    // Each date looked up once, not at every comparison (the places are all different, so an
    // unstable sort gives the one order).
    let mut oldest_first: Vec<(bool, Option<chrono::NaiveDate>, usize)> = which
        .iter()
        .map(|&i| {
            let date = date(i);
            (date.is_none(), date, i)
        })
        .collect();
    oldest_first.sort_unstable();
    let mut given = Vec::with_capacity(which.len());
    for (_, _, i) in oldest_first {
        // Most slugs are free: they are kept as they came (borrowed, when they were).
        let base = base(i);
        let mut id = base.clone();
        let mut n = 2;
        while used.contains(id.as_ref()) {
            id = Cow::Owned(format!("{base}-{n}"));
            n += 1;
        }
        used.insert(id.clone());
        given.push((i, id));
    }
    given
}
