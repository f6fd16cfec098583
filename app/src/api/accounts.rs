//! The calls behind the admin's screens (accounts, the city's policy) and
//! one-time links.

use gloo::net::http::Request;
use serde::Serialize;
use serde::de::DeserializeOwned;

use domain::contract::{Acceptance, AccountState, Invite, LinkInfo, OneTimeLink};

use super::{Identity, get_json, refusal};
use crate::error::AppError;
use crate::storage;

/// POSTs `body` as JSON and reads the JSON answer (or the refusal).
async fn post_json<T: DeserializeOwned>(path: &str, body: &impl Serialize) -> Result<T, AppError> {
    let request = Request::post(path).json(body).map_err(|_| AppError::Offline)?;
    let response = request.send().await.map_err(|_| AppError::Offline)?;
    if !response.ok() {
        return Err(refusal(response).await);
    }
    response.json::<T>().await.map_err(|_| AppError::Offline)
}

pub async fn accounts() -> Result<Vec<AccountState>, AppError> {
    get_json("/api/admin/users").await
}

pub async fn invite(invite: &Invite) -> Result<OneTimeLink, AppError> {
    post_json("/api/admin/invitations", invite).await
}

/// An enterprise's registrant invites a colleague by name.
pub async fn invite_colleague(display_name: &str) -> Result<OneTimeLink, AppError> {
    post_json("/api/enterprise/invitations", &serde_json::json!({ "display_name": display_name })).await
}

pub async fn reset_link(user_id: &str) -> Result<OneTimeLink, AppError> {
    post_json(&format!("/api/admin/users/{user_id}/reset"), &serde_json::json!({})).await
}

pub async fn deactivate(user_id: &str) -> Result<(), AppError> {
    let path = format!("/api/admin/users/{user_id}/deactivate");
    let response = Request::post(&path).send().await.map_err(|_| AppError::Offline)?;
    if response.ok() { Ok(()) } else { Err(refusal(response).await) }
}

/// One change to the city's directory, rules or calendar; the server
/// answers with the new policy.
pub async fn edit_policy(edit: &domain::policy::PolicyEdit) -> Result<domain::policy::Policy, AppError> {
    post_json("/api/admin/policy", edit).await
}

pub async fn link_info(token: &str) -> Result<LinkInfo, AppError> {
    get_json(&format!("/api/invitations/{token}")).await
}

/// Answers a one-time link; signed in as the account once the server
/// accepts (kept on the device like any sign-in).
pub async fn accept_link(token: &str, acceptance: &Acceptance) -> Result<Identity, AppError> {
    let identity: Identity = post_json(&format!("/api/invitations/{token}"), acceptance).await?;
    storage::set_identity(&storage::open().await?, Some(&identity)).await?;
    Ok(identity)
}
