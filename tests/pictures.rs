//! Pictures, against a real HTTP server on 127.0.0.1 serving pictures the test makes itself
//! (JPEG, PNG, WebP): every kind of picture a feed item or a page can name becomes the page's
//! `Image:` line and `show --json`'s `image`; `images = "fetch"` downloads with the news and
//! reading asks nothing, `"open"` the other way round (the server's requests counted); the
//! hostile ones (a decompression bomb, a cut-off file, a web page and an SVG named as
//! pictures) are refused with a line in the problems window; the reader lays the picture out
//! under the byline in half blocks, with its caption beneath, scrolls and resizes it, and `P`
//! and `NO_COLOR` leave the caption alone as `[photo: caption]`.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use broadsheet::action::Action;
use broadsheet::app::reader_view::LineKind;
use broadsheet::app::{App, Effect};
use broadsheet::bookmarks::{Bookmarks, ReadingState};
use broadsheet::config::Config;
use broadsheet::loader::load;
use common::picture;
use common::server::{Server, ok};
use image::ImageFormat;
use serde_json::Value;
use tempfile::TempDir;

/// A PNG that claims 50,000 x 50,000 pixels in a few dozen bytes.
fn bomb() -> Vec<u8> {
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.finalize().to_be_bytes());
        out
    };
    let mut ihdr = 50_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&50_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    png.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    png.extend(chunk(b"IEND", &[]));
    png
}

const WORDS: &str = "The harbour wall that broke in last month's storm has been rebuilt, and the first \
     boats returned on Monday morning to a crowd of families waiting on the quay.";

/// An article page, with an `og:image` when `meta` names one.
fn article(headline: &str, meta: Option<(&str, &str)>) -> String {
    let meta = match meta {
        Some((url, alt)) => format!(
            r#"<meta property="og:image" content="{url}"><meta property="og:image:alt" content="{alt}">"#
        ),
        None => String::new(),
    };
    format!(
        "<!DOCTYPE html><html><head><title>{headline}</title>{meta}</head><body><article>\
         <h1>{headline}</h1><p>{WORDS}</p><p>{WORDS}</p></article></body></html>"
    )
}

/// The server's news: an RSS feed whose items name their pictures every way RSS can (and
/// one that leaves it to its page, one with none), an Atom feed with an image enclosure, a
/// JSON Feed with `image`, and the pictures, hostile ones among them.
fn serve(server: &Server) {
    let u = |p: &str| server.url(p);
    let rss = format!(
        r#"<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>Coast</title><link>{site}</link><description>d</description>
<item><title>Media content</title><link>{a1}</link><guid>m1</guid>
 <media:content url="{jpg}" type="image/jpeg" width="1600" height="900"><media:description>The quay at dawn</media:description></media:content></item>
<item><title>A thumbnail</title><link>{a2}</link><guid>m2</guid>
 <media:thumbnail url="/pics/thumb.png" width="300" height="200"/></item>
<item><title>An enclosure</title><link>{a3}</link><guid>m3</guid>
 <enclosure url="{png}" type="image/png" length="100"/></item>
<item><title>The page says</title><link>{a4}</link><guid>m4</guid></item>
<item><title>No picture at all</title><link>{a5}</link><guid>m5</guid></item>
<item><title>A bomb</title><link>{a6}</link><guid>h1</guid><enclosure url="{bomb}" type="image/png" length="1"/></item>
<item><title>Cut short</title><link>{a7}</link><guid>h2</guid><enclosure url="{cut}" type="image/jpeg" length="1"/></item>
<item><title>A web page named as a picture</title><link>{a8}</link><guid>h3</guid><enclosure url="{html}" type="image/jpeg" length="1"/></item>
<item><title>An SVG sent as a PNG</title><link>{a9}</link><guid>h4</guid><enclosure url="{svg}" type="image/png" length="1"/></item>
</channel></rss>"#,
        site = u("/"),
        a1 = u("/a/1"),
        a2 = u("/a/2"),
        a3 = u("/a/3"),
        a4 = u("/a/4"),
        a5 = u("/a/5"),
        a6 = u("/a/6"),
        a7 = u("/a/7"),
        a8 = u("/a/8"),
        a9 = u("/a/9"),
        jpg = u("/pics/quay.jpg"),
        png = u("/pics/boat.png"),
        bomb = u("/pics/bomb.png"),
        cut = u("/pics/cut.jpg"),
        html = u("/pics/page.jpg"),
        svg = u("/pics/drawing.png"),
    );
    server.route("/rss", ok("application/rss+xml", rss));
    let atom = format!(
        r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom news</title><id>urn:x</id><updated>2025-03-03T09:00:00Z</updated>
<entry><title>Atom enclosure</title><id>urn:a1</id><updated>2025-03-03T09:00:00Z</updated><link href="{a}"/>
<link rel="enclosure" type="image/jpeg" href="{pic}" title="Nets on the slipway"/></entry></feed>"#,
        a = u("/b/1"),
        pic = u("/pics/nets.jpg")
    );
    server.route("/atom", ok("application/atom+xml", atom));
    let json = format!(
        r#"{{"version":"https://jsonfeed.org/version/1.1","title":"JSON news","items":[
{{"id":"j1","url":"{a}","title":"JSON image","image":"{pic}","content_text":"x"}}]}}"#,
        a = u("/c/1"),
        pic = u("/pics/gull.webp")
    );
    server.route("/json", ok("application/feed+json", json));
    for (path, headline, meta) in [
        ("/a/1", "Media content", None),
        ("/a/2", "A thumbnail", None),
        ("/a/3", "An enclosure", None),
        (
            "/a/4",
            "The page says",
            Some(("/pics/gull.webp", "A gull on the wall")),
        ),
        ("/a/5", "No picture at all", None),
        ("/a/6", "A bomb", None),
        ("/a/7", "Cut short", None),
        ("/a/8", "A web page named as a picture", None),
        ("/a/9", "An SVG sent as a PNG", None),
        ("/b/1", "Atom enclosure", None),
        ("/c/1", "JSON image", None),
    ] {
        server.route(path, ok("text/html", article(headline, meta)));
    }
    let jpeg = picture(1600, 900, ImageFormat::Jpeg);
    server.route("/pics/quay.jpg", ok("image/jpeg", jpeg.clone()));
    server.route("/pics/nets.jpg", ok("image/jpeg", jpeg.clone()));
    server.route(
        "/pics/thumb.png",
        ok("image/png", picture(300, 200, ImageFormat::Png)),
    );
    server.route(
        "/pics/boat.png",
        ok("image/png", picture(640, 480, ImageFormat::Png)),
    );
    server.route(
        "/pics/gull.webp",
        ok("image/webp", picture(400, 300, ImageFormat::WebP)),
    );
    server.route("/pics/bomb.png", ok("image/png", bomb()));
    server.route(
        "/pics/cut.jpg",
        ok("image/jpeg", jpeg[..jpeg.len() / 3].to_vec()),
    );
    server.route(
        "/pics/page.jpg",
        ok(
            "image/jpeg",
            "<!doctype html><html><body>Not found</body></html>",
        ),
    );
    server.route(
        "/pics/drawing.png",
        ok(
            "image/png",
            r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
        ),
    );
}

const PICTURES: [&str; 10] = [
    "/pics/quay.jpg",
    "/pics/nets.jpg",
    "/pics/thumb.png",
    "/pics/boat.png",
    "/pics/gull.webp",
    "/pics/bomb.png",
    "/pics/cut.jpg",
    "/pics/page.jpg",
    "/pics/drawing.png",
    "/pics/none.jpg",
];

/// A home for the command line and the reader: its config names the articles folder, the
/// pictures' cache and when pictures are downloaded.
struct Home {
    dir: TempDir,
    images: &'static str,
}

impl Home {
    fn new(images: &'static str, server: &Server) -> Home {
        let dir = TempDir::new().expect("tempdir");
        let home = Home { dir, images };
        std::fs::write(home.dir.path().join("config.toml"), home.config_text()).expect("config");
        let feeds = ["/rss", "/atom", "/json"].map(|p| server.url(p)).join("\n");
        std::fs::write(home.dir.path().join("feeds"), feeds).expect("feeds");
        home
    }

    fn config_text(&self) -> String {
        format!(
            "articles_dir = \"articles\"\nbookmarks_file = \"data/bookmarks.toml\"\n\
             feeds_file = \"feeds\"\nfetch_timeout = 30\nfetch_connect_timeout = 10\n\
             images = \"{}\"\nimages_dir = {:?}\n",
            self.images,
            self.cache().display().to_string()
        )
    }

    fn cache(&self) -> PathBuf {
        self.dir.path().join("pictures")
    }

    fn articles(&self) -> PathBuf {
        self.dir.path().join("articles")
    }

    fn ok(&self, args: &[&str]) -> String {
        common::succeeded(self.run(args), args)
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        common::broadsheet_in(self.dir.path(), args)
    }

    /// The article shown under this headline, as `show --json` gives it.
    fn show(&self, headline: &str) -> Value {
        let list: Value = serde_json::from_str(&self.ok(&["list", "--json"])).expect("json");
        let id = list
            .as_array()
            .expect("a list")
            .iter()
            .find(|a| a["headline"] == headline)
            .unwrap_or_else(|| panic!("no {headline:?} in {list}"))["id"]
            .as_str()
            .expect("an id")
            .to_string();
        serde_json::from_str(&self.ok(&["show", &id, "--json"])).expect("json")
    }

    /// The reader on the home's folder with its config (and `extra` settings) at a size.
    fn reader(&self, extra: &str, width: u16, height: u16) -> App {
        let text = format!("{}{extra}", self.config_text());
        let config =
            Config::parse(&text, &self.dir.path().join("config.toml")).expect("the config");
        let mut app = App::new(
            load(&self.articles()).expect("load"),
            &config,
            width,
            height,
        );
        app.load_saved(Ok(Bookmarks::default()), Ok(ReadingState::default()));
        app
    }
}

/// How many times the server was asked for each picture, in [`PICTURES`]' order.
fn asked(server: &Server) -> Vec<usize> {
    PICTURES.iter().map(|p| server.asked(p).len()).collect()
}

/// Opens the article with this headline.
fn open(app: &mut App, headline: &str) -> Vec<Effect> {
    let article = (0..app.library().len())
        .find(|&i| {
            app.library()
                .head(i)
                .is_some_and(|h| h.headline == headline)
        })
        .unwrap_or_else(|| panic!("no {headline:?}"));
    let id = app.library().head(article).expect("head").id.to_string();
    common::select(app, &id);
    common::step(app, Action::Open)
}

fn lines_of(app: &App, kind: LineKind) -> Vec<String> {
    app.page()
        .expect("a page")
        .lines
        .iter()
        .filter(|l| l.kind == kind)
        .map(|l| l.text.clone())
        .collect()
}

#[test]
fn every_kind_of_picture_a_feed_or_page_names_is_kept_and_downloaded_with_the_news() {
    let server = Server::start();
    serve(&server);
    let home = Home::new("fetch", &server);
    let started = std::time::Instant::now();
    let fetched = home.run(&["fetch"]);
    let took = started.elapsed();
    assert!(fetched.status.success());
    // What was odd is said on stderr, a line each.
    let said = String::from_utf8_lossy(&fetched.stderr).into_owned();
    // Each picture asked for once, at fetch time (the bomb, the cut file, the page and the
    // SVG too: they are refused once they come).
    assert_eq!(asked(&server), [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
    let image = |headline: &str| home.show(headline)["image"].clone();
    let expect = |path: &str, caption: Option<&str>| serde_json::json!({ "url": server.url(path), "caption": caption });
    assert_eq!(
        image("Media content"),
        expect("/pics/quay.jpg", Some("The quay at dawn"))
    );
    assert_eq!(image("A thumbnail"), expect("/pics/thumb.png", None));
    assert_eq!(image("An enclosure"), expect("/pics/boat.png", None));
    assert_eq!(
        image("The page says"),
        expect("/pics/gull.webp", Some("A gull on the wall"))
    );
    assert_eq!(
        image("Atom enclosure"),
        expect("/pics/nets.jpg", Some("Nets on the slipway"))
    );
    assert_eq!(image("JSON image"), expect("/pics/gull.webp", None));
    assert_eq!(image("No picture at all"), Value::Null);
    // The page line, as the README says, and none on a page without a picture.
    let pages = common::files_below(&home.articles());
    let text_of = |needle: &str| {
        pages
            .iter()
            .map(|p| std::fs::read_to_string(home.articles().join(p)).expect("page"))
            .find(|t| t.contains(needle))
            .unwrap_or_else(|| panic!("no page with {needle:?}"))
    };
    let quay = text_of("Media content");
    let line = format!("Image: {} The quay at dawn", server.url("/pics/quay.jpg"));
    assert!(quay.lines().any(|l| l == line), "{quay}");
    assert!(!text_of("No picture at all").contains("Image:"));
    // The cache holds each good picture once by its content: quay.jpg and nets.jpg are one
    // file, and gull.webp is named by two items.
    let files = common::files_below(&home.cache().join("files"));
    assert_eq!(files.len(), 4, "{files:?}\n{said}\n{took:?}");
    // The hostile ones are refused, each said with why.
    for why in [
        "50000x50000",
        "a JPEG with no end",
        "a web page, not a picture",
        "an SVG",
    ] {
        assert!(said.contains(why), "{why}: {said}");
    }
    // Fetching again asks for no picture again.
    home.ok(&["fetch"]);
    assert_eq!(asked(&server), [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);

    // Reading asks the server for nothing: the picture comes from the cache.
    let mut app = home.reader("", 120, 40);
    open(&mut app, "Media content");
    let rows = lines_of(&app, LineKind::Picture).len();
    assert!(rows > 0, "the picture is laid out");
    assert!(app.pictures().shown().is_some());
    assert_eq!(lines_of(&app, LineKind::Caption), ["The quay at dawn"]);
    assert_eq!(asked(&server), [1, 1, 1, 1, 1, 1, 1, 1, 1, 0]);
}

#[test]
fn hostile_pictures_are_refused_and_each_is_a_line_in_the_problems_window() {
    let server = Server::start();
    serve(&server);
    let home = Home::new("open", &server);
    home.ok(&["fetch"]);
    // With "open", the fetch downloads no picture.
    assert_eq!(asked(&server), [0; 10]);
    let mut app = home.reader("", 120, 40);
    for (headline, why) in [
        ("A bomb", "50000x50000"),
        ("Cut short", "broken or cut short"),
        ("A web page named as a picture", "a web page, not a picture"),
        ("An SVG sent as a PNG", "an SVG"),
    ] {
        open(&mut app, headline);
        // Its caption stands in for it, and nothing is laid out to draw.
        assert_eq!(lines_of(&app, LineKind::Picture).len(), 0, "{headline}");
        assert_eq!(lines_of(&app, LineKind::Caption), ["[photo]"], "{headline}");
        let problems = app.pictures().problems().join("\n");
        assert!(problems.contains(why), "{headline}: {problems}");
        common::step(&mut app, Action::Close);
    }
    assert_eq!(app.pictures().problems().len(), 4);
    common::step(&mut app, Action::ShowProblems);
    let screen = common::screen(&app);
    assert!(screen.contains("4 pictures"), "{screen}");
    assert!(screen.contains("bomb.png"), "{screen}");
    common::step(&mut app, Action::Close);
    // Each was asked for once, on first opening, and a refused one is not asked again.
    open(&mut home.reader("", 120, 40), "A bomb");
    assert_eq!(asked(&server)[5..9], [1, 1, 1, 1]);
    // A good one is downloaded when first opened, then read from the cache.
    open(&mut app, "Media content");
    assert!(!lines_of(&app, LineKind::Picture).is_empty());
    open(&mut home.reader("", 120, 40), "Media content");
    assert_eq!(asked(&server)[0], 1);
}

/// A folder of one article with a picture already in the cache, and the config naming both.
fn one_pictured(dir: &Path, width: u32, height: u32) -> String {
    let url = "http://127.0.0.1:9/pics/quay.jpg";
    common::write(
        dir,
        "articles/quay.txt",
        &format!(
            "London Daily\nImage: {url} The quay at dawn\nMonday, Mar 3, 2025\n\nHarbour reopens\n\n\
             Harbour reopens\n\nBoats are back.\n\n{}\n",
            [WORDS.repeat(3).as_str(); 4].join("\n\n")
        ),
    );
    let store = broadsheet::images::store::Store::new(&dir.join("pictures"), 1 << 30);
    store
        .put(url, &picture(width, height, ImageFormat::Jpeg))
        .expect("kept");
    format!(
        "articles_dir = \"articles\"\nimages_dir = {:?}\nimage_protocol = \"halfblocks\"\n",
        dir.join("pictures").display().to_string()
    )
}

fn reader_on(dir: &Path, config: &str, width: u16, height: u16) -> App {
    let config = Config::parse(config, &dir.join("config.toml")).expect("config");
    let mut app = App::new(
        load(&dir.join("articles")).expect("load"),
        &config,
        width,
        height,
    );
    app.load_saved(Ok(Bookmarks::default()), Ok(ReadingState::default()));
    app
}

#[test]
fn the_picture_is_drawn_in_half_blocks_under_the_byline_with_its_caption_and_scrolls_and_resizes() {
    let dir = TempDir::new().expect("tempdir");
    let config = one_pictured(dir.path(), 1600, 900);
    let mut app = reader_on(dir.path(), &config, 120, 40);
    let effects = common::step(&mut app, Action::Open);
    assert!(effects.iter().all(|e| e.name() != "draw_picture"));
    let terminal = common::draw(&app);
    let buffer = terminal.backend().buffer();
    let page = app.page().expect("a page");
    let (first, rows) = page.picture.expect("the picture's rows");
    // 1600x900 at the reading column's width (80 cells of 10x20 pixels) would take 23 rows:
    // a third of the pane's 36 rows is the most, 12.
    assert_eq!(rows, 12);
    // The picture's first row on screen: the byline's rows and a blank line below the
    // headline, in the reading column.
    let is_block = |x: u16, y: u16| {
        let cell = &buffer[(x, y)];
        matches!(cell.symbol(), "▀" | "▄") && cell.fg != ratatui::style::Color::Reset
    };
    let picture_top = (0..buffer.area.height)
        .find(|&y| (0..buffer.area.width).any(|x| is_block(x, y)))
        .expect("half blocks on screen");
    let headline_row = (0..buffer.area.height)
        .find(|&y| {
            let row: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect();
            row.contains("Harbour reopens") && !row.contains("London Daily")
        })
        .expect("the headline");
    assert_eq!(
        usize::from(picture_top - headline_row),
        first,
        "under the byline"
    );
    let coloured = (0..buffer.area.width)
        .filter(|&x| {
            is_block(x, picture_top)
                || buffer[(x, picture_top)].bg != ratatui::style::Color::Reset
                    && buffer[(x, picture_top)].symbol() == " "
        })
        .count();
    // Narrower than the column, keeping its shape: 12 rows of 20 pixels high is 42 cells of 10.
    assert_eq!(coloured, 42, "a row of the picture is coloured half blocks");
    // Every row of the picture is drawn.
    for y in picture_top..picture_top + rows {
        assert!((0..buffer.area.width).any(|x| is_block(x, y)), "row {y}");
    }
    // The caption right below, dimmed, then the text.
    let screen = terminal.backend().to_string();
    let rows_text: Vec<&str> = screen.lines().collect();
    let caption_row = usize::from(picture_top) + usize::from(rows);
    assert!(
        rows_text[caption_row].contains("The quay at dawn"),
        "{screen}"
    );
    assert!(
        rows_text[caption_row + 2].contains("Boats are back."),
        "{screen}"
    );
    insta::assert_snapshot!("picture_half_blocks_120x40", screen);

    // Scrolled down three lines, the picture goes up with the text.
    for _ in 0..3 {
        common::step(&mut app, Action::ScrollDown);
    }
    let scrolled = common::draw(&app);
    assert_eq!(app.scroll(), 3);
    let moved = scrolled.backend().buffer();
    let blocks = |y: u16| {
        (0..120)
            .filter(|&x| matches!(moved[(x, y)].symbol(), "▀" | "▄"))
            .count()
    };
    assert!(
        blocks(picture_top - 3) > 0,
        "the picture went up three rows"
    );
    assert_eq!(
        blocks(picture_top + rows - 3),
        0,
        "and its last rows with it"
    );

    // A resize draws it again for the new width: 70x20 leaves 16 rows, so 5 at the most.
    let effects = common::step(&mut app, Action::Resize(70, 20));
    assert!(effects.iter().all(|e| e.name() != "draw_picture"));
    let (_, rows) = app.page().expect("a page").picture.expect("redrawn");
    assert_eq!(rows, 5);
    assert_eq!(app.pictures().shown().map(|d| d.rows), Some(5));
}

#[test]
fn p_and_no_colour_leave_the_caption_alone_and_a_picture_less_page_is_as_before() {
    let dir = TempDir::new().expect("tempdir");
    let config = one_pictured(dir.path(), 800, 600);
    let mut app = reader_on(dir.path(), &config, 120, 40);
    common::step(&mut app, Action::Open);
    let with = lines_of(&app, LineKind::Picture).len();
    assert!(with > 0);
    common::step(&mut app, Action::TogglePictures);
    assert_eq!(app.message(), Some("Pictures off (P shows them)"));
    assert_eq!(lines_of(&app, LineKind::Picture).len(), 0);
    assert_eq!(
        lines_of(&app, LineKind::Caption),
        ["[photo: The quay at dawn]"]
    );
    assert!(common::screen(&app).contains("[photo: The quay at dawn]"));
    common::step(&mut app, Action::TogglePictures);
    assert_eq!(lines_of(&app, LineKind::Picture).len(), with);

    // Without colour (NO_COLOR gives this theme), nothing is drawn or even decoded.
    let plain = format!("{config}theme = \"none\"\n");
    let mut app = reader_on(dir.path(), &plain, 120, 40);
    let effects = common::step(&mut app, Action::Open);
    assert!(effects.iter().all(|e| e.name() != "draw_picture"));
    assert!(app.pictures().shown().is_none());
    assert!(common::screen(&app).contains("[photo: The quay at dawn]"));

    // images = "off": the same.
    let off = format!("{config}images = \"off\"\n");
    let mut app = reader_on(dir.path(), &off, 120, 40);
    common::step(&mut app, Action::Open);
    assert!(app.pictures().shown().is_none());
    assert_eq!(
        lines_of(&app, LineKind::Caption),
        ["[photo: The quay at dawn]"]
    );
}

#[test]
fn the_cache_keeps_under_its_cap_by_dropping_the_picture_used_longest_ago() {
    let dir = TempDir::new().expect("tempdir");
    let store = broadsheet::images::store::Store::new(dir.path(), 2500);
    let put = |n: u8| {
        let file = store
            .put(&format!("https://x.example/{n}.png"), &[n; 1000])
            .expect("kept");
        // A second apart, oldest first, as a clock would have them.
        let when = std::time::UNIX_EPOCH + Duration::from_secs(1_000_000 + u64::from(n));
        std::fs::File::options()
            .append(true)
            .open(file)
            .and_then(|f| f.set_modified(when))
            .expect("stamp");
    };
    put(1);
    put(2);
    assert!(store.get("https://x.example/1.png").is_some());
    // Using the first makes the second the one used longest ago. Three are over the cap
    // until a trim (which a fetch does once it has downloaded its pictures).
    put(3);
    assert_eq!(store.size().expect("size"), 3000);
    store.trim().expect("trimmed");
    use broadsheet::images::store::Cached;
    let known = |n: u8| {
        matches!(
            store.get(&format!("https://x.example/{n}.png")),
            Some(Cached::File(_))
        )
    };
    assert!(!known(2), "the one used longest ago is dropped");
    assert!(known(1) && known(3));
    assert!(store.size().expect("size") <= 2500);
}

#[test]
fn a_page_saved_on_its_own_keeps_its_og_image_and_downloads_it_with_images_fetch() {
    let server = Server::start();
    serve(&server);
    let home = Home::new("fetch", &server);
    let id = home.ok(&["save", &server.url("/a/4")]);
    let shown: Value =
        serde_json::from_str(&home.ok(&["show", id.trim(), "--json"])).expect("json");
    assert_eq!(
        shown["image"],
        serde_json::json!({"url": server.url("/pics/gull.webp"), "caption": "A gull on the wall"})
    );
    assert_eq!(server.asked("/pics/gull.webp").len(), 1);
    assert_eq!(common::files_below(&home.cache().join("files")).len(), 1);
    // `show` as text names the picture by its caption and address.
    let text = home.ok(&["show", id.trim()]);
    let line = format!(
        "[photo: A gull on the wall] {}",
        server.url("/pics/gull.webp")
    );
    assert!(text.lines().any(|l| l == line), "{text}");
}
