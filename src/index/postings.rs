//! How the index's postings are written: per article the gap from the previous one,
//! `count << 1 | in_headline`, how many bytes its positions take, then the term's `count`
//! positions in the article (the first as it is, each next as the gap from the one before),
//! all as variable-length integers (LEB128); and the reader that walks one term's list.
//! While an index is built the positions follow each posting (inline); in the index they are
//! kept apart, each term's after all the postings, so that scoring reads none of them and a
//! phrase reads its terms' ([`Postings::split`]). A position counts the article's terms
//! (stop words left out) from its headline on, each field starting two past the last one's
//! end, so that a phrase's terms are at consecutive positions only within one field.

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
    /// Where the positions of the posting read last are: in `bytes` (inline), else in the
    /// term's positions kept apart.
    places: std::ops::Range<usize>,
    /// How many there are.
    count: u32,
    /// The term's positions kept apart from its postings (`None` while inline, or when they
    /// were not read).
    apart: Option<std::borrow::Cow<'a, [u8]>>,
    /// Whether the positions are kept apart, and where the next posting's start there.
    split: bool,
    cursor: usize,
}

impl<'a> Postings<'a> {
    /// A list with its positions inline (as a build writes them).
    pub(super) fn new(bytes: std::borrow::Cow<'a, [u8]>) -> Postings<'a> {
        Postings {
            bytes,
            at: 0,
            doc: 0,
            places: 0..0,
            count: 0,
            apart: None,
            split: false,
            cursor: 0,
        }
    }

    /// A list as the index keeps it, its positions apart (`positions`: the term's, if they
    /// were read).
    pub(super) fn split(
        bytes: std::borrow::Cow<'a, [u8]>,
        positions: Option<std::borrow::Cow<'a, [u8]>>,
    ) -> Postings<'a> {
        Postings {
            apart: positions,
            split: true,
            ..Postings::new(bytes)
        }
    }

    /// The positions of the posting read last, in rising order (none for a list whose
    /// positions were not read).
    pub fn positions(&self) -> impl Iterator<Item = u32> + '_ {
        let source: &[u8] = match (&self.apart, self.split) {
            (Some(apart), true) => apart,
            (None, true) => &[],
            (_, false) => &self.bytes,
        };
        let mut rest = source.get(self.places.clone()).unwrap_or_default();
        let mut position = 0u32;
        (0..self.count).map_while(move |k| {
            let gap = read_varint(&mut rest)?;
            position = if k == 0 {
                gap
            } else {
                position.wrapping_add(gap)
            };
            Some(position)
        })
    }

    /// Where the encoded positions of the posting read last are (in the list's bytes, or in
    /// the term's positions apart), to copy them as they are.
    pub(super) fn position_range(&self) -> std::ops::Range<usize> {
        self.places.clone()
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
        let length = read_varint(&mut rest)? as usize;
        let after = self.at + before - rest.len();
        if self.split {
            self.at = after;
            self.places = self.cursor..self.cursor.checked_add(length)?;
            self.cursor = self.places.end;
        } else {
            self.at = after.checked_add(length)?;
            self.places = after..self.at;
        }
        self.count = value >> 1;
        self.doc = self.doc.wrapping_add(gap);
        Some(Posting {
            doc: self.doc,
            count: value >> 1,
            in_headline: value & 1 == 1,
        })
    }
}

/// Writes positions (rising) as the postings hold them: how many bytes they take, then the
/// first and the gaps.
pub(super) fn push_positions(bytes: &mut Vec<u8>, positions: &[u32]) {
    let mut encoded = Vec::with_capacity(positions.len() * 2);
    let mut last = 0;
    for (k, &p) in positions.iter().enumerate() {
        push_varint(&mut encoded, if k == 0 { p } else { p - last });
        last = p;
    }
    push_encoded_positions(bytes, &encoded);
}

/// Writes positions already encoded (copied from another list): their length, then them.
pub(super) fn push_encoded_positions(bytes: &mut Vec<u8>, encoded: &[u8]) {
    push_varint(bytes, encoded.len() as u32);
    bytes.extend_from_slice(encoded);
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
    fn postings_with_their_positions_read_back_as_written() {
        let mut bytes = Vec::new();
        for (gap, count, positions) in [(3u32, 2u32, vec![0u32, 7]), (4, 1, vec![300])] {
            push_varint(&mut bytes, gap);
            push_varint(&mut bytes, count << 1 | 1);
            push_positions(&mut bytes, &positions);
        }
        let mut postings = Postings::new(std::borrow::Cow::Borrowed(&bytes));
        let first = postings.next().unwrap();
        assert_eq!((first.doc, first.count), (3, 2));
        assert_eq!(postings.positions().collect::<Vec<_>>(), [0, 7]);
        let second = postings.next().unwrap();
        assert_eq!((second.doc, second.count), (7, 1));
        assert_eq!(postings.positions().collect::<Vec<_>>(), [300]);
        assert!(postings.next().is_none());
    }

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
