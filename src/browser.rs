//! Which browser opens a link, and how: the `browser` key of config.toml (`%u` stands for the
//! link, as in newsboat), else `$BROWSER` as its convention has it (commands separated by
//! `:`, tried in turn; `%s` stands for the link, `%%` for a percent sign, and the link is
//! added at the end when there is no `%s`; words split as a shell splits them, quotes taken
//! off, no shell run), else the platform's opener. A browser named in config.toml and a text
//! browser named in `$BROWSER` (lynx, w3m, elinks, links…) get the terminal, as `|` does; any
//! other is started apart from the reader and reaped when it ends.

/// Browsers that run in the terminal.
const TEXT_BROWSERS: [&str; 8] = [
    "lynx",
    "w3m",
    "elinks",
    "links",
    "links2",
    "browsh",
    "carbonyl",
    "www-browser",
];

/// How a link is to be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// This command, given the terminal until it ends.
    Terminal(Vec<String>),
    /// The first of these commands that starts, apart from the reader.
    Apart(Vec<Vec<String>>),
    /// The platform's opener (xdg-open and the like).
    Opener,
}

/// How to open `url`, with the `browser` of config.toml and the `$BROWSER` of the
/// environment.
pub fn plan(configured: Option<&str>, env: Option<&str>, url: &str) -> Plan {
    if let Some(command) = configured.filter(|c| !c.trim().is_empty()) {
        let words = words(command);
        let has_link = words.iter().any(|w| w.contains("%u"));
        let mut argv: Vec<String> = words.iter().map(|w| w.replace("%u", url)).collect();
        if !has_link {
            argv.push(url.to_string());
        }
        return Plan::Terminal(argv);
    }
    let Some(env) = env.filter(|e| !e.trim().is_empty()) else {
        return Plan::Opener;
    };
    let commands: Vec<Vec<String>> = env
        .split(':')
        .map(|part| argv_of(part, url))
        .filter(|argv| !argv.is_empty())
        .collect();
    match commands.first() {
        Some(first) if is_text_browser(&first[0]) => Plan::Terminal(first.clone()),
        Some(_) => Plan::Apart(commands),
        None => Plan::Opener,
    }
}

/// One `$BROWSER` command for `url`: `%s` is the link, `%%` a percent sign; with no `%s`,
/// the link comes last.
fn argv_of(command: &str, url: &str) -> Vec<String> {
    let words = words(command);
    if words.is_empty() {
        return words;
    }
    let has_link = command.contains("%s");
    let mut argv: Vec<String> = words
        .iter()
        .map(|w| {
            w.replace("%%", "\u{0}")
                .replace("%s", url)
                .replace('\u{0}', "%")
        })
        .collect();
    if !has_link {
        argv.push(url.to_string());
    }
    argv
}

/// Whether the program (a name or a path) is a browser that runs in the terminal.
fn is_text_browser(program: &str) -> bool {
    let name = std::path::Path::new(program)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(program);
    TEXT_BROWSERS.contains(&name)
}

/// A command's words as a POSIX shell splits them: blanks between words, `'…'` taken as it
/// is, `"…"` with `\\` escaping `"`, `\\`, `$` and `` ` ``, and `\\` outside quotes escaping
/// the next character. Nothing is expanded.
pub fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some(e @ ('"' | '\\' | '$' | '`')) => word.push(e),
                            Some(other) => {
                                word.push('\\');
                                word.push(other);
                            }
                            None => word.push('\\'),
                        },
                        other => word.push(other),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(next) = chars.next() {
                    word.push(next);
                }
            }
            other => {
                in_word = true;
                word.push(other);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://news.example.org/a?b=1&c=2";

    #[test]
    fn browser_is_read_as_its_convention_says() {
        let apart = |cmds: &[&[&str]]| {
            Plan::Apart(
                cmds.iter()
                    .map(|c| c.iter().map(|w| w.to_string()).collect())
                    .collect(),
            )
        };
        // Quotes are a shell's: taken off, not passed on.
        assert_eq!(
            plan(None, Some("firefox --new-tab '%s'"), URL),
            apart(&[&["firefox", "--new-tab", URL]])
        );
        assert_eq!(
            plan(None, Some("chromium:firefox"), URL),
            apart(&[&["chromium", URL], &["firefox", URL]])
        );
        assert_eq!(
            plan(None, Some("echo 100%% \"%s\""), URL),
            apart(&[&["echo", "100%", URL]])
        );
        // A text browser gets the terminal.
        assert_eq!(
            plan(None, Some("/usr/bin/w3m:firefox"), URL),
            Plan::Terminal(vec!["/usr/bin/w3m".into(), URL.into()])
        );
        // config.toml's browser beats $BROWSER, and runs in the terminal.
        assert_eq!(
            plan(Some("lynx -accept_all_cookies %u"), Some("firefox"), URL),
            Plan::Terminal(vec![
                "lynx".into(),
                "-accept_all_cookies".into(),
                URL.into()
            ])
        );
        assert_eq!(plan(None, None, URL), Plan::Opener);
        assert_eq!(plan(None, Some("  "), URL), Plan::Opener);
    }

    #[test]
    fn words_split_as_a_shell_splits_them() {
        assert_eq!(
            words(r#"a 'b c' "d \"e\" \$f" g\ h"#),
            ["a", "b c", "d \"e\" $f", "g h"]
        );
        assert_eq!(words("''"), [""]);
        assert!(words("   ").is_empty());
    }
}
