//! The policy in force: the directory, the deadline rules and the
//! calendar. Every device reads it (`GET /api/policy`), without signing
//! in: it holds nothing personal, and a device registering an enterprise
//! needs the districts first. Admins change it one edit at a time
//! (`POST /api/admin/policy`); each edit is a new version, audited.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::policy::PolicyEdit;
use serde::Deserialize;

use crate::http::invitations::AdminSignedIn;
use crate::http::json::{Body, error};
use crate::{AppState, ServerError};

#[derive(Deserialize)]
pub struct Known {
    /// The version the device holds: answered with 204 when still current.
    version: Option<u64>,
}

/// `GET /api/policy[?version=N]`.
pub async fn current(State(state): State<AppState>, Query(known): Query<Known>) -> Response {
    let policy = state.policy.current();
    if known.version == Some(policy.version) {
        return StatusCode::NO_CONTENT.into_response();
    }
    Json(&*policy).into_response()
}

/// `POST /api/admin/policy`: one [`PolicyEdit`]; answers with the new
/// policy, or 422 and why the edit was refused (nothing changes then).
pub async fn edit(
    State(state): State<AppState>,
    AdminSignedIn(admin): AdminSignedIn,
    Body(edit): Body<PolicyEdit>,
) -> Result<Response, ServerError> {
    let now = state.clock.now_ms();
    Ok(match state.policy.edit(&state.store, &admin.user.id, now, &edit).await? {
        Ok(policy) => Json(&*policy).into_response(),
        Err(refused) => error(StatusCode::UNPROCESSABLE_ENTITY, refused.label()),
    })
}
