#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Sync over real WebSockets against a real SQLite file: what each user
//! receives, what the server refuses, and that refused changes go nowhere.

mod common;

use std::time::Duration;

use common::client::{Device, sign_in};
use common::start;
use domain::event::{Channel, EventKind};

const QUIET: Duration = Duration::from_secs(10);

fn has_event(d: &Device, id: &str, event: &str) -> bool {
    d.case(id).is_some_and(|c| c.events.contains_key(event))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_case_is_numbered_and_a_refused_change_reaches_only_its_author() {
    let server = start(false).await;
    let now = server.clock.now_ms();
    let id = domain::sync::DocumentId::from_bytes([5; 16]).to_string();
    let ent_user = server.store.user_by_login("qiye01").await.unwrap().unwrap().0.user;
    assert_eq!(ent_user.org, Some(common::qiye(1).1));

    // The enterprise files offline, then connects: the server numbers it.
    let mut ent = Device::new(&ent_user.id, "ent-phone", 1);
    ent.create(&common::new_case(&id, &common::qiye(1).1, "boluo")).await;
    let submit = ent.record(&id, now, EventKind::Submit).await;
    ent.connect(server.addr, &sign_in(server.addr, "qiye01").await).await;
    assert!(ent.pump_until(QUIET, |d| d.case(&id).unwrap().number.is_some() && d.in_sync(&id)).await);
    assert_eq!(ent.case(&id).unwrap().number.as_deref(), Some("HZ-2026-000001"));

    // The district's coordinator receives it and routes it online.
    let mut coord = Device::new("coord-boluo", "coord-laptop", 2);
    coord.connect(server.addr, &sign_in(server.addr, "xietiao-boluo").await).await;
    assert!(coord.pump_until(QUIET, |d| has_event(d, &id, &submit)).await);
    let route = EventKind::Route { lead_department: "natres".into(), assisting: vec![], channel: Channel::Online };
    let route = coord.record(&id, now, route).await;
    assert!(coord.pump_until(QUIET, |d| d.in_sync(&id)).await);

    let mut officer = Device::new("officer-natres", "natres-pc", 3);
    officer.connect(server.addr, &sign_in(server.addr, "bumen-natres").await).await;
    assert!(officer.pump_until(QUIET, |d| has_event(d, &id, &route)).await);
    assert!(ent.pump_until(QUIET, |d| has_event(d, &id, &route)).await);

    // The enterprise resolves its own case: refused, rolled back, flagged.
    let resolve = ent.record(&id, now, EventKind::Resolve { summary: "自己解决".into(), evidence: vec![] }).await;
    assert!(ent.pump_until(QUIET, |d| !d.refusals.is_empty()).await);
    let refusal = &ent.refusals[0];
    assert_eq!(refusal.reason_zh, "您的角色不能执行此操作");
    assert_eq!(refusal.events.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [resolve.as_str()]);
    assert!(!has_event(&ent, &id, &resolve), "rolled back on the device");

    // A later, allowed change goes through; the others get it, never the refused one.
    let info = EventKind::AddInfo { text: "补充材料".into(), attachments: vec![] };
    let info = ent.record(&id, now, info).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await);
    for other in [&mut officer, &mut coord] {
        assert!(other.pump_until(QUIET, |d| has_event(d, &id, &info)).await);
        assert!(!has_event(other, &id, &resolve));
        assert!(other.refusals.is_empty());
    }
    // A forged client splits a forbidden change across two chunks, each
    // unreadable alone: the server checks the bytes as it would apply them.
    let forged = ent.record_quietly(&id, now, EventKind::Resolve { summary: "拆开发送".into(), evidence: vec![] });
    ent.push_all(&id, true).await;
    assert!(ent.pump_until(QUIET, |d| d.refusals.len() == 2).await);
    let back = EventKind::AddInfo { text: "再补充".into(), attachments: vec![] };
    let back = ent.record(&id, now, back).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await);
    assert!(officer.pump_until(QUIET, |d| has_event(d, &id, &back)).await);
    assert!(!has_event(&officer, &id, &forged));

    assert_eq!(server.store.refusal_count().await.unwrap(), 2);
    let (mut stored, _) = server.store.load_document(&id).await.unwrap().unwrap();
    let mut on_device = ent.doc(&id).unwrap().clone();
    assert_eq!(stored.get_heads(), on_device.get_heads(), "server and device agree");
    assert!(!domain::doc::read(&stored).unwrap().events.contains_key(&resolve));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_cannot_write_to_a_case_they_may_not_read() {
    let server = start(false).await;
    let now = server.clock.now_ms();
    let id = domain::sync::DocumentId::from_bytes([6; 16]).to_string();
    let mut ent = Device::new(&common::qiye(1).0, "ent-phone", 1);
    ent.create(&common::new_case(&id, &common::qiye(1).1, "boluo")).await;
    ent.record(&id, now, EventKind::Submit).await;
    ent.connect(server.addr, &sign_in(server.addr, "qiye01").await).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await);

    // Another enterprise got hold of the document (say, a copied file) and
    // appends to it under its own identity.
    let mut other = Device::new(&common::qiye(2).0, "other-phone", 2);
    let mut copy = ent.doc_mut(&id).unwrap().fork();
    copy.set_actor(domain::sync::actor_for(&common::qiye(2).0, [2; 8]));
    other.insert_doc(&id, copy);
    other.connect(server.addr, &sign_in(server.addr, "qiye02").await).await;
    let info = other.record(&id, now, EventKind::AddInfo { text: "冒充".into(), attachments: vec![] }).await;
    // The server does not engage with a document the user may not read …
    assert!(other.pump_until(QUIET, |d| d.unavailable.contains(&id)).await);
    // … and changes pushed at it anyway are refused.
    other.push_all(&id, false).await;
    assert!(other.pump_until(QUIET, |d| !d.refusals.is_empty()).await);
    assert_eq!(other.refusals[0].reason_zh, "您不是该案件的当事方");
    let (stored, _) = server.store.load_document(&id).await.unwrap().unwrap();
    assert!(!domain::doc::read(&stored).unwrap().events.contains_key(&info));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_arriving_before_its_dependency_is_held_then_accepted() {
    let server = start(false).await;
    let now = server.clock.now_ms();
    let id = domain::sync::DocumentId::from_bytes([7; 16]).to_string();
    let mut ent = Device::new(&common::qiye(1).0, "ent-phone", 1);
    ent.create(&common::new_case(&id, &common::qiye(1).1, "boluo")).await;
    ent.record(&id, now, EventKind::Submit).await;
    ent.connect(server.addr, &sign_in(server.addr, "qiye01").await).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await);

    let first = ent.record_quietly(&id, now, EventKind::AddInfo { text: "一".into(), attachments: vec![] });
    let second = ent.record_quietly(&id, now, EventKind::AddInfo { text: "二".into(), attachments: vec![] });
    ent.push_last(&id).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await, "the server asked for the missing change");
    assert!(ent.refusals.is_empty());
    let (stored, _) = server.store.load_document(&id).await.unwrap().unwrap();
    let stored = domain::doc::read(&stored).unwrap();
    assert!(stored.events.contains_key(&first) && stored.events.contains_key(&second));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_closes_the_sockets_of_that_session_only() {
    let server = start(false).await;
    let user = server.store.user_by_login("qiye01").await.unwrap().unwrap().0.user;
    let (phone_cookie, laptop_cookie) = (sign_in(server.addr, "qiye01").await, sign_in(server.addr, "qiye01").await);
    let mut phone = Device::new(&user.id, "phone", 1);
    let mut laptop = Device::new(&user.id, "laptop", 2);
    phone.connect(server.addr, &phone_cookie).await;
    laptop.connect(server.addr, &laptop_cookie).await;
    let out = common::request(server.addr, "DELETE", "/api/session", &[("Cookie", &phone_cookie)], "").await;
    assert_eq!(out.status, 204);
    // Reads until the socket closes (or the server stays quiet for QUIET).
    phone.pump_until(QUIET, |d| !d.is_connected()).await;
    assert!(!phone.is_connected(), "the signed-out session's socket is closed");
    // The laptop's session is another one: it stays, and still syncs.
    let id = domain::sync::DocumentId::from_bytes([3; 16]).to_string();
    laptop.create(&common::new_case(&id, &common::qiye(1).1, "boluo")).await;
    laptop.record(&id, server.clock.now_ms(), EventKind::Submit).await;
    assert!(laptop.pump_until(QUIET, |d| d.in_sync(&id)).await);
    assert!(laptop.is_connected());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_offline_for_a_month_with_200_edits_merges_cleanly() {
    const EDITS: usize = 200;
    const DAY_MS: i64 = 24 * 3_600_000;
    let server = start(false).await;
    let id = domain::sync::DocumentId::from_bytes([9; 16]).to_string();
    let mut ent = Device::new(&common::qiye(1).0, "factory-phone", 1);
    ent.create(&common::new_case(&id, &common::qiye(1).1, "boluo")).await;
    ent.record(&id, server.clock.now_ms(), EventKind::Submit).await;
    ent.connect(server.addr, &sign_in(server.addr, "qiye01").await).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await);
    let mut coord = Device::new("coord-boluo", "coord-laptop", 2);
    coord.connect(server.addr, &sign_in(server.addr, "xietiao-boluo").await).await;
    assert!(coord.pump_until(QUIET, |d| d.case(&id).is_some()).await);
    let route = EventKind::Route { lead_department: "natres".into(), assisting: vec![], channel: Channel::Online };
    coord.record(&id, server.clock.now_ms(), route).await;
    assert!(coord.pump_until(QUIET, |d| d.in_sync(&id)).await);
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id) && d.case(&id).unwrap().events.len() == 2).await);

    // No signal for a month: the enterprise keeps working on its phone,
    // while the department asks questions and reports progress online.
    ent.disconnect();
    let mut officer = Device::new("officer-natres", "natres-pc", 3);
    officer.connect(server.addr, &sign_in(server.addr, "bumen-natres").await).await;
    assert!(officer.pump_until(QUIET, |d| d.case(&id).is_some_and(|c| c.events.len() == 2)).await);
    let start = server.clock.now_ms();
    let mut online = Vec::new();
    for i in 0..EDITS {
        let at = start + (i as i64 + 1) * 30 * DAY_MS / EDITS as i64;
        server.clock.set_ms(at);
        ent.record_quietly(&id, at, EventKind::AddInfo { text: format!("第{}份补充材料", i + 1), attachments: vec![] });
        if i % 50 == 25 {
            let kind = if i == 25 {
                EventKind::RequestInfo { question: "请补充用地红线图".into() }
            } else {
                EventKind::PostProgress { text: format!("已会同镇街现场核查({i})") }
            };
            online.push(officer.record(&id, at, kind).await);
            assert!(officer.pump_until(QUIET, |d| d.in_sync(&id)).await);
        }
    }

    // Back in range a month on: the old session has expired, so it signs in again.
    server.clock.set_ms(start + 30 * DAY_MS + 3_600_000);
    ent.connect(server.addr, &sign_in(server.addr, "qiye01").await).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await, "the month's edits were accepted");
    assert!(
        ent.refusals.is_empty(),
        "nothing refused: {:?}",
        ent.refusals.iter().map(|r| &r.reason_zh).collect::<Vec<_>>()
    );
    let merged = ent.case(&id).unwrap();
    assert_eq!(merged.events.len(), 2 + EDITS + online.len());
    assert!(online.iter().all(|e| merged.events.contains_key(e)), "the department's work reached the phone");
    assert_eq!(merged.state().records.info_added.len(), EDITS);
    // Everyone holds the same document as the server (the officials' month-old
    // sessions have expired too: they sign in again).
    for (device, login) in [(&mut officer, "bumen-natres"), (&mut coord, "xietiao-boluo")] {
        device.disconnect();
        device.connect(server.addr, &sign_in(server.addr, login).await).await;
        assert!(device.pump_until(QUIET, |d| d.case(&id).is_some_and(|c| c.events.len() == merged.events.len())).await);
        assert!(device.pump_until(QUIET, |d| d.in_sync(&id)).await);
    }
    let (mut stored, _) = server.store.load_document(&id).await.unwrap().unwrap();
    let heads = stored.get_heads();
    for device in [&ent, &officer, &coord] {
        assert_eq!(device.doc(&id).unwrap().clone().get_heads(), heads, "{} converged", device.user_id);
    }
}

/// Writes `kind` by `user` to the stored case directly, as another server
/// instance would, without the hub hearing of it.
async fn write_behind_the_hubs_back(
    store: &server::store::Store,
    id: &str,
    user: &str,
    at_ms: i64,
    kind: EventKind,
) -> String {
    use server::store::{Accepted, AuditEntry, CaseRow, Written, heads_text};
    let (mut doc, _) = store.load_document(id).await.unwrap().unwrap();
    let before = heads_text(&doc.get_heads());
    doc.set_actor(domain::sync::actor_for(user, [9; 8]));
    let event = format!("elsewhere-{}", kind.name());
    domain::doc::record(&mut doc, event.clone(), user, at_ms, kind).unwrap();
    let change = doc.get_last_local_change().unwrap().raw_bytes().to_vec();
    let case = domain::doc::read(&doc).unwrap();
    let row = CaseRow::of(&case, &case.state(), &doc.get_heads());
    let audit = AuditEntry::new(at_ms, user, "change", Some(id), &event);
    let accepted = Accepted {
        row,
        before,
        changes: vec![change],
        snapshot: None,
        peer_state: None,
        audit,
        departments_changed: true,
        blobs: vec![],
    };
    assert_eq!(store.append_changes(std::slice::from_ref(&accepted), &[]).await.unwrap(), [Written::Stored]);
    // Checked against what is no longer the stored case: nothing written.
    assert_eq!(store.append_changes(&[accepted], &[]).await.unwrap(), [Written::Stale]);
    event
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_is_checked_again_when_the_stored_case_moved_on_meanwhile() {
    let server = start(false).await;
    let now = server.clock.now_ms();
    let (id, mut ent, mut officer) = common::routed_online(&server, 8).await;

    // Elsewhere (another instance) the coordinator hands the case to housing.
    let reroute = EventKind::Route { lead_department: "housing".into(), assisting: vec![], channel: Channel::Online };
    let rerouted = write_behind_the_hubs_back(&server.store, &id, "coord-boluo", now, reroute).await;
    // Natural resources, no longer the lead, answers: checked against the
    // case as stored now, not as this server last saw it, so refused.
    let reply = officer.record(&id, now, EventKind::ReplyOnline { text: "已答复".into() }).await;
    assert!(officer.pump_until(QUIET, |d| !d.refusals.is_empty()).await, "refused on the newer case");
    let (stored, _) = server.store.load_document(&id).await.unwrap().unwrap();
    let stored = domain::doc::read(&stored).unwrap();
    assert!(stored.events.contains_key(&rerouted) && !stored.events.contains_key(&reply));
    // The enterprise learns of the re-routing with its next exchange.
    ent.record(&id, now, EventKind::AddInfo { text: "补充".into(), attachments: vec![] }).await;
    assert!(ent.pump_until(QUIET, |d| has_event(d, &id, &rerouted) && d.in_sync(&id)).await);
}
