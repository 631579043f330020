//! The headline list: which articles it shows and in what order (newest first, oldest first,
//! headline A–Z, or best match while searching), the selection and scroll, search as you type
//! with its prompt, and jumping between the hits in the open article.

use crate::action::Action;
use crate::app::App;
use crate::app::layout::Focus;
use crate::app::line_edit::{Edit, LineEdit};
use crate::app::marks::Marks;
use crate::app::message::{Effect, SearchJob, SearchRequest};
use crate::app::prompt::{Prompt, Purpose};
use crate::library::Library;
use crate::search::{self, Highlighter, Hit, Query};

/// The order of the headline list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Best match first (while a search with words is on).
    Relevance,
    #[default]
    Newest,
    Oldest,
    Headline,
}

impl Order {
    pub fn label(self) -> &'static str {
        match self {
            Order::Relevance => "best match first",
            Order::Newest => "newest first",
            Order::Oldest => "oldest first",
            Order::Headline => "headline A–Z",
        }
    }
}

/// A search in force: what was typed, what it means, and what it found.
#[derive(Debug, Clone)]
pub struct Search {
    pub text: String,
    pub query: Query,
    /// Articles with every word, best first (filters not yet applied).
    hits: Vec<Hit>,
    pub highlighter: Highlighter,
    /// The query has words and the index is still being built.
    pub waiting: bool,
}

impl Search {
    /// The library changed: each hit follows its article (or goes with it).
    fn move_hits(&mut self, moved: &dyn Fn(usize) -> Option<usize>) {
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
    article: Option<usize>,
    top: usize,
    search: Option<Search>,
    order: Order,
    /// The library changed since: the search is run again on the way back.
    stale: bool,
}

impl Before {
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
    pub fn rebuild(&mut self, library: &Library, marks: &Marks, keep: Option<usize>, rows: usize) {
        let n = library.len();
        let mut view: Vec<usize> = match &self.search {
            None => (0..n).collect(),
            Some(search) if search.waiting => Vec::new(),
            Some(search) => search::filter(
                &search.query,
                &search.hits,
                library,
                |i| marks.is_bookmarked(i),
                |i| marks.is_read(i),
            )
            .into_iter()
            .map(|h| h.article)
            .collect(),
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
        }
        self.view = view;
        let row = keep.and_then(|a| self.row_of(a)).unwrap_or(0);
        self.selected = row.min(self.view.len().saturating_sub(1));
        self.top = 0;
        self.keep_selection_in_view(rows);
    }

    /// The next order in the cycle: newest first, oldest first, headline A–Z (and best match
    /// first while searching).
    fn next_order(&mut self) {
        let searching = self.searching_words();
        self.order = match self.order {
            Order::Relevance => Order::Newest,
            Order::Newest => Order::Oldest,
            Order::Oldest => Order::Headline,
            Order::Headline if searching => Order::Relevance,
            Order::Headline => Order::Newest,
        };
    }

    /// A newer query (or none) makes any answer still on its way stale.
    fn drop_pending(&mut self) {
        self.seq += 1;
        self.pending = None;
    }

    /// Takes `search` as the search in force; the order follows whether it has words.
    fn set(&mut self, search: Option<Search>) {
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
        self.list.rebuild(&self.library, &self.marks, keep, rows);
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
            Action::NextLink | Action::PreviousLink if self.current().is_some() => {
                // Tab from the list goes to the open article's links, as a browser would.
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

    /// Opens the search prompt, holding the text of the search in force to refine.
    pub(super) fn open_search(&mut self) {
        if !self.areas().wide {
            self.focus = Focus::List;
            self.refresh();
        }
        let text = self.list.search().map_or("", |s| s.text.as_str());
        let before = Before {
            article: self.list.selected_article(),
            top: self.list.top(),
            search: self.list.search.clone(),
            order: self.list.order(),
            stale: false,
        };
        self.prompt = Some(Prompt {
            edit: LineEdit::new(text),
            purpose: Purpose::Search(Box::new(before)),
        });
    }

    /// A key typed into the search prompt: the list follows every key.
    pub(super) fn search_key(&mut self, edit: Edit) {
        match edit {
            Edit::Editing => {
                let text = self
                    .prompt
                    .as_ref()
                    .map(|p| p.edit.text().to_string())
                    .unwrap_or_default();
                self.set_search(&text);
            }
            Edit::Accept => {
                self.prompt = None;
                self.focus = Focus::List;
                self.refresh();
                if let Some(problem) = self.list.search().and_then(|s| s.query.problems.first()) {
                    self.message = Some(problem.clone());
                }
            }
            Edit::Cancel => {
                if let Some(Prompt {
                    purpose: Purpose::Search(before),
                    ..
                }) = self.prompt.take()
                {
                    let Before {
                        article,
                        top,
                        search,
                        order,
                        stale,
                    } = *before;
                    self.list.drop_pending();
                    let text = search.as_ref().map(|s| s.text.clone());
                    self.list.search = search;
                    self.list.order = order;
                    if stale && let Some(text) = text {
                        // Its hits were moved with their articles; new ones come with a new run.
                        self.run_search(&text, true);
                        self.list.order = order;
                    }
                    self.rebuild_list(article);
                    self.list.top = top;
                    self.keep_selection_in_view();
                }
            }
        }
    }

    /// Makes `text` the search in force (an empty one lists everything again). A query with
    /// words is run off the drawing thread ([`Effect::Search`]) once the index is built.
    pub(super) fn set_search(&mut self, text: &str) {
        self.run_search(text, false);
    }

    /// [`App::set_search`]; `rerun`: the same search again (the library or index changed), so
    /// its answer keeps the selection where it is.
    fn run_search(&mut self, text: &str, rerun: bool) {
        let query = Query::parse(text, true);
        if query.is_empty() {
            self.clear_search_keeping(None);
            return;
        }
        self.list.drop_pending();
        match &self.index {
            Some(index) if query.has_words() => {
                let request = SearchRequest {
                    seq: self.list.seq,
                    text: text.to_string(),
                    query,
                    rerun,
                };
                self.list.pending = Some(text.to_string());
                self.emit(Effect::Search(SearchJob {
                    request,
                    library: self.library.clone(),
                    index: index.clone(),
                }));
            }
            index => {
                let waiting = query.has_words() && index.is_none();
                let keep = if rerun {
                    self.list.selected_article()
                } else {
                    None
                };
                self.apply_search(text, query, Vec::new(), waiting, keep);
            }
        }
    }

    /// A search has been answered; it shows unless a newer one was asked for since.
    pub(super) fn search_done(&mut self, request: SearchRequest, hits: Vec<Hit>) {
        if request.seq == self.list.seq && self.list.pending() {
            let keep = if request.rerun {
                self.list.selected_article()
            } else {
                None
            };
            self.apply_search(&request.text, request.query, hits, false, keep);
        }
    }

    fn apply_search(
        &mut self,
        text: &str,
        query: Query,
        hits: Vec<Hit>,
        waiting: bool,
        keep: Option<usize>,
    ) {
        let highlighter = query.highlighter();
        self.list.set(Some(Search {
            text: text.to_string(),
            query,
            hits,
            highlighter,
            waiting,
        }));
        self.rebuild_list(keep);
    }

    /// Ends the search: every article listed again, the selection kept on `keep` (or on the
    /// article it was on).
    pub(super) fn clear_search_keeping(&mut self, keep: Option<usize>) {
        let keep = keep.or(self.list.selected_article());
        self.list.drop_pending();
        self.list.set(None);
        self.rebuild_list(keep);
    }

    /// The index is ready (or the library changed): the search on its way, else the search
    /// in force, runs again.
    pub(super) fn search_again(&mut self) {
        let text = self
            .list
            .pending
            .clone()
            .or_else(|| self.list.search().map(|s| s.text.clone()));
        if let Some(text) = text {
            self.run_search(&text, true);
        }
    }

    /// What the search prompt says after the text: how many match, or why not yet.
    pub fn search_status(&self) -> String {
        if self.list.pending() {
            return "searching…".into();
        }
        match self.list.search() {
            None => format!("{} articles", self.library.len()),
            Some(s) if s.waiting => self.search_waiting_message(),
            Some(s) => match (self.list.rows(), s.query.problems.first()) {
                (_, Some(problem)) => problem.clone(),
                (0, None) => "no matches".into(),
                (1, None) => "1 match".into(),
                (n, None) => format!("{n} matches"),
            },
        }
    }

    /// What a search with words says until the index it needs is built.
    pub fn search_waiting_message(&self) -> String {
        match self.indexing_percent() {
            Some(percent) => format!("indexing {percent}%: results come when it is done"),
            None => "indexing: results come when it is done".into(),
        }
    }

    /// The lines of the open page with a hit, in order.
    fn hit_lines(&self) -> Vec<usize> {
        let (Some(page), Some(search)) = (self.page(), self.list.search()) else {
            return Vec::new();
        };
        page.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !search.highlighter.hits(&l.text).is_empty())
            .map(|(n, _)| n)
            .collect()
    }

    /// Scrolls the open article to its next (or previous) line with a hit.
    pub(super) fn step_hit(&mut self, forward: bool) {
        if self.list.search().is_none() {
            let key = self.settings.keymap.hint(Action::Search);
            self.message = Some(format!("No search: {key} searches"));
            return;
        }
        let hits = self.hit_lines();
        if hits.is_empty() {
            self.message = Some("No hits in this article".into());
            return;
        }
        // The hit being looked at sits a few lines down from the top; near the end, where
        // the page cannot scroll so far, it is the one the last jump went to.
        let lead = (self.reader_rows() / 4).min(3);
        let scroll = self.scroll();
        let at = self
            .reader
            .last_hit
            .filter(|&line| line >= scroll && line < scroll + self.reader_rows())
            .unwrap_or(scroll + lead);
        let next = if forward {
            hits.iter().position(|&l| l > at)
        } else {
            hits.iter().rposition(|&l| l < at)
        };
        match next {
            Some(k) => {
                self.scroll_to(hits[k].saturating_sub(lead));
                self.reader.last_hit = Some(hits[k]);
                self.message = Some(format!("Hit {} of {}", k + 1, hits.len()));
            }
            None if forward => self.message = Some("No more hits below".into()),
            None => self.message = Some("No more hits above".into()),
        }
    }
}
