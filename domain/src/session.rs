//! On-site sessions (现场活动). The monthly session of each district is
//! not stored anywhere: it follows from the working-day calendar (first
//! Friday, moved off days off), so every device knows it offline. A
//! session's id carries its district and day, and a case joins the agenda
//! with a `Schedule` event naming the id.

use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;
use crate::directory;
use crate::time::Day;
use crate::{DomainError, Label};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// `<district>-<YYYY-MM-DD>`, e.g. `boluo-2026-12-04`.
    pub id: String,
    pub district: String,
    pub day: Day,
}

impl Session {
    pub fn new(district: &str, day: Day) -> Session {
        Session { id: format!("{district}-{day}"), district: district.to_string(), day }
    }

    /// Reads a session id back into its district and day.
    pub fn parse(id: &str) -> Result<Session, DomainError> {
        let bad = || DomainError::UnknownCode { what: Label::new("现场活动", "session"), code: id.to_string() };
        let split = id.len().checked_sub(11).ok_or_else(bad)?;
        let (district, rest) = id.split_at_checked(split).ok_or_else(bad)?;
        let day = rest.strip_prefix('-').ok_or_else(bad).and_then(|d| Day::parse(d).map_err(|_| bad()))?;
        directory::district(district).map_err(|_| bad())?;
        Ok(Session::new(district, day))
    }
}

/// The next `count` monthly sessions of a district, from `today` on.
pub fn upcoming_monthly(calendar: &WorkCalendar, district: &str, today: Day, count: usize) -> Vec<Session> {
    let (mut year, mut month) = (today.year(), today.month());
    let mut out = Vec::with_capacity(count);
    // A year of months is more than any caller asks for; the bound keeps a
    // broken calendar from looping.
    for _ in 0..(count + 12) {
        if out.len() == count {
            break;
        }
        if let Ok(day) = calendar.monthly_session_day(year, month)
            && day >= today
        {
            out.push(Session::new(district, day));
        }
        (year, month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        let s = Session::new("boluo", Day::parse("2026-12-04").unwrap());
        assert_eq!(s.id, "boluo-2026-12-04");
        assert_eq!(Session::parse(&s.id).unwrap(), s);
        assert!(Session::parse("mars-2026-12-04").is_err());
        assert!(Session::parse("boluo-2026-13-04").is_err());
        assert!(Session::parse("x").is_err());
        assert!(Session::parse("").is_err());
    }

    #[test]
    fn upcoming_sessions_follow_the_calendar() {
        let cal = WorkCalendar::china();
        let today = Day::parse("2026-12-04").unwrap();
        let days: Vec<String> =
            upcoming_monthly(&cal, "city", today, 3).into_iter().map(|s| s.day.to_string()).collect();
        // Today's session still counts; January moves off New Year's Day.
        assert_eq!(days[0], "2026-12-04");
        assert_eq!(days.len(), 3);
        let later = upcoming_monthly(&cal, "city", today.next(), 1);
        assert!(later[0].day > today);
    }
}
