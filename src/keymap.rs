//! The keymap: which action each key runs, from the default bindings and the user's `[keys]`
//! merged over them (unknown action names and keys bound twice rejected), plus the keys of
//! saved searches; and the keys of each action, for the help. Key names are parsed in
//! [`crate::key`]. Pure.

use std::collections::HashMap;

use crate::action::Action;
use crate::key::Key;

/// Which action each key runs, and the keys of each action (for the help).
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    by_key: HashMap<Key, Action>,
    by_action: Vec<(Action, Vec<Key>)>,
}

/// A problem with one binding: the message, and which of the bindings given to
/// [`Keymap::with_overrides`] it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct BindingError {
    pub at: usize,
    pub message: String,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap::with_overrides(&[]).unwrap_or_else(|_| Keymap {
            by_key: HashMap::new(),
            by_action: Vec::new(),
        })
    }
}

impl Keymap {
    /// The defaults with the user's bindings (action name, key names) replacing those of the
    /// actions they name. Unknown names and a key bound to two actions are errors.
    pub fn with_overrides(bindings: &[(&str, Vec<&str>)]) -> Result<Keymap, BindingError> {
        // Each action's keys, with the index of the user binding that set each (None: default).
        type Bound = Vec<(Key, Option<usize>)>;
        let mut keys_of: Vec<(Action, Bound)> = Action::BINDABLE
            .iter()
            .map(|&a| {
                let keys = a
                    .default_keys()
                    .iter()
                    .filter_map(|n| Key::parse(n).ok())
                    .map(|k| (k, None))
                    .collect();
                (a, keys)
            })
            .collect();
        for (at, (name, keys)) in bindings.iter().enumerate() {
            let action = Action::from_name(name).ok_or_else(|| BindingError {
                at,
                message: format!("unknown action '{name}' in [keys]"),
            })?;
            let mut parsed = Vec::new();
            for key in keys {
                let key = Key::parse(key).map_err(|message| BindingError { at, message })?;
                parsed.push((key, Some(at)));
            }
            if let Some(slot) = keys_of.iter_mut().find(|(a, _)| *a == action) {
                slot.1 = parsed;
            }
        }
        let mut by_key: HashMap<Key, Action> = HashMap::new();
        for (action, keys) in &keys_of {
            for (key, at) in keys {
                if let Some(other) = by_key.insert(*key, *action)
                    && other != *action
                {
                    let at = at.or_else(|| {
                        keys_of
                            .iter()
                            .find(|(a, _)| *a == other)
                            .and_then(|(_, ks)| ks.iter().find(|(k, _)| k == key))
                            .and_then(|(_, at)| *at)
                    });
                    return Err(BindingError {
                        at: at.unwrap_or(0),
                        message: format!(
                            "key '{key}' is bound to both {} and {}; bind one of them to another key",
                            other.name(),
                            action.name()
                        ),
                    });
                }
            }
        }
        let by_action = keys_of
            .into_iter()
            .map(|(a, keys)| (a, keys.into_iter().map(|(k, _)| k).collect()))
            .collect();
        Ok(Keymap { by_key, by_action })
    }

    /// Binds each saved search's key (`[searches]` in config.toml, in order) to it, as
    /// [`Action::SavedSearch`]. A key an action has, or another search, is an error.
    pub fn with_searches(mut self, keys: &[&str]) -> Result<Keymap, BindingError> {
        for (at, name) in keys.iter().enumerate() {
            let key = Key::parse(name).map_err(|message| BindingError { at, message })?;
            let message = match self.by_key.get(&key) {
                None => None,
                Some(Action::SavedSearch(_)) => {
                    Some(format!("key '{key}' is bound to two searches"))
                }
                Some(action) => Some(format!(
                    "key '{key}' is bound to both {} and a search; bind one of them to another key",
                    action.name()
                )),
            };
            if let Some(message) = message {
                return Err(BindingError { at, message });
            }
            self.by_key.insert(key, Action::SavedSearch(at));
        }
        Ok(self)
    }

    /// The action a key press runs, if any.
    pub fn action(&self, key: Key) -> Option<Action> {
        self.by_key.get(&key).copied()
    }

    /// The keys bound to an action, as the help shows them.
    pub fn keys(&self, action: Action) -> &[Key] {
        self.by_action
            .iter()
            .find(|(a, _)| *a == action)
            .map_or(&[], |(_, keys)| keys.as_slice())
    }

    /// The first key of an action, for hints (`?` for help).
    pub fn hint(&self, action: Action) -> String {
        self.keys(action)
            .first()
            .map_or_else(|| action.name().to_string(), Key::to_string)
    }
}
