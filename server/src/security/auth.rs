//! Sign-in: argon2 password hashes and cookie sessions (HttpOnly,
//! SameSite=Strict; Secure when served over TLS).

use axum::Json;
use domain::label::{Label, Text};
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::http::json::{Body, error};
use crate::security::throttle::Wait;
use crate::store::{Account, AuditEntry};
use crate::{AppState, ServerError, audit};

pub const COOKIE: &str = "dl_session";
/// Sessions last 30 days: an officer signs in once and then works offline.
const SESSION_MS: i64 = 30 * 24 * 3600 * 1000;

pub(crate) fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], ServerError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| ServerError::Crypto(e.to_string()))?;
    Ok(bytes)
}

/// 32 random bytes as hex: session tokens and public page links.
pub(crate) fn random_token() -> Result<String, ServerError> {
    Ok(random_bytes::<32>()?.iter().map(|b| format!("{b:02x}")).collect())
}

/// The value of the request's cookie `name`.
pub(crate) fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('=').map(str::to_string))
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, COOKIE)
}

/// The stored form of the request's session token, if it carries one.
pub(crate) fn session_digest(headers: &HeaderMap) -> Option<String> {
    session_token(headers).map(|token| digest(&token))
}

fn cookie(state: &AppState, value: &str, max_age_s: i64) -> Result<HeaderValue, ServerError> {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}"))
        .map_err(|e| ServerError::Crypto(e.to_string()))
}

/// A request's signed-in user; rejects with 401 when there is none.
pub struct SignedIn(pub Account);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Session { account, .. } = Session::from_request_parts(parts, state).await?;
        Ok(SignedIn(account))
    }
}

/// A request's signed-in user and when their session expires; rejects
/// with 401 when there is none.
pub struct Session {
    pub account: Account,
    pub expires_ms: i64,
}

impl FromRequestParts<AppState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_token(&parts.headers).ok_or_else(not_signed_in)?;
        let now = state.clock.now_ms();
        let found = state.store.session_account(&digest(&token), now).await.map_err(IntoResponse::into_response)?;
        found.map(|(account, expires_ms)| Session { account, expires_ms }).ok_or_else(not_signed_in)
    }
}

fn not_signed_in() -> Response {
    error(StatusCode::UNAUTHORIZED, Label::new("请先登录", "please sign in"))
}

#[derive(Deserialize)]
pub struct Credentials {
    login: String,
    password: String,
}

/// The address the request came from, when the server knows it.
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())))
    }
}

/// The answer to a sign-in that may not be tried now.
fn throttled(wait: Wait) -> Response {
    let (ms, zh, en) = match wait {
        Wait::Account { ms } => (ms, "该账号登录失败次数过多", "too many failed sign-ins for this account"),
        Wait::Address { ms } => (ms, "本机登录失败次数过多", "too many failed sign-ins from this address"),
    };
    let minutes = (ms + 59_999) / 60_000;
    let message = Text::owned(format!("{zh},请 {minutes} 分钟后再试"), format!("{en}: try again in {minutes} min"));
    let mut response = error(StatusCode::TOO_MANY_REQUESTS, message);
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from((ms + 999) / 1000));
    response
}

/// `POST /api/session`: sign in.
pub async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    Body(c): Body<Credentials>,
) -> Result<Response, ServerError> {
    let login = c.login.trim().to_ascii_lowercase();
    let now = state.clock.now_ms();
    let from = address.map_or_else(|| "unknown address".to_string(), |a| a.to_string());
    let record = |what: &str| AuditEntry::new(now, &login, "sign-in", None, format!("{what} from {from}"));
    if let Some(wait) = state.throttle.check(&login, address, now)? {
        audit(&state, record("refused, throttled")).await?;
        return Ok(throttled(wait));
    }
    let outcome = match state.store.user_by_login(&login).await? {
        Some((account, hash)) => state.passwords.verify(c.password, hash).await?.then_some(account),
        None => {
            // Spend the same time as a real check, so timing does not tell
            // which logins exist.
            state.passwords.hash(c.password).await?;
            None
        }
    };
    let Some(account) = outcome else {
        state.throttle.failed(&login, address, now)?;
        audit(&state, record("failed")).await?;
        return Ok(error(StatusCode::UNAUTHORIZED, Label::new("账号或密码错误", "wrong account or password")));
    };
    state.throttle.succeeded(&login)?;
    audit(&state, record("ok")).await?;
    let set = start_session(&state, &account.user.id).await?;
    Ok(([(header::SET_COOKIE, set)], Json(account)).into_response())
}

/// Opens a session for the user; returns the cookie that carries it.
pub async fn start_session(state: &AppState, user_id: &str) -> Result<HeaderValue, ServerError> {
    let token = random_token()?;
    let expires = state.clock.now_ms() + SESSION_MS;
    state.store.create_session(&digest(&token), user_id, expires).await?;
    cookie(state, &token, SESSION_MS / 1000)
}

/// `GET /api/session`: who is signed in.
pub async fn current(SignedIn(account): SignedIn) -> Json<Account> {
    Json(account)
}

/// `DELETE /api/session`: sign out, on the server and in the browser.
pub async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ServerError> {
    if let Some(session) = session_digest(&headers) {
        state.store.delete_session(&session).await?;
        // The sockets this session opened close with it.
        state.hub.end_session(&session);
    }
    let clear = cookie(&state, "", 0)?;
    Ok(([(header::SET_COOKIE, clear)], StatusCode::NO_CONTENT).into_response())
}
