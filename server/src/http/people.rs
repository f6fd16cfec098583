//! `GET /api/people`: the names behind the user ids in cases, so timelines
//! and conflicts say who acted. Everyone signed in gets the officials (a
//! unit's staff act in its name on cases anyway); an enterprise's users
//! get their own colleagues too, and an official every account. The app
//! keeps the list on the device for offline use.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::State;
use domain::permission::Role;

use crate::security::auth::SignedIn;
use crate::{AppState, ServerError};

pub async fn people(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> Result<Json<BTreeMap<String, String>>, ServerError> {
    let official = me.user.role != Role::Enterprise;
    let names = (state.store.accounts().await?.into_iter())
        .filter(|a| official || a.user.role != Role::Enterprise || a.user.org == me.user.org)
        .map(|a| (a.user.id, a.display_name))
        .collect();
    Ok(Json(names))
}

/// `GET /api/officials`: the serving officials, for officials only — whom
/// a decision may name as lead leader and a lead unit as officer in
/// charge. The app keeps the list on the device for offline use.
pub async fn officials(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
) -> Result<axum::response::Response, ServerError> {
    use axum::response::IntoResponse;
    if me.user.role == Role::Enterprise {
        let refused = domain::label::Label::new("只有工作人员可以查看", "only officials may see this");
        return Ok(crate::http::json::error(axum::http::StatusCode::FORBIDDEN, refused));
    }
    let roster = state.officials.current();
    Ok(Json(roster.all().cloned().collect::<Vec<_>>()).into_response())
}
