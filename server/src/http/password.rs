//! `PUT /api/password`: anyone signed in changes their own password. The
//! current one is asked again (a device left signed in is not enough),
//! counted like a sign-in against guessing, and every other session of
//! the account ends: whoever knew the old password is signed out.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::label::Label;
use serde::Deserialize;

use domain::account;

use crate::http::json::{Body, error};
use crate::security::auth::{ClientAddress, SignedIn, session_digest};
use crate::store::AuditEntry;
use crate::{AppState, ServerError, audit};

#[derive(Deserialize)]
pub struct PasswordChange {
    current: String,
    new: String,
}

pub async fn change(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    Body(change): Body<PasswordChange>,
) -> Result<Response, ServerError> {
    let now = state.clock.now_ms();
    let record = |what: &str| AuditEntry::new(now, &account.user.id, "password-change", None, what.to_string());
    if let Err(e) = account::validate_password(&change.new) {
        return Ok(error(StatusCode::BAD_REQUEST, e.label()));
    }
    if state.throttle.check(&account.login, address, now)?.is_some() {
        audit(&state, record("refused, throttled")).await?;
        let message = Label::new("密码错误次数过多,请稍后再试", "too many wrong passwords: try again later");
        return Ok(error(StatusCode::TOO_MANY_REQUESTS, message));
    }
    let Some((_, hash)) = state.store.user_by_login(&account.login).await? else {
        return Ok(error(StatusCode::UNAUTHORIZED, Label::new("账号不存在", "no such account")));
    };
    if !state.passwords.verify(change.current, hash).await? {
        state.throttle.failed(&account.login, address, now)?;
        audit(&state, record("failed: wrong current password")).await?;
        return Ok(error(StatusCode::FORBIDDEN, Label::new("当前密码不对", "the current password is wrong")));
    }
    let hash = state.passwords.hash(change.new).await?;
    let ended = state.store.set_password(&account.user.id, &hash, session_digest(&headers).as_deref()).await?;
    for session in &ended {
        state.hub.end_session(session);
    }
    audit(&state, record(&format!("ok, {} other session(s) ended", ended.len()))).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
