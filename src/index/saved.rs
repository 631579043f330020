//! The index saved to a file, to be opened again by the next process instead of built: a
//! header (format version, sizes, checksums), the postings as the index reads them (a
//! checksum per block, checked as blocks are read), then the terms, where their postings
//! are, the per-article figures, and what the caller saves with them (`extra`: the related
//! links and the pages' stamps, [`crate::related::saved`]).
//!
//! Written under a temporary name in the same folder, flushed to disk, then renamed over the
//! old one: a reader opens the old file or the new one, never half of one, and a process
//! killed while writing leaves the old file (and a temporary one, removed later). A file cut
//! short, altered or of another version is refused ([`Broken`]), never trusted.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::Index;
use super::spill::{BLOCK, HEADER, Spill, Stored, TEMP_PREFIX};
use super::strings::Packed;
use std::ops::Range;
use std::sync::Arc;

use crate::mapped::{Column, In, Mapped, Out, checksum};
use crate::seal;

/// What a saved index starts with.
const MAGIC: &[u8; 16] = b"broadsheet index";
/// The format's version: a change to what is saved gets a new one.
const VERSION: u32 = 4;
/// Temporary files older than this are left from a process that died while writing.
const STALE_TEMP: std::time::Duration = std::time::Duration::from_secs(3600);

/// What writes a part of a saved index, into the [`Out`] it is given.
pub type Writes<'a> = &'a dyn Fn(&mut Out);

/// Why a saved index was not opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// There is none.
    Missing,
    /// It cannot be read, is cut short, fails a checksum or holds what cannot be.
    Damaged(String),
    /// It was written by another version of broadsheet.
    OtherVersion,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Broken::Missing => write!(f, "no saved index"),
            Broken::Damaged(why) => write!(f, "the saved index is damaged ({why})"),
            Broken::OtherVersion => write!(f, "the saved index is of another version"),
        }
    }
}

fn damaged(why: &str) -> Broken {
    Broken::Damaged(why.to_string())
}

impl Index {
    /// Saves the index with `extra` and `tail` to `path` (its folder is made if need be):
    /// written beside it under a temporary name, flushed, renamed over it. `extra` is
    /// checked whenever the file is opened, `tail` only when asked for ([`Tail::check`]): what
    /// answers need goes in the first, what only updates need in the second. An index whose
    /// postings are a temporary file in that folder already is finished in place and renamed;
    /// any other is copied.
    pub fn save(&self, path: &Path, extra: Writes, tail: Writes) -> io::Result<()> {
        let folder = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(folder)?;
        remove_stale_temps(folder);
        // Finished in place only while it is still a temporary file: once kept, the file is
        // the saved index itself, which is never written again.
        if let Some(sums) = self.postings.sums().filter(|_| self.postings.is_keepable()) {
            let in_place = self
                .finish_file(&self.postings, sums, extra, tail)
                .and_then(|()| self.postings.keep(path));
            if in_place.is_ok() {
                sync_folder(folder);
                return Ok(());
            }
        }
        // A copy: the postings read (and checked) once, into a file of their own.
        let mut spill = Spill::keepable(folder, HEADER);
        let mut reader = self.postings.reader(super::spill::BUFFER);
        let mut buffer = vec![0; BLOCK as usize];
        loop {
            let n = reader.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            spill.write(&buffer[..n]);
        }
        let copy = spill.finish();
        if copy.len() != self.postings.len() || self.postings.failed() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the index's postings could not be read back",
            ));
        }
        let sums = copy
            .sums()
            .ok_or_else(|| io::Error::other("no file could be made in the cache folder"))?;
        self.finish_file(&copy, sums, extra, tail)?;
        copy.keep(path)?;
        sync_folder(folder);
        Ok(())
    }

    /// Writes the terms, figures, `extra` and `tail` after the postings in `file`, straight
    /// from where they are (no copy of them is made), then the header.
    fn finish_file(
        &self,
        file: &Stored,
        sums: &[u32],
        extra: Writes,
        tail: Writes,
    ) -> io::Result<()> {
        let start = meta_start(file.len());
        let mut meta = Out::to(start, |at, bytes| file.write_around(at, bytes));
        meta.u64(self.docs() as u64);
        self.terms.write(&mut meta);
        meta.u64s(&self.starts);
        meta.u64s(&self.position_starts);
        meta.u32s(&self.df);
        meta.u32s(&self.lengths);
        meta.f32s(&self.norms);
        meta.u32s(sums);
        // What the caller saves follows, read with the [`In`] that [`Index::open`] returns.
        extra(&mut meta);
        let (meta_len, meta_sum) = meta.finish()?;
        let mut rest = Out::to(start + meta_len, |at, bytes| file.write_around(at, bytes));
        tail(&mut rest);
        let (tail_len, tail_sum) = rest.finish()?;
        let header = header(file.len(), (meta_len, meta_sum), (tail_len, tail_sum));
        file.write_around(0, &header)
    }

    /// Opens the index saved at `path`, with the `extra` and the `tail` saved with it. The
    /// file is mapped: its terms and figures are read in place when asked for, its postings
    /// read (and checked block by block) when asked for; the terms, figures and `extra` are
    /// checked now, by their checksum, the tail when asked ([`Tail::check`]). Found sound,
    /// the file is sealed ([`crate::seal`]), so the next opening need not check it whole.
    pub fn open(path: &Path) -> Result<(Index, In, Tail), Broken> {
        let (index, extra, tail, sealing) = Index::open_sealing(path)?;
        sealing.seal();
        Ok((index, extra, tail))
    }

    /// [`Index::open`], leaving the seal to the caller, once it has checked the `extra` too
    /// (a sealed file's arrays are not checked again: it passed when it was sealed).
    pub fn open_sealing(path: &Path) -> Result<(Index, In, Tail, seal::Sealing), Broken> {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Broken::Missing),
            Err(e) => return Err(Broken::Damaged(e.to_string())),
        };
        let mapped = Mapped::of(&file).map_err(|e| Broken::Damaged(e.to_string()))?;
        let bytes = mapped.bytes();
        let head = bytes
            .get(..HEADER as usize)
            .ok_or_else(|| damaged("cut short"))?;
        if &head[..16] != MAGIC {
            return Err(damaged("not an index"));
        }
        let field = |at: usize| u64::from_le_bytes(head[at..at + 8].try_into().unwrap_or([0; 8]));
        let word = |at: usize| u32::from_le_bytes(head[at..at + 4].try_into().unwrap_or([0; 4]));
        if crc32fast::hash(&head[..56]) != word(56) {
            return Err(damaged("its header fails its checksum"));
        }
        if word(16) != VERSION {
            return Err(Broken::OtherVersion);
        }
        let (postings, meta_len, tail_len) = (field(24), field(32), field(48));
        let meta_start = meta_start(postings);
        let end = meta_start
            .checked_add(meta_len)
            .and_then(|e| e.checked_add(tail_len));
        if end.and_then(|e| usize::try_from(e).ok()) != Some(bytes.len()) {
            return Err(damaged("cut short or too long"));
        }
        let meta = meta_start as usize..(meta_start + meta_len) as usize;
        let tail = Tail {
            file: mapped.clone(),
            range: meta.end..bytes.len(),
            sum: word(44),
        };
        let sealing = seal::Sealing::of(path, &file);
        let sealed = sealing.is_sealed();
        if !sealed && checksum(&bytes[meta.clone()]) != word(40) {
            return Err(damaged("its terms fail their checksum"));
        }
        let mut r = In::new(&mapped, meta);
        let bad = || damaged("what it holds does not add up");
        let docs = r.u64().ok_or_else(bad)? as usize;
        let terms = Packed::read_trusting(&mut r, sealed).ok_or_else(bad)?;
        let starts: Column<u64> = r.array().ok_or_else(bad)?;
        let position_starts: Column<u64> = r.array().ok_or_else(bad)?;
        let df: Column<u32> = r.array().ok_or_else(bad)?;
        let lengths: Column<u32> = r.array().ok_or_else(bad)?;
        let norms: Column<f32> = r.array().ok_or_else(bad)?;
        let sums: Column<u32> = r.array().ok_or_else(bad)?;
        let holds = starts.len() == terms.len() + 1
            && df.len() == terms.len()
            && lengths.len() == docs
            && norms.len() == docs
            && position_starts.len() == terms.len() + 1
            && (sealed || starts.is_sorted() && position_starts.is_sorted())
            && position_starts.first() == starts.last()
            && position_starts.last() == Some(&postings)
            && sums.len() as u64 == postings.div_ceil(BLOCK);
        if !holds {
            return Err(bad());
        }
        let index = Index {
            terms,
            starts,
            position_starts,
            df,
            postings: Stored::saved(file, HEADER, postings, sums.to_vec()),
            lengths,
            norms,
        };
        Ok((index, r, tail, sealing))
    }

    /// Whether every read of the postings so far was sound (a saved index's blocks matched
    /// their checksums). An answer given after a failed read is not to be trusted.
    pub fn is_sound(&self) -> bool {
        !self.postings.failed()
    }

    /// Reads every block of the postings and checks it: whether the whole index is sound.
    pub fn verify(&self) -> bool {
        self.postings.verify()
    }
}

/// Where the terms and figures start in a file of `postings` bytes of postings: after them,
/// at a multiple of 8 bytes.
fn meta_start(postings: u64) -> u64 {
    (HEADER + postings).next_multiple_of(8)
}

/// What follows the terms in a saved index, checked only when asked for.
pub struct Tail {
    file: Arc<Mapped>,
    range: Range<usize>,
    sum: u32,
}

impl Tail {
    /// Whether it matches its checksum.
    pub fn check(&self) -> bool {
        self.file
            .bytes()
            .get(self.range.clone())
            .is_some_and(|bytes| checksum(bytes) == self.sum)
    }

    /// Its contents, read in place.
    pub fn read(&self) -> In {
        In::new(&self.file, self.range.clone())
    }
}

/// The header of a file of `postings` bytes of postings followed by the terms and the tail
/// (each their length and checksum): the magic, the version, the three lengths, the two
/// checksums, then its own.
fn header(postings: u64, meta: (u64, u32), tail: (u64, u32)) -> Vec<u8> {
    let mut head = Vec::with_capacity(HEADER as usize);
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&VERSION.to_le_bytes());
    head.extend_from_slice(&[0; 4]);
    head.extend_from_slice(&postings.to_le_bytes());
    head.extend_from_slice(&meta.0.to_le_bytes());
    head.extend_from_slice(&meta.1.to_le_bytes());
    head.extend_from_slice(&tail.1.to_le_bytes());
    head.extend_from_slice(&tail.0.to_le_bytes());
    let sum = crc32fast::hash(&head);
    head.extend_from_slice(&sum.to_le_bytes());
    head.resize(HEADER as usize, 0);
    head
}

/// A rename is durable once the folder's entry is on disk too.
fn sync_folder(folder: &Path) {
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
}

/// Removes the temporary files that processes which ended while writing left in `folder`: a
/// reader quit while it built its index leaves one as large as the index. A file whose
/// process is gone goes at once; one whose process cannot be told, after an hour.
pub(crate) fn remove_stale_temps(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
            continue;
        };
        let owner = rest
            .split_once('-')
            .and_then(|(pid, _)| pid.parse::<u32>().ok());
        let gone = match owner {
            Some(pid) => pid != std::process::id() && !crate::durable::process_lives(pid),
            None => false,
        };
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMP);
        if gone || old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_files_of_processes_that_ended_are_removed_and_others_kept() {
        let folder = tempfile::tempdir().unwrap();
        let name = |n: &str| folder.path().join(n);
        let dead = format!("{TEMP_PREFIX}999999999-x1");
        let mine = format!("{TEMP_PREFIX}{}-x2", std::process::id());
        for file in [&dead, &mine, &"index-1.bin".to_string()] {
            std::fs::write(name(file), b"x").unwrap();
        }
        remove_stale_temps(folder.path());
        assert!(!name(&dead).exists(), "its process is gone");
        assert!(name(&mine).exists(), "this process is still writing it");
        assert!(name("index-1.bin").exists());
    }

    #[test]
    fn the_header_says_how_long_the_parts_are_and_checks_itself() {
        let head = header(10, (4, crc32fast::hash(b"meta")), (8, 0));
        assert_eq!(head.len(), HEADER as usize);
        assert_eq!(&head[..16], MAGIC);
        assert_eq!(u64::from_le_bytes(head[24..32].try_into().unwrap()), 10);
        assert_eq!(u64::from_le_bytes(head[32..40].try_into().unwrap()), 4);
        assert_eq!(u64::from_le_bytes(head[48..56].try_into().unwrap()), 8);
        assert_eq!(
            crc32fast::hash(&head[..56]),
            u32::from_le_bytes(head[56..60].try_into().unwrap())
        );
    }
}
