//! Side by side: this server and the reference automerge-repo sync server
//! (npm `@automerge/automerge-repo-sync-server`, under node, on loopback),
//! each in a process of its own, one after the other, under the same load:
//! CLIENTS enterprises (default 200) each own DOCS/CLIENTS case documents
//! (default 1,000 in all), which they first upload; then each makes EDITS
//! changes (default 50) one at a time, waiting for the server's
//! acknowledgement of each, while a second device of the same enterprise
//! watches. Prints for both: throughput (acknowledged changes per second),
//! p50/p99 time from a change on the writing device to its arrival on the
//! watching one, and the server's peak RSS; then the ratios.
//!
//! Over 400 lines: one program that starts, loads, measures and compares
//! two different servers under the same load, so the comparison stays
//! side by side in one run (and runs as one `cargo run --example`).
//!
//! With `DATABASE_URL` set (see `scripts/postgres.sh`), a third column runs
//! this server as two instances on that PostgreSQL database, half the
//! clients on each (writer and watcher on different instances).
//!
//! scripts/bench-reference.sh [CLIENTS EDITS DOCS]

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automerge::ChangeHash;
use common::client::{Device, sign_in};
use common::load::{LoadAccount, case_of, memory_mb, now_ms, quantile, seed_accounts};
use domain::event::EventKind;
use domain::sync::DocumentId;
use domain::sync::wire::Message;
use tokio::sync::{Barrier, Semaphore};

/// Set in a server process: it runs `directline` instead of the bench.
const SERVE: &str = "REFERENCE_BENCH_SERVE";
/// How long a device waits for an answer before the run counts it lost.
const WAIT: Duration = Duration::from_secs(30);
/// How long the slowest device may take to upload or fetch its cases: a
/// device that failed (its panic is printed above) never reaches the
/// barrier, and the run stops with this rather than hanging.
const SETUP: Duration = Duration::from_secs(600);

fn main() {
    if common::load::served_as_child(SERVE) {
        return;
    }
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let load = Load {
        clients: args.first().copied().unwrap_or(200),
        edits: args.get(1).copied().unwrap_or(50),
        docs: args.get(2).copied().unwrap_or(1_000),
    };
    let reference =
        PathBuf::from(std::env::var("REFERENCE_SERVER_DIR").unwrap_or_else(|_| "server/examples/reference".into()))
            .canonicalize()
            .expect("the reference server's directory");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(run(load, &reference));
}

#[derive(Clone, Copy)]
struct Load {
    clients: usize,
    edits: usize,
    docs: usize,
}

/// What one run measured.
struct Figures {
    name: &'static str,
    changes: usize,
    seconds: f64,
    p50_ms: f64,
    p99_ms: f64,
    arrived: usize,
    peak_mb: f64,
}

impl Figures {
    fn throughput(&self) -> f64 {
        self.changes as f64 / self.seconds
    }
}

/// Servers under test: their processes, and where each client connects.
struct Servers {
    children: Vec<Child>,
    addrs: Vec<SocketAddr>,
    /// Session cookies by account (empty for the reference: no accounts).
    cookies: Vec<String>,
}

async fn run(load: Load, reference: &Path) {
    println!(
        "{} clients × {} edits on {} documents, {} watching devices",
        load.clients, load.edits, load.docs, load.clients
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("dist")).unwrap();
    let data = dir.path().join("data");
    let accounts = {
        let store = server::store::Store::open(&data).await.unwrap();
        seed_accounts(&store, load.clients).await
    };
    let mut results = Vec::new();

    let ours = start_ours(&data, dir.path(), &accounts, None, 1).await;
    results.push(measure("Direct Line (SQLite)", ours, &accounts, load).await);

    if std::env::var_os("SKIP_REFERENCE").is_none() {
        let node = start_reference(reference, &dir.path().join("reference"), accounts.len()).await;
        results.push(measure("reference (node)", node, &accounts, load).await);
    }

    if let Ok(url) = std::env::var("DATABASE_URL") {
        let url = server::store::db::fresh_schema(&url).await.unwrap();
        let pg_data = dir.path().join("pg");
        let store = server::store::Store::connect(Some(&url), &pg_data).await.unwrap();
        seed_accounts(&store, load.clients).await;
        drop(store);
        let two = start_ours(&pg_data, dir.path(), &accounts, Some(&url), 2).await;
        results.push(measure("Direct Line (PostgreSQL, 2 instances)", two, &accounts, load).await);
    }
    report(&results);
}

fn report(results: &[Figures]) {
    println!();
    println!(
        "{:<40} {:>9} {:>10} {:>9} {:>9} {:>9} {:>10}",
        "server", "changes", "changes/s", "p50 ms", "p99 ms", "arrived", "peak RSS"
    );
    for f in results {
        println!(
            "{:<40} {:>9} {:>10.0} {:>9.1} {:>9.1} {:>9} {:>7.1} MB",
            f.name,
            f.changes,
            f.throughput(),
            f.p50_ms,
            f.p99_ms,
            f.arrived,
            f.peak_mb
        );
    }
    let Some(reference) = results.iter().find(|f| f.name.starts_with("reference")) else { return };
    for ours in results.iter().filter(|f| f.name != reference.name) {
        println!(
            "{} vs reference: throughput {:.1}×, p50 {:.2}×, p99 {:.2}×, peak memory {:.2}× (target ≥ 3× throughput, ≤ 0.33× memory)",
            ours.name,
            ours.throughput() / reference.throughput(),
            ours.p50_ms / reference.p50_ms,
            ours.p99_ms / reference.p99_ms,
            ours.peak_mb / reference.peak_mb
        );
    }
}

/// This server in `instances` processes of its own (SQLite in `data`, or
/// the PostgreSQL database `url`), with every account signed in.
async fn start_ours(
    data: &Path,
    root: &Path,
    accounts: &[LoadAccount],
    url: Option<&str>,
    instances: usize,
) -> Servers {
    let mut children = Vec::new();
    let mut addrs = Vec::new();
    for _ in 0..instances {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command
            .env(SERVE, "1")
            .args(["--addr", "127.0.0.1:0", "--data"])
            .arg(data)
            .arg("--dist")
            .arg(root.join("dist"));
        match url {
            Some(url) => command.env("DATABASE_URL", url),
            None => command.env_remove("DATABASE_URL"),
        };
        let (child, addr) = spawn_and_wait(command, "running at", |line| {
            line.rsplit("http://").next()?.trim_end_matches('/').parse().ok()
        });
        children.push(child);
        addrs.push(addr);
    }
    // Signing in hashes passwords: a few at a time, before the clock starts.
    let gate = Arc::new(Semaphore::new(8));
    let mut signing = Vec::new();
    for account in accounts {
        let (gate, login, addr) = (gate.clone(), account.login.clone(), addrs[0]);
        signing.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            sign_in(addr, &login).await
        }));
    }
    let mut cookies = Vec::new();
    for s in signing {
        cookies.push(s.await.unwrap());
    }
    Servers { children, addrs, cookies }
}

/// The reference server under node, bound to loopback, storing in `data`.
async fn start_reference(dir: &Path, data: &Path, accounts: usize) -> Servers {
    let script = dir.join("node_modules/@automerge/automerge-repo-sync-server/src/index.js");
    assert!(script.exists(), "{} missing: run scripts/bench-reference.sh", script.display());
    std::fs::create_dir_all(data).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut command = Command::new("node");
    command.arg("--require").arg(dir.join("loopback.cjs")).arg(script).env("PORT", port.to_string());
    command.env("DATA_DIR", data).current_dir(data);
    let (child, addr) =
        spawn_and_wait(command, "Listening on port", |_| Some(SocketAddr::from(([127, 0, 0, 1], port))));
    answers_join(addr).await;
    Servers { children: vec![child], addrs: vec![addr], cookies: vec![String::new(); accounts] }
}

impl Drop for Servers {
    fn drop(&mut self) {
        // Also when the bench fails half-way: no server outlives it.
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Waits until the server answers a `join`: the reference listens before
/// its repo has a peer id, and drops what arrives until then.
async fn answers_join(addr: SocketAddr) {
    use futures_util::{SinkExt, StreamExt};
    let join = Message::Join { sender_id: "probe".into(), storage_id: None, protocol_versions: vec!["1".into()] };
    for _ in 0..100 {
        let (mut socket, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/")).await.unwrap();
        socket.send(join.encode().into()).await.unwrap();
        if let Ok(Some(Ok(_))) = tokio::time::timeout(Duration::from_millis(200), socket.next()).await {
            return;
        }
    }
    panic!("the reference server never answered a join");
}

fn spawn_and_wait(
    mut command: Command,
    ready: &str,
    addr_of: impl Fn(&str) -> Option<SocketAddr>,
) -> (Child, SocketAddr) {
    use std::io::{BufRead, BufReader};
    let mut child = command.env("RUST_LOG", "warn").stdout(Stdio::piped()).spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("server started").unwrap();
        if line.contains(ready) {
            break addr_of(&line).expect("server address");
        }
    };
    // Keep draining its output so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
}

/// When each change was made, by hash.
type Sent = Arc<Mutex<HashMap<ChangeHash, Instant>>>;

async fn measure(name: &'static str, servers: Servers, accounts: &[LoadAccount], load: Load) -> Figures {
    let sent: Sent = Arc::default();
    // Writers upload, then watchers fetch, then the clock starts.
    let uploaded = Arc::new(Barrier::new(accounts.len() * 2));
    let start = Arc::new(Barrier::new(accounts.len() * 2 + 1));
    let per_client = load.docs / load.clients;
    let mut writers = Vec::new();
    let mut watchers = Vec::new();
    for (i, account) in accounts.iter().enumerate() {
        let ids: Vec<String> = (0..per_client).map(|j| document_id(i, j)).collect();
        let cookie = servers.cookies[i].clone();
        let (write_at, watch_at) =
            (servers.addrs[i % servers.addrs.len()], servers.addrs[(i + 1) % servers.addrs.len()]);
        let writer =
            Client { i, ids: ids.clone(), uploaded: uploaded.clone(), start: start.clone(), sent: sent.clone() };
        let watcher = Client { i, ids, uploaded: uploaded.clone(), start: start.clone(), sent: sent.clone() };
        let (account, cookie_w) = (account.clone(), cookie.clone());
        writers.push(tokio::spawn(async move { write(write_at, &cookie_w, &account, writer, load.edits).await }));
        watchers.push(tokio::spawn(async move { watch(watch_at, &cookie, watcher, load.edits).await }));
    }
    at_barrier(&start, "the start").await;
    let at_start: f64 = servers.children.iter().map(|c| memory_mb(c.id(), "VmRSS")).sum();
    let began = Instant::now();
    let mut changes = 0;
    for writer in writers {
        changes += writer.await.unwrap();
    }
    let seconds = began.elapsed().as_secs_f64();
    let mut latencies = Vec::new();
    for watcher in watchers {
        latencies.extend(watcher.await.unwrap());
    }
    let peak = servers.children.iter().map(|c| memory_mb(c.id(), "VmHWM")).sum();
    let at_end: f64 = servers.children.iter().map(|c| memory_mb(c.id(), "VmRSS")).sum();
    drop(servers);
    let figures = Figures {
        name,
        changes,
        seconds,
        p50_ms: quantile(&mut latencies, 0.5),
        p99_ms: quantile(&mut latencies, 0.99),
        arrived: latencies.len(),
        peak_mb: peak,
    };
    println!(
        "{name}: {changes} changes in {seconds:.1} s, {} arrived at the watchers; RSS {at_start:.1} MB before the edits, {at_end:.1} MB after, peak {:.1} MB",
        figures.arrived, figures.peak_mb
    );
    figures
}

/// A document id that is a valid version-4 UUID (the reference server
/// drops messages for any other).
fn document_id(client: usize, n: usize) -> String {
    let mut bytes = [0u8; 16];
    bytes[..4].copy_from_slice(&(client as u32 + 1).to_be_bytes());
    bytes[4..6].copy_from_slice(&(n as u16).to_be_bytes());
    bytes[6] = 0x40;
    bytes[8] = 0x80;
    bytes[12] = 0x42;
    DocumentId::from_bytes(bytes).to_string()
}

/// One enterprise's device in a run.
struct Client {
    i: usize,
    ids: Vec<String>,
    uploaded: Arc<Barrier>,
    start: Arc<Barrier>,
    sent: Sent,
}

/// The writing device: uploads its cases, then after the start makes
/// `edits` changes round the cases, each acknowledged before the next.
/// Returns how many were acknowledged.
async fn write(addr: SocketAddr, cookie: &str, account: &LoadAccount, client: Client, edits: usize) -> usize {
    let Client { i, ids, uploaded, start, sent } = client;
    let mut device = Device::new(&account.user_id, &format!("writer-{i}"), 1);
    device.connect(addr, cookie).await;
    for id in &ids {
        device.create(&case_of(id, &account.enterprise)).await;
        device.record(id, now_ms(), EventKind::Submit).await;
        assert!(pump_until(&mut device, |d| d.in_sync(id)).await, "{id} uploaded");
    }
    at_barrier(&uploaded, "the end of the upload").await;
    at_barrier(&start, "the start").await;
    let mut acknowledged = 0;
    for n in 0..edits {
        let id = &ids[n % ids.len()];
        let kind = EventKind::AddInfo { text: format!("补充材料第{n}份"), attachments: vec![] };
        device.record_quietly(id, now_ms(), kind);
        let hash = device.doc_mut(id).and_then(|d| d.get_last_local_change().map(|c| c.hash()));
        sent.lock().unwrap().insert(hash.unwrap(), Instant::now());
        device.offer(id).await;
        if pump_until(&mut device, |d| d.in_sync(id)).await {
            acknowledged += 1;
        }
    }
    acknowledged
}

/// The watching device: fetches the cases before the start, then takes
/// in every change until all `edits` arrived (or the server fell quiet).
/// Returns the milliseconds each change took to arrive.
async fn watch(addr: SocketAddr, cookie: &str, client: Client, edits: usize) -> Vec<f64> {
    let Client { i, ids, uploaded, start, sent } = client;
    at_barrier(&uploaded, "the end of the upload").await;
    let mut device = Device::new("watcher", &format!("watcher-{i}"), 2);
    device.connect(addr, cookie).await;
    for id in &ids {
        device.request(id).await;
        assert!(
            pump_until(&mut device, |d| d.doc_mut(id).is_some_and(|doc| !doc.get_heads().is_empty())).await,
            "{id} fetched"
        );
    }
    at_barrier(&start, "the start").await;
    let mut latencies = Vec::new();
    while latencies.len() < edits {
        let Some(arrived) = receive(&mut device, WAIT).await else { break };
        let now = Instant::now();
        let sent = sent.lock().unwrap();
        latencies.extend(arrived.iter().filter_map(|h| sent.get(h)).map(|t| (now - *t).as_secs_f64() * 1e3));
    }
    latencies
}

/// Waits at `barrier` for every device, at most [`SETUP`].
async fn at_barrier(barrier: &Barrier, name: &str) {
    // A panic, not an exit: unwinding drops `Servers`, which stops them.
    if tokio::time::timeout(SETUP, barrier.wait()).await.is_err() {
        panic!("a device never reached {name} within {SETUP:?} (its failure is printed above)");
    }
}

/// Handles messages until `done` holds; false if the server fell quiet.
async fn pump_until(device: &mut Device, done: impl Fn(&mut Device) -> bool) -> bool {
    while !done(device) {
        if receive(device, WAIT).await.is_none() {
            return done(device);
        }
    }
    true
}

/// Takes in one message and answers it; the hashes of the changes it
/// brought. `None` if nothing came within `wait`.
async fn receive(device: &mut Device, wait: Duration) -> Option<Vec<ChangeHash>> {
    let message = device.next_message(wait).await?;
    let Message::Sync { document_id, .. } = &message else { return Some(Vec::new()) };
    let id = document_id.clone();
    let before = device.doc_mut(&id).map(|d| d.get_heads()).unwrap_or_default();
    device.handle(message).await;
    let arrived = device.doc_mut(&id)?.get_changes(&before).iter().map(|c| c.hash()).collect();
    Some(arrived)
}
