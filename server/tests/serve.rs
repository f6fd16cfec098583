#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! The server against a real SQLite file and a real socket.

mod common;

use std::collections::BTreeSet;

use common::{anchor, get, open_store};
use domain::status::Status;
use server::demo;
use server::store::Store;

async fn demo_cases(store: &Store) -> Vec<domain::case::CaseDoc> {
    let mut cases = Vec::new();
    for i in 0..demo::DEMO_CASES {
        let (doc, _) = store.load_document(&demo::demo_case_id(i)).await.unwrap().expect("demo case exists");
        cases.push(domain::doc::read(&doc).unwrap());
    }
    cases
}

#[tokio::test]
async fn demo_data_covers_every_state_and_is_loaded_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path()).await;
    assert_eq!(demo::seed(&store, anchor()).await.unwrap(), demo::DEMO_CASES);
    assert_eq!(demo::seed(&store, anchor()).await.unwrap(), 0, "second run adds nothing");
    assert_eq!(store.case_count().await.unwrap(), demo::DEMO_CASES as u64);

    let cases = demo_cases(&store).await;
    let states: Vec<_> = cases.iter().map(|c| c.state()).collect();
    let statuses: BTreeSet<String> = states.iter().map(|s| format!("{:?}", s.status())).collect();
    for status in Status::ALL.iter().filter(|s| **s != Status::Draft) {
        assert!(statuses.contains(&format!("{status:?}")), "no demo case is {status:?}");
    }
    assert!(states.iter().any(|s| s.conflict.is_some()), "a conflict to settle");
    assert!(states.iter().all(|s| s.refused.is_empty()), "demo stories are valid");
    for c in &cases {
        domain::uscc::validate(&c.enterprise.uscc).unwrap();
    }
    let numbers: BTreeSet<_> = cases.iter().filter_map(|c| c.number.clone()).collect();
    assert_eq!(numbers.len(), demo::DEMO_CASES, "every case has its own number");
    assert!(numbers.iter().all(|n| n.starts_with("HZ-2026-")));
}

#[tokio::test]
async fn demo_data_is_deterministic_and_survives_reopening() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = {
        let store = open_store(a.path()).await;
        demo::seed(&store, anchor()).await.unwrap();
        demo_cases(&store).await
    };
    let second = {
        let store = open_store(b.path()).await;
        demo::seed(&store, anchor()).await.unwrap();
        demo_cases(&store).await
    };
    assert_eq!(first, second);
    // The file on disk holds it all after the store is dropped.
    let reopened = open_store(a.path()).await;
    assert_eq!(demo_cases(&reopened).await, first);
}

#[tokio::test]
async fn case_numbers_count_per_year() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path()).await;
    assert_eq!(store.next_case_number(2026).await.unwrap(), "HZ-2026-000001");
    assert_eq!(store.next_case_number(2026).await.unwrap(), "HZ-2026-000002");
    assert_eq!(store.next_case_number(2027).await.unwrap(), "HZ-2027-000001");
}

#[tokio::test]
async fn serves_health_and_the_app_shell() {
    let server = common::start(true).await;
    let health = get(server.addr, "/healthz").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["cases"], 305);
    assert_eq!(health.json()["by_status"]["Declined"], 19);
    assert_eq!(health.header("x-content-type-options").as_deref(), Some("nosniff"));
    assert_eq!(health.header("x-frame-options").as_deref(), Some("DENY"));
    assert_eq!(health.header("referrer-policy").as_deref(), Some("same-origin"));

    let script = get(server.addr, "/app.js").await;
    assert_eq!((script.status, script.body.as_str()), (200, "console.log(1)"));
    // App routes are served the shell, for the client-side router.
    let page = get(server.addr, "/cases/new").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("直通车"));
}
