//! HTML nested deeper than a browser would build it, flattened before it is parsed: the tags
//! of elements more than [`MAX_DEPTH`] levels down are dropped (their text stays, in the
//! deepest element kept), so that neither the parser nor the extraction after it can be made
//! to spend time or stack in proportion to a depth the page chooses. The same pass weighs the
//! tree (every element's depth, added up: what looking through each element's descendants
//! costs), so that the extraction can tell a page too costly to search for its story. One
//! pass over the text, linear in its size.

use std::borrow::Cow;

/// How deep elements may nest before their tags are dropped: far deeper than any real page
/// (Lighthouse calls more than 32 levels excessive), half of where Chromium's parser stops
/// nesting (512).
pub const MAX_DEPTH: usize = 256;

/// HTML with its deepest tags dropped, and what that pass saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flat<'a> {
    pub html: Cow<'a, str>,
    /// How many tags were dropped (0, and the text as it was, for every ordinary page).
    pub dropped: usize,
    /// Every element's depth in the tree kept, added up.
    pub weight: u64,
}

/// How far down the dropped elements an end tag is looked for: a page's own end tags close
/// the element just opened, or one a few levels up.
const NEAR: usize = 16;

/// Elements with no content and no end tag.
const VOID: [&str; 15] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
];

/// Elements whose end tag may be left out: the parser closes them when a sibling opens, so
/// they do not nest by themselves and are not counted.
const OPTIONAL_END: [&str; 19] = [
    "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
    "colgroup", "caption", "rb", "rt", "rtc", "rp", "body",
];

/// Elements whose content is text up to their own end tag, never markup.
const RAW_TEXT: [&str; 9] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// The HTML with the tags of elements nested deeper than `MAX_DEPTH` dropped.
pub fn flatten(html: &str) -> Flat<'_> {
    flatten_at(html, MAX_DEPTH)
}

/// [`flatten`] at another depth.
/// Long: one pass over the text, a small scanner whose state (depth, the open tags, the
/// weight) every branch updates.
pub fn flatten_at(html: &str, max_depth: usize) -> Flat<'_> {
    let bytes = html.as_bytes();
    // The open elements kept (at most `max_depth`) and those whose tags were dropped, by name.
    let mut kept: Vec<&str> = Vec::new();
    let mut dropped: Vec<&str> = Vec::new();
    // The byte ranges of the tags dropped, in order.
    let mut cut: Vec<(usize, usize)> = Vec::new();
    let mut weight = 0u64;
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            at = html[start + 4..]
                .find("-->")
                .map_or(bytes.len(), |e| start + 4 + e + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            at = html[start..]
                .find('>')
                .map_or(bytes.len(), |e| start + e + 1);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_at = start + 1 + usize::from(closing);
        if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            at = start + 1;
            continue;
        }
        let name_end = (name_at..bytes.len())
            .find(|&i| !(bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-' || bytes[i] == b':'))
            .unwrap_or(bytes.len());
        let name = &html[name_at..name_end];
        let end = tag_end(bytes, name_end);
        if closing {
            if let Some(k) = dropped.iter().rev().take(NEAR).position(|d| same(d, name)) {
                dropped.truncate(dropped.len() - 1 - k);
                cut.push((start, end));
            } else if let Some(k) = kept.iter().rev().position(|d| same(d, name)) {
                dropped.clear();
                kept.truncate(kept.len() - 1 - k);
            } else if !dropped.is_empty() {
                cut.push((start, end));
            }
            at = end;
            continue;
        }
        at = end;
        if let Some(raw) = RAW_TEXT.iter().find(|r| same(r, name)) {
            // Its text runs to its own end tag, and neither tag is ever dropped.
            at = find_end_tag(html, end, raw).map_or(bytes.len(), |e| tag_end(bytes, e + 2));
            continue;
        }
        if same(name, "plaintext") {
            break;
        }
        // A `/>` closes nothing in HTML (`<div/>` opens a div), so it is not looked at.
        if VOID.iter().any(|v| same(v, name)) || OPTIONAL_END.iter().any(|o| same(o, name)) {
            // Never dropped, and never holding what follows: one level below the deepest kept.
            weight += kept.len() as u64 + 1;
            continue;
        }
        if kept.len() < max_depth {
            kept.push(name);
            weight += kept.len() as u64;
        } else {
            dropped.push(name);
            cut.push((start, end));
        }
    }
    if cut.is_empty() {
        return Flat {
            html: Cow::Borrowed(html),
            dropped: 0,
            weight,
        };
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for &(start, end) in &cut {
        out.push_str(&html[from..start]);
        from = end;
    }
    out.push_str(&html[from..]);
    Flat {
        html: Cow::Owned(out),
        dropped: cut.len(),
        weight,
    }
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Where the tag whose name ends at `from` ends: just past its `>`, or the end of the text.
/// Quoted attribute values may hold `>`.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut after_equals = false;
    while i < bytes.len() {
        match bytes[i] {
            b'>' => return i + 1,
            b'=' => after_equals = true,
            quote @ (b'"' | b'\'') if after_equals => {
                i = bytes[i + 1..]
                    .iter()
                    .position(|&b| b == quote)
                    .map_or(bytes.len(), |p| i + 1 + p);
                after_equals = false;
            }
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    bytes.len()
}

/// Where the end tag of the raw-text element `name` starts at or after `from`.
fn find_end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(found) = html[at..].find("</") {
        let start = at + found;
        let name_at = start + 2;
        if bytes
            .get(name_at..name_at + name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
        {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_left_as_they_are() {
        let html = "<html><body><div class=\"a>b\"><p>One<p>Two<br><img src=x>\
                    <script>if (a < b) { x = '</div>'; }</script><ul><li>x<li>y</ul></div>";
        let flat = flatten_at(html, 4);
        assert_eq!(flat.dropped, 0);
        assert!(matches!(flat.html, Cow::Borrowed(_)));
        // html 1, body 2, div 2 (body, whose end tag may be left out, holds nothing in this
        // count), p, p, br and img 3, ul 3, li 4 and 4; the script is not counted.
        assert_eq!(flat.weight, 1 + 2 + 2 + 3 + 3 + 3 + 3 + 3 + 4 + 4);
    }

    #[test]
    fn tags_deeper_than_the_limit_are_dropped_and_their_text_kept() {
        let html = "<div><div><div><b>deep</b> text</div></div></div><p>after</p>";
        let flat = flatten_at(html, 2);
        assert_eq!(flat.html, "<div><div>deep text</div></div><p>after</p>");
        assert_eq!((flat.dropped, flat.weight), (4, 1 + 2 + 1));
        let deep = format!("{}x{}", "<DIV>".repeat(10), "</div>".repeat(10));
        let flat = flatten_at(&deep, 3);
        assert_eq!(flat.html, "<DIV><DIV><DIV>x</div></div></div>");
        assert_eq!((flat.dropped, flat.weight), (14, 1 + 2 + 3));
    }

    #[test]
    fn unclosed_deep_elements_end_with_the_element_that_holds_them() {
        let html = format!("<section>{}x</section><p>after", "<span>".repeat(10));
        let flat = flatten_at(&html, 3);
        assert_eq!(flat.html, "<section><span><span>x</section><p>after");
    }

    #[test]
    fn quotes_comments_and_raw_text_hide_their_angle_brackets() {
        let html = "<a title='>'><!-- <div> --><style>div>p{}</style><b>x</b></a>";
        let flat = flatten_at(html, 1);
        assert_eq!(
            flat.html,
            "<a title='>'><!-- <div> --><style>div>p{}</style>x</a>"
        );
        assert_eq!(flat.dropped, 2);
        let flat = flatten_at("<div/><div/><div/>x", 2);
        assert_eq!((flat.html.as_ref(), flat.dropped), ("<div/><div/>x", 1));
    }
}
