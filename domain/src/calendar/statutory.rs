//! The provisional calendar of a year whose official arrangement is not
//! published yet: the statutory holidays of 全国年节及纪念日放假办法 (as
//! amended in 2024) — New Year's Day 1 day, Spring Festival 4 (除夕 and
//! 正月初一 to 初三), Qingming 1, Labour Day 2, Dragon Boat 1, Mid-Autumn 1,
//! National Day 3 — and its rule that a holiday falling on a Saturday or
//! Sunday is made up on a working day (补假; here: the next weekday not
//! already off, which also covers two holidays on one day). The make-up
//! workdays (调休) the State Council adds are not statutory, so a
//! provisional year has none; deadlines in it are marked provisional until
//! an admin imports the official arrangement.

use std::collections::BTreeMap;

use crate::DomainError;
use crate::time::Day;

use super::{DayKind, Exception};

/// The lunar festivals and Qingming by Gregorian date, 2025–2050, checked
/// against the tyme4rs crate (`tests/lunar_festivals.rs`).
pub const LUNAR_FESTIVALS: &str = include_str!("../../data/lunar-festivals.txt");

/// A year's festivals whose Gregorian date moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Festivals {
    /// 正月初一.
    pub spring: Day,
    pub qingming: Day,
    /// 五月初五.
    pub dragon_boat: Day,
    /// 八月十五.
    pub mid_autumn: Day,
}

/// The table's years.
pub fn parse_festivals(text: &str) -> Result<BTreeMap<i32, Festivals>, DomainError> {
    let mut years = BTreeMap::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |reason: String| DomainError::CalendarLine { line: index + 1, reason };
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [year, spring, qingming, dragon_boat, mid_autumn] = fields[..] else {
            return Err(bad("expected a year and four dates".into()));
        };
        let year: i32 = year.parse().map_err(|_| bad(format!("not a year: {year}")))?;
        let day = |s: &str| Day::parse(s).map_err(|e| bad(e.to_string()));
        let festivals = Festivals {
            spring: day(spring)?,
            qingming: day(qingming)?,
            dragon_boat: day(dragon_boat)?,
            mid_autumn: day(mid_autumn)?,
        };
        if [festivals.qingming, festivals.dragon_boat, festivals.mid_autumn].iter().any(|d| d.year() != year) {
            return Err(bad(format!("a date outside {year}")));
        }
        years.insert(year, festivals);
    }
    Ok(years)
}

/// The statutory days off of `year`, made-up days included.
pub fn holidays(year: i32, festivals: &Festivals) -> Result<BTreeMap<Day, Exception>, DomainError> {
    let mut named: Vec<(Day, &'static str)> = vec![(Day::ymd(year, 1, 1)?, "元旦")];
    named.extend((-1..=2).map(|n| (festivals.spring.plus_days(n), "春节")));
    named.push((festivals.qingming, "清明节"));
    named.extend([(Day::ymd(year, 5, 1)?, "劳动节"), (Day::ymd(year, 5, 2)?, "劳动节")]);
    named.push((festivals.dragon_boat, "端午节"));
    named.extend((1..=3).map(|d| Day::ymd(year, 10, d).map(|day| (day, "国庆节"))).collect::<Result<Vec<_>, _>>()?);
    // After National Day: when both fall on one day, Mid-Autumn is made up.
    named.push((festivals.mid_autumn, "中秋节"));
    named.sort_by_key(|(day, _)| *day);
    let mut off = BTreeMap::new();
    let mut owed = Vec::new();
    for (day, name) in named {
        if day.is_weekend() || off.contains_key(&day) {
            owed.push((day, name));
        }
        off.entry(day).or_insert_with(|| Exception { kind: DayKind::Off, name: name.to_string() });
    }
    for (day, name) in owed {
        let mut make_up = day.next();
        while make_up.is_weekend() || off.contains_key(&make_up) {
            make_up = make_up.next();
        }
        off.insert(make_up, Exception { kind: DayKind::Off, name: format!("{name}补假") });
    }
    Ok(off)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::WorkCalendar;

    fn d(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    fn year(y: i32) -> BTreeMap<Day, Exception> {
        let table = parse_festivals(LUNAR_FESTIVALS).unwrap();
        holidays(y, &table[&y]).unwrap()
    }

    fn days_named(off: &BTreeMap<Day, Exception>, name: &str) -> Vec<Day> {
        off.iter().filter(|(_, e)| e.name == name).map(|(d, _)| *d).collect()
    }

    #[test]
    fn the_spring_festival_is_new_years_eve_and_the_first_three_days() {
        for (y, first) in [(2027, "2027-02-06"), (2028, "2028-01-26"), (2029, "2029-02-13"), (2030, "2030-02-03")] {
            let first = d(first);
            let expected: Vec<Day> = (-1..=2).map(|n| first.plus_days(n)).collect();
            assert_eq!(days_named(&year(y), "春节"), expected, "{y}");
        }
    }

    #[test]
    fn every_year_has_the_thirteen_statutory_days() {
        for y in 2027..=2030 {
            let off = year(y);
            let statutory = off.values().filter(|e| !e.name.ends_with("补假")).count();
            let overlapping = usize::from(y == 2028); // Mid-Autumn 2028 is 3 October.
            assert_eq!(statutory + overlapping, 13, "{y}");
            assert_eq!(days_named(&off, "元旦"), [Day::ymd(y, 1, 1).unwrap()]);
            assert_eq!(days_named(&off, "劳动节"), [Day::ymd(y, 5, 1).unwrap(), Day::ymd(y, 5, 2).unwrap()]);
            assert_eq!(days_named(&off, "清明节").len(), 1);
            assert_eq!(days_named(&off, "端午节").len(), 1);
        }
    }

    #[test]
    fn a_holiday_on_a_weekend_or_on_another_holiday_is_made_up_on_the_next_weekday() {
        // 2027: 除夕 Fri 5 Feb, 初一 Sat 6, 初二 Sun 7, 初三 Mon 8: made up Tue 9 and Wed 10.
        let off = year(2027);
        assert_eq!(days_named(&off, "春节补假"), [d("2027-02-09"), d("2027-02-10")]);
        // 2028: National Day 1 Oct is a Sunday, and Mid-Autumn falls on 3 October.
        let off = year(2028);
        assert_eq!(days_named(&off, "国庆节补假"), [d("2028-10-04")]);
        assert_eq!(days_named(&off, "中秋节补假"), [d("2028-10-05")]);
        assert!(off.keys().all(|day| off[day].name.ends_with("补假") || day.year() == 2028));
        assert!(off.iter().filter(|(_, e)| e.name.ends_with("补假")).all(|(day, _)| !day.is_weekend()));
    }

    #[test]
    fn the_published_years_give_at_least_the_statutory_days_off() {
        let published = WorkCalendar::china().unwrap();
        for y in [2025, 2026] {
            for (day, e) in year(y).iter().filter(|(_, e)| !e.name.ends_with("补假")) {
                assert!(!published.is_working_day(*day), "{day:?} {} is off in the published {y}", e.name);
            }
        }
    }

    #[test]
    fn a_broken_table_line_is_reported() {
        assert!(matches!(
            parse_festivals("# x\n2027 2027-02-06 2027-04-05 2027-06-09\n"),
            Err(DomainError::CalendarLine { line: 2, .. })
        ));
        assert!(parse_festivals("2027 2027-02-06 2027-04-05 2027-06-09 2028-09-15").is_err());
    }
}
