//! Load benchmark: N enterprises on their own devices (default 500) sync
//! edits to their cases for S seconds (default 60) against the server in a
//! process of its own, while a coordinator per district receives every
//! change; each client waits for the acknowledgement of a change, pauses
//! (default 1,000 ms) and makes the next. Prints throughput, the p50/p99
//! time from a change to its acknowledgement, and the server's memory.
//! Then the server is killed with SIGKILL under that load, and every
//! acknowledged change is looked up in the database it left behind.
//!
//! cargo run --profile server -p server --example load_bench [N S THINK_MS]

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::load::{self, Load, drive, lost_changes, quantile, seed_accounts};
use server::store::Store;

/// Set in the server's process: it runs `directline` instead of the bench.
const SERVE: &str = "LOAD_BENCH_SERVE";

fn main() {
    if load::served_as_child(SERVE) {
        return;
    }
    let args: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let clients = args.first().copied().unwrap_or(500) as usize;
    let duration = Duration::from_secs(args.get(1).copied().unwrap_or(60));
    let think = Duration::from_millis(args.get(2).copied().unwrap_or(1_000));
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(run(clients, duration, think));
}

async fn spawn_server(dir: &Path) -> (Child, SocketAddr) {
    let mut server = Command::new(std::env::current_exe().unwrap());
    server.env(SERVE, "1");
    common::spawn_process(server, dir).await
}

async fn run(clients: usize, duration: Duration, think: Duration) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("dist")).unwrap();
    let accounts = {
        let store = Store::open(&dir.path().join("data")).await.unwrap();
        server::demo::seed_accounts(&store).await.unwrap();
        seed_accounts(&store, clients).await
    };
    let (child, addr) = spawn_server(dir.path()).await;
    let pid = child.id();
    let idle_mb = load::memory_mb(pid, "VmRSS");
    let child = Arc::new(Mutex::new(child));
    let peak = Arc::new(Mutex::new(f64::NAN));
    let (killer, at_kill) = (child.clone(), peak.clone());
    let load = Load { duration, think };
    let (outcomes, watched) = drive(addr, &accounts, load, move || {
        *at_kill.lock().unwrap() = load::memory_mb(pid, "VmHWM");
        let mut child = killer.lock().unwrap();
        child.kill().unwrap(); // SIGKILL, while the clients are still sending
        child.wait().unwrap();
    })
    .await;
    let mut latencies: Vec<f64> = outcomes.iter().flat_map(|o| o.latencies_ms.iter().copied()).collect();
    let changes = latencies.len();
    let refusals: usize = outcomes.iter().map(|o| o.refusals).sum();
    let (acknowledged, lost) = lost_changes(&dir.path().join("data"), &outcomes).await;
    println!("clients {clients}, {} s, pause {} ms between a client's changes", duration.as_secs(), think.as_millis());
    println!("| acknowledged changes | changes/s | p50 | p99 | max | server RSS idle → peak | coordinators received |");
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| {changes} | {:.0} | {:.1} ms | {:.1} ms | {:.1} ms | {idle_mb:.1} → {:.1} MB | {} messages |",
        changes as f64 / duration.as_secs_f64(),
        quantile(&mut latencies, 0.5),
        quantile(&mut latencies, 0.99),
        quantile(&mut latencies, 1.0),
        *peak.lock().unwrap(),
        watched.messages
    );
    println!("refused changes: {refusals}");
    println!(
        "SIGKILL under load: {acknowledged} changes acknowledged (incl. filing), {lost} missing from the database"
    );
    assert_eq!(lost, 0, "acknowledged changes were lost");
}
