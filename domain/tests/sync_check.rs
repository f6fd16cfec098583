#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The server's check of incoming changes, and the client's rollback of
//! refused ones, on real Automerge documents.

mod common;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};
use common::*;
use domain::directory::Directory;
use domain::doc;
use domain::event::{Event, EventKind};
use domain::permission::{Denied, Role, User};
use domain::roster::{Official, Roster};
use domain::sync::{DocumentId, Rejection, actor_for, check_incoming, roll_back};

fn user(id: &str, role: Role, org: Option<&str>, district: Option<&str>) -> User {
    User { id: id.into(), role, org: org.map(Into::into), district: district.map(Into::into) }
}
fn filer() -> User {
    user("u-ent", Role::Enterprise, Some("ent-1"), None)
}
fn officer() -> User {
    user("u-natres", Role::Officer, Some("natres"), None)
}
fn coordinator() -> User {
    user("u-coord", Role::Coordinator, None, Some("boluo"))
}

fn doc_id() -> String {
    DocumentId::from_bytes([9; 16]).to_string()
}

/// A routed case as the server holds it, created by the filer's device.
fn server_copy() -> AutoCommit {
    let mut case = case_doc(&[]);
    case.id = doc_id();
    let mut d = doc::create(&case, actor_for("u-ent", [1; 8])).unwrap();
    record(&mut d, "submit", &filer(), EventKind::Submit);
    d.set_actor(actor_for("u-coord", [2; 8]));
    record(&mut d, "route", &coordinator(), route_online());
    d
}

fn record(d: &mut AutoCommit, id: &str, user: &User, kind: EventKind) -> Event {
    doc::record(d, id.into(), &user.id, monday_ms(), kind).unwrap()
}

/// What a device of `user` sends after making `edit` on its copy.
fn changes_from(server: &mut AutoCommit, user: &User, edit: impl FnOnce(&mut AutoCommit)) -> (AutoCommit, Vec<u8>) {
    let mut device = server.fork().with_actor(actor_for(&user.id, [7; 8]));
    edit(&mut device);
    let heads = server.get_heads();
    let bytes = device.save_after(&heads);
    (device, bytes)
}

fn check(server: &mut AutoCommit, user: &User, bytes: &[u8]) -> Result<Option<domain::sync::Checked>, Rejection> {
    let case = doc::read(server).ok();
    let state = case.as_ref().map(|c| c.state());
    let known = case.as_ref().zip(state.as_ref());
    check_incoming(
        server,
        known,
        &doc_id(),
        &[bytes],
        user,
        domain::sync::InForce { directory: &Directory::huizhou(), roster: &roster() },
    )
    .map_err(|(_, why)| why)
}

/// Two natres officers and Boluo's leader.
fn roster() -> Roster {
    let official = |id: &str, role, org: Option<&str>, district: Option<&str>| Official {
        id: id.into(),
        name: id.into(),
        role,
        org: org.map(Into::into),
        district: district.map(Into::into),
    };
    Roster::new([
        official("u-natres", Role::Officer, Some("natres"), None),
        official("u-wang", Role::Officer, Some("natres"), None),
        official("leader-boluo", Role::Leader, None, Some("boluo")),
    ])
}

#[test]
fn the_people_an_event_names_must_hold_that_part() {
    let mut server = server_copy();
    let o = officer();
    let named = |server: &mut AutoCommit, officer: &str| {
        let (_, bytes) = changes_from(server, &o, |d| {
            record(d, "assign", &o, EventKind::Assign { officer: officer.into() });
        });
        check(server, &o, &bytes)
    };
    assert!(named(&mut server, "u-wang").unwrap().is_some(), "an officer of the lead unit");
    for not_one in ["leader-boluo", "u-nobody"] {
        let refused = named(&mut server, not_one).unwrap_err();
        assert!(
            matches!(refused, Rejection::Invalid(domain::DomainError::NotOnRoster { .. })),
            "{not_one}: {refused:?}"
        );
    }
    let c = coordinator();
    let (_, bytes) = changes_from(&mut server, &c, |d| {
        record(d, "assign", &c, EventKind::Assign { officer: "u-wang".into() });
    });
    assert!(
        matches!(check(&mut server, &c, &bytes), Err(Rejection::Denied(_))),
        "only the lead unit names its officer"
    );
}

#[test]
fn the_lead_officer_may_reply_and_the_server_copy_is_untouched() {
    let mut server = server_copy();
    let heads = server.get_heads();
    let o = officer();
    let (device, bytes) = changes_from(&mut server, &o, |d| {
        record(d, "reply", &o, EventKind::ReplyOnline { text: "已答复".into() });
    });
    let checked = check(&mut server, &o, &bytes).unwrap().unwrap();
    assert_eq!(checked.changes.len(), 1);
    assert_eq!(checked.case, doc::read(&device).unwrap(), "reading only what changed gives the whole case");
    assert!(checked.case.events.contains_key("reply"));
    assert_eq!(server.get_heads(), heads, "the check works on a fork");
}

#[test]
fn nothing_new_is_none() {
    let mut server = server_copy();
    let (_, bytes) = changes_from(&mut server, &officer(), |_| {});
    assert!(check(&mut server, &officer(), &bytes).unwrap().is_none());
}

#[test]
fn an_enterprise_cannot_resolve_its_own_case() {
    let mut server = server_copy();
    let f = filer();
    let (_, bytes) = changes_from(&mut server, &f, |d| {
        record(d, "resolve", &f, resolve());
    });
    assert_eq!(check(&mut server, &f, &bytes).unwrap_err(), Rejection::Denied(Denied::WrongRole));
}

#[test]
fn an_unrelated_officer_is_not_a_party() {
    let mut server = server_copy();
    let other = user("u-housing", Role::Officer, Some("finance"), None);
    let (_, bytes) = changes_from(&mut server, &other, |d| {
        record(d, "reply", &other, EventKind::ReplyOnline { text: "x".into() });
    });
    assert_eq!(check(&mut server, &other, &bytes).unwrap_err(), Rejection::Denied(Denied::NotAParty));
}

#[test]
fn changes_under_another_users_actor_are_refused() {
    let mut server = server_copy();
    let o = officer();
    let mut device = server.fork().with_actor(actor_for("u-coord", [7; 8]));
    record(&mut device, "reply", &o, EventKind::ReplyOnline { text: "x".into() });
    let bytes = device.save_after(&server.get_heads());
    assert_eq!(check(&mut server, &o, &bytes).unwrap_err(), Rejection::ForeignActor);
}

#[test]
fn an_event_naming_someone_else_is_refused() {
    let mut server = server_copy();
    let o = officer();
    let (_, bytes) = changes_from(&mut server, &o, |d| {
        doc::record(d, "reply".into(), "u-someone", monday_ms(), EventKind::ReplyOnline { text: "x".into() }).unwrap();
    });
    assert!(matches!(check(&mut server, &o, &bytes).unwrap_err(), Rejection::WrongAuthor(_)));
}

#[test]
fn rewriting_a_recorded_event_or_the_number_is_refused() {
    let mut server = server_copy();
    let c = coordinator();
    let (_, bytes) = changes_from(&mut server, &c, |d| {
        let events = d.get(ROOT, "events").unwrap().unwrap().1;
        d.delete(&events, "submit").unwrap();
        d.commit();
    });
    let why = check(&mut server, &c, &bytes).unwrap_err();
    assert!(matches!(why, Rejection::EventRewritten(_)), "{why:?}");
    let (_, bytes) = changes_from(&mut server, &c, |d| doc::set_number(d, "HZ-2026-999999").unwrap());
    assert_eq!(check(&mut server, &c, &bytes).unwrap_err(), Rejection::Denied(Denied::ServerOnly));
}

#[test]
fn keys_outside_the_schema_are_refused() {
    let mut server = server_copy();
    let f = filer();
    let (_, bytes) = changes_from(&mut server, &f, |d| {
        d.put(ROOT, "junk", "x".repeat(1000)).unwrap();
        d.commit();
    });
    assert_eq!(check(&mut server, &f, &bytes).unwrap_err(), Rejection::UnknownKey("junk".into()));
}

#[test]
fn a_new_case_with_a_key_outside_the_schema_is_refused() {
    let f = filer();
    let mut case = case_doc(&[]);
    case.id = doc_id();
    let mut device = doc::create(&case, actor_for(&f.id, [7; 8])).unwrap();
    device.put(ROOT, "junk", "x").unwrap();
    device.commit();
    let bytes = device.save();
    assert_eq!(check(&mut AutoCommit::new(), &f, &bytes).unwrap_err(), Rejection::UnknownKey("junk".into()));
}

#[test]
fn a_new_case_is_checked_whole() {
    let mut empty = AutoCommit::new();
    let f = filer();
    let mut case = case_doc(&[]);
    case.id = doc_id();
    let mut device = doc::create(&case, actor_for(&f.id, [7; 8])).unwrap();
    record(&mut device, "submit", &f, EventKind::Submit);
    let bytes = device.save();
    let mut checked = check(&mut empty, &f, &bytes).unwrap().unwrap();
    assert!(checked.created);
    // The copy it hands back holds exactly the checked changes.
    assert_eq!(checked.doc.get_heads(), device.get_heads());
    assert_eq!(checked.doc.get_changes(&[]).len(), checked.changes.len());
    assert!(empty.get_heads().is_empty(), "the server's copy itself is untouched");
    // Another enterprise cannot file in ent-1's name.
    let other = user("u-ent2", Role::Enterprise, Some("ent-2"), None);
    let mut forged = doc::create(&case, actor_for(&other.id, [7; 8])).unwrap();
    assert_eq!(
        check(&mut AutoCommit::new(), &other, &forged.save()).unwrap_err(),
        Rejection::Denied(Denied::NotAParty)
    );
    // A document under another id than the one it is synced as.
    let mut elsewhere = case.clone();
    elsewhere.id = DocumentId::from_bytes([1; 16]).to_string();
    let mut wrong = doc::create(&elsewhere, actor_for(&f.id, [7; 8])).unwrap();
    assert!(matches!(check(&mut AutoCommit::new(), &f, &wrong.save()).unwrap_err(), Rejection::Malformed(_)));
}

#[test]
fn garbage_applies_nothing() {
    let mut server = server_copy();
    // Automerge skips chunks it cannot parse; nothing reaches the document.
    assert!(check(&mut server, &filer(), b"not automerge").unwrap().is_none());
}

#[test]
fn rollback_removes_refused_changes_and_their_descendants_and_returns_their_events() {
    let mut server = server_copy();
    let f = filer();
    let (mut device, bytes) = changes_from(&mut server, &f, |d| {
        record(d, "resolve", &f, resolve());
        record(d, "info", &f, EventKind::AddInfo { text: "补充".into(), attachments: vec![] });
    });
    let case = doc::read(&server).unwrap();
    let refused = check_incoming(
        &mut server,
        Some((&case, &case.state())),
        &doc_id(),
        &[&bytes],
        &f,
        domain::sync::InForce { directory: &Directory::huizhou(), roster: &domain::roster::Roster::default() },
    )
    .unwrap_err()
    .0;
    let (mut rebuilt, lost) = roll_back(&mut device, &refused).unwrap();
    let mut lost_ids: Vec<_> = lost.iter().map(|e| e.id.as_str()).collect();
    lost_ids.sort();
    assert_eq!(lost_ids, ["info", "resolve"]);
    assert_eq!(rebuilt.get_heads(), server.get_heads());
    // Rolling back again changes nothing.
    let (mut again, lost) = roll_back(&mut rebuilt, &refused).unwrap();
    assert!(lost.is_empty());
    assert_eq!(again.get_heads(), server.get_heads());
}

#[test]
fn events_outside_the_limits_are_refused_whoever_sends_them() {
    let o = officer();
    let oversized = EventKind::ReplyOnline { text: "长".repeat(domain::work::ACTION_TEXT_MAX + 1) };
    let bad_department = EventKind::Route {
        lead_department: "weather".into(),
        assisting: vec![],
        channel: domain::event::Channel::Online,
    };
    let bad_hash = EventKind::Resolve { summary: "好".into(), evidence: vec!["../../etc/passwd".into()] };
    let long_extension = EventKind::RequestExtension { working_days: 400, reason: "r".into() };
    for (user, kind) in
        [(o.clone(), oversized), (coordinator(), bad_department), (o.clone(), bad_hash), (o, long_extension)]
    {
        let mut server = server_copy();
        let (_, bytes) = changes_from(&mut server, &user, |d| {
            record(d, "forged", &user, kind.clone());
        });
        let why = check(&mut server, &user, &bytes).unwrap_err();
        assert!(matches!(why, Rejection::Invalid(_)), "{kind:?}: {why:?}");
    }
}

#[test]
fn sessions_of_other_districts_and_enterprise_invitations_are_refused() {
    let mut server = server_copy();
    let (c, f) = (coordinator(), filer());
    let day = domain::time::Day::parse("2026-12-04").unwrap();
    let elsewhere = EventKind::Schedule { session: "huiyang-2026-12-04".into(), day };
    let (_, bytes) = changes_from(&mut server, &c, |d| {
        record(d, "s1", &c, elsewhere);
    });
    let why = check(&mut server, &c, &bytes).unwrap_err();
    assert_eq!(why, Rejection::Invalid(domain::DomainError::SessionElsewhere));
    let own = EventKind::Schedule { session: "boluo-2026-12-04".into(), day };
    let (_, bytes) = changes_from(&mut server, &c, |d| {
        record(d, "s2", &c, own);
    });
    assert!(check(&mut server, &c, &bytes).unwrap().is_some());
    // Only the coordinator invites.
    let invite = EventKind::Invite { session: "boluo-2026-12-04".into(), day, place: "x".into() };
    let (_, bytes) = changes_from(&mut server, &f, |d| {
        record(d, "i1", &f, invite);
    });
    assert_eq!(check(&mut server, &f, &bytes).unwrap_err(), Rejection::Denied(Denied::WrongRole));
}

#[test]
fn a_case_holds_at_most_five_thousand_events() {
    let mut server = server_copy();
    let f = filer();
    let info = |i: usize| EventKind::AddInfo { text: format!("第{i}条"), attachments: vec![] };
    // Two events are there; the filer adds up to the cap: accepted.
    let (_, bytes) = changes_from(&mut server, &f, |d| {
        // Each after the one before, written directly (recording reads the
        // heads each time, which is slow for thousands).
        let mut after = vec!["route".to_string()];
        for i in 2..domain::sync::MAX_EVENTS_PER_CASE {
            let id = format!("info-{i}");
            let event = Event { id: id.clone(), author: f.id.clone(), at_ms: monday_ms(), after, kind: info(i) };
            doc::append(d, &event).unwrap();
            after = vec![id];
        }
    });
    assert!(check(&mut server, &f, &bytes).unwrap().is_some());
    server.load_incremental(&bytes).unwrap();
    // One more: refused, with the reason in both languages.
    let (_, more) = changes_from(&mut server, &f, |d| {
        record(d, "one-too-many", &f, info(0));
    });
    let why = check(&mut server, &f, &more).unwrap_err();
    assert_eq!(why, Rejection::TooManyEvents);
    assert!(
        why.label().zh.contains("5000") && why.label().en.contains("5000"),
        "{} / {}",
        why.label().zh,
        why.label().en
    );
}

#[test]
fn a_text_object_where_a_string_belongs_is_refused_as_malformed() {
    // What an outside client writing `new Automerge.Text()` would send.
    let mut server = server_copy();
    let f = filer();
    let (_, bytes) = changes_from(&mut server, &f, |d| {
        let contact = d.get(ROOT, "contact").unwrap().unwrap().1;
        let name = d.put_object(&contact, "name", automerge::ObjType::Text).unwrap();
        d.splice_text(&name, 0, 0, "王经理").unwrap();
        d.commit();
    });
    assert!(matches!(check(&mut server, &f, &bytes), Err(Rejection::Malformed(_))));
}
