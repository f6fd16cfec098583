//! The append-only event list of a case. Events are never edited; the
//! case's status is derived from them (see `status`).

use crate::Label;
use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use crate::time::Day;

mod validate;
pub use validate::MILESTONES_MAX;

/// How a routed case is handled: answered online or taken to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Hydrate, Reconcile)]
pub enum Channel {
    Online,
    Session,
}

/// A dated step of a session decision's timetable (办理时间表).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Milestone {
    pub id: String,
    pub title: String,
    pub due: Day,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
pub enum EventKind {
    /// The enterprise (or a coordinator on its behalf) sends the draft.
    Submit,
    /// Coordinator: accept and route to a lead department (+ assisting ones).
    Route { lead_department: String, assisting: Vec<String>, channel: Channel },
    /// Coordinator: decline, with a reason the enterprise sees.
    Decline { reason: String },
    /// Coordinator: this case duplicates `target`.
    MergeInto { target: String },
    /// Lead department: the online answer.
    ReplyOnline { text: String },
    /// Enterprise: asks for a slot at a session (预约); the coordinator
    /// decides with `Schedule`.
    BookSession { session: String, day: Day },
    /// Coordinator: put the case on a session's agenda.
    Schedule { session: String, day: Day },
    /// Coordinator: invites the enterprise to the session its case is on.
    Invite { session: String, day: Day, place: String },
    /// Enterprise: answers the invitation.
    ReplyInvitation { session: String, attending: bool },
    /// Coordinator, at the session: whether the enterprise came.
    RecordAttendance { session: String, attended: bool },
    /// Leader, at the session: responsibility and timetable.
    Decide { lead_leader: String, lead_department: String, assisting: Vec<String>, milestones: Vec<Milestone> },
    /// Lead department takes the work on (after an answer, decision or reopening).
    StartWork { plan: String },
    /// Lead or assisting department: a progress note.
    PostProgress { text: String },
    /// Lead department: a milestone of the timetable is done.
    TickMilestone { milestone: String },
    /// Lead department asks for more working days.
    RequestExtension { working_days: u32, reason: String },
    /// Coordinator answers the extension request `request` (an event id).
    DecideExtension { request: String, approved: bool, note: String },
    /// Lead department: solved, with evidence (attachment hashes).
    Resolve { summary: String, evidence: Vec<String> },
    /// Enterprise: 0–100 score, comment, and whether it may be published.
    Rate { score: u8, comment: String, public: bool },
    /// Lead department: the call back after a bad review.
    CallBack { note: String },
    /// Lead department: rectification after a bad review is done.
    Rectify { note: String },
    /// Lead department disputes a bad review as malicious.
    DisputeReview { reason: String },
    /// Coordinator re-checks a disputed review; `upheld` keeps the review.
    RecheckReview { upheld: bool, note: String },
    /// Coordinator or department asks the enterprise for information.
    RequestInfo { question: String },
    /// Enterprise adds information (text and attachment hashes).
    AddInfo { text: String, attachments: Vec<String> },
    /// Enterprise asks to reopen a resolved case.
    RequestReopen { reason: String },
    /// Coordinator reopens the case.
    Reopen { note: String },
    /// Coordinator closes the case.
    Close,
    /// Coordinator: the title as the public may read it (personal data
    /// and anything sensitive taken out). Until then nothing the
    /// enterprise wrote is public.
    PublishTitle { title: String },
    /// Settles a conflict by choosing one of its options (an event id).
    Settle { chosen: String },
    /// Lead unit (its dispatcher): the officer who handles the case (承办人),
    /// by account id; again to hand it to another.
    Assign { officer: String },
    /// Coordinator: another lead leader (an account id) for a decided case,
    /// when the one named leaves.
    AssignLeader { leader: String },
}

impl EventKind {
    /// Flow events move the case through its lifecycle (or, for extensions,
    /// change its deadline), so two of them made concurrently can conflict.
    /// The others are records that always merge.
    pub fn is_flow(&self) -> bool {
        !matches!(
            self,
            EventKind::PostProgress { .. }
                | EventKind::BookSession { .. }
                | EventKind::TickMilestone { .. }
                | EventKind::CallBack { .. }
                | EventKind::Rectify { .. }
                | EventKind::DisputeReview { .. }
                | EventKind::RecheckReview { .. }
                | EventKind::RequestInfo { .. }
                | EventKind::AddInfo { .. }
                | EventKind::RequestReopen { .. }
                | EventKind::Invite { .. }
                | EventKind::ReplyInvitation { .. }
                | EventKind::RecordAttendance { .. }
                | EventKind::PublishTitle { .. }
                | EventKind::Assign { .. }
                | EventKind::AssignLeader { .. }
        )
    }

    /// A stable machine name, used for messages and i18n keys.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Submit => "submit",
            EventKind::Route { .. } => "route",
            EventKind::Decline { .. } => "decline",
            EventKind::MergeInto { .. } => "merge",
            EventKind::ReplyOnline { .. } => "reply_online",
            EventKind::BookSession { .. } => "book_session",
            EventKind::Schedule { .. } => "schedule",
            EventKind::Invite { .. } => "invite",
            EventKind::ReplyInvitation { .. } => "reply_invitation",
            EventKind::RecordAttendance { .. } => "record_attendance",
            EventKind::Decide { .. } => "decide",
            EventKind::StartWork { .. } => "start_work",
            EventKind::PostProgress { .. } => "post_progress",
            EventKind::TickMilestone { .. } => "tick_milestone",
            EventKind::RequestExtension { .. } => "request_extension",
            EventKind::DecideExtension { .. } => "decide_extension",
            EventKind::Resolve { .. } => "resolve",
            EventKind::Rate { .. } => "rate",
            EventKind::CallBack { .. } => "call_back",
            EventKind::Rectify { .. } => "rectify",
            EventKind::DisputeReview { .. } => "dispute_review",
            EventKind::RecheckReview { .. } => "recheck_review",
            EventKind::RequestInfo { .. } => "request_info",
            EventKind::AddInfo { .. } => "add_info",
            EventKind::RequestReopen { .. } => "request_reopen",
            EventKind::Reopen { .. } => "reopen",
            EventKind::Close => "close",
            EventKind::Settle { .. } => "settle",
            EventKind::PublishTitle { .. } => "publish_title",
            EventKind::Assign { .. } => "assign",
            EventKind::AssignLeader { .. } => "assign_leader",
        }
    }
}

/// One entry of a case's event list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Event {
    /// Unique id, chosen by the author's device.
    pub id: String,
    /// The user who appended it.
    pub author: String,
    /// The author's device time, ms since the epoch. Used for deadlines and
    /// to order concurrent events deterministically, never for causality.
    pub at_ms: i64,
    /// The events the author's device had as latest when appending this one:
    /// the causal links that tell "after" from "concurrent".
    pub after: Vec<String>,
    pub kind: EventKind,
}

/// The 好差评 five levels of a 0–100 score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ReviewLevel {
    VeryDissatisfied,
    Dissatisfied,
    Basic,
    Satisfied,
    VerySatisfied,
}

impl ReviewLevel {
    pub fn of_score(score: u8) -> ReviewLevel {
        match score {
            90.. => ReviewLevel::VerySatisfied,
            75..=89 => ReviewLevel::Satisfied,
            60..=74 => ReviewLevel::Basic,
            40..=59 => ReviewLevel::Dissatisfied,
            _ => ReviewLevel::VeryDissatisfied,
        }
    }

    /// Below 60 opens the bad-review loop (call back, rectify, rate again).
    pub fn is_bad(self) -> bool {
        self <= ReviewLevel::Dissatisfied
    }

    /// The name shown to people.
    pub fn label(self) -> Label {
        match self {
            ReviewLevel::VerySatisfied => Label::new("非常满意", "Very satisfied"),
            ReviewLevel::Satisfied => Label::new("满意", "Satisfied"),
            ReviewLevel::Basic => Label::new("基本满意", "Fairly satisfied"),
            ReviewLevel::Dissatisfied => Label::new("不满意", "Dissatisfied"),
            ReviewLevel::VeryDissatisfied => Label::new("非常不满意", "Very dissatisfied"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_levels_follow_the_national_scheme() {
        let levels: Vec<_> = [100, 90, 89, 75, 74, 60, 59, 40, 39, 0].map(ReviewLevel::of_score).into();
        use ReviewLevel::*;
        assert_eq!(
            levels,
            [
                VerySatisfied,
                VerySatisfied,
                Satisfied,
                Satisfied,
                Basic,
                Basic,
                Dissatisfied,
                Dissatisfied,
                VeryDissatisfied,
                VeryDissatisfied
            ]
        );
        assert!(ReviewLevel::of_score(59).is_bad());
        assert!(!ReviewLevel::of_score(60).is_bad());
    }
}
