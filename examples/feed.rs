//! Writes the same generated articles as `generate` as one RSS 2.0 feed, so that a feed reader
//! (newsboat) can be measured on exactly the articles broadsheet reads:
//! `cargo run --release --example feed -- FILE COUNT [SEED]`. Each item carries the page's
//! headline, date, id as link and its whole text as description.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), Some(count)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: feed FILE COUNT [SEED]");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let library = broadsheet::generate::library(count, seed);
    let written = (|| -> std::io::Result<()> {
        let mut out = BufWriter::new(File::create(path)?);
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(out, "<rss version=\"2.0\"><channel>")?;
        writeln!(
            out,
            "<title>London Daily</title><link>https://example.org/</link>"
        )?;
        writeln!(out, "<description>Generated pages</description>")?;
        for i in 0..library.len() {
            let Ok(article) = library.text(i) else {
                continue;
            };
            let date = article.date.map_or(String::new(), |d| {
                d.and_hms_opt(12, 0, 0)
                    .map(|t| t.and_utc().to_rfc2822())
                    .unwrap_or_default()
            });
            let mut text = article.standfirst.clone().unwrap_or_default();
            for block in &article.body {
                text.push_str("\n\n");
                text.push_str(block.text());
            }
            writeln!(
                out,
                "<item><title>{}</title><link>https://example.org/{}</link><guid>{}</guid>\
                 <pubDate>{date}</pubDate><description>{}</description></item>",
                escape(&article.headline),
                article.id,
                article.id,
                escape(&text)
            )?;
        }
        writeln!(out, "</channel></rss>")?;
        out.flush()
    })();
    match written {
        Ok(()) => {
            println!("wrote {count} items to {path}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("feed: {path}: {e}");
            ExitCode::FAILURE
        }
    }
}
