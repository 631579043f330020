//! The open article: browser-like history (each step remembers where the reader was), the
//! article laid out for the pane's width, its links, the story it belongs to, and the texts
//! and answers read for it. A text not yet at hand is asked for ([`Effect::ReadArticle`]) and
//! laid out when it comes (`App::article_read`).

use std::collections::{HashMap, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use crate::action::Action;
use crate::app::layout::{Areas, Focus};
use crate::app::message::{ArticleRead, Effect, ReadArticle};
use crate::app::reader_view::{ArticleView, PictureLayout};
use crate::app::{App, Wait};
use crate::article::{Article, TextPosition};
use crate::related::Answer;

/// One step of history: an article and where the reader was in it. The position is in the
/// text, not a screen line, so it survives a resize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub article: usize,
    pub position: TextPosition,
    /// The focused link, an index into the page's links.
    pub link: Option<usize>,
    /// The list's first row on screen while this article was open, given back with it when
    /// history comes back to it (so the list does not jump).
    pub list_top: usize,
}

/// Laid-out pages kept; a resize storm must not grow memory without end.
const PAGE_CACHE: usize = 64;
/// Related-story answers kept.
const ANSWER_CACHE: usize = 512;
/// Texts kept at hand: going back and forth between a few articles reads no page again.
const TEXT_CACHE: usize = 8;

/// The reading pane's state.
#[derive(Debug, Default)]
pub struct Reader {
    history: Vec<Visit>,
    /// The current step of `history` (meaningless while it is empty).
    pub(super) at: usize,
    /// The open article laid out for the pane's width; `None` while its text is being read.
    page: Option<Rc<ArticleView>>,
    /// The article and width `page` was laid out for.
    page_of: Option<(usize, u16)>,
    pages: HashMap<(usize, u16, Option<PictureLayout>), Rc<ArticleView>>,
    /// Complete answers (the index was built), by article.
    answers: HashMap<usize, Rc<Answer>>,
    /// The texts read last, newest last (`Err`: why the page cannot be read).
    texts: VecDeque<(usize, Result<Arc<Article>, String>)>,
    /// The article whose text has been asked for and not yet come.
    asked: Option<usize>,
    /// The thread each article was found in. Every report of a story keeps the thread it was
    /// first seen in, so stepping through a story never jumps into another.
    threads: HashMap<usize, Arc<[usize]>>,
    /// The page line the last jump to a hit went to.
    pub(super) last_hit: Option<usize>,
    /// The selected headline's article, shown beside the list (see [`crate::app::preview`]).
    pub(super) preview: Option<Visit>,
}

impl Reader {
    pub fn history(&self) -> &[Visit] {
        &self.history
    }

    /// The open article's visit, if an article is open.
    pub fn current(&self) -> Option<&Visit> {
        self.history.get(self.at)
    }

    pub(super) fn current_mut(&mut self) -> Option<&mut Visit> {
        self.history.get_mut(self.at)
    }

    /// Focuses link `n` of the open page.
    pub(super) fn focus_link(&mut self, n: usize) {
        if let Some(visit) = self.current_mut() {
            visit.link = Some(n);
        }
    }

    /// The open article laid out, once its text is at hand.
    pub fn page(&self) -> Option<&ArticleView> {
        self.page.as_deref()
    }

    /// The open page, shared (to read while the app changes).
    pub(super) fn shared_page(&self) -> Option<Rc<ArticleView>> {
        self.page.clone()
    }

    /// The step of history `delta` steps from the current one, if there is one.
    pub(super) fn step(&self, delta: isize) -> Option<usize> {
        (self.at.checked_add_signed(delta)).filter(|&at| at < self.history.len())
    }

    /// Opens `article` as a new step (forward history is dropped, as in a browser).
    fn push(&mut self, visit: Visit) {
        if !self.history.is_empty() {
            self.history.truncate(self.at + 1);
        }
        self.history.push(visit);
        self.at = self.history.len() - 1;
    }

    /// Where the open article stands in its story (1-based) and how many reports it has, once
    /// known and when there is more than one.
    pub fn story_position(&self) -> Option<(usize, usize)> {
        let article = self.current()?.article;
        let thread = &self.answers.get(&article)?.thread;
        let at = thread.iter().position(|&a| a == article)?;
        (thread.len() > 1).then_some((at + 1, thread.len()))
    }

    fn text(&self, article: usize) -> Option<&Result<Arc<Article>, String>> {
        self.texts
            .iter()
            .find(|(a, _)| *a == article)
            .map(|(_, text)| text)
    }

    fn keep_text(&mut self, article: usize, text: Result<Arc<Article>, String>) {
        self.texts.retain(|(a, _)| *a != article);
        if self.texts.len() >= TEXT_CACHE {
            self.texts.pop_front();
        }
        self.texts.push_back((article, text));
    }

    /// A complete answer joins the cache; the article takes whichever thread it is in (members
    /// not yet in a thread join this one).
    fn keep_answer(&mut self, article: usize, mut answer: Answer) -> Rc<Answer> {
        if answer.complete {
            for &member in answer.thread.iter() {
                self.threads
                    .entry(member)
                    .or_insert_with(|| answer.thread.clone());
            }
            if let Some(thread) = self.threads.get(&article) {
                answer.thread = thread.clone();
            }
        }
        if self.answers.len() >= ANSWER_CACHE {
            self.answers.clear();
        }
        let answer = Rc::new(answer);
        if answer.complete {
            self.answers.insert(article, answer.clone());
        }
        answer
    }

    /// Everything laid out or worked out for the old library or index goes.
    pub(super) fn forget_answers(&mut self) {
        self.pages.clear();
        self.answers.clear();
        self.threads.clear();
        self.asked = None;
    }

    /// The library changed: texts are kept only for a library that holds the same articles.
    pub(super) fn forget_texts(&mut self) {
        self.texts.clear();
        self.page_of = None;
    }

    /// The library changed: history follows the ids (steps whose article went are dropped).
    pub(super) fn move_articles(&mut self, moved: &dyn Fn(usize) -> Option<usize>) {
        let mut history = Vec::new();
        let mut at = 0;
        for (k, visit) in self.history.iter().enumerate() {
            if let Some(article) = moved(visit.article) {
                if k <= self.at {
                    at = history.len();
                }
                history.push(Visit { article, ..*visit });
            }
        }
        self.history = history;
        self.at = at;
    }
}

impl App {
    /// The open article's visit, if an article is open.
    pub fn current(&self) -> Option<&Visit> {
        self.reader.current()
    }

    /// The open article laid out for the reading pane's current width.
    pub fn page(&self) -> Option<&ArticleView> {
        self.reader.page()
    }

    /// How many text lines the reading pane shows.
    pub fn reader_rows(&self) -> usize {
        usize::from(
            self.reader_geometry()
                .text_column(self.settings.wrap_width)
                .height,
        )
    }

    /// The first page line on screen.
    pub fn scroll(&self) -> usize {
        match (self.page(), self.shown()) {
            (Some(page), Some(visit)) => page.line_of(visit.position).min(self.max_scroll(page)),
            _ => 0,
        }
    }

    fn max_scroll(&self, page: &ArticleView) -> usize {
        page.lines.len().saturating_sub(self.reader_rows())
    }

    /// Geometry as if the reading pane were shown (it is, on wide terminals, or when focused).
    pub(super) fn reader_geometry(&self) -> Areas {
        Areas::new(
            self.width,
            self.height,
            Focus::Reader,
            self.settings.list_width,
        )
    }

    /// The focused link, for drawing.
    pub fn focused_link(&self) -> Option<usize> {
        self.shown().and_then(|v| v.link)
    }

    /// `Top`, `End`, `All` or a percentage: how far through the open article the view is.
    pub fn position_label(&self) -> String {
        let Some(page) = self.page() else {
            return String::new();
        };
        let max = self.max_scroll(page);
        let scroll = self.scroll();
        if max == 0 {
            "All".into()
        } else if scroll == 0 {
            "Top".into()
        } else if scroll >= max {
            "End".into()
        } else {
            format!("{}%", scroll * 100 / max)
        }
    }

    pub(super) fn update_reader(&mut self, action: Action) {
        let rows = self.reader_rows().max(1);
        let page = rows.saturating_sub(1).max(1) as isize;
        match action {
            Action::ScrollDown => self.scroll_by(1),
            Action::ScrollUp => self.scroll_by(-1),
            Action::PageDown => self.scroll_by(page),
            Action::PageUp => self.scroll_by(-page),
            Action::Top => self.scroll_to(0),
            Action::Bottom => self.scroll_to(usize::MAX),
            Action::Open => self.follow_link(),
            Action::NextLink => self.move_link(true),
            Action::PreviousLink => self.move_link(false),
            Action::NextArticle => self.step_article(1),
            Action::PreviousArticle => self.step_article(-1),
            Action::Close | Action::Quit => {
                self.remember_position();
                self.focus = Focus::List;
                self.refresh();
            }
            _ => {}
        }
    }

    /// Opens an article as a new step of history (where its preview was scrolled to, else
    /// where the reader stopped in it last).
    pub(super) fn visit(&mut self, article: usize) {
        let previewed = (self.reader.preview.take()).filter(|p| p.article == article);
        if self.current().is_some_and(|v| v.article == article) {
            if let (Some(visit), Some(p)) = (self.reader.current_mut(), previewed) {
                visit.position = p.position;
            }
            self.focus = Focus::Reader;
            self.refresh();
            return;
        }
        self.remember_position();
        self.remember_list_top();
        let position = previewed
            .map(|p| p.position)
            .or_else(|| (self.library.head(article)).and_then(|a| self.marks.position(a.id)));
        let position = position.unwrap_or_default();
        self.reader.push(Visit {
            article,
            position,
            link: None,
            list_top: self.list.top(),
        });
        self.show_current();
    }

    pub(super) fn show_current(&mut self) {
        if let Some(article) = self.current().map(|v| v.article) {
            self.reader.last_hit = None;
            self.list.select_article(article);
            self.focus = Focus::Reader;
            self.mark_read(article);
            self.refresh();
        }
    }

    /// What is known of how `article` relates to the rest, if it is at hand: the cached answer
    /// once the index is built; before, the exact links of its text if that was read.
    pub(super) fn answer(&self, article: usize) -> Option<Rc<Answer>> {
        if let Some(answer) = self.reader.answers.get(&article) {
            return Some(answer.clone());
        }
        if self.relations.is_some() {
            return None;
        }
        match self.reader.text(article)? {
            Ok(text) => Some(Rc::new(Answer::pending(&self.library, article, text))),
            Err(_) => Some(Rc::new(Answer::pending(
                &self.library,
                article,
                &Article::default(),
            ))),
        }
    }

    /// Asks for `article`'s text and answer, once.
    pub(super) fn ask(&mut self, article: usize) {
        if self.reader.asked == Some(article) {
            return;
        }
        self.reader.asked = Some(article);
        self.emit(Effect::ReadArticle(ReadArticle {
            library: self.library.clone(),
            relations: self.relations.clone(),
            article,
            similar_count: self.settings.similar_count,
        }));
    }

    /// An article's text and answer have come: kept, and laid out if it is the open one; an
    /// action that waited for them runs.
    pub(super) fn article_read(&mut self, read: ArticleRead) {
        if !Arc::ptr_eq(&read.library, &self.library) {
            return;
        }
        let ArticleRead {
            article,
            text,
            answer,
            ..
        } = read;
        if self.reader.asked == Some(article) {
            self.reader.asked = None;
        }
        self.reader.keep_answer(article, answer);
        self.reader.keep_text(article, text);
        self.refresh();
        if let Some((Wait::Article(waited), action)) = &self.waiting
            && self.library.find(waited) == Some(article)
        {
            let action = *action;
            self.waiting = None;
            self.act(action);
        }
    }

    /// Lays out the open article for the current width (from the cache when it can, asking
    /// for its text when it is not at hand) and keeps the selection in view. Called when the
    /// size, the focus, the library or the article changes.
    pub(super) fn refresh(&mut self) {
        self.keep_selection_in_view();
        let Some(article) = self.shown().map(|v| v.article) else {
            self.reader.page = None;
            return;
        };
        let width = self
            .reader_geometry()
            .text_column(self.settings.wrap_width)
            .width
            .max(1);
        if self.reader.pages.len() >= PAGE_CACHE {
            self.reader.pages.clear();
        }
        self.pictures.shown = None;
        let picture = match self.reader.text(article) {
            Some(Ok(text)) => self.picture_layout(&text.clone()),
            _ => None,
        };
        let key = (article, width, picture);
        if let Some(page) = self.reader.pages.get(&key) {
            self.reader.page = Some(page.clone());
            self.reader.page_of = Some((article, width));
            return;
        }
        let (Some(text), Some(answer)) = (self.reader.text(article), self.answer(article)) else {
            // The article's own page stays up (its answer is being completed); another's goes.
            if self.reader.page_of != Some((article, width)) {
                self.reader.page = None;
            }
            self.ask(article);
            return;
        };
        let date_format = &self.settings.date_format;
        let page = Rc::new(match text {
            Ok(text) => ArticleView::build(
                &self.library,
                (article, text),
                &answer,
                key.2.as_ref(),
                width,
                date_format,
            ),
            Err(why) => ArticleView::unreadable(&self.library, article, why, width, date_format),
        });
        if answer.complete && text.is_ok() {
            self.reader.pages.insert(key, page.clone());
        }
        self.reader.page = Some(page);
        self.reader.page_of = Some((article, width));
    }

    pub(super) fn scroll_to(&mut self, line: usize) {
        let Some(page) = self.reader.shared_page() else {
            return;
        };
        let line = line.min(self.max_scroll(&page));
        if let (Some(visit), Some(l)) = (self.shown_mut(), page.lines.get(line)) {
            visit.position = l.start;
        }
    }

    pub(super) fn scroll_by(&mut self, delta: isize) {
        self.scroll_to(self.scroll().saturating_add_signed(delta));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that has visited these articles in turn.
    fn reader_of(articles: &[usize]) -> Reader {
        let mut reader = Reader::default();
        for &article in articles {
            reader.push(Visit {
                article,
                position: TextPosition::default(),
                link: None,
                list_top: 0,
            });
        }
        reader
    }

    fn visited(reader: &Reader) -> Vec<usize> {
        reader.history().iter().map(|v| v.article).collect()
    }

    #[test]
    fn a_new_step_drops_forward_history_as_a_browser_does() {
        let mut reader = reader_of(&[1, 2, 3]);
        reader.at = 0;
        reader.push(Visit {
            article: 9,
            position: TextPosition::default(),
            link: None,
            list_top: 0,
        });
        assert_eq!(visited(&reader), [1, 9]);
        assert_eq!(reader.current().map(|v| v.article), Some(9));
    }

    #[test]
    fn history_follows_its_articles_when_the_library_changes() {
        let mut reader = reader_of(&[1, 2, 3]);
        // Article 2 went; the others moved down one.
        reader.move_articles(&|i| (i != 2).then(|| i - 1));
        assert_eq!(visited(&reader), [0, 2]);
        assert_eq!(reader.current().map(|v| v.article), Some(2));
    }

    #[test]
    fn few_texts_are_kept_and_the_newest_wins() {
        let mut reader = Reader::default();
        for a in 0..TEXT_CACHE + 2 {
            reader.keep_text(a, Err(format!("text {a}")));
        }
        assert!(reader.text(0).is_none() && reader.text(1).is_none());
        assert!(reader.text(TEXT_CACHE + 1).is_some());
        reader.keep_text(5, Err("again".into()));
        assert_eq!(reader.text(5), Some(&Err("again".into())));
        assert_eq!(reader.texts.len(), TEXT_CACHE);
    }
}
