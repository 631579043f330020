//! Work spread over every core: a function over runs of items, one run a thread (scoped, so
//! the items are borrowed), the results in the items' order; a run whose thread panics gets
//! a fallback result instead of taking the process down. And [`queue`], for items whose
//! work takes very different times (fetching): a few threads, each taking the next item as
//! it comes free.

use std::thread;

/// `f` over `items` on `workers` threads (at least one, at most one an item), each taking the
/// next item as it comes free; each item's result in the items' order (`None` for an item
/// whose thread failed).
pub fn queue<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    f: &(dyn Fn(&T) -> R + Sync),
) -> Vec<Option<R>> {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    thread::scope(|scope| {
        for _ in 0..workers.clamp(1, items.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(k) else { break };
                    let result = f(item);
                    if let Ok(mut done) = done.lock() {
                        done[k] = Some(result);
                    }
                }
            });
        }
    });
    done.into_inner().unwrap_or_default()
}

/// `f` over `items` on every core (in runs of at least 64), results in the order of the items.
/// The items of a run whose thread fails get `failed`, so every item has its result.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    f: &(dyn Fn(&T) -> R + Sync),
    failed: &(dyn Fn(&T) -> R + Sync),
) -> Vec<R> {
    item_by_item(items, f, failed, parallel_chunks)
}

/// A function over items made of one over runs of them (`chunks`): each run maps its items
/// one by one, and the runs' results are joined in order.
fn item_by_item<T, R>(
    items: &[T],
    f: &(dyn Fn(&T) -> R + Sync),
    failed: &(dyn Fn(&T) -> R + Sync),
    chunks: ChunksFn<T, Vec<R>>,
) -> Vec<R> {
    let each = |part: &[T]| part.iter().map(f).collect::<Vec<R>>();
    let each_failed = |part: &[T]| part.iter().map(failed).collect::<Vec<R>>();
    chunks(items, &each, &each_failed)
        .into_iter()
        .flatten()
        .collect()
}

/// [`parallel_chunks`] or [`files_chunks`].
type ChunksFn<T, R> = fn(&[T], &(dyn Fn(&[T]) -> R + Sync), &(dyn Fn(&[T]) -> R + Sync)) -> Vec<R>;

/// `f` over runs of `items` (at least 64 each), one run a core: each run's result, in order.
/// A run whose thread fails gets `failed`.
pub fn parallel_chunks<T: Sync, R: Send>(
    items: &[T],
    f: &(dyn Fn(&[T]) -> R + Sync),
    failed: &(dyn Fn(&[T]) -> R + Sync),
) -> Vec<R> {
    let threads = cores().min(items.len().div_ceil(64)).max(1);
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

/// How many threads read files: many more than the cores, so that files waiting for the disk
/// (a folder not in the system's file cache) leave no core idle and the disk has many reads
/// to serve at once. At 100,000 pages out of the file cache, on 2 cores: 2 threads took
/// 6.4 s to read every page's start, 8 took 2.9 s, 32 took 2.3 s; in the file cache, the
/// same time either way.
pub fn file_threads() -> usize {
    (cores() * 16).clamp(8, 32)
}

fn cores() -> usize {
    thread::available_parallelism().map_or(1, usize::from)
}

/// [`parallel_map`] for work that reads files: short runs of `items` taken by
/// [`file_threads`] threads as each finishes its last, so a thread slowed by the disk or by
/// another process on its core holds up no more than its run. Results in the items' order;
/// a run that panics gets `failed`.
pub fn files_map<T: Sync, R: Send>(
    items: &[T],
    f: &(dyn Fn(&T) -> R + Sync),
    failed: &(dyn Fn(&T) -> R + Sync),
) -> Vec<R> {
    item_by_item(items, f, failed, files_chunks)
}

/// [`parallel_chunks`] for work that reads files, in short runs shared out as threads come
/// free (see [`files_map`]): each run's result, in the items' order.
pub fn files_chunks<T: Sync, R: Send>(
    items: &[T],
    f: &(dyn Fn(&[T]) -> R + Sync),
    failed: &(dyn Fn(&[T]) -> R + Sync),
) -> Vec<R> {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::sync::atomic::{AtomicUsize, Ordering};
    const RUN: usize = 256;
    let runs: Vec<&[T]> = items.chunks(RUN).collect();
    if runs.len() <= 1 {
        return runs
            .into_iter()
            .map(|part| catch_unwind(AssertUnwindSafe(|| f(part))).unwrap_or_else(|_| failed(part)))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let threads = file_threads().min(runs.len());
    let work = || {
        let mut done = Vec::new();
        loop {
            let n = next.fetch_add(1, Ordering::Relaxed);
            let Some(&part) = runs.get(n) else {
                return done;
            };
            let result = catch_unwind(AssertUnwindSafe(|| f(part)));
            done.push((n, result.unwrap_or_else(|_| failed(part))));
        }
    };
    let mut results: Vec<Option<R>> = runs.iter().map(|_| None).collect();
    thread::scope(|s| {
        let handles: Vec<_> = (0..threads).map(|_| s.spawn(work)).collect();
        for handle in handles {
            for (n, result) in handle.join().unwrap_or_default() {
                results[n] = Some(result);
            }
        }
    });
    // A run lost with its thread gets `failed` like one that panicked.
    (results.into_iter().zip(runs))
        .map(|(result, part)| result.unwrap_or_else(|| failed(part)))
        .collect()
}

/// `f` over runs of items as `produce` finds them: `produce` runs on this thread and hands
/// each run to `give` as soon as it has it, while [`file_threads`] threads take the runs given
/// so far (so finding the items and working on them overlap). Returns what `produce` returned
/// and each run with its result, in the order they were given. A run that panics gets
/// `failed`.
pub fn files_streamed<T: Send + Sync, R: Send, P>(
    produce: impl FnOnce(&mut dyn FnMut(Vec<T>)) -> P,
    f: &(dyn Fn(&[T]) -> R + Sync),
    failed: &(dyn Fn(&[T]) -> R + Sync),
) -> (P, Vec<(Vec<T>, R)>) {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::sync::{Mutex, mpsc};
    let (give, runs) = mpsc::channel::<(usize, Vec<T>)>();
    let runs = Mutex::new(runs);
    let work = || {
        let mut done = Vec::new();
        loop {
            // The lock is held only to take a run, not while working on it.
            let next = match runs.lock() {
                Ok(runs) => runs.recv(),
                Err(_) => return done,
            };
            let Ok((n, part)) = next else {
                return done;
            };
            let result = catch_unwind(AssertUnwindSafe(|| f(&part)));
            let result = result.unwrap_or_else(|_| failed(&part));
            done.push((n, part, result));
        }
    };
    let mut all: Vec<(usize, Vec<T>, R)> = Vec::new();
    let produced = thread::scope(|s| {
        let handles: Vec<_> = (0..file_threads()).map(|_| s.spawn(work)).collect();
        let mut given = 0;
        let produced = produce(&mut |part: Vec<T>| {
            if !part.is_empty() {
                // The threads outlive this loop, so the run always has a taker.
                let _ = give.send((given, part));
                given += 1;
            }
        });
        drop(give);
        for handle in handles {
            all.extend(handle.join().unwrap_or_default());
        }
        produced
    });
    all.sort_unstable_by_key(|(n, _, _)| *n);
    (
        produced,
        all.into_iter().map(|(_, part, r)| (part, r)).collect(),
    )
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
    #[test]
    fn a_queue_gives_every_item_its_result_in_order() {
        let items: Vec<u64> = (0..50).collect();
        let results = super::queue(&items, 4, &|&n| {
            // The slow ones first: the others are taken by the free threads meanwhile.
            std::thread::sleep(std::time::Duration::from_millis(if n < 4 { 20 } else { 0 }));
            n * 2
        });
        assert_eq!(results, (0..50).map(|n| Some(n * 2)).collect::<Vec<_>>());
        assert!(super::queue(&[] as &[u64], 4, &|&n| n).is_empty());
    }

    use super::*;

    #[test]
    fn file_runs_come_back_in_order_and_a_run_that_panics_gets_its_fallback() {
        let items: Vec<usize> = (0..5000).collect();
        // Runs finish out of order: the early ones are slowed down.
        let results = files_map(
            &items,
            &|&i| {
                if i < 300 {
                    std::thread::sleep(std::time::Duration::from_micros(50));
                }
                assert!(i != 2600, "a parser bug");
                i * 2
            },
            &|_| usize::MAX,
        );
        assert_eq!(results.len(), items.len());
        // The run of 256 that held the panic, and only it, fell back.
        let failed: Vec<usize> = (0..items.len())
            .filter(|&i| results[i] == usize::MAX)
            .collect();
        assert_eq!(failed, (2560..2816).collect::<Vec<_>>());
        for (i, &r) in results.iter().enumerate() {
            if !failed.contains(&i) {
                assert_eq!(r, i * 2);
            }
        }
        assert!(files_map(&[] as &[usize], &|&i| i, &|_| 0).is_empty());
        assert_eq!(files_map(&[7usize], &|&i| i + 1, &|_| 0), vec![8]);
    }

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
