//! The headline list's rows: which articles it shows and in what order (newest first, oldest
//! first, headline A–Z, or best match while searching), search as you type with its prompt,
//! and jumping between the hits in the open article.

use crate::action::Action;
use crate::app::layout::Focus;
use crate::app::line_edit::{Edit, LineEdit};
use crate::app::{App, Prompt, Purpose};
use crate::search::{Highlighter, Hit, Query};

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

/// A query for the event loop to run off the drawing thread; the answer goes back through
/// [`App::search_done`], and only the newest is shown.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub seq: u64,
    pub text: String,
    pub query: Query,
}

/// How the list was before a search prompt opened, to go back to on Esc.
#[derive(Debug, Clone)]
pub struct Before {
    article: Option<usize>,
    list_top: usize,
    search: Option<Search>,
    order: Order,
    /// The library changed since: the search's hits are for other articles.
    stale: bool,
}

impl Before {
    /// The library changed: the article that was selected has moved (or gone, `None`).
    pub(crate) fn move_article(&mut self, moved: impl Fn(usize) -> Option<usize>) {
        self.article = self.article.and_then(moved);
        self.stale = true;
    }
}

impl App {
    /// The article on the selected row.
    pub fn selected_article(&self) -> Option<usize> {
        self.view.get(self.selected).copied()
    }

    /// The article on a row of the list.
    pub fn view_row(&self, row: usize) -> Option<usize> {
        self.view.get(row).copied()
    }

    /// The row showing `article`, if the list shows it.
    pub(super) fn row_of(&self, article: usize) -> Option<usize> {
        if self.view.get(article) == Some(&article) {
            return Some(article);
        }
        self.view.iter().position(|&a| a == article)
    }

    /// The search in force, if any.
    pub fn search(&self) -> Option<&Search> {
        self.search.as_ref()
    }

    /// How many articles the list shows.
    pub fn rows(&self) -> usize {
        self.view.len()
    }

    /// Works out the rows again from the search and the order, keeping the selected article
    /// selected when it is still listed (else the first row).
    pub(super) fn rebuild_view(&mut self, keep: Option<usize>) {
        let n = self.library.len();
        let mut view: Vec<usize> = match &self.search {
            None => (0..n).collect(),
            Some(search) if search.waiting => Vec::new(),
            Some(search) => {
                let articles = self.library.articles();
                let admits = |i: usize| {
                    articles.get(i).is_some_and(|a| {
                        search
                            .query
                            .admits(a, self.is_bookmarked(i), self.is_read(i))
                    })
                };
                if search.query.has_words() {
                    let hits = search.hits.iter().map(|h| h.article);
                    if search.query.has_filters() {
                        hits.filter(|&i| admits(i)).collect()
                    } else {
                        hits.collect()
                    }
                } else {
                    (0..n).filter(|&i| admits(i)).collect()
                }
            }
        };
        match self.order {
            // The library is newest first, and hits come best first.
            Order::Relevance => {}
            Order::Newest => {
                if self.search.as_ref().is_some_and(|s| s.query.has_words()) {
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
                let articles = self.library.articles();
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
        self.list_top = 0;
        self.keep_selection_in_view();
    }

    /// Cycles the list's order: newest first, oldest first, headline A–Z (and best match
    /// first while searching).
    pub(super) fn cycle_order(&mut self) {
        let searching = self.search.as_ref().is_some_and(|s| s.query.has_words());
        self.order = match self.order {
            Order::Relevance => Order::Newest,
            Order::Newest => Order::Oldest,
            Order::Oldest => Order::Headline,
            Order::Headline if searching => Order::Relevance,
            Order::Headline => Order::Newest,
        };
        let keep = self.selected_article();
        self.rebuild_view(keep);
        self.message = Some(format!("Sorted {}", self.order.label()));
    }

    /// Opens the search prompt, holding the text of the search in force to refine.
    pub(super) fn open_search(&mut self) {
        if !self.areas().wide {
            self.focus = Focus::List;
            self.refresh();
        }
        let text = self.search.as_ref().map_or("", |s| s.text.as_str());
        let before = Before {
            article: self.selected_article(),
            list_top: self.list_top,
            search: self.search.clone(),
            order: self.order,
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
                if let Some(problem) = self.search.as_ref().and_then(|s| s.query.problems.first()) {
                    self.message = Some(problem.clone());
                }
            }
            Edit::Cancel => {
                if let Some(Prompt {
                    purpose: Purpose::Search(before),
                    ..
                }) = self.prompt.take()
                {
                    self.search_seq += 1;
                    self.search_request = None;
                    self.search_pending = false;
                    self.search = before.search;
                    if before.stale {
                        self.search_again_on_the_spot();
                    }
                    self.order = before.order;
                    self.rebuild_view(before.article);
                    self.list_top = before.list_top;
                    self.keep_selection_in_view();
                }
            }
        }
    }

    /// Runs `text` as the search in force (an empty one lists everything again).
    pub(super) fn set_search(&mut self, text: &str) {
        let query = Query::parse(text, true);
        if query.is_empty() {
            self.clear_search_keeping(None);
            return;
        }
        // A newer query makes any answer still on its way stale.
        self.search_seq += 1;
        self.search_request = None;
        match &self.relations {
            Some(_) if query.has_words() && self.search_off_thread => {
                self.search_request = Some(SearchRequest {
                    seq: self.search_seq,
                    text: text.to_string(),
                    query,
                });
                self.search_pending = true;
            }
            Some(relations) if query.has_words() => {
                let hits = self.searcher.run(&relations.index, &self.library, &query);
                self.apply_search(text, query, hits, false);
            }
            relations => {
                let waiting = query.has_words() && relations.is_none();
                self.apply_search(text, query, Vec::new(), waiting);
            }
        }
    }

    /// Runs the search in force again, here and now: after the library changed, hits made for
    /// the old articles must not be shown even for a moment.
    pub(super) fn search_again_on_the_spot(&mut self) {
        if let Some(text) = self.search.as_ref().map(|s| s.text.clone()) {
            let off_thread = std::mem::replace(&mut self.search_off_thread, false);
            self.set_search(&text);
            self.search_off_thread = off_thread;
        }
    }

    /// The search the event loop should run off the drawing thread, if one is asked for.
    pub fn take_search_request(&mut self) -> Option<SearchRequest> {
        self.search_request.take()
    }

    /// A search run off the drawing thread has finished; it shows unless a newer one was
    /// asked for since.
    pub fn search_done(&mut self, request: SearchRequest, hits: Vec<Hit>) {
        if request.seq == self.search_seq && self.search_pending {
            self.search_pending = false;
            self.apply_search(&request.text, request.query, hits, false);
        }
    }

    fn apply_search(&mut self, text: &str, query: Query, hits: Vec<Hit>, waiting: bool) {
        let had_words = self.search.as_ref().is_some_and(|s| s.query.has_words());
        let highlighter = query.highlighter();
        self.search_pending = false;
        self.search = Some(Search {
            text: text.to_string(),
            query,
            hits,
            highlighter,
            waiting,
        });
        let has_words = !waiting && self.search.as_ref().is_some_and(|s| s.query.has_words());
        if has_words && !had_words {
            self.order = Order::Relevance;
        } else if !has_words && self.order == Order::Relevance {
            self.order = Order::Newest;
        }
        self.rebuild_view(None);
    }

    /// Ends the search: every article listed again, the selection kept on `keep` (or on the
    /// article it was on).
    pub(super) fn clear_search_keeping(&mut self, keep: Option<usize>) {
        let keep = keep.or(self.selected_article());
        self.search = None;
        self.search_seq += 1;
        self.search_request = None;
        self.search_pending = false;
        if self.order == Order::Relevance {
            self.order = Order::Newest;
        }
        self.rebuild_view(keep);
    }

    /// The index is ready: a search that waited for it runs now.
    pub(super) fn search_index_ready(&mut self) {
        if let Some(text) = self.search.as_ref().map(|s| s.text.clone()) {
            self.set_search(&text);
        }
    }

    /// What the search prompt says after the text: how many match, or why not yet.
    pub fn search_status(&self) -> String {
        if self.search_pending {
            return "searching…".into();
        }
        match &self.search {
            None => format!("{} articles", self.library.len()),
            Some(s) if s.waiting => self.search_waiting_message(),
            Some(s) => match (self.view.len(), s.query.problems.first()) {
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
        let (Some(page), Some(search)) = (self.page(), &self.search) else {
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
        if self.search.is_none() {
            let key = self.keymap.hint(Action::Search);
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
                self.last_hit = Some(hits[k]);
                self.message = Some(format!("Hit {} of {}", k + 1, hits.len()));
            }
            None if forward => self.message = Some("No more hits below".into()),
            None => self.message = Some("No more hits above".into()),
        }
    }
}
