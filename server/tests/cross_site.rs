#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Cross-site requests: a browser page of another origin can neither sign
//! in, change anything nor open the sync socket; reading public pages is
//! fine.

mod common;

use common::{request, start};
use server::demo::DEMO_PASSWORD;

#[tokio::test]
async fn another_origin_may_read_public_pages_but_change_nothing() {
    let server = start(false).await;
    let body = format!(r#"{{"login":"qiye01","password":"{DEMO_PASSWORD}"}}"#);
    let json = ("Content-Type", "application/json");
    let evil = ("Origin", "http://evil.example");
    let refused = request(server.addr, "POST", "/api/session", &[json, evil], &body).await;
    assert_eq!(refused.status, 403);
    assert!(refused.json()["error"].as_str().unwrap().contains("跨站请求被拒绝"));
    assert!(refused.header("set-cookie").is_none());

    let own = format!("http://{}", server.addr);
    let ok = request(server.addr, "POST", "/api/session", &[json, ("Origin", &own)], &body).await;
    assert_eq!(ok.status, 200, "the app's own origin signs in");
    let cookie = ok.header("set-cookie").unwrap().split(';').next().unwrap().to_string();

    let upgrade = [
        ("Cookie", cookie.as_str()),
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Version", "13"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
        evil,
    ];
    assert_eq!(request(server.addr, "GET", "/api/sync", &upgrade, "").await.status, 403, "no cross-site socket");
    let out = request(server.addr, "DELETE", "/api/session", &[("Cookie", &cookie), evil], "").await;
    assert_eq!(out.status, 403);
    assert_eq!(request(server.addr, "GET", "/ratings", &[evil], "").await.status, 200, "reading is fine");
}
