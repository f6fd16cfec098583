//! The session calendar's data: `GET /api/sessions` (public: the themed
//! and cross-district sessions published, by id; monthly ones follow from
//! the calendar) and `POST /api/sessions` (a coordinator publishes a
//! special session of a district they serve, still to come).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::directory::CITY;
use domain::label::Label;
use domain::meeting::Session;
use domain::permission::Role;
use domain::time::Day;
use serde::Deserialize;
use serde_json::json;

use crate::http::json::{Body, error};
use crate::security::auth::SignedIn;
use crate::store::AuditEntry;
use crate::{AppState, ServerError, audit};

#[derive(Deserialize)]
pub struct Publishing {
    id: String,
}

pub async fn published(State(state): State<AppState>) -> Result<Response, ServerError> {
    Ok(Json(json!({ "published": state.store.published_sessions().await? })).into_response())
}

pub async fn publish(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Body(asked): Body<Publishing>,
) -> Result<Response, ServerError> {
    let user = &account.user;
    let district = user.district.as_deref().unwrap_or_default();
    if user.role != Role::Coordinator {
        let refused = Label::new("只有协调员可以发布现场活动", "only coordinators publish sessions");
        return Ok(error(StatusCode::FORBIDDEN, refused));
    }
    let session = match Session::parse(&asked.id) {
        Ok(session) if session.theme.is_some() => session,
        Ok(_) => {
            let monthly = Label::new("月度现场活动按日历自动公布,无需发布", "monthly sessions follow the calendar");
            return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, monthly));
        }
        Err(e) => return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, e.label())),
    };
    let directory = &state.policy.current().directory;
    if let Some(unknown) = session.districts.iter().find(|d| directory.open_district(d).is_err()) {
        return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, domain::DomainError::BadCode(unknown.clone()).label()));
    }
    if district != CITY && !session.covers(district) {
        let refused =
            Label::new("只能发布本区县参加的现场活动", "you may publish only sessions your district takes part in");
        return Ok(error(StatusCode::FORBIDDEN, refused));
    }
    let now = state.clock.now_ms();
    if session.day < Day::of_instant(now) {
        let past = Label::new("这场现场活动的日期已过", "that session's day has passed");
        return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, past));
    }
    if state.store.publish_session(&session.id, &user.id, now).await? {
        audit(&state, AuditEntry::new(now, &user.id, "publish-session", None, session.id.clone())).await?;
    }
    Ok((StatusCode::CREATED, Json(json!({ "id": session.id }))).into_response())
}
