//! Accounts an admin keeps: invite officials with one-time links (the
//! invitee picks a login and password), reset a password by such a link,
//! deactivate. Every act is in the audit log. Links last 7 days and work
//! once; only their SHA-256 is stored.

use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::account;
use domain::contract::{Acceptance, Invite, LinkInfo, OneTimeLink};
use domain::directory::Directory;
use domain::label::Label;
use domain::permission::{Role, User};

use crate::http::json::{Body, error};
use crate::security::auth::{SignedIn, digest, random_token, start_session};
use crate::store::invitations::{Invitation, Purpose};
use crate::store::outbox::Mail;
use crate::store::{Account, AuditEntry};
use crate::{AppState, ServerError, audit};

/// How long a one-time link stays valid.
const LINK_MS: i64 = 7 * 24 * 3_600_000;
const NAME_MAX: usize = 100;

fn link_spent() -> Response {
    error(
        StatusCode::GONE,
        Label::new(
            "此链接已失效(已使用或已过期),请联系管理员重新发送",
            "this link is spent (used or expired): ask an admin for a new one",
        ),
    )
}

/// A signed-in admin; anyone else is refused before the handler runs.
pub struct AdminSignedIn(pub Account);

impl FromRequestParts<AppState> for AdminSignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SignedIn(account) = SignedIn::from_request_parts(parts, state).await?;
        if account.user.role != Role::Admin {
            return Err(error(
                StatusCode::FORBIDDEN,
                Label::new("只有管理员可以执行此操作", "only admins may do this"),
            ));
        }
        Ok(AdminSignedIn(account))
    }
}

/// Stores a new one-time link for `invitation`, made by `by`, audited as
/// `(action, detail)`; its path and expiry for the maker to pass on, and,
/// when the server sends mail and an address is known, mailed there.
async fn hand_out(
    state: &AppState,
    invitation: &Invitation,
    by: &str,
    now: i64,
    (action, detail): (&str, String),
    email: Option<String>,
) -> Result<Json<OneTimeLink>, ServerError> {
    let token = random_token()?;
    state.store.create_invitation(&digest(&token), invitation, by, now).await?;
    let path = format!("/invite/{token}");
    let mailed_to = match email.filter(|_| state.mailer.is_some()) {
        Some(to) => {
            let mail = link_mail(invitation, &format!("{}{path}", state.public_url), &digest(&token), to.clone());
            state.store.queue_mail(&mail, now).await?;
            Some(to)
        }
        None => None,
    };
    let mailed = mailed_to.as_deref().map_or(String::new(), |to| format!(", mailed to {to}"));
    audit(state, AuditEntry::new(now, by, action, None, format!("{detail}{mailed}"))).await?;
    Ok(Json(OneTimeLink { path, expires_ms: invitation.expires_ms, mailed_to }))
}

/// The mail carrying a one-time link, in both languages (the invitee's is
/// not known yet).
fn link_mail(invitation: &Invitation, url: &str, token_digest: &str, recipient: String) -> Mail {
    let name = &invitation.display_name;
    let days = LINK_MS / (24 * 3_600_000);
    let (subject, zh, en) = match invitation.purpose {
        Purpose::Invite => (
            "直通车账号邀请 / Your Direct Line account",
            format!(
                "{name}:您已受邀使用惠州市办理企业困难直通车。请在 {days} 天内打开以下链接,设置账号和密码(链接只能使用一次):"
            ),
            format!(
                "{name}: you are invited to Huizhou's Direct Line for enterprises. Open this link within {days} days to choose your sign-in name and password (it works once):"
            ),
        ),
        Purpose::Reset => (
            "直通车重设密码 / Reset your Direct Line password",
            format!("{name}:请在 {days} 天内打开以下链接,设置新密码(链接只能使用一次):"),
            format!("{name}: open this link within {days} days to set a new password (it works once):"),
        ),
    };
    let html = maud::html! {
        p { (zh) } p { a href=(url) { (url) } }
        hr;
        p lang="en" { (en) } p { a href=(url) { (url) } }
    };
    Mail {
        key: format!("link/{token_digest}"),
        recipient,
        subject: subject.to_string(),
        html: html.into_string(),
        text: format!("{zh}\n{url}\n\n{en}\n{url}\n"),
    }
}

/// What an invited official is: a role with its unit or district, checked
/// against the directory.
fn invitation_of(r: Invite, expires_ms: i64, directory: &Directory) -> Result<Invitation, Label> {
    let display_name = r.display_name.trim().to_string();
    if display_name.is_empty() || display_name.chars().count() > NAME_MAX {
        return Err(Label::new("请填写姓名或称呼(不超过100字)", "enter a name (up to 100 characters)"));
    }
    let (org, district) = match r.role {
        Role::Officer => {
            let org = r.org.filter(|o| directory.unit(o).is_ok_and(|u| !u.retired));
            (Some(org.ok_or(Label::new("请选择所属部门", "choose the department"))?), None)
        }
        Role::Coordinator | Role::Leader => {
            let district = r.district.filter(|d| directory.open_district(d).is_ok());
            (None, Some(district.ok_or(Label::new("请选择所在区县", "choose the district"))?))
        }
        Role::Admin => (None, None),
        Role::Enterprise => {
            return Err(Label::new("企业账号由企业自行注册", "enterprises register their own accounts"));
        }
    };
    Ok(Invitation { purpose: Purpose::Invite, user_id: None, role: r.role, org, district, display_name, expires_ms })
}

/// `POST /api/admin/invitations`: an admin prepares an official's account.
pub async fn invite(
    State(state): State<AppState>,
    AdminSignedIn(admin): AdminSignedIn,
    Body(request): Body<Invite>,
) -> Result<Response, ServerError> {
    let now = state.clock.now_ms();
    let email = match domain::reach::email(request.email.as_deref()) {
        Ok(email) => email,
        Err(e) => return Ok(error(StatusCode::BAD_REQUEST, e.label())),
    };
    let invitation = match invitation_of(request, now + LINK_MS, &state.policy.current().directory) {
        Ok(invitation) => invitation,
        Err(message) => return Ok(error(StatusCode::BAD_REQUEST, message)),
    };
    let detail = format!(
        "{:?} {} {:?}",
        invitation.role,
        invitation.display_name,
        invitation.org.as_ref().or(invitation.district.as_ref())
    );
    let link = hand_out(&state, &invitation, &admin.user.id, now, ("invite", detail), email).await?;
    Ok((StatusCode::CREATED, link).into_response())
}

#[derive(serde::Deserialize)]
pub struct Colleague {
    display_name: String,
    #[serde(default)]
    email: Option<String>,
}

/// `POST /api/enterprise/invitations`: an enterprise's registrant invites a
/// colleague, who sees and files the enterprise's cases in their own name.
pub async fn invite_colleague(
    State(state): State<AppState>,
    SignedIn(me): SignedIn,
    Body(colleague): Body<Colleague>,
) -> Result<Response, ServerError> {
    if !me.user.registered_enterprise() {
        let message = Label::new(
            "只有注册本企业的账号可以邀请同事",
            "only the account that registered the enterprise invites colleagues",
        );
        return Ok(error(StatusCode::FORBIDDEN, message));
    }
    let display_name = colleague.display_name.trim().to_string();
    if display_name.is_empty() || display_name.chars().count() > NAME_MAX {
        let message = Label::new("请填写同事的姓名(不超过100字)", "enter the colleague's name (up to 100 characters)");
        return Ok(error(StatusCode::BAD_REQUEST, message));
    }
    let email = match domain::reach::email(colleague.email.as_deref()) {
        Ok(email) => email,
        Err(e) => return Ok(error(StatusCode::BAD_REQUEST, e.label())),
    };
    let now = state.clock.now_ms();
    let invitation = Invitation {
        purpose: Purpose::Invite,
        user_id: None,
        role: Role::Enterprise,
        org: me.user.org.clone(),
        district: me.user.district.clone(),
        display_name,
        expires_ms: now + LINK_MS,
    };
    let detail = invitation.display_name.clone();
    let link = hand_out(&state, &invitation, &me.user.id, now, ("invite-colleague", detail), email).await?;
    Ok((StatusCode::CREATED, link).into_response())
}

/// `POST /api/admin/users/{id}/reset`: a one-time link to set a new password.
pub async fn reset(
    State(state): State<AppState>,
    AdminSignedIn(admin): AdminSignedIn,
    Path(user_id): Path<String>,
) -> Result<Response, ServerError> {
    let accounts = state.store.account_states().await?;
    let Some(target) = accounts.into_iter().find(|a| a.account.user.id == user_id && !a.deactivated) else {
        return Ok(error(StatusCode::NOT_FOUND, Label::new("没有这个账号", "no such account")));
    };
    let now = state.clock.now_ms();
    let user = target.account.user;
    let invitation = Invitation {
        purpose: Purpose::Reset,
        user_id: Some(user.id.clone()),
        role: user.role,
        org: user.org,
        district: user.district,
        display_name: target.account.display_name,
        expires_ms: now + LINK_MS,
    };
    // The link goes to the address the account chose, if any.
    let email = state.store.settings(&user.id).await?.email;
    let action = ("password-reset-link", user.id);
    Ok(hand_out(&state, &invitation, &admin.user.id, now, action, email).await?.into_response())
}

/// `POST /api/admin/users/{id}/deactivate`: no more sign-in or sync; its
/// sessions and sockets end. An admin cannot lock themself out.
pub async fn deactivate(
    State(state): State<AppState>,
    AdminSignedIn(admin): AdminSignedIn,
    Path(user_id): Path<String>,
) -> Result<Response, ServerError> {
    if user_id == admin.user.id {
        return Ok(error(StatusCode::CONFLICT, Label::new("不能停用自己的账号", "you cannot deactivate yourself")));
    }
    let now = state.clock.now_ms();
    let Some(ended) = state.store.deactivate(&user_id, now).await? else {
        return Ok(error(StatusCode::NOT_FOUND, Label::new("没有这个账号,或已停用", "no such active account")));
    };
    for session in &ended {
        state.hub.end_session(session);
    }
    // No case may name them from now on.
    state.officials.reload(&state.store).await?;
    audit(&state, AuditEntry::new(now, &admin.user.id, "deactivate", None, user_id)).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /api/admin/users`: every account, and whether it is deactivated.
pub async fn users(State(state): State<AppState>, _: AdminSignedIn) -> Result<Response, ServerError> {
    Ok(Json(state.store.account_states().await?).into_response())
}

/// `GET /api/invitations/{token}`: what the link is for, while it works.
pub async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, ServerError> {
    let Some(i) = state.store.open_invitation(&digest(&token), state.clock.now_ms()).await? else {
        return Ok(link_spent());
    };
    let info = LinkInfo {
        reset: i.purpose == Purpose::Reset,
        display_name: i.display_name,
        role: i.role,
        org: i.org,
        district: i.district,
    };
    Ok(Json(info).into_response())
}

/// `POST /api/invitations/{token}`: the invitee picks a login and
/// password (or, for a reset, a new password) and is signed in.
pub async fn accept(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Body(a): Body<Acceptance>,
) -> Result<Response, ServerError> {
    let (hash_of_token, now) = (digest(&token), state.clock.now_ms());
    let Some(invitation) = state.store.open_invitation(&hash_of_token, now).await? else {
        return Ok(link_spent());
    };
    if let Err(e) = account::validate_password(&a.password) {
        return Ok(error(StatusCode::BAD_REQUEST, e.label()));
    }
    let password_hash = state.passwords.hash(a.password).await?;
    let user_id = match (invitation.purpose, invitation.user_id) {
        (Purpose::Reset, Some(user_id)) => {
            if !state.store.use_reset(&hash_of_token, now).await? {
                return Ok(link_spent());
            }
            for session in state.store.set_password(&user_id, &password_hash, None).await? {
                state.hub.end_session(&session);
            }
            audit(&state, AuditEntry::new(now, &user_id, "password-reset", None, String::new())).await?;
            user_id
        }
        _ => {
            let Ok(login) = account::validate_login(a.login.as_deref().unwrap_or_default()) else {
                return Ok(error(StatusCode::BAD_REQUEST, domain::DomainError::BadLogin.label()));
            };
            // Deactivated accounts keep their logins too.
            if state.store.taken(&login, "").await?.0 {
                let message = Label::new("该账号已被使用,请换一个", "this account name is taken, choose another");
                return Ok(error(StatusCode::CONFLICT, message));
            }
            // An enterprise's colleague: named under the enterprise, with its profile.
            let (id, profile) = match (invitation.role, &invitation.org) {
                (Role::Enterprise, Some(org)) => {
                    (format!("user-{org}-{login}"), state.store.enterprise_profile(org).await?)
                }
                (role, _) => (format!("{}-{login}", format!("{role:?}").to_lowercase()), None),
            };
            let user = User { id, role: invitation.role, org: invitation.org, district: invitation.district };
            let account = Account { login, display_name: invitation.display_name, user, profile };
            if !state.store.accept_invitation(&hash_of_token, now, &account, &password_hash).await? {
                return Ok(link_spent());
            }
            state.officials.reload(&state.store).await?;
            audit(&state, AuditEntry::new(now, &account.user.id, "invitation-accepted", None, account.login.clone()))
                .await?;
            account.user.id
        }
    };
    let set = start_session(&state, &user_id).await?;
    let me = state.store.account_by_id(&user_id).await?;
    Ok(([(header::SET_COOKIE, set)], Json(me)).into_response())
}
