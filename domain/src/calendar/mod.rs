//! The working-day calendar: weekends, public holidays and make-up workdays
//! (调休). It is data (see `data/calendar-cn.txt`), so an admin can add the
//! next year when the State Council publishes it. A year not published yet
//! is provisional: its statutory holidays are computed ([`statutory`]).

pub mod statutory;

use std::collections::{BTreeMap, BTreeSet};

use crate::time::Day;
use crate::{DomainError, Label};
use chrono::{Datelike, Weekday};

/// The calendar shipped with the product: China, 2025 and 2026.
pub const CHINA_2025_2026: &str = include_str!("../../data/calendar-cn.txt");

/// How long before the confirmed calendar ends officials are warned.
pub const ENDING_SOON_DAYS: i64 = 60;

/// Said beside a deadline that falls in a provisional year.
pub const PROVISIONAL: Label = Label::new("暂定", "provisional");

/// Longest stretch of consecutive days off we will walk over; a longer one
/// means broken data, and walking on would loop for a very long time.
const MAX_DAYS_OFF_IN_A_ROW: u32 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    Off,
    Work,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    pub kind: DayKind,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    exceptions: BTreeMap<Day, Exception>,
    /// Years with published dates (confirmed); other years are provisional.
    listed_years: BTreeSet<i32>,
    /// The statutory days off of the provisional years the festival table
    /// covers; beyond it, the fixed-date ones ([`fixed_holiday`]).
    provisional: BTreeMap<Day, Exception>,
}

/// Statutory holidays on fixed solar dates (全国年节及纪念日放假办法):
/// New Year's Day, 1–2 May, 1–3 October: all that is known of a year the
/// festival table does not cover.
fn fixed_holiday(day: Day) -> bool {
    matches!((day.month(), day.0.day()), (1, 1) | (5, 1..=2) | (10, 1..=3))
}

impl WorkCalendar {
    /// The calendar shipped with the product (see also
    /// [`crate::policy::Policy::shipped`]).
    pub fn china() -> Result<WorkCalendar, DomainError> {
        WorkCalendar::parse(CHINA_2025_2026)
    }

    pub fn parse(text: &str) -> Result<WorkCalendar, DomainError> {
        let mut exceptions = BTreeMap::new();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |reason: &str| DomainError::CalendarLine { line: index + 1, reason: reason.to_string() };
            let mut parts = line.split_whitespace();
            let span = parts.next().ok_or_else(|| bad("missing date"))?;
            let kind = match parts.next() {
                Some("off") => DayKind::Off,
                Some("work") => DayKind::Work,
                _ => return Err(bad("expected 'off' or 'work' after the date")),
            };
            let name = parts.collect::<Vec<_>>().join(" ");
            let (first, last) = match span.split_once("..") {
                Some((a, b)) => (Day::parse(a), Day::parse(b)),
                None => (Day::parse(span), Day::parse(span)),
            };
            let (first, last) = (first.map_err(|e| bad(&e.to_string()))?, last.map_err(|e| bad(&e.to_string()))?);
            if last < first || last.0.signed_duration_since(first.0).num_days() > 31 {
                return Err(bad("the range must run forwards and span at most a month"));
            }
            let mut day = first;
            while day <= last {
                if kind == DayKind::Work && !day.is_weekend() {
                    return Err(bad("a make-up workday must fall on a weekend"));
                }
                let entry = Exception { kind, name: name.clone() };
                if exceptions.insert(day, entry).is_some() {
                    return Err(bad("this day is listed twice"));
                }
                day = day.next();
            }
        }
        let listed_years: BTreeSet<i32> = exceptions.keys().map(|d: &Day| d.year()).collect();
        let mut provisional = BTreeMap::new();
        for (year, festivals) in statutory::parse_festivals(statutory::LUNAR_FESTIVALS)? {
            if !listed_years.contains(&year) {
                provisional.extend(statutory::holidays(year, &festivals)?);
            }
        }
        Ok(WorkCalendar { exceptions, listed_years, provisional })
    }

    /// What makes `day` a day off or a make-up workday, if anything does.
    pub fn exception(&self, day: Day) -> Option<&Exception> {
        self.exceptions.get(&day).or_else(|| self.provisional.get(&day))
    }

    /// The days off and make-up workdays of `year`, in order: the official
    /// arrangement of a confirmed year, the statutory holidays of another.
    pub fn days_of(&self, year: i32) -> Vec<(Day, &Exception)> {
        let source = if self.listed_years.contains(&year) { &self.exceptions } else { &self.provisional };
        source.iter().filter(|(d, _)| d.year() == year).map(|(d, e)| (*d, e)).collect()
    }

    /// Whether `day`'s year is not published yet: counted by the statutory
    /// rules, without the make-up workdays the official arrangement adds.
    pub fn is_provisional(&self, day: Day) -> bool {
        !self.listed_years.contains(&day.year())
    }

    /// The years whose official arrangement the calendar holds.
    pub fn confirmed_years(&self) -> impl Iterator<Item = i32> + '_ {
        self.listed_years.iter().copied()
    }

    /// The last year whose official arrangement the calendar holds.
    pub fn confirmed_through(&self) -> Option<i32> {
        self.listed_years.last().copied()
    }

    /// The last confirmed day, when it is at most [`ENDING_SOON_DAYS`]
    /// after `today` (or already past): officials are warned, so an admin
    /// imports the next year before deadlines run into it.
    pub fn confirmed_ends_soon(&self, today: Day) -> Option<Day> {
        let last = Day::ymd(self.confirmed_through()?, 12, 31).ok()?;
        (last.0.signed_duration_since(today.0).num_days() <= ENDING_SOON_DAYS).then_some(last)
    }

    pub fn is_working_day(&self, day: Day) -> bool {
        match self.exception(day) {
            Some(e) => e.kind == DayKind::Work,
            None if self.is_provisional(day) && fixed_holiday(day) => false,
            None => !day.is_weekend(),
        }
    }

    /// The first working day on or after `day`.
    pub fn on_or_after(&self, day: Day) -> Day {
        let mut d = day;
        for _ in 0..MAX_DAYS_OFF_IN_A_ROW {
            if self.is_working_day(d) {
                return d;
            }
            d = d.next();
        }
        d
    }

    /// `day` plus `n` working days, counted from the day after
    /// (2026-02-13 + 1 = 2026-02-14, a make-up Saturday).
    pub fn add_working_days(&self, day: Day, n: u32) -> Day {
        let mut d = day;
        for _ in 0..n {
            d = self.on_or_after(d.next());
        }
        d
    }

    /// Working days in (from, to]; negative when `to` is before `from`.
    /// `working_days_between(d, add_working_days(d, n)) == n`.
    pub fn working_days_between(&self, from: Day, to: Day) -> i64 {
        let (lo, hi, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        let mut count = 0;
        let mut d = lo.next();
        while d <= hi {
            if self.is_working_day(d) {
                count += 1;
            }
            d = d.next();
        }
        sign * count
    }

    /// The monthly on-site session: the first Friday of the month, moved to
    /// the next working day when that Friday is a day off (2026-01-02 → 01-04, a make-up Sunday).
    pub fn monthly_session_day(&self, year: i32, month: u32) -> Result<Day, DomainError> {
        let first = Day::ymd(year, month, 1)?;
        let mut friday = first;
        while friday.weekday() != Weekday::Fri {
            friday = friday.next();
        }
        Ok(self.on_or_after(friday))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn shipped_calendar_parses() {
        let cal = WorkCalendar::parse(CHINA_2025_2026).unwrap();
        assert_eq!(cal.exception(d("2026-02-15")).map(|e| e.name.as_str()), Some("春节"));
    }

    #[test]
    fn official_checks_pass() {
        let cal = WorkCalendar::china().unwrap();
        assert_eq!(cal.add_working_days(d("2026-02-13"), 1), d("2026-02-14"));
        assert_eq!(cal.add_working_days(d("2026-02-14"), 1), d("2026-02-24"));
        assert_eq!(cal.add_working_days(d("2025-09-30"), 1), d("2025-10-09"));
    }

    #[test]
    fn weekends_and_holidays() {
        let cal = WorkCalendar::china().unwrap();
        assert!(!cal.is_working_day(d("2026-11-28")), "Saturday");
        assert!(cal.is_working_day(d("2026-11-27")), "Friday");
        assert!(!cal.is_working_day(d("2026-10-05")), "National Day");
        assert!(cal.is_working_day(d("2026-10-10")), "make-up Saturday");
        assert!(cal.is_working_day(d("2027-03-01")), "unlisted years follow the week");
        assert!(!cal.is_working_day(d("2027-01-01")), "but keep the statutory holidays");
        assert!(!cal.is_working_day(d("2027-10-01")));
        assert!(!cal.is_working_day(d("2027-02-08")), "the Spring Festival of a provisional year");
        assert!(!cal.is_working_day(d("2051-10-01")), "beyond the festival table, the fixed-date ones");
        assert!(cal.is_provisional(d("2027-02-08")) && !cal.is_provisional(d("2026-12-31")));
        assert_eq!(cal.confirmed_through(), Some(2026));
        assert_eq!(cal.confirmed_ends_soon(d("2026-10-31")), None, "61 days before");
        assert_eq!(cal.confirmed_ends_soon(d("2026-11-01")), Some(d("2026-12-31")), "60 days before");
        assert_eq!(cal.confirmed_ends_soon(d("2027-01-05")), Some(d("2026-12-31")), "and after");
        assert_eq!(cal.monthly_session_day(2027, 1).unwrap(), d("2027-01-04"));
        let provisional: Vec<Day> = cal.days_of(2027).into_iter().map(|(day, _)| day).collect();
        assert!(provisional.contains(&d("2027-02-06")) && provisional.iter().all(|day| day.year() == 2027));
        assert!(cal.days_of(2026).iter().any(|(day, e)| *day == d("2026-10-10") && e.kind == DayKind::Work));
    }

    #[test]
    fn monthly_session_moves_off_holidays() {
        let cal = WorkCalendar::china().unwrap();
        // 2026-01-04 is a make-up Sunday: the first working day after the holiday.
        assert_eq!(cal.monthly_session_day(2026, 1).unwrap(), d("2026-01-04"));
        assert_eq!(cal.monthly_session_day(2026, 5).unwrap(), d("2026-05-06"));
        assert_eq!(cal.monthly_session_day(2026, 10).unwrap(), d("2026-10-08"));
        assert_eq!(cal.monthly_session_day(2026, 12).unwrap(), d("2026-12-04"));
    }

    #[test]
    fn counting_backwards_is_negative() {
        let cal = WorkCalendar::china().unwrap();
        assert_eq!(cal.working_days_between(d("2026-11-27"), d("2026-11-23")), -4);
        assert_eq!(cal.working_days_between(d("2026-11-23"), d("2026-11-23")), 0);
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let err = WorkCalendar::parse("# x\n2026-01-01 off a\n2026-01-02 holiday\n").unwrap_err();
        assert!(matches!(err, DomainError::CalendarLine { line: 3, .. }), "{err}");
        assert!(WorkCalendar::parse("2026-11-25 work x").is_err(), "work on a Wednesday");
        assert!(WorkCalendar::parse("2026-01-01 off a\n2026-01-01 off b").is_err());
        assert!(WorkCalendar::parse("2026-02-01..2026-01-01 off a").is_err());
    }

    fn any_day() -> impl Strategy<Value = Day> {
        (0i64..(3 * 366)).prop_map(|n| d("2024-12-01").plus_days(n))
    }

    proptest! {
        #[test]
        fn add_then_count_gives_back_n(start in any_day(), n in 0u32..80) {
            let cal = WorkCalendar::china().unwrap();
            let end = cal.add_working_days(start, n);
            prop_assert_eq!(cal.working_days_between(start, end), i64::from(n));
            prop_assert!(n == 0 || cal.is_working_day(end));
        }

        #[test]
        fn counting_is_additive(a in any_day(), b in any_day(), c in any_day()) {
            let cal = WorkCalendar::china().unwrap();
            prop_assert_eq!(
                cal.working_days_between(a, b) + cal.working_days_between(b, c),
                cal.working_days_between(a, c)
            );
        }
    }
}
