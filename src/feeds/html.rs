//! From HTML to an article's text: the readable story found in a whole page (a readability
//! port, `dom_smoothie`, leaves navigation, ads, comments and scripts behind), and any HTML
//! (a page's story, an item's summary) turned into paragraphs and subheadings, entities
//! decoded and markup gone. HTML nested deeper than a browser builds is flattened first
//! ([`super::nesting`]), and the walk over the tree keeps its own stack, so no page controls
//! how deep anything here recurses. A page whose tree would cost the readability port more
//! than [`MAX_WEIGHT`] (it looks through each element's descendants, so a page of deep
//! chains costs it their depth times their size) keeps its whole text instead, read in one
//! walk.

use dom_query::{Document, NodeRef, Selection};

use crate::article::Block;
use crate::text::one_line;

/// What a web page's readable story holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readable {
    pub title: String,
    /// The page's one-line description, when it has one.
    pub excerpt: Option<String>,
    /// The site's own name (`og:site_name`), when it says.
    pub site_name: Option<String>,
    /// When the page says it was published, as it says it.
    pub published: Option<String>,
    pub body: Vec<Block>,
    /// How many tags nested deeper than a browser builds were dropped to read it (0 for an
    /// ordinary page).
    pub flattened: usize,
    /// Whether the page's tree was too costly to look for its story in, so that its whole
    /// text was kept.
    pub whole_page: bool,
    /// The page's lead picture (see [`page_picture`]).
    pub image: Option<crate::picture::Picture>,
}

impl Readable {
    /// When the page says it was published, read as RFC 3339 (its offset kept).
    pub fn time(&self) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        (self.published.as_deref()).and_then(|p| chrono::DateTime::parse_from_rfc3339(p).ok())
    }

    /// What was odd about the page, said as a problem is: its nesting, when it was flattened,
    /// and its whole text kept, when it was.
    pub fn warnings(&self) -> Vec<String> {
        let mut said = Vec::new();
        if self.flattened > 0 {
            said.push(format!(
                "HTML nested more than {} elements deep: {} tags below that were dropped and \
                 their text kept",
                super::nesting::MAX_DEPTH,
                self.flattened
            ));
        }
        if self.whole_page {
            said.push(
                "HTML too deeply nested to look for its story in: the whole page's text was kept"
                    .to_string(),
            );
        }
        said
    }
}

/// The most a page's tree may weigh ([`super::nesting::Flat::weight`]: every element's depth,
/// added up) for the readability port to look for its story in it: about half a second's
/// work here at the most (BENCHMARKS.md). A large real news page, a few thousand elements
/// some fifteen deep, weighs under a hundred thousand.
pub const MAX_WEIGHT: u64 = 1_000_000;

/// The readable story of a whole page at `url`; `None` when there is none worth the name.
pub fn readable(html: &str, url: Option<&str>) -> Option<Readable> {
    let flat = super::nesting::flatten(html);
    let flattened = flat.dropped;
    if flat.weight > MAX_WEIGHT {
        return whole_page(&flat.html, flattened);
    }
    let html = flat.html;
    let mut readability = dom_smoothie::Readability::new(html.as_ref(), url, None).ok()?;
    let article = readability.parse().ok()?;
    let body = blocks(&article.content);
    if !a_story(&body) {
        return None;
    }
    let line = |s: Option<String>| s.map(|s| one_line(&s)).filter(|s| !s.is_empty());
    let image = page_picture(&html, &article.content, article.image.as_deref(), url);
    let site_name = line(article.site_name);
    Some(Readable {
        title: without_site(&one_line(&article.title), site_name.as_deref()),
        excerpt: line(article.excerpt),
        site_name,
        published: line(article.published_time),
        body,
        flattened,
        whole_page: false,
        image,
    })
}

/// The smallest width a picture inside a story may say it has to lead it (icons, avatars
/// and tracking pixels are smaller).
const MIN_WIDTH: u32 = 300;

/// The lead picture of a web page: its `og:image` (`meta_image`, as the readability port
/// read it) with the page's alt text for it, else the first large picture inside the story
/// (`story_html`) with its figure's caption or its alt text.
pub fn page_picture(
    page_html: &str,
    story_html: &str,
    meta_image: Option<&str>,
    base: Option<&str>,
) -> Option<crate::picture::Picture> {
    let absolute = |href: &str| match base {
        Some(base) => crate::feeds::resolve(base, href.trim()),
        None => Some(href.trim().to_string()),
    };
    if let Some(url) = meta_image.and_then(absolute) {
        let caption = meta_alt(page_html);
        if let Some(picture) = crate::picture::Picture::new(&url, caption.as_deref()) {
            return Some(picture);
        }
    }
    let story = Document::from(story_html);
    story.select("img").iter().find_map(|img| {
        let large = ["width", "height"].iter().all(|attr| {
            let min = if *attr == "width" { MIN_WIDTH } else { 2 };
            img.attr(attr)
                .and_then(|w| w.trim_end_matches("px").trim().parse::<u32>().ok())
                .is_none_or(|w| w >= min)
        });
        let src = img.attr("src")?;
        if !large || src.starts_with("data:") || src.to_ascii_lowercase().contains(".svg") {
            return None;
        }
        let caption = figure_caption(&img).or_else(|| img.attr("alt").map(|a| a.to_string()));
        crate::picture::Picture::new(&absolute(&src)?, caption.as_deref())
    })
}

/// The caption of the figure a picture stands in, if it stands in one.
fn figure_caption(img: &Selection) -> Option<String> {
    let figure = img.ancestors(Some(4)).filter("figure");
    let caption = plain(&figure.first().select("figcaption").text());
    (!caption.is_empty()).then_some(caption)
}

/// The page's alt text for its `og:image` (`og:image:alt`, else `twitter:image:alt`).
fn meta_alt(page_html: &str) -> Option<String> {
    if !page_html.contains("image:alt") {
        return None;
    }
    let page = Document::from(page_html);
    ["og:image:alt", "twitter:image:alt"]
        .iter()
        .find_map(|name| {
            let selector = format!(r#"meta[property="{name}"], meta[name="{name}"]"#);
            let content = page.select(&selector).attr("content")?;
            Some(plain(&content)).filter(|c| !c.is_empty())
        })
}

/// The fewest words a page's text must have to be a story ("Welcome." is not one).
pub const MIN_STORY_WORDS: usize = 20;

/// Whether the text is a story worth saving: at least [`MIN_STORY_WORDS`] words.
fn a_story(body: &[Block]) -> bool {
    body.iter()
        .map(|b| b.text().split_whitespace().count())
        .sum::<usize>()
        >= MIN_STORY_WORDS
}

/// A page too costly to look for its story in, read whole in one walk: its title (else its
/// first heading) and every paragraph outside scripts, navigation and the like.
fn whole_page(html: &str, flattened: usize) -> Option<Readable> {
    let document = Document::from(html);
    let mut walk = Walk::default();
    walk.tree(document.root());
    walk.flush();
    let mut body = walk.blocks;
    let title = one_line(&document.select("title").text());
    let title = match title.is_empty() {
        false => title,
        true => match body.first() {
            Some(Block::Subheading(heading)) => heading.clone(),
            _ => String::new(),
        },
    };
    if body.first().is_some_and(|b| b.text() == title) {
        body.remove(0);
    }
    if !a_story(&body) {
        return None;
    }
    Some(Readable {
        title,
        body,
        flattened,
        whole_page: true,
        ..Readable::default()
    })
}

/// A page title without the site's name after it (`Story | The Site`).
fn without_site(title: &str, site: Option<&str>) -> String {
    let Some(site) = site else {
        return title.to_string();
    };
    for separator in [" | ", " - ", " – ", " — ", " :: ", " · "] {
        if let Some(story) = title
            .strip_suffix(site)
            .and_then(|t| t.strip_suffix(separator))
            && !story.trim().is_empty()
        {
            return story.trim().to_string();
        }
    }
    title.to_string()
}

/// Elements whose text is not the story's.
const SKIPPED: [&str; 13] = [
    "head", "script", "style", "noscript", "template", "nav", "aside", "footer", "header", "form",
    "button", "iframe", "svg",
];
/// Elements that start and end a block of text.
const BLOCKS: [&str; 20] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "blockquote",
    "pre",
    "figcaption",
    "td",
    "th",
    "dd",
    "dt",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
];

/// The paragraphs and subheadings (`h1`–`h6`) of a piece of HTML, each one clean line.
pub fn blocks(html: &str) -> Vec<Block> {
    let flat = super::nesting::flatten(html);
    let document = Document::fragment(flat.html.as_ref());
    let mut walk = Walk::default();
    walk.tree(document.root());
    walk.flush();
    walk.blocks
}

/// One step of the walk over a tree: a node to go into, the end of an element, or the end
/// of one of a heading's children.
enum Step<'a> {
    Enter(NodeRef<'a>),
    Leave { block: bool },
    InHeading,
}

#[derive(Default)]
struct Walk {
    blocks: Vec<Block>,
    text: String,
    heading: bool,
}

impl Walk {
    /// Every node below `root` in document order, on a stack of its own.
    fn tree(&mut self, root: NodeRef) {
        let mut steps = vec![Step::Enter(root)];
        while let Some(step) = steps.pop() {
            match step {
                Step::Enter(node) => self.enter(&node, &mut steps),
                Step::Leave { block } => {
                    if block {
                        self.flush();
                    }
                }
                Step::InHeading => self.heading = true,
            }
        }
    }

    /// A node's own text, or the steps its children take (pushed last first).
    fn enter<'a>(&mut self, node: &NodeRef<'a>, steps: &mut Vec<Step<'a>>) {
        if node.is_text() {
            self.text.push_str(&node.text());
            return;
        }
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if SKIPPED.contains(&name.as_str()) {
            return;
        }
        if name == "br" {
            self.text.push(' ');
            return;
        }
        let block = BLOCKS.contains(&name.as_str());
        if block {
            self.flush();
        }
        let heading = matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        steps.push(Step::Leave { block });
        for child in node.children().into_iter().rev() {
            if heading {
                steps.push(Step::InHeading);
            }
            steps.push(Step::Enter(child));
        }
    }

    fn flush(&mut self) {
        let text = one_line(&std::mem::take(&mut self.text));
        if !text.is_empty() {
            self.blocks.push(if std::mem::take(&mut self.heading) {
                Block::Subheading(text)
            } else {
                Block::Paragraph(text)
            });
        }
        self.heading = false;
    }
}

/// Text that may hold markup (a feed's title or summary) as one clean line of plain text.
pub fn plain(text: &str) -> String {
    if text.contains(['<', '&']) {
        let blocks = blocks(text);
        let words: Vec<&str> = blocks.iter().map(Block::text).collect();
        if !words.is_empty() {
            return words.join(" ");
        }
    }
    one_line(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_becomes_paragraphs_and_subheadings_with_entities_decoded() {
        let html = "<div><p>Caf&eacute; &amp; bar&nbsp;open<br>late</p><script>alert(1)</script>\
                    <h2>What &lt;next&gt;</h2><ul><li>One</li><li>Two &#8212; <b>bold</b></li></ul>\
                    <nav>Home | About</nav><p>\u{1b}[31mRed\u{1b}[0m text</p></div>";
        assert_eq!(
            blocks(html),
            [
                Block::Paragraph("Café & bar open late".into()),
                Block::Subheading("What <next>".into()),
                Block::Paragraph("One".into()),
                Block::Paragraph("Two — bold".into()),
                Block::Paragraph("Red text".into()),
            ]
        );
        assert_eq!(plain("Tom &amp; <i>Jerry</i>"), "Tom & Jerry");
        assert_eq!(without_site("Story | The Site", Some("The Site")), "Story");
        assert_eq!(
            without_site("Story - Other", Some("The Site")),
            "Story - Other"
        );
        assert_eq!(without_site("The Site", Some("The Site")), "The Site");
        assert_eq!(plain("Plain\ttitle\n"), "Plain title");
    }
}
