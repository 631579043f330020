//! The picture settings of config.toml: when pictures are downloaded (`images`), how large
//! their cache may grow (`images_cache_mb`) and where it is (`images_dir`), how the reader
//! draws them (`image_protocol`), and whether it shows them at start (`pictures`).

use std::path::Path;

use toml::Spanned;

use crate::images::{Mode, Protocol, Settings};

/// The cache's size when config.toml does not say, in MB.
pub const DEFAULT_CACHE_MB: u64 = 300;

/// The picture keys as config.toml gives them.
pub struct Keys<'a> {
    pub images: &'a Option<Spanned<String>>,
    pub cache_mb: &'a Option<Spanned<i64>>,
    pub protocol: &'a Option<Spanned<String>>,
    pub dir: &'a Option<Spanned<String>>,
    pub pictures: Option<bool>,
}

/// The settings the keys give (relative paths against `base`), or the offset and message of
/// what is wrong.
pub fn settings(keys: Keys, base: &Path) -> Result<Settings, (usize, String)> {
    let mode = match keys.images {
        Some(v) => Mode::parse(v.get_ref()).ok_or_else(|| {
            (
                v.span().start,
                "images is \"fetch\" (with the news), \"open\" (when an article is first opened) or \"off\"".to_string(),
            )
        })?,
        None => Mode::default(),
    };
    let protocol = match keys.protocol {
        Some(v) => Protocol::parse(v.get_ref()).ok_or_else(|| {
            (
                v.span().start,
                "image_protocol is \"auto\", \"kitty\", \"sixel\", \"iterm2\" or \"halfblocks\""
                    .to_string(),
            )
        })?,
        None => Protocol::default(),
    };
    let cache_mb = match keys.cache_mb {
        Some(v) if (1..=100_000).contains(v.get_ref()) => v.get_ref().unsigned_abs(),
        Some(v) => {
            return Err((
                v.span().start,
                "images_cache_mb must be a whole number from 1 to 100000".into(),
            ));
        }
        None => DEFAULT_CACHE_MB,
    };
    let cache_dir = match keys.dir {
        Some(v) => super::resolve(base, v.get_ref()),
        None => directories::ProjectDirs::from("", "", "broadsheet")
            .map_or_else(|| base.join(".cache"), |d| d.cache_dir().to_path_buf())
            .join("images"),
    };
    Ok(Settings {
        mode,
        protocol,
        cache_bytes: cache_mb * 1024 * 1024,
        cache_dir,
        shown: keys.pictures.unwrap_or(true),
    })
}
