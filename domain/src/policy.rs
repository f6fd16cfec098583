//! The policy every deadline is computed by: the working-day calendar, the
//! deadline rules, and how far a device's clock may be off before the
//! server's time counts instead (see [`crate::device_time`]). It is built once — the server keeps it in its state,
//! the app beside its clock — and handed to whatever computes a deadline,
//! so no page builds its own and all agree.

use crate::DomainError;
use crate::calendar::{CHINA_2025_2026, WorkCalendar};
use crate::case::CaseDoc;
use crate::deadline::{RuleBook, Rules};

/// How far a device's clock may be off: phones drift by seconds, and a
/// clock set by hand by a minute or two; more than this is a wrong clock.
pub const DEVICE_TIME_TOLERANCE_MS: i64 = 15 * 60_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub calendar: WorkCalendar,
    pub rules: RuleBook,
    /// See [`crate::device_time`]; also how far the app lets the device's
    /// clock differ from the server's before it warns.
    pub device_time_tolerance_ms: i64,
}

impl Policy {
    /// The calendar shipped with the product and the programme's default
    /// rules. A calendar that does not parse is an error: counting weekends
    /// only would quietly move every deadline over the holidays.
    pub fn shipped() -> Result<Policy, DomainError> {
        Ok(Policy {
            calendar: WorkCalendar::parse(CHINA_2025_2026)?,
            rules: RuleBook::default(),
            device_time_tolerance_ms: DEVICE_TIME_TOLERANCE_MS,
        })
    }

    /// The rules of `case`: its district's and category's, else the default.
    pub fn rules_for(&self, case: &CaseDoc) -> &Rules {
        self.rules.for_case(&case.district, &case.appeal.category)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deadline::RuleOverride;

    #[test]
    fn the_shipped_policy_parses_and_a_case_gets_its_district_rules() {
        let mut policy = Policy::shipped().unwrap();
        assert!(!policy.calendar.is_working_day(crate::time::Day::parse("2026-10-01").unwrap()));
        let strict = Rules { resolve_working_days: 10, ..Rules::default() };
        policy.rules.overrides.push(RuleOverride { district: Some("boluo".into()), category: None, rules: strict });
        assert_eq!(policy.rules.for_case("boluo", "land").resolve_working_days, 10);
        assert_eq!(policy.rules.for_case("huiyang", "land").resolve_working_days, 15);
    }

    #[test]
    fn a_broken_calendar_is_an_error() {
        assert!(WorkCalendar::parse("2026-13-45 假日").is_err());
    }
}
