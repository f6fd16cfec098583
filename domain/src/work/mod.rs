//! What happens next on a case: whom it waits on (for worklists) and which
//! actions a user may take now (for the action panel). Both follow from the
//! derived state and the one permission check, so the app never offers what
//! the server would refuse.

mod form;

pub use form::{ACTION_TEXT_MAX, EXTENSION_MAX_DAYS, FieldSpec, Form, Input, build, fields, milestones};

use serde::{Deserialize, Serialize};

use crate::case::CaseDoc;
use crate::event::{Channel, Event, EventKind};
use crate::permission::{Action, CaseParties, User, authorize};
use crate::status::{self, CaseState, Invitation, Status};

/// Who must act next for the case to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Party {
    Enterprise,
    Coordinator,
    LeadDepartment,
    Leader,
}

/// The parties the case waits on now (several when work runs in parallel,
/// e.g. an extension request beside the department's work).
pub fn waiting_on(state: &CaseState) -> Vec<Party> {
    use Party::*;
    let flow = &state.flow;
    let records = &state.records;
    let mut out = Vec::new();
    if state.conflict.is_some() {
        out.push(Coordinator);
    }
    match flow.status {
        Status::Submitted => out.push(Coordinator),
        Status::Routed if flow.channel == Some(Channel::Session) => out.push(Coordinator),
        Status::Routed | Status::AnsweredOnline | Status::Decided | Status::InProgress | Status::Reopened => {
            out.push(LeadDepartment)
        }
        Status::Scheduled => out.push(Leader),
        Status::Resolved => out.push(Enterprise),
        Status::Rated => {
            let last = flow.ratings.last();
            let answered = |r: &Option<String>| last.is_some_and(|l| r.as_deref() == Some(l.event.as_str()));
            if last.is_some_and(|l| l.level().is_bad()) {
                if !answered(&records.called_back_rating) || !answered(&records.rectified_rating) {
                    out.push(LeadDepartment);
                } else if flow.ratings_since_resolved == 1 {
                    out.push(Enterprise);
                }
            }
        }
        _ => {}
    }
    if flow.pending_extension.is_some() {
        out.push(Coordinator);
    }
    if records.disputes.len() > records.rechecks.len() {
        out.push(Coordinator);
    }
    if flow.status == Status::Scheduled && invitation(state).is_some_and(|i| i.attending.is_none()) {
        out.push(Enterprise);
    }
    let asked = records.info_requests.last().map(|n| n.at_ms);
    if flow.status.is_open() && asked > records.info_added.last().map(|n| n.at_ms) {
        out.push(Enterprise);
    }
    let reopen_asked = records.reopen_requests.last().map(|n| n.at_ms);
    if matches!(flow.status, Status::Resolved | Status::Rated | Status::Closed) && reopen_asked.is_some() {
        out.push(Coordinator);
    }
    out.dedup();
    out
}

/// The invitation to the session the case is on, if it was invited.
pub fn invitation(state: &CaseState) -> Option<&Invitation> {
    state.flow.session.as_ref().and_then(|(id, _)| state.records.invitations.get(id))
}

/// Everything a person can do to a case, one per event kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActionKind {
    Book,
    Route,
    Decline,
    Merge,
    Schedule,
    Invite,
    ReplyInvitation,
    Attend,
    Reply,
    Decide,
    StartWork,
    Progress,
    Tick,
    RequestExtension,
    DecideExtension,
    Resolve,
    Rate,
    CallBack,
    Rectify,
    Dispute,
    Recheck,
    RequestInfo,
    AddInfo,
    RequestReopen,
    Reopen,
    Close,
    Settle,
    Publish,
    Assign,
    AssignLeader,
}

impl ActionKind {
    pub const ALL: [ActionKind; 30] = [
        ActionKind::Book,
        ActionKind::Route,
        ActionKind::Decline,
        ActionKind::Merge,
        ActionKind::Schedule,
        ActionKind::Invite,
        ActionKind::ReplyInvitation,
        ActionKind::Attend,
        ActionKind::Reply,
        ActionKind::Decide,
        ActionKind::StartWork,
        ActionKind::Progress,
        ActionKind::Tick,
        ActionKind::RequestExtension,
        ActionKind::DecideExtension,
        ActionKind::Resolve,
        ActionKind::Rate,
        ActionKind::CallBack,
        ActionKind::Rectify,
        ActionKind::Dispute,
        ActionKind::Recheck,
        ActionKind::RequestInfo,
        ActionKind::AddInfo,
        ActionKind::RequestReopen,
        ActionKind::Reopen,
        ActionKind::Close,
        ActionKind::Settle,
        ActionKind::Publish,
        ActionKind::Assign,
        ActionKind::AssignLeader,
    ];

    /// A stable name for tests, styles and form ids.
    pub fn name(self) -> &'static str {
        match self {
            ActionKind::Book => "book",
            ActionKind::Route => "route",
            ActionKind::Decline => "decline",
            ActionKind::Merge => "merge",
            ActionKind::Schedule => "schedule",
            ActionKind::Invite => "invite",
            ActionKind::ReplyInvitation => "reply-invitation",
            ActionKind::Attend => "attend",
            ActionKind::Reply => "reply",
            ActionKind::Decide => "decide",
            ActionKind::StartWork => "start-work",
            ActionKind::Progress => "progress",
            ActionKind::Tick => "tick",
            ActionKind::RequestExtension => "request-extension",
            ActionKind::DecideExtension => "decide-extension",
            ActionKind::Resolve => "resolve",
            ActionKind::Rate => "rate",
            ActionKind::CallBack => "call-back",
            ActionKind::Rectify => "rectify",
            ActionKind::Dispute => "dispute",
            ActionKind::Recheck => "recheck",
            ActionKind::RequestInfo => "request-info",
            ActionKind::AddInfo => "add-info",
            ActionKind::RequestReopen => "request-reopen",
            ActionKind::Reopen => "reopen",
            ActionKind::Close => "close",
            ActionKind::Settle => "settle",
            ActionKind::Publish => "publish",
            ActionKind::Assign => "assign",
            ActionKind::AssignLeader => "assign-leader",
        }
    }

    /// An event of this kind with placeholder content that the lifecycle
    /// would judge like the real one; `None` when the case offers nothing
    /// to act on (no pending extension, no unticked milestone, no conflict).
    fn sample(self, state: &CaseState) -> Option<EventKind> {
        use EventKind as K;
        let text = String::from("·");
        let flow = &state.flow;
        Some(match self {
            ActionKind::Book => K::BookSession { session: text, day: crate::time::Day::of_instant(0) },
            ActionKind::Route => K::Route {
                lead_department: "natres".into(),
                assisting: vec![],
                channel: flow.channel.unwrap_or(Channel::Online),
            },
            ActionKind::Decline => K::Decline { reason: text },
            ActionKind::Merge => K::MergeInto { target: text },
            ActionKind::Schedule => K::Schedule { session: text, day: crate::time::Day::of_instant(0) },
            ActionKind::Invite => {
                let (session, day) = flow.session.clone()?;
                K::Invite { session, day, place: text }
            }
            ActionKind::ReplyInvitation => {
                let (session, _) = flow.session.clone()?;
                K::ReplyInvitation { session, attending: true }
            }
            ActionKind::Attend => {
                let (session, _) = flow.session.clone()?;
                K::RecordAttendance { session, attended: true }
            }
            ActionKind::Reply => K::ReplyOnline { text },
            ActionKind::Decide => {
                K::Decide { lead_leader: text, lead_department: "natres".into(), assisting: vec![], milestones: vec![] }
            }
            ActionKind::StartWork => K::StartWork { plan: text },
            ActionKind::Progress => K::PostProgress { text },
            ActionKind::Tick => {
                let open = flow.milestones.iter().find(|m| !state.records.ticked.contains_key(&m.id))?;
                K::TickMilestone { milestone: open.id.clone() }
            }
            ActionKind::RequestExtension => K::RequestExtension { working_days: 1, reason: text },
            ActionKind::DecideExtension => K::DecideExtension {
                request: flow.pending_extension.as_ref()?.event.clone(),
                approved: true,
                note: text,
            },
            ActionKind::Resolve => K::Resolve { summary: text, evidence: vec![] },
            ActionKind::Rate => K::Rate { score: 85, comment: text, public: false },
            ActionKind::CallBack => K::CallBack { note: text },
            ActionKind::Rectify => K::Rectify { note: text },
            ActionKind::Dispute => K::DisputeReview { reason: text },
            ActionKind::Recheck => K::RecheckReview { upheld: true, note: text },
            ActionKind::RequestInfo => K::RequestInfo { question: text },
            ActionKind::AddInfo => K::AddInfo { text, attachments: vec![] },
            ActionKind::RequestReopen => K::RequestReopen { reason: text },
            ActionKind::Reopen => K::Reopen { note: text },
            ActionKind::Close => K::Close,
            ActionKind::Publish => K::PublishTitle { title: text },
            ActionKind::Settle => K::Settle { chosen: state.conflict.as_ref()?.options.first()?.event.clone() },
            ActionKind::Assign => K::Assign { officer: text },
            ActionKind::AssignLeader => K::AssignLeader { leader: text },
        })
    }
}

/// The actions `user` may take on the case now: allowed by the permission
/// check and accepted by the lifecycle if appended after the current heads.
pub fn available(user: &User, case: &CaseDoc, state: &CaseState) -> Vec<ActionKind> {
    let parties = CaseParties { enterprise: &case.enterprise.id, district: &case.district, state };
    let heads = case.heads();
    ActionKind::ALL
        .into_iter()
        .filter(|action| fits_status(*action, state))
        .filter(|action| {
            let Some(kind) = action.sample(state) else { return false };
            if authorize(user, &parties, Action::Append(&kind)).is_err() {
                return false;
            }
            let probe =
                Event { id: "\u{1}probe".into(), author: user.id.clone(), at_ms: i64::MAX, after: heads.clone(), kind };
            let after = status::derive(case.events.values().chain(std::iter::once(&probe)));
            !after.refused.iter().any(|r| r.event == probe.id) && !after.duplicates.contains(&probe.id)
        })
        .collect()
}

/// Records always merge, so the lifecycle accepts them in more states than
/// make sense to offer; these are the states where each is useful.
fn fits_status(action: ActionKind, state: &CaseState) -> bool {
    let status = state.flow.status;
    let working = matches!(
        status,
        Status::Routed
            | Status::AnsweredOnline
            | Status::Scheduled
            | Status::Decided
            | Status::InProgress
            | Status::Reopened
    );
    match action {
        ActionKind::Progress => working,
        // While the coordinator has not put it on an agenda.
        ActionKind::Book => matches!(status, Status::Submitted | Status::Routed),
        ActionKind::RequestInfo => working || status == Status::Submitted,
        ActionKind::AddInfo => status.is_open(),
        // One open request at a time: a new one only after a reopening.
        ActionKind::RequestReopen => {
            state.records.reopen_requests.last().is_none_or(|r| Some(r.at_ms) < state.flow.reopened_ms)
        }
        ActionKind::Recheck => state.records.disputes.len() > state.records.rechecks.len(),
        // Once per session: invite, answer, and record who came.
        ActionKind::Invite => status == Status::Scheduled && invitation(state).is_none(),
        ActionKind::ReplyInvitation => {
            status == Status::Scheduled && invitation(state).is_some_and(|i| i.attending.is_none())
        }
        ActionKind::Attend => {
            matches!(status, Status::Scheduled | Status::Decided)
                && invitation(state).is_none_or(|i| i.attended.is_none())
        }
        ActionKind::Dispute => state.records.disputes.len() == state.records.rechecks.len(),
        // While the lead unit works on it, or a decided case's leader.
        ActionKind::Assign => working,
        ActionKind::AssignLeader => status.is_open() && state.flow.lead_leader.is_some(),
        _ => true,
    }
}
