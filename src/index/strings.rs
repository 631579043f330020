//! Strings back to back in one buffer, numbered in the order they came ([`Packed`]: the
//! index's terms), and the same kept once each ([`Interned`]: the related headlines that
//! recur on thousands of pages take one copy and no allocation each).

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use crate::mapped::{Column, In, Out};

/// Strings back to back, each found by its number: one allocation for all of them.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Packed {
    /// The strings' bytes (each string is whole UTF-8; one that is not reads as empty).
    text: Column<u8>,
    /// Where each string ends in `text`.
    ends: Column<u32>,
}

impl Packed {
    /// How many strings there are.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// String `n` (empty if there is none, or it is not whole UTF-8).
    pub fn get(&self, n: u32) -> &str {
        std::str::from_utf8(self.get_bytes(n)).unwrap_or_default()
    }

    /// String `n`'s bytes (empty if there is none).
    pub fn get_bytes(&self, n: u32) -> &[u8] {
        let n = n as usize;
        let start = n
            .checked_sub(1)
            .and_then(|p| self.ends.get(p))
            .map_or(0, |&e| e as usize);
        let end = self.ends.get(n).map_or(start, |&e| e as usize);
        self.text.get(start..end).unwrap_or_default()
    }

    /// The text and where each string ends in it, as saved.
    pub fn parts(&self) -> (&[u8], &[u32]) {
        (&self.text, &self.ends)
    }

    /// Strings from their saved parts; `None` unless the ends are in order and within the
    /// text.
    pub fn from_parts(text: Column<u8>, ends: Column<u32>) -> Option<Packed> {
        let holds = ends.is_sorted() && ends.last().is_none_or(|&e| e as usize <= text.len());
        holds.then_some(Packed { text, ends })
    }

    /// Writes the strings for [`Packed::read`].
    pub fn write(&self, out: &mut Out) {
        out.bytes(&self.text);
        out.array(&self.ends);
    }

    /// Strings written by [`Packed::write`], read in place.
    pub fn read(r: &mut In) -> Option<Packed> {
        Packed::read_trusting(r, false)
    }

    /// [`Packed::read`]; `trusted`: from a file checked before ([`crate::seal`]), so the
    /// ends are not checked for their order again (still for where the last one falls).
    pub fn read_trusting(r: &mut In, trusted: bool) -> Option<Packed> {
        let text: Column<u8> = r.bytes_column()?;
        let ends: Column<u32> = r.array()?;
        if trusted {
            let holds = ends.last().is_none_or(|&e| e as usize <= text.len());
            return holds.then_some(Packed { text, ends });
        }
        Packed::from_parts(text, ends)
    }

    /// Adds `s` after the others; its number.
    pub fn push(&mut self, s: &str) -> u32 {
        let text = self.text.to_mut();
        text.extend_from_slice(s.as_bytes());
        let end = text.len() as u32;
        self.ends.to_mut().push(end);
        self.len() as u32 - 1
    }

    /// Bytes the strings take in memory.
    pub fn heap_bytes(&self) -> usize {
        self.text.heap_bytes() + self.ends.heap_bytes()
    }

    /// Lets go of the room left over (a mapped one has none).
    pub fn shrink_to_fit(&mut self) {
        if let Column::Owned(text) = &mut self.text {
            text.shrink_to_fit();
        }
        if let Column::Owned(ends) = &mut self.ends {
            ends.shrink_to_fit();
        }
    }
}

/// Strings kept once each.
#[derive(Debug, Default, Clone)]
pub struct Interned {
    strings: Packed,
    /// Each string's hash with its number, to find it again; dropped by
    /// [`Interned::forget_lookup`] and made again when next needed.
    lookup: FxHashMap<u64, u32>,
    /// Whether `lookup` holds every string.
    looked_up: bool,
}

fn hash(s: &str) -> u64 {
    let mut hasher = FxHasher::default();
    s.hash(&mut hasher);
    hasher.finish()
}

impl Interned {
    /// How many strings there are.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// String `n` (empty if there is none).
    pub fn get(&self, n: u32) -> &str {
        self.strings.get(n)
    }

    /// Every string, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len() as u32).map(|n| self.get(n))
    }

    /// The number of `s`, added if it is new.
    pub fn intern(&mut self, s: &str) -> u32 {
        if !self.looked_up {
            self.lookup = FxHashMap::default();
            self.lookup.reserve(self.len());
            for n in 0..self.len() as u32 {
                let h = hash(self.get(n));
                self.lookup.entry(h).or_insert(n);
            }
            self.looked_up = true;
        }
        let h = hash(s);
        if let Some(&n) = self.lookup.get(&h)
            && self.get(n) == s
        {
            return n;
        }
        let n = self.strings.push(s);
        // Two strings with one hash: the second is kept apart each time it comes (never
        // mistaken for the first), only not shared.
        self.lookup.entry(h).or_insert(n);
        n
    }

    /// The strings, to save.
    pub fn packed(&self) -> &Packed {
        &self.strings
    }

    /// Strings known to be distinct, as saved (the lookup is made when first needed).
    pub fn from_packed(strings: Packed) -> Interned {
        Interned {
            strings,
            lookup: FxHashMap::default(),
            looked_up: false,
        }
    }

    /// Lets the lookup go (what is interned stays); the next [`Interned::intern`] makes it
    /// again.
    pub fn forget_lookup(&mut self) {
        self.lookup = FxHashMap::default();
        self.looked_up = false;
        self.strings.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_string_is_kept_once_and_found_again_after_the_lookup_goes() {
        let mut names = Interned::default();
        assert_eq!(names.intern("Summit ends"), 0);
        assert_eq!(names.intern("Rates held"), 1);
        assert_eq!(names.intern("Summit ends"), 0);
        assert_eq!(names.intern(""), 2);
        names.forget_lookup();
        assert_eq!(names.intern("Rates held"), 1);
        assert_eq!(names.intern("Rates"), 3);
        assert_eq!(
            names.iter().collect::<Vec<_>>(),
            ["Summit ends", "Rates held", "", "Rates"]
        );
        assert_eq!(names.get(9), "");
    }
}
