//! What an event on a case tells whom: the one table of notifications.
//! Each line names the audience (resolved to accounts by the server, who
//! leaves out the event's author), the kind (which the person may turn
//! off) and what happened, in both languages.

use crate::Label;
use crate::event::{Event, EventKind, ReviewLevel};

use super::Kind;

/// Who is to be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every account of the case's enterprise.
    Enterprise,
    /// The coordinators of the case's district.
    Coordinators,
    /// The lead department: its officer in charge once one is named, its
    /// officers until then.
    LeadDepartment,
    /// One account.
    Person(String),
}

/// One notification of an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct News {
    pub audience: Audience,
    pub kind: Kind,
    pub what: Label,
}

fn told(audience: Audience, kind: Kind, zh: &'static str, en: &'static str) -> News {
    News { audience, kind, what: Label::new(zh, en) }
}

/// The notifications `event` makes: what starts waiting on someone, or
/// concerns them.
pub fn news(event: &Event) -> Vec<News> {
    use Audience::*;
    use EventKind::*;
    match &event.kind {
        Submit => vec![told(Coordinators, Kind::Assigned, "新诉求待受理", "A new appeal waits to be accepted")],
        Route { .. } => {
            vec![told(LeadDepartment, Kind::Assigned, "诉求已分办给贵单位", "An appeal was routed to your unit")]
        }
        Assign { officer } => {
            vec![told(Person(officer.clone()), Kind::Assigned, "您被指定为承办人", "You are the officer in charge")]
        }
        AssignLeader { leader } => {
            vec![told(Person(leader.clone()), Kind::Escalated, "您被指定为牵头领导", "You are named the lead leader")]
        }
        Decide { lead_leader, .. } => vec![
            told(
                Person(lead_leader.clone()),
                Kind::Escalated,
                "现场会指定您为牵头领导",
                "The session named you lead leader",
            ),
            told(Enterprise, Kind::Decision, "现场会已作出决定", "The session decided on your appeal"),
            told(LeadDepartment, Kind::Assigned, "现场会交由贵单位牵头办理", "The session gave your unit the lead"),
        ],
        RequestInfo { .. } => {
            vec![told(Enterprise, Kind::InfoRequested, "请补充材料", "More information is asked of you")]
        }
        Invite { .. } => vec![told(Enterprise, Kind::Session, "现场会邀请", "You are invited to a session")],
        Schedule { .. } => {
            vec![told(Enterprise, Kind::Session, "现场会已安排或改期", "Your appeal's session is set or moved")]
        }
        ReplyOnline { .. } => vec![told(Enterprise, Kind::Answer, "部门已答复", "The department replied")],
        Resolve { .. } => vec![told(Enterprise, Kind::Answer, "诉求已办结,请评价", "Resolved: please rate the result")],
        Rate { score, .. } if ReviewLevel::of_score(*score).is_bad() => {
            vec![told(LeadDepartment, Kind::BadReview, "企业给出差评", "The enterprise gave a bad review")]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(kind: EventKind) -> Event {
        Event { id: "e1".into(), author: "someone".into(), at_ms: 0, after: Vec::new(), kind }
    }

    #[test]
    fn each_waiting_party_is_told_in_its_kind() {
        let route = news(&event(EventKind::Route {
            lead_department: "natres".into(),
            assisting: Vec::new(),
            channel: crate::event::Channel::Online,
        }));
        assert_eq!(
            route,
            vec![told(
                Audience::LeadDepartment,
                Kind::Assigned,
                "诉求已分办给贵单位",
                "An appeal was routed to your unit"
            )]
        );
        let assigned = news(&event(EventKind::Assign { officer: "officer-wang".into() }));
        assert_eq!(assigned[0].audience, Audience::Person("officer-wang".into()));
        let bad = news(&event(EventKind::Rate { score: 30, comment: String::new(), public: false }));
        assert_eq!((bad[0].audience.clone(), bad[0].kind), (Audience::LeadDepartment, Kind::BadReview));
        let good = news(&event(EventKind::Rate { score: 95, comment: String::new(), public: false }));
        assert!(good.is_empty(), "a good rating waits on nobody");
        assert!(news(&event(EventKind::PostProgress { text: "进展".into() })).is_empty());
    }
}
