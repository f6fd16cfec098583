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
