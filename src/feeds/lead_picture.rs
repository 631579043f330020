//! Which picture leads a feed item's story: Media RSS `media:content` of an image type, else
//! `media:thumbnail`, an image enclosure, JSON Feed's `image`, Atom's image links, each with
//! its caption when there is one (an item with none takes its page's:
//! [`crate::feeds::html::page_picture`]). Relative
//! addresses are taken from the feed's or page's own; anything but http(s) is no picture.

use feed_rs::model::Entry;

use crate::feeds::html::plain;
use crate::feeds::resolve;
use crate::picture::Picture;

/// Whether a media type names a picture (and not an SVG, which is a program more than a
/// picture: it is never drawn).
pub fn is_image_type(kind: &str) -> bool {
    let kind = kind.trim().to_ascii_lowercase();
    kind.starts_with("image/") && !kind.contains("svg")
}

/// Whether an address looks like a picture file by its name (for media with no type).
fn looks_like_image(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp", ".gif"]
        .iter()
        .any(|x| lower.ends_with(x))
}

/// The lead picture a feed item carries, if any, in the order the issue of each kind makes
/// likely to be the story's own photo.
pub fn of_entry(entry: &Entry, feed_url: &str) -> Option<Picture> {
    let picture = |href: &str, caption: Option<String>| {
        resolve(feed_url, href.trim()).and_then(|url| Picture::new(&url, caption.as_deref()))
    };
    let media_caption = |m: &feed_rs::model::MediaObject| {
        (m.description.as_ref().or(m.title.as_ref())).map(|t| plain(&t.content))
    };
    // Media RSS content (and RSS enclosures, which the parser gives as media) of an image
    // type, the widest first when the feed says how wide.
    let mut contents: Vec<(u32, &str, Option<String>)> = Vec::new();
    for media in &entry.media {
        for content in &media.content {
            let Some(url) = &content.url else { continue };
            let typed = content.content_type.as_ref().map(|t| t.to_string());
            let image = match &typed {
                Some(kind) => is_image_type(kind),
                None => looks_like_image(url.as_str()),
            };
            if image {
                let width = content.width.unwrap_or(0);
                contents.push((width, url.as_str(), media_caption(media)));
            }
        }
    }
    contents.sort_by_key(|(width, _, _)| std::cmp::Reverse(*width));
    let from_content = contents
        .into_iter()
        .find_map(|(_, url, caption)| picture(url, caption));
    from_content
        .or_else(|| {
            entry.media.iter().find_map(|media| {
                let thumb = media.thumbnails.first()?;
                let caption = media_caption(media).or_else(|| thumb.image.description.clone());
                picture(&thumb.image.uri, caption)
            })
        })
        .or_else(|| {
            // Atom's enclosure links and JSON Feed's attachments of an image type.
            entry.links.iter().find_map(|link| {
                let kind = link.media_type.as_deref()?;
                let enclosure = link.rel.as_deref().is_none_or(|r| r == "enclosure");
                (enclosure && is_image_type(kind))
                    .then(|| picture(&link.href, link.title.clone()))
                    .flatten()
            })
        })
}

/// The pictures of each item that the feed parser does not keep, in the feed's order: JSON
/// Feed's `image`, and a `media:thumbnail` standing alone (with no `media:content`) in an
/// RSS item or Atom entry, as many news feeds give their photo.
pub fn unparsed_images(
    body: &[u8],
    kind: &feed_rs::model::FeedType,
    feed_url: &str,
) -> Vec<Option<Picture>> {
    match kind {
        feed_rs::model::FeedType::JSON => json_feed_images(body, feed_url),
        _ => lone_thumbnails(body, feed_url),
    }
}

/// The first `media:thumbnail` of each item or entry, in order.
fn lone_thumbnails(body: &[u8], feed_url: &str) -> Vec<Option<Picture>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut found: Vec<Option<Picture>> = Vec::new();
    let mut inside = false;
    let mut buf = Vec::new();
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        match &event {
            Event::Start(e) if matches!(e.local_name().into_inner(), "item" | "entry") => {
                inside = true;
                found.push(None);
            }
            Event::End(e) if matches!(e.local_name().into_inner(), "item" | "entry") => {
                inside = false;
            }
            Event::Start(e) | Event::Empty(e)
                if inside
                    && e.name().into_inner() == "media:thumbnail"
                    && found.last().is_some_and(Option::is_none) =>
            {
                let url = e.attributes().flatten().find_map(|a| {
                    (a.key.local_name().into_inner() == "url")
                        .then(|| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
                        .flatten()
                        .map(|v| v.into_owned())
                });
                if let (Some(url), Some(last)) = (url, found.last_mut()) {
                    *last = resolve(feed_url, url.trim()).and_then(|u| Picture::new(&u, None));
                }
            }
            _ => {}
        }
        buf.clear();
    }
    found
}

/// JSON Feed's `image` (else `banner_image`) of each item, in the feed's order; empty for a
/// feed that is not JSON (the parser does not keep them).
fn json_feed_images(body: &[u8], feed_url: &str) -> Vec<Option<Picture>> {
    let Ok(feed) = serde_json::from_slice::<serde_json::Value>(body) else {
        return Vec::new();
    };
    let Some(items) = feed.get("items").and_then(|i| i.as_array()) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|item| {
            let href = ["image", "banner_image"]
                .iter()
                .find_map(|k| item.get(k).and_then(|v| v.as_str()))?;
            let url = resolve(feed_url, href.trim())?;
            Picture::new(&url, None)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::html;

    #[test]
    fn a_thumbnail_standing_alone_is_each_items_own() {
        let rss = br#"<rss xmlns:media="http://search.yahoo.com/mrss/"><channel>
            <item><title>a</title><media:thumbnail url="/t/1.jpg"/></item>
            <item><title>b</title></item>
            <item><title>c</title><media:thumbnail url="https://x.example/3.png" width="9"/>
            <media:thumbnail url="https://x.example/second.png"/></item></channel></rss>"#;
        let found = lone_thumbnails(rss, "https://feeds.example/rss");
        let urls: Vec<Option<String>> = found.into_iter().map(|p| p.map(|p| p.url)).collect();
        assert_eq!(
            urls,
            [
                Some("https://feeds.example/t/1.jpg".to_string()),
                None,
                Some("https://x.example/3.png".to_string())
            ]
        );
    }

    #[test]
    fn a_page_gives_its_meta_picture_else_the_first_large_one_in_its_story() {
        let page = r#"<meta property="og:image:alt" content="A ship in port">"#;
        let p =
            html::page_picture(page, "", Some("/a.jpg"), Some("https://s.example/news/1")).unwrap();
        assert_eq!(p.url, "https://s.example/a.jpg");
        assert_eq!(p.caption.as_deref(), Some("A ship in port"));
        let story = r#"<p><img src="pixel.gif" width="1" height="1"><img src="i.svg" width="800">
            <figure><img src="big.jpg" width="800" alt="alt text">
            <figcaption>The <b>harbour</b> at dawn</figcaption></figure></p>"#;
        let p = html::page_picture("", story, None, Some("https://s.example/news/1")).unwrap();
        assert_eq!(p.url, "https://s.example/news/big.jpg");
        assert_eq!(p.caption.as_deref(), Some("The harbour at dawn"));
        let none = html::page_picture("", r#"<img src="data:image/png;base64,AAAA">"#, None, None);
        assert_eq!(none, None);
    }

    #[test]
    fn types_and_names_tell_a_picture() {
        assert!(is_image_type("image/jpeg"));
        assert!(!is_image_type("image/svg+xml"));
        assert!(!is_image_type("audio/mpeg"));
        assert!(looks_like_image("https://x/a.JPG?w=800"));
        assert!(!looks_like_image("https://x/a.mp3"));
    }
}
