//! The monthly progress notice (发函): a letter to the enterprise about each
//! case still open at the end of a month — where it stands, who is
//! responsible, the timetable and its lights, the progress reported that
//! month. Unlike the public page it is addressed to the enterprise, so it
//! names the enterprise and quotes its title and the officers' reports.

use serde::Serialize;

use crate::calendar::WorkCalendar;
use crate::case::CaseDoc;
use crate::deadline::Rules;
use crate::public::PublicCase;
use crate::status::derive;
use crate::time::{Day, month_span};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// `YYYY-MM`: the month the notice reports on.
    pub month: String,
    /// The last day of that month: the case as it stood then.
    pub as_of: Day,
    pub enterprise: String,
    pub title: String,
    pub submitted: Option<Day>,
    /// Status, responsibility, milestones and the nearest deadline, with
    /// lights as of `as_of`.
    pub case: PublicCase,
    /// Progress the department reported during the month: day and text.
    pub progress: Vec<(Day, String)>,
}

impl Notice {
    /// The notice for `month`, if the case was open at its end.
    pub fn of(case: &CaseDoc, calendar: &WorkCalendar, rules: &Rules, month: &str) -> Option<Notice> {
        let (first, last) = month_span(month)?;
        let cutoff = last.next().start_instant();
        let state = derive(case.events.values().filter(|e| e.at_ms < cutoff));
        if !state.status().is_open() {
            return None;
        }
        let progress = state
            .records
            .progress
            .iter()
            .map(|n| (Day::of_instant(n.at_ms), n.text.clone()))
            .filter(|(day, _)| *day >= first)
            .collect();
        Some(Notice {
            month: month.to_string(),
            as_of: last,
            enterprise: case.enterprise.name.clone(),
            title: case.appeal.title.clone(),
            submitted: state.flow.submitted_ms.map(Day::of_instant),
            case: PublicCase::of(case, &state, calendar, rules, last),
            progress,
        })
    }
}
