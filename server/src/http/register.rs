//! `POST /api/register`: an enterprise opens its own account (上车, no
//! threshold). The profile is checked by the same domain rules as every
//! appeal; one account per credit code; the new account is signed in.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::label::Label;
use serde::Deserialize;

use domain::account::{self, Profile};
use domain::permission::{Role, User};

use crate::http::json::{Body, error};
use crate::security::auth::start_session;
use crate::store::{Account, AuditEntry};
use crate::{AppState, ServerError, audit};

#[derive(Deserialize)]
pub struct Registration {
    login: String,
    password: String,
    profile: Profile,
}

pub async fn register(State(state): State<AppState>, Body(r): Body<Registration>) -> Result<Response, ServerError> {
    let mut problems: Vec<String> = Vec::new();
    let login = account::validate_login(&r.login).map_err(|e| problems.push(e.to_string())).ok();
    let _ = account::validate_password(&r.password).map_err(|e| problems.push(e.to_string()));
    let directory = &state.policy.current().directory;
    let profile =
        r.profile.validate(directory).map_err(|errors| problems.extend(errors.iter().map(ToString::to_string))).ok();
    let (Some(login), Some(profile), true) = (login, profile, problems.is_empty()) else {
        return Ok(bad_request(problems));
    };
    let enterprise_id = profile.enterprise.id.clone();
    let account = Account {
        login: login.clone(),
        display_name: profile.enterprise.name.clone(),
        user: User {
            id: domain::permission::registrant_id(&enterprise_id),
            role: Role::Enterprise,
            org: Some(enterprise_id.clone()),
            district: Some(profile.enterprise.district.clone()),
        },
        profile: Some(profile),
    };
    let store = state.store.clone();
    let hash = state.passwords.hash(r.password).await?;
    let created = account.clone();
    let taken = match store.taken(&login, &enterprise_id).await? {
        (true, _) => Some(Label::new("该账号已被使用,请换一个", "this account name is taken, choose another")),
        (_, true) => Some(Label::new(
            "该统一社会信用代码已注册,请直接登录",
            "an account for this credit code exists already, please sign in",
        )),
        _ => store.create_user(&created, &hash).await.map(|()| None)?,
    };
    if let Some(message) = taken {
        return Ok(error(StatusCode::CONFLICT, message));
    }
    let detail = account.user.org.clone().unwrap_or_default();
    audit(&state, AuditEntry::new(state.clock.now_ms(), &account.user.id, "register", None, detail)).await?;
    let set = start_session(&state, &account.user.id).await?;
    Ok((StatusCode::CREATED, [(header::SET_COOKIE, set)], Json(account)).into_response())
}

fn bad_request(problems: Vec<String>) -> Response {
    let body = serde_json::json!({ "error": problems.join("\n"), "problems": problems });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}
