//! `GET`/`PUT /api/settings`: how the signed-in person wants to be reached
//! (e-mail address, notification kinds, quiet hours, digest, letters by
//! mail). Each person sees and changes only their own; every change is
//! checked whole (`domain::reach`) and audited.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::contract::SettingsView;
use domain::reach::Settings;

use crate::http::json::{Body, error};
use crate::security::auth::SignedIn;
use crate::store::AuditEntry;
use crate::{AppState, ServerError, audit};

pub async fn show(State(state): State<AppState>, SignedIn(account): SignedIn) -> Result<Response, ServerError> {
    let settings = state.store.settings(&account.user.id).await?;
    Ok(Json(SettingsView { settings, mail: state.mailer.is_some() }).into_response())
}

pub async fn change(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Body(asked): Body<Settings>,
) -> Result<Response, ServerError> {
    let settings = match asked.validate() {
        Ok(settings) => settings,
        Err(e) => return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, e.label())),
    };
    state.store.save_settings(&account.user.id, &settings).await?;
    let detail = if settings.email.is_some() { "with an e-mail address" } else { "no e-mail address" };
    audit(&state, AuditEntry::new(state.clock.now_ms(), &account.user.id, "settings", None, detail)).await?;
    Ok(Json(SettingsView { settings, mail: state.mailer.is_some() }).into_response())
}
