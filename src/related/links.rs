//! The publisher's related headlines resolved to local articles: an exact loose match, else a
//! careful fuzzy one when exactly one headline is near-identical; and the inverse lists.

use super::*;

impl Relations {
    /// Resolves every related line (`starts` and `lines` are laid out) and inverts them.
    pub(super) fn resolve_all(&mut self, library: &Library) {
        let articles = library.articles();
        // Each distinct headline is resolved once, keeping the two best candidates so that a
        // page naming itself gets the other one.
        self.resolved = self
            .names
            .iter()
            .map(|headline| match library.find_headline(headline)[..] {
                [] => [
                    self.fuzzy(library, headline).map_or(NONE, |t| t as u32),
                    NONE,
                ],
                [one] => [one as u32, NONE],
                [one, two, ..] => [one as u32, two as u32],
            })
            .collect::<Vec<_>>()
            .into();
        // The backlinks, by counting: how many lines name each article, then each linking
        // article put in its place (in reading order, as the articles are walked in it).
        let count = articles.len();
        let mut back_starts = vec![0u32; count + 1];
        for i in 0..count {
            for target in self.related(i).flatten() {
                back_starts[target + 1] += 1;
            }
        }
        for k in 0..count {
            back_starts[k + 1] += back_starts[k];
        }
        let mut filled = back_starts.clone();
        let mut backlinks = vec![0u32; back_starts[count] as usize];
        for i in 0..count {
            for target in self.related(i).flatten() {
                backlinks[filled[target] as usize] = i as u32;
                filled[target] += 1;
            }
        }
        drop(filled);
        // An article naming one other twice (two headlines for it) links from it once: the
        // doubles are squeezed out in place.
        let mut kept = 0usize;
        for target in 0..count {
            let (from, to) = (
                back_starts[target] as usize,
                back_starts[target + 1] as usize,
            );
            back_starts[target] = kept as u32;
            for k in from..to {
                if k == from || backlinks[k - 1] != backlinks[k] {
                    backlinks[kept] = backlinks[k];
                    kept += 1;
                }
            }
        }
        back_starts[count] = kept as u32;
        backlinks.truncate(kept);
        backlinks.shrink_to_fit();
        self.back_starts = back_starts.into();
        self.backlinks = backlinks.into();
    }

    /// The one article whose headline is near-identical to `headline`, if exactly one is.
    fn fuzzy(&self, library: &Library, headline: &str) -> Option<usize> {
        let wanted = term_list(headline);
        if wanted.is_empty() {
            return None;
        }
        // Candidates: headlines holding one of the two rarest terms (a typo may hide one).
        let mut rare: Vec<(usize, TermId)> = wanted
            .iter()
            .filter_map(|t| self.index.term(t))
            .map(|t| (self.index.df(t), t))
            .collect();
        rare.sort_unstable();
        rare.dedup();
        let mut candidates: Vec<u32> = Vec::new();
        for &(df, term) in rare.iter().take(2) {
            if df > FUZZY_CANDIDATES {
                break;
            }
            candidates.extend(
                self.index
                    .postings(term)
                    .filter(|p| p.in_headline)
                    .map(|p| p.doc),
            );
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut found = None;
        for doc in candidates {
            let Some(article) = library.articles().get(doc as usize) else {
                continue;
            };
            if near_identical(headline, &wanted, article.headline) {
                if found.is_some() {
                    // Two articles fit: a guess could be wrong, and a wrong link is worse
                    // than none.
                    return None;
                }
                found = Some(doc as usize);
            }
        }
        found
    }
}

/// The newest other article whose headline matches loosely (case, spaces, quotes, dashes).
pub(super) fn exact(library: &Library, article: usize, headline: &str) -> Option<usize> {
    library
        .find_headline(headline)
        .iter()
        .copied()
        .find(|&i| i != article)
}

/// Whether two headlines say the same thing: the same words once case, accents,
/// punctuation, stop words and plurals are set aside; or one is the other with a subtitle
/// dropped (`Leaders Meet: What Comes Next`); or they differ by one typo in one long word.
/// Different numbers or a different word are never near-identical.
pub fn near_identical(a: &str, a_terms: &[String], b: &str) -> bool {
    let b_terms = term_list(b);
    if *a_terms == b_terms {
        return true;
    }
    let main_of = |headline: &str| {
        let cut = headline
            .find([':', '|', '–', '—'])
            .into_iter()
            .chain(headline.find(" - "))
            .min();
        cut.map(|c| term_list(&headline[..c]))
    };
    let subtitle_dropped = |main: Option<Vec<String>>, other: &[String]| {
        main.is_some_and(|m| m.len() >= 3 && m == other)
    };
    if subtitle_dropped(main_of(a), &b_terms) || subtitle_dropped(main_of(b), a_terms) {
        return true;
    }
    if a_terms.len() < 3 || a_terms.len() != b_terms.len() {
        return false;
    }
    let mut typos = a_terms.iter().zip(&b_terms).filter(|(x, y)| x != y);
    match (typos.next(), typos.next()) {
        (Some((x, y)), None) => {
            let long = x.len() >= 5 && y.len() >= 5;
            let words = !x.bytes().chain(y.bytes()).any(|c| c.is_ascii_digit());
            long && words && strsim::damerau_levenshtein(x, y) <= 1
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        near_identical(a, &term_list(a), b)
    }

    #[test]
    fn near_identical_headlines() {
        assert!(same("Leaders Meet in Geneva", "Leaders meet in Geneva!"));
        assert!(same(
            "Leaders Meet in Geneva: What Comes Next",
            "Leaders Meet in Geneva"
        ));
        assert!(same(
            "Leaders Meet in Geneva",
            "Leaders Meet in Geneva — What Comes Next"
        ));
        assert!(same(
            "Parliament Approves Budget",
            "Parliment Approves Budget"
        ));
    }

    #[test]
    fn different_headlines_are_not_near_identical() {
        assert!(!same(
            "Putin Hails Relations With China",
            "Putin Hails Relations With Japan"
        ));
        assert!(!same(
            "Budget Deficit Hits 2025 High",
            "Budget Deficit Hits 2026 High"
        ));
        assert!(!same("Xi Meets Trump", "Trump Meets Xi"));
        assert!(!same("Trump: A Life", "Trump"));
    }
}
