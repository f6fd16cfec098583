//! Dates and instants as the domain sees them. No clock is read here:
//! callers pass `now` (milliseconds since the Unix epoch) or `today`.

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

use crate::DomainError;

/// China has one time zone and no daylight saving: UTC+8.
const CHINA_OFFSET_MS: i64 = 8 * 3600 * 1000;
const DAY_MS: i64 = 24 * 3600 * 1000;

/// A calendar day, stored in documents as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Day(pub NaiveDate);

impl Day {
    pub fn ymd(year: i32, month: u32, day: u32) -> Result<Day, DomainError> {
        NaiveDate::from_ymd_opt(year, month, day)
            .map(Day)
            .ok_or_else(|| DomainError::BadDate(format!("{year}-{month}-{day}")))
    }

    pub fn parse(s: &str) -> Result<Day, DomainError> {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map(Day).map_err(|_| DomainError::BadDate(s.to_string()))
    }

    /// The day in China of an instant given as milliseconds since the epoch.
    pub fn of_instant(ms: i64) -> Day {
        let days = ms.saturating_add(CHINA_OFFSET_MS).div_euclid(DAY_MS);
        // 719_163 days separate 0001-01-01 (CE day 1) from 1970-01-01.
        let ce = i32::try_from(days + 719_163).unwrap_or(i32::MAX);
        Day(NaiveDate::from_num_days_from_ce_opt(ce).unwrap_or(NaiveDate::MAX))
    }

    /// Midnight at the start of this day in China, in ms since the epoch.
    pub fn start_instant(self) -> i64 {
        let days = i64::from(self.0.num_days_from_ce()) - 719_163;
        days * DAY_MS - CHINA_OFFSET_MS
    }

    pub fn next(self) -> Day {
        Day(self.0.succ_opt().unwrap_or(self.0))
    }

    pub fn plus_days(self, days: i64) -> Day {
        Day(self.0.checked_add_signed(Duration::days(days)).unwrap_or(self.0))
    }

    pub fn weekday(self) -> Weekday {
        self.0.weekday()
    }

    pub fn is_weekend(self) -> bool {
        matches!(self.weekday(), Weekday::Sat | Weekday::Sun)
    }

    pub fn year(self) -> i32 {
        self.0.year()
    }

    pub fn month(self) -> u32 {
        self.0.month()
    }

    /// The day of the month, from 1.
    pub fn day(self) -> u32 {
        self.0.day()
    }
}

/// The hour (0–23) of an instant in China time.
pub fn china_hour(ms: i64) -> u8 {
    let day = Day::of_instant(ms);
    u8::try_from((ms - day.start_instant()).clamp(0, DAY_MS - 1) / 3_600_000).unwrap_or(0)
}

/// An instant as W3C/RFC 3339 date-time in China time, e.g.
/// `2026-11-20T09:00:00+08:00` (what Open311 clients read).
pub fn china_datetime(ms: i64) -> String {
    let day = Day::of_instant(ms);
    let seconds = (ms - day.start_instant()).clamp(0, DAY_MS - 1) / 1000;
    format!("{day}T{:02}:{:02}:{:02}+08:00", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

/// Reads a date-time a client sent: RFC 3339 with an offset (or `Z`), or a
/// bare `YYYY-MM-DD` meaning midnight in China. Milliseconds since the epoch.
pub fn parse_datetime(text: &str) -> Result<i64, DomainError> {
    let text = text.trim();
    if let Ok(day) = Day::parse(text)
        && text.len() == 10
    {
        return Ok(day.start_instant());
    }
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.timestamp_millis())
        .map_err(|_| DomainError::BadDate(text.to_string()))
}

/// The first and last day of `month` (`YYYY-MM`), if it names a month.
pub fn month_span(month: &str) -> Option<(Day, Day)> {
    let (year, number) = month.split_once('-')?;
    let (year, number): (i32, u32) = (year.parse().ok()?, number.parse().ok()?);
    let first = Day::ymd(year, number, 1).ok()?;
    let next = if number == 12 { Day::ymd(year + 1, 1, 1) } else { Day::ymd(year, number + 1, 1) };
    Some((first, next.ok()?.plus_days(-1))).filter(|_| month.len() == 7)
}

/// The month before the one `day` is in, as `YYYY-MM`.
pub fn previous_month(day: Day) -> String {
    let last = Day::ymd(day.year(), day.month(), 1).unwrap_or(day).plus_days(-1);
    format!("{:04}-{:02}", last.year(), last.month())
}

/// The months from `first` to `last` (both `YYYY-MM`), in order; none
/// when `first` is after `last` or either does not parse.
pub fn months_between(first: &str, last: &str) -> Vec<String> {
    let (Some((start, _)), Some((end, _))) = (month_span(first), month_span(last)) else { return Vec::new() };
    let mut months = Vec::new();
    let mut day = start;
    while day <= end {
        months.push(format!("{:04}-{:02}", day.year(), day.month()));
        // The first of the next month.
        day = Day::ymd(day.year(), day.month(), 28).unwrap_or(day).plus_days(4);
        day = Day::ymd(day.year(), day.month(), 1).unwrap_or(day);
    }
    months
}

/// The first and last day of a quarter written `YYYY-Qn`.
pub fn quarter_span(quarter: &str) -> Option<(Day, Day)> {
    let (year, q) = quarter.split_once("-Q")?;
    let (year, q): (i32, u32) = (year.parse().ok()?, q.parse().ok()?);
    if !(1..=4).contains(&q) || year.to_string().len() != 4 {
        return None;
    }
    let first = Day::ymd(year, q * 3 - 2, 1).ok()?;
    let next = if q == 4 { Day::ymd(year + 1, 1, 1) } else { Day::ymd(year, q * 3 + 1, 1) };
    Some((first, next.ok()?.plus_days(-1)))
}

/// The quarter `day` is in, as `YYYY-Qn`.
pub fn quarter_of(day: Day) -> String {
    format!("{}-Q{}", day.year(), (day.month() - 1) / 3 + 1)
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Reconcile for Day {
    type Key<'a> = autosurgeon::reconcile::NoKey;
    fn reconcile<R: Reconciler>(&self, reconciler: R) -> Result<(), R::Error> {
        self.to_string().reconcile(reconciler)
    }
}

impl Hydrate for Day {
    fn hydrate_string(s: &'_ str) -> Result<Self, HydrateError> {
        Day::parse(s).map_err(|_| HydrateError::unexpected("a YYYY-MM-DD date", s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_run_across_years_in_order() {
        assert_eq!(months_between("2026-11", "2027-02"), ["2026-11", "2026-12", "2027-01", "2027-02"]);
        assert_eq!(months_between("2026-12", "2026-12"), ["2026-12"]);
        assert!(months_between("2027-01", "2026-12").is_empty() && months_between("x", "2026-12").is_empty());
    }

    #[test]
    fn instant_maps_to_china_day() {
        // 2026-02-13T16:30:00Z is 2026-02-14 00:30 in China.
        let ms = 1_771_000_200_000;
        assert_eq!(Day::of_instant(ms).to_string(), "2026-02-14");
        let d = Day::parse("2026-02-14").unwrap();
        assert_eq!(Day::of_instant(d.start_instant()), d);
        assert_eq!(Day::of_instant(d.start_instant() - 1), Day::parse("2026-02-13").unwrap());
    }

    #[test]
    fn datetimes_read_and_write_in_china_time() {
        let ms = parse_datetime("2026-11-20T01:30:05Z").unwrap();
        assert_eq!(china_datetime(ms), "2026-11-20T09:30:05+08:00");
        assert_eq!(parse_datetime("2026-11-20T09:30:05+08:00").unwrap(), ms);
        assert_eq!(parse_datetime("2026-11-20").unwrap(), Day::parse("2026-11-20").unwrap().start_instant());
        for bad in ["2026-11-31", "20 Nov 2026", "2026-11-20T25:00:00Z", "2026-11-20 09:00", ""] {
            assert!(parse_datetime(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn quarters() {
        let (first, last) = quarter_span("2026-Q4").unwrap();
        assert_eq!((first.to_string(), last.to_string()), ("2026-10-01".into(), "2026-12-31".into()));
        assert_eq!(quarter_span("2026-Q1").unwrap().1.to_string(), "2026-03-31");
        assert_eq!(quarter_of(Day::parse("2026-11-27").unwrap()), "2026-Q4");
        for bad in ["2026-Q5", "2026-Q0", "26-Q1", "2026Q1", "2026-Q"] {
            assert!(quarter_span(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn rejects_bad_dates() {
        assert!(Day::parse("2026-02-30").is_err());
        assert!(Day::ymd(2026, 13, 1).is_err());
    }
}
