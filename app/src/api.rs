//! Sign-in against the server. It needs the network once; the identity is
//! then kept in IndexedDB so the app opens offline as that user.

use gloo::net::http::Request;
use leptos::prelude::*;
use serde::Deserialize;

use domain::account::Profile;
pub use domain::contract::Letter;
use domain::contract::{ErrorBody as ServerError, PublicLink};
use domain::label::Text;

use crate::error::AppError;
use crate::storage;

mod accounts;
mod reach;
pub use accounts::*;
pub use reach::*;

/// Who is signed in: the server's account, as the contract defines it.
pub type Identity = domain::contract::Account;

/// The app-wide signed-in identity (`None`: signed out or not loaded yet).
pub type IdentitySignal = RwSignal<Option<Identity>>;

pub fn use_identity() -> IdentitySignal {
    use_context::<IdentitySignal>().unwrap_or_else(|| RwSignal::new(None))
}

pub async fn sign_in(login: &str, password: &str) -> Result<Identity, AppError> {
    start_session("/api/session", &serde_json::json!({ "login": login, "password": password })).await
}

/// Registers an enterprise; signed in as it once the server accepts.
pub async fn register(login: &str, password: &str, profile: &Profile) -> Result<Identity, AppError> {
    let body = serde_json::json!({ "login": login, "password": password, "profile": profile });
    start_session("/api/register", &body).await
}

/// Posts to an endpoint that answers with the signed-in identity, and keeps
/// it on the device.
async fn start_session(path: &str, body: &serde_json::Value) -> Result<Identity, AppError> {
    let response =
        Request::post(path).json(body).map_err(|_| AppError::Offline)?.send().await.map_err(|_| AppError::Offline)?;
    if !response.ok() {
        return Err(refusal(response).await);
    }
    let identity: Identity = response.json().await.map_err(|_| AppError::Offline)?;
    storage::set_identity(&storage::open().await?, Some(&identity)).await?;
    Ok(identity)
}

/// Changes the signed-in user's password (`PUT /api/password`); the
/// server ends their other sessions.
pub async fn change_password(current: &str, new: &str) -> Result<(), AppError> {
    let body = serde_json::json!({ "current": current, "new": new });
    let response = Request::put("/api/password")
        .json(&body)
        .map_err(|_| AppError::Offline)?
        .send()
        .await
        .map_err(|_| AppError::Offline)?;
    if response.ok() { Ok(()) } else { Err(refusal(response).await) }
}

/// Forgets the identity on this device and, when online, ends the server
/// session too. Offline, the cookie is removed on the next sign-in.
pub async fn sign_out() -> Result<(), AppError> {
    storage::set_identity(&storage::open().await?, None).await?;
    // Best effort: with no network the server session simply expires.
    let _ = Request::delete("/api/session").send().await;
    Ok(())
}

/// Whether the server still knows this device's session: `false` only when
/// it says so (401); no answer at all is "offline", not "signed out".
pub async fn known_to_server() -> bool {
    match Request::get("/api/session").send().await {
        Ok(response) => response.status() != 401,
        Err(_) => true,
    }
}

/// GETs `path` and reads its JSON answer; the server's own message when it
/// refuses.
async fn get_json<T: for<'de> Deserialize<'de>>(path: &str) -> Result<T, AppError> {
    let response = Request::get(path).send().await.map_err(|_| AppError::Offline)?;
    if !response.ok() {
        return Err(refusal(response).await);
    }
    response.json::<T>().await.map_err(|_| AppError::Offline)
}

/// The names behind the user ids the signed-in user meets in cases.
pub async fn people() -> Result<std::collections::BTreeMap<String, String>, AppError> {
    get_json("/api/people").await
}

/// The serving officials (for officials only).
pub async fn officials() -> Result<Vec<domain::roster::Official>, AppError> {
    get_json("/api/officials").await
}

/// How far this device's clock is behind (negative) or ahead of the
/// server's, in ms, and the tolerance; the request's round trip is split
/// evenly.
pub async fn clock_offset() -> Result<(i64, i64), AppError> {
    let sent = crate::clock::now_ms();
    let server: domain::contract::ServerClock = get_json("/api/clock").await?;
    let received = crate::clock::now_ms();
    Ok((sent + (received - sent) / 2 - server.now_ms, server.tolerance_ms))
}

/// The server's policy if it is not version `known` (`None` when it is).
/// It is checked whole as it is read: one that does not hold together is
/// refused, and the device keeps computing by the one it has.
pub async fn policy(known: u64) -> Result<Option<domain::policy::Policy>, AppError> {
    let response = Request::get(&format!("/api/policy?version={known}")).send().await.map_err(|_| AppError::Offline)?;
    match response.status() {
        204 => Ok(None),
        _ if response.ok() => Ok(Some(response.json().await.map_err(|e| {
            AppError::Refused(Text::owned(
                format!("服务器发来的政策数据无效:{e}"),
                format!("the server's policy is invalid: {e}"),
            ))
        })?)),
        _ => Err(refusal(response).await),
    }
}

/// The path of a case's public progress page and its query code (made on
/// first request).
pub async fn public_link(case_id: &str) -> Result<PublicLink, AppError> {
    get_json::<PublicLink>(&format!("/api/cases/{case_id}/public-link")).await
}

/// The case's monthly progress notices, newest first.
pub async fn letters(case_id: &str) -> Result<Vec<Letter>, AppError> {
    get_json(&format!("/api/cases/{case_id}/letters")).await
}

/// Downloads an attachment the signed-in user may read.
pub async fn download(sha256: &str) -> Result<Vec<u8>, AppError> {
    let response = Request::get(&format!("/api/blobs/{sha256}")).send().await.map_err(|_| AppError::Offline)?;
    if !response.ok() {
        return Err(refusal(response).await);
    }
    response.binary().await.map_err(|_| AppError::Offline)
}

/// Uploads an attachment (`PUT /api/blobs/{sha256}`).
pub async fn upload(sha256: &str, mime: &str, bytes: &[u8]) -> Result<(), AppError> {
    let body = js_sys::Uint8Array::from(bytes);
    let response = Request::put(&format!("/api/blobs/{sha256}"))
        .header("Content-Type", mime)
        .body(body)
        .map_err(|_| AppError::Offline)?
        .send()
        .await
        .map_err(|_| AppError::Offline)?;
    if response.ok() { Ok(()) } else { Err(refusal(response).await) }
}

/// The server's refusal in both languages, or its HTTP status when the
/// answer is not ours (a proxy's error page).
async fn refusal(response: gloo::net::http::Response) -> AppError {
    match response.json::<ServerError>().await {
        Ok(body) => AppError::Refused(Text::owned(body.zh, body.en)),
        Err(_) => {
            let status = response.status();
            AppError::Refused(Text::owned(format!("服务器错误 HTTP {status}"), format!("server error HTTP {status}")))
        }
    }
}
