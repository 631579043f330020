//! Work spread over every core: a function over runs of items, one run a thread (scoped, so
//! the items are borrowed), the results in the items' order; a run whose thread panics gets
//! a fallback result instead of taking the process down.

use std::thread;

/// `f` over `items` on every core (in runs of at least 64), results in the order of the items.
/// The items of a run whose thread fails get `failed`, so every item has its result.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    f: &(dyn Fn(&T) -> R + Sync),
    failed: &(dyn Fn(&T) -> R + Sync),
) -> Vec<R> {
    let each = |part: &[T]| part.iter().map(f).collect::<Vec<R>>();
    let each_failed = |part: &[T]| part.iter().map(failed).collect::<Vec<R>>();
    parallel_chunks(items, &each, &each_failed)
        .into_iter()
        .flatten()
        .collect()
}

/// `f` over runs of `items` (at least 64 each), one run a core: each run's result, in order.
/// A run whose thread fails gets `failed`.
pub fn parallel_chunks<T: Sync, R: Send>(
    items: &[T],
    f: &(dyn Fn(&[T]) -> R + Sync),
    failed: &(dyn Fn(&[T]) -> R + Sync),
) -> Vec<R> {
    let threads = thread::available_parallelism()
        .map_or(1, usize::from)
        .min(items.len().div_ceil(64))
        .max(1);
    let chunk = items.len().div_ceil(threads).max(1);
    thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| (part, s.spawn(move || f(part))))
            .collect();
        handles
            .into_iter()
            .map(|(part, handle)| handle.join().unwrap_or_else(|_| failed(part)))
            .collect()
    })
}

/// A string made for each of `0..count` by `f` (which writes it onto the end of the buffer
/// it is given), on every core, kept back to back: one buffer, not one allocation a string.
pub fn strings(count: usize, f: &(dyn Fn(usize, &mut String) + Sync)) -> Strings {
    let places: Vec<usize> = (0..count).collect();
    let make = |part: &[usize]| {
        let mut made = Strings::default();
        made.ends.reserve(part.len());
        for &i in part {
            f(i, &mut made.text);
            made.ends.push(made.text.len());
        }
        made
    };
    let failed = |part: &[usize]| Strings {
        text: String::new(),
        ends: vec![0; part.len()],
    };
    let mut all = Strings::default();
    all.ends.reserve(count);
    for part in parallel_chunks(&places, &make, &failed) {
        let offset = all.text.len();
        all.text.push_str(&part.text);
        all.ends.extend(part.ends.iter().map(|e| e + offset));
    }
    all
}

/// Strings back to back, each found by its number ([`strings`]).
#[derive(Debug, Default)]
pub struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    /// String `i` (empty if there is none).
    pub fn get(&self, i: usize) -> &str {
        let start = i
            .checked_sub(1)
            .and_then(|p| self.ends.get(p))
            .copied()
            .unwrap_or(0);
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_made_on_every_core_come_back_in_order() {
        let made = strings(1000, &|i, out| {
            if i % 7 != 0 {
                out.push_str(&format!("é{i}"));
            }
        });
        for i in 0..1000 {
            let expected = if i % 7 == 0 {
                String::new()
            } else {
                format!("é{i}")
            };
            assert_eq!(made.get(i), expected);
        }
        assert_eq!(made.get(1000), "");
    }
}
