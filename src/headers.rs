//! Every article's header (id, path, masthead, date, headline) in compact form: the strings of
//! all articles back to back in two buffers, the mastheads kept once each. What the headline
//! list, ids and links need, at about a third of the memory of one `Article` per page.

use std::path::Path;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};

use crate::mapped::{Column, In, Out};
use crate::text::format_date;

/// One article's header, borrowed from [`Heads`] (or from an article).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head<'a> {
    pub id: &'a str,
    /// Where the page was found, relative to the articles folder.
    pub path: &'a Path,
    /// The masthead, such as `London Daily` (empty when the page has none).
    pub source: &'a str,
    pub date: Option<NaiveDate>,
    /// When it was published, to the second, when the page says.
    pub time: Option<DateTime<FixedOffset>>,
    pub headline: &'a str,
    /// Where the story was published (empty when the page does not say).
    pub link: &'a str,
}

impl Head<'_> {
    /// `Wed 22 Oct 2025 · London Daily`: the date in `date_format` (or `Undated`) and the
    /// source.
    pub fn byline(&self, date_format: &str) -> String {
        let date = self
            .date
            .map_or_else(|| "Undated".to_string(), |d| format_date(d, date_format));
        if self.source.is_empty() {
            date
        } else {
            format!("{date} · {}", self.source)
        }
    }
}

/// The headers of a library's articles, in its reading order: owned, or read in place from
/// the headers cache ([`crate::cache`]).
#[derive(Debug, Default, Clone)]
pub struct Heads {
    /// Each article's id, its headline and its link, back to back (UTF-8).
    strings: Column<u8>,
    /// Each article's path, back to back, as the bytes the system gave.
    paths: Column<u8>,
    /// Per article: where its id, headline and link end in `strings`, and its path in `paths`.
    ends: Column<[u32; 4]>,
    /// Per article: its date as days from the common era's start ([`NO_DATE`]: none).
    dates: Column<i32>,
    /// Per article: when it was published, as seconds from 1970 and the offset it was written
    /// with in seconds ([`NO_TIME`]: none).
    times: Column<[i64; 2]>,
    /// Per article: its masthead's number in `sources`.
    source: Column<u32>,
    /// Every masthead, once.
    sources: Vec<Box<str>>,
}

/// The day number of an undated article.
const NO_DATE: i32 = i32::MIN;
/// The time of an article that gives only its day.
const NO_TIME: [i64; 2] = [i64::MIN, 0];

impl Heads {
    /// The headers of `articles`, in that order.
    pub fn of<'a>(articles: impl ExactSizeIterator<Item = Head<'a>>) -> Heads {
        let mut heads = Heads::with_capacity(articles.len());
        for head in articles {
            heads.push(head);
        }
        heads.done()
    }

    /// Room for `count` headers, to [`Heads::push`] one by one.
    pub fn with_capacity(count: usize) -> Heads {
        Heads {
            ends: Vec::with_capacity(count).into(),
            dates: Vec::with_capacity(count).into(),
            times: Vec::with_capacity(count).into(),
            source: Vec::with_capacity(count).into(),
            ..Heads::default()
        }
    }

    /// Done pushing: lets go of the room left over.
    pub fn done(mut self) -> Heads {
        self.strings.to_mut().shrink_to_fit();
        self.paths.to_mut().shrink_to_fit();
        self.ends.to_mut().shrink_to_fit();
        self
    }

    /// Adds a header after the others.
    pub fn push(&mut self, head: Head) {
        let strings = self.strings.to_mut();
        strings.extend_from_slice(head.id.as_bytes());
        let id_end = strings.len() as u32;
        strings.extend_from_slice(head.headline.as_bytes());
        let headline_end = strings.len() as u32;
        strings.extend_from_slice(head.link.as_bytes());
        let link_end = strings.len() as u32;
        let paths = self.paths.to_mut();
        paths.extend_from_slice(&path_bytes(head.path));
        let path_end = paths.len() as u32;
        self.ends
            .to_mut()
            .push([id_end, headline_end, link_end, path_end]);
        self.dates
            .to_mut()
            .push(head.date.map_or(NO_DATE, |d| d.num_days_from_ce()));
        self.times.to_mut().push(head.time.map_or(NO_TIME, |t| {
            [t.timestamp(), i64::from(t.offset().local_minus_utc())]
        }));
        let source = match self.sources.iter().position(|s| **s == *head.source) {
            Some(n) => n,
            None => {
                self.sources.push(head.source.into());
                self.sources.len() - 1
            }
        };
        self.source.to_mut().push(source as u32);
    }

    /// These headers in `order` (`order[k]`: the place here of the `k`th), the `k`th given
    /// the id `ids[k]`: copied as they are stored, with no header taken apart and put back.
    pub fn reordered(&self, order: &[usize], ids: &[impl AsRef<str>]) -> Heads {
        let mut heads = Heads::with_capacity(order.len());
        heads.sources = self.sources.clone();
        let (strings, paths) = (heads.strings.to_mut(), heads.paths.to_mut());
        strings.reserve(self.strings.len());
        paths.reserve(self.paths.len());
        let (ends, dates, times, source) = (
            heads.ends.to_mut(),
            heads.dates.to_mut(),
            heads.times.to_mut(),
            heads.source.to_mut(),
        );
        for (&i, id) in order.iter().zip(ids) {
            // Every place is one of these headers'; were one not, it would come out empty
            // rather than shift the others off their ids.
            let [old_id_end, headline_end, link_end, path_end] =
                self.ends.get(i).copied().unwrap_or_default();
            let path_start = self.starts(i).1;
            let rest = (self.strings)
                .get(old_id_end as usize..link_end as usize)
                .unwrap_or_default();
            let path = (self.paths)
                .get(path_start..path_end as usize)
                .unwrap_or_default();
            let headline_len = headline_end
                .saturating_sub(old_id_end)
                .min(rest.len() as u32);
            let link_len = rest.len() as u32 - headline_len;
            strings.extend_from_slice(id.as_ref().as_bytes());
            let id_end = strings.len() as u32;
            strings.extend_from_slice(rest);
            paths.extend_from_slice(path);
            ends.push([
                id_end,
                id_end + headline_len,
                id_end + headline_len + link_len,
                paths.len() as u32,
            ]);
            dates.push(self.dates.get(i).copied().unwrap_or(NO_DATE));
            times.push(self.times.get(i).copied().unwrap_or(NO_TIME));
            source.push(self.source.get(i).copied().unwrap_or_default());
        }
        heads
    }

    /// Adds `other`'s headers after these, copied as they are stored.
    pub fn append(&mut self, other: &Heads) {
        let sources: Vec<u32> = (other.sources.iter())
            .map(|s| match self.sources.iter().position(|t| t == s) {
                Some(n) => n as u32,
                None => {
                    self.sources.push(s.clone());
                    self.sources.len() as u32 - 1
                }
            })
            .collect();
        let (strings, paths) = (self.strings.len() as u32, self.paths.len() as u32);
        self.strings.to_mut().extend_from_slice(&other.strings);
        self.paths.to_mut().extend_from_slice(&other.paths);
        (self.ends.to_mut()).extend(
            other
                .ends
                .iter()
                .map(|&[i, h, l, p]| [i + strings, h + strings, l + strings, p + paths]),
        );
        self.dates.to_mut().extend_from_slice(&other.dates);
        self.times.to_mut().extend_from_slice(&other.times);
        (self.source.to_mut()).extend(
            other
                .source
                .iter()
                .map(|&s| sources.get(s as usize).copied().unwrap_or(0)),
        );
    }

    /// Writes the headers for [`Heads::read`] (the headers cache).
    pub fn write(&self, out: &mut Out) {
        out.bytes(&self.strings);
        out.bytes(&self.paths);
        out.array(&self.ends);
        out.array(&self.dates);
        out.array(&self.times);
        out.array(&self.source);
        out.u64(self.sources.len() as u64);
        for source in &self.sources {
            out.bytes(source.as_bytes());
        }
    }

    /// Headers written by [`Heads::write`], read in place; `None` unless every article has
    /// its ends, date and masthead, and the last ends where the strings do.
    pub fn read(r: &mut In) -> Option<Heads> {
        let heads = Heads {
            strings: r.bytes_column()?,
            paths: r.bytes_column()?,
            ends: r.array()?,
            dates: r.array()?,
            times: r.array()?,
            source: r.array()?,
            sources: (0..r.u64()?)
                .map(|_| Some(std::str::from_utf8(r.bytes()?).ok()?.into()))
                .collect::<Option<_>>()?,
        };
        let count = heads.ends.len();
        let last = heads.ends.last().copied().unwrap_or_default();
        let holds = heads.dates.len() == count
            && heads.times.len() == count
            && heads.source.len() == count
            && last[2] as usize == heads.strings.len()
            && last[3] as usize == heads.paths.len();
        holds.then_some(heads)
    }

    /// `range` of the strings, if it is whole UTF-8 within them.
    fn text(&self, range: std::ops::Range<usize>) -> Option<&str> {
        std::str::from_utf8(self.strings.get(range)?).ok()
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Where article `i`'s strings start: its id in `strings`, its path in `paths`.
    fn starts(&self, i: usize) -> (usize, usize) {
        i.checked_sub(1)
            .and_then(|p| self.ends.get(p))
            .map_or((0, 0), |e| (e[2] as usize, e[3] as usize))
    }

    /// Article `i`'s header.
    pub fn get(&self, i: usize) -> Option<Head<'_>> {
        let [id_end, headline_end, link_end, path_end] = self.ends.get(i)?.map(|e| e as usize);
        let (start, path_start) = self.starts(i);
        Some(Head {
            id: self.text(start..id_end)?,
            path: path_from(self.paths.get(path_start..path_end)?),
            source: self
                .source
                .get(i)
                .and_then(|&s| self.sources.get(s as usize))
                .map_or("", |s| s),
            date: self.date(i),
            time: self.time(i),
            headline: self.text(id_end..headline_end)?,
            link: self.text(headline_end..link_end)?,
        })
    }

    /// Article `i`'s date, if it has one: for a page with a time, the day that time falls on
    /// in the local time zone now (a cache written under another `TZ` still shows this one's).
    pub fn date(&self, i: usize) -> Option<NaiveDate> {
        if let Some(time) = self.time(i) {
            return Some(crate::text::local_day(time));
        }
        let day = *self.dates.get(i)?;
        if day == NO_DATE {
            return None;
        }
        NaiveDate::from_num_days_from_ce_opt(day)
    }

    /// When article `i` was published, if its page says.
    pub fn time(&self, i: usize) -> Option<DateTime<FixedOffset>> {
        let [seconds, offset] = *self.times.get(i)?;
        if seconds == NO_TIME[0] {
            return None;
        }
        let offset = FixedOffset::east_opt(i32::try_from(offset).ok()?)?;
        Some(DateTime::from_timestamp(seconds, 0)?.with_timezone(&offset))
    }

    /// Article `i`'s id (empty if there is no article `i`).
    pub fn id(&self, i: usize) -> &str {
        let Some(&[id_end, ..]) = self.ends.get(i) else {
            return "";
        };
        self.text(self.starts(i).0..id_end as usize)
            .unwrap_or_default()
    }

    /// Article `i`'s headline (empty if there is no article `i`).
    pub fn headline(&self, i: usize) -> &str {
        let Some(&[id_end, headline_end, ..]) = self.ends.get(i) else {
            return "";
        };
        self.text(id_end as usize..headline_end as usize)
            .unwrap_or_default()
    }

    /// Every header, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Head<'_>> {
        (0..self.len()).map(|i| self.get(i).unwrap_or_default())
    }

    /// Bytes the headers take in memory, roughly.
    pub fn heap_bytes(&self) -> usize {
        self.strings.heap_bytes()
            + self.paths.heap_bytes()
            + self.ends.heap_bytes()
            + self.dates.heap_bytes()
            + self.times.heap_bytes()
            + self.source.heap_bytes()
            + self.sources.iter().map(|s| s.len() + 16).sum::<usize>()
    }
}

impl Default for Head<'_> {
    fn default() -> Self {
        Head {
            id: "",
            path: Path::new(""),
            source: "",
            date: None,
            time: None,
            headline: "",
            link: "",
        }
    }
}

impl<'a> IntoIterator for &'a Heads {
    type Item = Head<'a>;
    type IntoIter = Box<dyn Iterator<Item = Head<'a>> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(path.as_os_str().as_bytes())
}

#[cfg(unix)]
fn path_from(bytes: &[u8]) -> &Path {
    use std::os::unix::ffi::OsStrExt;
    Path::new(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> std::borrow::Cow<'_, [u8]> {
    match path.to_string_lossy() {
        std::borrow::Cow::Borrowed(s) => std::borrow::Cow::Borrowed(s.as_bytes()),
        std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(s.into_bytes()),
    }
}

#[cfg(not(unix))]
fn path_from(bytes: &[u8]) -> &Path {
    Path::new(std::str::from_utf8(bytes).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_come_back_as_they_went_in() {
        let day = NaiveDate::from_ymd_opt(2025, 10, 22);
        let articles = [
            Head {
                id: "summit-ends",
                path: Path::new("a/summit.txt"),
                source: "London Daily",
                date: day,
                time: chrono::DateTime::parse_from_rfc3339("2025-10-22T12:00:00+00:00").ok(),
                headline: "Summit ends",
                link: "https://example.org/summit",
            },
            Head {
                id: "article",
                path: Path::new(""),
                source: "",
                date: None,
                time: None,
                headline: "",
                link: "",
            },
            Head {
                id: "rates-held",
                path: Path::new("b/rates é.txt"),
                source: "London Daily",
                date: None,
                time: None,
                headline: "Rates held — again",
                link: "",
            },
        ];
        let heads = Heads::of(articles.iter().copied());
        assert_eq!(heads.iter().collect::<Vec<_>>(), articles);
        assert_eq!(heads.id(2), "rates-held");
        assert_eq!(heads.headline(0), "Summit ends");
        assert_eq!(heads.sources.len(), 2, "each masthead is kept once");
        assert_eq!(heads.get(3), None);
        assert_eq!(heads.id(3), "");
        let first = heads.get(0).unwrap();
        assert_eq!(first.byline("%Y-%m-%d"), "2025-10-22 · London Daily");
        assert_eq!(heads.get(1).unwrap().byline("%Y-%m-%d"), "Undated");
    }

    fn sample(n: usize, source: &'static str) -> Vec<(String, String, String)> {
        (0..n)
            .map(|i| {
                (
                    format!("id-{i}-{source}"),
                    format!("Héadline {i}"),
                    format!("p/{source}{i}.txt"),
                )
            })
            .collect()
    }

    fn heads_of(rows: &[(String, String, String)], source: &str) -> Vec<Head<'static>> {
        rows.iter()
            .map(|(id, headline, path)| Head {
                id: id.clone().leak(),
                path: Path::new(path.clone().leak()),
                source: source.to_string().leak(),
                date: NaiveDate::from_ymd_opt(2025, 1, 1 + headline.len() as u32 % 28),
                time: None,
                headline: headline.clone().leak(),
                link: if id.len() % 2 == 0 {
                    "https://x.org/a"
                } else {
                    ""
                },
            })
            .collect()
    }

    #[test]
    fn headers_appended_and_reordered_are_the_ones_pushed_in_that_order() {
        let (a, b) = (sample(5, "Daily"), sample(4, "Courier"));
        let (a, b) = (heads_of(&a, "Daily"), heads_of(&b, "Courier"));
        let mut all = Heads::of(a.iter().copied());
        all.append(&Heads::of(b.iter().copied()));
        let pushed: Vec<Head> = a.iter().chain(&b).copied().collect();
        assert_eq!(all.iter().collect::<Vec<_>>(), pushed);
        assert_eq!(all.sources.len(), 2, "each masthead still kept once");

        let order = [8, 0, 3, 7, 1, 2, 6, 5, 4];
        let ids: Vec<String> = (0..order.len()).map(|k| format!("new-{k}")).collect();
        let reordered = all.reordered(&order, &ids);
        let expected: Vec<Head> = order
            .iter()
            .zip(&ids)
            .map(|(&i, id)| Head {
                id: id.as_str(),
                ..pushed[i]
            })
            .collect();
        assert_eq!(reordered.iter().collect::<Vec<_>>(), expected);
    }
}
