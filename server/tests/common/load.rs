//! A load of synced clients for tests and the load benchmark: each client
//! is an enterprise on its own device that files a case and then keeps
//! adding information to it, waiting for the server's acknowledgement of
//! each change; a few coordinators stay connected and receive every
//! change of their district. After the run, each client knows which of its
//! changes the server acknowledged.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use automerge::ChangeHash;
use domain::case::{Appeal, CaseDoc, Contact, Enterprise, SCHEMA_VERSION};
use domain::directory::Directory;
use domain::event::EventKind;
use domain::permission::{Role, User};
use domain::sync::DocumentId;
use server::store::{Account, Store};
use tokio::sync::Semaphore;

use super::client::{Device, sign_in};
use super::open_store;

/// Sign-ins at once (each is an argon2 check on the server).
const SIGN_INS_AT_ONCE: usize = 8;
const ACK_WAIT: Duration = Duration::from_secs(30);

/// An enterprise account made for the load.
#[derive(Clone)]
pub struct LoadAccount {
    pub login: String,
    pub user_id: String,
    pub enterprise: Enterprise,
}

/// Creates `n` enterprise accounts (logins `load0000`…) with the demo
/// password; the hash is computed once and shared.
pub async fn seed_accounts(store: &Store, n: usize) -> Vec<LoadAccount> {
    let hash = server::hash_password(server::demo::DEMO_PASSWORD).unwrap();
    let mut accounts = Vec::with_capacity(n);
    for i in 0..n {
        let districts = Directory::huizhou().districts;
        let district = districts[1 + i % (districts.len() - 1)].code.clone();
        let body = format!("91441300{:09}", 100_000_000 + i);
        let uscc = format!("{body}{}", domain::uscc::check_character(&body).unwrap());
        let enterprise = Enterprise {
            id: domain::account::enterprise_id(&uscc),
            name: format!("惠州市压测{i}号科技有限公司"),
            uscc,
            ownership: "private".into(),
            size: "small".into(),
            industry: "电子".into(),
            district: district.clone(),
        };
        let user_id = format!("user-{}", enterprise.id);
        let user = User {
            id: user_id.clone(),
            role: Role::Enterprise,
            org: Some(enterprise.id.clone()),
            district: Some(district),
        };
        let login = format!("load{i:04}");
        let account = Account { login: login.clone(), display_name: enterprise.name.clone(), user, profile: None };
        store.create_user(&account, &hash).await.unwrap();
        accounts.push(LoadAccount { login, user_id, enterprise });
    }
    accounts
}

/// How hard to push.
#[derive(Clone, Copy)]
pub struct Load {
    pub duration: Duration,
    /// Pause between an acknowledgement and the client's next change.
    pub think: Duration,
}

/// What one client saw.
pub struct ClientOutcome {
    pub case_id: String,
    /// Milliseconds from making a change to the server's acknowledgement.
    pub latencies_ms: Vec<f64>,
    pub acknowledged: HashSet<ChangeHash>,
    pub refusals: usize,
}

/// Messages the coordinators watching the load received.
pub struct Watched {
    pub messages: u64,
}

/// How long everyone may take to sign in and file before the clock starts.
const SETTLE: Duration = Duration::from_secs(300);

/// Runs every client (and a coordinator per district watching) against
/// `addr` for `load.duration`; then calls `stop` (which may kill the
/// server) while the clients are still sending, and collects outcomes.
pub async fn drive(
    addr: SocketAddr,
    accounts: &[LoadAccount],
    load: Load,
    stop: impl FnOnce() + Send + 'static,
) -> (Vec<ClientOutcome>, Watched) {
    let gate = Arc::new(Semaphore::new(SIGN_INS_AT_ONCE));
    let received = Arc::new(AtomicU64::new(0));
    let mut watchers = Vec::new();
    for district in Directory::huizhou().districts.iter().skip(1) {
        let login = format!("xietiao-{}", district.code);
        let cookie = sign_in(addr, &login).await;
        let mut device = Device::new(&format!("coord-{}", district.code), &format!("watch-{login}"), 1);
        device.connect(addr, &cookie).await;
        let received = received.clone();
        watchers.push(tokio::spawn(async move {
            while device.is_connected() {
                if device.step(Duration::from_secs(1)).await {
                    received.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    // Every client is signed in and has filed its case before the clock starts.
    let ready = Arc::new(tokio::sync::Barrier::new(accounts.len() + 1));
    let mut clients = Vec::new();
    for (i, account) in accounts.iter().cloned().enumerate() {
        let (gate, ready) = (gate.clone(), ready.clone());
        clients.push(tokio::spawn(async move {
            let permit = gate.acquire().await.unwrap();
            let cookie = sign_in(addr, &account.login).await;
            drop(permit);
            let mut device = Device::new(&account.user_id, &format!("load-{i}"), 1);
            device.connect(addr, &cookie).await;
            let case_id = filed_case(&mut device, &account, i).await;
            ready.wait().await;
            let end = Instant::now() + load.duration;
            edit_until(device, case_id, end, load.think).await
        }));
    }
    tokio::time::timeout(SETTLE, ready.wait()).await.expect("every client signed in and filed");
    tokio::time::sleep(load.duration).await;
    stop();
    let mut outcomes = Vec::new();
    for client in clients {
        outcomes.push(client.await.unwrap());
    }
    for watcher in watchers {
        watcher.abort();
    }
    (outcomes, Watched { messages: received.load(Ordering::Relaxed) })
}

async fn filed_case(device: &mut Device, account: &LoadAccount, i: usize) -> String {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&(i as u64 + 1).to_be_bytes());
    bytes[8] = 0x10;
    let id = DocumentId::from_bytes(bytes).to_string();
    device.create(&case_of(&id, &account.enterprise)).await;
    device.record(&id, now_ms(), EventKind::Submit).await;
    assert!(device.pump_until(ACK_WAIT, |d| d.in_sync(&id)).await, "case {id} filed");
    id
}

/// Adds information until `end`, one change at a time, each waited for.
async fn edit_until(mut device: Device, case_id: String, end: Instant, think: Duration) -> ClientOutcome {
    let mut latencies_ms = Vec::new();
    let mut n = 0;
    while Instant::now() < end && device.is_connected() {
        n += 1;
        let made = Instant::now();
        device
            .record(&case_id, now_ms(), EventKind::AddInfo { text: format!("补充材料第{n}份"), attachments: vec![] })
            .await;
        if device.pump_until(ACK_WAIT, |d| d.in_sync(&case_id)).await {
            latencies_ms.push(made.elapsed().as_secs_f64() * 1e3);
        }
        tokio::time::sleep(think).await;
    }
    // The server may have answered before it went away: take that in.
    while device.step(Duration::from_millis(200)).await {}
    let acknowledged = device.acknowledged(&case_id);
    ClientOutcome { case_id, latencies_ms, acknowledged, refusals: device.refusals.len() }
}

pub fn case_of(id: &str, enterprise: &Enterprise) -> CaseDoc {
    CaseDoc {
        schema: SCHEMA_VERSION,
        id: id.into(),
        number: None,
        created_ms: now_ms(),
        district: enterprise.district.clone(),
        enterprise: enterprise.clone(),
        contact: Contact { name: "陈女士".into(), phone: "13800000000".into() },
        appeal: Appeal {
            title: "厂房消防验收排期".into(),
            description: "新建厂房消防验收排期较长,影响投产。".into(),
            category: "approval".into(),
            wants_session: false,
            attachments: vec![],
        },
        events: Default::default(),
        time_flags: Default::default(),
    }
}

pub fn now_ms() -> i64 {
    server::Clock::system().now_ms()
}

/// Acknowledged changes the store at `data` does not hold.
pub async fn lost_changes(data: &std::path::Path, outcomes: &[ClientOutcome]) -> (usize, usize) {
    let store = open_store(data).await;
    let (mut acknowledged, mut lost) = (0, 0);
    for outcome in outcomes {
        acknowledged += outcome.acknowledged.len();
        match store.load_document(&outcome.case_id).await.unwrap() {
            Some((mut stored, _)) => {
                lost += outcome.acknowledged.iter().filter(|h| stored.get_change_by_hash(h).is_none()).count()
            }
            None => lost += outcome.acknowledged.len(),
        }
    }
    (acknowledged, lost)
}

/// The `q`-quantile (0..=1) of `values`, by nearest rank.
pub fn quantile(values: &mut [f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((q * values.len() as f64).ceil() as usize).clamp(1, values.len());
    values[rank - 1]
}

/// A field of /proc/<pid>/status in MB (VmRSS now, VmHWM the peak).
pub fn memory_mb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.trim_start_matches(':').trim().strip_suffix("kB")?.trim().parse().ok())
        .unwrap_or(f64::NAN);
    kb / 1024.0
}

/// In a bench's re-executed child (the variable `serve` set), runs the
/// server exactly as `directline` does and returns true.
pub fn served_as_child(serve: &str) -> bool {
    if std::env::var_os(serve).is_none() {
        return false;
    }
    let runtime = server::cli::runtime().unwrap();
    runtime.block_on(server::cli::run(<server::config::Config as clap::Parser>::parse())).unwrap();
    true
}
