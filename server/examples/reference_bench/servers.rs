//! Starting the servers under test, each in processes of its own on
//! loopback: this server (SQLite, or PostgreSQL with one or more
//! instances, optionally each pinned to a core), and the peers it is
//! compared with (automerge-repo servers under node, samod).

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use domain::sync::wire::Message;
use tokio::sync::Semaphore;

use crate::SERVE;
use crate::common::client::sign_in;
use crate::common::load::{LoadAccount, memory_mb};

/// Servers under test: their processes, and where each client connects.
pub struct Servers {
    children: Vec<Child>,
    pub addrs: Vec<SocketAddr>,
    /// Session cookies by account (empty for the peers: no accounts).
    pub cookies: Vec<String>,
}

impl Servers {
    /// The processes' memory summed, in MB: `VmRSS` now, or `VmHWM` (peak).
    pub fn memory_mb(&self, field: &str) -> f64 {
        self.children.iter().map(|c| memory_mb(c.id(), field)).sum()
    }

    /// Starts the servers' peak RSS (`VmHWM`) afresh from what they hold
    /// now (Linux's `clear_refs`), so that a later peak is the load's own,
    /// not setting up's (our sign-ins hash passwords).
    pub fn reset_peak(&self) {
        for child in &self.children {
            std::fs::write(format!("/proc/{}/clear_refs", child.id()), "5").unwrap();
        }
    }
}

/// How this server is started: where it stores, and on which cores.
pub struct Ours<'a> {
    pub data: &'a Path,
    pub root: &'a Path,
    /// The PostgreSQL database, or SQLite in `data`.
    pub url: Option<&'a str>,
    /// One entry per instance: the core it is pinned to (`taskset`), or
    /// `None` for all cores.
    pub cores: &'a [Option<usize>],
}

/// This server as `ours` says, with every account signed in.
pub async fn start_ours(ours: Ours<'_>, accounts: &[LoadAccount]) -> Servers {
    let mut children = Vec::new();
    let mut addrs = Vec::new();
    for core in ours.cores {
        let exe = std::env::current_exe().unwrap();
        let mut command = match core {
            Some(core) => {
                let mut taskset = Command::new("taskset");
                taskset.args(["--cpu-list", &core.to_string()]).arg(exe);
                taskset
            }
            None => Command::new(exe),
        };
        command
            .env(SERVE, "1")
            .args(["--addr", "127.0.0.1:0", "--data"])
            .arg(ours.data)
            .arg("--dist")
            .arg(ours.root.join("dist"));
        match ours.url {
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

/// A peer server: `command` (with `PORT` and `DATA_DIR` set here, as the
/// automerge-repo sync server reads them) listening on loopback.
pub async fn start_peer(mut command: Command, data: &Path, accounts: usize) -> Servers {
    std::fs::create_dir_all(data).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    command.env("PORT", port.to_string()).env("DATA_DIR", data).current_dir(data);
    let (child, addr) =
        spawn_and_wait(command, "Listening on port", |_| Some(SocketAddr::from(([127, 0, 0, 1], port))));
    answers_join(addr).await;
    Servers { children: vec![child], addrs: vec![addr], cookies: vec![String::new(); accounts] }
}

/// A node program of the npm project in `dir`, bound to loopback by its
/// preload (`server/examples/reference/loopback.cjs`).
pub fn node(dir: &Path, script: &str, preload: &Path) -> Command {
    let script = dir.join(script);
    assert!(script.exists(), "{} missing: run scripts/bench-reference.sh", script.display());
    let mut command = Command::new("node");
    command.arg("--require").arg(preload).arg(script);
    command
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
    panic!("the server at {addr} never answered a join");
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
