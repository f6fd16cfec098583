//! Limits on what an event may carry, whoever wrote it: the app's forms
//! build events within them, and the server refuses synced events outside
//! them (a hand-made change could carry anything).

use super::{Event, EventKind};
use crate::directory::Directory;
use crate::meeting::Session;
use crate::work::{ACTION_TEXT_MAX, EXTENSION_MAX_DAYS};
use crate::{DomainError, Label};

/// Longest event id or reference to one (ids are UUIDs or short names).
const ID_MAX: usize = 64;
/// Most causal links an event may name.
const AFTER_MAX: usize = 64;
/// Most milestones of one decision's timetable.
pub const MILESTONES_MAX: usize = 50;
/// Most attachments named by one event.
const ATTACHMENTS_MAX: usize = 9;

fn text(field: Label, value: &str) -> Result<(), DomainError> {
    if value.chars().count() > ACTION_TEXT_MAX {
        return Err(DomainError::TooLong { field, max: ACTION_TEXT_MAX });
    }
    Ok(())
}

fn id(value: &str) -> Result<(), DomainError> {
    if value.is_empty() || value.len() > ID_MAX {
        return Err(DomainError::Document(format!("bad event reference ({} bytes)", value.len())));
    }
    Ok(())
}

/// Units named to work on a case of `district`: each must serve it.
fn departments<'a>(
    codes: impl IntoIterator<Item = &'a String>,
    district: &str,
    directory: &Directory,
) -> Result<(), DomainError> {
    codes.into_iter().try_for_each(|c| directory.routable(c, district).map(drop))
}

fn session(id: &str, day: crate::time::Day) -> Result<(), DomainError> {
    let parsed = Session::parse(id)?;
    if parsed.day != day {
        return Err(DomainError::Document(format!("session {id} is not on {day}")));
    }
    Ok(())
}

fn hashes(list: &[String]) -> Result<(), DomainError> {
    if list.len() > ATTACHMENTS_MAX {
        return Err(DomainError::TooManyAttachments { max: ATTACHMENTS_MAX });
    }
    let hex = |h: &String| h.len() == 64 && h.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'));
    match list.iter().find(|h| !hex(h)) {
        Some(bad) => Err(DomainError::Document(format!("bad attachment hash {bad}"))),
        None => Ok(()),
    }
}

impl Event {
    /// Checks an event of a case in `district`, by `directory`.
    pub fn validate(&self, district: &str, directory: &Directory) -> Result<(), DomainError> {
        id(&self.id)?;
        id(&self.author)?;
        if self.after.len() > AFTER_MAX {
            return Err(DomainError::Document(format!("an event follows at most {AFTER_MAX} others")));
        }
        self.after.iter().try_for_each(|a| id(a))?;
        self.kind.validate_for(district, directory)
    }
}

impl EventKind {
    /// The session an event names, if any.
    pub fn session(&self) -> Option<&str> {
        use EventKind::*;
        match self {
            BookSession { session, .. }
            | Schedule { session, .. }
            | Invite { session, .. }
            | ReplyInvitation { session, .. }
            | RecordAttendance { session, .. } => Some(session),
            _ => None,
        }
    }

    /// Checks an event of a case in `district`: what it carries, that the
    /// units it names serve the district, and that a named session
    /// includes it (a case goes only to its own district's sessions).
    pub fn validate_for(&self, district: &str, directory: &Directory) -> Result<(), DomainError> {
        self.validate_content(district, directory)?;
        match self.session().map(Session::parse).transpose()? {
            Some(session) if !session.covers(district) => Err(DomainError::SessionElsewhere),
            Some(session) => session.districts.iter().try_for_each(|d| directory.district(d).map(drop)),
            None => Ok(()),
        }
    }

    fn validate_content(&self, district: &str, directory: &Directory) -> Result<(), DomainError> {
        use EventKind::*;
        let content = Label::new("内容", "text");
        match self {
            Submit | Close => Ok(()),
            Route { lead_department, assisting, .. } => {
                departments(std::iter::once(lead_department).chain(assisting), district, directory)
            }
            Decline { reason: t }
            | ReplyOnline { text: t }
            | StartWork { plan: t }
            | PostProgress { text: t }
            | CallBack { note: t }
            | Rectify { note: t }
            | DisputeReview { reason: t }
            | RecheckReview { note: t, .. }
            | RequestInfo { question: t }
            | RequestReopen { reason: t }
            | Reopen { note: t }
            | DecideExtension { note: t, .. } => text(content, t),
            MergeInto { target } => id(target),
            BookSession { session: s, day } | Schedule { session: s, day } => session(s, *day),
            Invite { session: s, day, place } => {
                session(s, *day)?;
                text(Label::new("地点与安排", "place and arrangements"), place)
            }
            ReplyInvitation { session: s, .. } | RecordAttendance { session: s, .. } => Session::parse(s).map(drop),
            Decide { lead_leader, lead_department, assisting, milestones } => {
                text(Label::new("牵头领导", "lead leader"), lead_leader)?;
                departments(std::iter::once(lead_department).chain(assisting), district, directory)?;
                if milestones.len() > MILESTONES_MAX {
                    return Err(DomainError::Document(format!("at most {MILESTONES_MAX} milestones")));
                }
                milestones.iter().try_for_each(|m| {
                    id(&m.id)?;
                    text(Label::new("节点名称", "milestone"), &m.title)
                })
            }
            TickMilestone { milestone } => id(milestone),
            Assign { officer: person } | AssignLeader { leader: person } => id(person),
            RequestExtension { working_days, reason } => {
                if !(1..=EXTENSION_MAX_DAYS).contains(working_days) {
                    let field = Label::new("延期工作日数", "extra working days");
                    return Err(DomainError::OutOfRange { field, min: 1, max: EXTENSION_MAX_DAYS });
                }
                text(content, reason)
            }
            Resolve { summary, evidence } => {
                text(content, summary)?;
                hashes(evidence)
            }
            Rate { score, comment, .. } => {
                if *score > 100 {
                    return Err(DomainError::OutOfRange { field: Label::new("评分", "score"), min: 0, max: 100 });
                }
                text(content, comment)
            }
            AddInfo { text: t, attachments } => {
                text(content, t)?;
                hashes(attachments)
            }
            Settle { chosen } => id(chosen),
            PublishTitle { title } => {
                crate::case::required(Label::new("公开标题", "public title"), title, crate::case::TITLE_MAX).map(drop)
            }
        }
    }
}
