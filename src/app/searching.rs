//! Search as you type in the reader: the search in force and what it found, the query run off
//! the drawing thread ([`Effect::Search`]) with only the newest answer shown, the list put back
//! on Esc, what the prompt says, and jumping between the hits in the open article. The query
//! language and the ranking are [`crate::search`]'s.

use crate::action::Action;
use crate::app::App;
use crate::app::list::{Before, Search};
use crate::app::message::{Effect, SearchJob, SearchRequest};
use crate::search::{Hit, Query};

impl App {
    /// Puts the list back as it was before a search prompt opened (Esc): the search, order,
    /// selection and scroll; a search made stale by a new library runs again.
    pub(super) fn restore_list(&mut self, before: Before) {
        let Before {
            article,
            top,
            search,
            order,
            stale,
        } = before;
        self.list.drop_pending();
        let text = search.as_ref().map(|s| s.text.clone());
        self.list.put_back(search, order);
        if stale && let Some(text) = text {
            // Its hits were moved with their articles; new ones come with a new run.
            self.run_search(&text, true);
            let search = self.list.search().cloned();
            self.list.put_back(search, order);
        }
        self.rebuild_list(article);
        self.list.set_top(top);
        self.keep_selection_in_view();
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
                    seq: self.list.ask(text),
                    text: text.to_string(),
                    query,
                    rerun,
                };
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
        if self.list.awaits(request.seq) {
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
            .pending_text()
            .or(self.list.search().map(|s| s.text.as_str()))
            .map(str::to_string);
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
