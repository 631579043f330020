//! Feed lists from elsewhere and for elsewhere: OPML (every `outline` with an `xmlUrl`, at any
//! depth of folders) and newsboat's `urls` file in, OPML 2.0 out.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use crate::feeds::fetch::{States, name_of};
use crate::feeds::{Feed, Found, check_url};

/// The feeds a list names, with a problem for each entry that is not a feed address. An
/// OPML file (it starts with `<`) is read as OPML; anything else as a newsboat `urls` file.
pub fn import(text: &str) -> Result<(Vec<Found>, Vec<String>), String> {
    let found = if text.trim_start().starts_with('<') {
        from_opml(text)?
    } else {
        from_urls(text)
    };
    let mut feeds: Vec<Found> = Vec::new();
    let mut problems = Vec::new();
    for feed in found {
        match check_url(&feed.url) {
            // A feed in two folders is listed once, in both.
            Ok(()) => match feeds.iter_mut().find(|f| f.url == feed.url) {
                Some(first) => {
                    let new: Vec<String> = (feed.tags.into_iter())
                        .filter(|t| !first.tags.contains(t))
                        .collect();
                    first.tags.extend(new);
                    first.name = first.name.take().or(feed.name);
                }
                None => feeds.push(feed),
            },
            Err(why) => problems.push(why),
        }
    }
    if feeds.is_empty() {
        return Err(match problems.is_empty() {
            true => "it names no feed: not an OPML file or a newsboat urls list".into(),
            false => format!(
                "it names no feed address ({} lines that are not one): not an OPML file or a \
                 newsboat urls list",
                problems.len()
            ),
        });
    }
    Ok((feeds, problems))
}

/// Every `outline` with an `xmlUrl`, however deep in folders (outlines without one), tagged
/// with the folders it is in (`News/World`). Its `title` (else its `text`) is not taken as a
/// name the user chose: the feed's own title is shown once it is fetched. Attribute names
/// are matched whatever their case (`xmlurl`).
fn from_opml(text: &str) -> Result<Vec<Found>, String> {
    let mut reader = Reader::from_str(text);
    let mut found = Vec::new();
    // The open outlines: a folder's name, or `None` for a feed's.
    let mut open: Vec<Option<String>> = Vec::new();
    let tags = |open: &[Option<String>]| -> Vec<String> {
        let path: Vec<&str> = open.iter().flatten().map(String::as_str).collect();
        match path.is_empty() {
            true => Vec::new(),
            false => vec![path.join("/")],
        }
    };
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().into_inner() == "outline" => {
                let (url, name) = outline(&e);
                match url {
                    Some(url) => {
                        found.push(Found {
                            url,
                            name: None,
                            tags: tags(&open),
                        });
                        open.push(None);
                    }
                    None => open.push(Some(name.unwrap_or_default()).filter(|n| !n.is_empty())),
                }
            }
            Ok(Event::Empty(e)) if e.local_name().into_inner() == "outline" => {
                if let (Some(url), _) = outline(&e) {
                    found.push(Found {
                        url,
                        name: None,
                        tags: tags(&open),
                    });
                }
            }
            Ok(Event::End(e)) if e.local_name().into_inner() == "outline" => {
                open.pop();
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

/// An outline's `xmlUrl` and its title (else its text).
fn outline(element: &BytesStart) -> (Option<String>, Option<String>) {
    let mut url = None;
    let mut title = None;
    let mut text = None;
    for attribute in element.attributes().flatten() {
        let Ok(value) = attribute.normalized_value(XmlVersion::Implicit1_0) else {
            continue;
        };
        let value = value.trim().to_string();
        match attribute
            .key
            .local_name()
            .into_inner()
            .to_ascii_lowercase()
            .as_str()
        {
            "xmlurl" => url = Some(value),
            "title" => title = Some(value),
            "text" => text = Some(value),
            _ => {}
        }
    }
    let name = title
        .filter(|t| !t.is_empty())
        .or(text)
        .filter(|t| !t.is_empty());
    (url, name)
}

/// newsboat's `urls`: an address a line, then quoted tags, of which `"~Name"` names the feed;
/// `#` comments and `query:` feeds (searches over other feeds) are passed over.
fn from_urls(text: &str) -> Vec<Found> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("\"query:"))
        .map(|line| {
            let (url, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
            // Only the quoted tags count here (newsboat has no unquoted name).
            let quoted: String = rest
                .split('"')
                .enumerate()
                .filter(|(k, _)| k % 2 == 1)
                .map(|(_, tag)| format!("\"{tag}\" "))
                .collect();
            let (name, tags) = super::name_and_tags(&quoted);
            Found {
                url: url.to_string(),
                name,
                tags,
            }
        })
        .collect()
}

/// The feeds as an OPML 2.0 document: each with its name (the one the user gave, else its
/// own title as last fetched, else its host), its type (`rss`, `atom` or `json`, as last
/// fetched) and its folders, as outlines within outlines (a feed in two folders is in both).
pub fn export(feeds: &[Feed], states: &States) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>broadsheet feeds</title>\n  </head>\n  <body>\n",
    );
    // Every feed under each of its folders (a folder path split at `/`), in the file's order.
    let mut placed: Vec<(Vec<String>, &Feed)> = Vec::new();
    for feed in feeds {
        if feed.tags.is_empty() {
            placed.push((Vec::new(), feed));
        }
        for tag in &feed.tags {
            let path = tag.split('/').map(str::trim).filter(|p| !p.is_empty());
            placed.push((path.map(str::to_string).collect(), feed));
        }
    }
    // Each folder where its first feed stands in the file, its feeds and folders in their
    // order within it: the key of a place is the first line of each of its folders, then its
    // feed's line.
    let first_line = |prefix: &[String]| {
        placed
            .iter()
            .filter(|(path, _)| path.starts_with(prefix))
            .map(|(_, feed)| feed.line)
            .min()
            .unwrap_or(0)
    };
    let keys: Vec<Vec<(usize, String)>> = placed
        .iter()
        .map(|(path, feed)| {
            let mut key: Vec<(usize, String)> = (1..=path.len())
                .map(|n| (first_line(&path[..n]), path[n - 1].clone()))
                .collect();
            key.push((feed.line, String::new()));
            key
        })
        .collect();
    let mut order: Vec<usize> = (0..placed.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let placed: Vec<(Vec<String>, &Feed)> = order.into_iter().map(|k| placed[k].clone()).collect();
    let mut open: Vec<String> = Vec::new();
    for (path, feed) in placed {
        let shared = open.iter().zip(&path).take_while(|(a, b)| a == b).count();
        while open.len() > shared {
            open.pop();
            out.push_str(&format!("{}</outline>\n", indent(open.len())));
        }
        for folder in &path[shared..] {
            let name = escape(folder);
            out.push_str(&format!(
                "{}<outline text=\"{name}\" title=\"{name}\">\n",
                indent(open.len())
            ));
            open.push(folder.clone());
        }
        let state = states.of(&feed.url);
        let name = escape(&name_of(feed, state));
        let kind = state.and_then(|s| s.kind.as_deref()).unwrap_or("rss");
        out.push_str(&format!(
            "{}<outline type=\"{}\" text=\"{name}\" title=\"{name}\" xmlUrl=\"{}\"/>\n",
            indent(open.len()),
            escape(kind),
            escape(&feed.url)
        ));
    }
    while !open.is_empty() {
        open.pop();
        out.push_str(&format!("{}</outline>\n", indent(open.len())));
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

/// The indent of an outline `depth` folders deep.
fn indent(depth: usize) -> String {
    "  ".repeat(depth + 2)
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
    use crate::feeds::fetch::State;

    fn found(url: &str, name: Option<&str>, tags: &[&str]) -> Found {
        Found {
            url: url.to_string(),
            name: name.map(str::to_string),
            tags: tags.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn outlines_are_found_at_any_depth_with_their_folders_as_tags() {
        let opml = r#"<?xml version="1.0"?>
<opml version="1.0"><head><title>x</title></head><body>
  <outline text="News">
    <outline text="World">
      <outline text="Deep" title="The Deep Feed" type="rss" xmlUrl="https://deep.example/rss?a=1&amp;b=2"/>
    </outline>
    <outline text="Only text" xmlurl="http://text.example/feed"></outline>
  </outline>
  <outline text="A folder without a feed"/>
  <outline xmlUrl="https://bare.example/atom"/>
  <outline text="Bad" xmlUrl="gopher://old.example/"/>
</body></opml>"#;
        let (feeds, problems) = import(opml).expect("OPML");
        assert_eq!(
            feeds,
            [
                found("https://deep.example/rss?a=1&b=2", None, &["News/World"]),
                found("http://text.example/feed", None, &["News"]),
                found("https://bare.example/atom", None, &[]),
            ]
        );
        assert_eq!(
            problems,
            ["gopher://old.example/ is not an http or https address"]
        );
        assert!(import("<opml><body></outline></body>").is_err());
        // A file that names no feed is not a feed list.
        assert!(import("<opml><body><outline text=\"x\"/></body></opml>").is_err());
        assert!(import("root:x:0:0:root:/root:/bin/bash\n").is_err());
    }

    #[test]
    fn a_newsboat_urls_file_gives_its_addresses_tilde_names_and_tags() {
        let urls = "# my feeds\nhttps://a.example/rss \"news\" \"~A News\"\nhttp://b.example/feed\n\"query:unread:unread = \\\"yes\\\"\"\n";
        let (feeds, problems) = import(urls).expect("urls");
        assert_eq!(
            feeds,
            [
                found("https://a.example/rss", Some("A News"), &["news"]),
                found("http://b.example/feed", None, &[]),
            ]
        );
        assert!(problems.is_empty());
    }

    #[test]
    fn export_gives_names_types_and_folders_and_reads_back() {
        let feed = |url: &str, name: Option<&str>, tags: &[&str], line| Feed {
            url: url.into(),
            name: name.map(Into::into),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            line,
        };
        let feeds = vec![
            feed(
                "https://a.example/rss?x=1&y=2",
                Some("Tom & \"Jerry\" <News>\u{1b}[2J"),
                &["News/World", "Fun"],
                1,
            ),
            feed("http://b.example/feed", None, &[], 2),
            feed("http://c.example/atom", None, &["News"], 3),
        ];
        let states = States {
            feeds: vec![State {
                url: "http://c.example/atom".into(),
                title: Some("The C Times".into()),
                kind: Some("atom".into()),
                ..State::default()
            }],
        };
        let opml = export(&feeds, &states);
        assert!(!opml.contains('\u{1b}'));
        assert!(
            opml.contains("type=\"atom\" text=\"The C Times\""),
            "{opml}"
        );
        assert!(opml.contains("type=\"rss\" text=\"b.example\""), "{opml}");
        let (back, problems) = import(&opml).expect("its own OPML");
        assert!(problems.is_empty());
        assert_eq!(
            back,
            [
                found(
                    "https://a.example/rss?x=1&y=2",
                    None,
                    &["Fun", "News/World"]
                ),
                found("http://c.example/atom", None, &["News"]),
                found("http://b.example/feed", None, &[]),
            ]
        );
    }
}
