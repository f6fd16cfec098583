#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Device time beside server time, over real WebSockets: a device's clock
//! counts when it is plausible (offline work keeps its time); a wrong clock
//! is flagged on the case and the time of receipt counts instead.

mod common;

use std::time::Duration;

use common::client::sign_in;
use common::{routed_online, start};
use domain::deadline::{ClockKind, open_clocks};
use domain::device_time::TimeFlag;
use domain::event::EventKind;
use domain::stats::CaseFacts;
use domain::time::Day;

const QUIET: Duration = Duration::from_secs(10);
const DAY_MS: i64 = 24 * 3_600_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resolution_from_a_clock_three_days_behind_counts_when_it_arrived() {
    let server = start(false).await;
    let policy = server.policy.current();
    let (id, mut ent, mut officer) = routed_online(&server, 1).await;
    let case = officer.case(&id).unwrap();
    let rules = policy.rules_for(&case);
    let due = open_clocks(&policy.calendar, rules, &case.state())
        .into_iter()
        .find(|c| c.kind == ClockKind::Resolution)
        .expect("a resolution clock")
        .due;

    // Really two days past the deadline; the officer's PC says a day before.
    let arrives = due.plus_days(2).start_instant() + 10 * 3_600_000;
    server.clock.set_ms(arrives);
    let claimed = arrives - 3 * DAY_MS;
    assert!(Day::of_instant(claimed) <= due, "on time by the PC's clock");
    let reply = officer.record(&id, claimed, EventKind::ReplyOnline { text: "已答复".into() }).await;
    let resolve = EventKind::Resolve { summary: "已办结".into(), evidence: vec![] };
    let resolve = officer.record(&id, claimed + 60_000, resolve).await;
    assert!(officer.pump_until(QUIET, |d| d.case(&id).unwrap().time_flags.contains_key(&resolve)).await);
    assert!(officer.pump_until(QUIET, |d| d.in_sync(&id)).await);
    assert!(officer.refusals.is_empty(), "flagged, not refused");

    let flag = TimeFlag { device_ms: claimed + 60_000, received_ms: arrives };
    for device in [&mut officer, &mut ent] {
        assert!(device.pump_until(QUIET, |d| d.case(&id).unwrap().time_flags.contains_key(&resolve)).await);
        let case = device.case(&id).unwrap();
        assert_eq!(case.time_flags[&resolve], flag, "both times, on {}'s device", device.user_id);
        assert_eq!(case.time_flags[&reply].device_ms, claimed);
        assert_eq!(case.events[&resolve].at_ms, arrives, "the time of receipt counts");
    }
    let stored = domain::doc::read(&server.store.load_document(&id).await.unwrap().unwrap().0).unwrap();
    assert_eq!(stored.time_flags[&resolve], flag);
    assert_eq!(stored.state().status(), domain::status::Status::Resolved);
    let facts = CaseFacts::of(&stored, &stored.state(), &policy.calendar, rules, Day::of_instant(arrives));
    assert_eq!(facts.on_time, Some(false), "the league table counts it late");
    let audit = server.store.audit_page(None, 10).await.unwrap();
    assert!(audit.iter().any(|(_, e)| e.case_id.as_deref() == Some(id.as_str()) && e.detail.contains(&resolve)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_done_offline_for_two_days_keeps_its_own_times() {
    let server = start(false).await;
    let (id, mut ent, _officer) = routed_online(&server, 2).await;
    // An hour later the phone sends one more thing, then loses signal.
    let left = server.clock.now_ms() + 3_600_000;
    server.clock.set_ms(left);
    ent.record(&id, left, EventKind::AddInfo { text: "营业执照".into(), attachments: vec![] }).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await);
    ent.disconnect();
    // The server hears the socket close, and records when it last heard
    // from the phone; wait until it has.
    let key = format!("{}/factory-phone", common::qiye(1).0);
    let mut recorded = None;
    for _ in 0..100 {
        recorded = server.store.device_contact(&key).await.unwrap();
        if recorded == Some(left) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(recorded, Some(left));

    let yesterday = left + DAY_MS;
    server.clock.set_ms(left + 2 * DAY_MS);
    let info = EventKind::AddInfo { text: "离线补充的材料".into(), attachments: vec![] };
    let info = ent.record_quietly(&id, yesterday, info);
    ent.connect(server.addr, &sign_in(server.addr, "qiye01").await).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await);
    let stored = domain::doc::read(&server.store.load_document(&id).await.unwrap().unwrap().0).unwrap();
    assert!(stored.events.contains_key(&info), "accepted");
    assert!(stored.time_flags.is_empty(), "nothing flagged: {:?}", stored.time_flags);
    assert_eq!(stored.events[&info].at_ms, yesterday, "the phone's own time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_done_after_reconnecting_must_carry_about_the_time_it_arrives() {
    let server = start(false).await;
    let (id, _ent, mut officer) = routed_online(&server, 3).await;
    officer.disconnect();
    // Five days on the PC is switched back on, with its clock three days
    // behind; offline work would be plausible back to its last contact,
    // but what it does a minute after reconnecting was done online.
    let back = server.clock.now_ms() + 5 * DAY_MS;
    server.clock.set_ms(back);
    officer.connect(server.addr, &sign_in(server.addr, "bumen-natres").await).await;
    server.clock.set_ms(back + 60_000);
    let reply = officer.record(&id, back - 3 * DAY_MS, EventKind::ReplyOnline { text: "已答复".into() }).await;
    assert!(officer.pump_until(QUIET, |d| d.case(&id).unwrap().time_flags.contains_key(&reply)).await);
    assert_eq!(officer.case(&id).unwrap().events[&reply].at_ms, back + 60_000);
}

#[tokio::test]
async fn the_server_tells_devices_its_time_and_the_tolerance() {
    let server = start(false).await;
    let policy = server.policy.current();
    let answer = common::get(server.addr, "/api/clock").await;
    assert_eq!(answer.status, 200);
    let clock: domain::contract::ServerClock = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(clock.now_ms, server.clock.now_ms());
    assert_eq!(clock.tolerance_ms, policy.device_time_tolerance_ms);
}
