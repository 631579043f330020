//! Durable files the user owns (bookmarks, reading state, the feeds list): every change takes a lock,
//! reads the file again, applies itself and writes the result atomically (a temporary file in
//! the same folder, flushed and fsynced, renamed over the old one, the folder fsynced). A file
//! that does not parse is never overwritten.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::text::{clean_display, line_column, utf8_or_place};

/// What a file that is not UTF-8 text is said to be, at the first byte that is not.
pub const NOT_UTF8: &str = "not UTF-8 text";

/// Why a saved file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file is not what broadsheet wrote: it is left exactly as it is.
    #[error(
        "{}:{line}:{column}: {message} (the file is left as it is: fix it or move it away)",
        shown(path)
    )]
    Broken {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("cannot {doing} {}: {source}", shown(path))]
    Io {
        doing: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

impl StoreError {
    /// The error in a status bar's room: the file's name rather than its whole path, so that
    /// the line and column still show.
    pub fn brief(&self) -> String {
        match self {
            StoreError::Broken {
                path,
                line,
                column,
                message,
            } => {
                let name = path.file_name().map_or(path.as_path(), Path::new);
                format!("{}:{line}:{column}: {message}", shown(name))
            }
            StoreError::Io { .. } => self.to_string(),
        }
    }
}

fn shown(path: &Path) -> String {
    clean_display(&path.to_string_lossy())
}

fn io_error<'a>(doing: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> StoreError + 'a {
    move |source| StoreError::Io {
        doing,
        path: path.to_path_buf(),
        source,
    }
}

/// The file's text, or `None` when there is no file; bytes that are not UTF-8 make it a
/// broken file, at the line and column where they start.
pub fn read_text(path: &Path) -> Result<Option<String>, StoreError> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error("read", path)(e)),
    };
    let text = utf8_or_place(bytes).map_err(|(line, column)| StoreError::Broken {
        path: path.to_path_buf(),
        line,
        column,
        message: NOT_UTF8.to_string(),
    })?;
    Ok(Some(text))
}

/// The key of an articles folder in the files that keep something per folder (bookmarks,
/// reading state, what fetching learnt): its canonical path, or the path as given when it
/// cannot be resolved.
pub fn folder_key(articles: &Path) -> String {
    let path = fs::canonicalize(articles)
        .or_else(|_| std::path::absolute(articles))
        .unwrap_or_else(|_| articles.to_path_buf());
    path.to_string_lossy().into_owned()
}

/// Reads and parses the file; a missing file is the default (empty) value.
pub fn load<T: DeserializeOwned + Default>(path: &Path) -> Result<T, StoreError> {
    let Some(text) = read_text(path)? else {
        return Ok(T::default());
    };
    toml::from_str(&text).map_err(|e| {
        let (line, column) = line_column(&text, e.span().map_or(0, |s| s.start));
        StoreError::Broken {
            path: path.to_path_buf(),
            line,
            column,
            message: e.message().trim().to_string(),
        }
    })
}

/// Applies `change` to the file's current contents and saves the result, holding the file's
/// lock throughout, so that changes from other processes in between are kept. Returns what
/// `change` returned.
pub fn update<T, R>(path: &Path, change: impl FnOnce(&mut T) -> R) -> Result<R, StoreError>
where
    T: DeserializeOwned + Serialize + Default,
{
    locked(path, || {
        let mut value: T = load(path)?;
        let result = change(&mut value);
        let text = toml::to_string_pretty(&value).map_err(|e| StoreError::Io {
            doing: "write",
            path: path.to_path_buf(),
            source: io::Error::other(e),
        })?;
        write_atomic(path, text.as_bytes(), |_| Ok(()))?;
        Ok(result)
    })
}

/// Runs `work` holding the lock of the file at `path` (made beside it, as `NAME.lock`), so
/// that two processes changing the file take turns. The file's folder is made first.
pub fn locked<R>(
    path: &Path,
    work: impl FnOnce() -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    let folder = folder_of(path);
    fs::create_dir_all(folder).map_err(io_error("create the folder", folder))?;
    let lock_path = lock_path(path);
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(io_error("create the lock file", &lock_path))?;
    lock.lock().map_err(io_error("lock", &lock_path))?;
    // The lock is released when `lock` is dropped, after the work.
    work()
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `bookmarks.toml.lock` beside `bookmarks.toml`.
fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// Writes `bytes` to `path` so that at every instant the file is either the old one or the
/// new one. `before_rename` runs between writing the temporary file and renaming it (tests
/// inject failures there); if anything fails, the temporary file is removed and the old file
/// is untouched.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    before_rename: impl FnOnce(&Path) -> io::Result<()>,
) -> Result<(), StoreError> {
    let folder = folder_of(path);
    remove_stale_temps(path);
    // Made new and exclusively (no other file is ever opened in its place), named
    // `.NAME.PID.RANDOM.tmp` so that one left by a process that died can be told and removed.
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(path.file_name().unwrap_or_default());
    prefix.push(format!(".{}.", std::process::id()));
    let written = (|| {
        let mut file = tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(".tmp")
            .tempfile_in(folder)?;
        file.write_all(bytes)?;
        file.flush()?;
        file.as_file().sync_all()?;
        before_rename(file.path())?;
        // On failure the temporary file is removed as it is dropped.
        file.persist(path).map(drop).map_err(|e| e.error)
    })();
    if let Err(e) = written {
        return Err(io_error("write", path)(e));
    }
    // The rename is durable only once the folder's entry is on disk too.
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Removes the temporary files of `path` (`.NAME.PID.RANDOM.tmp`, or `.NAME.PID.tmp` as older
/// versions named them) that processes which ended while
/// writing it left behind: a reader closed while it wrote a 20 MB headers cache would leave
/// one for good.
fn remove_stale_temps(path: &Path) {
    let (Some(name), Ok(entries)) = (
        path.file_name().and_then(|n| n.to_str()),
        fs::read_dir(folder_of(path)),
    ) else {
        return;
    };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file = entry.file_name();
        let pid = (file.to_str())
            .and_then(|f| f.strip_prefix(&prefix))
            .and_then(|rest| rest.strip_suffix(".tmp"))
            .and_then(|rest| rest.split('.').next())
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !process_lives(pid)
        {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` is alive (asked of the system without touching it).
#[cfg(unix)]
pub(crate) fn process_lives(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    let answer = unsafe { libc::kill(pid, 0) };
    answer == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
pub(crate) fn process_lives(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_removes_what_ended_processes_left_and_keeps_the_rest() {
        let folder = tempfile::tempdir().expect("tempdir");
        let path = folder.path().join("heads.bin");
        let temp = |pid: u32| folder.path().join(format!(".heads.bin.{pid}.tmp"));
        let (dead, other) = (
            temp(999_999_999),
            folder.path().join(".other.bin.999999999.tmp"),
        );
        let dead_now = folder.path().join(".heads.bin.999999998.Xy1zQ0.tmp");
        // Process 1 lives as long as the system does.
        let living = temp(1);
        for file in [&dead, &dead_now, &other, &living] {
            fs::write(file, "half").expect("temp");
        }
        // The write's own temporary file: named for this process, gone once renamed.
        let mut seen = None;
        write_atomic(&path, b"whole", |temp| {
            seen = Some(temp.to_path_buf());
            Ok(())
        })
        .expect("write");
        let seen = seen.expect("a temporary file");
        let name = seen
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let mine = format!(".heads.bin.{}.", std::process::id());
        assert!(name.starts_with(&mine) && name.ends_with(".tmp"), "{name}");
        assert!(!seen.exists());
        assert_eq!(fs::read(&path).expect("written"), b"whole");
        assert!(!dead.exists(), "a process that ended left it");
        assert!(!dead_now.exists(), "named as this version names them");
        // A write that fails before the rename leaves the old file and no temporary one.
        let failed = write_atomic(&path, b"other", |_| Err(io::Error::other("injected")));
        assert!(failed.is_err());
        assert_eq!(fs::read(&path).expect("kept"), b"whole");
        let temps = fs::read_dir(folder.path())
            .expect("list")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&mine))
            .count();
        assert_eq!(temps, 0);
        assert!(other.exists(), "another file's");
        assert!(living.exists(), "a process still writing keeps its own");
    }
}
