//! Times `broadsheet fetch` against a server on 127.0.0.1 that this program runs (a minimal
//! HTTP/1.1 server, each answer one write with Nagle off, connections kept alive): FEEDS feeds
//! of ITEMS items each, every item's page about 100 KB of HTML (the story amid navigation,
//! comments and scripts). The first fetch saves every item; the second is answered `304`
//! throughout. Prints the wall time, pages per second and the fetch's peak memory (the
//! child's `ru_maxrss`). With `HANG=1` in the environment, feed 0's pages are on a second
//! server that takes connections and never answers (a host that hangs), and fetching waits
//! `fetch_timeout = 10` seconds at most for an answer. With `IMAGES=1`, every item carries a
//! photo (`media:content`, a 1600x900 JPEG of about 190 KB, each item's its own), which the
//! fetch downloads with the news (`images = "fetch"`, the default); without it, the items
//! carry none. Usage, after `cargo build --release`:
//! `cargo run --release --example fetch_bench -- [FEEDS] [ITEMS] [BINARY]`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

fn page(feed: usize, item: usize) -> String {
    let mut html = format!(
        "<!DOCTYPE html><html><head><title>Story {item} of feed {feed} | Bench Site</title>\
         <meta property=\"og:site_name\" content=\"Bench Site\"><script>{}</script></head><body>\
         <nav>{}</nav><article><h1>Story {item} of feed {feed}</h1>",
        "var x = 1;".repeat(2_000),
        "<a href=\"/\">Section</a> ".repeat(300)
    );
    for n in 0..40 {
        html.push_str(&format!(
            "<p>Paragraph {n} of story {item} from feed {feed}: the council met on Tuesday to \
             discuss the harbour, the budget for the schools and the roads, and the plans for \
             the summer festival, which residents said they hoped would bring visitors back.</p>"
        ));
    }
    html.push_str("</article><section class=\"comments\">");
    while html.len() < 100_000 {
        html.push_str(
            "<div class=\"comment\"><p>A reader's comment on the story, one of many.</p></div>",
        );
    }
    html.push_str("</section><footer>Footer</footer></body></html>");
    html
}

fn feed(base: &str, feed: usize, items: usize) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Bench feed {feed}</title>"
    );
    // Feed 0's pages on the server that hangs, when there is one.
    let base = match (feed, std::env::var("HANG_BASE")) {
        (0, Ok(hang)) => hang,
        _ => base.to_string(),
    };
    let images = std::env::var_os("IMAGES").is_some();
    for item in 0..items {
        let photo = match images {
            true => format!(
                "<media:content xmlns:media=\"http://search.yahoo.com/mrss/\" \
                 url=\"{base}/photo/{feed}/{item}.jpg\" type=\"image/jpeg\"/>"
            ),
            false => String::new(),
        };
        xml.push_str(&format!(
            "<item><title>Story {item} of feed {feed}</title><link>{base}/page/{feed}/{item}</link>\
             <guid>{feed}-{item}</guid><pubDate>Mon, 03 Mar 2025 09:00:00 GMT</pubDate>\
             <description>Summary of story {item}.</description>{photo}</item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

static PHOTO: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();

/// A 1600x900 JPEG with the grain of a photograph (so it weighs what one does).
fn photo() -> Vec<u8> {
    let mut seed = 7u32;
    let pixels = image::RgbImage::from_fn(1600, 900, |x, y| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let grain = (seed >> 27) as u8;
        image::Rgb([
            (x / 7) as u8 ^ grain,
            (y / 4) as u8 + grain,
            ((x + y) / 10) as u8,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(pixels)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .expect("encode");
    out.into_inner()
}

/// Answers one connection's requests (HTTP/1.1, kept alive) until the client closes it.
/// Each answer goes out in one write with Nagle's algorithm off, as a real server sends it,
/// so that no request waits on a delayed acknowledgement.
fn serve(stream: TcpStream, base: &str, items: usize) {
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut unchanged = false;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("if-none-match")
                && value.trim() == "\"v1\""
            {
                unchanged = true;
            }
        }
        let path = request_line.split_whitespace().nth(1).unwrap_or("/");
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let (status, extra, body) = match parts.as_slice() {
            ["feed", _] if unchanged => ("304 Not Modified", "", Vec::new()),
            ["feed", f] => (
                "200 OK",
                "ETag: \"v1\"\r\nContent-Type: application/rss+xml\r\n",
                feed(base, f.parse().unwrap_or(0), items).into_bytes(),
            ),
            ["page", f, i] => (
                "200 OK",
                "Content-Type: text/html\r\n",
                page(f.parse().unwrap_or(0), i.parse().unwrap_or(0)).into_bytes(),
            ),
            ["photo", f, i] => {
                // Each item's photo its own file: the same picture with its own bytes after
                // its end (which decoders pass over), sent without copying it (as a server
                // sends a file).
                let photo = PHOTO.get_or_init(photo);
                let own = format!("{f}/{i}");
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: {}\r\n\r\n",
                    photo.len() + own.len()
                );
                let sent = writer
                    .write_all(head.as_bytes())
                    .and_then(|()| writer.write_all(photo))
                    .and_then(|()| writer.write_all(own.as_bytes()));
                if sent.is_err() {
                    return;
                }
                continue;
            }
            _ => ("404 Not Found", "", b"no".to_vec()),
        };
        let mut answer = format!(
            "HTTP/1.1 {status}\r\n{extra}Content-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        answer.extend_from_slice(&body);
        if writer.write_all(&answer).is_err() {
            return;
        }
    }
}

/// Peak resident memory of the children waited for so far, in MiB.
fn children_peak() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a rusage into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    usage.ru_maxrss as f64 / 1024.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let feeds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(50);
    let items: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(50);
    let binary = args
        .next()
        .map_or_else(|| PathBuf::from("target/release/broadsheet"), PathBuf::from);
    let binary =
        std::fs::canonicalize(&binary).expect("the broadsheet binary (cargo build --release)");
    let hang = std::env::var_os("HANG").is_some();
    if hang {
        // A server that takes every connection and never answers it.
        let silent = TcpListener::bind("127.0.0.1:0").expect("server");
        let port = silent.local_addr().expect("address").port();
        // SAFETY: set before any thread of this program reads the environment.
        unsafe { std::env::set_var("HANG_BASE", format!("http://127.0.0.1:{port}")) };
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for stream in silent.incoming().flatten() {
                held.push(stream);
            }
        });
    }
    let listener = TcpListener::bind("127.0.0.1:0").expect("server");
    let port = listener.local_addr().expect("address").port();
    let base = format!("http://127.0.0.1:{port}");
    {
        let base = base.clone();
        // A thread per connection, for as long as the program runs.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let base = base.clone();
                std::thread::spawn(move || serve(stream, &base, items));
            }
        });
    }
    let dir = tempfile::TempDir::new().expect("tempdir");
    let timeout = if hang { "fetch_timeout = 10\n" } else { "" };
    std::fs::write(
        dir.path().join("config.toml"),
        format!("articles_dir = \"articles\"\nbookmarks_file = \"data/bookmarks.toml\"\nfeeds_file = \"feeds\"\n{timeout}"),
    )
    .expect("config");
    let list: String = (0..feeds).map(|f| format!("{base}/feed/{f}\n")).collect();
    std::fs::write(dir.path().join("feeds"), list).expect("feeds");
    for round in ["first fetch", "second fetch (all 304)"] {
        let start = Instant::now();
        let out = Command::new(&binary)
            .current_dir(dir.path())
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .arg("fetch")
            .output()
            .expect("run broadsheet");
        let seconds = start.elapsed().as_secs_f64();
        let saved: usize = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| {
                l.split('\t')
                    .nth(1)?
                    .strip_suffix(" new")?
                    .parse::<usize>()
                    .ok()
            })
            .sum();
        println!(
            "{round}: {feeds} feeds x {items} items, {saved} pages saved in {seconds:.2} s \
             ({:.0} pages/s), status {}, peak memory so far {:.1} MiB",
            saved as f64 / seconds,
            out.status,
            children_peak()
        );
    }
}
