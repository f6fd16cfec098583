//! Roles and permissions: one function, [`authorize`], answers whether a
//! user may append an event to a case or edit one of its fields. The server
//! checks every synced change with it; the app uses it to show only what the
//! user may do.

use crate::Label;
use serde::{Deserialize, Serialize};

use crate::directory::CITY;
use crate::event::EventKind;
use crate::status::{CaseState, Status};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Enterprise,
    Coordinator,
    Officer,
    Leader,
    Admin,
}

/// A signed-in user. `org` is the enterprise id for an enterprise user and
/// the department code for an officer; `district` is where a coordinator or
/// leader serves ([`CITY`] serves the city level and may act in every district).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub role: Role,
    pub org: Option<String>,
    pub district: Option<String>,
}

impl User {
    /// Whether this is the account that registered its enterprise: the
    /// enterprise's own administrator, who invites colleagues.
    pub fn registered_enterprise(&self) -> bool {
        self.role == Role::Enterprise && self.org.as_ref().is_some_and(|org| self.id == registrant_id(org))
    }
}

/// The user id of the account that registers enterprise `enterprise_id`
/// (the one that files its appeals and invites its colleagues).
pub fn registrant_id(enterprise_id: &str) -> String {
    format!("user-{enterprise_id}")
}

/// Who a case belongs to and who works on it.
#[derive(Debug, Clone, Copy)]
pub struct CaseParties<'a> {
    pub enterprise: &'a str,
    pub district: &'a str,
    pub state: &'a CaseState,
}

/// Fields of a case document that people edit (everything else changes only
/// by appending events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Field {
    /// Title, description, category, attachments, whether a session is wanted.
    Appeal,
    /// The enterprise's contact person and phone: personal data.
    Contact,
    /// The public wording after redaction.
    PublicText,
    /// The human case number: assigned by the server only.
    CaseNumber,
    /// Implausible device times: flagged by the server only.
    TimeFlags,
}

#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    Append(&'a EventKind),
    Edit(Field),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Denied {
    NotAParty,
    WrongRole,
    ServerOnly,
    NoLongerEditable,
}

impl Denied {
    /// The name shown to people.
    pub fn label(self) -> Label {
        match self {
            Denied::NotAParty => Label::new("您不是该案件的当事方", "you are not a party to this case"),
            Denied::WrongRole => Label::new("您的角色不能执行此操作", "your role may not do this"),
            Denied::ServerOnly => Label::new("该字段只能由系统填写", "only the system fills in this field"),
            Denied::NoLongerEditable => {
                Label::new("诉求提交后不能再修改", "the appeal can no longer be changed once submitted")
            }
        }
    }
}

/// How the user relates to the case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Relation {
    pub filer: bool,
    pub lead_department: bool,
    pub assisting_department: bool,
    pub district_coordinator: bool,
    pub district_leader: bool,
}

pub fn relation(user: &User, case: &CaseParties<'_>) -> Relation {
    let flow = &case.state.flow;
    let org = user.org.as_deref();
    let serves_district = user.district.as_deref().is_some_and(|d| d == case.district || d == CITY);
    Relation {
        filer: user.role == Role::Enterprise && org == Some(case.enterprise),
        lead_department: user.role == Role::Officer && org.is_some() && org == flow.lead_department.as_deref(),
        assisting_department: user.role == Role::Officer && org.is_some_and(|o| flow.assisting.iter().any(|a| a == o)),
        district_coordinator: user.role == Role::Coordinator && serves_district,
        district_leader: user.role == Role::Leader && serves_district,
    }
}

/// Which cases a user may read: the one rule, which [`may_read`] applies to
/// a case and the server's store turns into a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadScope<'a> {
    Everything,
    /// The cases this enterprise filed.
    Enterprise(&'a str),
    /// The cases this department leads or assists on.
    Department(&'a str),
    /// The cases of this district.
    District(&'a str),
    Nothing,
}

pub fn read_scope(user: &User) -> ReadScope<'_> {
    match (user.role, user.org.as_deref(), user.district.as_deref()) {
        (Role::Admin, _, _) => ReadScope::Everything,
        (Role::Enterprise, Some(org), _) => ReadScope::Enterprise(org),
        (Role::Officer, Some(org), _) => ReadScope::Department(org),
        (Role::Coordinator | Role::Leader, _, Some(CITY)) => ReadScope::Everything,
        (Role::Coordinator | Role::Leader, _, Some(district)) => ReadScope::District(district),
        _ => ReadScope::Nothing,
    }
}

/// Whether `user` may read the case at all.
pub fn may_read(user: &User, case: &CaseParties<'_>) -> bool {
    let flow = &case.state.flow;
    match read_scope(user) {
        ReadScope::Everything => true,
        ReadScope::Enterprise(id) => case.enterprise == id,
        ReadScope::Department(code) => {
            flow.lead_department.as_deref() == Some(code) || flow.assisting.iter().any(|a| a == code)
        }
        ReadScope::District(district) => case.district == district,
        ReadScope::Nothing => false,
    }
}

/// The one permission check for changes. Whether the event fits the case's
/// status is the lifecycle's business (`status::derive`), not this one's.
pub fn authorize(user: &User, case: &CaseParties<'_>, action: Action<'_>) -> Result<(), Denied> {
    let r = relation(user, case);
    let status = case.state.status();
    let party = r.filer || r.lead_department || r.assisting_department || r.district_coordinator || r.district_leader;
    let allow = |ok: bool| {
        if ok {
            Ok(())
        } else if party {
            Err(Denied::WrongRole)
        } else {
            Err(Denied::NotAParty)
        }
    };
    match action {
        Action::Edit(Field::CaseNumber | Field::TimeFlags) => Err(Denied::ServerOnly),
        Action::Edit(Field::Appeal) => {
            allow(r.filer || r.district_coordinator)?;
            // The enterprise edits its draft; a coordinator may still correct
            // an appeal it is triaging (on-site or phone intake).
            let editable = status == Status::Draft || (r.district_coordinator && status == Status::Submitted);
            if editable { Ok(()) } else { Err(Denied::NoLongerEditable) }
        }
        Action::Edit(Field::Contact) => allow(r.filer || r.district_coordinator),
        Action::Edit(Field::PublicText) => allow(r.district_coordinator),
        Action::Append(kind) => allow(may_append(&r, kind)),
    }
}

fn may_append(r: &Relation, kind: &EventKind) -> bool {
    use EventKind::*;
    match kind {
        // The enterprise files; a coordinator files on its behalf.
        Submit => r.filer || r.district_coordinator,
        Route { .. } | Decline { .. } | MergeInto { .. } | Schedule { .. } | DecideExtension { .. } => {
            r.district_coordinator
        }
        Invite { .. } | RecordAttendance { .. } | PublishTitle { .. } => r.district_coordinator,
        RecheckReview { .. } | Reopen { .. } | Close | Settle { .. } => r.district_coordinator,
        ReplyOnline { .. } | StartWork { .. } | TickMilestone { .. } | RequestExtension { .. } => r.lead_department,
        Resolve { .. } | CallBack { .. } | Rectify { .. } | DisputeReview { .. } => r.lead_department,
        PostProgress { .. } => r.lead_department || r.assisting_department,
        Decide { .. } => r.district_leader,
        Assign { .. } => r.lead_department,
        AssignLeader { .. } => r.district_coordinator,
        RequestInfo { .. } => r.district_coordinator || r.lead_department || r.assisting_department,
        Rate { .. } | AddInfo { .. } | RequestReopen { .. } | BookSession { .. } | ReplyInvitation { .. } => r.filer,
    }
}
