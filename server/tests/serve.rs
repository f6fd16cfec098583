#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! The server against a real SQLite file and a real socket.

use std::collections::BTreeSet;
use std::sync::Arc;

use domain::status::Status;
use server::store::Store;
use server::{AppState, demo, router};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn anchor() -> domain::time::Day {
    domain::time::Day::parse("2026-11-20").unwrap()
}

fn demo_cases(store: &Store) -> Vec<domain::case::CaseDoc> {
    (0..demo::DEMO_CASES)
        .map(|i| {
            let bytes = store.case_doc(&format!("demo-{i:04}")).unwrap().expect("demo case exists");
            domain::doc::read(&domain::doc::load(&bytes).unwrap()).unwrap()
        })
        .collect()
}

#[test]
fn demo_data_covers_every_state_and_is_loaded_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(demo::seed(&store, anchor()).unwrap(), demo::DEMO_CASES);
    assert_eq!(demo::seed(&store, anchor()).unwrap(), 0, "second run adds nothing");
    assert_eq!(store.case_count().unwrap(), demo::DEMO_CASES as u64);

    let cases = demo_cases(&store);
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

#[test]
fn demo_data_is_deterministic_and_survives_reopening() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let first = {
        let store = Store::open(a.path()).unwrap();
        demo::seed(&store, anchor()).unwrap();
        demo_cases(&store)
    };
    let second = {
        let store = Store::open(b.path()).unwrap();
        demo::seed(&store, anchor()).unwrap();
        demo_cases(&store)
    };
    assert_eq!(first, second);
    // The file on disk holds it all after the store is dropped.
    let reopened = Store::open(a.path()).unwrap();
    assert_eq!(demo_cases(&reopened), first);
}

#[test]
fn case_numbers_count_per_year() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.next_case_number(2026).unwrap(), "HZ-2026-000001");
    assert_eq!(store.next_case_number(2026).unwrap(), "HZ-2026-000002");
    assert_eq!(store.next_case_number(2027).unwrap(), "HZ-2027-000001");
}

async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

#[tokio::test]
async fn serves_health_and_the_app_shell() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html lang=\"zh-CN\">直通车</html>").unwrap();
    std::fs::write(dist.join("app.js"), "console.log(1)").unwrap();
    let store = Arc::new(Store::open(&dir.path().join("data")).unwrap());
    demo::seed(&store, anchor()).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, router(AppState { store, dist })).into_future());

    let (status, body) = get(addr, "/healthz").await;
    assert_eq!(status, 200);
    let health: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["cases"], 305);
    assert_eq!(health["by_status"]["Declined"], 19);

    let (status, body) = get(addr, "/app.js").await;
    assert_eq!((status, body.as_str()), (200, "console.log(1)"));
    // App routes are served the shell, for the client-side router.
    let (status, body) = get(addr, "/cases/new").await;
    assert_eq!(status, 200);
    assert!(body.contains("直通车"));
}
