//! Status derivation: a pure function from a case's set of events to its
//! state. Two devices holding the same events derive the same state, in
//! whatever order the events arrived. Flow events made concurrently (neither
//! author saw the other's) that disagree become a [`Conflict`] to settle.
//!
//! Over 400 lines: the derived state (`CaseState`, its flow and records) and
//! the fold that builds it read as one; the lifecycle rules themselves are
//! in `transition.rs`, the causal graph in `graph.rs`.

mod graph;
mod transition;

use crate::label::{Label, Text};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::event::{Channel, Event, EventKind, Milestone, ReviewLevel};
use crate::time::Day;
use graph::Graph;
use transition::transition;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    Draft,
    Submitted,
    Routed,
    Declined,
    Merged,
    AnsweredOnline,
    Scheduled,
    Decided,
    InProgress,
    Resolved,
    Rated,
    Closed,
    Reopened,
}

impl Status {
    pub const ALL: [Status; 13] = [
        Status::Draft,
        Status::Submitted,
        Status::Routed,
        Status::Declined,
        Status::Merged,
        Status::AnsweredOnline,
        Status::Scheduled,
        Status::Decided,
        Status::InProgress,
        Status::Resolved,
        Status::Rated,
        Status::Closed,
        Status::Reopened,
    ];

    /// The name shown to people.
    pub fn label(self) -> Label {
        match self {
            Status::Draft => Label::new("草稿", "Draft"),
            Status::Submitted => Label::new("已提交", "Submitted"),
            Status::Routed => Label::new("已受理分办", "Accepted & routed"),
            Status::Declined => Label::new("不予受理", "Declined"),
            Status::Merged => Label::new("已合并", "Merged"),
            Status::AnsweredOnline => Label::new("已线上答复", "Answered online"),
            Status::Scheduled => Label::new("已安排现场活动", "Scheduled for a session"),
            Status::Decided => Label::new("已现场研判", "Decided"),
            Status::InProgress => Label::new("办理中", "In progress"),
            Status::Resolved => Label::new("已办结", "Resolved"),
            Status::Rated => Label::new("已评价", "Rated"),
            Status::Closed => Label::new("已关闭", "Closed"),
            Status::Reopened => Label::new("已重新办理", "Reopened"),
        }
    }

    /// Whether the case still needs work from the government side.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            Status::Draft | Status::Declined | Status::Merged | Status::Resolved | Status::Rated | Status::Closed
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub event: String,
    pub score: u8,
    pub comment: String,
    pub public: bool,
    pub at_ms: i64,
}

impl Rating {
    pub fn level(&self) -> ReviewLevel {
        ReviewLevel::of_score(self.score)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtensionRequest {
    pub event: String,
    pub working_days: u32,
    pub reason: String,
}

/// What flow events decide: the lifecycle position and who is responsible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flow {
    pub status: Status,
    pub channel: Option<Channel>,
    pub lead_department: Option<String>,
    pub assisting: Vec<String>,
    pub lead_leader: Option<String>,
    pub session: Option<(String, Day)>,
    pub milestones: Vec<Milestone>,
    pub answer: Option<String>,
    pub decline_reason: Option<String>,
    pub merged_into: Option<String>,
    pub resolution: Option<String>,
    pub ratings: Vec<Rating>,
    pub pending_extension: Option<ExtensionRequest>,
    /// Approved extra working days for the resolution clock.
    pub extension_days: u32,
    pub reopen_count: u32,
    /// Ratings given since the last resolution: one, or two after a bad review.
    pub ratings_since_resolved: u32,
    pub submitted_ms: Option<i64>,
    pub routed_ms: Option<i64>,
    pub decided_ms: Option<i64>,
    pub resolved_ms: Option<i64>,
    pub reopened_ms: Option<i64>,
}

impl Default for Flow {
    fn default() -> Self {
        Flow {
            status: Status::Draft,
            channel: None,
            lead_department: None,
            assisting: Vec::new(),
            lead_leader: None,
            session: None,
            milestones: Vec::new(),
            answer: None,
            decline_reason: None,
            merged_into: None,
            resolution: None,
            ratings: Vec::new(),
            pending_extension: None,
            extension_days: 0,
            reopen_count: 0,
            ratings_since_resolved: 0,
            submitted_ms: None,
            routed_ms: None,
            decided_ms: None,
            resolved_ms: None,
            reopened_ms: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub event: String,
    pub author: String,
    pub at_ms: i64,
    pub text: String,
}

/// What record events add: they always merge, in derivation order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Records {
    pub progress: Vec<Note>,
    /// Milestone id → when it was ticked.
    pub ticked: BTreeMap<String, i64>,
    pub info_requests: Vec<Note>,
    pub info_added: Vec<Note>,
    pub callbacks: Vec<Note>,
    pub rectifications: Vec<Note>,
    pub disputes: Vec<Note>,
    pub rechecks: Vec<(Note, bool)>,
    pub reopen_requests: Vec<Note>,
    /// The session the enterprise booked last (id, day).
    pub booked: Option<(String, Day)>,
    /// The title as published by a coordinator (the latest wording).
    pub public_title: Option<String>,
    /// Invitations to sessions, by session id.
    pub invitations: BTreeMap<String, Invitation>,
    /// The (bad) rating that the latest call back answered.
    pub called_back_rating: Option<String>,
    /// The (bad) rating that the latest rectification answered.
    pub rectified_rating: Option<String>,
    /// The officer the lead unit named (account id) and that unit: it
    /// holds while that unit leads.
    pub assigned: Option<(String, String)>,
    /// The lead leader named after the decision, when the first one left.
    pub leader: Option<String>,
}

/// An invitation to a session, the enterprise's answer and its attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Invitation {
    pub day: Day,
    pub place: String,
    pub attending: Option<bool>,
    pub attended: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConflictOption {
    /// The event whose branch this option keeps.
    pub event: String,
    pub result: Flow,
}

/// Concurrent flow events that disagree; the case stays at `base` until a
/// `Settle` event chooses one option.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    pub base: Status,
    pub options: Vec<ConflictOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum RefusalReason {
    /// The event is not possible in the status the case had.
    NotAllowedIn { status: Status, action: &'static str },
    /// The case has an open conflict that must be settled first.
    ConflictOpen,
    /// A `Settle` names no option of the open conflict, or its author had
    /// not seen all options.
    BadSettle,
    /// The event refers to events or milestones the case does not have.
    Dangling,
}

impl RefusalReason {
    /// Why, in both languages.
    pub fn label(&self) -> Text {
        match self {
            RefusalReason::NotAllowedIn { status, action } => Text::owned(
                format!("案件处于“{}”状态,不能执行“{}”", status.label().zh, action),
                format!("a case that is \"{}\" cannot take \"{}\"", status.label().en, action),
            ),
            RefusalReason::ConflictOpen => {
                Label::new("案件存在待处理的冲突,请先裁定", "the case has a conflict to settle first").text()
            }
            RefusalReason::BadSettle => {
                Label::new("裁定无效:所选项不属于当前冲突", "the choice is not an option of the open conflict").text()
            }
            RefusalReason::Dangling => {
                Label::new("引用了不存在的事件或节点", "refers to an event or milestone the case does not have").text()
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub event: String,
    pub reason: RefusalReason,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CaseState {
    pub flow: Flow,
    pub records: Records,
    pub conflict: Option<Conflict>,
    pub refused: Vec<Refusal>,
    /// Concurrent flow events identical to one already applied.
    pub duplicates: Vec<String>,
    /// Event ids in derivation order (the timeline).
    pub order: Vec<String>,
}

impl CaseState {
    pub fn status(&self) -> Status {
        self.flow.status
    }

    /// The officer handling the case (承办人): named by the unit that leads
    /// it now (a new lead unit names its own).
    pub fn assignee(&self) -> Option<&str> {
        let (officer, unit) = self.records.assigned.as_ref()?;
        (self.flow.lead_department.as_ref() == Some(unit)).then_some(officer.as_str())
    }

    /// The lead leader: the one named after the decision, else the decision's.
    pub fn lead_leader(&self) -> Option<&str> {
        self.records.leader.as_deref().or(self.flow.lead_leader.as_deref())
    }
}

/// Derives the state of a case from its events, in any order.
pub fn derive<'a>(events: impl IntoIterator<Item = &'a Event>) -> CaseState {
    let graph = Graph::new(events);
    let mut state = CaseState::default();
    // Flow events applied since the last settled point, with the flow before each.
    let mut applied: Vec<(usize, Flow)> = Vec::new();
    let mut conflict_base: Option<Flow> = None;

    for &i in &graph.order {
        let event = graph.events[i];
        state.order.push(event.id.clone());
        if graph.dangling.contains(&i) {
            state.refused.push(refusal(event, RefusalReason::Dangling));
            continue;
        }
        if !event.kind.is_flow() {
            if let Err(reason) = record(&mut state.records, &state.flow, &state.conflict, event) {
                state.refused.push(refusal(event, reason));
            }
            continue;
        }
        let outcome = match (&state.conflict, &conflict_base) {
            (Some(conflict), Some(base)) => in_conflict(&graph, i, conflict, base, &state.records),
            _ => without_conflict(&graph, i, &state.flow, &applied, &state.records),
        };
        match outcome {
            Outcome::Applied(flow) => {
                applied.push((i, std::mem::replace(&mut state.flow, flow)));
            }
            Outcome::Settled(flow) => {
                state.conflict = None;
                conflict_base = None;
                applied.clear();
                applied.push((i, std::mem::replace(&mut state.flow, flow)));
            }
            Outcome::Conflicted { base, options } => {
                state.conflict = Some(Conflict { base: base.status, options });
                state.flow = base.clone();
                conflict_base = Some(base);
            }
            Outcome::JoinedConflict(option) => {
                if let Some(conflict) = &mut state.conflict {
                    conflict.options.push(option);
                }
            }
            Outcome::Duplicate => state.duplicates.push(event.id.clone()),
            Outcome::Refused(reason) => state.refused.push(refusal(event, reason)),
        }
    }
    state
}

enum Outcome {
    Applied(Flow),
    Settled(Flow),
    Conflicted { base: Flow, options: Vec<ConflictOption> },
    JoinedConflict(ConflictOption),
    Duplicate,
    Refused(RefusalReason),
}

fn refusal(event: &Event, reason: RefusalReason) -> Refusal {
    Refusal { event: event.id.clone(), reason }
}

fn without_conflict(graph: &Graph, i: usize, flow: &Flow, applied: &[(usize, Flow)], records: &Records) -> Outcome {
    let event = graph.events[i];
    if matches!(event.kind, EventKind::Settle { .. }) {
        return Outcome::Refused(RefusalReason::BadSettle);
    }
    // The earliest applied flow event this one's author had not seen.
    let Some(k) = applied.iter().position(|(j, _)| !graph.is_ancestor(*j, i)) else {
        return match transition(flow, records, event) {
            Ok(next) => Outcome::Applied(next),
            Err(reason) => Outcome::Refused(reason),
        };
    };
    let (first_unseen, base) = (&applied[k].0, &applied[k].1);
    match transition(base, records, event) {
        Err(reason) => Outcome::Refused(reason),
        Ok(_) if k + 1 == applied.len() && graph.events[*first_unseen].kind == event.kind => Outcome::Duplicate,
        Ok(result) => {
            let tip = applied.last().map_or(*first_unseen, |(j, _)| *j);
            let options = vec![
                ConflictOption { event: graph.events[tip].id.clone(), result: flow.clone() },
                ConflictOption { event: event.id.clone(), result },
            ];
            Outcome::Conflicted { base: base.clone(), options }
        }
    }
}

fn in_conflict(graph: &Graph, i: usize, conflict: &Conflict, base: &Flow, records: &Records) -> Outcome {
    let event = graph.events[i];
    let saw_all = conflict.options.iter().all(|o| graph.ancestor_by_id(&o.event, i));
    if let EventKind::Settle { chosen } = &event.kind {
        return match conflict.options.iter().find(|o| &o.event == chosen) {
            Some(option) if saw_all => Outcome::Settled(option.result.clone()),
            _ => Outcome::Refused(RefusalReason::BadSettle),
        };
    }
    if saw_all {
        return Outcome::Refused(RefusalReason::ConflictOpen);
    }
    match transition(base, records, event) {
        Ok(result) => Outcome::JoinedConflict(ConflictOption { event: event.id.clone(), result }),
        Err(reason) => Outcome::Refused(reason),
    }
}

fn record(records: &mut Records, flow: &Flow, conflict: &Option<Conflict>, event: &Event) -> Result<(), RefusalReason> {
    let note = |text: &str| Note {
        event: event.id.clone(),
        author: event.author.clone(),
        at_ms: event.at_ms,
        text: text.to_string(),
    };
    let known_milestone = |id: &str| {
        flow.milestones.iter().any(|m| m.id == id)
            || conflict.iter().flat_map(|c| &c.options).any(|o| o.result.milestones.iter().any(|m| m.id == id))
    };
    let bad_review = flow.ratings.last().is_some_and(|r| r.level().is_bad());
    let on_agenda = |id: &str| flow.session.as_ref().is_some_and(|(s, _)| s == id);
    let refuse = || RefusalReason::NotAllowedIn { status: flow.status, action: event.kind.name() };
    match &event.kind {
        EventKind::PostProgress { text } => records.progress.push(note(text)),
        EventKind::BookSession { session, day }
            if matches!(flow.status, Status::Draft | Status::Submitted | Status::Routed) =>
        {
            records.booked = Some((session.clone(), *day));
        }
        // Invitations go to the session the case is on; a new invitation
        // (say, after the session moved) asks for a new answer.
        EventKind::Invite { session, day, place } if on_agenda(session) => {
            let invitation = Invitation { day: *day, place: place.clone(), attending: None, attended: None };
            records.invitations.insert(session.clone(), invitation);
        }
        EventKind::ReplyInvitation { session, attending } if records.invitations.contains_key(session) => {
            if let Some(invitation) = records.invitations.get_mut(session) {
                invitation.attending = Some(*attending);
            }
        }
        // An enterprise may come uninvited (brought by its district).
        EventKind::RecordAttendance { session, attended } if on_agenda(session) => {
            let day = flow.session.as_ref().map_or_else(|| Day::of_instant(event.at_ms), |(_, d)| *d);
            let blank = Invitation { day, place: String::new(), attending: None, attended: None };
            records.invitations.entry(session.clone()).or_insert(blank).attended = Some(*attended);
        }
        EventKind::Assign { officer } if flow.lead_department.is_some() => {
            records.assigned = flow.lead_department.clone().map(|unit| (officer.clone(), unit));
        }
        EventKind::AssignLeader { leader } if flow.lead_leader.is_some() => records.leader = Some(leader.clone()),
        EventKind::PublishTitle { title } if flow.status != Status::Draft => {
            records.public_title = Some(title.trim().to_string());
        }
        EventKind::TickMilestone { milestone } if known_milestone(milestone) => {
            records.ticked.entry(milestone.clone()).or_insert(event.at_ms);
        }
        EventKind::TickMilestone { .. } => return Err(RefusalReason::Dangling),
        EventKind::RequestInfo { question } => records.info_requests.push(note(question)),
        EventKind::AddInfo { text, .. } => records.info_added.push(note(text)),
        EventKind::CallBack { note: text } if bad_review => {
            records.callbacks.push(note(text));
            records.called_back_rating = flow.ratings.last().map(|r| r.event.clone());
        }
        EventKind::Rectify { note: text } if bad_review => {
            records.rectifications.push(note(text));
            records.rectified_rating = flow.ratings.last().map(|r| r.event.clone());
        }
        EventKind::DisputeReview { reason } if bad_review => records.disputes.push(note(reason)),
        EventKind::RecheckReview { upheld, note: text } if !records.disputes.is_empty() => {
            records.rechecks.push((note(text), *upheld));
        }
        EventKind::RequestReopen { reason }
            if matches!(flow.status, Status::Resolved | Status::Rated | Status::Closed) =>
        {
            records.reopen_requests.push(note(reason));
        }
        _ => return Err(refuse()),
    }
    Ok(())
}
