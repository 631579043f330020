//! Text hygiene shared by every part of broadsheet: removing terminal escape sequences and
//! control characters, decoding legacy bytes, and the loose forms used to compare headlines.

/// Removes everything from one line of text that a terminal would act on rather than print.
///
/// Whole escape sequences go (CSI, OSC, DCS, SOS, PM, APC and the short `ESC x` forms, in
/// their 7-bit and C1 spellings), so a hostile page cannot leave a payload such as a window
/// title behind; then every remaining C0 and C1 control character and DEL goes too. Tabs
/// become spaces. The line is expected without its newline; a stray `\n` or `\r` is removed.
/// An unterminated sequence ends at the end of the line.
pub fn clean_line(line: &str) -> String {
    // Fast path: most lines hold no control character at all.
    if !line.chars().any(is_control) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => out.push(' '),
            '\u{1b}' => match chars.peek().copied() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    skip_string(&mut chars);
                }
                Some(next) if ('\u{20}'..='\u{2f}').contains(&next) => {
                    // nF sequence: intermediates, then one final byte.
                    while chars
                        .next_if(|c| ('\u{20}'..='\u{2f}').contains(c))
                        .is_some()
                    {}
                    chars.next_if(|c| ('\u{30}'..='\u{7e}').contains(c));
                }
                Some(next) if ('\u{30}'..='\u{7e}').contains(&next) => {
                    // Two-character sequences such as `ESC c` (reset) or `ESC 7`.
                    chars.next();
                }
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if is_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// True for the characters a terminal may interpret: C0 (tab included), DEL and C1.
pub fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

/// Skips the rest of a control sequence: parameter and intermediate bytes, then the final byte.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            return;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            // Not part of a well-formed sequence: the sequence is over (and the byte, a
            // control or something else, is dropped with it).
            return;
        }
    }
}

/// Skips a control string (OSC, DCS, SOS, PM, APC) up to its terminator: BEL, `ESC \` or ST.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                chars.next_if_eq(&'\\');
                return;
            }
            _ => {}
        }
    }
}

/// Cleans a path or any other string for display: every line cleaned, joined by spaces.
pub fn clean_display(text: &str) -> String {
    text.split(['\n', '\r'])
        .map(clean_line)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text as one clean line ([`clean_display`]) with every run of white space one space: a
/// title, name or paragraph from the web, however it was broken over lines.
pub fn one_line(text: &str) -> String {
    clean_display(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Decodes bytes as UTF-8, or as Windows-1252 when they are not valid UTF-8 (old pages were
/// saved that way). The flag tells whether the fallback was used. A UTF-8 byte-order mark is
/// dropped.
pub fn decode(bytes: &[u8]) -> (String, bool) {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), false),
        Err(_) => (bytes.iter().map(|&b| windows_1252(b)).collect(), true),
    }
}

/// One Windows-1252 byte as a character. The five bytes the code page leaves undefined map to
/// the C1 code points of the same value, which cleaning removes later.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The loose form of a headline: case, runs of white space, straight vs curly quotes and
/// apostrophes, and dash variants do not matter. Two headlines match loosely when their loose
/// forms are equal.
pub fn loose_headline(headline: &str) -> String {
    let mut out = String::with_capacity(headline.len());
    let mut pending_space = false;
    let mut chars = headline.chars().peekable();
    while let Some(c) = chars.next() {
        // Most of a headline is ASCII letters and digits: those take the short way.
        if c.is_ascii_alphanumeric() {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c.to_ascii_lowercase());
            continue;
        }
        let c = match c {
            '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => '\'',
            '“' | '”' | '„' | '‟' | '″' | '«' | '»' => '"',
            c => c,
        };
        if is_dash(c) {
            // Any run of dashes, with or without spaces around it, is one dash.
            while chars
                .next_if(|&n| is_dash(n) || n.is_whitespace())
                .is_some()
            {}
            out.truncate(out.trim_end().len());
            out.push_str(" - ");
            pending_space = false;
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty() && !out.ends_with(' ');
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(c.to_lowercase());
    }
    // Only a dash at either end leaves a space there (`" - "`): trimmed in place.
    out.truncate(out.trim_end().len());
    let start = out.len() - out.trim_start().len();
    out.drain(..start);
    out
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '–' | '—' | '―' | '\u{2212}' | '\u{fe58}'
    )
}

/// A slug of a headline: lowercase ASCII letters and digits with hyphens between words,
/// accents folded (and other scripts transliterated), at most `max` bytes, cut at a hyphen.
pub fn slug(headline: &str, max: usize) -> String {
    // As `deunicode::deunicode`, without a copy of a headline that is ASCII already.
    let ascii = deunicode::deunicode_with_tofu_cow(headline, "[?]");
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '\'' {
            // "Russia's" reads better as "russias" than "russia-s".
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.len() > max {
        let cut = match out[..=max].rfind('-') {
            Some(i) if i > 0 => i,
            _ => max,
        };
        out.truncate(cut);
    }
    out
}

/// A count with its noun: `1 warning`, `2 warnings`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A date in a strftime pattern. A pattern chrono cannot render for a date (a time field,
/// say) falls back to `YYYY-MM-DD` rather than failing.
pub fn format_date(date: chrono::NaiveDate, pattern: &str) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    match write!(out, "{}", date.format(pattern)) {
        Ok(()) => out,
        Err(_) => date.format("%Y-%m-%d").to_string(),
    }
}

/// One-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// A file's bytes as text; where they are not UTF-8, the line and column of the first byte
/// that is not, as [`line_column`] counts them.
pub fn utf8_or_place(bytes: Vec<u8>) -> Result<String, (usize, usize)> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        line_column(before, valid)
    })
}

/// The day a time falls on in the local time zone (`TZ`).
pub fn local_day(time: chrono::DateTime<chrono::FixedOffset>) -> chrono::NaiveDate {
    time.with_timezone(&chrono::Local).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_whole_escape_sequences() {
        assert_eq!(clean_line("a\u{1b}[2Jb"), "ab");
        assert_eq!(clean_line("a\u{1b}]0;evil title\u{7}b"), "ab");
        assert_eq!(clean_line("a\u{1b}]52;c;aGVsbG8=\u{1b}\\b"), "ab");
        assert_eq!(clean_line("a\u{1b}Pq#0;2;0;0;0\u{1b}\\b"), "ab");
        assert_eq!(clean_line("a\u{9b}31mb"), "ab");
        assert_eq!(clean_line("a\u{9d}0;t\u{9c}b"), "ab");
        assert_eq!(clean_line("a\u{1b}cb"), "ab");
        assert_eq!(clean_line("a\u{1b}(Bb"), "ab");
        assert_eq!(clean_line("tab\there\u{7f}\u{0}"), "tab here");
        assert_eq!(clean_line("unterminated \u{1b}]0;title"), "unterminated ");
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        let s = "Café “quoted” 中文 👍 e\u{301}";
        assert_eq!(clean_line(s), s);
    }

    #[test]
    fn decodes_windows_1252() {
        assert_eq!(decode(b"Caf\xe9 \x93x\x94"), ("Café “x”".to_string(), true));
        assert_eq!(
            decode("\u{feff}héllo".as_bytes()),
            ("héllo".to_string(), false)
        );
    }

    #[test]
    fn loose_headlines_ignore_quotes_dashes_case_and_space() {
        let a = loose_headline("Trump’s  “Board”  —  of Peace");
        assert_eq!(a, loose_headline("trump's \"board\" - of peace"));
        assert_eq!(a, loose_headline("TRUMP'S \"BOARD\"--of PEACE"));
        assert_ne!(a, loose_headline("Trumps Board of Peace"));
        // The forms themselves: lower case, one space, one spaced dash, no space at the ends.
        assert_eq!(a, "trump's \"board\" - of peace");
        assert_eq!(loose_headline("— Breaking —"), "- breaking -");
        assert_eq!(loose_headline("  ÉTÉ\u{a0}à  Paris\t"), "été à paris");
        assert_eq!(loose_headline(" \t "), "");
    }

    #[test]
    fn slugs_fold_accents_and_cut_at_a_hyphen() {
        assert_eq!(
            slug("Nicolas Sarkozy à La Santé!", 80),
            "nicolas-sarkozy-a-la-sante"
        );
        assert_eq!(slug("Russia's \"model\" ties", 80), "russias-model-ties");
        let long = slug(&"word ".repeat(40), 80);
        assert!(long.len() <= 80 && !long.ends_with('-'), "{long}");
        assert_eq!(long.len(), 79);
        assert_eq!(slug("!!!", 80), "");
    }
}
