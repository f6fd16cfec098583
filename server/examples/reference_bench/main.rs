//! Side by side: this server and other automerge-repo sync servers, each
//! in processes of its own on loopback, one after the other, under the
//! same load: CLIENTS enterprises (default 200) each own DOCS/CLIENTS case
//! documents (default 1,000 in all), which they first upload; then each
//! makes EDITS changes (default 50) one at a time, waiting for the
//! server's acknowledgement of each, while a second device of the same
//! enterprise watches. Prints for each: throughput (acknowledged changes
//! per second), p50/p99 time from a change on the writing device to its
//! arrival on the watching one, and the server's peak RSS: over the whole
//! run, and under the edits alone (setting up, this server hashes each
//! device's password at sign-in; the others have no accounts); then the
//! ratios.
//!
//! The servers (`SERVERS`, a comma-separated list of their keys; all by
//! default):
//! - `sqlite`: this server on SQLite;
//! - `sync-server`: npm `@automerge/automerge-repo-sync-server` 0.2.8
//!   (`server/examples/reference`);
//! - `repo-2`: a server on automerge-repo 2.5.6 with its stock WebSocket
//!   and file-system adapters (`server/examples/automerge-repo-2`);
//! - `samod`: samod 0.16, the Rust automerge-repo, behind axum with its
//!   file-system storage (`server/examples/samod_server.rs`, built beside
//!   this program);
//! - `postgres` (with `DATABASE_URL`, see `scripts/postgres.sh`): the
//!   scale-out run, this server as one instance pinned to one core
//!   (`taskset`), then as two instances each pinned to a core of its own,
//!   half the clients on each (writer and watcher on different instances).
//!
//! scripts/bench-reference.sh [CLIENTS EDITS DOCS]

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod clients;
#[path = "../../tests/common/mod.rs"]
mod common;
mod servers;

use std::path::{Path, PathBuf};

use common::load::seed_accounts;
use servers::{Ours, Servers, node, start_ours, start_peer};

/// Set in a server process: it runs `directline` instead of the bench.
const SERVE: &str = "REFERENCE_BENCH_SERVE";

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
    let examples = PathBuf::from(std::env::var("EXAMPLES_DIR").unwrap_or_else(|_| "server/examples".into()))
        .canonicalize()
        .expect("server/examples (run from the repository's root)");
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(run(load, &examples));
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
    /// Peak RSS over the whole run, setting up included.
    peak_mb: f64,
    /// Peak RSS from the start of the edits (see `Servers::reset_peak`).
    load_peak_mb: f64,
}

impl Figures {
    fn throughput(&self) -> f64 {
        self.changes as f64 / self.seconds
    }
}

const SQLITE: &str = "Direct Line (SQLite)";
const SYNC_SERVER: &str = "automerge-repo-sync-server 0.2.8";
const REPO_2: &str = "automerge-repo 2.5.6";
const SAMOD: &str = "samod 0.16";
const PG_ONE: &str = "Direct Line (PostgreSQL, 1 on 1 core)";
const PG_TWO: &str = "Direct Line (PostgreSQL, 2 on a core each)";

/// Whether `SERVERS` (all when unset) names `key`.
fn chosen(key: &str) -> bool {
    std::env::var("SERVERS").map_or(true, |list| list.split(',').any(|k| k.trim() == key))
}

/// samod stops answering uploads with more clients than this (BENCH.md,
/// step 11): unless named in `SERVERS`, it is left out of a larger run,
/// which would otherwise wait out the setup limit and stop there.
const SAMOD_MOST_CLIENTS: usize = 40;

fn samod_chosen(load: Load) -> bool {
    let named = std::env::var("SERVERS").is_ok_and(|list| list.split(',').any(|k| k.trim() == "samod"));
    let unnamed_by_default = !named && chosen("samod");
    if unnamed_by_default && load.clients > SAMOD_MOST_CLIENTS {
        println!(
            "samod left out: it stalls with more than {SAMOD_MOST_CLIENTS} clients; \
             SERVERS=sqlite,samod scripts/bench-reference.sh 40 50 200 compares it"
        );
        return false;
    }
    chosen("samod")
}

async fn run(load: Load, examples: &Path) {
    println!(
        "{} clients × {} edits on {} documents, {} watching devices",
        load.clients, load.edits, load.docs, load.clients
    );
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("dist")).unwrap();
    let data = root.join("data");
    let accounts = {
        let store = server::store::Store::open(&data).await.unwrap();
        seed_accounts(&store, load.clients).await
    };
    let measure = |name, servers: Servers| clients::measure(name, servers, &accounts, load);
    let mut results = Vec::new();

    if chosen("sqlite") {
        let ours = start_ours(Ours { data: &data, root, url: None, cores: &[None] }, &accounts).await;
        results.push(measure(SQLITE, ours).await);
    }
    let preload = examples.join("reference/loopback.cjs");
    let peers = [
        (
            "sync-server",
            SYNC_SERVER,
            node(examples, "reference/node_modules/@automerge/automerge-repo-sync-server/src/index.js", &preload),
        ),
        ("repo-2", REPO_2, node(examples, "automerge-repo-2/server.mjs", &preload)),
        ("samod", SAMOD, std::process::Command::new(beside_this("samod_server"))),
    ];
    for (key, name, command) in peers {
        let wanted = if key == "samod" { samod_chosen(load) } else { chosen(key) };
        if wanted {
            let peer = start_peer(command, &root.join(key), accounts.len()).await;
            results.push(measure(name, peer).await);
        }
    }
    if let Ok(url) = std::env::var("DATABASE_URL")
        && chosen("postgres")
    {
        for (name, cores) in [(PG_ONE, &[Some(0)][..]), (PG_TWO, &[Some(0), Some(1)][..])] {
            let url = server::store::db::fresh_schema(&url).await.unwrap();
            let pg_data = root.join(format!("pg-{}", cores.len()));
            let store = server::store::Store::connect(Some(&url), &pg_data).await.unwrap();
            seed_accounts(&store, load.clients).await;
            drop(store);
            let ours = start_ours(Ours { data: &pg_data, root, url: Some(&url), cores }, &accounts).await;
            results.push(measure(name, ours).await);
        }
    }
    report(&results);
}

/// A program built beside this one (`cargo build --examples`).
fn beside_this(name: &str) -> PathBuf {
    let path = std::env::current_exe().unwrap().with_file_name(name);
    assert!(path.exists(), "{} missing: run scripts/bench-reference.sh", path.display());
    path
}

fn report(results: &[Figures]) {
    println!();
    println!(
        "{:<44} {:>8} {:>10} {:>9} {:>9} {:>8} {:>10} {:>12}",
        "server", "changes", "changes/s", "p50 ms", "p99 ms", "arrived", "peak RSS", "load peak"
    );
    for f in results {
        println!(
            "{:<44} {:>8} {:>10.0} {:>9.1} {:>9.1} {:>8} {:>7.1} MB {:>9.1} MB",
            f.name,
            f.changes,
            f.throughput(),
            f.p50_ms,
            f.p99_ms,
            f.arrived,
            f.peak_mb,
            f.load_peak_mb
        );
    }
    let find = |name: &str| results.iter().find(|f| f.name == name);
    let targets = [
        (SYNC_SERVER, "≥ 3× throughput, ≤ 0.33× memory"),
        (REPO_2, "≥ 5× throughput, ≤ 0.25× memory"),
        (SAMOD, "≥ 2× throughput, ≤ 0.5× memory"),
    ];
    if let Some(ours) = find(SQLITE) {
        for (peer, target) in targets {
            let Some(peer) = find(peer) else { continue };
            println!(
                "{} vs {}: throughput {:.1}×, p50 {:.2}×, p99 {:.2}×, peak memory {:.2}× (under the load alone {:.2}×) (target {target})",
                ours.name,
                peer.name,
                ours.throughput() / peer.throughput(),
                ours.p50_ms / peer.p50_ms,
                ours.p99_ms / peer.p99_ms,
                ours.peak_mb / peer.peak_mb,
                ours.load_peak_mb / peer.load_peak_mb
            );
        }
    }
    if let (Some(one), Some(two)) = (find(PG_ONE), find(PG_TWO)) {
        println!(
            "PostgreSQL scale-out, 2 instances vs 1: throughput {:.2}×, p99 {:.2}× (target ≥ 1.6× throughput)",
            two.throughput() / one.throughput(),
            two.p99_ms / one.p99_ms
        );
    }
}
