//! Deadlines and red / yellow / green warning lights (DESIGN.md §4).
//! Every clock counts working days on a [`WorkCalendar`]; the rules are
//! configurable per district and category.

use serde::{Deserialize, Serialize};

use crate::calendar::WorkCalendar;
use crate::event::Channel;
use crate::status::{CaseState, Status};
use crate::time::Day;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    pub triage_working_days: u32,
    pub reply_working_days: u32,
    pub resolve_working_days: u32,
    /// The resolution clock never exceeds this, whatever extensions say.
    pub resolve_max_working_days: u32,
    /// Calendar days between progress updates (the monthly notice).
    pub progress_days: u32,
    pub callback_working_days: u32,
    pub rectify_working_days: u32,
}

impl Default for Rules {
    /// Defaults from comparable platforms (Shandong: 1 / 3 / 15, up to 30).
    fn default() -> Self {
        Rules {
            triage_working_days: 1,
            reply_working_days: 3,
            resolve_working_days: 15,
            resolve_max_working_days: 30,
            progress_days: 30,
            callback_working_days: 1,
            rectify_working_days: 15,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleOverride {
    pub district: Option<String>,
    pub category: Option<String>,
    pub rules: Rules,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleBook {
    pub default: Rules,
    pub overrides: Vec<RuleOverride>,
}

impl RuleBook {
    /// The most specific rules: district and category, then district, then
    /// category, then the default.
    pub fn for_case(&self, district: &str, category: &str) -> &Rules {
        let matches = |o: &&RuleOverride, want_d: bool, want_c: bool| {
            o.district.as_deref().is_some_and(|d| d == district) == want_d
                && o.category.as_deref().is_some_and(|c| c == category) == want_c
                && (want_d || o.district.is_none())
                && (want_c || o.category.is_none())
        };
        [(true, true), (true, false), (false, true)]
            .iter()
            .find_map(|&(d, c)| self.overrides.iter().find(|o| matches(o, d, c)))
            .map_or(&self.default, |o| &o.rules)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Light {
    Green,
    Yellow,
    Red,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ClockKind {
    Triage,
    OnlineReply,
    Resolution,
    Milestone { id: String, title: String },
    ProgressUpdate,
    BadReviewCallback,
    BadReviewRectify,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clock {
    pub kind: ClockKind,
    pub start: Day,
    pub due: Day,
}

impl Clock {
    /// Red when overdue; yellow with ≤ 20 % of its working days left or
    /// ≤ 1 working day left; green otherwise.
    pub fn light(&self, calendar: &WorkCalendar, today: Day) -> Light {
        light(calendar, self.start, self.due, today)
    }
}

/// The light of a clock running from `start` to `due`, seen on `today`.
pub fn light(calendar: &WorkCalendar, start: Day, due: Day, today: Day) -> Light {
    if today > due {
        return Light::Red;
    }
    let total = calendar.working_days_between(start, due).max(1);
    let left = calendar.working_days_between(today, due);
    if left <= 1 || left * 5 <= total { Light::Yellow } else { Light::Green }
}

/// The clocks running on a case now.
pub fn open_clocks(calendar: &WorkCalendar, rules: &Rules, state: &CaseState) -> Vec<Clock> {
    let flow = &state.flow;
    let day = |ms: Option<i64>| ms.map(Day::of_instant);
    let working = |start: Day, n: u32, kind: ClockKind| Clock { kind, start, due: calendar.add_working_days(start, n) };
    let mut clocks = Vec::new();
    let resolve_days = (rules.resolve_working_days + flow.extension_days).min(rules.resolve_max_working_days);
    let online = flow.channel == Some(Channel::Online);
    match flow.status {
        Status::Submitted => {
            if let Some(start) = day(flow.submitted_ms) {
                clocks.push(working(start, rules.triage_working_days, ClockKind::Triage));
            }
        }
        Status::Routed | Status::AnsweredOnline | Status::InProgress if online => {
            if let Some(start) = day(flow.routed_ms) {
                if flow.status == Status::Routed {
                    clocks.push(working(start, rules.reply_working_days, ClockKind::OnlineReply));
                }
                clocks.push(working(start, resolve_days, ClockKind::Resolution));
            }
        }
        Status::Reopened => {
            if let Some(start) = day(flow.reopened_ms) {
                clocks.push(working(start, resolve_days, ClockKind::Resolution));
            }
        }
        _ => {}
    }
    if matches!(flow.status, Status::Decided | Status::InProgress) {
        if let Some(decided) = day(flow.decided_ms) {
            for m in flow.milestones.iter().filter(|m| !state.records.ticked.contains_key(&m.id)) {
                let kind = ClockKind::Milestone { id: m.id.clone(), title: m.title.clone() };
                clocks.push(Clock { kind, start: decided, due: m.due });
            }
        }
        let last_progress = state.records.progress.iter().map(|n| n.at_ms).max();
        if let Some(start) = day(last_progress.max(flow.decided_ms).max(flow.routed_ms)) {
            let due = start.plus_days(i64::from(rules.progress_days));
            clocks.push(Clock { kind: ClockKind::ProgressUpdate, start, due });
        }
    }
    if let (Status::Rated, Some(last)) = (flow.status, flow.ratings.last())
        && last.level().is_bad()
    {
        let rated = Day::of_instant(last.at_ms);
        let answered = |rating: &Option<String>| rating.as_deref() == Some(last.event.as_str());
        if !answered(&state.records.called_back_rating) {
            clocks.push(working(rated, rules.callback_working_days, ClockKind::BadReviewCallback));
        }
        if !answered(&state.records.rectified_rating) {
            clocks.push(working(rated, rules.rectify_working_days, ClockKind::BadReviewRectify));
        }
    }
    clocks
}

/// The case's light: the worst of its running clocks (none: green).
pub fn case_light(calendar: &WorkCalendar, rules: &Rules, state: &CaseState, today: Day) -> Light {
    open_clocks(calendar, rules, state).iter().map(|c| c.light(calendar, today)).max().unwrap_or(Light::Green)
}
