#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! Property: the derived case state does not depend on the order in which
//! concurrent changes are merged, nor on the order events are listed.

mod common;
use automerge::{ActorId, AutoCommit};
use common::*;
use domain::doc;
use domain::event::EventKind;
use domain::status::derive;
use proptest::prelude::*;

const REPLICAS: usize = 3;

fn kind(pick: u8, ids: &[String]) -> EventKind {
    let some_id = |n: u8| ids.get(usize::from(n) % ids.len().max(1)).cloned().unwrap_or_default();
    match pick % 12 {
        0 => resolve(),
        1 => EventKind::RequestExtension { working_days: 5, reason: "r".into() },
        2 => EventKind::DecideExtension { request: some_id(pick), approved: pick.is_multiple_of(2), note: "".into() },
        3 => EventKind::PostProgress { text: format!("p{pick}") },
        4 => EventKind::ReplyOnline { text: "a".into() },
        5 => rate(pick.saturating_mul(7) % 101),
        6 => EventKind::Reopen { note: "".into() },
        7 => EventKind::Close,
        8 => EventKind::Settle { chosen: some_id(pick / 3) },
        9 => EventKind::CallBack { note: "".into() },
        10 => EventKind::Rectify { note: "".into() },
        _ => EventKind::StartWork { plan: "".into() },
    }
}

/// One step: replica `at` appends an event of kind `pick` at time offset
/// `minutes`, after first receiving replica `sync_from`'s changes if any.
#[derive(Debug, Clone)]
struct Step {
    at: usize,
    pick: u8,
    minutes: i64,
    sync_from: Option<usize>,
}

fn step() -> impl Strategy<Value = Step> {
    (0..REPLICAS, any::<u8>(), 0i64..5, prop::option::of(0..REPLICAS)).prop_map(|(at, pick, minutes, sync_from)| Step {
        at,
        pick,
        minutes,
        sync_from,
    })
}

fn base() -> AutoCommit {
    let case = case_doc(&chain(vec![EventKind::Submit, route_online(), EventKind::StartWork { plan: "p".into() }]));
    doc::create(&case, automerge::ActorId::random()).unwrap()
}

fn merged(origin: &mut AutoCommit, replicas: &[AutoCommit], order: &[usize]) -> AutoCommit {
    let mut target = origin.fork();
    for &i in order {
        target.merge(&mut replicas[i].clone()).unwrap();
    }
    target
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn derived_state_is_independent_of_merge_order(
        steps in prop::collection::vec(step(), 1..16),
        order_a in Just((0..REPLICAS).collect::<Vec<_>>()).prop_shuffle(),
        order_b in Just((0..REPLICAS).collect::<Vec<_>>()).prop_shuffle(),
    ) {
        let mut origin = base();
        let mut replicas: Vec<AutoCommit> = Vec::new();
        for i in 0..REPLICAS {
            replicas.push(origin.fork().with_actor(ActorId::from(vec![i as u8 + 1; 16])));
        }
        for (n, s) in steps.iter().enumerate() {
            if let Some(from) = s.sync_from.filter(|&f| f != s.at) {
                let mut other = replicas[from].clone();
                replicas[s.at].merge(&mut other).unwrap();
            }
            let ids: Vec<String> = doc::read(&replicas[s.at]).unwrap().events.into_keys().collect();
            let at_ms = monday_ms() + 10 * DAY_MS + s.minutes * 60_000;
            doc::record(&mut replicas[s.at], format!("r{}-{n}", s.at), "u", at_ms, kind(s.pick, &ids)).unwrap();
        }
        let merged_a = merged(&mut origin, &replicas, &order_a);
        let a = doc::read(&merged_a).unwrap();
        let b = doc::read(&merged(&mut origin, &replicas, &order_b)).unwrap();
        prop_assert_eq!(&a, &b);
        // The one-pass reader agrees with autosurgeon's (see doc_read.rs).
        let mut reference: domain::case::CaseDoc = autosurgeon::hydrate(&merged_a).unwrap();
        domain::device_time::settle(&mut reference);
        prop_assert_eq!(&a, &reference);
        let state = a.state();
        prop_assert_eq!(&state, &b.state());
        // Nothing is dropped: every event is in the timeline.
        prop_assert_eq!(state.order.len(), a.events.len());
        // Listing order does not matter either.
        let mut reversed: Vec<_> = a.events.values().cloned().collect();
        reversed.reverse();
        prop_assert_eq!(derive(&reversed), state);
    }
}

#[test]
fn appending_touches_only_the_new_event() {
    let mut d = base();
    let before = doc::read(&d).unwrap();
    let event = doc::record(&mut d, "x".into(), "u", monday_ms(), resolve()).unwrap();
    assert_eq!(event.after, vec!["e02".to_string()]);
    let after = doc::read(&d).unwrap();
    assert_eq!(after.events.len(), before.events.len() + 1);
    assert_eq!(after.appeal, before.appeal);
    // Round trip through bytes.
    let loaded = doc::read(&doc::load(&d.save()).unwrap()).unwrap();
    assert_eq!(loaded, after);
}
