//! The policy every deadline and every check is computed by: the city's
//! directory, the working-day calendar, the deadline rules, and how far a
//! device's clock may be off before the server's time counts instead (see
//! [`crate::device_time`]). The city's admins change it ([`PolicyEdit`]);
//! each change is a new version, which the server keeps and serves and
//! devices keep a copy of, so both compute by the same one, also offline.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::calendar::{CHINA_2025_2026, WorkCalendar};
use crate::case::CaseDoc;
use crate::deadline::{RuleBook, RuleOverride, Rules};
use crate::directory::edit::DirectoryEdit;
use crate::directory::{CITY, Directory};
use crate::time::Day;
use crate::{DomainError, Label};

/// How far a device's clock may be off: phones drift by seconds, and a
/// clock set by hand by a minute or two; more than this is a wrong clock.
pub const DEVICE_TIME_TOLERANCE_MS: i64 = 15 * 60_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "PolicyData", into = "PolicyData")]
pub struct Policy {
    /// 1 for a new installation; each edit adds one.
    pub version: u64,
    pub directory: Directory,
    pub rules: RuleBook,
    /// Built from `calendar_years`.
    pub calendar: WorkCalendar,
    /// Each year's official arrangement, as an admin imported it.
    pub calendar_years: BTreeMap<i32, String>,
    /// See [`crate::device_time`]; also how far the app lets the device's
    /// clock differ from the server's before it warns.
    pub device_time_tolerance_ms: i64,
}

/// What is stored and sent: the policy without what is computed from it.
#[derive(Serialize, Deserialize)]
struct PolicyData {
    version: u64,
    directory: Directory,
    rules: RuleBook,
    calendar_years: BTreeMap<i32, String>,
    device_time_tolerance_ms: i64,
}

impl TryFrom<PolicyData> for Policy {
    type Error = DomainError;

    fn try_from(data: PolicyData) -> Result<Policy, DomainError> {
        data.directory.check()?;
        let calendar = WorkCalendar::parse(&data.calendar_years.values().cloned().collect::<Vec<_>>().join("\n"))?;
        Ok(Policy {
            version: data.version,
            directory: data.directory,
            rules: data.rules,
            calendar,
            calendar_years: data.calendar_years,
            device_time_tolerance_ms: data.device_time_tolerance_ms,
        })
    }
}

impl From<Policy> for PolicyData {
    fn from(p: Policy) -> PolicyData {
        PolicyData {
            version: p.version,
            directory: p.directory,
            rules: p.rules,
            calendar_years: p.calendar_years,
            device_time_tolerance_ms: p.device_time_tolerance_ms,
        }
    }
}

/// One change an admin makes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyEdit {
    Directory(DirectoryEdit),
    /// A year's official holiday arrangement, in the calendar file's
    /// format: it confirms a provisional year, or corrects a confirmed one.
    Calendar {
        year: i32,
        text: String,
    },
    /// The rules of a district, a category or both (replacing the line for
    /// the same pair); neither sets the default rules.
    Rules(RuleOverride),
}

fn in_range(field: Label, value: u32, min: u32, max: u32) -> Result<(), DomainError> {
    if (min..=max).contains(&value) { Ok(()) } else { Err(DomainError::OutOfRange { field, min, max }) }
}

impl Rules {
    /// Bounds that keep a typo from making every case red, or none.
    pub fn check(&self) -> Result<(), DomainError> {
        in_range(Label::new("受理分办时限(工作日)", "triage (working days)"), self.triage_working_days, 1, 30)?;
        in_range(Label::new("答复时限(工作日)", "reply (working days)"), self.reply_working_days, 1, 60)?;
        in_range(Label::new("办结时限(工作日)", "resolution (working days)"), self.resolve_working_days, 1, 250)?;
        in_range(
            Label::new("办结时限上限(工作日)", "resolution at most (working days)"),
            self.resolve_max_working_days,
            self.resolve_working_days,
            250,
        )?;
        in_range(Label::new("进度告知间隔(天)", "progress interval (days)"), self.progress_days, 7, 92)?;
        in_range(Label::new("差评回访时限(工作日)", "call-back (working days)"), self.callback_working_days, 1, 10)?;
        in_range(Label::new("整改时限(工作日)", "rectification (working days)"), self.rectify_working_days, 1, 60)
    }
}

/// The lines of `text` (the calendar file's format), each checked to be a
/// day of `year`: what one year's import may hold.
fn year_of_calendar(year: i32, text: &str) -> Result<String, DomainError> {
    let parsed = WorkCalendar::parse(text)?;
    if let Some(other) = parsed.confirmed_years().find(|y| *y != year) {
        let day = text.lines().find(|l| l.trim_start().starts_with(&other.to_string())).unwrap_or_default();
        return Err(DomainError::CalendarYear { year, day: day.trim().to_string() });
    }
    if parsed.confirmed_years().next().is_none() {
        return Err(DomainError::Required { field: Label::new("放假安排", "holiday arrangement") });
    }
    Ok(text.trim().to_string())
}

/// The shipped calendar file, split into its years.
fn shipped_years() -> BTreeMap<i32, String> {
    let mut years: BTreeMap<i32, String> = BTreeMap::new();
    for line in CHINA_2025_2026.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        if let Some(year) = line.get(..4).and_then(|y| y.parse().ok()) {
            let text = years.entry(year).or_default();
            text.push_str(line);
            text.push('\n');
        }
    }
    years
}

impl Policy {
    /// The policy of a new installation: Huizhou's directory, the calendar
    /// shipped with the product and the programme's default rules. A
    /// calendar that does not parse is an error: counting weekends only
    /// would quietly move every deadline over the holidays.
    pub fn shipped() -> Result<Policy, DomainError> {
        let calendar_years = shipped_years();
        Policy::try_from(PolicyData {
            version: 1,
            directory: Directory::huizhou(),
            rules: RuleBook::default(),
            calendar_years,
            device_time_tolerance_ms: DEVICE_TIME_TOLERANCE_MS,
        })
    }

    /// The rules of `case`: its district's and category's, else the default.
    pub fn rules_for(&self, case: &CaseDoc) -> &Rules {
        self.rules.for_case(&case.district, &case.appeal.category)
    }

    /// `next` (a whole policy a city loads, e.g. its own directory) as the
    /// next version, if it keeps every code in force: codes never change
    /// and old cases name them (a unit that is gone is retired instead).
    pub fn replaced_by(&self, next: Policy) -> Result<Policy, DomainError> {
        let (old, new) = (&self.directory, &next.directory);
        let kept = |codes: Vec<&String>, has: &dyn Fn(&str) -> bool| match codes.into_iter().find(|c| !has(c)) {
            Some(gone) => Err(DomainError::CodeRemoved(gone.clone())),
            None => Ok(()),
        };
        kept(old.districts.iter().map(|d| &d.code).collect(), &|c| new.district(c).is_ok())?;
        kept(old.units.iter().map(|u| &u.code).collect(), &|c| new.unit(c).is_ok())?;
        kept(old.categories.iter().map(|c| &c.code).collect(), &|c| new.category(c).is_ok())?;
        for line in &next.rules.overrides {
            line.rules.check()?;
        }
        next.rules.default.check()?;
        Ok(Policy { version: self.version + 1, ..next })
    }

    /// The next version, with `edit` made; the policy is unchanged when
    /// the edit is refused.
    pub fn apply(&self, edit: &PolicyEdit) -> Result<Policy, DomainError> {
        let mut next = self.clone();
        match edit {
            PolicyEdit::Directory(edit) => next.directory = self.directory.apply(edit)?,
            PolicyEdit::Calendar { year, text } => {
                Day::ymd(*year, 1, 1)?;
                next.calendar_years.insert(*year, year_of_calendar(*year, text)?);
                let joined: Vec<&str> = next.calendar_years.values().map(String::as_str).collect();
                next.calendar = WorkCalendar::parse(&joined.join("\n"))?;
            }
            PolicyEdit::Rules(line) => {
                line.rules.check()?;
                let district = line.district.clone().filter(|d| !d.is_empty() && d != CITY);
                let category = line.category.clone().filter(|c| !c.is_empty());
                if let Some(d) = &district {
                    self.directory.district(d)?;
                }
                if let Some(c) = &category {
                    self.directory.category(c)?;
                }
                let rules = line.rules.clone();
                if district.is_none() && category.is_none() {
                    next.rules.default = rules;
                } else {
                    next.rules.overrides.retain(|o| !(o.district == district && o.category == category));
                    next.rules.overrides.push(RuleOverride { district, category, rules });
                }
            }
        }
        next.version = self.version + 1;
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_policy_parses_and_a_case_gets_its_district_rules() {
        let policy = Policy::shipped().unwrap();
        assert!(!policy.calendar.is_working_day(Day::parse("2026-10-01").unwrap()));
        assert_eq!(policy.calendar_years.keys().copied().collect::<Vec<_>>(), vec![2025, 2026]);
        let strict = Rules { reply_working_days: 2, ..Rules::default() };
        let edit = PolicyEdit::Rules(RuleOverride { district: Some("boluo".into()), category: None, rules: strict });
        let changed = policy.apply(&edit).unwrap();
        assert_eq!(changed.version, 2);
        assert_eq!(changed.rules.for_case("boluo", "land").reply_working_days, 2);
        assert_eq!(changed.rules.for_case("huiyang", "land").reply_working_days, 3);
        let again = changed.apply(&edit).unwrap();
        assert_eq!(again.rules.overrides.len(), 1, "the same pair replaces its line");
    }

    #[test]
    fn bad_rules_change_nothing() {
        let policy = Policy::shipped().unwrap();
        let zero = Rules { reply_working_days: 0, ..Rules::default() };
        let edit = PolicyEdit::Rules(RuleOverride { district: Some("boluo".into()), category: None, rules: zero });
        assert!(matches!(policy.apply(&edit), Err(DomainError::OutOfRange { .. })));
        let nowhere =
            PolicyEdit::Rules(RuleOverride { district: Some("x".into()), category: None, rules: Rules::default() });
        assert!(matches!(policy.apply(&nowhere), Err(DomainError::UnknownCode { .. })));
    }

    #[test]
    fn importing_a_year_confirms_it() {
        let policy = Policy::shipped().unwrap();
        let day = Day::parse("2027-02-10").unwrap();
        assert!(policy.calendar.is_provisional(day));
        let text = "2027-02-06..2027-02-14 off 春节\n2027-02-20 work 春节调休\n";
        let next = policy.apply(&PolicyEdit::Calendar { year: 2027, text: text.into() }).unwrap();
        assert!(!next.calendar.is_provisional(day));
        assert!(next.calendar.is_working_day(Day::parse("2027-02-20").unwrap()), "a make-up Saturday");
        let wrong = PolicyEdit::Calendar { year: 2028, text: text.into() };
        assert!(matches!(policy.apply(&wrong), Err(DomainError::CalendarYear { .. })));
        let broken = PolicyEdit::Calendar { year: 2027, text: "2027-02-31 off x".into() };
        assert!(matches!(policy.apply(&broken), Err(DomainError::CalendarLine { .. })));
    }

    #[test]
    fn a_city_loads_a_whole_policy_that_keeps_every_code() {
        let policy = Policy::shipped().unwrap();
        let mut own = policy.clone();
        own.directory.units.iter_mut().for_each(|u| u.name.zh = format!("{}(新)", u.name.zh));
        let next = policy.replaced_by(own).unwrap();
        assert_eq!((next.version, next.directory.unit_name("natres").zh.as_str()), (2, "市自然资源局(新)"));
        let mut fewer = policy.clone();
        fewer.directory.units.retain(|u| u.code != "natres");
        assert_eq!(policy.replaced_by(fewer), Err(DomainError::CodeRemoved("natres".into())));
    }

    #[test]
    fn a_policy_travels_as_data_and_comes_back_whole() {
        let policy = Policy::shipped().unwrap();
        let data: PolicyData = policy.clone().into();
        assert_eq!(Policy::try_from(data).unwrap(), policy);
    }

    #[test]
    fn a_broken_calendar_is_an_error() {
        assert!(WorkCalendar::parse("2026-13-45 假日").is_err());
    }
}
