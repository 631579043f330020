//! Read and starred marks both ways. Each synced item keeps the marks the server and this
//! folder last agreed on; at a sync, a mark changed here since is sent to the server (and wins
//! when the server's changed too: a mark made here after the last sync is not undone by an
//! older one there), a mark changed only on the server is taken in as a read mark or a
//! bookmark. A change not sent (the server down) still differs next time, so it is sent then:
//! the last agreed marks are the journal.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{DateTime, FixedOffset};

use crate::bookmarks::folders::Stores;
use crate::bookmarks::{Bookmark, Change};
use crate::config::Config;
use crate::library::Library;
use crate::sync::{Server, ServerState, SyncError};

/// The pages' marks here: for each synced item (by its place in `state.items`) whose page is
/// in the folder, its article's place, read and bookmarked.
struct Here {
    library: Library,
    marks: Vec<Option<(usize, bool, bool)>>,
    stores: Stores,
}

fn here(config: &Config, state: &ServerState) -> Result<Here, SyncError> {
    let library = crate::cache::load_kept(&config.articles_dir)
        .map_err(|e| SyncError::Folder(e.to_string()))?;
    let stores = Stores::new(
        config.bookmarks_file.clone(),
        config.state_file.clone(),
        &config.articles_dir,
    );
    let read: BTreeSet<String> = stores.load_state()?.read;
    let bookmarked: HashSet<String> = (stores.load_bookmarks()?.list.into_iter())
        .map(|b| b.id)
        .collect();
    let heads = library.articles();
    let by_path: HashMap<String, usize> = (0..heads.len())
        .filter_map(|i| Some((heads.get(i)?.path.to_string_lossy().replace('\\', "/"), i)))
        .collect();
    let marks = (state.items.iter())
        .map(|item| {
            let at = *by_path.get(&item.path)?;
            let id = heads.get(at)?.id;
            Some((at, read.contains(id), bookmarked.contains(id)))
        })
        .collect();
    Ok(Here {
        library,
        marks,
        stores,
    })
}

/// How many marks made here wait to be sent.
pub fn pending(config: &Config, state: &ServerState) -> Result<usize, SyncError> {
    let here = here(config, state)?;
    Ok((state.items.iter().zip(&here.marks))
        .filter_map(|(item, mark)| mark.map(|(_, r, s)| (item, r, s)))
        .map(|(item, r, s)| usize::from(r != item.read) + usize::from(s != item.starred))
        .sum())
}

/// Sends the marks changed here, takes in those changed on the server: the changes taken in,
/// and how many marks were sent; those the server refused go to `refused`.
pub fn reconcile(
    api: &dyn Server,
    token: &str,
    config: &Config,
    state: &mut ServerState,
    now: DateTime<FixedOffset>,
    refused: &mut Vec<String>,
) -> Result<(Vec<Change>, usize), SyncError> {
    let unread: HashSet<u64> = api.unread_ids(token)?.into_iter().collect();
    let starred: HashSet<u64> = api.starred_ids(token)?.into_iter().collect();
    let here = here(config, state)?;
    let heads = here.library.articles();
    // To send, by state and direction; to take in, as changes here.
    let mut send: HashMap<(&str, bool), Vec<u64>> = HashMap::new();
    let mut reads = Vec::new();
    let mut stars: Vec<(usize, bool)> = Vec::new();
    for (item, mark) in state.items.iter_mut().zip(&here.marks) {
        let Some((at, read_here, star_here)) = *mark else {
            continue;
        };
        let read_there = !unread.contains(&item.id);
        let star_there = starred.contains(&item.id);
        if read_here != item.read {
            send.entry(("read", read_here)).or_default().push(item.id);
        } else if read_there != item.read {
            let id = heads.id(at).to_string();
            reads.push(Change::Read {
                id,
                read: read_there,
            });
            item.read = read_there;
        }
        if star_here != item.starred {
            send.entry(("starred", star_here))
                .or_default()
                .push(item.id);
        } else if star_there != item.starred {
            stars.push((at, star_there));
            item.starred = star_there;
        }
    }
    // Taken in first: they are the server's already, whatever happens to the sending.
    here.stores.update_state(|s| {
        for change in &reads {
            change.clone().apply_to_state(s);
        }
    })?;
    let mut taken = reads;
    for (at, star) in stars {
        let Some(head) = heads.get(at) else { continue };
        match star {
            true => {
                let bookmark = Bookmark::new(head, now);
                here.stores
                    .update_bookmarks(|b| b.add(bookmark.clone(), None))?;
                taken.push(Change::Bookmark(bookmark));
            }
            false => {
                here.stores.update_bookmarks(|b| b.remove(head.id))?;
                taken.push(Change::Unbookmark(head.id.to_string()));
            }
        }
    }
    let sent = send_marks(api, token, &send, state, refused)?;
    Ok((taken, sent))
}

/// Sends the marks changed here, grouped by state and direction; each sent (or refused: said
/// once) is agreed from then on. How many were sent.
fn send_marks(
    api: &dyn Server,
    token: &str,
    send: &HashMap<(&str, bool), Vec<u64>>,
    state: &mut ServerState,
    refused: &mut Vec<String>,
) -> Result<usize, SyncError> {
    let mut sent = 0;
    if !send.is_empty() {
        let edit = api.edit_token(token)?;
        // Oldest marks first does not apply: a mark is a state, sent as it is now.
        let mut keys: Vec<(&str, bool)> = send.keys().copied().collect();
        keys.sort();
        for (what, add) in keys {
            let ids = &send[&(what, add)];
            match api.edit_tag(token, &edit, ids, what, add) {
                Ok(()) => sent += ids.len(),
                // Refused: said once, and taken as agreed so it is not sent for ever.
                Err(SyncError::Refused(why)) => refused.push(format!(
                    "{} {} marked {what}: {why}",
                    ids.len(),
                    if add { "items" } else { "items not" }
                )),
                Err(e) => return Err(e),
            }
            for item in state.items.iter_mut().filter(|i| ids.contains(&i.id)) {
                match what {
                    "read" => item.read = add,
                    _ => item.starred = add,
                }
            }
        }
    }
    Ok(sent)
}
