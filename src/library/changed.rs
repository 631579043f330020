//! A library brought up to date with the pages that changed in the folder: the articles that
//! stay shared, the new ones ordered in, ids given again only where they could clash, and
//! where every old article went.

use super::*;

/// A library after a change in the folder, and how it relates to the one before.
#[derive(Debug)]
pub struct Changed {
    /// Shared: the index for it is made on another thread while the reader shows it.
    pub library: Arc<Library>,
    /// Where each article of the old library is in the new one (`None`: removed or replaced).
    pub moved: Vec<Option<u32>>,
    /// The new library's articles that are new or replaced, in reading order.
    pub fresh: Vec<usize>,
}

impl Library {
    /// This library with the pages at the paths `touched` taken out, `added` put in, and the
    /// diagnostics of those paths replaced by `diagnostics`. The articles that stay are shared,
    /// not copied.
    /// Long: the steps (paths out, new pages in their places, ids, the loose-headline index,
    /// the stamps) each follow the same merged order of articles, built once here.
    pub fn changed(
        &self,
        touched: &HashSet<PathBuf>,
        added: Vec<Article>,
        diagnostics: Vec<Diagnostic>,
    ) -> Changed {
        // Paths compared by their bytes: hashing a `Path` walks its components, and this runs
        // over every article.
        let touched: FxHashSet<&OsStr> = touched.iter().map(|p| p.as_os_str()).collect();
        // The articles that stay are in reading order already: the new ones are put in their
        // places, found by binary search, rather than everything sorted again.
        let fresh: Vec<Arc<Article>> = added.into_iter().map(Arc::new).collect();
        let folded: Vec<String> = fresh.iter().map(|a| a.headline.to_lowercase()).collect();
        let mut order: Vec<usize> = (0..fresh.len()).collect();
        order.sort_by(|&i, &j| reading_order(&fresh[i], &folded[i], &fresh[j], &folded[j]));
        let kept: Vec<usize> = (0..self.len())
            .filter(|&i| {
                let path = self.head(i).map_or(Path::new(""), |h| h.path);
                !touched.contains(path.as_os_str())
            })
            .collect();
        // The articles that stay as this library holds them (headers only, for a library of
        // headers), to order and number them with the new ones.
        let held: Vec<Arc<Article>> = kept.iter().map(|&k| self.held(k)).collect();
        let places: Vec<usize> = order
            .iter()
            .map(|&f| {
                held.partition_point(|a| {
                    reading_order(a, &a.headline.to_lowercase(), &fresh[f], &folded[f])
                        == Ordering::Less
                })
            })
            .collect();
        let mut articles: Vec<Arc<Article>> = Vec::with_capacity(kept.len() + fresh.len());
        let mut moved: Vec<Option<u32>> = vec![None; self.len()];
        let mut fresh_at = Vec::with_capacity(fresh.len());
        let mut taken: Vec<Option<Arc<Article>>> = fresh.into_iter().map(Some).collect();
        let mut next = 0;
        for (n, (&k, article)) in kept.iter().zip(held).enumerate() {
            while next < order.len() && places[next] == n {
                fresh_at.push(articles.len());
                articles.extend(taken[order[next]].take());
                next += 1;
            }
            moved[k] = Some(articles.len() as u32);
            articles.push(article);
        }
        while next < order.len() {
            fresh_at.push(articles.len());
            articles.extend(taken[order[next]].take());
            next += 1;
        }
        self.renumber(&mut articles, &fresh_at, &touched);
        // The loose-headline index, if it was made, follows the articles.
        let by_headline = std::sync::OnceLock::new();
        if let Some(old) = self.by_headline.get() {
            let mut map: Vec<[u64; 2]> = old
                .iter()
                .filter_map(|&[h, i]| Some([h, u64::from((*moved.get(i as usize)?)?)]))
                .collect();
            for &i in &fresh_at {
                let hash = headline_hash(&loose_headline(&articles[i].headline));
                map.push([hash, i as u64]);
            }
            map.sort_unstable();
            let _ = by_headline.set(map.into());
        }
        let mut kept_diagnostics: Vec<Diagnostic> = self
            .diagnostics
            .iter()
            .filter(|d| !touched.contains(d.path.as_os_str()))
            .cloned()
            .collect();
        kept_diagnostics.extend(diagnostics);
        // A library of headers keeps the new pages' headers only, as it does the others'.
        let mut library =
            Library::assemble(articles, by_headline, kept_diagnostics).holding(self.root.clone());
        // The stamps follow the articles that stayed; the new pages are stamped now, so that
        // saving the index does not stamp every page again.
        if self.has_stamps()
            && let Some(root) = &self.root
        {
            let mut stamps: Vec<Option<crate::page::Stamp>> = vec![None; library.len()];
            for (old, new) in moved.iter().enumerate() {
                if let Some(slot) = new.and_then(|n| stamps.get_mut(n as usize)) {
                    *slot = self.stamp(old);
                }
            }
            for &i in &fresh_at {
                if let (Some(slot), Some(head)) = (stamps.get_mut(i), library.head(i)) {
                    *slot = crate::page::Stamp::of(&root.join(head.path));
                }
            }
            let known: Option<crate::page::Stamps> = stamps.into_iter().collect();
            if let Some(known) = known {
                library = library.with_stamps(known);
            }
        }
        Changed {
            library: Arc::new(library),
            moved,
            fresh: fresh_at,
        }
    }

    /// Gives the articles of a changed library their ids: the same as [`assign_ids`] over all
    /// of them would, but only the articles whose ids could differ are worked out again: the
    /// new ones, and those whose id shares a slug with an article that came or went.
    fn renumber(
        &self,
        articles: &mut [Arc<Article>],
        fresh: &[usize],
        touched: &FxHashSet<&OsStr>,
    ) {
        let mut slugs: Vec<String> = fresh
            .iter()
            .map(|&i| &articles[i].headline)
            .map(|h| h.as_str())
            .chain(
                self.heads
                    .iter()
                    .filter(|a| touched.contains(a.path.as_os_str()))
                    .map(|a| a.headline),
            )
            .map(base_slug)
            .collect();
        slugs.sort_unstable();
        slugs.dedup();
        let shares = |id: &str| {
            slugs.iter().any(|s| {
                id.strip_prefix(s.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'))
            })
        };
        let fresh: HashSet<usize> = fresh.iter().copied().collect();
        let again: Vec<usize> = (0..articles.len())
            .filter(|i| fresh.contains(i) || shares(&articles[*i].id))
            .collect();
        let mut used: FxHashSet<std::borrow::Cow<'static, str>> = (0..articles.len())
            .filter(|i| !fresh.contains(i) && !shares(&articles[*i].id))
            .map(|i| articles[i].id.clone().into())
            .collect();
        give_ids(articles, again, &mut used);
    }
}
