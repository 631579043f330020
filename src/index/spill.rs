//! Bytes written once and read back later, kept out of memory: the text index's postings and
//! the runs its build writes. Runs go to a file of the process's own in the platform cache
//! folder, made without a name (or unlinked at once), so it is gone when the process is,
//! even after a crash. An index's postings go to a named temporary file there, after room for
//! a header, with a checksum per block, so that the file can be kept as the saved index
//! (`index::saved`) by renaming it; one never kept is removed when dropped. When no
//! file can be made or written, the bytes stay in memory. A file read back whose block fails
//! its checksum gives nothing and marks itself failed ([`Stored::failed`]).

use std::fs::File;
use std::io::{self, BufReader, Read, Write};

use super::positioned::{FileReader, read_at, write_at};
use std::ops::Range;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

/// How much is gathered before it is written to the file.
pub const BUFFER: usize = 1 << 16;
/// The bytes each checksum of a kept file covers.
pub const BLOCK: u64 = 1 << 16;
/// The start of every saved index's name while it is written (then the writing process's
/// number and a dash).
pub const TEMP_PREFIX: &str = ".index-";
/// The saved index's header's size; the postings follow it.
pub const HEADER: u64 = 64;

/// Bytes being written, back to back.
#[derive(Debug)]
pub struct Spill {
    file: Option<File>,
    /// How many bytes are in the file.
    written: u64,
    /// What is not in the file yet (everything, when there is no file).
    buffer: Vec<u8>,
    /// Where the bytes start in the file (room for a header before them).
    base: u64,
    /// The file's name, for a file that may be kept; removed when dropped unless kept.
    temp: Option<tempfile::TempPath>,
    /// The checksum of every whole block written to the file, for a file that may be kept.
    sums: Option<Vec<u32>>,
}

/// Bytes written and done with: read by range, or from the start in order.
#[derive(Debug)]
pub enum Stored {
    File {
        file: File,
        /// Where the bytes start in the file.
        start: u64,
        len: u64,
        /// Each block's checksum, when they are checked as they are read.
        sums: Option<Vec<u32>>,
        /// The file's name while it is a temporary one that may be kept.
        temp: Mutex<Option<tempfile::TempPath>>,
        /// Set once a block failed its checksum or the file could not be read.
        failed: AtomicBool,
    },
    Memory(Vec<u8>),
}

impl Default for Stored {
    fn default() -> Stored {
        Stored::Memory(Vec::new())
    }
}

impl Spill {
    /// A spill to a new file without a name in the platform cache folder, else in the
    /// temporary folder, else in memory.
    pub fn on_disk() -> Spill {
        let in_cache = crate::cache::cache_folder().and_then(|folder| {
            std::fs::create_dir_all(&folder).ok()?;
            tempfile::tempfile_in(folder).ok()
        });
        Spill {
            file: in_cache.or_else(|| tempfile::tempfile().ok()),
            written: 0,
            buffer: Vec::with_capacity(BUFFER),
            base: 0,
            temp: None,
            sums: None,
        }
    }

    /// A spill to a named temporary file in `folder` that may be kept (renamed) once
    /// finished, its bytes after `base` bytes of room and checked per block; in memory when
    /// no such file can be made.
    pub fn keepable(folder: &Path, base: u64) -> Spill {
        let named = std::fs::create_dir_all(folder).ok().and_then(|()| {
            tempfile::Builder::new()
                .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
                .tempfile_in(folder)
                .ok()
        });
        let Some(named) = named else {
            return Spill::in_memory();
        };
        let (mut file, temp) = named.into_parts();
        if file.write_all(&vec![0; base as usize]).is_err() {
            return Spill::in_memory();
        }
        Spill {
            file: Some(file),
            written: 0,
            buffer: Vec::with_capacity(BUFFER),
            base,
            temp: Some(temp),
            sums: Some(Vec::new()),
        }
    }

    /// A spill for an index's postings: one that may be kept as the saved index, in the
    /// platform cache folder; else without a name, else in memory.
    pub fn for_index() -> Spill {
        let keepable = crate::cache::cache_folder()
            .map(|folder| Spill::keepable(&folder, HEADER))
            .filter(|spill| spill.file.is_some());
        keepable.unwrap_or_else(Spill::on_disk)
    }

    /// A spill that stays in memory.
    pub fn in_memory() -> Spill {
        Spill {
            file: None,
            written: 0,
            buffer: Vec::new(),
            base: 0,
            temp: None,
            sums: None,
        }
    }

    /// How many bytes have been written.
    pub fn len(&self) -> u64 {
        self.written + self.buffer.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn write(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= BUFFER {
            self.flush(false);
        }
    }

    /// Writes every byte of `stored` after these.
    pub fn append(&mut self, stored: &Stored) {
        let mut reader = stored.reader(BUFFER);
        let mut buffer = vec![0; BUFFER];
        while let Ok(n) = reader.read(&mut buffer) {
            if n == 0 {
                break;
            }
            self.write(&buffer[..n]);
        }
    }

    /// Writes the buffer to the file: whole blocks only while more may come (`last`: all of
    /// it), each block's checksum taken on the way for a file that may be kept. If the file
    /// fails (a full disk), what it holds is read back and everything stays in memory from
    /// then on: nothing written is lost.
    fn flush(&mut self, last: bool) {
        let Some(file) = &mut self.file else {
            return;
        };
        let out = if self.sums.is_some() && !last {
            self.buffer.len() - self.buffer.len() % BLOCK as usize
        } else {
            self.buffer.len()
        };
        if let Some(sums) = &mut self.sums {
            sums.extend(
                self.buffer[..out]
                    .chunks(BLOCK as usize)
                    .map(crc32fast::hash),
            );
        }
        if file.write_all(&self.buffer[..out]).is_ok() {
            self.written += out as u64;
            self.buffer.drain(..out);
            return;
        }
        let mut bytes = vec![0; self.written as usize];
        if read_at(file, &mut bytes, self.base).is_ok() {
            bytes.append(&mut self.buffer);
            self.buffer = bytes;
        }
        self.file = None;
        self.written = 0;
        self.temp = None;
        self.sums = None;
    }

    /// Done writing: the bytes to read back.
    pub fn finish(mut self) -> Stored {
        self.flush(true);
        match self.file {
            Some(file) => Stored::File {
                file,
                start: self.base,
                len: self.written,
                sums: self.sums,
                temp: Mutex::new(self.temp),
                failed: AtomicBool::new(false),
            },
            None => Stored::Memory(self.buffer),
        }
    }
}

impl Stored {
    pub fn len(&self) -> u64 {
        match self {
            Stored::File { len, .. } => *len,
            Stored::Memory(bytes) => bytes.len() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes read from a file (`len` of them from `start`) whose blocks have these
    /// checksums: a saved index's postings.
    pub fn saved(file: File, start: u64, len: u64, sums: Vec<u32>) -> Stored {
        Stored::File {
            file,
            start,
            len,
            sums: Some(sums),
            temp: Mutex::new(None),
            failed: AtomicBool::new(false),
        }
    }

    /// Whether a read failed: a block did not match its checksum or the file could not be
    /// read. What was read is then not to be trusted.
    pub fn failed(&self) -> bool {
        match self {
            Stored::File { failed, .. } => failed.load(Relaxed),
            Stored::Memory(_) => false,
        }
    }

    /// The checksum of every block, for a file that has them.
    pub fn sums(&self) -> Option<&[u32]> {
        match self {
            Stored::File { sums, .. } => sums.as_deref(),
            Stored::Memory(_) => None,
        }
    }

    /// The bytes in `range`; empty if they cannot be read (the range is past the end, or the
    /// file fails, or a block fails its checksum: then [`Stored::failed`] says so).
    pub fn read(&self, range: Range<u64>) -> Vec<u8> {
        if range.start >= range.end || range.end > self.len() {
            return Vec::new();
        }
        match self {
            Stored::Memory(bytes) => bytes[range.start as usize..range.end as usize].to_vec(),
            Stored::File {
                file,
                start,
                len,
                sums,
                failed,
                ..
            } => {
                // Checked: the whole blocks around the range are read and checked.
                let span = match sums {
                    Some(_) => {
                        (range.start / BLOCK * BLOCK)..(range.end.div_ceil(BLOCK) * BLOCK).min(*len)
                    }
                    None => range.clone(),
                };
                let mut bytes = vec![0; (span.end - span.start) as usize];
                let sound = read_at(file, &mut bytes, start + span.start).is_ok()
                    && sums.as_ref().is_none_or(|sums| {
                        bytes.chunks(BLOCK as usize).enumerate().all(|(k, block)| {
                            let n = (span.start / BLOCK) as usize + k;
                            sums.get(n) == Some(&crc32fast::hash(block))
                        })
                    });
                if !sound {
                    failed.store(true, Relaxed);
                    return Vec::new();
                }
                let from = (range.start - span.start) as usize;
                bytes.truncate(from + (range.end - range.start) as usize);
                bytes.drain(..from);
                bytes
            }
        }
    }

    /// Every byte in order from the start, through a buffer of `buffer` bytes (several
    /// readers may read at once: none moves the file's position). A checked file is read
    /// a block at a time; a block that fails its checksum ends the reading with an error.
    pub fn reader(&self, buffer: usize) -> Box<dyn Read + Send + '_> {
        self.reader_from(0, buffer)
    }

    /// [`Stored::reader`] from byte `from` on.
    pub fn reader_from(&self, from: u64, buffer: usize) -> Box<dyn Read + Send + '_> {
        let from = from.min(self.len());
        match self {
            Stored::Memory(bytes) => Box::new(&bytes[from as usize..]),
            Stored::File {
                sums: Some(_), len, ..
            } => {
                // Checked a block at a time: from the block `from` is in, the bytes before it
                // passed over.
                let at = from / BLOCK * BLOCK;
                let mut checked = Checked {
                    stored: self,
                    at,
                    block: Vec::new(),
                    used: 0,
                    len: *len,
                };
                let mut skipped = vec![0; (from - at) as usize];
                if checked.read_exact(&mut skipped).is_err() {
                    checked.at = *len;
                    checked.block.clear();
                }
                Box::new(checked)
            }
            Stored::File {
                file, start, len, ..
            } => Box::new(BufReader::with_capacity(
                buffer,
                FileReader {
                    file,
                    at: start + from,
                    end: start + len,
                },
            )),
        }
    }

    /// Reads every block and checks it: whether all are sound.
    pub fn verify(&self) -> bool {
        let mut reader = self.reader(BUFFER);
        let mut buffer = vec![0; BUFFER];
        loop {
            match reader.read(&mut buffer) {
                Ok(0) => return !self.failed(),
                Ok(_) => {}
                Err(_) => return false,
            }
        }
    }

    /// Writes `bytes` at `at` in the file (from its very start, not from the stored bytes'):
    /// the header and what follows the bytes, for a file to be kept.
    pub fn write_around(&self, at: u64, bytes: &[u8]) -> io::Result<()> {
        match self {
            Stored::File { file, .. } => write_at(file, bytes, at),
            Stored::Memory(_) => Err(io::ErrorKind::Unsupported.into()),
        }
    }

    /// Keeps the temporary file as `path` (flushed to disk first, then renamed over what was
    /// there). `Err` when this is not a temporary file (no longer: it is kept once).
    pub fn keep(&self, path: &Path) -> io::Result<()> {
        let Stored::File { file, temp, .. } = self else {
            return Err(io::ErrorKind::Unsupported.into());
        };
        let mut temp = temp.lock().map_err(|_| io::Error::other("poisoned"))?;
        let Some(name) = temp.take() else {
            return Err(io::ErrorKind::Unsupported.into());
        };
        if let Err(e) = file.sync_all() {
            *temp = Some(name);
            return Err(e);
        }
        match name.persist(path) {
            Ok(()) => Ok(()),
            Err(e) => {
                *temp = Some(e.path);
                Err(e.error)
            }
        }
    }

    /// Whether this is a temporary file that may still be kept ([`Stored::keep`]).
    pub fn is_keepable(&self) -> bool {
        match self {
            Stored::File { temp, .. } => temp.lock().is_ok_and(|t| t.is_some()),
            Stored::Memory(_) => false,
        }
    }

    /// Whether both hold the same bytes.
    pub fn same_bytes(&self, other: &Stored) -> bool {
        if self.len() != other.len() {
            return false;
        }
        let (mut a, mut b) = (self.reader(BUFFER), other.reader(BUFFER));
        let (mut x, mut y) = (vec![0; BUFFER], vec![0; BUFFER]);
        let mut left = self.len();
        while left > 0 {
            let n = left.min(BUFFER as u64) as usize;
            if a.read_exact(&mut x[..n]).is_err() || b.read_exact(&mut y[..n]).is_err() {
                return false;
            }
            if x[..n] != y[..n] {
                return false;
            }
            left -= n as u64;
        }
        true
    }
}

/// Reads a checked file in order, a block at a time, each checked before it is given out.
struct Checked<'a> {
    stored: &'a Stored,
    /// Where the next block starts.
    at: u64,
    block: Vec<u8>,
    /// How much of `block` has been given out.
    used: usize,
    len: u64,
}

impl Read for Checked<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.used == self.block.len() {
            if self.at >= self.len {
                return Ok(0);
            }
            let end = (self.at + BLOCK).min(self.len);
            self.block = self.stored.read(self.at..end);
            self.used = 0;
            if self.block.is_empty() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a block of the saved index is damaged",
                ));
            }
            self.at = end;
        }
        let n = buf.len().min(self.block.len() - self.used);
        buf[..n].copy_from_slice(&self.block[self.used..self.used + n]);
        self.used += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(mut spill: Spill) {
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        for chunk in bytes.chunks(777) {
            spill.write(chunk);
        }
        assert_eq!(spill.len(), bytes.len() as u64);
        let stored = spill.finish();
        assert_eq!(stored.read(1000..70_000), bytes[1000..70_000]);
        assert_eq!(stored.read(199_990..200_001), Vec::<u8>::new());
        let mut all = Vec::new();
        stored.reader(4096).read_to_end(&mut all).unwrap();
        assert_eq!(all, bytes);
        for from in [0, 1, 65_535, 65_536, 150_001, 200_000] {
            let mut rest = Vec::new();
            stored
                .reader_from(from, 4096)
                .read_to_end(&mut rest)
                .unwrap();
            assert_eq!(rest, bytes[from as usize..], "from {from}");
        }
    }

    #[test]
    fn a_file_that_fails_midway_leaves_every_byte_in_memory() {
        let named = tempfile::NamedTempFile::new().unwrap();
        let mut spill = Spill {
            file: Some(named.reopen().unwrap()),
            ..Spill::in_memory()
        };
        let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        spill.write(&bytes[..100_000]);
        assert_eq!(spill.written, 100_000, "the first stretch went to the file");
        // The file can no longer be written (as on a full disk), only read.
        spill.file = Some(std::fs::File::open(named.path()).unwrap());
        spill.write(&bytes[100_000..]);
        let stored = spill.finish();
        assert!(matches!(stored, Stored::Memory(_)));
        assert_eq!(stored.read(0..300_000), bytes);
    }

    #[test]
    fn bytes_come_back_as_written_from_a_file_and_from_memory() {
        let file = Spill::on_disk();
        assert!(file.file.is_some(), "a scratch file can be made here");
        round_trip(file);
        round_trip(Spill::in_memory());
        let folder = tempfile::tempdir().unwrap();
        round_trip(Spill::keepable(folder.path(), 64));
    }
}
