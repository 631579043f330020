//! Launch to headlines as a user sees it, without a poller competing for the CPU: the release
//! binary on a 120x40 pseudo-terminal, its output fed to a terminal emulator as it arrives,
//! timed from spawn until the status bar's "unread" is on the screen (the headlines are drawn
//! in the same frame). Each run gets an empty cache folder of its own unless `--warm`, where
//! one cache folder is filled by a first launch (left to finish indexing), reported apart with
//! its peak memory over the whole launch.
//! Prints each run, the median, and the process's peak memory (VmHWM) when the frame showed.
//!
//! `cargo run --release --example first_frame -- DIR [RUNS] [--warm] [--binary PATH]`

use std::io::Read;
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// One launch: seconds to the first headline, the peak memory then, and the peak memory when
/// the launch ended (after indexing, when `wait_indexed`), in kB.
fn launch(
    binary: &Path,
    dir: &Path,
    cache: &Path,
    data: &Path,
    wait_indexed: bool,
) -> (f64, u64, u64) {
    let (rows, cols) = (40, 120);
    let pty = native_pty_system()
        .openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut cmd = CommandBuilder::new(binary);
    cmd.arg("--articles");
    cmd.arg(dir);
    cmd.env("TERM", "xterm-256color");
    cmd.env("XDG_CACHE_HOME", cache);
    cmd.env("XDG_DATA_HOME", data);
    let start = Instant::now();
    let mut child = pty.slave.spawn_command(cmd).expect("spawn broadsheet");
    drop(pty.slave);
    let pid = child.process_id().unwrap_or(0);
    let mut reader = pty.master.try_clone_reader().expect("reader");
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut writer = pty.master.take_writer().expect("writer");
    let size = |n| NonZeroU16::new(n).expect("non-zero");
    let mut screen = vt100::Parser::new(size(rows), size(cols), 0);
    let mut shown = None;
    let mut peak = 0;
    let deadline = start + Duration::from_secs(120);
    while Instant::now() < deadline {
        let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) else {
            if shown.is_some() && !wait_indexed {
                break;
            }
            continue;
        };
        screen.process(&chunk);
        // As a terminal does, answer the reader's question of what it can draw (it ends
        // with a status request): a VT220 without graphics.
        if chunk.windows(4).any(|w| w == b"\x1b[5n") {
            let _ = std::io::Write::write_all(&mut writer, b"\x1b[?62;22c\x1b[0n");
        }
        let contents = screen.screen().contents();
        if shown.is_none() && contents.contains("unread") {
            shown = Some(start.elapsed().as_secs_f64());
            peak = vm_hwm(pid);
            if !wait_indexed {
                break;
            }
        }
        if shown.is_some() && wait_indexed && !contents.contains("indexing") {
            std::thread::sleep(Duration::from_secs(2));
            break;
        }
    }
    let end_peak = vm_hwm(pid);
    let _ = std::io::Write::write_all(&mut writer, b"q");
    let quit = Instant::now();
    while quit.elapsed() < Duration::from_secs(5) {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    (shown.expect("no headline within 120 s"), peak, end_peak)
}

fn vm_hwm(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut runs = 5;
    let mut warm = false;
    let mut binary = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/broadsheet");
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--warm" => warm = true,
            "--binary" => {
                binary = std::path::absolute(args.next().expect("--binary PATH")).expect("a path")
            }
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => runs = arg.parse().expect("RUNS is a number"),
        }
    }
    let dir = dir.expect("usage: first_frame DIR [RUNS] [--warm] [--binary PATH]");
    let scratch = tempfile::TempDir::new().expect("a scratch folder");
    let data = scratch.path().join("data");
    let warm_cache = scratch.path().join("warm");
    if warm {
        let (seconds, peak, end_peak) = launch(&binary, &dir, &warm_cache, &data, true);
        println!(
            "first launch, left to index: headlines {seconds:.3} s, peak {peak} kB then, \
             {end_peak} kB over the whole launch"
        );
    }
    let mut times = Vec::new();
    for run in 1..=runs {
        let cache = if warm {
            warm_cache.clone()
        } else {
            scratch.path().join(format!("cache-{run}"))
        };
        let (seconds, peak, _) = launch(&binary, &dir, &cache, &data, false);
        println!("run {run}: headlines {seconds:.3} s, peak so far {peak} kB");
        times.push(seconds);
        if !warm {
            let _ = std::fs::remove_dir_all(&cache);
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    times.sort_by(f64::total_cmp);
    println!("median {:.3} s over {runs} runs", times[times.len() / 2]);
}
