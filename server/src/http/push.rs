//! Push subscriptions: `GET /api/push/key` (the VAPID public key devices
//! subscribe with), `POST /api/push/subscriptions` (a device of the
//! signed-in account allows notifications) and `DELETE` (it turns them
//! off). A subscription names where the server will send requests, so it
//! is checked: a push service over HTTPS, keys that are keys.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::label::Label;
use serde::Deserialize;
use serde_json::json;

use crate::http::json::{Body, error};
use crate::push::device_keys;
use crate::security::auth::SignedIn;
use crate::store::AuditEntry;
use crate::store::push::Subscription;
use crate::{AppState, ServerError, audit};

/// The longest endpoint kept (push services' are a few hundred bytes).
const ENDPOINT_MAX: usize = 1024;

/// A browser's `PushSubscription.toJSON()`.
#[derive(Deserialize)]
pub struct Subscribing {
    endpoint: String,
    keys: Keys,
}

#[derive(Deserialize)]
pub struct Keys {
    p256dh: String,
    auth: String,
}

#[derive(Deserialize)]
pub struct Unsubscribing {
    endpoint: String,
}

pub async fn key(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json(json!({ "key": state.pusher.public_key() }))
}

pub async fn subscribe(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Body(asked): Body<Subscribing>,
) -> Result<Response, ServerError> {
    let subscription = Subscription {
        endpoint: asked.endpoint.trim().to_string(),
        user_id: account.user.id.clone(),
        p256dh: asked.keys.p256dh,
        auth: asked.keys.auth,
    };
    if subscription.endpoint.len() > ENDPOINT_MAX || !state.pusher.endpoint_allowed(&subscription.endpoint) {
        let refused = Label::new("推送地址无效(须为推送服务的 HTTPS 地址)", "not a push service's HTTPS endpoint");
        return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, refused));
    }
    if device_keys(&subscription).is_err() {
        let refused = Label::new("推送订阅的密钥无效", "the subscription's keys are not valid");
        return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, refused));
    }
    let now = state.clock.now_ms();
    state.store.subscribe(&subscription, now).await?;
    audit(&state, AuditEntry::new(now, &account.user.id, "push-subscribe", None, "")).await?;
    Ok(StatusCode::CREATED.into_response())
}

pub async fn unsubscribe(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Body(asked): Body<Unsubscribing>,
) -> Result<Response, ServerError> {
    if state.store.unsubscribe(asked.endpoint.trim(), Some(&account.user.id)).await? {
        let entry = AuditEntry::new(state.clock.now_ms(), &account.user.id, "push-unsubscribe", None, "");
        audit(&state, entry).await?;
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
