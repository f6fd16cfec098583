//! Sync benchmark: one client makes N cases × M edits offline, reconnects,
//! and we measure the time until the server has acknowledged every change,
//! and the bytes on the wire per edit; then a reconnect with nothing new.
//! Real server (in process), real SQLite file, real WebSocket on loopback.
//! Each size runs twice, side by side: the server answering the socket's
//! documents side by side (as it does), and one message at a time (as it
//! did before step 11: `SyncLimits::documents_at_once` = 1).
//!
//! cargo run --profile server -p server --example sync_bench [N M]...
//! (default: 100 10 1000 10)

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::client::{Device, sign_in};
use domain::event::EventKind;
use domain::sync::DocumentId;
use server::sync::SyncLimits;

const QUIET: Duration = Duration::from_secs(60);

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let runs: Vec<(usize, usize)> =
        if args.len() >= 2 { args.chunks(2).map(|c| (c[0], c[1])).collect() } else { vec![(100, 10), (1_000, 10)] };
    println!(
        "| cases × edits | documents at once | changes | converge | bytes sent | bytes received | bytes/edit | reconnect, nothing new |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let pipelined = SyncLimits::default().documents_at_once;
    for (cases, edits) in runs {
        for at_once in [pipelined, 1] {
            run(cases, edits, at_once).await;
        }
    }
}

async fn run(cases: usize, edits: usize, at_once: usize) {
    let server = common::start_with(false, SyncLimits { documents_at_once: at_once, ..SyncLimits::default() }).await;
    let now = server.clock.now_ms();
    let mut device = Device::new(&common::qiye(1).0, &format!("bench-{cases}-{edits}"), 1);
    let ids: Vec<String> = (0..cases)
        .map(|i| {
            let mut bytes = [0u8; 16];
            bytes[..8].copy_from_slice(&(i as u64).to_be_bytes());
            DocumentId::from_bytes(bytes).to_string()
        })
        .collect();
    // Offline: every case filed and edited on the device.
    for id in &ids {
        device.create(&common::new_case(id, &common::qiye(1).1, "boluo")).await;
        device.record(id, now, EventKind::Submit).await;
        for e in 1..edits {
            device.record(id, now, EventKind::AddInfo { text: format!("补充第{e}条"), attachments: vec![] }).await;
        }
    }
    let cookie = sign_in(server.addr, "qiye01").await;

    let started = Instant::now();
    device.connect(server.addr, &cookie).await;
    let all = ids.clone();
    assert!(device.pump_until(QUIET, move |d| all.iter().all(|id| d.in_sync(id))).await, "converged");
    let converge = started.elapsed();
    let (sent, received) = (device.bytes_sent, device.bytes_received);
    for id in &ids {
        assert!(server.store.load_document(id).await.unwrap().is_some());
    }

    // Again, with nothing new on either side: both sides know what they
    // share, so only the greeting crosses (we wait for a quiet half second,
    // so the time is not a figure here, the bytes are).
    device.disconnect();
    device.connect(server.addr, &cookie).await;
    device.pump_until(Duration::from_millis(500), |_| false).await;
    let quiet = device.bytes_sent + device.bytes_received - sent - received;

    let total = cases * edits;
    println!(
        "| {cases} × {edits} | {at_once} | {total} | {:.2} s | {sent} | {received} | {:.0} | {quiet} B |",
        converge.as_secs_f64(),
        (sent + received) as f64 / total as f64,
    );
}
