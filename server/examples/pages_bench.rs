//! Server-rendered pages over many cases: each of these pages reads every
//! case it covers, decoded documents coming from the store's in-memory
//! cache once read. Prints the first request (the server issues the
//! letters first, which fills the cache) and the median of 5 (real HTTP on
//! loopback, real SQLite file) and the size, for the demo's 305 cases side
//! by side with ten times as many; and how long issuing a month's letters
//! takes from a cold cache.
//!
//! cargo run --profile server -p server --example pages_bench [COUNT]...
//! (default: 305 3050)

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::client::sign_in;
use common::{anchor, request};
use server::store::Store;
use server::{AppState, Clock, router};

const PAGES: [&str; 6] = [
    "/stats",
    "/board/city/2026-11",
    "/ratings",
    "/open311/v2/requests.json?page_size=100",
    "/open311/v2/requests/HZ-2026-000007.json",
    "/reports/common-issues/2026-Q4",
];

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let counts: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let counts = if counts.is_empty() { vec![305, 3_050] } else { counts };
    println!("| cases | page | first | median of 5 | bytes |");
    println!("|---|---|---|---|---|");
    for count in counts {
        run(count).await;
    }
}

async fn run(count: usize) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open(dir.path()).await.unwrap());
    server::demo::seed_accounts(&store).await.unwrap();
    server::demo::store_cases(&store, anchor(), count).await.unwrap();
    let now = anchor().start_instant() + 10 * 3_600_000;
    let started = Instant::now();
    let letters = server::pages::letters::issue_due(
        &store,
        &domain::policy::Policy::shipped().unwrap(),
        &domain::roster::Roster::default(),
        "http://127.0.0.1:8080",
        now,
    )
    .await
    .unwrap();
    println!("| {count} | issue October's letters ({letters}), cold | {} | | |", ms(started.elapsed()));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = AppState::new(store, dir.path().join("dist"), Clock::manual(now), false).await.unwrap();
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(axum::serve(listener, app).into_future());
    let cookie = sign_in(addr, "xietiao-city").await;
    for page in PAGES {
        let mut times = Vec::new();
        let mut bytes = 0;
        for _ in 0..5 {
            let started = Instant::now();
            let response = request(addr, "GET", page, &[("Cookie", &cookie)], "").await;
            times.push(started.elapsed());
            assert_eq!(response.status, 200, "{page}");
            bytes = response.body.len();
        }
        let first = times[0];
        times.sort();
        println!("| {count} | `{page}` | {} | {} | {bytes} |", ms(first), ms(times[2]));
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}
