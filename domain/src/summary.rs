//! The one-line view of a case that worklists show, and how worklists
//! narrow and order them. Kept beside each document on the device, so a
//! list of thousands never opens a document; the light is worked out when
//! shown, because it changes with the day, not with the case.

use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;
use crate::case::CaseDoc;
use crate::deadline::{self, Light, Rules};
use crate::permission::{Role, User};
use crate::status::{Invitation, Status};
use crate::time::Day;
use crate::work::{self, Party};

/// Fields added after the first release default, so summaries written
/// then still read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: String,
    pub number: Option<String>,
    pub title: String,
    pub category: String,
    pub district: String,
    pub enterprise: String,
    pub status: Status,
    pub created_ms: i64,
    pub updated_ms: i64,
    /// Changes made on this device that the server has not acknowledged yet.
    pub unsynced: bool,
    /// The document's heads (hex, sorted): compared with the sync state on
    /// connect, so unchanged documents need not be loaded.
    pub heads: Vec<String>,
    #[serde(default)]
    pub enterprise_id: String,
    #[serde(default)]
    pub lead_department: Option<String>,
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub waiting_on: Vec<Party>,
    /// The running clocks as (start, due).
    #[serde(default)]
    pub clocks: Vec<(Day, Day)>,
    #[serde(default)]
    pub conflict: bool,
    /// The invitation to the session the case is on.
    #[serde(default)]
    pub invitation: Option<Invitation>,
    /// The officer in charge and the lead leader (account ids).
    #[serde(default)]
    pub assignee: Option<String>,
    #[serde(default)]
    pub lead_leader: Option<String>,
    /// The session the enterprise signed up to (booked) for this case.
    #[serde(default)]
    pub booked: Option<String>,
}

/// Where a summary comes from besides the case itself.
pub struct Context<'a> {
    pub calendar: &'a WorkCalendar,
    pub rules: &'a Rules,
    pub heads: Vec<String>,
    pub updated_ms: i64,
    pub unsynced: bool,
}

impl CaseSummary {
    pub fn of(case: &CaseDoc, context: Context<'_>) -> CaseSummary {
        let state = case.state();
        let clocks = deadline::open_clocks(context.calendar, context.rules, &state);
        CaseSummary {
            id: case.id.clone(),
            number: case.number.clone(),
            title: case.appeal.title.clone(),
            category: case.appeal.category.clone(),
            district: case.district.clone(),
            enterprise: case.enterprise.name.clone(),
            status: state.status(),
            created_ms: case.created_ms,
            updated_ms: context.updated_ms,
            unsynced: context.unsynced,
            heads: context.heads,
            enterprise_id: case.enterprise.id.clone(),
            lead_department: state.flow.lead_department.clone(),
            session: state.flow.session.as_ref().map(|(id, _)| id.clone()),
            waiting_on: work::waiting_on(&state),
            clocks: clocks.iter().map(|c| (c.start, c.due)).collect(),
            conflict: state.conflict.is_some(),
            invitation: work::invitation(&state).cloned(),
            assignee: state.assignee().map(String::from),
            lead_leader: state.lead_leader().map(String::from),
            booked: state.records.booked.as_ref().map(|(id, _)| id.clone()),
        }
    }

    /// Whether this person answers for the case: its officer in charge or
    /// its lead leader (一对一责任制).
    pub fn held_by(&self, user_id: &str) -> bool {
        self.assignee.as_deref() == Some(user_id) || self.lead_leader.as_deref() == Some(user_id)
    }

    /// The earliest due date of the running clocks.
    pub fn due(&self) -> Option<Day> {
        self.clocks.iter().map(|(_, due)| *due).min()
    }

    /// The worst light of the running clocks on `today` (none: green).
    pub fn light(&self, calendar: &WorkCalendar, today: Day) -> Light {
        self.clocks
            .iter()
            .map(|(start, due)| deadline::light(calendar, *start, *due, today))
            .max()
            .unwrap_or(Light::Green)
    }

    /// Whether the case waits on this user.
    pub fn waits_on(&self, user: &User) -> bool {
        self.waiting_on.iter().any(|party| match party {
            Party::Enterprise => user.role == Role::Enterprise,
            Party::Coordinator => user.role == Role::Coordinator,
            Party::Leader => user.role == Role::Leader,
            Party::LeadDepartment => {
                user.role == Role::Officer && user.org.is_some() && user.org == self.lead_department
            }
        })
    }
}

/// What a list is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: Option<Status>,
    pub district: Option<String>,
    /// Part of the title, the enterprise's name or the case number.
    pub text: String,
}

impl Filter {
    pub fn keeps(&self, case: &CaseSummary) -> bool {
        let text = self.text.trim();
        self.status.is_none_or(|s| s == case.status)
            && self.district.as_ref().is_none_or(|d| d == &case.district)
            && (text.is_empty()
                || case.title.contains(text)
                || case.enterprise.contains(text)
                || case.number.as_deref().is_some_and(|n| n.contains(text)))
    }
}

/// Most urgent first: by due date (cases without a clock last), then the
/// most recently changed.
pub fn sort_by_deadline(cases: &mut [CaseSummary]) {
    cases.sort_by(|a, b| {
        let due = |c: &CaseSummary| c.due().map_or((1, Day::of_instant(0)), |d| (0, d));
        due(a).cmp(&due(b)).then(b.updated_ms.cmp(&a.updated_ms))
    });
}

/// How near a deadline is, for a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Urgency {
    /// Past due by this many working days (at least one day past).
    Overdue(i64),
    DueToday,
    /// Due in this many working days, inside the clock's yellow window.
    DueSoon(i64),
}

/// A deadline to remind the user of: one per running clock that is yellow
/// or red on a case waiting on them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reminder {
    pub case_id: String,
    pub number: Option<String>,
    pub title: String,
    pub due: Day,
    pub urgency: Urgency,
}

/// The reminders of `user` on `today`: the most overdue first, then what is
/// due today, then what is due soon.
pub fn reminders(cases: &[CaseSummary], user: &User, calendar: &WorkCalendar, today: Day) -> Vec<Reminder> {
    let mut out: Vec<Reminder> = Vec::new();
    for case in cases.iter().filter(|c| c.waits_on(user)) {
        let mut dues: Vec<Day> = case
            .clocks
            .iter()
            .filter(|(start, due)| deadline::light(calendar, *start, *due, today) != Light::Green)
            .map(|(_, due)| *due)
            .collect();
        dues.sort_unstable();
        dues.dedup();
        for due in dues {
            let urgency = match due.cmp(&today) {
                std::cmp::Ordering::Less => Urgency::Overdue(calendar.working_days_between(due, today).max(1)),
                std::cmp::Ordering::Equal => Urgency::DueToday,
                std::cmp::Ordering::Greater => Urgency::DueSoon(calendar.working_days_between(today, due)),
            };
            out.push(Reminder {
                case_id: case.id.clone(),
                number: case.number.clone(),
                title: case.title.clone(),
                due,
                urgency,
            });
        }
    }
    out.sort_by(|a, b| {
        let rank = |u: Urgency| match u {
            Urgency::Overdue(days) => (0, -days),
            Urgency::DueToday => (1, 0),
            Urgency::DueSoon(days) => (2, days),
        };
        rank(a.urgency).cmp(&rank(b.urgency)).then(a.due.cmp(&b.due))
    });
    out
}

/// How alike two short texts are: the share of character pairs (bigrams)
/// they have in common (Dice coefficient), 0.0–1.0. Chinese titles have no
/// spaces, so words are not needed; punctuation and spaces are ignored.
pub fn similarity(a: &str, b: &str) -> f32 {
    fn bigrams(s: &str) -> Vec<(char, char)> {
        let chars: Vec<char> = s.chars().filter(|c| c.is_alphanumeric()).collect();
        let mut pairs: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }
    let (a, b) = (bigrams(a), bigrams(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.iter().filter(|p| b.binary_search(p).is_ok()).count();
    (2 * common) as f32 / (a.len() + b.len()) as f32
}

/// Titles at least this alike are suggested as possible duplicates.
pub const DUPLICATE_SIMILARITY: f32 = 0.5;

/// Cases that may be the same problem as an appeal being written or
/// triaged: from the same enterprise, or with a similar title; most alike
/// first. Closed-out cases (declined, merged) are left out.
pub fn likely_duplicates<'a>(
    cases: &'a [CaseSummary],
    enterprise_id: &str,
    title: &str,
    except: Option<&str>,
    limit: usize,
) -> Vec<&'a CaseSummary> {
    let mut scored: Vec<(f32, &CaseSummary)> = cases
        .iter()
        .filter(|c| Some(c.id.as_str()) != except && !matches!(c.status, Status::Declined | Status::Merged))
        .filter_map(|c| {
            let alike = similarity(title, &c.title);
            let same_enterprise = !enterprise_id.is_empty() && c.enterprise_id == enterprise_id;
            (alike >= DUPLICATE_SIMILARITY || same_enterprise).then_some((alike + f32::from(same_enterprise), c))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}
