//! The lifecycle (DESIGN.md §3): what each flow event does to a case.

use super::{ExtensionRequest, Flow, Rating, Records, RefusalReason, Status};
use crate::event::{Channel, Event, EventKind};

/// The lifecycle: what a flow event does to the flow, or why it cannot.
pub(super) fn transition(flow: &Flow, records: &Records, event: &Event) -> Result<Flow, RefusalReason> {
    use Status::*;
    let mut next = flow.clone();
    let at = event.at_ms;
    let status = flow.status;
    let allowed = |from: &[Status]| from.contains(&status);
    let ok = match &event.kind {
        EventKind::Submit if allowed(&[Draft]) => {
            next.status = Submitted;
            next.submitted_ms = Some(at);
            true
        }
        EventKind::Route { lead_department, assisting, channel } if allowed(&[Submitted, Routed]) => {
            next.status = Routed;
            next.lead_department = Some(lead_department.clone());
            next.assisting = assisting.clone();
            next.channel = Some(*channel);
            next.routed_ms = Some(at);
            true
        }
        EventKind::Decline { reason } if allowed(&[Submitted]) => {
            next.status = Declined;
            next.decline_reason = Some(reason.clone());
            true
        }
        EventKind::MergeInto { target } if allowed(&[Submitted, Routed]) => {
            next.status = Merged;
            next.merged_into = Some(target.clone());
            true
        }
        EventKind::ReplyOnline { text } if allowed(&[Routed]) && flow.channel == Some(Channel::Online) => {
            next.status = AnsweredOnline;
            next.answer = Some(text.clone());
            true
        }
        EventKind::Schedule { session, day } if allowed(&[Submitted, Routed, AnsweredOnline, Scheduled]) => {
            next.status = Scheduled;
            next.channel = Some(Channel::Session);
            next.session = Some((session.clone(), *day));
            true
        }
        EventKind::Decide { lead_leader, lead_department, assisting, milestones } if allowed(&[Scheduled]) => {
            next.status = Decided;
            next.lead_leader = Some(lead_leader.clone());
            next.lead_department = Some(lead_department.clone());
            next.assisting = assisting.clone();
            next.milestones = milestones.clone();
            next.decided_ms = Some(at);
            true
        }
        EventKind::StartWork { .. } if allowed(&[Routed, AnsweredOnline, Decided, Reopened]) => {
            next.status = InProgress;
            true
        }
        EventKind::RequestExtension { working_days, reason }
            if allowed(&[Routed, AnsweredOnline, Decided, InProgress]) && flow.pending_extension.is_none() =>
        {
            next.pending_extension =
                Some(ExtensionRequest { event: event.id.clone(), working_days: *working_days, reason: reason.clone() });
            true
        }
        EventKind::DecideExtension { request, approved, .. }
            if flow.pending_extension.as_ref().is_some_and(|p| &p.event == request) =>
        {
            if let Some(p) = next.pending_extension.take().filter(|_| *approved) {
                next.extension_days += p.working_days;
            }
            true
        }
        EventKind::Resolve { summary, .. } if allowed(&[AnsweredOnline, Decided, InProgress]) => {
            next.status = Resolved;
            next.resolution = Some(summary.clone());
            next.resolved_ms = Some(at);
            next.pending_extension = None;
            next.ratings_since_resolved = 0;
            true
        }
        EventKind::Rate { score, comment, public } if *score <= 100 && may_rate(flow, records) => {
            next.status = Rated;
            next.ratings_since_resolved += 1;
            next.ratings.push(Rating {
                event: event.id.clone(),
                score: *score,
                comment: comment.clone(),
                public: *public,
                at_ms: at,
            });
            true
        }
        EventKind::Reopen { .. } if allowed(&[Resolved, Rated, Closed]) => {
            next.status = Reopened;
            next.reopen_count += 1;
            next.reopened_ms = Some(at);
            true
        }
        EventKind::Close if allowed(&[Resolved, Rated]) => {
            next.status = Closed;
            true
        }
        _ => false,
    };
    if ok { Ok(next) } else { Err(RefusalReason::NotAllowedIn { status, action: event.kind.name() }) }
}

/// A first rating after resolution; after a bad one, exactly one more once
/// the department has rectified (the 好差评 loop).
fn may_rate(flow: &Flow, records: &Records) -> bool {
    match (flow.status, flow.ratings.last()) {
        (Status::Resolved, _) => true,
        (Status::Rated, Some(last)) => {
            last.level().is_bad()
                && flow.ratings_since_resolved == 1
                && records.rectified_rating.as_deref() == Some(last.event.as_str())
        }
        _ => false,
    }
}
