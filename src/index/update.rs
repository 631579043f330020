//! Bringing an index up to date for the pages that changed in the folder: the postings of the
//! articles that stayed are renumbered (their positions copied as they are), the new pages'
//! postings merged in, term by term, reading the old index's postings and positions once
//! each, in order.

use std::io::Read;

use super::build::{Partial, Writer};
use super::postings::{Postings, push_encoded_positions, push_varint};
use super::spill::Spill;
use super::{Index, TermId};
use crate::article::Article;

impl Index {
    /// The index of a library changed in the folder ([`crate::library::Changed`]): the
    /// postings of the articles that stayed are renumbered (`moved`: old number to new), and
    /// only the `fresh` articles (their numbers in the new library of `docs` articles, in
    /// rising order, with their texts) are indexed. Much cheaper than [`Index::build`], which
    /// reads every text; the old postings are read once, in order, from the old index's file.
    /// Long: one pass that reads the old postings in order and writes the new ones as it
    /// goes; its steps share that reader and writer.
    pub fn updated(
        &self,
        moved: &[Option<u32>],
        docs: usize,
        fresh: &[(usize, Option<&Article>)],
    ) -> Index {
        let mut partial = Partial::default();
        for &(doc, article) in fresh {
            partial.add(doc as u32, article);
        }
        let mut lengths = vec![0u32; docs];
        for (old, &length) in self.lengths.iter().enumerate() {
            if let Some(Some(new)) = moved.get(old)
                && let Some(slot) = lengths.get_mut(*new as usize)
            {
                *slot = length;
            }
        }
        for (&(i, _), &length) in fresh.iter().zip(&partial.lengths) {
            if let Some(slot) = lengths.get_mut(i) {
                *slot = length;
            }
        }
        let mut added: Vec<(&str, TermId)> = partial
            .dictionary
            .iter()
            .map(|(t, &id)| (&**t, id))
            .collect();
        added.sort_unstable();
        let mut writer = Writer::new(docs, Spill::for_index());
        // The old postings and their positions, each read once, in order.
        let mut old_postings = self.postings.reader(super::spill::BUFFER);
        let first_places = self.position_starts.first().copied().unwrap_or(0);
        let mut old_positions = self
            .postings
            .reader_from(first_places, super::spill::BUFFER);
        let mut old_bytes = Vec::new();
        let mut old_places = Vec::new();
        // Each posting of a term: its article (renumbered), `count << 1 | in_headline`, whether
        // it comes from the old index (else from the new pages), and where its positions are
        // in those bytes (copied as they are: they count within the article).
        let mut list: Vec<(u32, u32, bool, std::ops::Range<usize>)> = Vec::new();
        let mut bytes = Vec::new();
        let (mut old, mut new) = (0usize, 0usize);
        while old < self.term_count() || new < added.len() {
            let old_term = (old < self.term_count()).then(|| self.term_text(old));
            let new_term = added.get(new).map(|&(t, _)| t);
            let term = match (old_term, new_term) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => break,
            };
            list.clear();
            if old_term == Some(term) {
                let span = self.span(old as TermId..old as TermId + 1);
                old_bytes.resize((span.end - span.start) as usize, 0);
                if old_postings.read_exact(&mut old_bytes).is_err() {
                    old_bytes.clear();
                }
                let at = |t: usize| self.position_starts.get(t).copied().unwrap_or(0);
                old_places.resize((at(old + 1).saturating_sub(at(old))) as usize, 0);
                if old_positions.read_exact(&mut old_places).is_err() {
                    old_places.clear();
                }
                let mut postings = Postings::split(
                    std::borrow::Cow::Borrowed(&old_bytes),
                    Some(std::borrow::Cow::Borrowed(&old_places)),
                );
                while let Some(p) = postings.next() {
                    if let Some(Some(doc)) = moved.get(p.doc as usize) {
                        let value = p.count << 1 | u32::from(p.in_headline);
                        list.push((*doc, value, true, postings.position_range()));
                    }
                }
                old += 1;
            }
            let new_bytes: &[u8] = match new_term == Some(term) {
                true => &partial.lists[added[new].1 as usize].bytes,
                false => &[],
            };
            if new_term == Some(term) {
                let mut postings = Postings::new(std::borrow::Cow::Borrowed(new_bytes));
                while let Some(p) = postings.next() {
                    let value = p.count << 1 | u32::from(p.in_headline);
                    list.push((p.doc, value, false, postings.position_range()));
                }
                new += 1;
            }
            if list.is_empty() {
                // Only removed articles used it.
                continue;
            }
            if !list.is_sorted_by_key(|p| p.0) {
                list.sort_unstable_by_key(|p| p.0);
            }
            bytes.clear();
            let mut last = 0;
            for (doc, value, from_old, places) in &list {
                push_varint(&mut bytes, doc - last);
                push_varint(&mut bytes, *value);
                let source: &[u8] = if *from_old { &old_places } else { new_bytes };
                push_encoded_positions(&mut bytes, source.get(places.clone()).unwrap_or_default());
                last = *doc;
            }
            writer.push(term, list.len() as u32, &bytes);
        }
        writer.finish(lengths)
    }
}
