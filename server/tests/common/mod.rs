#![allow(dead_code, clippy::unwrap_used)]
//! A real server on a loopback port, and a tiny HTTP/1.1 client for it.

pub mod client;
pub mod load;

use std::net::SocketAddr;
use std::sync::Arc;

use server::store::Store;
use server::{AppState, Clock, demo, router};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub fn anchor() -> domain::time::Day {
    domain::time::Day::parse("2026-11-20").unwrap()
}

/// The user id and enterprise id of demo account `qiye0<n>` (n from 1).
pub fn qiye(n: usize) -> (String, String) {
    let id = demo::registered_enterprises()[n - 1].enterprise.id.clone();
    (format!("user-{id}"), id)
}

/// The PostgreSQL database the tests run on, when the test command asks
/// for it (`DIRECTLINE_TEST_DATABASE_URL`, set by `scripts/test.sh` for
/// its second pass); SQLite otherwise.
pub fn postgres() -> Option<String> {
    std::env::var("DIRECTLINE_TEST_DATABASE_URL").ok().filter(|url| !url.is_empty())
}

/// The database of data directory `dir`: on PostgreSQL a schema of its own,
/// made on first use and remembered in the directory.
pub async fn database_url(dir: &std::path::Path) -> Option<String> {
    let base = postgres()?;
    let file = dir.join("database-url");
    if let Ok(url) = std::fs::read_to_string(&file) {
        return Some(url);
    }
    let url = server::store::db::fresh_schema(&base).await.unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(&file, &url).unwrap();
    Some(url)
}

/// The store of data directory `dir` (SQLite, or PostgreSQL, as above).
pub async fn open_store(dir: &std::path::Path) -> Store {
    Store::connect(database_url(dir).await.as_deref(), dir).await.unwrap()
}

/// Points a server process at the store of `dir`.
pub async fn use_store(command: &mut std::process::Command, dir: &std::path::Path) {
    command.arg("--data").arg(dir);
    match database_url(dir).await {
        Some(url) => command.env("DATABASE_URL", url),
        None => command.env_remove("DATABASE_URL"),
    };
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub clock: Clock,
    pub store: Arc<Store>,
    pub policy: Arc<server::policy::Policies>,
    pub officials: Arc<server::roster::Officials>,
    pub hub: Arc<server::sync::Hub>,
    /// Where the test's readers reach the server (`http://` + `addr`).
    pub public_url: String,
    _dir: Option<tempfile::TempDir>,
}

/// Starts the server with the demo accounts (and cases, if asked), a
/// manual clock and a stub `dist/`.
pub async fn start(with_cases: bool) -> TestServer {
    start_with(with_cases, server::sync::SyncLimits::default()).await
}

/// As [`start`], with other limits on sync sockets.
pub async fn start_with(with_cases: bool, limits: server::sync::SyncLimits) -> TestServer {
    start_seeded(with_cases, limits, None).await
}

/// As [`start`], sending mail as `mail` says.
pub async fn start_with_mail(with_cases: bool, mail: &server::mail::MailConfig) -> TestServer {
    start_seeded(with_cases, server::sync::SyncLimits::default(), Some(mail)).await
}

async fn start_seeded(
    with_cases: bool,
    limits: server::sync::SyncLimits,
    mail: Option<&server::mail::MailConfig>,
) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_store(&dir.path().join("data")).await);
    if with_cases {
        demo::seed(&store, anchor()).await.unwrap();
    } else {
        demo::seed_accounts(&store).await.unwrap();
    }
    let mut server = serve(store, dir.path(), limits, mail).await;
    server._dir = Some(dir);
    server
}

/// A server on the store of data directory `data` as it is (no demo
/// data), with its stub `dist/` in `dir`.
pub async fn serve_store(data: &std::path::Path, dir: &std::path::Path) -> TestServer {
    let store = Arc::new(open_store(data).await);
    serve(store, dir, server::sync::SyncLimits::default(), None).await
}

/// One more server instance on the database of data directory `data`
/// (already seeded): several of them share one PostgreSQL database.
pub async fn start_instance(data: &std::path::Path) -> TestServer {
    let store = Arc::new(open_store(data).await);
    serve(store, data, server::sync::SyncLimits::default(), None).await
}

/// Serves `store` on a loopback port with a manual clock and a stub
/// `dist/` in `dir`.
async fn serve(
    store: Arc<Store>,
    dir: &std::path::Path,
    limits: server::sync::SyncLimits,
    mail: Option<&server::mail::MailConfig>,
) -> TestServer {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html lang=\"zh-CN\">直通车</html>").unwrap();
    std::fs::write(dist.join("app.js"), "console.log(1)").unwrap();
    let clock = Clock::manual(anchor().start_instant() + 10 * 3_600_000);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut state = AppState::with_limits(store.clone(), dist, clock.clone(), false, limits)
        .await
        .unwrap()
        .reached_at(&format!("http://{addr}"))
        .unwrap()
        .allowing_local_push();
    if let Some(mail) = mail {
        state = state.with_mail(mail).unwrap();
    }
    state.start_background();
    let public_url = state.public_url.clone();
    let (hub, policy, officials) = (state.hub.clone(), state.policy.clone(), state.officials.clone());
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(axum::serve(listener, app).into_future());
    TestServer { addr, clock, store, policy, officials, hub, public_url, _dir: None }
}

pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

pub async fn request(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Response {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(req.as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    Response { status: head[9..12].parse().unwrap(), head: head.to_string(), body: body.to_string() }
}

pub async fn get(addr: SocketAddr, path: &str) -> Response {
    request(addr, "GET", path, &[], "").await
}

/// A valid new case of `enterprise` in `district`, as a device files it.
pub fn new_case(id: &str, enterprise: &str, district: &str) -> domain::case::CaseDoc {
    use domain::case::{Appeal, CaseDoc, Contact, Enterprise, SCHEMA_VERSION};
    CaseDoc {
        schema: SCHEMA_VERSION,
        id: id.into(),
        number: None,
        created_ms: anchor().start_instant(),
        district: district.into(),
        enterprise: Enterprise {
            id: enterprise.into(),
            name: "惠州市润发投资有限公司".into(),
            uscc: "91350100M000100Y43".into(),
            ownership: "private".into(),
            size: "medium".into(),
            industry: "房地产".into(),
            district: district.into(),
        },
        contact: Contact { name: "符先生".into(), phone: "13800000000".into() },
        appeal: Appeal {
            title: "夹心地问题".into(),
            description: "村民拆迁安置和夹心地问题未解决".into(),
            category: "land".into(),
            wants_session: false,
            attachments: vec![],
        },
        events: Default::default(),
        time_flags: Default::default(),
    }
}

/// Runs `server` (a `directline` command line without `--addr`, `--data`
/// and `--dist`) in a process of its own on a free loopback port over the
/// directory `dir`; returns it once it has printed its address.
pub async fn spawn_process(
    mut server: std::process::Command,
    dir: &std::path::Path,
) -> (std::process::Child, SocketAddr) {
    use std::io::{BufRead, BufReader};
    use_store(&mut server, &dir.join("data")).await;
    let mut child = server
        .args(["--addr", "127.0.0.1:0"])
        .arg("--dist")
        .arg(dir.join("dist"))
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("server printed its address").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.trim_end_matches('/').parse().unwrap();
        }
    };
    // Keep draining its output so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, addr)
}

/// Case `n` (its id's bytes), filed by qiye01 in Boluo and routed online to
/// natres at the server's time: its id, and the enterprise's device and the
/// department's, both connected and holding the routing.
pub async fn routed_online(server: &TestServer, n: u8) -> (String, client::Device, client::Device) {
    use client::{Device, sign_in};
    use domain::event::{Channel, EventKind};
    const QUIET: std::time::Duration = std::time::Duration::from_secs(10);
    let now = server.clock.now_ms();
    let id = domain::sync::DocumentId::from_bytes([n; 16]).to_string();
    let mut ent = Device::new(&qiye(1).0, "factory-phone", 1);
    ent.create(&new_case(&id, &qiye(1).1, "boluo")).await;
    ent.record(&id, now, EventKind::Submit).await;
    ent.connect(server.addr, &sign_in(server.addr, "qiye01").await).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await);
    let mut coord = Device::new("coord-boluo", "coord-laptop", 2);
    coord.connect(server.addr, &sign_in(server.addr, "xietiao-boluo").await).await;
    assert!(coord.pump_until(QUIET, |d| d.case(&id).is_some()).await);
    let route = EventKind::Route { lead_department: "natres".into(), assisting: vec![], channel: Channel::Online };
    coord.record(&id, now, route).await;
    assert!(coord.pump_until(QUIET, |d| d.in_sync(&id)).await);
    let mut officer = Device::new("officer-natres", "natres-pc", 3);
    officer.connect(server.addr, &sign_in(server.addr, "bumen-natres").await).await;
    assert!(officer.pump_until(QUIET, |d| d.case(&id).is_some_and(|c| c.events.len() == 2)).await);
    assert!(ent.pump_until(QUIET, |d| d.case(&id).is_some_and(|c| c.events.len() == 2)).await);
    (id, ent, officer)
}
