//! The preview: in the two-pane layout, while the list has the keyboard, the reading pane
//! shows the selected headline's article and follows the selection, as mail and feed readers
//! do. A preview is not reading: it marks nothing read and is no step of history; opening the
//! headline (or following a link in it) does both, from where the preview was scrolled to.

use crate::app::App;
use crate::app::layout::Focus;
use crate::app::reader::Visit;

impl App {
    /// The article the reading pane shows: the preview while the list has the keyboard and
    /// one is up, else the open article.
    pub fn shown(&self) -> Option<&Visit> {
        self.previewing()
            .then_some(self.reader.preview.as_ref())
            .flatten()
            .or_else(|| self.current())
    }

    pub(super) fn shown_mut(&mut self) -> Option<&mut Visit> {
        if self.previewing() {
            self.reader.preview.as_mut()
        } else {
            self.reader.current_mut()
        }
    }

    /// Whether the reading pane shows a preview rather than the open article.
    pub fn previewing(&self) -> bool {
        self.focus == Focus::List && self.reader.preview.is_some()
    }

    /// Brings the preview in line with the selection, after every message: the selected
    /// headline's article while the list has the keyboard beside the reading pane, else none.
    pub(super) fn follow_selection(&mut self) {
        let areas = self.areas();
        let wanted = (self.focus == Focus::List && areas.wide && !areas.too_small)
            .then(|| self.list.selected_article())
            .flatten();
        if self.reader.preview.map(|p| p.article) == wanted {
            return;
        }
        self.reader.preview = wanted.map(|article| {
            // The open article is previewed where it is being read; another where its reader
            // stopped last.
            let position = match self.current() {
                Some(visit) if visit.article == article => visit.position,
                _ => (self.library.head(article))
                    .and_then(|a| self.marks.position(a.id))
                    .unwrap_or_default(),
            };
            Visit {
                article,
                position,
                link: None,
                list_top: 0,
            }
        });
        self.refresh();
    }

    /// Opens the previewed article (when one is shown), so that what acts on the reading pane
    /// acts on the article seen there.
    pub(super) fn open_preview(&mut self) {
        let previewed = self.reader.preview.filter(|_| self.previewing());
        if let Some(preview) = previewed {
            self.visit(preview.article);
        }
    }
}
