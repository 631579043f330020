//! config.toml's `[sync]` table: the server a person reads from on other devices (its Google
//! Reader API address), the user, and how to get the password: a command whose first line of
//! output is it, or `BROADSHEET_SYNC_PASSWORD`; never the file itself. Only https, except to
//! this machine (`127.0.0.1`, `localhost`).

use serde::Deserialize;
use toml::Spanned;

/// The keys `[sync]` may hold.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SyncTable {
    server: Option<Spanned<String>>,
    user: Option<Spanned<String>>,
    password_command: Option<Spanned<String>>,
    /// Refused with a reason: a password is never kept in the file.
    password: Option<Spanned<toml::Value>>,
}

/// An account on a sync server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The API's base address, without a trailing `/` (`https://rss.example.org/api/greader.php`).
    pub server: String,
    pub user: String,
    /// A command whose first line of output is the password (run by `sh -c`).
    pub password_command: Option<String>,
}

/// The account `[sync]` names, or the offset in the file and what is wrong there.
pub(super) fn account(table: &Spanned<SyncTable>) -> Result<Account, (usize, String)> {
    let at = table.span().start;
    let table = table.get_ref();
    if let Some(password) = &table.password {
        return Err((
            password.span().start,
            "a password is never kept in config.toml: give [sync] a password_command (as \
             \"pass show freshrss\") or set BROADSHEET_SYNC_PASSWORD"
                .into(),
        ));
    }
    let server = table.server.as_ref().ok_or((
        at,
        "[sync] needs server, the address of the server's Google Reader API (as \
         \"https://rss.example.org/api/greader.php\")"
            .to_string(),
    ))?;
    let url = url::Url::parse(server.get_ref().trim()).map_err(|e| {
        (
            server.span().start,
            format!("server is not an address: {e}"),
        )
    })?;
    let local = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    if url.scheme() != "https" && !(url.scheme() == "http" && local) {
        return Err((
            server.span().start,
            "server must be an https address (http only to 127.0.0.1 or localhost)".into(),
        ));
    }
    let user = table
        .user
        .as_ref()
        .filter(|u| !u.get_ref().trim().is_empty())
        .ok_or((
            at,
            "[sync] needs user, the account's name on the server".to_string(),
        ))?;
    let password_command = table
        .password_command
        .as_ref()
        .map(|c| c.get_ref().trim().to_string())
        .filter(|c| !c.is_empty());
    Ok(Account {
        server: url.as_str().trim_end_matches('/').to_string(),
        user: user.get_ref().trim().to_string(),
        password_command,
    })
}
