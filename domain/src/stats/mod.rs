//! Statistics over many cases: appeals by month, category and district,
//! the on-time rate, time to resolve, ratings, and the department league
//! table. Counts only — nothing here names an enterprise or carries free
//! text, so the figures may be public.
//!
//! A case is reduced to its [`CaseFacts`] once; [`Statistics`] adds facts
//! up. "On time" and "time to resolve" look at the case's *first*
//! resolution, against the deadline that was running just before it; what
//! happens after a reopening counts in the reopen rate instead.

mod programme;

use std::collections::BTreeMap;

use serde::Serialize;

pub use programme::{Programme, Round, Tally};

use crate::calendar::WorkCalendar;
use crate::case::CaseDoc;
use crate::deadline::{self, ClockKind, Light, Rules};
use crate::directory::{Directory, Named};
use crate::event::{Channel, EventKind, ReviewLevel};
use crate::status::{CaseState, Status, derive};
use crate::time::Day;

/// What statistics need of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseFacts {
    pub submitted: Option<Day>,
    pub category: String,
    pub district: String,
    pub status: Status,
    pub lead_department: Option<String>,
    /// The day of the first resolution.
    pub resolved: Option<Day>,
    /// Whether the first resolution came by its deadline.
    pub on_time: Option<bool>,
    /// Working days from submission to the first resolution.
    pub days_to_resolve: Option<u32>,
    pub reopened: bool,
    /// Open with a clock past its due day today.
    pub overdue: bool,
    pub scores: Vec<u8>,
    /// The enterprise (counted once per round when received on site), its
    /// ownership and size.
    pub enterprise: String,
    pub ownership: String,
    pub size: String,
    /// Answered online or taken to a session, once routed.
    pub channel: Option<Channel>,
    /// The round (期, the month `YYYY-MM`) of the session the enterprise
    /// came to with this appeal.
    pub received_on_site: Option<String>,
    /// Replied online or resolved.
    pub answered: bool,
    /// Answered, never reopened, and never rated badly.
    pub effective: bool,
}

impl CaseFacts {
    pub fn of(case: &CaseDoc, state: &CaseState, calendar: &WorkCalendar, rules: &Rules, today: Day) -> CaseFacts {
        let flow = &state.flow;
        let submitted = flow.submitted_ms.map(Day::of_instant);
        let first = first_resolution(case, state, calendar, rules);
        let resolved = first.map(|(day, _)| day);
        let answered = flow.answer.is_some() || first.is_some();
        let days_to_resolve = submitted
            .zip(resolved)
            .map(|(from, to)| u32::try_from(calendar.working_days_between(from, to)).unwrap_or(0));
        CaseFacts {
            submitted,
            category: case.appeal.category.clone(),
            district: case.district.clone(),
            status: flow.status,
            lead_department: flow.lead_department.clone(),
            resolved,
            on_time: first.map(|(_, on_time)| on_time),
            days_to_resolve,
            reopened: flow.reopen_count > 0,
            overdue: flow.status.is_open() && deadline::case_light(calendar, rules, state, today) == Light::Red,
            scores: flow.ratings.iter().map(|r| r.score).collect(),
            enterprise: case.enterprise.id.clone(),
            ownership: case.enterprise.ownership.clone(),
            size: case.enterprise.size.clone(),
            channel: flow.channel,
            received_on_site: came_to_session(state),
            answered,
            effective: answered
                && flow.reopen_count == 0
                && !flow.ratings.iter().any(|r| ReviewLevel::of_score(r.score).is_bad()),
        }
    }
}

/// The month of the session the enterprise came to with this appeal.
fn came_to_session(state: &CaseState) -> Option<String> {
    state
        .records
        .invitations
        .iter()
        .filter(|(_, invitation)| invitation.attended == Some(true))
        .map(|(_, invitation)| invitation.day)
        .min()
        .map(month_of)
}

/// The day of the case's first resolution and whether it met the deadline
/// running just before it: the resolution clock of an online case, or the
/// last milestone of a session's timetable (ticked or not — a timetable
/// finished late is late). No such deadline: on time.
pub fn first_resolution(
    case: &CaseDoc,
    state: &CaseState,
    calendar: &WorkCalendar,
    rules: &Rules,
) -> Option<(Day, bool)> {
    let refused = |id: &str| state.refused.iter().any(|r| r.event == id);
    let position = state.order.iter().position(|id| {
        !refused(id) && case.events.get(id).is_some_and(|e| matches!(e.kind, EventKind::Resolve { .. }))
    })?;
    let resolve = case.events.get(&state.order[position])?;
    // The derivation order is topological, so a prefix of it is a whole
    // history: the case as it stood just before the resolution.
    let before = derive(state.order[..position].iter().filter_map(|id| case.events.get(id)));
    let resolution = deadline::open_clocks(calendar, rules, &before)
        .into_iter()
        .filter(|c| c.kind == ClockKind::Resolution)
        .map(|c| c.due);
    let due = resolution.chain(before.flow.milestones.iter().map(|m| m.due)).max();
    let day = Day::of_instant(resolve.at_ms);
    Some((day, due.is_none_or(|due| day <= due)))
}

/// Resolution time buckets in working days: ≤5, 6–10, 11–20, 21–40, >40.
pub const RESOLVE_BUCKETS: [(u32, &str); 5] =
    [(5, "≤5"), (10, "6–10"), (20, "11–20"), (40, "21–40"), (u32::MAX, ">40")];

/// One month's counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    pub submitted: u32,
    pub resolved: u32,
    pub on_time: u32,
}

/// One row of the department league table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DepartmentRow {
    pub department: String,
    /// Cases it leads.
    pub led: u32,
    pub resolved: u32,
    pub on_time: u32,
    pub reopened: u32,
    pub overdue: u32,
    pub ratings: u32,
    pub score_sum: u32,
    pub bad_reviews: u32,
}

/// `part / whole` as a fraction, when there is a whole.
pub fn rate(part: u32, whole: u32) -> Option<f64> {
    (whole > 0).then(|| f64::from(part) / f64::from(whole))
}

impl DepartmentRow {
    pub fn on_time_rate(&self) -> Option<f64> {
        rate(self.on_time, self.resolved)
    }
    pub fn average_score(&self) -> Option<f64> {
        (self.ratings > 0).then(|| f64::from(self.score_sum) / f64::from(self.ratings))
    }
    pub fn reopen_rate(&self) -> Option<f64> {
        rate(self.reopened, self.resolved)
    }
    pub fn bad_review_rate(&self) -> Option<f64> {
        rate(self.bad_reviews, self.ratings)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Statistics {
    /// The last twelve months, oldest first: appeals submitted in each,
    /// first resolutions in each and how many of those were on time.
    pub months: Vec<MonthCount>,
    /// Category code → appeals, every category listed, in directory order.
    pub by_category: Vec<(String, u32)>,
    /// District code → appeals, every district listed, in directory order.
    pub by_district: Vec<(String, u32)>,
    pub submitted: u32,
    pub resolved: u32,
    pub on_time: u32,
    /// First resolutions per [`RESOLVE_BUCKETS`] bucket.
    pub resolve_buckets: [u32; 5],
    pub median_days_to_resolve: Option<u32>,
    /// Ratings per 好差评 level, from 非常满意 down.
    pub rating_levels: [u32; 5],
    pub average_score: Option<f64>,
    /// Departments that lead at least one case, best on-time rate first.
    pub departments: Vec<DepartmentRow>,
}

/// The levels in the order the statistics list them.
pub const LEVELS: [ReviewLevel; 5] = [
    ReviewLevel::VerySatisfied,
    ReviewLevel::Satisfied,
    ReviewLevel::Basic,
    ReviewLevel::Dissatisfied,
    ReviewLevel::VeryDissatisfied,
];

/// Adds one to `code`'s count (a code the directory no longer lists gets
/// its own entry rather than vanishing).
fn count(list: &mut Vec<(String, u32)>, code: &str) {
    match list.iter_mut().find(|(c, _)| c == code) {
        Some((_, n)) => *n += 1,
        None => list.push((code.to_string(), 1)),
    }
}

fn month_of(day: Day) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

impl Statistics {
    /// Adds up `facts`, with a row for every district and category of
    /// `directory`; the month series ends with `today`'s month.
    pub fn of(facts: &[CaseFacts], directory: &Directory, today: Day) -> Statistics {
        let mut months: Vec<MonthCount> = Vec::new();
        let mut first = Day::ymd(today.year(), today.month(), 1).unwrap_or(today);
        for _ in 0..12 {
            months.insert(0, MonthCount { month: month_of(first), ..MonthCount::default() });
            first = first.plus_days(-1);
            first = Day::ymd(first.year(), first.month(), 1).unwrap_or(first);
        }
        let zero = |entries: &[Named]| entries.iter().map(|e| (e.code.clone(), 0)).collect();
        let mut stats = Statistics {
            by_category: zero(&directory.categories),
            by_district: zero(&directory.districts),
            ..Statistics::default()
        };
        let mut departments: BTreeMap<&str, DepartmentRow> = BTreeMap::new();
        let mut days = Vec::new();
        let mut score_sum = 0u32;
        let mut score_count = 0u32;
        for f in facts.iter().filter(|f| f.submitted.is_some()) {
            stats.submitted += 1;
            count(&mut stats.by_category, &f.category);
            count(&mut stats.by_district, &f.district);
            let month = |day: Option<Day>| day.and_then(|d| months.iter().position(|m| m.month == month_of(d)));
            let (submitted_in, resolved_in) = (month(f.submitted), month(f.resolved));
            if let Some(i) = submitted_in {
                months[i].submitted += 1;
            }
            let on_time = u32::from(f.on_time == Some(true));
            if f.resolved.is_some() {
                stats.resolved += 1;
                stats.on_time += on_time;
            }
            if let Some(i) = resolved_in {
                months[i].resolved += 1;
                months[i].on_time += on_time;
            }
            if let Some(d) = f.days_to_resolve {
                days.push(d);
                let bucket = RESOLVE_BUCKETS.iter().position(|(max, _)| d <= *max).unwrap_or(4);
                stats.resolve_buckets[bucket] += 1;
            }
            for score in &f.scores {
                let level = ReviewLevel::of_score(*score);
                let i = LEVELS.iter().position(|l| *l == level).unwrap_or(4);
                stats.rating_levels[i] += 1;
                score_sum += u32::from(*score);
                score_count += 1;
            }
            if let Some(code) = &f.lead_department {
                let row = departments
                    .entry(code)
                    .or_insert_with(|| DepartmentRow { department: code.clone(), ..DepartmentRow::default() });
                row.led += 1;
                row.resolved += u32::from(f.resolved.is_some());
                row.on_time += on_time;
                row.reopened += u32::from(f.reopened);
                row.overdue += u32::from(f.overdue);
                for score in &f.scores {
                    row.ratings += 1;
                    row.score_sum += u32::from(*score);
                    row.bad_reviews += u32::from(ReviewLevel::of_score(*score).is_bad());
                }
            }
        }
        days.sort_unstable();
        stats.median_days_to_resolve = match days.len() {
            0 => None,
            n if n % 2 == 1 => Some(days[n / 2]),
            n => Some((days[n / 2 - 1] + days[n / 2]) / 2),
        };
        stats.average_score = (score_count > 0).then(|| f64::from(score_sum) / f64::from(score_count));
        stats.months = months;
        let mut departments: Vec<DepartmentRow> = departments.into_values().collect();
        // Best on-time rate first; then fewer overdue; then more cases.
        departments.sort_by(|a, b| {
            let rate = |r: &DepartmentRow| r.on_time_rate().unwrap_or(-1.0);
            rate(b).total_cmp(&rate(a)).then(a.overdue.cmp(&b.overdue)).then(b.led.cmp(&a.led))
        });
        stats.departments = departments;
        stats
    }

    pub fn on_time_rate(&self) -> Option<f64> {
        rate(self.on_time, self.resolved)
    }
}
