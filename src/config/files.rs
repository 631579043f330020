//! The files and folders a config names: relative ones against the config's own folder,
//! missing ones in the platform's folders.

use std::path::{Path, PathBuf};

use toml::Spanned;

use super::{ConfigFile, default_data_dir, resolve};

/// The files and folders a config names, relative ones against the config's own folder, or
/// the platform's defaults.
pub(super) struct Files {
    pub articles_dir: PathBuf,
    pub bookmarks_file: PathBuf,
    pub state_file: PathBuf,
    pub fetched_file: PathBuf,
    pub feeds_file: PathBuf,
    pub save_dir: PathBuf,
}

impl Files {
    pub(super) fn of(file: &ConfigFile, base: &Path) -> Files {
        let named =
            |value: &Option<Spanned<String>>| value.as_ref().map(|v| resolve(base, v.get_ref()));
        // The news lives in the platform data folder unless the file says where.
        let articles_dir =
            named(&file.articles_dir).unwrap_or_else(|| default_data_dir(base).join("articles"));
        let bookmarks_file = named(&file.bookmarks_file)
            .unwrap_or_else(|| default_data_dir(base).join("bookmarks.toml"));
        let state_file =
            named(&file.state_file).unwrap_or_else(|| bookmarks_file.with_file_name("state.toml"));
        let feeds_file = named(&file.feeds_file).unwrap_or_else(|| {
            directories::ProjectDirs::from("", "", "broadsheet")
                .map_or_else(|| base.to_path_buf(), |d| d.config_dir().to_path_buf())
                .join("feeds")
        });
        Files {
            fetched_file: bookmarks_file.with_file_name("fetched.toml"),
            save_dir: resolve(base, file.save_dir.as_ref().map_or("~", |v| v.get_ref())),
            articles_dir,
            bookmarks_file,
            state_file,
            feeds_file,
        }
    }
}
