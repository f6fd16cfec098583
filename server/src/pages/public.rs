//! The public progress page of a case: plain HTML and CSS, no script, at
//! an unguessable link (`/p/{token}`), with a QR code of that link as SVG.
//! What it shows is [`domain::public::PublicCase`]: nothing personal,
//! nothing attached, no free text but the title a coordinator published.
//! A party to the case gets the link from `GET /api/cases/{id}/public-link`.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::contract::PublicLink;
use domain::label::Label;
use domain::policy::Policy;
use domain::public::PublicCase;
use domain::time::Day;
use maud::{Markup, html};
use qrcode::QrCode;
use qrcode::render::svg;

use crate::http::json::error;
use crate::pages::lang::{Lang, PageLang};
use crate::pages::layout::{Names, light, message, public_page, responsibility};
use crate::security::auth::SignedIn;
use crate::store::AuditEntry;
use crate::{AppState, ServerError, audit, readable_case};

/// `GET /api/cases/{id}/public-link`: the case's public path, made on
/// first request, for anyone who may read the case.
pub async fn link(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path(case_id): Path<String>,
) -> Result<Response, ServerError> {
    let store = &state.store;
    let link = match readable_case(store, &account.user, &case_id).await? {
        Some(_) => Some(store.public_link(&case_id).await?),
        None => None,
    };
    if link.is_some() {
        let entry = AuditEntry::new(state.clock.now_ms(), &account.user.id, "public-link", Some(&case_id), "");
        audit(&state, entry).await?;
    }
    Ok(match link {
        Some(link) => Json(PublicLink { path: format!("/p/{}", link.token), code: link.code }).into_response(),
        // The same answer for "no such case" and "not yours".
        None => error(StatusCode::NOT_FOUND, Label::new("诉求不存在", "no such case")),
    })
}

/// The case behind a public token, as the public may see it today.
async fn public_case(state: &AppState, token: String) -> Result<Option<(PublicCase, Arc<Policy>)>, ServerError> {
    let store = &state.store;
    let today = Day::of_instant(state.clock.now_ms());
    let Some(case_id) = store.case_of_token(&token).await? else { return Ok(None) };
    let Some((doc, _)) = store.load_document(&case_id).await? else { return Ok(None) };
    let case = domain::doc::read(&doc)?;
    let case_state = case.state();
    let policy = state.policy.current();
    let public = PublicCase::of(&case, &case_state, &policy.calendar, policy.rules_for(&case), today);
    Ok(Some((public, policy)))
}

fn not_found(lang: Lang) -> Response {
    let body = message(
        lang,
        Label::new("没有这个公开进度页", "No such progress page"),
        Some(Label::new("链接可能有误。", "The link may be wrong.")),
    );
    public_page(lang, StatusCode::NOT_FOUND, lang.pick("未找到 · 直通车", "Not found · Direct Line"), body)
}

/// `GET /p/{token}`: the page.
pub async fn page_of(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path(token): Path<String>,
) -> Result<Response, ServerError> {
    let Some((case, policy)) = public_case(&state, token).await? else { return Ok(not_found(lang)) };
    let number = case.number.as_deref().unwrap_or(lang.pick("诉求", "Appeal"));
    let title = format!("{number} · {}", lang.pick("直通车办理进度", "Direct Line progress"));
    let officials = state.officials.current();
    Ok(public_page(lang, StatusCode::OK, &title, body(&case, &Names::with_people(&policy.directory, &officials, lang))))
}

/// `GET /p/{token}/qr.svg`: the page's link as a QR code.
pub async fn qr(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path(token): Path<String>,
) -> Result<Response, ServerError> {
    let known = state.store.case_of_token(&token).await?.is_some();
    if !known {
        return Ok(not_found(lang));
    }
    // The configured address, never the request's Host header (which
    // whoever sends the request chooses).
    let url = format!("{}/p/{token}", state.public_url);
    let code = QrCode::new(url.as_bytes()).map_err(|e| ServerError::Io(std::io::Error::other(e.to_string())))?;
    let image = code.render::<svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], image).into_response())
}

fn body(case: &PublicCase, names: &Names<'_>) -> Markup {
    let lang = names.lang;
    html! {
        p.n { (case.number.as_deref().unwrap_or(lang.pick("编号待分配", "number to come"))) }
        h1 { (case.title.as_deref().unwrap_or(lang.pick("(标题待审核后公开)", "(title published once reviewed)"))) }
        dl {
            dt { (lang.pick("状态", "Status")) }
            dd { strong data-status=(format!("{:?}", case.status)) { (case.status.label().get(lang)) } }
            dt { (lang.pick("类别", "Category")) } dd { (names.category(&case.category)) }
            dt { (lang.pick("区县", "District")) } dd { (names.district(&case.district)) }
            @for (label, value) in responsibility(case, names) { dt { (label) } dd { (value) } }
        }
        @if !case.milestones.is_empty() {
            h2 { (lang.pick("办理时间表", "Timetable")) }
            ol.m {
                @for m in &case.milestones {
                    li {
                        span { (m.title) } " " time { (m.due) } " "
                        @match (m.done, m.light) {
                            (Some(day), _) => span class="l g" { (day) " " (lang.pick("完成", "done")) },
                            (None, Some(l)) => (light(l, lang)),
                            (None, None) => {},
                        }
                    }
                }
            }
        }
        h2 { (lang.pick("办理过程", "Progress")) }
        ol.t { @for e in &case.timeline { li { time { (e.day) } " " (lang.pick(&e.zh, &e.en)) } } }
    }
}
