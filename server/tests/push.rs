#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Web Push to a local RFC 8030 endpoint started by the test: a case
//! routed to a department reaches its officer's device as a push request
//! that carries a valid VAPID signature (RFC 8292) and decrypts, with the
//! subscription's keys (RFC 8291), to the notification; a subscription
//! the push service says is gone is dropped; a muted kind is not sent.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as BASE64URL;
use common::client::sign_in;
use common::{request, routed_online, start};
use server::push::Notification;
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256PublicKey};
use web_push_native::jwt_simple::claims::NoCustomClaims;
use web_push_native::{Auth, p256};

/// What the push service received: (path, headers, body).
type Received = Arc<Mutex<Vec<(String, HeaderMap, Vec<u8>)>>>;

/// A push service on a loopback port: `/push/*` takes messages (201),
/// `/gone/*` says the subscription has expired (410).
async fn push_service() -> (std::net::SocketAddr, Received) {
    let received: Received = Arc::default();
    async fn take(State(r): State<Received>, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> StatusCode {
        r.lock().unwrap().push((format!("/push/{id}"), headers, body.to_vec()));
        StatusCode::CREATED
    }
    async fn gone(State(r): State<Received>, Path(id): Path<String>, headers: HeaderMap) -> StatusCode {
        r.lock().unwrap().push((format!("/gone/{id}"), headers, Vec::new()));
        StatusCode::GONE
    }
    let app = axum::Router::new()
        .route("/push/{id}", post(take))
        .route("/gone/{id}", post(gone))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, app).into_future());
    (addr, received)
}

/// A device: its push keys, as a browser makes them.
struct Device {
    secret: p256::SecretKey,
    auth: [u8; 16],
}

impl Device {
    fn new() -> Device {
        let mut auth = [0u8; 16];
        getrandom::fill(&mut auth).unwrap();
        Device { secret: p256::SecretKey::random(&mut p256::elliptic_curve::rand_core::OsRng), auth }
    }

    /// `PushSubscription.toJSON()` for `endpoint`.
    fn subscription(&self, endpoint: &str) -> String {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        let public = self.secret.public_key().to_encoded_point(false);
        serde_json::json!({
            "endpoint": endpoint,
            "keys": { "p256dh": BASE64URL.encode(public.as_bytes()), "auth": BASE64URL.encode(self.auth) },
        })
        .to_string()
    }
}

async fn until(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready() {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_routed_case_reaches_the_officers_device_signed_and_encrypted_for_it() {
    let (service, received) = push_service().await;
    let server = start(false).await;
    let key = common::get(server.addr, "/api/push/key").await.json()["key"].as_str().unwrap().to_string();

    // The officer's phone allows notifications; the coordinator's old
    // laptop's subscription has expired at its push service.
    let phone = Device::new();
    let officer = sign_in(server.addr, "bumen-natres").await;
    let subscribe = |cookie: String, body: String| async move {
        let headers = [("Cookie", cookie.as_str()), ("Content-Type", "application/json")];
        request(server.addr, "POST", "/api/push/subscriptions", &headers, &body).await
    };
    let endpoint = format!("http://{service}/push/officer-phone");
    assert_eq!(subscribe(officer.clone(), phone.subscription(&endpoint)).await.status, 201);
    let coordinator = sign_in(server.addr, "xietiao-boluo").await;
    let laptop = Device::new();
    let expired = format!("http://{service}/gone/coord-laptop");
    assert_eq!(subscribe(coordinator.clone(), laptop.subscription(&expired)).await.status, 201);
    // What no push service is: refused.
    for wrong in ["http://192.0.2.1/push", "https://127.0.0.1/admin", "file:///etc/passwd", "not a url"] {
        let refused = subscribe(officer.clone(), phone.subscription(wrong)).await;
        assert_eq!(refused.status, 422, "{wrong}");
    }
    let bad_keys = r#"{"endpoint":"https://push.example.com/x","keys":{"p256dh":"AAAA","auth":"AAAA"}}"#;
    assert_eq!(subscribe(officer.clone(), bad_keys.into()).await.status, 422);

    // qiye01 files, Boluo's coordinator routes it to natres.
    let (case_id, _ent, _officer_device) = routed_online(&server, 7).await;
    let case = domain::doc::read(&server.store.load_document(&case_id).await.unwrap().unwrap().0).unwrap();
    until("the routing reaches the officer's phone", || {
        received.lock().unwrap().iter().any(|(path, _, _)| path == "/push/officer-phone")
    })
    .await;
    let (_, headers, body) =
        received.lock().unwrap().iter().find(|(path, _, _)| path == "/push/officer-phone").cloned().unwrap();

    // RFC 8292: a JWT signed with the key devices subscribed with.
    let authorization = headers["authorization"].to_str().unwrap();
    let (token, k) = authorization.strip_prefix("vapid t=").unwrap().split_once(", k=").unwrap();
    assert_eq!(k, key, "the server's public key");
    let public = ES256PublicKey::from_bytes(&BASE64URL.decode(k).unwrap()).unwrap();
    let claims = public.verify_token::<NoCustomClaims>(token, None).expect("a valid ES256 signature");
    // The audience is the push service's origin; the crate leaves out its
    // port (RFC 8292 §2 includes it), which real push services (HTTPS on
    // 443) never have.
    let audiences = claims.audiences.unwrap().into_set();
    assert!(audiences.contains("http://127.0.0.1"), "{audiences:?}");
    assert_eq!(claims.subject.as_deref(), Some(server.public_url.as_str()));
    assert!(claims.expires_at.is_some());
    let forged = format!("{}x", &token[..token.len() - 1]);
    assert!(public.verify_token::<NoCustomClaims>(&forged, None).is_err(), "a changed token fails");
    // RFC 8291: encrypted for this device alone.
    assert_eq!(headers["content-encoding"], "aes128gcm");
    assert!(headers["ttl"].to_str().unwrap().parse::<u64>().unwrap() > 0);
    assert!(!String::from_utf8_lossy(&body).contains(&case.appeal.title), "nothing readable on the way");
    let plain = web_push_native::decrypt(body.clone(), &phone.secret, &Auth::clone_from_slice(&phone.auth))
        .expect("decrypts with the subscription's keys");
    let notification: Notification = serde_json::from_slice(&plain).unwrap();
    let number = case.number.clone().unwrap();
    assert_eq!(
        notification,
        Notification {
            title: "直通车 · 分办或指派给我".into(),
            body: format!("{number} {}:诉求已分办给贵单位", case.appeal.title),
            url: format!("/case/{case_id}"),
            tag: case_id.clone(),
            lang: domain::label::Lang::Zh,
        }
    );
    let other = Device::new();
    assert!(web_push_native::decrypt(body, &other.secret, &Auth::clone_from_slice(&other.auth)).is_err());

    // The coordinator's push service said gone: the subscription is dropped.
    let store = server.store.clone();
    let mut dropped = false;
    let deadline = Instant::now() + Duration::from_secs(30);
    while !dropped {
        assert!(Instant::now() < deadline, "the expired subscription is dropped");
        dropped = store.subscriptions("coord-boluo").await.unwrap().is_empty();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(received.lock().unwrap().iter().any(|(path, _, _)| path == "/gone/coord-laptop"), "it was tried");

    // The officer turns routing notifications off: the next routing tells
    // nobody; turned on again, the same routing would be told.
    let mute = [("Cookie", officer.as_str()), ("Content-Type", "application/json")];
    let muted = request(server.addr, "PUT", "/api/settings", &mute, r#"{"muted":["assigned"]}"#).await;
    assert_eq!(muted.status, 200, "{}", muted.body);
    let (second, _, _) = routed_online(&server, 8).await;
    let case = domain::doc::read(&server.store.load_document(&second).await.unwrap().unwrap().0).unwrap();
    let route: Vec<_> = case.events.values().filter(|e| e.kind.name() == "route").cloned().collect();
    assert_eq!(route.len(), 1);
    let (now, state) = (server.clock.now_ms(), case.state());
    let queue = server::notify::news::queue(&server.store, &case, &state, &route, now);
    assert_eq!(queue.await.unwrap(), 0, "muted");
    let unmuted = request(server.addr, "PUT", "/api/settings", &mute, r#"{"muted":[]}"#).await;
    assert_eq!(unmuted.status, 200);
    let queue = server::notify::news::queue(&server.store, &case, &state, &route, now);
    assert_eq!(queue.await.unwrap(), 1, "not muted, and not queued before");
}
