//! The orders the headline list can be in, and what the list's title calls each.

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

impl Order {
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
