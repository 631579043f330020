//! A picture file made ready to draw: its kind told from its bytes (JPEG, PNG, WebP or GIF,
//! nothing else: not an SVG, not a web page named `.jpg`), decoded within limits (a picture
//! that claims more pixels than [`MAX_SIDE`] a side, or more memory than [`MAX_ALLOC`], is
//! refused before a byte of it is decoded), fitted to the reading column and at most the
//! rows it is given, and encoded for the terminal by ratatui-image (kitty, iTerm2, sixel or
//! half blocks). It runs off the thread that answers keys.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};
use ratatui::layout::Size;
use ratatui_image::picker::Picker;
use ratatui_image::sliced::SlicedProtocol;

/// The largest picture file downloaded or read.
pub const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;
/// The most pixels a picture may have a side.
pub const MAX_SIDE: u32 = 12_000;
/// The most memory decoding one picture may take.
pub const MAX_ALLOC: u64 = 160 * 1024 * 1024;

/// A picture ready to draw: encoded for the terminal at its size in cells.
pub struct Drawn {
    pub protocol: SlicedProtocol,
    /// Its size in cells.
    pub columns: u16,
    pub rows: u16,
}

impl std::fmt::Debug for Drawn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Drawn({}x{})", self.columns, self.rows)
    }
}

/// The picture kinds broadsheet reads.
fn kind_of(bytes: &[u8]) -> Result<ImageFormat, String> {
    let start = String::from_utf8_lossy(&bytes[..bytes.len().min(256)]).to_ascii_lowercase();
    let start = start.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with("<svg") || (start.starts_with("<?xml") && start.contains("<svg")) {
        return Err("an SVG, which is not drawn".into());
    }
    if start.starts_with('<') {
        return Err("a web page, not a picture".into());
    }
    match image::guess_format(bytes) {
        Ok(
            format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif),
        ) => Ok(format),
        Ok(other) => Err(format!("a {other:?} picture, which is not read")),
        Err(_) => Err("not a picture (neither JPEG, PNG, WebP nor GIF)".into()),
    }
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    limits
}

fn reader(bytes: &[u8]) -> Result<ImageReader<Cursor<&[u8]>>, String> {
    let format = kind_of(bytes)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    Ok(reader)
}

/// Checks a downloaded file from its header alone: a kind broadsheet reads, of a size it
/// will decode. Its width and height, or why it is refused.
pub fn check(bytes: &[u8]) -> Result<(u32, u32), String> {
    // Its size as its header claims it (reading the header allocates nothing for pixels).
    let mut header = ImageReader::with_format(Cursor::new(bytes), kind_of(bytes)?);
    let mut claims = Limits::default();
    claims.max_alloc = Some(MAX_ALLOC);
    header.limits(claims);
    let (width, height) = header
        .into_dimensions()
        .map_err(|e| format!("not a picture that can be read ({e})"))?;
    if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
        return Err(format!(
            "it claims {width}x{height} pixels (the most is {MAX_SIDE} a side)"
        ));
    }
    // A JPEG decoder fills in what is missing from a cut-off file; its end marker tells.
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    if image::guess_format(bytes).ok() == Some(ImageFormat::Jpeg)
        && !tail.windows(2).any(|w| w == [0xff, 0xd9])
    {
        return Err("broken or cut short (a JPEG with no end)".into());
    }
    Ok((width, height))
}

/// Decodes a picture (a GIF's first frame) within the limits, or says why it cannot be.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    check(bytes)?;
    reader(bytes)?.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => {
            format!("too large to decode (more than {} MiB)", MAX_ALLOC >> 20)
        }
        e => format!("broken or cut short ({e})"),
    })
}

/// The size in cells of a picture of `pixels` drawn as wide as `columns` in cells of `font`
/// pixels, but no more than `max_rows` high (then narrower, keeping its shape).
pub fn fit(pixels: (u32, u32), font: (u16, u16), columns: u16, max_rows: u16) -> (u16, u16) {
    let (width, height) = (u64::from(pixels.0.max(1)), u64::from(pixels.1.max(1)));
    let (fw, fh) = (u64::from(font.0.max(1)), u64::from(font.1.max(1)));
    let columns = u64::from(columns.max(1));
    let rows = (columns * fw * height).div_ceil(width * fh).max(1);
    let max_rows = u64::from(max_rows.max(1));
    let (columns, rows) = if rows > max_rows {
        let narrower = (max_rows * fh * width / (height * fw)).clamp(1, columns);
        (narrower, max_rows)
    } else {
        (columns, rows)
    };
    (columns as u16, rows as u16)
}

/// The picture in `file` decoded, fitted to `columns` and `max_rows`, and encoded for what
/// `picker` found the terminal can draw.
pub fn draw(file: &Path, picker: &Picker, columns: u16, max_rows: u16) -> Result<Drawn, String> {
    let bytes = read_capped(file)?;
    let picture = decode(&bytes)?;
    drop(bytes);
    encode(picture, picker, columns, max_rows)
}

/// A decoded picture fitted and encoded (see [`draw`]).
pub fn encode(
    picture: DynamicImage,
    picker: &Picker,
    columns: u16,
    max_rows: u16,
) -> Result<Drawn, String> {
    let font = picker.font_size();
    let (columns, rows) = fit(
        (picture.width(), picture.height()),
        (font.width, font.height),
        columns,
        max_rows,
    );
    // Scaled here, once, to the pixels the cells hold: what is encoded is no larger.
    let scaled = picture.resize_exact(
        u32::from(columns) * u32::from(font.width),
        u32::from(rows) * u32::from(font.height),
        image::imageops::FilterType::Triangle,
    );
    drop(picture);
    let protocol = SlicedProtocol::new(picker, scaled, Some(Size::new(columns, rows)))
        .map_err(|e| format!("cannot be drawn here ({e})"))?;
    let size = protocol.size();
    Ok(Drawn {
        protocol,
        columns: size.width,
        rows: size.height,
    })
}

/// A file's bytes, if it is no larger than a picture may be.
fn read_capped(file: &Path) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(file)
        .map_err(|e| format!("cannot be read ({e})"))?
        .len();
    if size > MAX_IMAGE_BYTES {
        return Err(format!(
            "too large ({size} bytes; the most is {MAX_IMAGE_BYTES})"
        ));
    }
    std::fs::read(file).map_err(|e| format!("cannot be read ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_picture_keeps_its_shape_within_the_column_and_the_rows() {
        // 1600x900 in 10x20 cells, 80 columns: 80 * 10 * 900 / (1600 * 20) = 22.5 rows.
        assert_eq!(fit((1600, 900), (10, 20), 80, 40), (80, 23));
        // At most 12 rows: then 12 * 20 * 1600 / (900 * 10) = 42 columns.
        assert_eq!(fit((1600, 900), (10, 20), 80, 12), (42, 12));
        // A tall sliver never comes to nothing.
        assert_eq!(fit((1, 10_000), (10, 20), 80, 5), (1, 5));
        assert_eq!(fit((0, 0), (0, 0), 0, 0), (1, 1));
    }

    #[test]
    fn what_is_not_a_picture_is_told_from_its_bytes() {
        assert!(
            kind_of(b"<!doctype html><html>")
                .unwrap_err()
                .contains("web page")
        );
        assert!(
            kind_of(b"<?xml version='1.0'?><svg>")
                .unwrap_err()
                .contains("SVG")
        );
        assert!(kind_of(b"\x00\x01garbage").is_err());
        assert_eq!(kind_of(b"\x89PNG\r\n\x1a\n...."), Ok(ImageFormat::Png));
    }
}
