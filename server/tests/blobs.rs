#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Attachments: checked uploads, and downloads only for those who may read
//! a case naming the file.

mod common;

use std::time::Duration;

use common::client::{Device, sign_in};
use common::{request, start};
use domain::case::AttachmentRef;
use sha2::{Digest, Sha256};

fn sha(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

async fn put(addr: std::net::SocketAddr, cookie: &str, hash: &str, mime: &str, body: &str) -> common::Response {
    let path = format!("/api/blobs/{hash}");
    request(addr, "PUT", &path, &[("Cookie", cookie), ("Content-Type", mime)], body).await
}

async fn get(addr: std::net::SocketAddr, cookie: &str, hash: &str) -> common::Response {
    request(addr, "GET", &format!("/api/blobs/{hash}"), &[("Cookie", cookie)], "").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_checked_and_downloads_follow_case_readers() {
    let server = start(false).await;
    let ent = sign_in(server.addr, "qiye01").await;
    let coord = sign_in(server.addr, "xietiao-boluo").await;
    let other = sign_in(server.addr, "qiye02").await;
    let file = "%PDF-1.4 营业执照扫描件";
    let hash = sha(file);

    assert_eq!(put(server.addr, "", &hash, "application/pdf", file).await.status, 401);
    assert_eq!(put(server.addr, &ent, &sha("other"), "application/pdf", file).await.status, 400);
    assert_eq!(put(server.addr, &ent, &hash, "application/x-msdownload", file).await.status, 415);
    let big = "a".repeat(domain::case::ATTACHMENT_MAX_BYTES as usize + 1);
    let too_big = put(server.addr, &ent, &sha(&big), "image/png", &big).await;
    assert_eq!(too_big.status, 413, "{}", too_big.body);
    assert_eq!(put(server.addr, &ent, &hash, "application/pdf", file).await.status, 201);

    assert_eq!(get(server.addr, &ent, &hash).await.body, file, "the uploader may download");
    assert_eq!(get(server.addr, &coord, &hash).await.status, 404, "no case names it yet");

    // A case naming the file syncs: the district's coordinator may read it,
    // another enterprise still may not.
    let id = domain::sync::DocumentId::from_bytes([4; 16]).to_string();
    let mut case = common::new_case(&id, &common::qiye(1).1, "boluo");
    case.appeal.attachments.push(AttachmentRef {
        sha256: hash.clone(),
        name: "营业执照.pdf".into(),
        mime: "application/pdf".into(),
        bytes: file.len() as u64,
    });
    let mut device = Device::new(&common::qiye(1).0, "ent-phone", 1);
    device.create(&case).await;
    device.record(&id, server.clock.now_ms(), domain::event::EventKind::Submit).await;
    device.connect(server.addr, &ent).await;
    assert!(device.pump_until(Duration::from_secs(10), |d| d.in_sync(&id)).await);

    let got = get(server.addr, &coord, &hash).await;
    assert_eq!((got.status, got.body.as_str()), (200, file));
    assert_eq!(got.header("content-type").as_deref(), Some("application/pdf"));
    assert_eq!(get(server.addr, &other, &hash).await.status, 404);
}
