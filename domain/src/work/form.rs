//! The form behind each action: which inputs it has, and how what people
//! typed becomes an event (or a message saying what to fix). The app draws
//! the inputs from [`fields`] and calls [`build`]; nothing is checked twice.

use std::collections::BTreeMap;

use super::ActionKind;
use crate::case::CaseDoc;
use crate::directory::Directory;
use crate::event::{Channel, EventKind, Milestone};
use crate::meeting::Session;
use crate::status::CaseState;
use crate::time::Day;
use crate::{DomainError, Label};

/// What people typed, by field key. Checkboxes hold "true"/"false", lists
/// of codes are comma-separated.
pub type Form = BTreeMap<String, String>;

/// The longest free text of an action (a reply, a progress note).
pub const ACTION_TEXT_MAX: usize = 2000;
/// The most working days one extension request may ask for.
pub const EXTENSION_MAX_DAYS: u32 = 15;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    LongText,
    Department,
    Departments,
    Channel,
    Score,
    Check,
    WorkingDays,
    /// One of the upcoming sessions of the case's district.
    Session,
    /// One `YYYY-MM-DD title` per line.
    Milestones,
    /// One of the open conflict's options.
    ConflictOption,
    /// One of the decision's milestones not yet ticked.
    OpenMilestone,
    /// Another case (id or number), e.g. the one a duplicate merges into.
    OtherCase,
    /// Files kept on the device and uploaded when online: their SHA-256
    /// hashes, comma-separated.
    Files,
    /// A leader's account who may lead a case of the district.
    Leader,
    /// An officer's account of the lead unit.
    Officer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub key: &'static str,
    pub input: Input,
    pub label: Label,
}

/// A field spec as a constant expression, so the lists below are statics.
macro_rules! f {
    ($key:literal, $input:ident, $zh:literal, $en:literal) => {
        FieldSpec { key: $key, input: Input::$input, label: Label { zh: $zh, en: $en } }
    };
}

/// The inputs of an action's form, in the order they are shown.
pub fn fields(action: ActionKind) -> &'static [FieldSpec] {
    match action {
        ActionKind::Book => &[f!("session", Session, "预约的现场活动", "Session to book")],
        ActionKind::Route => &[
            f!("lead_department", Department, "牵头部门", "Lead department"),
            f!("assisting", Departments, "协办部门", "Assisting departments"),
            f!("channel", Channel, "办理方式", "How it is handled"),
        ],
        ActionKind::Decline => &[f!("reason", LongText, "不予受理的理由(企业可见)", "Reason (the enterprise sees it)")],
        ActionKind::Merge => &[f!("target", OtherCase, "合并到诉求", "Merge into case")],
        ActionKind::Schedule => &[f!("session", Session, "现场活动", "Session")],
        ActionKind::Invite => &[f!("place", Text, "地点与安排", "Place and arrangements")],
        ActionKind::ReplyInvitation => &[f!("attending", Check, "我方将派人参加", "We will attend")],
        ActionKind::Attend => &[f!("attended", Check, "企业已到场", "The enterprise came")],
        ActionKind::Reply => &[f!("text", LongText, "答复内容", "Answer")],
        ActionKind::Decide => &[
            f!("lead_leader", Leader, "牵头领导", "Lead leader"),
            f!("lead_department", Department, "牵头部门", "Lead department"),
            f!("assisting", Departments, "协办部门", "Assisting departments"),
            f!("milestones", Milestones, "办理时间表(每行:日期 节点)", "Timetable (one per line: date milestone)"),
        ],
        ActionKind::StartWork => &[f!("plan", LongText, "办理方案", "Proposed solution")],
        ActionKind::Progress => &[f!("text", LongText, "办理进展", "Progress")],
        ActionKind::Tick => &[f!("milestone", OpenMilestone, "完成的节点", "Milestone done")],
        ActionKind::RequestExtension => &[
            f!("working_days", WorkingDays, "延期工作日数", "Extra working days"),
            f!("reason", LongText, "延期理由", "Reason"),
        ],
        ActionKind::DecideExtension => {
            &[f!("approved", Check, "同意延期", "Approve the extension"), f!("note", Text, "意见", "Note")]
        }
        ActionKind::Resolve => {
            &[f!("summary", LongText, "办结情况", "How it was solved"), f!("evidence", Files, "证明材料", "Evidence")]
        }
        ActionKind::Rate => &[
            f!("score", Score, "评分(0–100)", "Score (0–100)"),
            f!("comment", LongText, "评价", "Comment"),
            f!("public", Check, "公开我的评价", "Publish my rating"),
        ],
        ActionKind::CallBack => &[f!("note", LongText, "回访情况", "Call-back notes")],
        ActionKind::Rectify => &[f!("note", LongText, "整改情况", "What was rectified")],
        ActionKind::Dispute => &[f!("reason", LongText, "申诉理由", "Why the review is malicious")],
        ActionKind::Recheck => {
            &[f!("upheld", Check, "维持该评价", "Keep the review"), f!("note", LongText, "复核意见", "Re-check notes")]
        }
        ActionKind::RequestInfo => &[f!("question", LongText, "需要企业补充的内容", "What the enterprise should add")],
        ActionKind::AddInfo => {
            &[f!("text", LongText, "补充信息", "Information"), f!("attachments", Files, "附件", "Attachments")]
        }
        ActionKind::RequestReopen => &[f!("reason", LongText, "重新办理的理由", "Why it should be reopened")],
        ActionKind::Reopen => &[f!("note", LongText, "重新办理说明", "Note")],
        ActionKind::Close => &[],
        ActionKind::Publish => &[f!("title", Text, "公开标题(已去除个人信息)", "Public title (personal data removed)")],
        ActionKind::Settle => &[f!("chosen", ConflictOption, "采用的处理", "Outcome to keep")],
        ActionKind::Assign => &[f!("officer", Officer, "承办人", "Officer in charge")],
        ActionKind::AssignLeader => &[f!("leader", Leader, "新的牵头领导", "New lead leader")],
    }
}

/// Turns a filled form into the event it asks for.
pub fn build(
    action: ActionKind,
    form: &Form,
    case: &CaseDoc,
    state: &CaseState,
    directory: &Directory,
) -> Result<EventKind, DomainError> {
    let get = |key: &str| form.get(key).map(String::as_str).unwrap_or("");
    let label =
        |key: &str| fields(action).iter().find(|s| s.key == key).map_or(Label::new("内容", "text"), |s| s.label);
    let text = |key: &str| required_text(label(key), get(key));
    let check = |key: &str| get(key) == "true";
    let department = |key: &str| department(label(key), get(key), directory);
    use EventKind as K;
    let kind = match action {
        ActionKind::Book => {
            let session = Session::parse(get("session"))?;
            K::BookSession { session: session.id, day: session.day }
        }
        ActionKind::Route => K::Route {
            lead_department: department("lead_department")?,
            assisting: departments(get("assisting"), directory)?,
            channel: match get("channel") {
                "session" => Channel::Session,
                "online" => Channel::Online,
                other => {
                    return Err(DomainError::UnknownCode {
                        what: Label::new("办理方式", "way of handling"),
                        code: other.into(),
                    });
                }
            },
        },
        ActionKind::Decline => K::Decline { reason: text("reason")? },
        ActionKind::Merge => K::MergeInto { target: other_case(get("target"), case)? },
        ActionKind::Schedule => {
            let session = Session::parse(get("session"))?;
            K::Schedule { session: session.id, day: session.day }
        }
        ActionKind::Invite => {
            let (session, day) = agenda_session(state)?;
            K::Invite { session, day, place: text("place")? }
        }
        ActionKind::ReplyInvitation => {
            K::ReplyInvitation { session: agenda_session(state)?.0, attending: check("attending") }
        }
        ActionKind::Attend => K::RecordAttendance { session: agenda_session(state)?.0, attended: check("attended") },
        ActionKind::Reply => K::ReplyOnline { text: text("text")? },
        ActionKind::Decide => K::Decide {
            lead_leader: text("lead_leader")?,
            lead_department: department("lead_department")?,
            assisting: departments(get("assisting"), directory)?,
            milestones: milestones(get("milestones"))?,
        },
        ActionKind::StartWork => K::StartWork { plan: text("plan")? },
        ActionKind::Assign => K::Assign { officer: text("officer")? },
        ActionKind::AssignLeader => K::AssignLeader { leader: text("leader")? },
        ActionKind::Progress => K::PostProgress { text: text("text")? },
        ActionKind::Tick => {
            let id = get("milestone");
            let open = state.flow.milestones.iter().any(|m| m.id == id) && !state.records.ticked.contains_key(id);
            if !open {
                return Err(DomainError::UnknownCode { what: Label::new("节点", "milestone"), code: id.into() });
            }
            K::TickMilestone { milestone: id.into() }
        }
        ActionKind::RequestExtension => K::RequestExtension {
            working_days: number(label("working_days"), get("working_days"), 1, EXTENSION_MAX_DAYS)?,
            reason: text("reason")?,
        },
        ActionKind::DecideExtension => {
            let pending = state.flow.pending_extension.as_ref().ok_or(DomainError::NothingPending)?;
            K::DecideExtension {
                request: pending.event.clone(),
                approved: check("approved"),
                note: optional(get("note"))?,
            }
        }
        ActionKind::Resolve => K::Resolve { summary: text("summary")?, evidence: hashes(get("evidence")) },
        ActionKind::Rate => K::Rate {
            score: u8::try_from(number(label("score"), get("score"), 0, 100)?).unwrap_or(100),
            comment: optional(get("comment"))?,
            public: check("public"),
        },
        ActionKind::CallBack => K::CallBack { note: text("note")? },
        ActionKind::Rectify => K::Rectify { note: text("note")? },
        ActionKind::Dispute => K::DisputeReview { reason: text("reason")? },
        ActionKind::Recheck => K::RecheckReview { upheld: check("upheld"), note: text("note")? },
        ActionKind::RequestInfo => K::RequestInfo { question: text("question")? },
        ActionKind::AddInfo => K::AddInfo { text: text("text")?, attachments: hashes(get("attachments")) },
        ActionKind::RequestReopen => K::RequestReopen { reason: text("reason")? },
        ActionKind::Reopen => K::Reopen { note: text("note")? },
        ActionKind::Close => K::Close,
        ActionKind::Publish => K::PublishTitle { title: text("title")? },
        ActionKind::Settle => {
            let chosen = get("chosen");
            let options = state.conflict.iter().flat_map(|c| &c.options);
            if !options.clone().any(|o| o.event == chosen) {
                return Err(DomainError::UnknownCode {
                    what: Label::new("裁定选项", "option"), code: chosen.into()
                });
            }
            K::Settle { chosen: chosen.into() }
        }
    };
    // The limits the server holds every synced event to.
    kind.validate_for(&case.district, directory)?;
    Ok(kind)
}

/// The session the case is on (what invitations and attendance are about).
fn agenda_session(state: &CaseState) -> Result<(String, crate::time::Day), DomainError> {
    state.flow.session.clone().ok_or(DomainError::Required { field: Label::new("现场活动", "session") })
}

/// A comma-separated list of file hashes (checked with the event).
fn hashes(list: &str) -> Vec<String> {
    list.split(',').map(str::trim).filter(|h| !h.is_empty()).map(String::from).collect()
}

fn required_text(field: Label, value: &str) -> Result<String, DomainError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(DomainError::Required { field });
    }
    optional(value)
}

fn optional(value: &str) -> Result<String, DomainError> {
    let value = value.trim();
    if value.chars().count() > ACTION_TEXT_MAX {
        return Err(DomainError::TooLong { field: Label::new("内容", "text"), max: ACTION_TEXT_MAX });
    }
    Ok(value.to_string())
}

fn department(field: Label, code: &str, directory: &Directory) -> Result<String, DomainError> {
    if code.is_empty() {
        return Err(DomainError::Required { field });
    }
    Ok(directory.unit(code)?.code.clone())
}

fn departments(codes: &str, directory: &Directory) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::new();
    for code in codes.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let code = directory.unit(code)?.code.clone();
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

fn number(field: Label, value: &str, min: u32, max: u32) -> Result<u32, DomainError> {
    let out_of_range = || DomainError::OutOfRange { field, min, max };
    let n: u32 = value.trim().parse().map_err(|_| out_of_range())?;
    if (min..=max).contains(&n) { Ok(n) } else { Err(out_of_range()) }
}

fn other_case(target: &str, case: &CaseDoc) -> Result<String, DomainError> {
    let target = required_text(Label::new("合并到诉求", "case to merge into"), target)?;
    if target == case.id || case.number.as_deref() == Some(target.as_str()) {
        return Err(DomainError::MergeIntoSelf);
    }
    Ok(target)
}

/// Parses a timetable: one milestone per line, `YYYY-MM-DD title`.
pub fn milestones(text: &str) -> Result<Vec<Milestone>, DomainError> {
    let lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let parsed = lines
        .enumerate()
        .map(|(i, line)| {
            let bad = || DomainError::BadMilestone { line: i + 1 };
            let (date, title) = line.split_once(char::is_whitespace).ok_or_else(bad)?;
            let due = Day::parse(date).map_err(|_| bad())?;
            let title = required_text(Label::new("节点名称", "milestone"), title)?;
            Ok(Milestone { id: format!("m{}", i + 1), title, due })
        })
        .collect::<Result<Vec<_>, DomainError>>()?;
    if parsed.is_empty() {
        return Err(DomainError::Required { field: Label::new("办理时间表", "timetable") });
    }
    Ok(parsed)
}
