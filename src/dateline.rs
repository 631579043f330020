//! The dateline of a page: `Wednesday, Oct 22, 2025` read into a date (the weekday optional,
//! the month abbreviated or in full), and a weekday that does not match the date said.

use chrono::{Datelike, NaiveDate, Weekday};

/// Reads `Wednesday, Oct 22, 2025` (weekday optional, month abbreviated or in full) into the
/// date and the weekday word as written.
pub fn parse_dateline(line: &str) -> Option<(NaiveDate, Option<String>)> {
    let parts: Vec<&str> = line.split(',').map(str::trim).collect();
    let (weekday, month_day, year) = match parts.as_slice() {
        [w, md, y] => (Some(*w), *md, *y),
        [md, y] => (None, *md, *y),
        _ => return None,
    };
    if let Some(w) = weekday
        && (w.is_empty() || w.len() > 12 || !w.chars().all(char::is_alphabetic))
    {
        return None;
    }
    let (month, day) = month_day.split_once(' ')?;
    let month = month_number(month)?;
    let day: u32 = day.trim().parse().ok()?;
    if year.len() != 4 {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some((date, weekday.map(str::to_string)))
}

fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    let n = MONTHS.iter().position(|m| m.starts_with(&word))?;
    u32::try_from(n + 1).ok()
}

/// What is wrong with the dateline's weekday, if anything: missing, unknown or not the day's.
pub fn weekday_problem(date: NaiveDate, written: Option<&str>) -> Option<String> {
    let actual = date.weekday();
    let Some(written) = written else {
        return Some(format!(
            "the dateline has no weekday ({date} is a {})",
            weekday_name(actual)
        ));
    };
    match written.parse::<Weekday>() {
        Ok(w) if w == actual => None,
        _ => Some(format!(
            "the dateline says {written}, but {date} is a {}: the date is kept",
            weekday_name(actual)
        )),
    }
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}
