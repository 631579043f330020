//! Bytes written once and read back later, kept out of memory: the text index's postings and
//! the runs its build writes. They go to a file of the process's own in the platform cache
//! folder, made without a name (or unlinked at once), so it is gone when the process is,
//! even after a crash; when no such file can be made or written, they stay in memory.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::ops::Range;

/// How much is gathered before it is written to the file.
pub const BUFFER: usize = 1 << 16;

/// Bytes being written, back to back.
#[derive(Debug)]
pub struct Spill {
    file: Option<File>,
    /// How many bytes are in the file.
    written: u64,
    /// What is not in the file yet (everything, when there is no file).
    buffer: Vec<u8>,
}

/// Bytes written and done with: read by range, or from the start in order.
#[derive(Debug)]
pub enum Stored {
    File { file: File, len: u64 },
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
        let in_cache = directories::ProjectDirs::from("", "", "broadsheet").and_then(|dirs| {
            let folder = dirs.cache_dir();
            std::fs::create_dir_all(folder).ok()?;
            tempfile::tempfile_in(folder).ok()
        });
        Spill {
            file: in_cache.or_else(|| tempfile::tempfile().ok()),
            written: 0,
            buffer: Vec::with_capacity(BUFFER),
        }
    }

    /// A spill that stays in memory.
    pub fn in_memory() -> Spill {
        Spill {
            file: None,
            written: 0,
            buffer: Vec::new(),
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
            self.flush();
        }
    }

    /// Writes the buffer to the file. If the file fails (a full disk), what it holds is read
    /// back and everything stays in memory from then on: nothing written is lost.
    fn flush(&mut self) {
        let Some(file) = &mut self.file else {
            return;
        };
        if file.write_all(&self.buffer).is_ok() {
            self.written += self.buffer.len() as u64;
            self.buffer.clear();
            return;
        }
        let mut bytes = vec![0; self.written as usize];
        if read_at(file, &mut bytes, 0).is_ok() {
            bytes.append(&mut self.buffer);
            self.buffer = bytes;
        }
        self.file = None;
        self.written = 0;
    }

    /// Done writing: the bytes to read back.
    pub fn finish(mut self) -> Stored {
        self.flush();
        match self.file {
            Some(file) => Stored::File {
                file,
                len: self.written,
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

    /// The bytes in `range`; empty if they cannot be read (the range is past the end, or the
    /// file fails).
    pub fn read(&self, range: Range<u64>) -> Vec<u8> {
        if range.start >= range.end || range.end > self.len() {
            return Vec::new();
        }
        match self {
            Stored::Memory(bytes) => bytes[range.start as usize..range.end as usize].to_vec(),
            Stored::File { file, .. } => {
                let mut bytes = vec![0; (range.end - range.start) as usize];
                match read_at(file, &mut bytes, range.start) {
                    Ok(()) => bytes,
                    Err(_) => Vec::new(),
                }
            }
        }
    }

    /// Every byte in order from the start, through a buffer of `buffer` bytes (several
    /// readers may read at once: none moves the file's position).
    pub fn reader(&self, buffer: usize) -> Box<dyn Read + Send + '_> {
        match self {
            Stored::Memory(bytes) => Box::new(&bytes[..]),
            Stored::File { file, len } => Box::new(BufReader::with_capacity(
                buffer,
                FileReader {
                    file,
                    at: 0,
                    end: *len,
                },
            )),
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

/// Reads a file from `at` on without moving its position.
struct FileReader<'a> {
    file: &'a File,
    at: u64,
    end: u64,
}

impl Read for FileReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min((self.end - self.at) as usize);
        if n == 0 {
            return Ok(0);
        }
        let got = read_some_at(self.file, &mut buf[..n], self.at)?;
        self.at += got as u64;
        Ok(got)
    }
}

fn read_at(file: &File, mut buf: &mut [u8], mut at: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match read_some_at(file, buf, at) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                at += n as u64;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(unix)]
fn read_some_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(windows)]
fn read_some_at(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
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
    }

    #[test]
    fn a_file_that_fails_midway_leaves_every_byte_in_memory() {
        let named = tempfile::NamedTempFile::new().unwrap();
        let mut spill = Spill {
            file: Some(named.reopen().unwrap()),
            written: 0,
            buffer: Vec::new(),
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
    }
}
