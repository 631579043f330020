//! Word analysis for the text index: text split into words, folded (case, accents,
//! apostrophes), English stop words dropped and lightly stemmed; which parts of an article are
//! indexed and how much a use of a term weighs there.

use crate::article::Article;

/// How much more a word counts in the headline than in the text.
pub const HEADLINE_WEIGHT: f32 = 2.5;

/// Words too common in English to say what an article is about (kept sorted to read).
#[rustfmt::skip]
const STOP_WORDS: [&str; 130] = [
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "herself", "him", "himself", "his", "how", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "may", "me", "might", "more", "most", "must", "my", "myself", "no", "nor",
    "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves",
    "out", "over", "own", "same", "shall", "she", "should", "so", "some", "such", "than",
    "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they",
    "this", "those", "through", "to", "too", "under", "until", "up", "upon", "us", "very",
    "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why",
    "will", "with", "would", "you", "your",
];

fn is_stop_word(word: &str) -> bool {
    static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&str>> =
        std::sync::LazyLock::new(|| STOP_WORDS.into_iter().collect());
    word.len() <= 10 && SET.contains(word)
}

/// Calls `each` with every term of `text` in order: runs of letters and digits, lower case,
/// accents and other scripts transliterated to ASCII, apostrophes dropped (`Russia's` is one
/// word), stop words and single letters left out, and a light stemmer applied (plural `-s`,
/// `-es`, `-ies`; `-ing`; `-ed`).
pub fn terms(text: &str, mut each: impl FnMut(&str)) {
    scan(text, |_, word| {
        if is_term(word) {
            stem(word);
            each(word);
        }
    });
}

/// Calls `each` with every word of `text` in order, with where it is: its byte range in
/// `text`, its folded form (lower case ASCII, not stemmed), and its term, or `None` for a stop
/// word or a single letter. Search uses it to find hits to highlight.
pub fn words(text: &str, mut each: impl FnMut(std::ops::Range<usize>, &str, Option<&str>)) {
    let mut stemmed = String::with_capacity(24);
    scan(text, |range, word| {
        if is_term(word) {
            stemmed.clear();
            stemmed.push_str(word);
            stem(&mut stemmed);
            each(range, word, Some(&stemmed));
        } else {
            each(range, word, None);
        }
    });
}

fn is_term(word: &str) -> bool {
    word.len() > 1 && !is_stop_word(word)
}

/// The tokenizer under [`terms`] and [`words`]: each run of letters and digits, folded to
/// lower-case ASCII (an apostrophe inside a word joins it), with its byte range.
fn scan(text: &str, mut each: impl FnMut(std::ops::Range<usize>, &mut String)) {
    let mut word = String::with_capacity(24);
    let (mut start, mut end) = (0, 0);
    let mut flush = |word: &mut String, start: usize, end: usize| {
        if !word.is_empty() {
            each(start..end, word);
            word.clear();
        }
    };
    for (i, c) in text.char_indices() {
        let next = i + c.len_utf8();
        if c.is_ascii_alphanumeric() {
            if word.is_empty() {
                start = i;
            }
            word.push(c.to_ascii_lowercase());
            end = next;
        } else if c == '\'' || c == '\u{2019}' {
            // Inside a word, an apostrophe joins (`don't`, `Xi's`); elsewhere it is nothing.
        } else if c.is_alphanumeric() {
            match deunicode::deunicode_char(c) {
                Some(ascii) => {
                    for a in ascii.chars() {
                        if a.is_ascii_alphanumeric() {
                            if word.is_empty() {
                                start = i;
                            }
                            word.push(a.to_ascii_lowercase());
                            end = next;
                        } else {
                            flush(&mut word, start, end);
                        }
                    }
                }
                None => flush(&mut word, start, end),
            }
        } else {
            flush(&mut word, start, end);
        }
    }
    flush(&mut word, start, end);
}

/// Every term of `text`, in order.
pub fn term_list(text: &str) -> Vec<String> {
    let mut list = Vec::new();
    terms(text, |t| list.push(t.to_string()));
    list
}

/// A light English stemmer: enough that `talks`, `talked` and `talking` meet, not so much that
/// unrelated words do.
fn stem(word: &mut String) {
    let n = word.len();
    if n <= 3 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return;
    }
    if word.ends_with("ies") && n > 4 {
        word.truncate(n - 3);
        word.push('y');
    } else if word.ends_with("sses") || word.ends_with("xes") || word.ends_with("ches") {
        word.truncate(n - 2);
    } else if word.ends_with("ing") && n > 5 {
        word.truncate(n - 3);
        undouble(word);
    } else if word.ends_with("ed") && !word.ends_with("eed") && n > 4 {
        word.truncate(n - 2);
        undouble(word);
    } else if word.ends_with('s')
        && !(word.ends_with("ss") || word.ends_with("us") || word.ends_with("is"))
    {
        word.truncate(n - 1);
    }
}

/// `stopp` → `stop`, `runn` → `run`; but `call`, `press` and `buzz` keep their pair.
fn undouble(word: &mut String) {
    let b = word.as_bytes();
    if let [.., x, y] = b
        && x == y
        && !matches!(x, b'l' | b's' | b'z' | b'a' | b'e' | b'i' | b'o' | b'u')
    {
        word.pop();
    }
}

/// The part of a term's weight in an article that comes from the article, not the library:
/// sublinear in the count, and more for a headline word. Times the term's idf, it is the weight.
pub fn term_frequency_weight(count: u32, in_headline: bool) -> f32 {
    let tf = 1.0 + (count.max(1) as f32).ln();
    let field = if in_headline { HEADLINE_WEIGHT } else { 1.0 };
    tf * field
}

/// The parts of an article that are indexed, each with whether it is the headline. The
/// publisher's related headlines are not the article's own words and are left out.
pub fn each_field(article: &Article, mut each: impl FnMut(&str, bool)) {
    each(&article.headline, true);
    if let Some(standfirst) = &article.standfirst {
        each(standfirst, false);
    }
    for block in &article.body {
        each(block.text(), false);
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Vec<String> {
        term_list(text)
    }

    #[test]
    fn terms_fold_case_accents_and_apostrophes_and_drop_stop_words() {
        assert_eq!(t("The Café’s MENU"), ["cafe", "menu"]);
        assert_eq!(
            t("Russia's \"model\" relations"),
            ["russia", "model", "relation"]
        );
        assert_eq!(t("Zürich — São Paulo"), ["zurich", "sao", "paulo"]);
        assert_eq!(t("a b 7 G7 2026"), ["g7", "2026"]);
    }

    #[test]
    fn the_stemmer_joins_inflections_but_not_different_words() {
        assert_eq!(t("talks talked talking talk"), ["talk"; 4]);
        assert_eq!(t("stopped running"), ["stop", "run"]);
        assert_eq!(t("policies policy"), ["policy", "policy"]);
        assert_eq!(t("press class bus"), ["press", "class", "bus"]);
        assert_ne!(t("china"), t("chinese"));
    }

    #[test]
    fn stop_words_are_sorted_and_short() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 10 && is_stop_word(w)));
    }
}
