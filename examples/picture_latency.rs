//! Times what a reader sees between Enter and the picture: the release binary in a
//! pseudo-terminal 90x30 (too narrow for the preview pane, so nothing is drawn before
//! Enter), on a folder whose every page has a 1600x900 JPEG in the pictures cache (made by
//! the `generate` and `pictured` examples first). Per run: start, wait for the first frame,
//! press Enter, then note when the article's text is on screen and when its picture is (half
//! blocks on the screen, or kitty's graphics command in the bytes written), and the whole
//! process's peak memory (VmHWM) a second later. With `INDEXED=1` Enter waits until the index is built. With `off` (`images = "off"`) the run ends a second
//! after the text, for the peak without pictures. Prints each run and the medians. Usage, after `cargo build --release --examples`:
//! `picture_latency ARTICLES CACHE [RUNS] [halfblocks|kitty|sixel|off]`.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

fn run_once(articles: &Path, config: &Path, protocol: &str) -> Option<(f64, f64, u64)> {
    let (rows, cols) = (30, 90);
    let pty = native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .ok()?;
    let mut cmd = CommandBuilder::new(std::fs::canonicalize("target/release/broadsheet").ok()?);
    cmd.arg("--config");
    cmd.arg(config);
    cmd.arg("--articles");
    cmd.arg(articles);
    cmd.env("TERM", "xterm-256color");
    let mut child = pty.slave.spawn_command(cmd).ok()?;
    let pid = child.process_id().unwrap_or(0);
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().ok()?;
    let mut writer = pty.master.take_writer().ok()?;
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let size = |n| NonZeroU16::new(n).expect("non-zero");
    let mut screen = vt100::Parser::new(size(rows), size(cols), 0);
    let mut bytes: Vec<u8> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let (mut pressed, mut text, mut picture) = (None::<Instant>, None, None);
    while Instant::now() < deadline && picture.is_none() {
        let chunk = rx
            .recv_timeout(Duration::from_millis(100))
            .unwrap_or_default();
        screen.process(&chunk);
        if chunk.windows(4).any(|w| w == b"\x1b[5n") {
            let _ = writer.write_all(b"\x1b[?62;22c\x1b[0n");
        }
        let contents = screen.screen().contents();
        match pressed {
            None if contents.contains("unread")
                && !(std::env::var_os("INDEXED").is_some() && contents.contains("indexing")) =>
            {
                let _ = writer.write_all(b"\r");
                pressed = Some(Instant::now());
            }
            Some(at) => {
                bytes.extend_from_slice(&chunk);
                // The reading pane's border names the article: `1 of 200`.
                let top = contents.lines().next().unwrap_or_default();
                if text.is_none() && top.contains(" of ") && !top.contains("articles") {
                    text = Some(at.elapsed().as_secs_f64() * 1000.0);
                }
                let drawn = match protocol {
                    "off" => text.is_some_and(|t| at.elapsed().as_secs_f64() * 1000.0 > t + 1000.0),
                    "halfblocks" => contents.contains('▀') || contents.contains('▄'),
                    "kitty" => bytes.windows(4).any(|w| w == b"\x1b_Gq"),
                    _ => bytes.windows(2).any(|w| w == b"\x1bP"),
                };
                if drawn {
                    picture = Some(at.elapsed().as_secs_f64() * 1000.0);
                }
            }
            None => {}
        }
    }
    // The peak a second after the picture (or, without pictures, after the text).
    if protocol != "off" {
        std::thread::sleep(Duration::from_secs(1));
    }
    let peak = vm_hwm(pid);
    let _ = writer.write_all(b"qq");
    std::thread::sleep(Duration::from_millis(100));
    let _ = child.kill();
    Some((text?, picture?, peak))
}

/// The process's peak resident memory, in KiB.
fn vm_hwm(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(articles), Some(cache)) = (args.first(), args.get(1)) else {
        eprintln!("usage: picture_latency ARTICLES CACHE [RUNS] [halfblocks|kitty|sixel]");
        std::process::exit(2);
    };
    let runs: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10);
    let protocol = args.get(3).map_or("halfblocks", String::as_str);
    let dir = tempfile::TempDir::new().expect("tempdir");
    let config = dir.path().join("config.toml");
    let cache = std::fs::canonicalize(cache).expect("the cache folder");
    std::fs::write(
        &config,
        format!(
            "bookmarks_file = {:?}\nimages_dir = {:?}\n{}\n",
            dir.path().join("bookmarks.toml").display().to_string(),
            cache.display().to_string(),
            match protocol {
                "off" => "images = \"off\"".to_string(),
                p => format!("image_protocol = {p:?}"),
            }
        ),
    )
    .expect("config");
    let articles = std::fs::canonicalize(articles).expect("the articles folder");
    let (mut texts, mut pictures, mut peaks) = (Vec::new(), Vec::new(), Vec::new());
    for run in 1..=runs {
        // Each run on a fresh reading state, so the same article opens first.
        let _ = std::fs::remove_file(dir.path().join("state.toml"));
        match run_once(&articles, &config, protocol) {
            Some((text, picture, peak)) => {
                println!(
                    "run {run}: text {text:.1} ms, picture {picture:.1} ms after Enter \
                     ({:.1} ms after the text), peak {:.1} MiB",
                    picture - text,
                    peak as f64 / 1024.0
                );
                texts.push(text);
                pictures.push(picture - text);
                peaks.push(peak as f64 / 1024.0);
            }
            None => println!("run {run}: no picture within 30 s"),
        }
    }
    if !texts.is_empty() {
        println!(
            "{protocol}: median text {:.1} ms after Enter, picture {:.1} ms after the text, \
             peak {:.1} MiB",
            median(texts),
            median(pictures),
            median(peaks)
        );
    }
}
