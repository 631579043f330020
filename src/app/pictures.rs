//! The shown article's picture: asked for at the reading column's width (and at most a third
//! of the pane's height) when the article is laid out, drawn off the key thread
//! ([`Effect::DrawPicture`]), and laid out under the byline when it is ready, with its caption
//! beneath. Where it cannot be drawn (pictures turned off with `P`, `NO_COLOR`, a terminal
//! without colour, `images = "off"`, not downloaded, refused), `[photo: caption]` stands in
//! its place. A picture that is refused or broken is a line in the problems window.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::app::App;
use crate::app::message::{Effect, NoPicture, PictureJob, PictureKey};
use crate::app::reader_view::PictureLayout;
use crate::article::Article;
use crate::images::draw::Drawn;
use crate::images::{Mode, store::Store};

/// Pictures kept drawn: going back to the last few articles draws none again.
const KEPT: usize = 6;

/// The reader's pictures.
#[derive(Debug, Default)]
pub struct Pictures {
    /// Shown or not (`P`).
    pub(super) off: bool,
    /// This terminal cannot draw them (no colour), or the config says never.
    pub(super) never: bool,
    /// The pictures drawn last (or why not), newest last.
    drawn: VecDeque<(PictureKey, Result<Arc<Drawn>, NoPicture>)>,
    /// The picture asked for and not yet come.
    asked: Option<PictureKey>,
    /// Pictures that could not be shown, one line each, for the problems window.
    pub(super) problems: Vec<String>,
    /// The picture on the page shown now.
    pub(super) shown: Option<Arc<Drawn>>,
}

impl Pictures {
    /// Pictures as the config and the terminal allow: `drawable` is false where the terminal
    /// cannot show colour (`NO_COLOR`, a monochrome theme).
    pub fn new(mode: Mode, shown: bool, drawable: bool) -> Pictures {
        Pictures {
            off: !shown,
            never: mode == Mode::Off || !drawable,
            ..Pictures::default()
        }
    }

    fn get(&self, key: &PictureKey) -> Option<&Result<Arc<Drawn>, NoPicture>> {
        (self.drawn.iter().rev())
            .find(|(k, _)| k == key)
            .map(|(_, drawn)| drawn)
    }

    /// The picture drawn now, for the reading pane.
    pub fn shown(&self) -> Option<&Arc<Drawn>> {
        self.shown.as_ref()
    }

    /// Pictures that could not be shown.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }
}

impl App {
    /// How `article`'s picture stands on its page now (`None`: it has none, or it is on its
    /// way and the text shows without it), asking for it to be drawn when it has not been.
    pub(super) fn picture_layout(&mut self, article: &Article) -> Option<PictureLayout> {
        let picture = article.image.as_ref()?;
        let placeholder = || Some(PictureLayout::Placeholder(picture.placeholder()));
        if self.pictures.never || self.pictures.off {
            return placeholder();
        }
        let column = self.reader_geometry().text_column(self.settings.wrap_width);
        let key = PictureKey {
            url: picture.url.clone(),
            columns: column.width.max(1),
            max_rows: (column.height / 3).max(1),
        };
        match self.pictures.get(&key).cloned() {
            Some(Ok(drawn)) => {
                self.pictures.shown = Some(drawn.clone());
                Some(PictureLayout::Drawn {
                    rows: drawn.rows,
                    caption: picture.caption.clone(),
                })
            }
            Some(Err(_)) => placeholder(),
            None => {
                if self.pictures.asked.as_ref() != Some(&key) {
                    self.pictures.asked = Some(key.clone());
                    let images = &self.settings.images;
                    let download =
                        (images.mode == Mode::Open).then(|| self.settings.fetch_limits());
                    self.emit(Effect::DrawPicture(PictureJob {
                        key,
                        store: Store::of(images),
                        download,
                    }));
                }
                None
            }
        }
    }

    /// A picture is drawn (or why not): kept, and the page laid out again with it.
    pub(super) fn picture_drawn(&mut self, key: PictureKey, drawn: Result<Arc<Drawn>, NoPicture>) {
        if self.pictures.asked.as_ref() == Some(&key) {
            self.pictures.asked = None;
        }
        if let Err(NoPicture::Problem(why)) = &drawn {
            let line = format!(
                "picture {}: {}",
                crate::text::clean_display(&key.url),
                crate::text::clean_display(why)
            );
            if !self.pictures.problems.contains(&line) {
                self.pictures.problems.push(line);
            }
        }
        if self.pictures.drawn.len() >= KEPT {
            self.pictures.drawn.pop_front();
        }
        self.pictures.drawn.push_back((key, drawn));
        self.refresh();
    }

    /// `P`: pictures off, or on again.
    pub(super) fn toggle_pictures(&mut self) {
        self.pictures.off = !self.pictures.off;
        self.message = Some(match (self.pictures.off, self.pictures.never) {
            (true, _) => "Pictures off (P shows them)".to_string(),
            (false, false) => "Pictures on".to_string(),
            (false, true) => {
                "Pictures cannot be drawn here (no colour, or images = \"off\")".to_string()
            }
        });
        self.refresh();
    }
}
