//! What a search shows of what it found: the words to pick out in a line of text (whole
//! words and, while typing, words that begin with the last one), and a snippet of the body
//! around the first hit.

use super::*;

/// Finds the words a query matches in a line of text, to highlight them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Highlighter {
    pub(super) terms: FxHashSet<String>,
    pub(super) prefixes: Vec<String>,
}

impl Highlighter {
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.prefixes.is_empty()
    }

    /// The byte ranges of `text` that match, in order. A range takes in the combining marks
    /// that follow its last letter, so it never splits a character as the terminal draws it.
    pub fn hits(&self, text: &str) -> Vec<Range<usize>> {
        let mut hits = Vec::new();
        if self.is_empty() {
            return hits;
        }
        index::words(text, |range, folded, term| {
            let matched = term.is_some_and(|t| self.terms.contains(t))
                || self.prefixes.iter().any(|p| folded.starts_with(p.as_str()));
            if matched {
                let mut end = range.end;
                for c in text[end..].chars() {
                    if c.width() == Some(0) && !c.is_control() {
                        end += c.len_utf8();
                    } else {
                        break;
                    }
                }
                hits.push(range.start..end);
            }
        });
        hits
    }
}

/// A short extract of the body around the first hit (about `width` characters), with `…`
/// where it was cut; the start of the body when no body paragraph has a hit.
pub fn snippet(article: &Article, highlighter: &Highlighter, width: usize) -> String {
    let blocks: Vec<&str> = article.body.iter().map(|b| b.text()).collect();
    let found = blocks
        .iter()
        .find_map(|text| highlighter.hits(text).first().map(|hit| (*text, hit.start)));
    let (text, at) = found.unwrap_or((blocks.first().copied().unwrap_or(""), 0));
    let text = clean_display(text);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let hit = chars.iter().position(|&(b, _)| b >= at).unwrap_or(0);
    let start = hit.saturating_sub(width / 3);
    // Start and end on word boundaries where there is one near.
    let start = (start..hit)
        .find(|&i| i == 0 || chars[i - 1].1.is_whitespace())
        .unwrap_or(start);
    let end = (start + width).min(chars.len());
    let end = (hit.max(start)..end)
        .rev()
        .find(|&i| i == chars.len() || chars.get(i).is_some_and(|c| c.1.is_whitespace()))
        .filter(|&i| i > hit)
        .unwrap_or(end);
    let piece: String = chars[start..end].iter().map(|&(_, c)| c).collect();
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(piece.trim());
    if end < chars.len() {
        out.push('…');
    }
    out
}
