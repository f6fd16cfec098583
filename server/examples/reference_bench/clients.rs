//! The bench's devices: each enterprise's writer and watcher, and the
//! measuring of one server under the load.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use automerge::ChangeHash;
use domain::event::EventKind;
use domain::sync::DocumentId;
use domain::sync::wire::Message;
use tokio::sync::Barrier;

use crate::common::client::Device;
use crate::common::load::{LoadAccount, case_of, now_ms, quantile};
use crate::servers::Servers;
use crate::{Figures, Load};

/// How long a device waits for an answer before the run counts it lost.
const WAIT: Duration = Duration::from_secs(30);
/// How long the slowest device may take to upload or fetch its cases: a
/// device that failed (its panic is printed above) never reaches the
/// barrier, and the run stops with this rather than hanging.
const SETUP: Duration = Duration::from_secs(600);
/// How long the edits may take in all. A device waits [`WAIT`] only for
/// silence: a server that keeps sending but never acknowledges would hold
/// the run forever (automerge-repo 2.5.6 did once, BENCH.md session 18).
const EDITS: Duration = Duration::from_secs(600);

/// When each change was made, by hash.
type Sent = Arc<Mutex<HashMap<ChangeHash, Instant>>>;

/// Runs the load against `servers` and stops them.
pub async fn measure(name: &'static str, servers: Servers, accounts: &[LoadAccount], load: Load) -> Figures {
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
    let at_start = servers.memory_mb("VmRSS");
    let setup_peak = servers.memory_mb("VmHWM");
    servers.reset_peak();
    let began = Instant::now();
    let edits = async {
        let mut changes = 0;
        for writer in writers {
            changes += writer.await.unwrap();
        }
        let seconds = began.elapsed().as_secs_f64();
        let mut latencies = Vec::new();
        for watcher in watchers {
            latencies.extend(watcher.await.unwrap());
        }
        (changes, seconds, latencies)
    };
    // A panic, not an exit: unwinding drops `servers`, which stops them.
    let Ok((changes, seconds, mut latencies)) = tokio::time::timeout(EDITS, edits).await else {
        panic!("{name}: the edits did not end within {EDITS:?}");
    };
    let load_peak = servers.memory_mb("VmHWM");
    let at_end = servers.memory_mb("VmRSS");
    drop(servers);
    let figures = Figures {
        name,
        changes,
        seconds,
        p50_ms: quantile(&mut latencies, 0.5),
        p99_ms: quantile(&mut latencies, 0.99),
        arrived: latencies.len(),
        peak_mb: setup_peak.max(load_peak),
        load_peak_mb: load_peak,
    };
    println!(
        "{name}: {changes} changes in {seconds:.1} s, {} arrived at the watchers; RSS {at_start:.1} MB before the edits, {at_end:.1} MB after; peak {setup_peak:.1} MB while setting up, {load_peak:.1} MB under the load",
        figures.arrived
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
