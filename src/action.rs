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
    /// Show or hide the key bindings.
    Help,
    /// Show the files that were skipped or loaded with warnings.
    ShowProblems,

    /// The terminal is now this many columns and rows.
    Resize(u16, u16),
    /// The mouse wheel turned over a cell: `true` for down.
    Wheel { column: u16, row: u16, down: bool },
    /// A left click on a cell.
    Click { column: u16, row: u16 },
    /// A key typed into the open prompt.
    Input(crate::key::Key),
}

impl Action {
    /// Every bindable action, in the order the help lists them.
    pub const BINDABLE: [Action; 32] = [
        Action::ScrollDown,
        Action::ScrollUp,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::Open,
        Action::OpenSelected,
        Action::NextLink,
        Action::PreviousLink,
        Action::Back,
        Action::Forward,
        Action::NextArticle,
        Action::PreviousArticle,
        Action::NextInThread,
        Action::PreviousInThread,
        Action::ShowThread,
        Action::ToggleBookmark,
        Action::ShowBookmarks,
        Action::EditNote,
        Action::ToggleRead,
        Action::NextUnread,
        Action::Undo,
        Action::Search,
        Action::NextHit,
        Action::PreviousHit,
        Action::CycleOrder,
        Action::Close,
        Action::Quit,
        Action::ForceQuit,
        Action::Help,
        Action::ShowProblems,
    ];

    /// The name config.toml uses.
    pub fn name(self) -> &'static str {
        match self {
            Action::ScrollDown => "scroll_down",
            Action::ScrollUp => "scroll_up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::Open => "open",
            Action::OpenSelected => "open_selected",
            Action::Close => "close",
            Action::Quit => "quit",
            Action::ForceQuit => "force_quit",
            Action::NextLink => "next_link",
            Action::PreviousLink => "previous_link",
            Action::Back => "back",
            Action::Forward => "forward",
            Action::NextArticle => "next_article",
            Action::PreviousArticle => "previous_article",
            Action::NextInThread => "next_in_thread",
            Action::PreviousInThread => "previous_in_thread",
            Action::ShowThread => "show_thread",
            Action::ToggleBookmark => "toggle_bookmark",
            Action::ShowBookmarks => "show_bookmarks",
            Action::EditNote => "edit_note",
            Action::ToggleRead => "toggle_read",
            Action::NextUnread => "next_unread",
            Action::Undo => "undo",
            Action::Search => "search",
            Action::NextHit => "next_hit",
            Action::PreviousHit => "previous_hit",
            Action::CycleOrder => "cycle_order",
            Action::Help => "help",
            Action::ShowProblems => "show_problems",
            Action::Resize(..) => "resize",
            Action::Wheel { .. } => "wheel",
            Action::Click { .. } => "click",
            Action::Input(_) => "input",
        }
    }

    /// What the action does, as the help shows it.
    pub fn describe(self) -> &'static str {
        match self {
            Action::ScrollDown => "next headline / scroll down",
            Action::ScrollUp => "previous headline / scroll up",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::Top => "first headline / top of article",
            Action::Bottom => "last headline / end of article",
            Action::Open => "open headline / follow focused link",
            Action::OpenSelected => "open the selected headline",
            Action::Close => "back to the headlines / close window",
            Action::Quit => "back to the headlines / quit",
            Action::ForceQuit => "quit from anywhere",
            Action::NextLink => "focus the next link",
            Action::PreviousLink => "focus the previous link",
            Action::Back => "back in history",
            Action::Forward => "forward in history",
            Action::NextArticle => "next article",
            Action::PreviousArticle => "previous article",
            Action::NextInThread => "next report of this story",
            Action::PreviousInThread => "previous report of this story",
            Action::ShowThread => "the story as a timeline",
            Action::ToggleBookmark => "bookmark / remove the bookmark",
            Action::ShowBookmarks => "the bookmarks",
            Action::EditNote => "write a note on the bookmark",
            Action::ToggleRead => "mark read / unread",
            Action::NextUnread => "next unread article",
            Action::Undo => "undo the last bookmark or read change",
            Action::Search => "search as you type",
            Action::NextHit => "next search hit in the article",
            Action::PreviousHit => "previous search hit in the article",
            Action::CycleOrder => "sort: newest, oldest, A–Z",
            Action::Help => "this help",
            Action::ShowProblems => "files skipped or with warnings",
            Action::Resize(..) | Action::Wheel { .. } | Action::Click { .. } | Action::Input(_) => {
                ""
            }
        }
    }

    /// The bindable action with this config name.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::BINDABLE.into_iter().find(|a| a.name() == name)
    }
}
