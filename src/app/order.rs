//! The orders the headline list can be in, what the list's title calls each, and the
//! list's order and selected headline kept between launches (in the state file).

use crate::app::App;
use crate::bookmarks::Change;

/// The order of the headline list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// Best match first (while a search with words is on).
    Relevance,
    #[default]
    Newest,
    Oldest,
    Headline,
    /// By source (masthead) A–Z, newest first within each.
    Source,
    /// Unread first, newest first within the unread and the read.
    UnreadFirst,
}

/// The orders a person picks with `cycle_order`, by the names the state file keeps them by.
const NAMED: [(Order, &str); 5] = [
    (Order::Newest, "newest"),
    (Order::Oldest, "oldest"),
    (Order::Headline, "headline"),
    (Order::Source, "source"),
    (Order::UnreadFirst, "unread"),
];

impl Order {
    /// The name the state file keeps this order by; `None` for best match first, which
    /// belongs to a search and is not kept.
    pub fn name(self) -> Option<&'static str> {
        NAMED
            .iter()
            .find(|(o, _)| *o == self)
            .map(|(_, name)| *name)
    }

    /// The order of that name, if it is one.
    pub fn named(name: &str) -> Option<Order> {
        NAMED.iter().find(|(_, n)| *n == name).map(|(o, _)| *o)
    }

    pub fn label(self) -> &'static str {
        match self {
            Order::Relevance => "best match first",
            Order::Newest => "newest first",
            Order::Oldest => "oldest first",
            Order::Headline => "headline A–Z",
            Order::Source => "by source",
            Order::UnreadFirst => "unread first",
        }
    }
}

impl App {
    /// Puts the list back in the order it was in when the reader last closed, with the same
    /// headline selected (if the folder still holds it).
    pub(super) fn restore_list_place(&mut self) {
        let (order, selected) = self.marks.list_place();
        let order = order.and_then(Order::named);
        let keep = selected.and_then(|id| self.library.index_of(id));
        if order.is_none() && keep.is_none() {
            return;
        }
        if let Some(order) = order {
            self.list.put_back(None, order);
        }
        self.rebuild_list(keep);
    }

    /// Remembers the list's order and selected headline for the next launch (as the reader
    /// closes). Best match first belongs to a search and leaves the order kept before.
    pub(super) fn remember_list_place(&mut self) {
        let (kept_order, kept_selected) = self.marks.list_place();
        let order = (self.list.order().name())
            .or(kept_order)
            .map(str::to_string);
        let selected = (self.list.selected_article())
            .and_then(|i| self.library.head(i))
            .map(|a| a.id.to_string())
            .or_else(|| kept_selected.map(str::to_string));
        if order.as_deref() != kept_order || selected.as_deref() != kept_selected {
            self.change(Change::List { order, selected }, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kept_order_comes_back_by_its_name() {
        for (order, name) in NAMED {
            assert_eq!(order.name(), Some(name));
            assert_eq!(Order::named(name), Some(order));
        }
        assert_eq!(Order::Relevance.name(), None);
        assert_eq!(Order::named("sideways"), None);
    }
}
