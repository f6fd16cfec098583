//! The public progress page of a case: plain HTML and CSS, no script, at
//! an unguessable link (`/p/{token}`), with a QR code of that link as SVG.
//! What it shows is [`domain::public::PublicCase`]: nothing personal,
//! nothing attached, no free text but the title a coordinator published.
//! A party to the case gets the link from `GET /api/cases/{id}/public-link`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::contract::PublicLink;
use domain::deadline::Light;
use domain::directory;
use domain::public::PublicCase;
use domain::time::Day;
use qrcode::QrCode;
use qrcode::render::svg;

use crate::http::json::error;
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
    let token = match readable_case(store, &account.user, &case_id).await? {
        Some(_) => Some(store.public_token(&case_id).await?),
        None => None,
    };
    if token.is_some() {
        let entry = AuditEntry::new(state.clock.now_ms(), &account.user.id, "public-link", Some(&case_id), "");
        audit(&state, entry).await?;
    }
    Ok(match token {
        Some(token) => Json(PublicLink { path: format!("/p/{token}") }).into_response(),
        // The same answer for "no such case" and "not yours".
        None => error(StatusCode::NOT_FOUND, "诉求不存在 / no such case"),
    })
}

/// The case behind a public token, as the public may see it today.
async fn public_case(state: &AppState, token: String) -> Result<Option<PublicCase>, ServerError> {
    let store = &state.store;
    let today = Day::of_instant(state.clock.now_ms());
    let Some(case_id) = store.case_of_token(&token).await? else { return Ok(None) };
    let Some((doc, _)) = store.load_document(&case_id).await? else { return Ok(None) };
    let case = domain::doc::read(&doc)?;
    let case_state = case.state();
    let policy = &state.policy;
    Ok(Some(PublicCase::of(&case, &case_state, &policy.calendar, policy.rules_for(&case), today)))
}

/// A public page as a response: HTML that may run no script, whatever a
/// published text holds, and is read fresh each time.
pub(crate) fn html(status: StatusCode, title: &str, body: &str) -> Response {
    document(status, page(title, body))
}

/// A whole HTML document as a response, under the same no-script policy.
pub(crate) fn document(status: StatusCode, document: String) -> Response {
    respond(status, document, "no-cache")
}

/// A document for signed-in readers only (letters, internal reports): no
/// shared cache may keep it, and the browser does not store it either.
pub(crate) fn private_document(status: StatusCode, document: String) -> Response {
    respond(status, document, "private, no-store")
}

/// A page for signed-in readers only (internal reports, the audit log):
/// the public pages' look, kept out of every cache.
pub(crate) fn internal_page(status: StatusCode, section: &str, title: &str, body: &str) -> Response {
    private_document(
        status,
        format!(
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{}</title>\
             <style>{STYLE}</style></head><body><header>惠州市办理企业困难直通车 · {}</header>\
             <main>{body}</main></body></html>",
            escape(title),
            escape(section)
        ),
    )
}

fn respond(status: StatusCode, document: String, cache: &'static str) -> Response {
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"),
        (header::CACHE_CONTROL, cache),
    ];
    (status, headers, document).into_response()
}

fn not_found() -> Response {
    html(StatusCode::NOT_FOUND, "未找到 · 直通车", "<h1>没有这个公开进度页</h1><p>链接可能有误。</p>")
}

/// `GET /p/{token}`: the page.
pub async fn page_of(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, ServerError> {
    let Some(case) = public_case(&state, token).await? else { return Ok(not_found()) };
    let title = format!("{} · 直通车办理进度", case.number.as_deref().unwrap_or("诉求"));
    Ok(html(StatusCode::OK, &title, &body(&case)))
}

/// `GET /p/{token}/qr.svg`: the page's link as a QR code.
pub async fn qr(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ServerError> {
    let known = state.store.case_of_token(&token).await?.is_some();
    if !known {
        return Ok(not_found());
    }
    // The link as the person printing it reached the server.
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let url = format!("http://{host}/p/{token}");
    let code = QrCode::new(url.as_bytes()).map_err(|e| ServerError::Io(std::io::Error::other(e.to_string())))?;
    let image = code.render::<svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], image).into_response())
}

/// HTML text: the five characters that could break out of it, escaped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn light(light: Light) -> &'static str {
    match light {
        Light::Green => r#"<span class="l g">正常</span>"#,
        Light::Yellow => r#"<span class="l y">临近期限</span>"#,
        Light::Red => r#"<span class="l r">已超期</span>"#,
    }
}

fn name(entry: Result<&'static directory::Entry, domain::DomainError>) -> &'static str {
    entry.map_or("—", |e| e.zh)
}

/// Who answers for the case and by when, as (label, HTML) rows: the public
/// page and the monthly letter both show them.
pub(crate) fn responsibility(case: &PublicCase) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    if let Some(lead) = &case.lead_department {
        rows.push(("牵头部门", name(directory::department(lead)).to_string()));
    }
    if !case.assisting.is_empty() {
        let names: Vec<&str> = case.assisting.iter().map(|d| name(directory::department(d))).collect();
        rows.push(("协办部门", names.join("、")));
    }
    if let Some(leader) = &case.lead_leader {
        rows.push(("牵头领导", escape(leader)));
    }
    if let Some((due, l)) = case.due {
        rows.push(("办理期限", format!("{due} {}", light(l))));
    }
    rows
}

fn body(case: &PublicCase) -> String {
    let mut html = String::new();
    let number = escape(case.number.as_deref().unwrap_or("编号待分配"));
    html.push_str(&format!("<p class=\"n\">{number}</p>"));
    let title = case.title.as_deref().map_or_else(|| "(标题待审核后公开)".to_string(), escape);
    html.push_str(&format!("<h1>{title}</h1>"));
    html.push_str("<dl>");
    let mut row = |k: &str, v: String| html.push_str(&format!("<dt>{k}</dt><dd>{v}</dd>"));
    row("状态", format!("<strong data-status=\"{:?}\">{}</strong>", case.status, case.status.zh()));
    row("类别", name(directory::category(&case.category)).to_string());
    row("区县", name(directory::district(&case.district)).to_string());
    for (k, v) in responsibility(case) {
        row(k, v);
    }
    html.push_str("</dl>");
    if !case.milestones.is_empty() {
        html.push_str("<h2>办理时间表</h2><ol class=\"m\">");
        for m in &case.milestones {
            let state = match (m.done, m.light) {
                (Some(day), _) => format!("<span class=\"l g\">{day} 完成</span>"),
                (None, Some(l)) => light(l).to_string(),
                (None, None) => String::new(),
            };
            html.push_str(&format!("<li><span>{}</span> <time>{}</time> {state}</li>", escape(&m.title), m.due));
        }
        html.push_str("</ol>");
    }
    html.push_str("<h2>办理过程</h2><ol class=\"t\">");
    for e in &case.timeline {
        html.push_str(&format!("<li><time>{}</time> {}</li>", e.day, escape(&e.zh)));
    }
    html.push_str("</ol>");
    html
}

const STYLE: &str = "body{margin:0;font:16px/1.6 system-ui,'Noto Sans CJK SC',sans-serif;color:#1d1d1f;background:#f6f6f4}\
header{background:#b3261e;color:#fff;padding:.7rem 1rem;font-weight:700;display:flex;flex-wrap:wrap;gap:.3rem 1rem;justify-content:space-between}header a{color:#fff;margin-left:1rem;font-weight:400}\
main{max-width:1100px;margin:0 auto;padding:1rem}\
h1{font-size:1.3rem;margin:.2rem 0 1rem}h2{font-size:1.05rem;margin:1.4rem 0 .5rem}\
.n{font-family:monospace;color:#555;margin:0}\
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem;background:#fff;border:1px solid #ddd;border-radius:10px;padding:.8rem 1rem;margin:0}\
dt{color:#555}dd{margin:0}\
ol{padding-left:1.3rem}li{margin:.3rem 0}time{color:#555;font-size:.9rem}\
.l{font-size:.8rem;font-weight:700;padding:0 .4rem;border-radius:4px}\
.g{color:#1e7e34;background:#e6f4ea}.y{color:#8a5a00;background:#fff4e0}.r{color:#b3261e;background:#fdecea}\
footer{color:#555;font-size:.85rem;padding:1rem;text-align:center}\
table{width:100%;border-collapse:collapse;background:#fff}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;font-size:.9rem;vertical-align:top}\
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));gap:0 1rem}figure{margin:1rem 0;background:#fff;border:1px solid #ddd;border-radius:10px;padding:.6rem}figcaption{font-weight:700;margin-bottom:.3rem}svg{width:100%;height:auto;display:block}\
nav.d a{display:inline-block;margin:0 .6rem .4rem 0;color:#1e5fb3}nav.d a[aria-current]{font-weight:700;color:#1d1d1f;text-decoration:none}.note{color:#555;font-size:.85rem}\
@media(max-width:700px){table{background:none}thead{display:none}tr{display:block;border:1px solid #ddd;border-radius:8px;margin:.5rem 0;background:#fff}td{display:block;border:0;padding:.1rem .7rem}td[data-label]::before{content:attr(data-label) \"：\";color:#555}}\
@media print{@page{size:A4 landscape;margin:10mm}header{background:none;color:#000}header nav{display:none}body{background:#fff}main{max-width:none}}";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{}</title><style>{STYLE}</style></head>\
         <body><header>惠州市办理企业困难直通车<nav><a href=\"/board\">公示栏</a><a href=\"/stats\">数据分析</a><a href=\"/ratings\">公开评价</a></nav></header><main>{body}</main>\
         <footer>本页只公开办理进度,不含企业联系方式与附件。</footer></body></html>",
        escape(title)
    )
}
