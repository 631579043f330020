//! Times `broadsheet fetch` against a server on 127.0.0.1 that this program runs: FEEDS feeds
//! of ITEMS items each, every item's page about 100 KB of HTML (the story amid navigation,
//! comments and scripts). The first fetch saves every item; the second is answered `304`
//! throughout. Prints the wall time, pages per second and the fetch's peak memory (the
//! child's `ru_maxrss`). Usage, after `cargo build --release`:
//! `cargo run --release --example fetch_bench -- [FEEDS] [ITEMS] [BINARY]`.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
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
    for item in 0..items {
        xml.push_str(&format!(
            "<item><title>Story {item} of feed {feed}</title><link>{base}/page/{feed}/{item}</link>\
             <guid>{feed}-{item}</guid><pubDate>Mon, 03 Mar 2025 09:00:00 GMT</pubDate>\
             <description>Summary of story {item}.</description></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

fn serve(server: &tiny_http::Server, base: &str, items: usize) {
    while let Ok(request) = server.recv() {
        let url = request.url().to_string();
        let parts: Vec<&str> = url.trim_start_matches('/').split('/').collect();
        let unchanged = request
            .headers()
            .iter()
            .any(|h| h.field.equiv("If-None-Match") && h.value.as_str() == "\"v1\"");
        let etag = tiny_http::Header::from_bytes("ETag", "\"v1\"").ok();
        let response = match parts.as_slice() {
            ["feed", _] if unchanged => {
                tiny_http::Response::from_data(Vec::new()).with_status_code(304)
            }
            ["feed", f] => {
                let f = f.parse().unwrap_or(0);
                let mut response = tiny_http::Response::from_data(feed(base, f, items));
                if let Some(etag) = etag {
                    response.add_header(etag);
                }
                response
            }
            ["page", f, i] => {
                tiny_http::Response::from_data(page(f.parse().unwrap_or(0), i.parse().unwrap_or(0)))
            }
            _ => tiny_http::Response::from_data(b"no".to_vec()).with_status_code(404),
        };
        let _ = request.respond(response);
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
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("server"));
    let port = server.server_addr().to_ip().expect("ip").port();
    let base = format!("http://127.0.0.1:{port}");
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (server, base) = (server.clone(), base.clone());
            std::thread::spawn(move || serve(&server, &base, items))
        })
        .collect();
    let dir = tempfile::TempDir::new().expect("tempdir");
    std::fs::write(
        dir.path().join("config.toml"),
        "articles_dir = \"articles\"\nbookmarks_file = \"data/bookmarks.toml\"\nfeeds_file = \"feeds\"\n",
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
    server.unblock();
    for _ in 0..threads.len() {
        server.unblock();
    }
    for thread in threads {
        let _ = thread.join();
    }
}
