//! An article's sections, as the reader shows them and as `show`, `|` and `S` write them:
//! headline, byline and link, standfirst, body, then `Related stories`, `More like this` and
//! `Linked from`. One model, so the screen and the text never list different things; each
//! renderer lays it out its own way (`app::reader_view` for the pane, `cli::print` as text).

use crate::article::Article;
use crate::library::Library;
use crate::related::Answer;
use crate::text::format_date;

/// One entry of a section after the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The headline, with the date and another outlet's name for a found story.
    pub text: String,
    /// The article it names, when the folder holds it.
    pub target: Option<usize>,
}

/// A section after the body: its title and entries, or a note in place of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: &'static str,
    pub entries: Vec<Entry>,
    /// Said in place of entries (`finding similar stories…`).
    pub note: Option<&'static str>,
}

/// The sections after an article's body that `answer` knows of, in the reader's order; the
/// article itself is never an entry of the lists the index makes (its own related list may
/// name it: a renderer shows that entry as it sees fit).
pub fn sections(
    library: &Library,
    index: usize,
    article: &Article,
    answer: &Answer,
    date_format: &str,
) -> Vec<Section> {
    let mut sections = Vec::new();
    if !article.related.is_empty() {
        let entries = (article.related.iter().enumerate())
            .map(|(n, headline)| Entry {
                text: headline.clone(),
                target: answer.related.get(n).copied().flatten(),
            })
            .collect();
        sections.push(Section {
            title: "Related stories",
            entries,
            note: None,
        });
    }
    // The date of each, and its source when it is another outlet's.
    let own_source = article.source.as_str();
    let dated = |target: usize| {
        let other = library.head(target).unwrap_or_default();
        let mut text = other.headline.to_string();
        if let Some(date) = other.date {
            text.push_str(&format!(" · {}", format_date(date, date_format)));
        }
        if !other.source.is_empty() && other.source != own_source {
            text.push_str(&format!(" · {}", other.source));
        }
        Entry {
            text,
            target: Some(target),
        }
    };
    if !answer.complete {
        sections.push(Section {
            title: "More like this",
            entries: Vec::new(),
            note: Some("finding similar stories…"),
        });
    }
    let lists: [(&'static str, Vec<usize>); 2] = [
        (
            "More like this",
            answer.similar.iter().map(|s| s.0).collect(),
        ),
        ("Linked from", answer.linked_from.clone()),
    ];
    for (title, targets) in lists {
        let entries: Vec<Entry> = (targets.into_iter())
            .filter(|&t| t != index)
            .map(dated)
            .collect();
        if !entries.is_empty() {
            sections.push(Section {
                title,
                entries,
                note: None,
            });
        }
    }
    sections
}
