//! The relations saved with the index ([`crate::index::saved`]), so that the next process
//! opens them instead of reading every page: the publisher's links as resolved, the
//! `Linked from` lists, each text's digest, and each page's path and stamp as it was indexed.
//! Opened against the library as it is now: when pages were added, changed or removed since,
//! only those are indexed ([`Relations::updated`]); when most changed, or the file is
//! missing, damaged or of another version, the caller builds anew.

use std::path::Path;
use std::sync::Arc;

use super::Relations;
use crate::diagnostic::{Diagnostic, Severity};
use crate::index::Index;
use crate::index::saved::{Broken, Tail};
use crate::index::strings::{Interned, Packed};
use crate::library::{Changed, Library};
use crate::mapped::Column;
use crate::mapped::{In, Out};
use crate::page::{Stamp, Stamps};

/// Saved relations opened for the library as it is.
#[derive(Debug)]
pub struct Opened {
    pub relations: Relations,
    /// What reading the texts found wrong (as saved, for the pages that did not change).
    pub warnings: Vec<Diagnostic>,
    /// How many pages changed since they were saved (0: they are saved as they are).
    pub changed: usize,
}

/// Why saved relations could not serve.
#[derive(Debug)]
pub enum Unusable {
    Broken(Broken),
    /// Most of the folder changed since (or its pages cannot be stamped): a build is cheaper.
    Stale,
}

impl std::fmt::Display for Unusable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unusable::Broken(b) => b.fmt(f),
            Unusable::Stale => write!(f, "the saved index is of a folder that has mostly changed"),
        }
    }
}

impl Relations {
    /// Saves the index and these relations of `library` to `path`, with each page's stamp
    /// and the `warnings` reading the texts gave.
    pub fn save(
        &self,
        library: &Library,
        warnings: &[Diagnostic],
        path: &Path,
    ) -> std::io::Result<()> {
        let stamps = library
            .stamps_now()
            .ok_or_else(|| std::io::Error::other("the pages' times cannot be read"))?;
        let docs = library.len();
        if self.index.docs() != docs || stamps.len() != docs {
            return Err(std::io::Error::other("the index is not of this library"));
        }
        // What answers need, checked at every opening.
        let extra = |out: &mut Out| {
            out.u64(fingerprint(library, &stamps));
            out.u32s(&self.starts);
            out.u32s(&self.lines);
            out.array(&self.resolved);
            out.u32s(&self.back_starts);
            out.u32s(&self.backlinks);
        };
        // What only bringing it up to date needs, checked then.
        let tail = |out: &mut Out| {
            let mut paths = Vec::new();
            let mut ends = Vec::with_capacity(docs);
            for head in library.articles().iter() {
                paths.extend_from_slice(head.path.as_os_str().as_encoded_bytes());
                ends.push(paths.len() as u32);
            }
            out.bytes(&paths);
            out.u32s(&ends);
            drop((paths, ends));
            out.u64s(&stamps.iter().map(|s| s.size).collect::<Vec<_>>());
            out.u64s(&stamps.iter().map(|s| s.seconds as u64).collect::<Vec<_>>());
            out.u32s(&stamps.iter().map(|s| s.nanos).collect::<Vec<_>>());
            self.names.packed().write(out);
            out.u64s(&self.digests);
            out.u64(warnings.len() as u64);
            for w in warnings {
                out.bytes(w.path.as_os_str().as_encoded_bytes());
                out.bytes(w.message.as_bytes());
            }
        };
        self.index.save(path, &extra, &tail)
    }

    /// The relations of `library`: those saved at `path` when they can serve (brought up to
    /// date, and saved again, if pages changed), else built (every page read; `progress`
    /// gets how many so far) and saved there. `verify`: every block of a saved index is
    /// read and checked before it is trusted (else only as read). What it did is in
    /// [`Made::how`].
    pub fn open_or_build(
        library: &Arc<Library>,
        path: Option<&Path>,
        verify: bool,
        progress: &(dyn Fn(usize) + Sync),
    ) -> Made {
        if let Some(folder) = path.and_then(Path::parent) {
            crate::index::saved::remove_stale_temps(folder);
        }
        let opened = path.map(|path| {
            Relations::open_checking(library, path, verify).and_then(|opened| {
                if verify && !opened.relations.index.verify() {
                    Err(Unusable::Broken(Broken::Damaged(
                        "a block fails its checksum".into(),
                    )))
                } else {
                    Ok(opened)
                }
            })
        });
        let (relations, warnings, how) = match opened {
            Some(Ok(opened)) if opened.changed == 0 => {
                (opened.relations, opened.warnings, How::Opened)
            }
            Some(Ok(opened)) => (
                opened.relations,
                opened.warnings,
                How::Updated(opened.changed),
            ),
            Some(Err(why)) => {
                let (relations, warnings) = Relations::build_reporting(library, progress);
                (relations, warnings, How::Built(Some(why)))
            }
            None => {
                let (relations, warnings) = Relations::build_reporting(library, progress);
                (relations, warnings, How::Built(None))
            }
        };
        let saved = match (&how, path) {
            (How::Opened, _) | (_, None) => Ok(()),
            (_, Some(path)) => relations
                .save(library, &warnings, path)
                .map_err(|e| format!("cannot save the index to {}: {e}", path.display())),
        };
        Made {
            relations,
            warnings,
            how,
            saved,
        }
    }

    /// Opens the relations saved at `path` for `library` as it is now: as saved when no page
    /// changed, else brought up to date for the pages that did.
    pub fn open(library: &Arc<Library>, path: &Path) -> Result<Opened, Unusable> {
        Relations::open_checking(library, path, true)
    }

    /// [`Relations::open`]; `whole`: the part of the file that only updates need (the pages'
    /// paths and stamps, the related headlines' texts) is checked even when no page changed.
    /// Unchecked, it is not to be used to bring the relations up to date.
    /// Long: the file's parts are checked in the order they lie in it, each against the
    /// library, and the first that does not fit says why the file cannot be used.
    fn open_checking(library: &Arc<Library>, path: &Path, whole: bool) -> Result<Opened, Unusable> {
        let (index, extra, tail, sealing) = Index::open_sealing(path).map_err(Unusable::Broken)?;
        let damaged = |why: &str| Unusable::Broken(Broken::Damaged(why.into()));
        let fingerprint_now = library.fingerprint();
        let current = |docs: usize, fingerprint: u64| {
            docs == library.len() && fingerprint_now == Some(fingerprint)
        };
        let saved = decode(index, extra, &tail, sealing.is_sealed())
            .ok_or_else(|| damaged("its links do not add up"))?;
        sealing.seal();
        let docs = saved.relations.index.docs();
        if (whole || !current(docs, saved.fingerprint)) && !tail.check() {
            return Err(damaged("its pages and headlines fail their checksum"));
        }
        // The same pages as they were: the fingerprints tell without a look at each.
        if current(docs, saved.fingerprint) {
            return Ok(Opened {
                relations: saved.relations,
                warnings: saved.warnings,
                changed: 0,
            });
        }
        let stamps = library.stamps_now().ok_or(Unusable::Stale)?;
        let same = |old: usize, new: usize| {
            saved.stamps.get(old) == stamps.get(new).copied()
                && library
                    .head(new)
                    .is_some_and(|h| h.path.as_os_str().as_encoded_bytes() == saved.path(old))
        };
        if docs == library.len() && (0..docs).all(|i| same(i, i)) {
            return Ok(Opened {
                relations: saved.relations,
                warnings: saved.warnings,
                changed: 0,
            });
        }
        // Where each saved article is now, by its path, if its page is unchanged.
        let mut by_path: rustc_hash::FxHashMap<&[u8], usize> = rustc_hash::FxHashMap::default();
        for new in 0..library.len() {
            if let Some(head) = library.head(new) {
                by_path.insert(head.path.as_os_str().as_encoded_bytes(), new);
            }
        }
        let mut moved = vec![None; docs];
        let mut kept = vec![false; library.len()];
        for (old, slot) in moved.iter_mut().enumerate() {
            if let Some(&new) = by_path.get(saved.path(old))
                && same(old, new)
            {
                *slot = Some(new as u32);
                kept[new] = true;
            }
        }
        let fresh: Vec<usize> = (0..library.len()).filter(|&i| !kept[i]).collect();
        if fresh.len() > library.len() / 2 {
            return Err(Unusable::Stale);
        }
        let changed = Changed {
            library: library.clone(),
            moved,
            fresh,
        };
        let relations = saved.relations.updated(&changed);
        let count = changed.fresh.len() + changed.moved.iter().filter(|m| m.is_none()).count();
        // The warnings of pages that stayed as they were.
        let stayed: rustc_hash::FxHashSet<&[u8]> = (0..docs)
            .filter(|&old| changed.moved[old].is_some())
            .map(|old| saved.path(old))
            .collect();
        let warnings = saved
            .warnings
            .iter()
            .filter(|w| stayed.contains(w.path.as_os_str().as_encoded_bytes()))
            .cloned()
            .collect();
        Ok(Opened {
            relations,
            warnings,
            changed: count.max(1),
        })
    }
}

/// Relations made for a library by [`Relations::open_or_build`].
#[derive(Debug)]
pub struct Made {
    pub relations: Relations,
    /// What reading the texts found wrong.
    pub warnings: Vec<Diagnostic>,
    pub how: How,
    /// Whether they were saved (when they needed to be), or why not.
    pub saved: Result<(), String>,
}

/// How relations were made.
#[derive(Debug)]
pub enum How {
    /// Opened as saved.
    Opened,
    /// Opened and brought up to date for this many changed pages.
    Updated(usize),
    /// Built from every page: nothing was saved (`None`: no place to save), or why the
    /// saved ones could not serve.
    Built(Option<Unusable>),
}

/// Relations as saved, with the pages they were made from.
struct Saved {
    relations: Relations,
    /// The pages' [`fingerprint`].
    fingerprint: u64,
    /// Each page's path, as bytes.
    paths: Packed,
    stamps: Stamps,
    /// What reading the texts found wrong.
    warnings: Vec<Diagnostic>,
}

impl Saved {
    /// The saved path of article `doc`, as bytes.
    fn path(&self, doc: usize) -> &[u8] {
        self.paths.get_bytes(doc as u32)
    }
}

/// One number for every page's path and stamp, in reading order: two libraries of the same
/// pages have the same fingerprint ([`Library::fingerprint`]).
pub fn fingerprint(library: &Library, stamps: &[Stamp]) -> u64 {
    crate::library::fingerprint(
        library
            .articles()
            .iter()
            .map(|h| h.path)
            .zip(stamps.iter().copied()),
    )
}

/// The relations in `extra` and `tail`, around `index`; `None` if they do not hold together
/// (`sealed`: the file passed these checks when it was sealed, so the orders are not checked
/// again).
fn decode(index: Index, mut r: In, tail: &Tail, sealed: bool) -> Option<Saved> {
    let docs = index.docs();
    let fingerprint = r.u64()?;
    let starts: Column<u32> = r.array()?;
    let lines: Column<u32> = r.array()?;
    let resolved: Column<[u32; 2]> = r.array()?;
    let back_starts: Column<u32> = r.array()?;
    let backlinks: Column<u32> = r.array()?;
    let mut t = tail.read();
    let paths = Packed::read_trusting(&mut t, sealed)?;
    let stamps = Stamps {
        sizes: t.array()?,
        seconds: t.array()?,
        nanos: t.array()?,
    };
    let names = Packed::read_trusting(&mut t, sealed)?;
    let digests: Column<u64> = t.array()?;
    let mut warnings = Vec::new();
    for _ in 0..t.u64()? {
        let path = std::str::from_utf8(t.bytes()?).ok()?.to_string();
        let message = std::str::from_utf8(t.bytes()?).ok()?.to_string();
        warnings.push(Diagnostic {
            path: path.into(),
            severity: Severity::Warning,
            message,
        });
    }
    let holds = r.is_done()
        && t.is_done()
        && paths.len() == docs
        && stamps.len() == docs
        && stamps.hold_together()
        && starts.len() == docs + 1
        && (sealed || starts.is_sorted() && back_starts.is_sorted())
        && starts.last() == Some(&(lines.len() as u32))
        && digests.len() == docs
        && resolved.len() == names.len()
        && back_starts.len() == docs + 1
        && back_starts.last() == Some(&(backlinks.len() as u32));
    if !holds {
        return None;
    }
    let relations = Relations {
        index: Arc::new(index),
        starts,
        resolved,
        back_starts,
        backlinks,
        names: Interned::from_packed(names),
        lines,
        digests,
    };
    Some(Saved {
        relations,
        fingerprint,
        paths,
        stamps,
        warnings,
    })
}
