#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Two server instances on one PostgreSQL database, with clients on each:
//! what one accepts reaches the other's readers (LISTEN/NOTIFY), under the
//! same checks, and changes made at once on both are all kept. They need
//! PostgreSQL, so they are ignored on the SQLite pass and run by the
//! PostgreSQL pass (`--include-ignored`, scripts/test.sh).

mod common;

use std::time::Duration;

use common::client::{Device, sign_in};
use common::{TestServer, start_instance};
use domain::event::{Channel, EventKind};
use domain::sync::DocumentId;

const QUIET: Duration = Duration::from_secs(10);

/// Two instances on a freshly seeded PostgreSQL database.
async fn two_instances() -> (TestServer, TestServer, tempfile::TempDir) {
    assert!(common::postgres().is_some(), "needs PostgreSQL: set DIRECTLINE_TEST_DATABASE_URL");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    server::demo::seed_accounts(&common::open_store(&data).await).await.unwrap();
    let a = start_instance(&data).await;
    let b = start_instance(&data).await;
    (a, b, dir)
}

fn has_event(d: &Device, id: &str, event: &str) -> bool {
    d.case(id).is_some_and(|c| c.events.contains_key(event))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (scripts/test.sh runs it with --include-ignored)"]
async fn a_change_accepted_by_one_instance_reaches_readers_on_the_other_and_only_them() {
    let (a, b, _dir) = two_instances().await;
    let now = a.clock.now_ms();
    let id = DocumentId::from_bytes([21; 16]).to_string();

    // Connected to B before the case exists.
    let mut coord = Device::new("coord-boluo", "coord-laptop", 2);
    coord.connect(b.addr, &sign_in(b.addr, "xietiao-boluo").await).await;
    let mut stranger = Device::new(&common::qiye(2).0, "stranger-phone", 4);
    stranger.connect(b.addr, &sign_in(b.addr, "qiye02").await).await;
    let mut officer = Device::new("officer-natres", "natres-pc", 3);
    officer.connect(a.addr, &sign_in(a.addr, "bumen-natres").await).await;

    // The enterprise files on A; the coordinator on B receives it, numbered.
    let mut ent = Device::new(&common::qiye(1).0, "ent-phone", 1);
    ent.connect(a.addr, &sign_in(a.addr, "qiye01").await).await;
    ent.create(&common::new_case(&id, &common::qiye(1).1, "boluo")).await;
    let submit = ent.record(&id, now, EventKind::Submit).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id) && d.case(&id).unwrap().number.is_some()).await);
    assert!(coord.pump_until(QUIET, |d| has_event(d, &id, &submit)).await, "B's client got A's case");
    assert_eq!(coord.case(&id).unwrap().number.as_deref(), Some("HZ-2026-000001"));

    // The coordinator routes it on B; the enterprise and the department on A get it.
    let route = EventKind::Route { lead_department: "natres".into(), assisting: vec![], channel: Channel::Online };
    let route = coord.record(&id, now, route).await;
    assert!(coord.pump_until(QUIET, |d| d.in_sync(&id)).await);
    assert!(ent.pump_until(QUIET, |d| has_event(d, &id, &route)).await, "A's client got B's change");
    assert!(officer.pump_until(QUIET, |d| has_event(d, &id, &route)).await, "the new lead department on A");

    // The enterprise's second device, on B, tries what its role may not:
    // refused there exactly as on A, and nobody else hears of it.
    let mut laptop = Device::new(&common::qiye(1).0, "ent-laptop", 5);
    laptop.connect(b.addr, &sign_in(b.addr, "qiye01").await).await;
    assert!(laptop.pump_until(QUIET, |d| has_event(d, &id, &route)).await);
    let resolve = laptop.record(&id, now, EventKind::Resolve { summary: "自己解决".into(), evidence: vec![] }).await;
    assert!(laptop.pump_until(QUIET, |d| !d.refusals.is_empty()).await);
    assert_eq!(laptop.refusals[0].reason_zh, "您的角色不能执行此操作");
    let info = ent.record(&id, now, EventKind::AddInfo { text: "补充材料".into(), attachments: vec![] }).await;
    assert!(coord.pump_until(QUIET, |d| has_event(d, &id, &info)).await);
    assert!(!has_event(&coord, &id, &resolve) && !has_event(&officer, &id, &resolve));

    // The other enterprise, on B, never received the case: everything B
    // sent it before answering a probe sent after the coordinator there
    // got the later addition has arrived.
    assert!(stranger.settle(QUIET).await);
    assert!(stranger.doc(&id).is_none(), "not a party: nothing relayed");
    let (stored, _) = b.store.load_document(&id).await.unwrap().unwrap();
    assert!(!domain::doc::read(&stored).unwrap().events.contains_key(&resolve));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (scripts/test.sh runs it with --include-ignored)"]
async fn changes_made_at_once_through_both_instances_are_all_kept() {
    let (a, b, _dir) = two_instances().await;
    let now = a.clock.now_ms();
    let id = DocumentId::from_bytes([22; 16]).to_string();
    let phone = filed_on(&a, &id, now).await;
    let mut laptop = Device::new(&common::qiye(1).0, "laptop", 2);
    laptop.connect(b.addr, &sign_in(b.addr, "qiye01").await).await;
    assert!(laptop.pump_until(QUIET, |d| d.in_sync(&id)).await);

    // Both write 20 additions each, one message per addition, at the same
    // time, each to its own instance: their checks and writes interleave.
    let ((mut phone, mut written), (mut laptop, more)) =
        tokio::join!(add_twenty(phone, &id, now, "手机"), add_twenty(laptop, &id, now, "电脑"));
    written.extend(more);
    let both_done = |d: &mut Device| written.iter().all(|e| has_event(d, &id, e)) && d.in_sync(&id);
    let (done_a, done_b) = tokio::join!(phone.pump_until(QUIET, both_done), laptop.pump_until(QUIET, both_done));
    let held = |d: &Device| written.iter().filter(|e| has_event(d, &id, e)).count();
    assert!(
        done_a && done_b,
        "each device holds all 40 additions: phone {} (in sync {}), laptop {} (in sync {})",
        held(&phone),
        phone.in_sync(&id),
        held(&laptop),
        laptop.in_sync(&id)
    );
    assert!(phone.refusals.is_empty() && laptop.refusals.is_empty());

    // Stored once, whole, whichever instance reads it.
    for server in [&a, &b] {
        let (mut stored, _) = server.store.load_document(&id).await.unwrap().unwrap();
        let case = domain::doc::read(&stored).unwrap();
        assert!(written.iter().all(|e| case.events.contains_key(e)), "no addition lost");
        assert_eq!(stored.get_heads(), phone.doc_mut(&id).unwrap().get_heads());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (scripts/test.sh runs it with --include-ignored)"]
async fn a_reader_on_the_other_instance_gets_every_change_across_a_compaction() {
    // B catches up by reading only the change records after the last one
    // it holds; past 64 records A folds them into a snapshot and deletes
    // them, and B must then load the case whole (its heads tell it so).
    let (a, b, _dir) = two_instances().await;
    let now = a.clock.now_ms();
    let id = DocumentId::from_bytes([23; 16]).to_string();
    let mut phone = filed_on(&a, &id, now).await;
    let mut coord = Device::new("coord-boluo", "coord-laptop", 2);
    coord.connect(b.addr, &sign_in(b.addr, "xietiao-boluo").await).await;
    assert!(coord.pump_until(QUIET, |d| d.in_sync(&id)).await);

    let mut written = Vec::new();
    for i in 0..70 {
        let kind = EventKind::AddInfo { text: format!("补充 {i}"), attachments: vec![] };
        written.push(phone.record(&id, now, kind).await);
        assert!(phone.pump_until(QUIET, |d| d.in_sync(&id)).await, "addition {i} acknowledged");
        coord.pump_until(Duration::from_millis(2), |_| false).await;
    }
    let all = |d: &mut Device| written.iter().all(|e| has_event(d, &id, e)) && d.in_sync(&id);
    assert!(coord.pump_until(QUIET, all).await, "B's reader holds all 70: {}", {
        written.iter().filter(|e| has_event(&coord, &id, e)).count()
    });
    let (mut stored, uncompacted) = a.store.load_document(&id).await.unwrap().unwrap();
    assert!(uncompacted < 70, "A compacted the case ({uncompacted} records after the snapshot)");
    assert_eq!(coord.doc_mut(&id).unwrap().get_heads(), stored.get_heads());
}

/// The enterprise's phone, signed in on instance `on`, with case `id`
/// filed there and in sync.
async fn filed_on(on: &TestServer, id: &str, now: i64) -> Device {
    let mut phone = Device::new(&common::qiye(1).0, "phone", 1);
    phone.connect(on.addr, &sign_in(on.addr, "qiye01").await).await;
    phone.create(&common::new_case(id, &common::qiye(1).1, "boluo")).await;
    phone.record(id, now, EventKind::Submit).await;
    assert!(phone.pump_until(QUIET, |d| d.in_sync(id)).await);
    phone
}

/// Records 20 additions on `device`, offering each as it is made.
async fn add_twenty(mut device: Device, id: &str, now: i64, label: &str) -> (Device, Vec<String>) {
    let mut events = Vec::new();
    for i in 0..20 {
        let kind = EventKind::AddInfo { text: format!("{label} {i}"), attachments: vec![] };
        events.push(device.record(id, now, kind).await);
        device.pump_until(Duration::from_millis(5), |_| false).await;
    }
    (device, events)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (scripts/test.sh runs it with --include-ignored)"]
async fn signing_out_on_one_instance_closes_that_session_on_the_other() {
    let (a, b, _dir) = two_instances().await;
    let cookie = sign_in(a.addr, "qiye01").await;
    let other = sign_in(a.addr, "qiye01").await;
    let mut on_b = Device::new(&common::qiye(1).0, "phone", 1);
    on_b.connect(b.addr, &cookie).await;
    let mut stays = Device::new(&common::qiye(1).0, "laptop", 2);
    stays.connect(b.addr, &other).await;
    let out = common::request(a.addr, "DELETE", "/api/session", &[("Cookie", &cookie)], "").await;
    assert_eq!(out.status, 204);
    on_b.pump_until(QUIET, |d| !d.is_connected()).await;
    assert!(!on_b.is_connected(), "B closed the socket of the session A ended");
    assert!(stays.settle(QUIET).await && stays.is_connected(), "another session stays");
}
