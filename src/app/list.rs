//! The headline list: which articles it shows and in what order ([`Order`]: newest first,
//! oldest first, headline A–Z, by source, unread first, or best match while searching), the
//! selection and scroll, and the keys that move in it. The search that decides its rows is
//! [`super::searching`]'s.

use crate::action::Action;
use crate::app::App;
use crate::app::layout::Focus;
use crate::app::marks::Marks;
use crate::library::Library;
use crate::search::{self, Highlighter, Hit, Query};

pub use super::order::Order;

/// A search in force: what was typed, what it means, and what it found.
#[derive(Debug, Clone)]
pub struct Search {
    pub text: String,
    pub query: Query,
    /// Articles with every word, best first (filters not yet applied).
    pub(super) hits: Vec<Hit>,
    pub highlighter: Highlighter,
    /// The query has words and the index is still being built.
    pub waiting: bool,
}

impl Search {
    /// The library changed: each hit follows its article (or goes with it).
    pub(super) fn move_hits(&mut self, moved: &dyn Fn(usize) -> Option<usize>) {
        self.hits = self
            .hits
            .iter()
            .filter_map(|h| {
                Some(Hit {
                    article: moved(h.article)?,
                    ..*h
                })
            })
            .collect();
    }
}

/// How the list was before a search prompt opened, to go back to on Esc.
#[derive(Debug, Clone)]
pub struct Before {
    pub(super) article: Option<usize>,
    pub(super) top: usize,
    pub(super) search: Option<Search>,
    pub(super) order: Order,
    /// The library changed since: the search is run again on the way back.
    pub(super) stale: bool,
}

impl Before {
    pub(super) fn new(
        article: Option<usize>,
        top: usize,
        search: Option<Search>,
        order: Order,
    ) -> Before {
        Before {
            article,
            top,
            search,
            order,
            stale: false,
        }
    }

    /// The library changed: what was selected and found has moved (or gone).
    pub(super) fn move_articles(&mut self, moved: &dyn Fn(usize) -> Option<usize>) {
        self.article = self.article.and_then(moved);
        if let Some(search) = &mut self.search {
            search.move_hits(moved);
        }
        self.stale = true;
    }
}

/// The list's rows, selection, scroll, order and search.
#[derive(Debug, Default)]
pub struct List {
    /// The articles the list shows, row by row.
    view: Vec<usize>,
    selected: usize,
    /// The first row on screen.
    top: usize,
    order: Order,
    search: Option<Search>,
    /// Each article's place in headline A–Z order, once asked for.
    headline_rank: Option<Vec<u32>>,
    /// The number of the newest search asked for; older answers are dropped.
    seq: u64,
    /// The text of the search on its way, if one is.
    pending: Option<String>,
}

impl List {
    /// Every one of `len` articles, newest first.
    pub fn new(len: usize) -> List {
        List {
            view: (0..len).collect(),
            ..List::default()
        }
    }

    /// The selected row.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The first row on screen.
    pub fn top(&self) -> usize {
        self.top
    }

    pub fn order(&self) -> Order {
        self.order
    }

    /// The search in force, if any.
    pub fn search(&self) -> Option<&Search> {
        self.search.as_ref()
    }

    /// A search with words is shown.
    pub fn searching_words(&self) -> bool {
        self.search.as_ref().is_some_and(|s| s.query.has_words())
    }

    /// A search is on its way.
    pub fn pending(&self) -> bool {
        self.pending.is_some()
    }

    /// How many rows the list has.
    pub fn rows(&self) -> usize {
        self.view.len()
    }

    /// The articles it shows, row by row.
    pub fn articles(&self) -> &[usize] {
        &self.view
    }

    /// The article on a row.
    pub fn article_at(&self, row: usize) -> Option<usize> {
        self.view.get(row).copied()
    }

    /// The article on the selected row.
    pub fn selected_article(&self) -> Option<usize> {
        self.article_at(self.selected)
    }

    /// The row showing `article`, if the list shows it.
    pub fn row_of(&self, article: usize) -> Option<usize> {
        if self.view.get(article) == Some(&article) {
            return Some(article);
        }
        self.view.iter().position(|&a| a == article)
    }

    /// Selects `row` (clamped), scrolling a list of `rows` rows on screen to show it.
    pub fn select(&mut self, row: usize, rows: usize) {
        if self.view.is_empty() {
            return;
        }
        self.selected = row.min(self.view.len() - 1);
        self.keep_selection_in_view(rows);
    }

    pub fn select_by(&mut self, delta: isize, rows: usize) {
        self.select(self.selected.saturating_add_signed(delta), rows);
    }

    /// Selects `article`'s row without scrolling (the list follows the open article).
    pub fn select_article(&mut self, article: usize) {
        if let Some(row) = self.row_of(article) {
            self.selected = row;
        }
    }

    pub fn keep_selection_in_view(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.top {
            self.top = self.selected;
        } else if self.selected >= self.top + rows {
            self.top = self.selected + 1 - rows;
        }
        self.top = self.top.min(self.view.len().saturating_sub(rows));
    }

    /// The library changed: the A–Z places are worked out again when next asked for.
    pub fn forget_library(&mut self) {
        self.headline_rank = None;
    }

    /// Works out the rows again from the search and the order, keeping `keep` selected when it
    /// is still listed (else the first row).
    /// Only articles `holds` holds are listed (a feed chosen in the feeds window).
    pub fn rebuild(
        &mut self,
        library: &Library,
        marks: &Marks,
        holds: &dyn Fn(usize) -> bool,
        keep: Option<usize>,
        rows: usize,
    ) {
        let n = library.len();
        let mut view: Vec<usize> = match &self.search {
            None => (0..n).filter(|&i| holds(i)).collect(),
            Some(search) if search.waiting => Vec::new(),
            Some(search) => {
                // Made in place: at 100,000 hits a list grown as it goes is copied a dozen times.
                let most = if search.query.has_words() {
                    search.hits.len()
                } else {
                    n
                };
                let mut view = Vec::with_capacity(most);
                view.extend(
                    search::filter(
                        &search.query,
                        &search.hits,
                        library,
                        |i| marks.is_bookmarked(i),
                        |i| marks.is_read(i),
                    )
                    .map(|h| h.article)
                    .filter(|&i| holds(i)),
                );
                view
            }
        };
        match self.order {
            // The library is newest first, and hits come best first.
            Order::Relevance => {}
            Order::Newest => {
                if self.searching_words() {
                    view.sort_unstable();
                }
            }
            Order::Oldest => {
                view.sort_unstable();
                view.reverse();
            }
            Order::Headline => {
                // Each article's place in A–Z order is worked out once per library; after
                // that a sort compares numbers.
                let articles = library.articles();
                let rank = self.headline_rank.get_or_insert_with(|| {
                    let mut order: Vec<usize> = (0..articles.len()).collect();
                    order.sort_by_cached_key(|&i| (articles.headline(i).to_lowercase(), i));
                    let mut rank = vec![0u32; articles.len()];
                    for (place, &i) in order.iter().enumerate() {
                        rank[i] = place as u32;
                    }
                    rank
                });
                view.sort_unstable_by_key(|&i| rank.get(i).copied().unwrap_or(u32::MAX));
            }
            // Newest first (the library's order) within each source, or unread and read.
            Order::Source => {
                view.sort_unstable();
                let articles = library.articles();
                view.sort_by_cached_key(|&i| articles.get(i).map(|a| a.source.to_lowercase()));
            }
            Order::UnreadFirst => {
                view.sort_unstable();
                view.sort_by_key(|&i| marks.is_read(i));
            }
        }
        self.view = view;
        let row = keep.and_then(|a| self.row_of(a)).unwrap_or(0);
        self.selected = row.min(self.view.len().saturating_sub(1));
        self.top = 0;
        self.keep_selection_in_view(rows);
    }

    /// The next order in the cycle: newest first, oldest first, headline A–Z, by source,
    /// unread first (and best match first while searching).
    fn next_order(&mut self) {
        let searching = self.searching_words();
        self.order = match self.order {
            Order::Relevance => Order::Newest,
            Order::Newest => Order::Oldest,
            Order::Oldest => Order::Headline,
            Order::Headline => Order::Source,
            Order::Source => Order::UnreadFirst,
            Order::UnreadFirst if searching => Order::Relevance,
            Order::UnreadFirst => Order::Newest,
        };
    }

    /// How the list is now, to come back to when a search prompt is cancelled.
    pub(super) fn before(&self) -> Before {
        Before::new(
            self.selected_article(),
            self.top,
            self.search.clone(),
            self.order,
        )
    }

    /// A search of `text` is on its way: its number, to tell its answer.
    pub(super) fn ask(&mut self, text: &str) -> u64 {
        self.pending = Some(text.to_string());
        self.seq
    }

    /// Whether the answer to search number `seq` is the one waited for.
    pub(super) fn awaits(&self, seq: u64) -> bool {
        seq == self.seq && self.pending.is_some()
    }

    /// The text of the search on its way, if one is.
    pub(super) fn pending_text(&self) -> Option<&str> {
        self.pending.as_deref()
    }

    /// Puts back a search and order as they were (the rows follow with [`List::rebuild`]).
    pub(super) fn put_back(&mut self, search: Option<Search>, order: Order) {
        self.search = search;
        self.order = order;
    }

    /// Scrolls to `top` (kept within the list by the next [`List::keep_selection_in_view`]).
    pub(super) fn set_top(&mut self, top: usize) {
        self.top = top;
    }

    /// A newer query (or none) makes any answer still on its way stale.
    pub(super) fn drop_pending(&mut self) {
        self.seq += 1;
        self.pending = None;
    }

    /// Takes `search` as the search in force; the order follows whether it has words.
    pub(super) fn set(&mut self, search: Option<Search>) {
        let had_words = self.searching_words();
        self.pending = None;
        self.search = search;
        let has_words = self
            .search
            .as_ref()
            .is_some_and(|s| !s.waiting && s.query.has_words());
        if has_words && !had_words {
            self.order = Order::Relevance;
        } else if !has_words && self.order == Order::Relevance {
            self.order = Order::Newest;
        }
    }

    /// The library changed: the rows and hits follow their articles.
    pub(super) fn move_articles(&mut self, moved: &dyn Fn(usize) -> Option<usize>) {
        if let Some(search) = &mut self.search {
            search.move_hits(moved);
        }
    }
}

impl App {
    /// How many headlines the list shows on screen.
    pub fn list_rows(&self) -> usize {
        usize::from(self.list_geometry().list_inner().height)
    }

    pub(super) fn rebuild_list(&mut self, keep: Option<usize>) {
        let rows = self.list_rows();
        let feeds = &self.feedlist;
        (self.list).rebuild(&self.library, &self.marks, &|i| feeds.holds(i), keep, rows);
    }

    pub(super) fn select(&mut self, row: usize) {
        let rows = self.list_rows();
        self.list.select(row, rows);
    }

    pub(super) fn select_by(&mut self, delta: isize) {
        let rows = self.list_rows();
        self.list.select_by(delta, rows);
    }

    pub(super) fn keep_selection_in_view(&mut self) {
        let rows = self.list_rows();
        self.list.keep_selection_in_view(rows);
    }

    pub(super) fn cycle_order(&mut self) {
        self.list.next_order();
        let keep = self.list.selected_article();
        self.rebuild_list(keep);
        self.message = Some(format!("Sorted {}", self.list.order().label()));
    }

    pub(super) fn update_list(&mut self, action: Action) {
        let rows = self.list_rows().max(1);
        match action {
            Action::ScrollDown | Action::NextArticle => self.select_by(1),
            Action::ScrollUp | Action::PreviousArticle => self.select_by(-1),
            Action::PageDown => self.select_by(rows as isize),
            Action::PageUp => self.select_by(-(rows as isize)),
            Action::Top => self.select(0),
            Action::Bottom => self.select(self.list.rows().saturating_sub(1)),
            Action::Open | Action::OpenSelected => self.open_selected(),
            Action::Close if self.list.search().is_some() => {
                self.clear_search_keeping(None);
                self.message = Some("Search cleared".into());
            }
            Action::Quit => self.quit(),
            Action::NextLink | Action::PreviousLink if self.shown().is_some() => {
                // Tab from the list goes to the shown article's links, as a browser would.
                self.open_preview();
                self.focus = Focus::Reader;
                self.refresh();
                self.move_link(action == Action::NextLink);
            }
            _ => {}
        }
    }

    fn open_selected(&mut self) {
        match self.list.selected_article() {
            Some(article) => self.visit(article),
            None if self.library.is_empty() => {
                self.message = Some("There are no articles to open".into())
            }
            None => self.message = Some("No article matches the search".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn library() -> Library {
        let articles = ["Bravo", "alpha", "Charlie", "delta"]
            .iter()
            .enumerate()
            .map(|(n, headline)| Article {
                headline: headline.to_string(),
                date: chrono::NaiveDate::from_ymd_opt(2026, 1, 10 - n as u32),
                ..Article::default()
            })
            .collect();
        Library::new(articles, Vec::new())
    }

    #[test]
    fn the_selection_is_clamped_and_kept_on_screen() {
        let mut list = List::new(10);
        list.select(7, 3);
        assert_eq!((list.selected(), list.top()), (7, 5));
        list.select(100, 3);
        assert_eq!((list.selected(), list.top()), (9, 7));
        list.select_by(-9, 3);
        assert_eq!((list.selected(), list.top()), (0, 0));
        let mut empty = List::new(0);
        empty.select(3, 3);
        assert_eq!(empty.selected_article(), None);
    }

    #[test]
    fn each_order_lists_every_article_and_keeps_the_selected_one() {
        let library = library();
        let marks = Marks::default();
        let mut list = List::new(library.len());
        let headlines = |list: &List| -> Vec<String> {
            (0..list.rows())
                .filter_map(|r| list.article_at(r))
                .map(|i| library.articles().headline(i).to_string())
                .collect()
        };
        assert_eq!(headlines(&list), ["Bravo", "alpha", "Charlie", "delta"]);
        list.select(1, 10);
        let kept = list.selected_article();
        list.next_order();
        list.rebuild(&library, &marks, &|_| true, kept, 10);
        assert_eq!(list.order(), Order::Oldest);
        assert_eq!(headlines(&list), ["delta", "Charlie", "alpha", "Bravo"]);
        assert_eq!(list.selected_article(), kept);
        list.next_order();
        list.rebuild(&library, &marks, &|_| true, kept, 10);
        assert_eq!(list.order(), Order::Headline);
        assert_eq!(headlines(&list), ["alpha", "Bravo", "Charlie", "delta"]);
        list.next_order();
        assert_eq!(list.order(), Order::Source);
        list.next_order();
        assert_eq!(list.order(), Order::UnreadFirst);
        list.next_order();
        assert_eq!(
            list.order(),
            Order::Newest,
            "no best match without a search"
        );
    }

    #[test]
    fn an_answer_counts_only_for_the_newest_search() {
        let mut list = List::new(3);
        let first = list.ask("a");
        list.drop_pending();
        let second = list.ask("ab");
        assert!(!list.awaits(first));
        assert!(list.awaits(second));
        assert_eq!(list.pending_text(), Some("ab"));
        list.drop_pending();
        assert!(!list.awaits(second));
    }
}
