#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Nothing acknowledged is lost: a client bursts 1,000 changes, the server
//! process is killed with SIGKILL in the middle, and after a restart every
//! acknowledged change is there and the client's document converges. And
//! the same under load: many clients syncing at once when the kill comes.

mod common;

use std::collections::HashSet;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command};
use std::time::Duration;

use common::client::{Device, sign_in};
use common::{load, open_store};
use domain::event::EventKind;

const BURST: usize = 1_000;
const QUIET: Duration = Duration::from_secs(20);

/// Starts the real server binary on a free loopback port, with the demo
/// data.
async fn spawn_server(dir: &Path) -> (Child, SocketAddr) {
    spawn_server_with(dir, &["--demo"]).await
}

async fn spawn_server_with(dir: &Path, args: &[&str]) -> (Child, SocketAddr) {
    let mut server = Command::new(env!("CARGO_BIN_EXE_directline"));
    server.args(args);
    common::spawn_process(server, dir).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_changes_survive_sigkill_and_the_rest_are_resent() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("dist")).unwrap();
    let (mut server, addr) = spawn_server(dir.path()).await;
    let now = common::anchor().start_instant();
    let id = domain::sync::DocumentId::from_bytes([8; 16]).to_string();

    let cookie = sign_in(addr, "qiye01").await;
    let mut ent = Device::new(&common::qiye(1).0, "burst-phone", 1);
    ent.create(&common::new_case(&id, &common::qiye(1).1, "boluo")).await;
    ent.record(&id, now, EventKind::Submit).await;
    ent.connect(addr, &cookie).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await);

    let mut acknowledged_at_kill = None;
    for i in 0..BURST {
        ent.record(&id, now, EventKind::AddInfo { text: format!("补充第{i}条"), attachments: vec![] }).await;
        // Take in whatever the server has answered so far, without waiting.
        while ent.is_connected() && ent.step(Duration::from_millis(1)).await {}
        if acknowledged_at_kill.is_none() && i >= BURST / 2 {
            server.kill().unwrap(); // SIGKILL
            server.wait().unwrap();
            ent.disconnect();
            acknowledged_at_kill = Some(ent.acknowledged(&id));
        }
    }
    let acknowledged: HashSet<_> = acknowledged_at_kill.unwrap();
    assert!(acknowledged.len() > 100, "the server acknowledged part of the burst ({})", acknowledged.len());
    assert!(acknowledged.len() < BURST, "and not all of it");

    // Straight from the database file the killed process left behind.
    {
        let store = open_store(&dir.path().join("data")).await;
        let (mut stored, _) = store.load_document(&id).await.unwrap().unwrap();
        let missing: Vec<_> = acknowledged.iter().filter(|h| stored.get_change_by_hash(h).is_none()).collect();
        assert!(missing.is_empty(), "{} acknowledged changes lost", missing.len());
    }

    let (mut server, addr) = spawn_server(dir.path()).await;
    ent.connect(addr, &cookie).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await, "the client re-sent the rest");
    let store = open_store(&dir.path().join("data")).await;
    let (mut stored, unfolded) = store.load_document(&id).await.unwrap().unwrap();
    let mut on_device = ent.doc(&id).unwrap().clone();
    assert_eq!(stored.get_heads(), on_device.get_heads());
    let (stored, on_device) = (domain::doc::read(&stored).unwrap(), domain::doc::read(&on_device).unwrap());
    assert_eq!(stored, on_device);
    assert_eq!(stored.events.len(), BURST + 1);
    assert!(unfolded < 64, "changes are compacted into snapshots ({unfolded} left over)");
    server.kill().unwrap();
    server.wait().unwrap();
}

/// Clients at once, and how long they sync before the kill. The full-size
/// run (500 clients for 60 s) is `examples/load_bench.rs`.
const CLIENTS: usize = 40;
const UNDER_LOAD: Duration = Duration::from_secs(6);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_acknowledged_change_is_lost_when_the_server_is_killed_under_load() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("dist")).unwrap();
    let accounts = {
        let store = open_store(&dir.path().join("data")).await;
        server::demo::seed_accounts(&store).await.unwrap();
        load::seed_accounts(&store, CLIENTS).await
    };
    let (server, addr) = spawn_server_with(dir.path(), &[]).await;
    let server = std::sync::Arc::new(std::sync::Mutex::new(server));
    let killer = server.clone();
    let load = load::Load { duration: UNDER_LOAD, think: Duration::from_millis(20) };
    let (outcomes, watched) = load::drive(addr, &accounts, load, move || {
        let mut server = killer.lock().unwrap();
        server.kill().unwrap(); // SIGKILL, while every client is sending
        server.wait().unwrap();
    })
    .await;
    let changes: usize = outcomes.iter().map(|o| o.latencies_ms.len()).sum();
    assert!(changes > CLIENTS * 5, "the clients kept the server busy ({changes} changes)");
    assert!(watched.messages > 0, "coordinators received the changes of their districts");
    assert_eq!(outcomes.iter().map(|o| o.refusals).sum::<usize>(), 0);
    let (acknowledged, lost) = load::lost_changes(&dir.path().join("data"), &outcomes).await;
    assert!(acknowledged > changes, "acknowledged: every filing and edit ({acknowledged})");
    assert_eq!(lost, 0, "{lost} of {acknowledged} acknowledged changes lost");
}
