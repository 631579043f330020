//! Gives the first pages of an articles folder a picture, as a fetch with `images = "fetch"`
//! would have left them: an `Image:` line on each, and a 1600x900 JPEG (a photograph's size)
//! in the pictures cache for each address. For benchmarks and for looking at the reader:
//! `cargo run --release --example pictured -- ARTICLES_DIR CACHE_DIR [COUNT]` (COUNT 100).

use std::io::Cursor;
use std::path::PathBuf;
use std::process::ExitCode;

use broadsheet::images::store::Store;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

/// A 1600x900 picture with some structure to it: bands of colour, a sun, a horizon.
fn photo(seed: u32) -> Vec<u8> {
    let (w, h) = (1600u32, 900u32);
    let pixels = RgbImage::from_fn(w, h, |x, y| {
        let horizon = h * 3 / 5;
        let (cx, cy) = (w / 3 + seed * 37 % 400, h / 4);
        let d = (x as i64 - cx as i64).pow(2) + (y as i64 - cy as i64).pow(2);
        if d < 90 * 90 {
            Rgb([255, 220, 120])
        } else if y < horizon {
            Rgb([
                60 + (y * 120 / horizon) as u8,
                120 + (y * 80 / horizon) as u8,
                220,
            ])
        } else {
            let wave = ((x / 40 + y / 15) % 2) as u8 * 20;
            Rgb([20 + wave, 60 + (x * 60 / w) as u8, 110 + wave])
        }
    });
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(pixels)
        .write_to(&mut out, ImageFormat::Jpeg)
        .expect("encode");
    out.into_inner()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(cache)) = (args.first(), args.get(1)) else {
        eprintln!("usage: pictured ARTICLES_DIR CACHE_DIR [COUNT]");
        return ExitCode::from(2);
    };
    let count: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(100);
    let store = Store::new(&PathBuf::from(cache), 1 << 40);
    let mut pages: Vec<PathBuf> = walk(&PathBuf::from(dir));
    pages.sort();
    let pictures: Vec<Vec<u8>> = (0..4).map(photo).collect();
    for (n, page) in pages.iter().take(count).enumerate() {
        let Ok(text) = std::fs::read_to_string(page) else {
            continue;
        };
        if text.contains("\nImage: ") {
            continue;
        }
        let url = format!("https://photos.example/{n}.jpg");
        if let Err(e) = store.put(&url, &pictures[n % pictures.len()]) {
            eprintln!("pictured: {cache}: {e}");
            return ExitCode::FAILURE;
        }
        let (masthead, rest) = text.split_once('\n').unwrap_or((&text, ""));
        let line = format!("Image: {url} Boats at the harbour wall, photographed at dawn");
        let _ = std::fs::write(page, format!("{masthead}\n{line}\n{rest}"));
    }
    println!("{} pages given a picture", count.min(pages.len()));
    ExitCode::SUCCESS
}

fn walk(dir: &PathBuf) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else if path.extension().is_some_and(|x| x == "txt") {
            found.push(path);
        }
    }
    found
}
