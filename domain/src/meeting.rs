//! On-site sessions (现场活动). A session is known by its id, which holds
//! everything about it, so every device knows a session offline from the
//! id alone and no session record has to be synced before a case can join:
//!
//! * the monthly session of a district follows from the working-day
//!   calendar (first Friday, moved off days off): `<district>-<YYYY-MM-DD>`;
//! * a themed or cross-district session (专场) is made by a coordinator:
//!   `special-<theme>-<YYYY-MM-DD>-<district>.<district>…`.
//!
//! A case joins a session's agenda with a `Schedule` event naming the id;
//! invitations and attendance are events of the case too, so the enterprise
//! sees them on its timeline. Moving a session is scheduling its cases again
//! for a new day (a new id): every enterprise on the agenda is told.

use crate::calendar::WorkCalendar;
use crate::directory::{self, CITY};
use crate::time::Day;
use crate::{DomainError, Label};

const SPECIAL: &str = "special-";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    /// One district for a monthly session; one or more for a special one,
    /// in the order of their codes. `city` includes every district.
    /// Whether the directory knows them is checked where a case names the
    /// session ([`crate::event::EventKind::validate_for`]), by the
    /// directory in force.
    pub districts: Vec<String>,
    /// The theme code of a special session (see [`directory::THEMES`]).
    pub theme: Option<String>,
    pub day: Day,
}

impl Session {
    /// The monthly session of `district` on `day`.
    pub fn new(district: &str, day: Day) -> Session {
        Session { id: format!("{district}-{day}"), districts: vec![district.to_string()], theme: None, day }
    }

    /// A themed or cross-district session (`theme` "cross" has no theme and
    /// needs two districts or more).
    pub fn special(theme: &str, districts: &[String], day: Day) -> Result<Session, DomainError> {
        directory::theme(theme)?;
        districts.iter().try_for_each(|d| district_code(d))?;
        // In code order, each once: one session has one id.
        let mut districts = districts.to_vec();
        districts.sort_unstable();
        districts.dedup();
        if districts.is_empty() {
            return Err(DomainError::Required { field: Label::new("区县", "districts") });
        }
        if theme == "cross" && districts.len() < 2 {
            return Err(DomainError::CrossNeedsDistricts);
        }
        let id = format!("{SPECIAL}{theme}-{day}-{}", districts.join("."));
        Ok(Session { id, districts, theme: Some(theme.to_string()), day })
    }

    /// Reads a session id back into what it says.
    pub fn parse(id: &str) -> Result<Session, DomainError> {
        let bad = || DomainError::UnknownCode { what: Label::new("现场活动", "session"), code: id.to_string() };
        if let Some(rest) = id.strip_prefix(SPECIAL) {
            let (theme, rest) = rest.split_once('-').ok_or_else(bad)?;
            let (day, districts) = rest.split_at_checked(10).ok_or_else(bad)?;
            let day = Day::parse(day).map_err(|_| bad())?;
            let districts: Vec<String> =
                districts.strip_prefix('-').ok_or_else(bad)?.split('.').map(String::from).collect();
            let session = Session::special(theme, &districts, day).map_err(|_| bad())?;
            // Only the canonical spelling names the session.
            return if session.id == id { Ok(session) } else { Err(bad()) };
        }
        let split = id.len().checked_sub(11).ok_or_else(bad)?;
        let (district, rest) = id.split_at_checked(split).ok_or_else(bad)?;
        let day = rest.strip_prefix('-').ok_or_else(bad).and_then(|d| Day::parse(d).map_err(|_| bad()))?;
        district_code(district).map_err(|_| bad())?;
        let session = Session::new(district, day);
        // Only the canonical spelling names the session.
        if session.id == id { Ok(session) } else { Err(bad()) }
    }

    /// Whether a case of `district` may be on this session's agenda.
    pub fn covers(&self, district: &str) -> bool {
        self.districts.iter().any(|d| d == district || d == CITY)
    }

    /// The same session moved to `day`.
    pub fn moved_to(&self, day: Day) -> Result<Session, DomainError> {
        match &self.theme {
            None => Ok(Session::new(&self.districts[0], day)),
            Some(theme) => Session::special(theme, &self.districts, day),
        }
    }
}

/// A district code as the directory spells codes: what a session id may
/// hold (whether the district exists is the directory's business).
fn district_code(code: &str) -> Result<(), DomainError> {
    let ok = code.starts_with(|c: char| c.is_ascii_lowercase())
        && code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok { Ok(()) } else { Err(DomainError::BadCode(code.to_string())) }
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

/// How many monthly sessions ahead are offered.
pub const MONTHLY_AHEAD: usize = 3;

/// The sessions a case of `district` can join from `today` on: the next
/// monthly ones, then the special sessions among `known` (ids seen on the
/// device) that include the district, by day.
pub fn open_to(calendar: &WorkCalendar, district: &str, today: Day, known: &[String]) -> Vec<Session> {
    let mut out = upcoming_monthly(calendar, district, today, MONTHLY_AHEAD);
    let mut special: Vec<Session> = known
        .iter()
        .filter_map(|id| Session::parse(id).ok())
        .filter(|s| s.day >= today && s.covers(district) && !out.contains(s))
        .collect();
    special.sort_by(|a, b| (a.day, &a.id).cmp(&(b.day, &b.id)));
    special.dedup();
    out.extend(special);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        Day::parse(s).unwrap()
    }

    #[test]
    fn ids_round_trip() {
        let s = Session::new("boluo", day("2026-12-04"));
        assert_eq!(s.id, "boluo-2026-12-04");
        assert_eq!(Session::parse(&s.id).unwrap(), s);
        assert!(Session::parse("Mars-2026-12-04").is_err());
        assert!(Session::parse("3-723-7-\u{b}\u{c}\r3").is_err(), "found by fuzzing: a non-canonical day");
        // Whether the district exists is the directory's business.
        let unknown = crate::event::EventKind::Schedule { session: "mars-2026-12-04".into(), day: day("2026-12-04") };
        let directory = crate::directory::Directory::huizhou();
        assert!(matches!(unknown.validate_for("mars", &directory), Err(DomainError::UnknownCode { .. })));
        assert!(Session::parse("boluo-2026-13-04").is_err());
        assert!(Session::parse("x").is_err());
        assert!(Session::parse("").is_err());
    }

    #[test]
    fn special_sessions_are_canonical() {
        let districts = ["huiyang".to_string(), "huicheng".into(), "huicheng".into()];
        let s = Session::special("land", &districts, day("2027-03-14")).unwrap();
        assert_eq!(s.id, "special-land-2027-03-14-huicheng.huiyang");
        assert_eq!(Session::parse(&s.id).unwrap(), s);
        assert!(s.covers("huiyang") && !s.covers("boluo"));
        // Another spelling of the same session is not an id.
        assert!(Session::parse("special-land-2027-03-14-huiyang.huicheng").is_err());
        assert!(Session::parse("special-moon-2027-03-14-huicheng").is_err());
        assert!(Session::parse("special-land-2027-03-14-").is_err());
        assert!(Session::parse("special-land-2027-03-14").is_err());
        assert_eq!(
            Session::special("cross", &["boluo".into()], day("2027-03-14")),
            Err(DomainError::CrossNeedsDistricts)
        );
        assert!(Session::special("land", &[], day("2027-03-14")).is_err());
        assert!(Session::special("land", &["city".into()], day("2027-03-14")).unwrap().covers("longmen"));
        let moved = s.moved_to(day("2027-03-21")).unwrap();
        assert_eq!(moved.id, "special-land-2027-03-21-huicheng.huiyang");
    }

    #[test]
    fn upcoming_sessions_follow_the_calendar() {
        let cal = WorkCalendar::china().unwrap();
        let today = day("2026-12-04");
        let days: Vec<String> =
            upcoming_monthly(&cal, "city", today, 3).into_iter().map(|s| s.day.to_string()).collect();
        // Today's session still counts; January moves off New Year's Day.
        assert_eq!(days[0], "2026-12-04");
        assert_eq!(days.len(), 3);
        let later = upcoming_monthly(&cal, "city", today.next(), 1);
        assert!(later[0].day > today);
    }

    #[test]
    fn a_case_can_join_monthly_and_its_special_sessions() {
        let cal = WorkCalendar::china().unwrap();
        let known = [
            "special-land-2026-12-10-huicheng.huiyang".to_string(),
            "special-land-2026-11-10-huicheng".into(),
            "special-hongkong-2026-12-11-boluo".into(),
            "junk".into(),
        ];
        let ids: Vec<String> = open_to(&cal, "huicheng", day("2026-11-27"), &known).into_iter().map(|s| s.id).collect();
        assert_eq!(ids.len(), 4);
        assert_eq!(ids[3], "special-land-2026-12-10-huicheng.huiyang");
    }
}
