//! `More like this` and story threads: a cosine over the text index between an article's most
//! telling terms and the rest, and the reports similar enough to be one story, by date.

use super::*;

impl Relations {
    /// The `limit` articles most similar to `article` by content, scoring at least `min`
    /// (cosine of weighted term vectors, 0 to 1), best first; never the article itself.
    ///
    /// Only the article's most telling terms are looked up, and terms most of a large
    /// library uses are passed over, so a query walks a few postings lists, not every pair.
    pub fn similar(
        &self,
        library: &Library,
        article: usize,
        limit: usize,
        min: f32,
    ) -> Vec<(usize, f32)> {
        let index = &self.index;
        let norm = index.norm(article);
        if limit == 0 || norm <= 0.0 || index.docs() != library.len() {
            return Vec::new();
        }
        let Ok(text) = library.text(article) else {
            return Vec::new();
        };
        let docs = index.docs();
        let common = if docs >= 1_000 {
            docs / COMMON_SHARE
        } else {
            usize::MAX
        };
        let mut scores = vec![0f32; docs];
        let mut touched: Vec<u32> = Vec::new();
        let query = index
            .vector(&text)
            .into_iter()
            .filter(|&(t, _)| index.df(t) <= common)
            .take(QUERY_TERMS);
        for (term, weight) in query {
            let idf = index.idf(term);
            for p in index.postings(term) {
                let Some(score) = scores.get_mut(p.doc as usize) else {
                    continue;
                };
                if *score == 0.0 {
                    touched.push(p.doc);
                }
                *score += weight * term_frequency_weight(p.count, p.in_headline) * idf;
            }
        }
        let mut found: Vec<(usize, f32)> = touched
            .into_iter()
            .map(|d| d as usize)
            .filter(|&d| d != article)
            .map(|d| (d, scores[d] / (norm * index.norm(d)).max(f32::MIN_POSITIVE)))
            .filter(|&(_, s)| s >= min)
            .collect();
        let by_score = |x: &(usize, f32), y: &(usize, f32)| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0));
        if found.len() > limit {
            found.select_nth_unstable_by(limit - 1, by_score);
            found.truncate(limit);
        }
        found.sort_by(by_score);
        found
    }

    /// The story `article` is part of: itself and the articles similar enough to be reports of
    /// the same story, oldest first (undated last).
    pub fn thread(&self, library: &Library, article: usize) -> Vec<usize> {
        let found = self.similar(library, article, THREAD_MAX - 1, THREAD_MIN);
        thread_of(library, article, &found)
    }
}

/// The article and those of `found` that score as reports of its story, oldest first.
pub(super) fn thread_of(library: &Library, article: usize, found: &[(usize, f32)]) -> Vec<usize> {
    let mut members: Vec<usize> = found
        .iter()
        .filter(|&&(d, score)| score >= THREAD_MIN && d != article)
        .map(|&(d, _)| d)
        .take(THREAD_MAX - 1)
        .collect();
    members.push(article);
    sort_by_date(library, &mut members);
    members
}

/// Oldest first, undated last; articles of one day in the reverse of reading order.
pub fn sort_by_date(library: &Library, members: &mut [usize]) {
    let articles = library.articles();
    members.sort_by_key(|&i| {
        let date = articles.get(i).and_then(|a| a.date);
        (date.is_none(), date, std::cmp::Reverse(i))
    });
}
