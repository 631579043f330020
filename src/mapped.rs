//! Arrays that are either owned or read in place from a file mapped into memory: the saved
//! headers and index are opened by mapping their files, so a command touches only the pages
//! of the arrays it reads (a lookup by id reads a few pages of a 20 MB file, not all of it).
//!
//! A [`Column`] derefs to a slice either way, so the code that reads it does not care where
//! it lives. A mapped file is checked whole by its checksum when opened, until it is sealed
//! as checked ([`crate::seal`]) (the mapped
//! pages come from the system's file cache; nothing is copied). Saved files are only ever
//! replaced by renaming a new one over them, never written in place, so a mapping stays what
//! it was when opened.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// A file mapped into memory, read only.
pub struct Mapped {
    map: memmap2::Mmap,
}

impl fmt::Debug for Mapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mapped({} bytes)", self.map.len())
    }
}

impl Mapped {
    /// Maps the whole of `file`.
    pub fn of(file: &std::fs::File) -> std::io::Result<Arc<Mapped>> {
        // SAFETY: the files mapped are the caches' own, which are replaced by a rename and
        // never written or cut short in place; the bytes are only read, and every array read
        // from them is checked for its alignment and size.
        let map = unsafe { memmap2::Mmap::map(file)? };
        Ok(Arc::new(Mapped { map }))
    }

    pub fn bytes(&self) -> &[u8] {
        &self.map
    }
}

/// The CRC-32 of `bytes`, which may be a mapped file's: a large one is summed in two halves
/// on two threads and the sums combined (the same number), as checking a cache whole is
/// most of what a command costs on a large folder.
pub fn checksum(bytes: &[u8]) -> u32 {
    const PARALLEL: usize = 4 << 20;
    if bytes.len() < PARALLEL {
        return crc32fast::hash(bytes);
    }
    let (first, second) = bytes.split_at(bytes.len() / 2);
    let sum = |part: &[u8]| {
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(part);
        hasher
    };
    let (mut a, b) = std::thread::scope(|scope| {
        let other = scope.spawn(|| sum(second));
        let a = sum(first);
        (a, other.join().unwrap_or_else(|_| sum(second)))
    });
    a.combine(&b);
    a.finalize()
}

/// An array of plain numbers, owned or in a mapped file.
pub enum Column<T> {
    Owned(Vec<T>),
    /// `range` of the file's bytes, aligned for `T` (checked when made).
    Mapped(Arc<Mapped>, Range<usize>),
}

impl<T: bytemuck::Pod> Column<T> {
    /// The array `range` of `file` holds; `None` if it is not aligned for `T`, not a whole
    /// number of them, or past the end. Numbers are stored little-endian: on a big-endian
    /// machine they are copied and turned around.
    pub fn mapped(file: &Arc<Mapped>, range: Range<usize>) -> Option<Column<T>> {
        let bytes = file.bytes().get(range.clone())?;
        let values: &[T] = bytemuck::try_cast_slice(bytes).ok()?;
        if cfg!(target_endian = "little") {
            Some(Column::Mapped(file.clone(), range))
        } else {
            Some(Column::Owned(values.iter().map(swap_bytes).collect()))
        }
    }

    /// The numbers as owned, to change them (a mapped array is copied first).
    pub fn to_mut(&mut self) -> &mut Vec<T> {
        loop {
            match self {
                Column::Owned(values) => return values,
                Column::Mapped(..) => *self = Column::Owned(self.deref().to_vec()),
            }
        }
    }

    /// Bytes of memory the array takes (a mapped one takes none of the program's own).
    pub fn heap_bytes(&self) -> usize {
        match self {
            Column::Owned(values) => values.capacity() * size_of::<T>(),
            Column::Mapped(..) => 0,
        }
    }
}

/// A value with its bytes turned around (for a big-endian machine reading little-endian).
pub(crate) fn swap_bytes<T: bytemuck::Pod>(value: &T) -> T {
    let mut value = *value;
    let bytes: &mut [u8] = bytemuck::bytes_of_mut(&mut value);
    // Arrays of numbers ([u32; 4]) turn each number around, not the whole.
    let unit = match size_of::<T>() {
        16 => 4,
        n => n,
    };
    for chunk in bytes.chunks_mut(unit) {
        chunk.reverse();
    }
    value
}

impl<T: bytemuck::Pod> Deref for Column<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            Column::Owned(values) => values,
            Column::Mapped(file, range) => file
                .bytes()
                .get(range.clone())
                .and_then(|bytes| bytemuck::try_cast_slice(bytes).ok())
                .unwrap_or_default(),
        }
    }
}

impl<T> Default for Column<T> {
    fn default() -> Column<T> {
        Column::Owned(Vec::new())
    }
}

impl<T: Clone> Clone for Column<T> {
    fn clone(&self) -> Column<T> {
        match self {
            Column::Owned(values) => Column::Owned(values.clone()),
            Column::Mapped(file, range) => Column::Mapped(file.clone(), range.clone()),
        }
    }
}

impl<T> From<Vec<T>> for Column<T> {
    fn from(values: Vec<T>) -> Column<T> {
        Column::Owned(values)
    }
}

impl<T: bytemuck::Pod + fmt::Debug> fmt::Debug for Column<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Column::Owned(values) => write!(f, "Owned({} values)", values.len()),
            Column::Mapped(_, range) => write!(f, "Mapped({range:?})"),
        }
    }
}

impl<T: bytemuck::Pod + PartialEq> PartialEq for Column<T> {
    fn eq(&self, other: &Column<T>) -> bool {
        self.deref() == other.deref()
    }
}

/// Figures written back to back, little-endian, each array after its length and every item
/// starting at a multiple of 8 bytes, so that a mapped file's arrays are read in place
/// ([`In`], [`Column::mapped`]): into memory ([`Out::default`], [`Out::into_bytes`]), or
/// straight into a file a megabyte at a time with their checksum taken on the way
/// ([`Out::to`]), so that saving a large index holds no copy of it.
#[derive(Default)]
pub struct Out<'w> {
    buf: Vec<u8>,
    /// Bytes handed to the sink so far.
    flushed: u64,
    sink: Option<Sink<'w>>,
}

/// Writes bytes at a place in a file.
type WriteAt<'w> = Box<dyn FnMut(u64, &[u8]) -> std::io::Result<()> + 'w>;

/// Where a streaming [`Out`] writes: `write(at, bytes)` from `start` on.
struct Sink<'w> {
    write: WriteAt<'w>,
    start: u64,
    crc: crc32fast::Hasher,
    failed: Option<std::io::Error>,
}

/// How much a streaming [`Out`] gathers before it writes.
const OUT_BUFFER: usize = 1 << 20;

impl<'w> Out<'w> {
    /// Figures gathered in memory after `bytes`.
    pub fn after(bytes: Vec<u8>) -> Out<'w> {
        Out {
            buf: bytes,
            flushed: 0,
            sink: None,
        }
    }

    /// Figures written by `write(at, bytes)` from `start` on (which must be a multiple of 8).
    pub fn to(start: u64, write: impl FnMut(u64, &[u8]) -> std::io::Result<()> + 'w) -> Out<'w> {
        Out {
            buf: Vec::with_capacity(OUT_BUFFER),
            flushed: 0,
            sink: Some(Sink {
                write: Box::new(write),
                start,
                crc: crc32fast::Hasher::new(),
                failed: None,
            }),
        }
    }

    /// How many bytes have been written.
    pub fn len(&self) -> u64 {
        self.flushed + self.buf.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes gathered in memory.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// Writes what is gathered to the sink (a first failure is kept for [`Out::finish`]).
    fn flush(&mut self) {
        let Some(sink) = &mut self.sink else {
            return;
        };
        if sink.failed.is_none() {
            sink.crc.update(&self.buf);
            if let Err(e) = (sink.write)(sink.start + self.flushed, &self.buf) {
                sink.failed = Some(e);
            }
        }
        self.flushed += self.buf.len() as u64;
        self.buf.clear();
    }

    fn put(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
        if self.sink.is_some() && self.buf.len() >= OUT_BUFFER {
            self.flush();
        }
    }

    /// Done streaming: how many bytes were written, and their CRC-32.
    pub fn finish(mut self) -> std::io::Result<(u64, u32)> {
        self.flush();
        match self.sink {
            Some(Sink {
                failed: Some(e), ..
            }) => Err(e),
            Some(sink) => Ok((self.flushed, sink.crc.finalize())),
            None => Ok((self.buf.len() as u64, crc32fast::hash(&self.buf))),
        }
    }

    pub fn u64(&mut self, n: u64) {
        self.put(&n.to_le_bytes());
    }
    fn pad(&mut self) {
        let padding = (self.len().next_multiple_of(8) - self.len()) as usize;
        self.put(&[0; 8][..padding]);
    }
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.u64(bytes.len() as u64);
        self.put(bytes);
        self.pad();
    }
    /// An array of numbers (or of arrays of numbers), little-endian.
    pub fn array<T: bytemuck::Pod>(&mut self, values: &[T]) {
        self.u64(values.len() as u64);
        if cfg!(target_endian = "little") {
            self.put(bytemuck::cast_slice(values));
        } else {
            for v in values {
                self.put(bytemuck::bytes_of(&swap_bytes(v)));
            }
        }
        self.pad();
    }
    pub fn u32s(&mut self, values: &[u32]) {
        self.array(values);
    }
    pub fn u64s(&mut self, values: &[u64]) {
        self.array(values);
    }
    pub fn f32s(&mut self, values: &[f32]) {
        self.array(values);
    }
}

/// Reads what [`Out`] wrote, from a mapped file, arrays in place; `None` for anything cut
/// short or out of place.
pub struct In {
    file: Arc<Mapped>,
    at: usize,
    end: usize,
}

impl In {
    /// Reads `range` of `file` (it must start at a multiple of 8).
    pub fn new(file: &Arc<Mapped>, range: Range<usize>) -> In {
        In {
            file: file.clone(),
            at: range.start,
            end: range.end.min(file.bytes().len()),
        }
    }

    /// Whether everything was read.
    pub fn is_done(&self) -> bool {
        self.at >= self.end
    }

    fn take(&mut self, n: usize) -> Option<Range<usize>> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.end)?;
        let range = self.at..end;
        self.at = end.next_multiple_of(8).min(self.end.max(end));
        Some(range)
    }
    pub fn u64(&mut self) -> Option<u64> {
        let range = self.take(8)?;
        Some(u64::from_le_bytes(
            self.file.bytes().get(range)?.try_into().ok()?,
        ))
    }
    pub fn bytes(&mut self) -> Option<&[u8]> {
        let n = usize::try_from(self.u64()?).ok()?;
        let range = self.take(n)?;
        self.file.bytes().get(range)
    }
    pub fn array<T: bytemuck::Pod>(&mut self) -> Option<Column<T>> {
        let n = usize::try_from(self.u64()?).ok()?;
        let range = self.take(n.checked_mul(size_of::<T>())?)?;
        Column::mapped(&self.file, range)
    }
    /// Bytes saved with [`Out::bytes`], in place.
    pub fn bytes_column(&mut self) -> Option<Column<u8>> {
        let n = usize::try_from(self.u64()?).ok()?;
        let range = self.take(n)?;
        Column::mapped(&self.file, range)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_large_checksum_taken_in_halves_is_the_whole_one() {
        let bytes: Vec<u8> = (0..9_000_001u32).map(|i| (i * 31 % 251) as u8).collect();
        assert_eq!(checksum(&bytes), crc32fast::hash(&bytes));
        assert_eq!(checksum(&bytes[..100]), crc32fast::hash(&bytes[..100]));
    }

    #[test]
    fn a_mapped_array_reads_as_the_owned_one_and_a_misaligned_one_is_refused() {
        let mut file = tempfile::tempfile().unwrap();
        let values: Vec<u32> = (0..1000).map(|i| i * 7).collect();
        file.write_all(&[0u8; 8]).unwrap();
        for v in &values {
            file.write_all(&v.to_le_bytes()).unwrap();
        }
        let mapped = Mapped::of(&file).unwrap();
        let column: Column<u32> = Column::mapped(&mapped, 8..8 + 4000).unwrap();
        assert_eq!(&*column, &values[..]);
        assert_eq!(column, Column::from(values.clone()));
        assert!(
            Column::<u32>::mapped(&mapped, 9..13).is_none(),
            "misaligned"
        );
        assert!(Column::<u32>::mapped(&mapped, 8..11).is_none(), "not whole");
        assert!(
            Column::<u32>::mapped(&mapped, 8..9000).is_none(),
            "past the end"
        );
        let mut owned = column.clone();
        owned.to_mut().push(1);
        assert_eq!(owned.len(), 1001);
        assert_eq!(column.len(), 1000, "the mapped one is untouched");
    }

    #[test]
    fn figures_streamed_to_a_file_are_the_ones_gathered_in_memory_with_their_checksum() {
        let values: Vec<u32> = (0..700_000).collect();
        let write = |out: &mut Out| {
            out.bytes(b"abc");
            out.u32s(&values);
            out.u64(7);
        };
        let mut memory = Out::default();
        write(&mut memory);
        let mut written = vec![0u8; 0];
        let mut file = Out::to(16, |at, bytes| {
            let at = at as usize - 16;
            written.resize(written.len().max(at + bytes.len()), 0);
            written[at..at + bytes.len()].copy_from_slice(bytes);
            Ok(())
        });
        write(&mut file);
        let (len, sum) = file.finish().unwrap();
        let bytes = memory.into_bytes();
        assert_eq!(written, bytes);
        assert_eq!((len, sum), (bytes.len() as u64, crc32fast::hash(&bytes)));
    }

    #[test]
    fn figures_come_back_as_written_in_place_and_a_lie_about_a_length_is_refused() {
        use std::io::Write;
        let mut out = Out::default();
        out.bytes(b"abc");
        out.u32s(&[1, 2, 3]);
        out.u64s(&[u64::MAX]);
        out.f32s(&[0.5]);
        out.u64(1 << 40);
        let mut file = tempfile::tempfile().unwrap();
        let bytes = out.into_bytes();
        file.write_all(&bytes).unwrap();
        let mapped = Mapped::of(&file).unwrap();
        let mut r = In::new(&mapped, 0..bytes.len());
        assert_eq!(r.bytes(), Some(&b"abc"[..]));
        assert_eq!(&*r.array::<u32>().unwrap(), &[1, 2, 3]);
        assert_eq!(&*r.array::<u64>().unwrap(), &[u64::MAX]);
        assert_eq!(&*r.array::<f32>().unwrap(), &[0.5]);
        assert!(r.array::<u32>().is_none(), "a count past the end");
    }
}
