//! Feed lists from elsewhere and for elsewhere: OPML (every `outline` with an `xmlUrl`, at any
//! depth of folders) and newsboat's `urls` file in, OPML 2.0 out.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::feeds::{Feed, check_url};

/// A feed found in a list: its address and name (if the list gives one).
pub type Found = (String, Option<String>);

/// The feeds a list names, with a problem for each entry that is not a feed address. An
/// OPML file (it starts with `<`) is read as OPML; anything else as a newsboat `urls` file.
pub fn import(text: &str) -> Result<(Vec<Found>, Vec<String>), String> {
    let found = if text.trim_start().starts_with('<') {
        from_opml(text)?
    } else {
        from_urls(text)
    };
    let mut feeds = Vec::new();
    let mut problems = Vec::new();
    for (url, name) in found {
        match check_url(&url) {
            Ok(()) => feeds.push((url, name)),
            Err(why) => problems.push(why),
        }
    }
    Ok((feeds, problems))
}

/// Every `outline` with an `xmlUrl`, however deep in folders, named by its `title` (else its
/// `text`).
fn from_opml(text: &str) -> Result<Vec<Found>, String> {
    let mut reader = Reader::from_str(text);
    let mut found = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().into_inner() == "outline" => {
                if let Some(feed) = outline(&e) {
                    found.push(feed);
                }
            }
            Ok(Event::Eof) => return Ok(found),
            Ok(_) => {}
            Err(e) => {
                let at = reader.error_position();
                let (line, column) = crate::text::line_column(text, at as usize);
                return Err(format!("{line}:{column}: not OPML: {e}"));
            }
        }
    }
}

fn outline(element: &BytesStart) -> Option<Found> {
    let mut url = None;
    let mut title = None;
    let mut text = None;
    for attribute in element.attributes().flatten() {
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .ok()?
            .trim()
            .to_string();
        match attribute.key.local_name().into_inner() {
            "xmlUrl" => url = Some(value),
            "title" => title = Some(value),
            "text" => text = Some(value),
            _ => {}
        }
    }
    let name = title
        .filter(|t| !t.is_empty())
        .or(text)
        .filter(|t| !t.is_empty());
    Some((url?, name))
}

/// newsboat's `urls`: an address a line, then quoted tags, of which `"~Name"` names the feed;
/// `#` comments and `query:` feeds (searches over other feeds) are passed over.
fn from_urls(text: &str) -> Vec<Found> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("\"query:"))
        .map(|line| {
            let (url, tags) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            let name = quoted(tags)
                .into_iter()
                .find_map(|tag| tag.strip_prefix('~').map(str::to_string));
            (url.to_string(), name)
        })
        .collect()
}

/// The `"quoted"` strings of a line of tags.
fn quoted(tags: &str) -> Vec<&str> {
    tags.split('"')
        .enumerate()
        .filter(|(k, _)| k % 2 == 1)
        .map(|(_, tag)| tag)
        .collect()
}

/// The feeds as an OPML 2.0 document.
pub fn export(feeds: &[Feed]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>broadsheet feeds</title>\n  </head>\n  <body>\n",
    );
    for feed in feeds {
        let name = escape(&feed.shown_name());
        out.push_str(&format!(
            "    <outline type=\"rss\" text=\"{name}\" title=\"{name}\" xmlUrl=\"{}\"/>\n",
            escape(&feed.url)
        ));
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn escape(text: &str) -> String {
    crate::text::clean_display(text)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(url: &str, name: Option<&str>) -> Found {
        (url.to_string(), name.map(str::to_string))
    }

    #[test]
    fn outlines_are_found_at_any_depth_and_named_by_title_then_text() {
        let opml = r#"<?xml version="1.0"?>
<opml version="1.0"><head><title>x</title></head><body>
  <outline text="News">
    <outline text="World">
      <outline text="Deep" title="The Deep Feed" type="rss" xmlUrl="https://deep.example/rss?a=1&amp;b=2"/>
    </outline>
    <outline text="Only text" xmlUrl="http://text.example/feed"></outline>
  </outline>
  <outline text="A folder without a feed"/>
  <outline xmlUrl="https://bare.example/atom"/>
  <outline text="Bad" xmlUrl="gopher://old.example/"/>
</body></opml>"#;
        let (feeds, problems) = import(opml).expect("OPML");
        assert_eq!(
            feeds,
            [
                found("https://deep.example/rss?a=1&b=2", Some("The Deep Feed")),
                found("http://text.example/feed", Some("Only text")),
                found("https://bare.example/atom", None),
            ]
        );
        assert_eq!(
            problems,
            ["gopher://old.example/ is not an http or https address"]
        );
        assert!(import("<opml><body></outline></body>").is_err());
    }

    #[test]
    fn a_newsboat_urls_file_gives_its_addresses_and_tilde_names() {
        let urls = "# my feeds\nhttps://a.example/rss \"news\" \"~A News\"\nhttp://b.example/feed\n\"query:unread:unread = \\\"yes\\\"\"\n";
        let (feeds, problems) = import(urls).expect("urls");
        assert_eq!(
            feeds,
            [
                found("https://a.example/rss", Some("A News")),
                found("http://b.example/feed", None),
            ]
        );
        assert!(problems.is_empty());
    }

    #[test]
    fn export_escapes_and_reads_back() {
        let feeds = vec![
            Feed {
                url: "https://a.example/rss?x=1&y=2".into(),
                name: Some("Tom & \"Jerry\" <News>\u{1b}[2J".into()),
                line: 1,
            },
            Feed {
                url: "http://b.example/feed".into(),
                name: None,
                line: 2,
            },
        ];
        let opml = export(&feeds);
        assert!(!opml.contains('\u{1b}'));
        let (back, problems) = import(&opml).expect("its own OPML");
        assert!(problems.is_empty());
        assert_eq!(
            back,
            [
                found(
                    "https://a.example/rss?x=1&y=2",
                    Some("Tom & \"Jerry\" <News>")
                ),
                found("http://b.example/feed", Some("b.example")),
            ]
        );
    }
}
