//! Every user intent the reader knows, with the snake_case names `[keys]` in config.toml
//! binds, and the internal actions (resize, mouse) the event loop feeds in.

/// One thing the user (or the terminal) asks of the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Move the selection down, or scroll the article down a line.
    ScrollDown,
    /// Move the selection up, or scroll the article up a line.
    ScrollUp,
    /// Down one screen.
    PageDown,
    /// Up one screen.
    PageUp,
    /// To the first headline, or the top of the article.
    Top,
    /// To the last headline, or the end of the article.
    Bottom,
    /// Open the selected headline; in the article, follow the focused link.
    Open,
    /// Open the selected headline (in the headline list only).
    OpenSelected,
    /// Leave the article for the headline list, or close a window.
    Close,
    /// Leave the article; in the headline list, quit.
    Quit,
    /// Quit from anywhere.
    ForceQuit,
    /// Focus the next link in the article.
    NextLink,
    /// Focus the previous link in the article.
    PreviousLink,
    /// Back to the previous article in history.
    Back,
    /// Forward again in history.
    Forward,
    /// The next article in list order.
    NextArticle,
    /// The previous article in list order.
    PreviousArticle,
    /// The next report of the open story, by date.
    NextInThread,
    /// The previous report of the open story, by date.
    PreviousInThread,
    /// The story's reports as a timeline.
    ShowThread,
    /// Bookmark the selected or open article, or remove its bookmark.
    ToggleBookmark,
    /// The bookmarks, newest first.
    ShowBookmarks,
    /// Write a note on the bookmark (bookmarking the article if it is not yet).
    EditNote,
    /// Mark the selected or open article read or unread.
    ToggleRead,
    /// Mark every article the list shows read (all of them, or a search's).
    MarkAllRead,
    /// The next unread article.
    NextUnread,
    /// Take back the last bookmark or read-state change.
    Undo,
    /// Search headlines and text as you type.
    Search,
    /// Scroll the article to the next search hit.
    NextHit,
    /// Scroll the article to the previous search hit.
    PreviousHit,
    /// Sort the list: newest first, oldest first, headline A–Z (best match when searching).
    CycleOrder,
    /// Show pictures or not.
    TogglePictures,
    /// Show or hide the key bindings.
    Help,
    /// Show the files that were skipped or loaded with warnings.
    ShowProblems,
    /// Open the article's original link in the browser.
    OpenLink,
    /// Copy the article's original link (to the terminal's clipboard).
    CopyLink,
    /// Fetch every feed, in the background.
    FetchFeeds,
    /// The feeds and their folders, with unread counts: choose one to list only its articles.
    ShowFeeds,
    /// Pipe the article's text to a shell command (newsboat's pipe-to).
    PipeTo,
    /// Save the article as a text file.
    SaveArticle,

    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
    /// The mouse wheel turned over a cell: `true` for down.
    Wheel { column: u16, row: u16, down: bool },
    /// A left click on a cell.
    Click { column: u16, row: u16 },
    /// A key typed into the open prompt.
    Input(crate::key::Key),
    /// Esc, then this key: what Alt and a key with no binding of its own is (Esc followed
    /// quickly by a key reaches us as Alt and the key, as shells and vim read it too).
    Escaped(crate::key::Key),
    /// Run the saved search of this place in config.toml's `[searches]`.
    SavedSearch(usize),
}

/// Every bindable action, in the order the help lists them: its name in config.toml, what
/// the help says it does, and its default keys. The one place an action is described: the
/// keymap, the help and the config all read it.
#[rustfmt::skip]
const ACTIONS: [(Action, &str, &str, &[&str]); 40] = [
    (Action::ScrollDown, "scroll_down", "next headline / scroll down", &["j", "down"]),
    (Action::ScrollUp, "scroll_up", "previous headline / scroll up", &["k", "up"]),
    (Action::PageDown, "page_down", "page down", &["space", "pagedown"]),
    (Action::PageUp, "page_up", "page up", &["b", "pageup"]),
    (Action::Top, "top", "first headline / top of article", &["g", "home"]),
    (Action::Bottom, "bottom", "last headline / end of article", &["G", "end"]),
    (Action::Open, "open", "open headline / follow focused link", &["enter"]),
    (Action::OpenSelected, "open_selected", "open the selected headline", &["l", "right"]),
    (Action::NextLink, "next_link", "focus the next link", &["tab"]),
    (Action::PreviousLink, "previous_link", "focus the previous link", &["backtab"]),
    (Action::Back, "back", "back in history", &["backspace", "alt-left"]),
    (Action::Forward, "forward", "forward in history", &["alt-right"]),
    (Action::NextArticle, "next_article", "next article", &["n"]),
    (Action::PreviousArticle, "previous_article", "previous article", &["p"]),
    (Action::NextInThread, "next_in_thread", "next report of this story", &["]"]),
    (Action::PreviousInThread, "previous_in_thread", "previous report of this story", &["["]),
    (Action::ShowThread, "show_thread", "the story as a timeline", &["t"]),
    (Action::ToggleBookmark, "toggle_bookmark", "bookmark / remove the bookmark", &["s"]),
    (Action::ShowBookmarks, "show_bookmarks", "the bookmarks", &["B"]),
    (Action::EditNote, "edit_note", "write a note on the bookmark", &["a"]),
    (Action::ToggleRead, "toggle_read", "mark read / unread", &["r"]),
    (Action::MarkAllRead, "mark_all_read", "mark every listed article read", &["A"]),
    (Action::NextUnread, "next_unread", "next unread article", &["N"]),
    (Action::Undo, "undo", "undo the last bookmark or read change", &["u"]),
    (Action::Search, "search", "search as you type", &["/"]),
    (Action::NextHit, "next_hit", "next search hit in the article", &[">"]),
    (Action::PreviousHit, "previous_hit", "previous search hit in the article", &["<"]),
    (Action::OpenLink, "open_link", "open the original link in the browser", &["o"]),
    (Action::CopyLink, "copy_link", "copy the original link", &["y"]),
    (Action::FetchFeeds, "fetch_feeds", "fetch every feed", &["R"]),
    (Action::ShowFeeds, "show_feeds", "the feeds: choose one, A marks it read", &["f"]),
    (Action::PipeTo, "pipe_to", "pipe the article to a command", &["|"]),
    (Action::SaveArticle, "save_article", "save the article as a text file", &["S"]),
    (Action::CycleOrder, "cycle_order", "sort: newest, oldest, A–Z, source, unread", &["O"]),
    (Action::TogglePictures, "toggle_pictures", "pictures off / on", &["P"]),
    (Action::Close, "close", "back to the headlines / close window", &["esc", "h", "left"]),
    (Action::Quit, "quit", "back to the headlines / quit", &["q"]),
    (Action::ForceQuit, "force_quit", "quit from anywhere", &["ctrl-c"]),
    (Action::Help, "help", "this help", &["?"]),
    (Action::ShowProblems, "show_problems", "files skipped or with warnings", &["e"]),
];

/// Keys of the search prompt that are not bindable actions, as the help lists them after
/// the actions: the keys and what they do.
pub const PROMPT_KEYS: [(&str, &str); 1] = [("up, down (in /)", "earlier searches, and back")];

impl Action {
    /// Every bindable action, in the order the help lists them.
    pub const BINDABLE: [Action; ACTIONS.len()] = {
        let mut all = [Action::Help; ACTIONS.len()];
        let mut i = 0;
        while i < ACTIONS.len() {
            all[i] = ACTIONS[i].0;
            i += 1;
        }
        all
    };

    fn row(self) -> Option<&'static (Action, &'static str, &'static str, &'static [&'static str])> {
        ACTIONS.iter().find(|row| row.0 == self)
    }

    /// The name config.toml uses (the internal actions have names for messages only).
    pub fn name(self) -> &'static str {
        match self {
            Action::Resize(..) => "resize",
            Action::Wheel { .. } => "wheel",
            Action::Click { .. } => "click",
            Action::Input(_) => "input",
            Action::Escaped(_) => "escaped",
            bindable => bindable.row().map_or("", |row| row.1),
        }
    }

    /// What the action does, as the help shows it (empty for the internal actions).
    pub fn describe(self) -> &'static str {
        self.row().map_or("", |row| row.2)
    }

    /// The keys the action is bound to unless config.toml says otherwise.
    pub fn default_keys(self) -> &'static [&'static str] {
        self.row().map_or(&[], |row| row.3)
    }

    /// The bindable action with this config name.
    pub fn from_name(name: &str) -> Option<Action> {
        ACTIONS.iter().find(|row| row.1 == name).map(|row| row.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bindable_action_is_in_the_table_once_with_a_name_and_keys() {
        for (k, (action, name, describe, keys)) in ACTIONS.iter().enumerate() {
            assert_eq!(ACTIONS.iter().filter(|row| row.0 == *action).count(), 1);
            assert_eq!(Action::from_name(name), Some(*action));
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{name}"
            );
            assert!(!describe.is_empty() && !keys.is_empty(), "{name}");
            assert_eq!(Action::BINDABLE[k], *action);
        }
        assert_eq!(
            Action::from_name("resize"),
            None,
            "internal actions are not bindable"
        );
    }
}
