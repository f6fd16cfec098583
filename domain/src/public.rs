//! What anyone may see of a case, signed in or not (the public progress
//! page): where it stands, who is responsible, the timetable and its
//! lights, and a timeline of what was done. Never personal data, never
//! attachments, never free text that an enterprise or an officer wrote —
//! the appeal's title only once a coordinator has published a redacted
//! wording of it (`PublishTitle`).

use serde::Serialize;

use crate::calendar::WorkCalendar;
use crate::case::CaseDoc;
use crate::deadline::{self, Light, Rules};
use crate::event::EventKind;
use crate::status::{CaseState, Status};
use crate::time::Day;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicMilestone {
    pub title: String,
    pub due: Day,
    /// When it was done; `None` while open.
    pub done: Option<Day>,
    /// The light of an open milestone today.
    pub light: Option<Light>,
}

/// One line of the public timeline: a day and what happened, in both
/// languages, with no free text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicEvent {
    pub day: Day,
    pub zh: String,
    pub en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicCase {
    pub number: Option<String>,
    /// When the appeal was submitted (ms since the epoch).
    pub submitted_ms: Option<i64>,
    /// When the latest line of the public timeline happened (the
    /// submission if none): private steps do not move it.
    pub updated_ms: i64,
    /// When the case is to be resolved: the running resolution clock's due
    /// day or the timetable's last milestone.
    pub resolve_by: Option<Day>,
    /// The coordinator's published wording of the title, if any.
    pub title: Option<String>,
    pub category: String,
    pub district: String,
    pub status: Status,
    pub lead_department: Option<String>,
    pub assisting: Vec<String>,
    pub lead_leader: Option<String>,
    /// The nearest running deadline and its light today.
    pub due: Option<(Day, Light)>,
    /// That deadline falls in a year whose official holiday arrangement is
    /// not published yet (see [`WorkCalendar::is_provisional`]).
    pub due_provisional: bool,
    pub milestones: Vec<PublicMilestone>,
    pub timeline: Vec<PublicEvent>,
}

impl PublicCase {
    pub fn of(case: &CaseDoc, state: &CaseState, calendar: &WorkCalendar, rules: &Rules, today: Day) -> PublicCase {
        let flow = &state.flow;
        let clocks = deadline::open_clocks(calendar, rules, state);
        let due = clocks.iter().min_by_key(|c| c.due).map(|c| (c.due, c.light(calendar, today)));
        let milestones = flow
            .milestones
            .iter()
            .map(|m| {
                let done = state.records.ticked.get(&m.id).map(|ms| Day::of_instant(*ms));
                let start = flow.decided_ms.map_or(m.due, Day::of_instant);
                let light = done.is_none().then(|| deadline::light(calendar, start, m.due, today));
                PublicMilestone { title: m.title.clone(), due: m.due, done, light }
            })
            .collect();
        let refused: Vec<&str> = state.refused.iter().map(|r| r.event.as_str()).collect();
        let mut updated_ms = flow.submitted_ms.unwrap_or(case.created_ms);
        let timeline = state
            .order
            .iter()
            .filter(|id| !refused.contains(&id.as_str()))
            .filter_map(|id| case.events.get(id))
            .filter_map(|e| {
                let (zh, en) = public_line(&e.kind, state)?;
                updated_ms = updated_ms.max(e.at_ms);
                Some(PublicEvent { day: Day::of_instant(e.at_ms), zh, en })
            })
            .collect();
        // Due by the running resolution clock or, while the timetable has
        // milestones to do, by its last one.
        let resolution = clocks.iter().filter(|c| c.kind == deadline::ClockKind::Resolution).map(|c| c.due).max();
        let timetable_open =
            flow.status.is_open() && flow.milestones.iter().any(|m| !state.records.ticked.contains_key(&m.id));
        let last_milestone = flow.milestones.iter().map(|m| m.due).max().filter(|_| timetable_open);
        let resolve_by = resolution.max(last_milestone);
        PublicCase {
            number: case.number.clone(),
            submitted_ms: flow.submitted_ms,
            updated_ms,
            resolve_by,
            title: state.records.public_title.clone(),
            category: case.appeal.category.clone(),
            district: case.district.clone(),
            status: flow.status,
            lead_department: flow.lead_department.clone(),
            assisting: flow.assisting.clone(),
            lead_leader: state.lead_leader().map(String::from),
            due_provisional: due.is_some_and(|(d, _)| calendar.is_provisional(d)),
            due,
            milestones,
            timeline,
        }
    }
}

/// The public line of an event, or `None` for what stays between the
/// parties (information asked and given, invitations, disputes, private
/// ratings, …).
fn public_line(kind: &EventKind, state: &CaseState) -> Option<(String, String)> {
    use EventKind::*;
    let fixed = |zh: &str, en: &str| Some((zh.to_string(), en.to_string()));
    match kind {
        Submit => fixed("提交诉求", "Appeal submitted"),
        Route { .. } => fixed("受理并分办", "Accepted and routed"),
        Decline { .. } => fixed("不予受理", "Declined"),
        MergeInto { .. } => fixed("与其他诉求合并办理", "Merged with another appeal"),
        ReplyOnline { .. } => fixed("部门已线上答复", "Answered online"),
        Schedule { day, .. } => Some((format!("安排至 {day} 现场活动"), format!("Put on the {day} session"))),
        Decide { .. } => fixed("现场研判,明确责任与时间表", "Decided at the session: responsibility and timetable"),
        StartWork { .. } => fixed("开始办理", "Work started"),
        PostProgress { .. } => fixed("报告办理进展", "Progress reported"),
        TickMilestone { milestone } => {
            let title = state.flow.milestones.iter().find(|m| &m.id == milestone).map(|m| m.title.clone())?;
            Some((format!("完成节点:{title}"), format!("Milestone done: {title}")))
        }
        DecideExtension { approved: true, .. } => fixed("同意延期", "Extension approved"),
        Resolve { .. } => fixed("办结", "Resolved"),
        Rate { score, public: true, .. } => {
            Some((format!("企业评价 {score} 分"), format!("Rated {score} by the enterprise")))
        }
        Reopen { .. } => fixed("重新办理", "Reopened"),
        Close => fixed("结案", "Closed"),
        _ => None,
    }
}

/// One row of the monthly supervision board: an open case as it stood on
/// a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BoardEntry {
    pub number: Option<String>,
    pub title: Option<String>,
    pub category: String,
    pub status: Status,
    pub lead_department: Option<String>,
    pub lead_leader: Option<String>,
    pub due: Option<Day>,
    /// See [`PublicCase::due_provisional`].
    pub due_provisional: bool,
    pub light: Light,
}

/// The case as it stood at the end of `day` (its events recorded by then),
/// if it was open then.
pub fn board_entry(case: &CaseDoc, calendar: &WorkCalendar, rules: &Rules, day: Day) -> Option<BoardEntry> {
    let cutoff = day.next().start_instant();
    let state = crate::status::derive(case.events.values().filter(|e| e.at_ms < cutoff));
    let status = state.status();
    if !status.is_open() {
        return None;
    }
    let clocks = deadline::open_clocks(calendar, rules, &state);
    let due = clocks.iter().map(|c| c.due).min();
    let light = clocks.iter().map(|c| c.light(calendar, day)).max().unwrap_or(Light::Green);
    Some(BoardEntry {
        number: case.number.clone(),
        title: state.records.public_title.clone(),
        category: case.appeal.category.clone(),
        status,
        lead_department: state.flow.lead_department.clone(),
        lead_leader: state.lead_leader().map(String::from),
        due,
        due_provisional: due.is_some_and(|d| calendar.is_provisional(d)),
        light,
    })
}

/// A rating the enterprise chose to publish: the score and its level, the
/// case's category, district and lead department. The comment is the
/// enterprise's own free text and stays private.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicRating {
    pub day: Day,
    pub score: u8,
    pub level: crate::event::ReviewLevel,
    pub number: Option<String>,
    pub category: String,
    pub district: String,
    pub lead_department: Option<String>,
}

pub fn public_ratings(case: &CaseDoc, state: &CaseState) -> Vec<PublicRating> {
    state
        .flow
        .ratings
        .iter()
        .filter(|r| r.public)
        .map(|r| PublicRating {
            day: Day::of_instant(r.at_ms),
            score: r.score,
            level: r.level(),
            number: case.number.clone(),
            category: case.appeal.category.clone(),
            district: case.district.clone(),
            lead_department: state.flow.lead_department.clone(),
        })
        .collect()
}
