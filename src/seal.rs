//! Seals: a note, beside a saved cache, that the file was checked whole by its checksum and
//! found sound, with the file's identity as the system keeps it (device, inode, size,
//! modification and change times). A file that still matches its seal holds the bytes it
//! held when checked: any write to it, and any file renamed over it, moves its change time,
//! which no program can set back. So a command checks a large cache whole once, not at every
//! run (at 100,000 articles that check was a third of `related --json`).
//!
//! A write within the clock's step of the check could leave the change time as it was, so a
//! file is sealed only once its change time is older than [`SETTLED`] (as git does for its
//! index): a file just written is checked whole by every open until then. A seal that is
//! missing, unreadable or of another file means only that the next open checks whole.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How old a file's change time must be before its seal is trusted: far above the clock
/// step of file times (a scheduler tick, 1 to 10 ms).
pub const SETTLED: Duration = Duration::from_millis(200);

const MAGIC: &[u8; 16] = b"broadsheet seal1";

/// Where the seal of the cache at `path` lives: beside it, `.sealed` for its extension.
pub fn path_of(path: &Path) -> PathBuf {
    path.with_extension("sealed")
}

/// Whether `file`, opened from `path`, is the file that was sealed: checked whole and sound.
fn holds(path: &Path, file: &File) -> bool {
    let (Some(now), Ok(saved)) = (identity(file), std::fs::read(path_of(path))) else {
        return false;
    };
    decode(&saved) == Some(now)
}

/// Seals `file`, opened from `path` and just found sound, if its change time has settled;
/// otherwise, or when the seal cannot be written, leaves it to the next open to check.
fn record(path: &Path, file: &File) {
    let Some(identity) = identity(file) else {
        return;
    };
    if !settled(file) {
        return;
    }
    let mut bytes = MAGIC.to_vec();
    for figure in identity {
        bytes.extend_from_slice(&figure.to_le_bytes());
    }
    let sum = crc32fast::hash(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    let seal = path_of(path);
    let Some(folder) = seal.parent() else {
        return;
    };
    // A seal half written would only fail to decode; the rename keeps readers from one.
    if let Ok(mut temp) = tempfile::NamedTempFile::new_in(folder) {
        use std::io::Write;
        if temp.write_all(&bytes).is_ok() {
            let _ = temp.persist(&seal);
        }
    }
}

/// A file opened from its path and whether it still matches its seal: the checks a sealed
/// file passed when it was sealed (its checksum, and that its arrays hold together) need not
/// be made again. Once every check made of an unsealed one has passed, [`Sealing::seal`].
#[derive(Debug)]
pub struct Sealing {
    path: PathBuf,
    /// The file to seal; `None` when it is sealed already (or cannot be).
    file: Option<File>,
    sealed: bool,
}

impl Sealing {
    /// Whether `file`, opened from `path`, is sealed.
    pub fn of(path: &Path, file: &File) -> Sealing {
        let sealed = holds(path, file);
        Sealing {
            path: path.to_path_buf(),
            file: (!sealed).then(|| file.try_clone().ok()).flatten(),
            sealed,
        }
    }

    pub fn is_sealed(&self) -> bool {
        self.sealed
    }

    /// Seals the file, found sound by every check made of it (if it is not sealed already).
    pub fn seal(self) {
        if let Some(file) = &self.file {
            record(&self.path, file);
        }
    }
}

fn decode(bytes: &[u8]) -> Option<[u64; 7]> {
    let body = bytes.len().checked_sub(4)?;
    let sum = u32::from_le_bytes(bytes[body..].try_into().ok()?);
    if !bytes.starts_with(MAGIC) || crc32fast::hash(&bytes[..body]) != sum {
        return None;
    }
    let figures = &bytes[MAGIC.len()..body];
    if figures.len() != 7 * 8 {
        return None;
    }
    let mut identity = [0u64; 7];
    for (figure, chunk) in identity.iter_mut().zip(figures.chunks_exact(8)) {
        *figure = u64::from_le_bytes(chunk.try_into().ok()?);
    }
    Some(identity)
}

#[cfg(unix)]
fn identity(file: &File) -> Option<[u64; 7]> {
    use std::os::unix::fs::MetadataExt;
    let m = file.metadata().ok()?;
    Some([
        m.dev(),
        m.ino(),
        m.size(),
        m.mtime() as u64,
        m.mtime_nsec() as u64,
        m.ctime() as u64,
        m.ctime_nsec() as u64,
    ])
}

#[cfg(not(unix))]
fn identity(_: &File) -> Option<[u64; 7]> {
    None
}

#[cfg(unix)]
fn settled(file: &File) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(m) = file.metadata() else {
        return false;
    };
    let changed = Duration::new(
        m.ctime().max(0) as u64,
        m.ctime_nsec().clamp(0, 999_999_999) as u32,
    );
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .is_ok_and(|now| now.saturating_sub(changed) > SETTLED)
}

#[cfg(not(unix))]
fn settled(_: &File) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Seek, Write};

    fn settled_file(dir: &Path, bytes: &[u8]) -> PathBuf {
        let path = dir.join("cache.bin");
        std::fs::write(&path, bytes).unwrap();
        std::thread::sleep(SETTLED + Duration::from_millis(50));
        path
    }

    #[test]
    fn a_settled_file_sealed_holds_until_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = settled_file(dir.path(), b"the bytes as checked");
        assert!(!holds(&path, &File::open(&path).unwrap()), "no seal yet");
        record(&path, &File::open(&path).unwrap());
        assert!(holds(&path, &File::open(&path).unwrap()));
        // The same size, one byte changed in place.
        let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
        file.seek(std::io::SeekFrom::Start(4)).unwrap();
        file.write_all(b"X").unwrap();
        drop(file);
        assert!(!holds(&path, &File::open(&path).unwrap()));
    }

    #[test]
    fn a_file_renamed_over_the_sealed_one_does_not_hold() {
        let dir = tempfile::tempdir().unwrap();
        let path = settled_file(dir.path(), b"first");
        record(&path, &File::open(&path).unwrap());
        let other = dir.path().join("other.bin");
        std::fs::write(&other, b"first").unwrap();
        std::fs::rename(&other, &path).unwrap();
        assert!(!holds(&path, &File::open(&path).unwrap()));
    }

    #[test]
    fn a_file_just_written_is_not_sealed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fresh.bin");
        std::fs::write(&path, b"fresh").unwrap();
        record(&path, &File::open(&path).unwrap());
        assert!(!path_of(&path).exists());
        assert!(!holds(&path, &File::open(&path).unwrap()));
    }

    #[test]
    fn a_garbled_seal_does_not_hold() {
        let dir = tempfile::tempdir().unwrap();
        let path = settled_file(dir.path(), b"bytes");
        record(&path, &File::open(&path).unwrap());
        let mut seal = std::fs::read(path_of(&path)).unwrap();
        seal[20] ^= 1;
        std::fs::write(path_of(&path), &seal).unwrap();
        assert!(!holds(&path, &File::open(&path).unwrap()));
    }
}
