//! The downloaded pictures, kept in the platform cache folder by their content: `files/`
//! holds each picture once under the SHA-256 of its bytes (so no server can choose a name,
//! and one picture at two addresses is kept once), and `urls/` maps each address to its file,
//! or to why it was refused (so a hostile picture is not asked for again): 256 files, by the
//! first byte of the address's SHA-256, each a line per address appended in one write, the
//! last line for an address the one that counts (a file per address cost a fetch of 2,500
//! pictures a second of the file system's time). The cache keeps under its cap by dropping
//! the pictures used longest ago first.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// What the cache knows of an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cached {
    /// The picture's file.
    File(PathBuf),
    /// It was refused, and why.
    Refused(String),
}

/// The cache of pictures in one folder, at most `cap` bytes of them.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
    cap: u64,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Store {
    pub fn new(dir: &Path, cap: u64) -> Store {
        Store {
            dir: dir.to_path_buf(),
            cap,
        }
    }

    /// The cache the settings name.
    pub fn of(settings: &crate::images::Settings) -> Store {
        Store::new(&settings.cache_dir, settings.cache_bytes)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of lines that maps this address (and others) to its file.
    fn shard(&self, url: &str) -> PathBuf {
        let first = Sha256::digest(url.as_bytes())[0];
        self.dir.join("urls").join(format!("{first:02x}.txt"))
    }

    /// What is known of `url`: its file (marked as used now), why it was refused, or nothing.
    pub fn get(&self, url: &str) -> Option<Cached> {
        let text = fs::read_to_string(self.shard(url)).ok()?;
        let line = text.lines().rev().find_map(|line| {
            let mut fields = line.splitn(3, '\t');
            let (kind, value, address) = (fields.next()?, fields.next()?, fields.next()?);
            (address == url).then_some((kind, value))
        })?;
        match line {
            ("file", name) if is_name(name) => {
                let file = self.dir.join("files").join(name);
                // Used now: the last to be dropped.
                let touched = fs::File::options()
                    .append(true)
                    .open(&file)
                    .and_then(|f| f.set_modified(std::time::SystemTime::now()));
                touched.is_ok().then_some(Cached::File(file))
            }
            ("refused", why) => Some(Cached::Refused(why.to_string())),
            _ => None,
        }
    }

    /// Keeps `bytes` as the picture at `url`. Returns the file. (The cache may now be over
    /// its cap: [`Store::trim`] brings it back, once a run of downloads is done.)
    pub fn put(&self, url: &str, bytes: &[u8]) -> io::Result<PathBuf> {
        let name = hex(&Sha256::digest(bytes));
        let files = self.dir.join("files");
        fs::create_dir_all(&files)?;
        let file = files.join(&name);
        // A file of that name and size is that picture (its name is its content's digest).
        let kept = fs::metadata(&file).is_ok_and(|m| m.len() == bytes.len() as u64);
        if !kept {
            write_new(&files, &file, bytes)?;
        }
        self.remember(url, "file", &name)?;
        Ok(file)
    }

    /// Remembers that the picture at `url` was refused, and why.
    pub fn refuse(&self, url: &str, why: &str) -> io::Result<()> {
        let why = crate::text::one_line(why).replace('\t', " ");
        self.remember(url, "refused", &why)
    }

    /// Appends the address's line, in one write (lines appended at once by two threads or
    /// two processes do not mix).
    fn remember(&self, url: &str, kind: &str, value: &str) -> io::Result<()> {
        if url.contains(['\t', '\n', '\r']) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "an address with a tab or a line break in it",
            ));
        }
        let shard = self.shard(url);
        fs::create_dir_all(self.dir.join("urls"))?;
        let mut file = fs::File::options().create(true).append(true).open(shard)?;
        file.write_all(format!("{kind}\t{value}\t{url}\n").as_bytes())
    }

    /// The pictures kept, oldest use first, with their sizes.
    fn files(&self) -> io::Result<Vec<(std::time::SystemTime, u64, PathBuf)>> {
        let mut files = Vec::new();
        let dir = match fs::read_dir(self.dir.join("files")) {
            Ok(dir) => dir,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(files),
            Err(e) => return Err(e),
        };
        for entry in dir.flatten() {
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_file() && is_name(&entry.file_name().to_string_lossy()) {
                let used = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
                files.push((used, meta.len(), entry.path()));
            }
        }
        files.sort();
        Ok(files)
    }

    /// How many bytes of pictures are kept.
    pub fn size(&self) -> io::Result<u64> {
        Ok(self.files()?.iter().map(|(_, size, _)| size).sum())
    }

    /// Drops the pictures used longest ago until the cache is within its cap. An address
    /// whose file is gone is simply not known any more.
    pub fn trim(&self) -> io::Result<()> {
        let files = self.files()?;
        let mut total: u64 = files.iter().map(|(_, size, _)| size).sum();
        for (_, size, path) in files {
            if total <= self.cap {
                break;
            }
            fs::remove_file(&path)?;
            total -= size;
        }
        Ok(())
    }
}

/// Whether a file name is one the cache gave (64 hex digits).
fn is_name(name: &str) -> bool {
    name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Writes a file whole or not at all: into a new temporary file beside it, then renamed.
fn write_new(dir: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = tempfile::Builder::new()
        .prefix(".picture")
        .tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_picture_at_two_addresses_is_kept_once_and_a_refusal_is_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path(), 1 << 20);
        let a = store.put("https://a.example/1.jpg", b"same").unwrap();
        let b = store.put("https://b.example/2.jpg", b"same").unwrap();
        store.trim().unwrap();
        assert_eq!(a, b);
        assert_eq!(store.size().unwrap(), 4);
        assert_eq!(store.get("https://a.example/1.jpg"), Some(Cached::File(a)));
        assert_eq!(store.get("https://c.example/3.jpg"), None);
        store
            .refuse("https://c.example/3.jpg", "not a picture")
            .unwrap();
        assert_eq!(
            store.get("https://c.example/3.jpg"),
            Some(Cached::Refused("not a picture".into()))
        );
    }
}
