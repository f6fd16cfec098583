#![allow(dead_code, clippy::unwrap_used)]
//! Builders shared by the domain tests.

use domain::case::{Appeal, CaseDoc, Contact, Enterprise};
use domain::event::{Channel, Event, EventKind, Milestone};
use domain::permission::{Role, User};
use domain::time::Day;
use std::collections::BTreeMap;

pub const DAY_MS: i64 = 86_400_000;

/// 2026-11-02 (Monday) 10:00 in China.
pub fn monday_ms() -> i64 {
    Day::parse("2026-11-02").unwrap().start_instant() + 10 * 3600 * 1000
}

pub fn ev(id: &str, after: &[&str], at_ms: i64, kind: EventKind) -> Event {
    Event {
        id: id.into(),
        author: format!("user-{id}"),
        at_ms,
        after: after.iter().map(|s| s.to_string()).collect(),
        kind,
    }
}

pub fn route_online() -> EventKind {
    EventKind::Route { lead_department: "natres".into(), assisting: vec!["housing".into()], channel: Channel::Online }
}

pub fn route_session() -> EventKind {
    EventKind::Route { lead_department: "natres".into(), assisting: vec![], channel: Channel::Session }
}

pub fn decide(milestones: &[(&str, &str)]) -> EventKind {
    EventKind::Decide {
        lead_leader: "副市长 王某".into(),
        lead_department: "natres".into(),
        assisting: vec!["housing".into()],
        milestones: milestones
            .iter()
            .map(|(id, due)| Milestone {
                id: id.to_string(),
                title: format!("节点{id}"),
                due: Day::parse(due).unwrap(),
            })
            .collect(),
    }
}

pub fn resolve() -> EventKind {
    EventKind::Resolve { summary: "已解决".into(), evidence: vec![] }
}

pub fn rate(score: u8) -> EventKind {
    EventKind::Rate { score, comment: "".into(), public: true }
}

/// A linear history: each event follows the previous one, a day apart.
pub fn chain(kinds: Vec<EventKind>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for (i, kind) in kinds.into_iter().enumerate() {
        let after: Vec<String> = out.last().map(|e| e.id.clone()).into_iter().collect();
        out.push(Event {
            id: format!("e{i:02}"),
            author: "u".into(),
            at_ms: monday_ms() + i as i64 * DAY_MS,
            after,
            kind,
        });
    }
    out
}

pub fn case_doc(events: &[Event]) -> CaseDoc {
    CaseDoc {
        schema: domain::case::SCHEMA_VERSION,
        id: "case-1".into(),
        number: None,
        created_ms: monday_ms(),
        district: "boluo".into(),
        enterprise: Enterprise {
            id: "ent-1".into(),
            name: "惠州市润发投资有限公司".into(),
            uscc: "91350100M000100Y43".into(),
            ownership: "private".into(),
            size: "medium".into(),
            industry: "房地产".into(),
            district: "boluo".into(),
        },
        contact: Contact { name: "符先生".into(), phone: "13800000000".into() },
        appeal: Appeal {
            title: "夹心地问题".into(),
            description: "村民拆迁安置和夹心地问题未解决".into(),
            category: "land".into(),
            wants_session: true,
            attachments: vec![],
        },
        events: events.iter().map(|e| (e.id.clone(), e.clone())).collect::<BTreeMap<_, _>>(),
        time_flags: Default::default(),
    }
}

// One user per relation to the case built by `case_doc` (ent-1, boluo, natres lead, housing assisting).
pub fn user(role: Role, org: Option<&str>, district: Option<&str>) -> User {
    User { id: "u".into(), role, org: org.map(Into::into), district: district.map(Into::into) }
}

pub fn filer() -> User {
    user(Role::Enterprise, Some("ent-1"), None)
}
pub fn other_enterprise() -> User {
    user(Role::Enterprise, Some("ent-2"), None)
}
pub fn lead_officer() -> User {
    user(Role::Officer, Some("natres"), None)
}
pub fn assisting_officer() -> User {
    user(Role::Officer, Some("housing"), None)
}
pub fn unrelated_officer() -> User {
    user(Role::Officer, Some("tax"), None)
}
pub fn coordinator() -> User {
    user(Role::Coordinator, None, Some("boluo"))
}
pub fn city_coordinator() -> User {
    user(Role::Coordinator, None, Some("city"))
}
pub fn other_coordinator() -> User {
    user(Role::Coordinator, None, Some("huiyang"))
}
pub fn leader() -> User {
    user(Role::Leader, None, Some("boluo"))
}
pub fn admin() -> User {
    user(Role::Admin, None, None)
}
