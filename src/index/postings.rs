//! How the index's postings are written: per article the gap from the previous one and
//! `count << 1 | in_headline`, as variable-length integers (LEB128), and the reader that walks
//! one term's list.

/// One article's use of a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// The article's position in the library's reading order.
    pub doc: u32,
    /// How many times the term occurs in the article.
    pub count: u32,
    /// Whether it occurs in the headline.
    pub in_headline: bool,
}

/// Walks one term's postings.
#[derive(Debug, Clone)]
pub struct Postings<'a> {
    bytes: std::borrow::Cow<'a, [u8]>,
    at: usize,
    doc: u32,
}

impl<'a> Postings<'a> {
    pub(super) fn new(bytes: std::borrow::Cow<'a, [u8]>) -> Postings<'a> {
        Postings {
            bytes,
            at: 0,
            doc: 0,
        }
    }
}

impl Iterator for Postings<'_> {
    type Item = Posting;

    fn next(&mut self) -> Option<Posting> {
        let mut rest = self.bytes.get(self.at..)?;
        if rest.is_empty() {
            return None;
        }
        let before = rest.len();
        let gap = read_varint(&mut rest)?;
        let value = read_varint(&mut rest)?;
        self.at += before - rest.len();
        self.doc = self.doc.wrapping_add(gap);
        Some(Posting {
            doc: self.doc,
            count: value >> 1,
            in_headline: value & 1 == 1,
        })
    }
}

pub(super) fn push_varint(bytes: &mut Vec<u8>, mut value: u32) {
    while value >= 0x80 {
        bytes.push((value as u8) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

pub(super) fn read_varint(bytes: &mut &[u8]) -> Option<u32> {
    let mut value = 0u32;
    let mut shift = 0;
    loop {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u32::from(b & 0x7f).checked_shl(shift)?;
        if b & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
    }
}

pub(super) fn read_varint_from(input: &mut dyn std::io::Read) -> Option<u32> {
    let mut value = 0u32;
    let mut shift = 0;
    loop {
        let mut b = [0u8];
        input.read_exact(&mut b).ok()?;
        value |= u32::from(b[0] & 0x7f).checked_shl(shift)?;
        if b[0] & 0x80 == 0 {
            return Some(value);
        }
        shift += 7;
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        let mut bytes = Vec::new();
        for v in [0, 1, 127, 128, 300, u32::MAX] {
            push_varint(&mut bytes, v);
        }
        let mut rest = &bytes[..];
        for v in [0, 1, 127, 128, 300, u32::MAX] {
            assert_eq!(read_varint(&mut rest), Some(v));
        }
        assert!(rest.is_empty());
    }
}
