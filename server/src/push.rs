//! Web Push (RFC 8030) to the installed app: each notification is queued
//! in the outbox for an account, then sent to every device the account
//! subscribed, encrypted for that device (RFC 8291) and signed with this
//! installation's VAPID key (RFC 8292), made on first start and kept in
//! the database. A device whose push service says it is gone (404, 410)
//! is dropped; other failures are tried again, like mail.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as BASE64URL;
use domain::label::Lang;
use serde::{Deserialize, Serialize};
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};
use web_push_native::{Auth, WebPushBuilder, p256};

use crate::ServerError;
use crate::mail::{LEASE_MS, ROUND, record};
use crate::store::Store;
use crate::store::outbox::{Channel, Claimed};
use crate::store::push::Subscription;

/// The name the VAPID key pair is kept under.
const KEY_NAME: &str = "vapid-es256";

/// How long a push service keeps a notification for a device that is off.
const TTL: Duration = Duration::from_secs(24 * 3600);

/// What the service worker shows (`scripts/service-worker.sh`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub title: String,
    pub body: String,
    /// The page a click opens (a path of this app).
    pub url: String,
    /// Notifications with the same tag replace each other (one per case).
    pub tag: String,
    pub lang: Lang,
}

pub struct Pusher {
    key: ES256KeyPair,
    public_key: String,
    /// Who to contact about our pushes (the VAPID `sub` claim).
    contact: String,
    client: reqwest::Client,
    /// Tests push to an endpoint on this machine over plain HTTP.
    http_loopback: bool,
}

fn crypto(e: impl std::fmt::Display) -> ServerError {
    ServerError::Crypto(e.to_string())
}

/// How one push went.
enum Delivery {
    Done,
    /// The subscription no longer exists.
    Gone,
}

impl Pusher {
    /// The pusher of this installation, its key made on first use.
    pub async fn load(store: &Store, contact: String) -> Result<Pusher, ServerError> {
        let secret = store.server_key(KEY_NAME, || Ok(BASE64URL.encode(ES256KeyPair::generate().to_bytes()))).await?;
        let key = ES256KeyPair::from_bytes(&BASE64URL.decode(secret).map_err(crypto)?).map_err(crypto)?;
        let public_key = BASE64URL.encode(key.public_key().public_key().to_bytes_uncompressed());
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(crypto)?;
        Ok(Pusher { key, public_key, contact, client, http_loopback: false })
    }

    /// The VAPID public key devices subscribe with (base64url).
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// Push services may contact us at `url` (the public address).
    pub fn contact_at(&mut self, url: &str) {
        self.contact = url.to_string();
    }

    /// Lets tests push to an endpoint on this machine over plain HTTP.
    pub fn allow_http_loopback(&mut self) {
        self.http_loopback = true;
    }

    /// Whether the server may push to `endpoint`: a push service over
    /// HTTPS (never plain HTTP to another machine, never this one's
    /// services, which a forged subscription could otherwise reach).
    pub fn endpoint_allowed(&self, endpoint: &str) -> bool {
        let Ok(url) = reqwest::Url::parse(endpoint) else { return false };
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => {
                ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified()
            }
            Some(url::Host::Ipv6(ip)) => ip.is_loopback() || ip.is_unspecified(),
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            None => return false,
        };
        match url.scheme() {
            "https" => !loopback,
            "http" => self.http_loopback && loopback,
            _ => false,
        }
    }

    /// Sends the notifications due at `now_ms`; returns how many went.
    pub async fn send_due(&self, store: &Store, now_ms: i64) -> Result<usize, ServerError> {
        let mut sent = 0;
        for message in store.claim(Channel::Push, now_ms, now_ms + LEASE_MS, ROUND).await? {
            let outcome = self.deliver(store, &message).await?;
            sent += usize::from(outcome.is_ok());
            record(store, &message, outcome, now_ms).await?;
        }
        Ok(sent)
    }

    /// A notification to each of the account's devices: delivered if it
    /// reached one (or the account has none left: nothing to try again).
    async fn deliver(&self, store: &Store, message: &Claimed) -> Result<Result<(), String>, ServerError> {
        let mut failures = Vec::new();
        let mut delivered = false;
        for subscription in store.subscriptions(&message.recipient).await? {
            match self.push(&subscription, &message.payload).await {
                Ok(Delivery::Done) => delivered = true,
                Ok(Delivery::Gone) => {
                    store.unsubscribe(&subscription.endpoint, None).await?;
                }
                Err(why) => failures.push(why),
            }
        }
        Ok(if delivered || failures.is_empty() { Ok(()) } else { Err(failures.join("; ")) })
    }

    async fn push(&self, subscription: &Subscription, payload: &str) -> Result<Delivery, String> {
        if !self.endpoint_allowed(&subscription.endpoint) {
            return Err(format!("endpoint not allowed: {}", subscription.endpoint));
        }
        let (ua_public, auth) = device_keys(subscription).map_err(|e| e.to_string())?;
        let endpoint = subscription.endpoint.parse().map_err(|e: axum::http::uri::InvalidUri| e.to_string())?;
        let request = WebPushBuilder::new(endpoint, ua_public, auth)
            .with_valid_duration(TTL)
            .with_vapid(&self.key, &self.contact)
            .build(payload.as_bytes())
            .map_err(|e| e.to_string())?;
        let (parts, body) = request.into_parts();
        let response = self
            .client
            .post(subscription.endpoint.as_str())
            .headers(parts.headers)
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        match response.status().as_u16() {
            200..=299 => Ok(Delivery::Done),
            404 | 410 => Ok(Delivery::Gone),
            status => Err(format!("the push service answered {status}")),
        }
    }
}

/// A subscription's keys, checked: a P-256 point and a 16-byte secret.
pub fn device_keys(subscription: &Subscription) -> Result<(p256::PublicKey, Auth), ServerError> {
    let point = BASE64URL.decode(&subscription.p256dh).map_err(crypto)?;
    let public = p256::PublicKey::from_sec1_bytes(&point).map_err(crypto)?;
    let auth = BASE64URL.decode(&subscription.auth).map_err(crypto)?;
    if auth.len() != 16 {
        return Err(crypto("the auth secret must be 16 bytes"));
    }
    Ok((public, Auth::clone_from_slice(&auth)))
}
