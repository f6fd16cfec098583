#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Abuse of the sync endpoint: a corpus of malformed messages, messages
//! over the size limit, too many sockets per user and per address, sending
//! too fast, and sessions that expire while a socket is open.

mod common;

use std::time::{Duration, Instant};

use common::client::{Device, sign_in};
use common::start_with;
use domain::event::EventKind;
use domain::sync::wire::Message;
use futures_util::{SinkExt, StreamExt};
use server::sync::SyncLimits;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const QUIET: Duration = Duration::from_secs(10);

/// Tries to open a sync socket; the HTTP status if the upgrade is refused.
async fn open(addr: std::net::SocketAddr, cookie: &str) -> Result<common::client::Socket, (u16, String)> {
    let mut request = format!("ws://{addr}/api/sync").into_client_request().unwrap();
    request.headers_mut().insert("Cookie", cookie.parse().unwrap());
    match tokio_tungstenite::connect_async(request).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            let body = String::from_utf8(response.body().clone().unwrap_or_default()).unwrap();
            Err((response.status().as_u16(), body))
        }
        Err(e) => panic!("unexpected failure {e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_and_an_address_hold_only_so_many_sockets() {
    let limits = SyncLimits { sockets_per_user: 2, sockets_per_address: 3, ..SyncLimits::default() };
    let server = start_with(false, limits).await;
    let first = sign_in(server.addr, "qiye01").await;
    let a = open(server.addr, &first).await.unwrap();
    let _b = open(server.addr, &first).await.unwrap();
    let (status, body) = open(server.addr, &first).await.expect_err("a third socket of one user is refused");
    assert_eq!(status, 429);
    assert!(body.contains("同一账号同时最多 2 个同步连接"), "{body}");

    // Another user from the same address: one more socket, then the
    // address is full.
    let second = sign_in(server.addr, "qiye02").await;
    let _c = open(server.addr, &second).await.unwrap();
    let (status, body) = open(server.addr, &second).await.expect_err("the address is full");
    assert_eq!(status, 429);
    assert!(body.contains("同一地址同时最多 3 个同步连接"), "{body}");

    // Closing one frees its place.
    drop(a);
    let mut reopened = None;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(20)).await;
        if let Ok(socket) = open(server.addr, &first).await {
            reopened = Some(socket);
            break;
        }
    }
    assert!(reopened.is_some(), "a closed socket no longer counts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_that_sends_too_fast_is_told_why_and_cut_off() {
    let limits = SyncLimits { message_burst: 50, messages_per_second: 10, ..SyncLimits::default() };
    let server = start_with(false, limits).await;
    let cookie = sign_in(server.addr, "qiye01").await;
    let mut socket = open(server.addr, &cookie).await.unwrap();
    // Two hundred messages at once; each is malformed, so processing each
    // is cheap and answered with an error: only the arrival rate decides.
    for _ in 0..200 {
        if socket.send(WsMessage::Binary(vec![0xa0].into())).await.is_err() {
            break;
        }
    }
    let mut cut_off_with = None;
    let mut closed = false;
    while let Ok(Some(message)) = tokio::time::timeout(QUIET, socket.next()).await {
        match message {
            Ok(WsMessage::Binary(bytes)) => {
                if let Ok(Message::Error { message }) = Message::decode(&bytes)
                    && message.contains("同步消息过多")
                {
                    cut_off_with = Some(message);
                }
            }
            Ok(WsMessage::Close(_)) | Err(_) => {
                closed = true;
                break;
            }
            Ok(_) => {}
        }
    }
    let message = cut_off_with.expect("the client is told why");
    assert!(message.contains("每秒最多 10 条"), "{message}");
    assert!(closed, "and the socket is closed");

    // A client within its allowance syncs as ever.
    let mut device = Device::new(&common::qiye(1).0, "calm-phone", 1);
    device.connect(server.addr, &cookie).await;
    let id = domain::sync::DocumentId::from_bytes([3; 16]).to_string();
    device.create(&common::new_case(&id, &common::qiye(1).1, "boluo")).await;
    assert!(device.pump_until(QUIET, |d| d.in_sync(&id)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_socket_closes_when_its_session_expires() {
    let server = start_with(false, SyncLimits::default()).await;
    let cookie = sign_in(server.addr, "qiye01").await;
    let mut early = Device::new(&common::qiye(1).0, "old-phone", 1);
    early.connect(server.addr, &cookie).await;
    let mut idle = Device::new(&common::qiye(1).0, "idle-tablet", 2);
    idle.connect(server.addr, &cookie).await;

    // Thirty-one days on, the session is over.
    server.clock.set_ms(server.clock.now_ms() + 31 * 24 * 3_600_000);
    let id = domain::sync::DocumentId::from_bytes([4; 16]).to_string();
    early.create(&common::new_case(&id, &common::qiye(1).1, "boluo")).await;
    match early.next_message(QUIET).await {
        Some(Message::Error { message }) => assert!(message.contains("登录已过期"), "{message}"),
        other => panic!("expected the expiry to be named, got {other:?}"),
    }
    assert!(early.next_message(QUIET).await.is_none(), "the socket is closed");
    assert!(server.store.load_document(&id).await.unwrap().is_none(), "nothing was accepted after expiry");

    // A socket that sends nothing is closed by the hub's sweep.
    server.hub.close_expired();
    match idle.next_message(QUIET).await {
        Some(Message::Error { message }) => assert!(message.contains("登录已过期"), "{message}"),
        other => panic!("expected the expiry to be named, got {other:?}"),
    }
    assert!(idle.next_message(QUIET).await.is_none());
}

/// A CBOR text string (shorter than 256 bytes).
fn text(s: &str) -> Vec<u8> {
    let mut out = vec![0x78, s.len() as u8];
    out.extend_from_slice(s.as_bytes());
    out
}

/// A CBOR byte string (shorter than 64 KB).
fn byte_string(b: &[u8]) -> Vec<u8> {
    let mut out = vec![0x59, (b.len() >> 8) as u8, b.len() as u8];
    out.extend_from_slice(b);
    out
}

/// A CBOR map of the given entries, as raw bytes.
fn map(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = vec![0xa0 + entries.len() as u8];
    for (key, value) in entries {
        out.extend(text(key));
        out.extend_from_slice(value);
    }
    out
}

/// Messages a broken or hostile client might send, each with what it is.
fn malformed_corpus(document_id: &str) -> Vec<(&'static str, Vec<u8>)> {
    let envelope = |doc: &str, data: Vec<u8>| {
        map(&[
            ("type", text("sync")),
            ("senderId", text("peer-x")),
            ("targetId", text("directline-server")),
            ("documentId", text(doc)),
            ("data", byte_string(&data)),
        ])
    };
    let bogus_change = domain::sync::plain_message(vec![], vec![], vec![b"\x85\x6f\x4a\x83 not a change".to_vec()]);
    let mut deep = map(&[("type", text("x")), ("junk", vec![])]);
    deep.extend(std::iter::repeat_n(0x81, 100_000));
    deep.push(0x00);
    vec![
        ("empty", vec![]),
        ("not CBOR", b"\xff\x00 garbage".to_vec()),
        ("a bare integer", vec![0x18, 42]),
        ("a map without a type", map(&[("senderId", text("peer-x"))])),
        ("a type that is a number", map(&[("type", vec![0x18, 42])])),
        ("sync without its fields", map(&[("type", text("sync"))])),
        ("a path as document id", envelope("../../etc/passwd", vec![])),
        ("data that is not a sync message", envelope(document_id, b"not a sync message".to_vec())),
        ("a sync message with a bogus change", envelope(document_id, bogus_change.encode())),
        ("a map claiming 2^64 entries", vec![0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        ("a string claiming 4 GB", vec![0xa1, 0x7a, 0xff, 0xff, 0xff, 0xff, 0x61]),
        ("an unterminated indefinite map", vec![0xbf, 0x64, b't', b'y', b'p', b'e']),
        ("invalid UTF-8 as type", map(&[("type", vec![0x62, 0xff, 0xfe])])),
        ("arrays nested 100,000 deep under an unknown key", deep),
        (
            "an unsupported protocol version",
            map(&[
                ("type", text("join")),
                ("senderId", text("peer-x")),
                ("supportedProtocolVersions", [vec![0x81], text("99")].concat()),
            ]),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_messages_are_answered_and_change_nothing() {
    // Each message is paired with its answer by order: only a server that
    // answers one message at a time keeps the order of answers across
    // documents (by default a socket's documents are answered side by
    // side, each through the same `Hub::handle`).
    let server = start_with(false, SyncLimits { documents_at_once: 1, ..SyncLimits::default() }).await;
    let cookie = sign_in(server.addr, "qiye01").await;
    let mut device = Device::new(&common::qiye(1).0, "fuzzed-phone", 1);
    device.connect(server.addr, &cookie).await;
    let id = domain::sync::DocumentId::from_bytes([5; 16]).to_string();
    for (what, bytes) in malformed_corpus(&id) {
        device.send_raw(bytes).await;
        // Each gets an answer (an error, "unavailable", or its changes
        // refused), or none: never a crash, and the socket answers what
        // comes next.
        let answers = device.until_probe_answered(QUIET).await;
        assert!(device.is_connected(), "the socket survives {what}");
        let answers = answers.unwrap_or_else(|| panic!("a probe after {what} is answered"));
        assert!(answers.len() <= 1, "{what}: {answers:?}");
        assert!(
            answers
                .iter()
                .all(|a| matches!(a, Message::Error { .. } | Message::DocUnavailable { .. } | Message::Refused { .. })),
            "{what}: {answers:?}"
        );
    }
    assert_eq!(server.store.case_count().await.unwrap(), 0, "nothing was stored");

    // The same socket still syncs a real case.
    device.create(&common::new_case(&id, &common::qiye(1).1, "boluo")).await;
    assert!(device.pump_until(QUIET, |d| d.in_sync(&id) && d.case(&id).unwrap().number.is_some()).await);

    // A message over 16 MB closes the socket; the server carries on.
    device.send_raw(vec![0u8; 16 * 1024 * 1024 + 1]).await;
    assert!(device.next_message(QUIET).await.is_none(), "no answer to an oversized message");
    assert!(!device.is_connected(), "an oversized message closes the socket");
    assert_eq!(common::get(server.addr, "/healthz").await.status, 200);
    let mut again = Device::new(&common::qiye(1).0, "fuzzed-phone-2", 2);
    again.connect(server.addr, &cookie).await;
    assert!(again.pump_until(QUIET, |d| d.case(&id).is_some()).await, "a new socket syncs as ever");
}

/// An Automerge document chunk whose one (deflated) column inflates to
/// `inflated` zero bytes: a few hundred KB on the wire.
fn document_bomb(inflated: u64) -> Vec<u8> {
    use std::io::Read;
    let mut deflater = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::copy(&mut std::io::repeat(0).take(inflated), &mut deflater).unwrap();
    let column = deflater.finish().unwrap();
    let uleb = |mut n: usize| {
        let mut out = Vec::new();
        while n >= 0x80 {
            out.push((n as u8 & 0x7f) | 0x80);
            n >>= 7;
        }
        out.push(n as u8);
        out
    };
    // No actors, no heads, no change columns; one deflated op column (spec bit 3).
    let data = [vec![0, 0, 0, 1, 0x18], uleb(column.len()), column].concat();
    [vec![0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 0], uleb(data.len()), data].concat()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_that_would_inflate_past_the_limit_is_refused_unread() {
    let server = start_with(false, SyncLimits::default()).await;
    let cookie = sign_in(server.addr, "qiye01").await;
    let mut device = Device::new(&common::qiye(1).0, "bomb-phone", 1);
    device.connect(server.addr, &cookie).await;
    let id = domain::sync::DocumentId::from_bytes([6; 16]).to_string();
    let bomb = document_bomb(256 * 1024 * 1024);
    assert!(bomb.len() < 512 * 1024, "{} bytes on the wire", bomb.len());
    let message = domain::sync::plain_message(vec![], vec![], vec![bomb]);
    let sync = Message::Sync {
        sender_id: device.peer_id.clone(),
        target_id: server::sync::SERVER_PEER.into(),
        document_id: id.clone(),
        data: message.encode(),
    };
    device.send_raw(sync.encode()).await;
    match device.next_message(QUIET).await {
        Some(Message::Refused { reason_zh, .. }) => assert!(reason_zh.contains("解压后不能超过 64 MB"), "{reason_zh}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(device.is_connected());
    assert_eq!(server.store.case_count().await.unwrap(), 0);
}

/// A client that never rolls back a refused change (a stock automerge-repo
/// client cannot) gets one refusal and then a quiet socket; its other
/// documents keep syncing over it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_keeps_a_refused_change_gets_one_refusal_and_a_quiet_socket() {
    let server = start_with(false, SyncLimits::default()).await;
    let now = server.clock.now_ms();
    let mut device = Device::new(&common::qiye(1).0, "stock-client", 1);
    device.rolls_back = false;
    device.connect(server.addr, &sign_in(server.addr, "qiye01").await).await;
    let id = domain::sync::DocumentId::from_bytes([31; 16]).to_string();
    device.create(&common::new_case(&id, &common::qiye(1).1, "boluo")).await;
    device.record(&id, now, EventKind::Submit).await;
    assert!(device.pump_until(QUIET, |d| d.in_sync(&id) && d.case(&id).unwrap().number.is_some()).await);

    // An enterprise may not resolve its own case.
    device.record(&id, now, EventKind::Resolve { summary: "自己解决".into(), evidence: vec![] }).await;
    assert!(device.pump_until(QUIET, |d| !d.refusals.is_empty()).await);
    let before = device.messages_received;
    let window = Instant::now() + Duration::from_secs(30);
    while let Some(left) = window.checked_duration_since(Instant::now()) {
        if !device.step(left).await {
            break;
        }
    }
    let sent = device.messages_received - before;
    assert!(sent <= 10, "the server sent {sent} messages in 30 s after the refusal");
    assert!(device.is_connected(), "the socket stays open");
    assert_eq!(device.refusals.len(), 1, "refused once");
    assert_eq!(server.store.refusal_count().await.unwrap(), 1, "one refusal recorded");

    // Another case of the same device still syncs.
    let other = domain::sync::DocumentId::from_bytes([32; 16]).to_string();
    device.create(&common::new_case(&other, &common::qiye(1).1, "boluo")).await;
    device.record(&other, now, EventKind::Submit).await;
    assert!(device.pump_until(QUIET, |d| d.in_sync(&other) && d.case(&other).unwrap().number.is_some()).await);
    assert!(device.is_connected() && device.refusals.len() == 1);

    // What it builds on the refused change is refused too, once, and the
    // socket stays quiet.
    device.record(&id, now, EventKind::AddInfo { text: "补充材料".into(), attachments: vec![] }).await;
    assert!(device.pump_until(QUIET, |d| d.refusals.len() == 2).await);
    assert!(device.refusals[1].reason_zh.contains("已被拒绝"), "{}", device.refusals[1].reason_zh);
    let before = device.messages_received;
    assert!(device.settle(QUIET).await);
    assert!(device.settle(QUIET).await);
    assert!(device.messages_received - before <= 10 && device.refusals.len() == 2);
    assert_eq!(server.store.refusal_count().await.unwrap(), 2);
}
