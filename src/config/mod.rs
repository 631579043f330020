//! Configuration: which file is read, its keys (unknown ones rejected with file:line:col),
//! the built-in defaults it merges over, and paths resolved against the file's folder.

use std::path::{Path, PathBuf};

use chrono::format::{Item, StrftimeItems};
use serde::Deserialize;
use toml::Spanned;

use crate::error::Error;

mod files;
pub mod images;
mod list_width;
pub mod sync;
use crate::keymap::Keymap;
use crate::theme::Theme;
pub use list_width::{DEFAULT_LIST_WIDTH, ListWidth};

/// The settings broadsheet runs with, paths resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file these settings came from (`None`: built-in defaults only).
    pub file: Option<PathBuf>,
    /// Where the news lives: the platform data folder's `articles` unless the file says.
    pub articles_dir: PathBuf,
    /// Whether `articles_dir` is the default one, made on first use.
    pub articles_default: bool,
    pub bookmarks_file: PathBuf,
    /// Which articles have been read; beside the bookmarks by default.
    pub state_file: PathBuf,
    /// The feeds subscribed to, one a line; in the platform config folder by default.
    pub feeds_file: PathBuf,
    /// What fetching remembers of each feed (validators, items seen): beside the bookmarks.
    pub fetched_file: PathBuf,
    /// How long fetching waits to connect, and for a whole answer, and how many feeds it
    /// fetches at once.
    pub fetch_connect_timeout: std::time::Duration,
    pub fetch_timeout: std::time::Duration,
    pub fetch_parallel: usize,
    /// How many pages one host is asked for at once.
    pub fetch_per_host: usize,
    /// Fetch every feed when the reader starts.
    pub fetch_on_start: bool,
    /// Fetch every feed this often while the reader runs (`None`: never by itself).
    pub fetch_every: Option<std::time::Duration>,
    /// Widest reading column, in terminal cells.
    pub wrap_width: u16,
    /// How wide the headline list is beside the article on a wide terminal.
    pub list_width: ListWidth,
    /// How dates are shown, as a chrono `strftime` pattern.
    pub date_format: String,
    /// Whether the reader takes the mouse (wheel and clicks).
    pub mouse: bool,
    /// How many `More like this` articles are shown.
    pub similar_count: usize,
    /// Where `save_article` offers to save an article (the home folder by default).
    pub save_dir: PathBuf,
    /// The browser `o` runs in the terminal (`%u`: the link); `None`: `$BROWSER`, else the
    /// platform's opener.
    pub browser: Option<String>,
    pub keymap: Keymap,
    /// Searches bound to keys (`[searches]`), run as if typed after `/` and kept.
    pub searches: Vec<SavedSearch>,
    pub theme: Theme,
    /// The sync server's account (`[sync]`), when there is one.
    pub sync: Option<sync::Account>,
    /// Pictures: when downloaded, where kept, how drawn.
    pub images: crate::images::Settings,
}

/// A search bound to a key in config.toml's `[searches]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    /// The key's name, as written.
    pub key: String,
    pub query: String,
}

pub const DEFAULT_WRAP_WIDTH: u16 = 80;

pub const DEFAULT_DATE_FORMAT: &str = "%a %-d %b %Y";
pub const MIN_WRAP_WIDTH: u16 = 20;
pub const DEFAULT_SIMILAR_COUNT: usize = 5;
/// More similar articles than this would bury the article's own related list.
pub const MAX_SIMILAR_COUNT: usize = 50;

/// The keys a config file may hold. Every one is optional; what is missing keeps its default.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigFile {
    articles_dir: Option<Spanned<String>>,
    bookmarks_file: Option<Spanned<String>>,
    state_file: Option<Spanned<String>>,
    feeds_file: Option<Spanned<String>>,
    fetch_connect_timeout: Option<Spanned<i64>>,
    fetch_timeout: Option<Spanned<i64>>,
    fetch_parallel: Option<Spanned<i64>>,
    fetch_per_host: Option<Spanned<i64>>,
    fetch_on_start: Option<bool>,
    fetch_every_minutes: Option<Spanned<i64>>,
    wrap_width: Option<Spanned<i64>>,
    list_width: Option<Spanned<toml::Value>>,
    date_format: Option<Spanned<String>>,
    mouse: Option<bool>,
    similar_count: Option<Spanned<i64>>,
    save_dir: Option<Spanned<String>>,
    browser: Option<String>,
    keys: Option<Spanned<toml::Table>>,
    searches: Option<Spanned<toml::Table>>,
    theme: Option<Spanned<toml::Value>>,
    sync: Option<Spanned<sync::SyncTable>>,
    images: Option<Spanned<String>>,
    images_cache_mb: Option<Spanned<i64>>,
    image_protocol: Option<Spanned<String>>,
    images_dir: Option<Spanned<String>>,
    pictures: Option<bool>,
}

impl Config {
    /// Fetching as this config sets it up.
    pub fn fetch_settings(&self) -> crate::feeds::fetch::Settings {
        crate::feeds::fetch::Settings {
            limits: self.fetch_limits(),
            parallel: self.fetch_parallel,
            per_host: self.fetch_per_host,
            articles: self.articles_dir.clone(),
            state: self.fetched_file.clone(),
            pictures: (self.images.mode == crate::images::Mode::Fetch)
                .then(|| crate::images::store::Store::of(&self.images)),
        }
    }

    /// The limits of a fetch's requests: its timeouts, and the most a page may weigh.
    pub fn fetch_limits(&self) -> crate::feeds::http::Limits {
        crate::feeds::http::Limits {
            connect_timeout: self.fetch_connect_timeout,
            timeout: self.fetch_timeout,
            max_bytes: crate::feeds::http::MAX_BYTES,
        }
    }

    /// Finds and reads the config: `explicit` (which must exist), else `./config.toml`, else
    /// the platform config folder's `broadsheet/config.toml`, else built-in defaults.
    pub fn load(explicit: Option<&Path>) -> Result<Config, Error> {
        match locate(explicit) {
            Some(path) => Config::read(&path),
            None => {
                let cwd = std::env::current_dir().unwrap_or_default();
                Config::from_file(ConfigFile::default(), None, &cwd, "")
            }
        }
    }

    /// Reads one config file.
    pub fn read(path: &Path) -> Result<Config, Error> {
        let bytes = std::fs::read(path).map_err(|source| Error::ConfigRead {
            path: path.to_path_buf(),
            source,
        })?;
        let text = crate::text::utf8_or_place(bytes).map_err(|(line, column)| Error::Config {
            path: path.to_path_buf(),
            line,
            column,
            message: crate::durable::NOT_UTF8.to_string(),
        })?;
        Config::parse(&text, path)
    }

    /// Parses a config file's text; `path` names it in errors and anchors relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Error> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            Error::config_at(path, text, offset, e.message().trim())
        })?;
        let base = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        Config::from_file(file, Some(path), base, text)
    }

    /// The settings of a parsed file over the defaults, every value checked against what it
    /// may be (a number in its range, a width, a date format, keys, a theme) with its place in
    /// the file for the error.
    /// Long: one line for each setting of the [`Config`] it builds.
    fn from_file(
        file: ConfigFile,
        path: Option<&Path>,
        base: &Path,
        text: &str,
    ) -> Result<Config, Error> {
        let err = |offset: usize, message: String| {
            Error::config_at(
                path.unwrap_or(Path::new("config.toml")),
                text,
                offset,
                message,
            )
        };
        // Every number is checked one way: a whole number in its range, else the default.
        let number = |value: &Option<Spanned<i64>>,
                      name: &str,
                      range: std::ops::RangeInclusive<i64>,
                      default: i64| match value {
            Some(v) if range.contains(v.get_ref()) => Ok(v.get_ref().unsigned_abs()),
            Some(v) => Err(err(
                v.span().start,
                format!(
                    "{name} must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            )),
            None => Ok(default.unsigned_abs()),
        };
        let seconds = std::time::Duration::from_secs;
        let fetch_every = number(
            &file.fetch_every_minutes,
            "fetch_every_minutes",
            0..=10_080,
            0,
        )?;
        let list_width = match &file.list_width {
            Some(v) => ListWidth::parse(v.get_ref()).ok_or_else(|| {
                err(
                    v.span().start,
                    "list_width is a share such as \"45%\" (10% to 90%) or a number of columns (at least 10)".into(),
                )
            })?,
            None => DEFAULT_LIST_WIDTH,
        };
        let date_format = match &file.date_format {
            Some(v) => {
                check_date_format(v.get_ref()).map_err(|m| err(v.span().start, m))?;
                v.get_ref().clone()
            }
            None => DEFAULT_DATE_FORMAT.to_string(),
        };
        let (keymap, searches, theme) =
            keys_and_theme(&file, text).map_err(|(at, m)| err(at, m))?;
        let files = files::Files::of(&file, base);
        let keys = images::Keys {
            images: &file.images,
            cache_mb: &file.images_cache_mb,
            protocol: &file.image_protocol,
            dir: &file.images_dir,
            pictures: file.pictures,
        };
        let images = images::settings(keys, base).map_err(|(at, m)| err(at, m))?;
        let sync = match &file.sync {
            Some(table) => Some(sync::account(table).map_err(|(at, m)| err(at, m))?),
            None => None,
        };
        Ok(Config {
            file: path.map(Path::to_path_buf),
            articles_dir: files.articles_dir,
            articles_default: file.articles_dir.is_none(),
            bookmarks_file: files.bookmarks_file,
            state_file: files.state_file,
            fetched_file: files.fetched_file,
            feeds_file: files.feeds_file,
            fetch_connect_timeout: seconds(number(
                &file.fetch_connect_timeout,
                "fetch_connect_timeout",
                1..=600,
                10,
            )?),
            fetch_timeout: seconds(number(&file.fetch_timeout, "fetch_timeout", 1..=3600, 30)?),
            fetch_parallel: number(&file.fetch_parallel, "fetch_parallel", 1..=32, 4)? as usize,
            fetch_per_host: number(&file.fetch_per_host, "fetch_per_host", 1..=16, 4)? as usize,
            fetch_on_start: file.fetch_on_start.unwrap_or(false),
            // Zero minutes: never.
            fetch_every: (fetch_every > 0).then(|| seconds(fetch_every * 60)),
            wrap_width: number(
                &file.wrap_width,
                "wrap_width",
                i64::from(MIN_WRAP_WIDTH)..=i64::from(u16::MAX),
                i64::from(DEFAULT_WRAP_WIDTH),
            )? as u16,
            list_width,
            date_format,
            mouse: file.mouse.unwrap_or(true),
            similar_count: number(
                &file.similar_count,
                "similar_count",
                0..=MAX_SIMILAR_COUNT as i64,
                DEFAULT_SIMILAR_COUNT as i64,
            )? as usize,
            save_dir: files.save_dir,
            browser: file.browser.filter(|b| !b.trim().is_empty()),
            keymap,
            searches,
            theme,
            sync,
            images,
        })
    }
}

/// The keymap (defaults with `[keys]` over them), the saved searches and the theme, or the
/// offset and message of what is wrong.
fn keys_and_theme(
    file: &ConfigFile,
    text: &str,
) -> Result<(Keymap, Vec<SavedSearch>, Theme), (usize, String)> {
    let keymap = match &file.keys {
        Some(table) => keymap_from(table, text)?,
        None => Keymap::default(),
    };
    let (keymap, searches) = match &file.searches {
        Some(table) => searches_from(table, text, keymap)?,
        None => (keymap, Vec::new()),
    };
    let theme = match &file.theme {
        Some(value) => theme_from(value, text)?,
        None => Theme::default(),
    };
    Ok((keymap, searches, theme))
}

/// The config file to read, by the search order; `None` means built-in defaults. An explicit
/// path is returned as is, so that reading it reports it missing.
fn locate(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    let local = PathBuf::from("config.toml");
    if local.is_file() {
        return Some(local);
    }
    directories::ProjectDirs::from("", "", "broadsheet")
        .map(|dirs| dirs.config_dir().join("config.toml"))
        .filter(|p| p.is_file())
}

/// The platform data folder (`$XDG_DATA_HOME/broadsheet` on Linux), or `base` without one.
fn default_data_dir(base: &Path) -> PathBuf {
    directories::ProjectDirs::from("", "", "broadsheet")
        .map_or_else(|| base.to_path_buf(), |d| d.data_dir().to_path_buf())
}

/// A configured or typed path: `~` expands to the home folder; relative paths are taken from
/// `base`.
pub fn resolve(base: &Path, value: &str) -> PathBuf {
    let home = || directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
    if value == "~" {
        if let Some(home) = home() {
            return home;
        }
    } else if let Some(rest) = value.strip_prefix("~/")
        && let Some(home) = home()
    {
        return home.join(rest);
    }
    base.join(value)
}

/// A date format chrono cannot render would fail at display time; refuse it up front.
fn check_date_format(format: &str) -> Result<(), String> {
    let sample = chrono::NaiveDate::from_ymd_opt(2025, 10, 22).unwrap_or_default();
    let renders = {
        use std::fmt::Write;
        write!(String::new(), "{}", sample.format(format)).is_ok()
    };
    if !renders || StrftimeItems::new(format).any(|item| matches!(item, Item::Error)) {
        return Err(format!(
            "date_format '{format}' is not a strftime pattern that renders a date (for example \"%a %-d %b %Y\")"
        ));
    }
    Ok(())
}

/// Where `key = …` is written, searching from `from`: for errors about one entry of a table
/// that toml hands over whole.
fn offset_of_key(text: &str, from: usize, key: &str) -> usize {
    let mut line_start = from.min(text.len());
    while !text.is_char_boundary(line_start) {
        line_start -= 1;
    }
    for line in text[line_start..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        let bare = trimmed.strip_prefix(key);
        let quoted = trimmed
            .strip_prefix('"')
            .and_then(|t| t.strip_prefix(key))
            .and_then(|t| t.strip_prefix('"'));
        if bare
            .or(quoted)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
            return line_start + (line.len() - trimmed.len());
        }
        line_start += line.len();
    }
    from
}

/// `[keys]`: action names bound to lists of key names, over the defaults.
fn keymap_from(table: &Spanned<toml::Table>, text: &str) -> Result<Keymap, (usize, String)> {
    let start = table.span().start;
    let mut bindings: Vec<(&str, Vec<&str>)> = Vec::new();
    for (action, keys) in table.get_ref() {
        let at = || offset_of_key(text, start, action);
        let names: Vec<&str> = match keys {
            toml::Value::String(one) => vec![one.as_str()],
            toml::Value::Array(many) => many
                .iter()
                .map(|k| {
                    k.as_str().ok_or_else(|| {
                        (
                            at(),
                            format!("[keys] {action}: key names are strings, such as \"j\""),
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
            _ => {
                return Err((
                    at(),
                    format!(
                        "[keys] {action}: expected a list of key names, such as [\"j\", \"down\"]"
                    ),
                ));
            }
        };
        bindings.push((action.as_str(), names));
    }
    Keymap::with_overrides(&bindings).map_err(|e| {
        let action = bindings.get(e.at).map_or("", |(a, _)| *a);
        (offset_of_key(text, start, action), e.message)
    })
}

/// The `[searches]` table: each key's search, checked as the search prompt would check it,
/// and the keys bound over `keymap`.
fn searches_from(
    table: &Spanned<toml::Table>,
    text: &str,
    keymap: Keymap,
) -> Result<(Keymap, Vec<SavedSearch>), (usize, String)> {
    let start = table.span().start;
    let mut searches = Vec::new();
    for (key, value) in table.get_ref() {
        let at = || offset_of_key(text, start, key);
        let query = value.as_str().map(str::trim).unwrap_or_default();
        if query.is_empty() {
            return Err((
                at(),
                format!("[searches] {key}: expected a search, such as \"is:unread\""),
            ));
        }
        let parsed = crate::search::Query::parse(query, false);
        if let Some(problem) = parsed.problems.first() {
            return Err((at(), format!("[searches] {key}: {problem}")));
        }
        searches.push(SavedSearch {
            key: key.clone(),
            query: query.to_string(),
        });
    }
    let names: Vec<&str> = searches.iter().map(|s| s.key.as_str()).collect();
    let keymap = keymap.with_searches(&names).map_err(|e| {
        let key = names.get(e.at).copied().unwrap_or_default();
        (
            offset_of_key(text, start, key),
            format!("[searches] {}", e.message),
        )
    })?;
    Ok((keymap, searches))
}

/// `theme = "none"` (or `"default"`), or a `[theme]` table of colour slots.
fn theme_from(value: &Spanned<toml::Value>, text: &str) -> Result<Theme, (usize, String)> {
    let start = value.span().start;
    match value.get_ref() {
        toml::Value::String(name) if name == "none" => Ok(Theme::none()),
        toml::Value::String(name) if name == "default" => Ok(Theme::default()),
        toml::Value::Table(slots) => {
            let mut theme = Theme::default();
            for (slot, color) in slots {
                let at = || offset_of_key(text, start, slot);
                let color = color
                    .as_str()
                    .ok_or_else(|| (at(), format!("[theme] {slot}: a colour is a string")))?;
                theme
                    .set(slot, color)
                    .map_err(|m| (at(), format!("[theme] {m}")))?;
            }
            Ok(theme)
        }
        _ => Err((
            start,
            "theme is \"none\", \"default\" or a [theme] table of colours".to_string(),
        )),
    }
}
