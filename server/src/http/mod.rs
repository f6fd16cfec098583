//! HTTP: the one route table of the server, and the JSON endpoints that
//! are neither pages nor sync (sign-up, attachments, open data).

pub mod blobs;
pub mod invitations;
pub mod json;
pub mod open311;
pub mod password;
pub mod people;
pub mod policy;
pub mod push;
pub mod register;
pub mod sessions;
pub mod settings;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, header};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{Value, json};
use tower::Layer;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::pages::{self, admin, board, common_issues, lang, layout, letters, lookup, public, ratings, stats};
use crate::security::{auth, csp, guard};
use crate::{AppState, ServerError, sync};

pub fn router(state: AppState) -> Router {
    // Any path the server does not know is an app route: serve the shell.
    // The build leaves each file compressed beside it (scripts/split-wasm.sh):
    // sent as it is to a browser that takes it, never compressed per request.
    let shell = ServeFile::new(state.dist.join("index.html")).precompressed_br().precompressed_gzip();
    let app = ServeDir::new(&state.dist).precompressed_br().precompressed_gzip().fallback(shell);
    let app = SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, csp::app_policy(&state.dist))
        .layer(app);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/clock", get(server_clock))
        .route(
            "/api/session",
            get(auth::current)
                .post(auth::sign_in)
                .delete(auth::sign_out)
                .layer(DefaultBodyLimit::max(json::FORM_LIMIT)),
        )
        .route("/api/register", post(register::register).layer(DefaultBodyLimit::max(json::FORM_LIMIT)))
        .route("/api/people", get(people::people))
        .route("/api/officials", get(people::officials))
        .route("/api/policy", get(policy::current))
        .route("/api/admin/policy", post(policy::edit).layer(DefaultBodyLimit::max(json::FORM_LIMIT)))
        .route("/api/admin/users", get(invitations::users))
        .route("/api/admin/users/{id}/reset", post(invitations::reset))
        .route("/api/admin/users/{id}/deactivate", post(invitations::deactivate))
        .route("/api/admin/invitations", post(invitations::invite).layer(DefaultBodyLimit::max(json::FORM_LIMIT)))
        .route(
            "/api/enterprise/invitations",
            post(invitations::invite_colleague).layer(DefaultBodyLimit::max(json::FORM_LIMIT)),
        )
        .route(
            "/api/invitations/{token}",
            get(invitations::show).post(invitations::accept).layer(DefaultBodyLimit::max(json::FORM_LIMIT)),
        )
        .route("/api/password", put(password::change).layer(DefaultBodyLimit::max(json::FORM_LIMIT)))
        .route(
            "/api/settings",
            get(settings::show).put(settings::change).layer(DefaultBodyLimit::max(json::FORM_LIMIT)),
        )
        .route("/admin/mail", get(admin::mail_log))
        .route("/api/push/key", get(push::key))
        .route(
            "/api/sessions",
            get(sessions::published).post(sessions::publish).layer(DefaultBodyLimit::max(json::FORM_LIMIT)),
        )
        .route("/sessions", get(pages::sessions::calendar))
        .route(
            "/api/push/subscriptions",
            post(push::subscribe).delete(push::unsubscribe).layer(DefaultBodyLimit::max(json::FORM_LIMIT)),
        )
        .route("/api/cases/{id}/public-link", get(public::link))
        .route("/api/cases/{id}/letters", get(letters::list))
        .route("/letters/{id}/{month}", get(letters::show))
        .route("/reports/common-issues/{quarter}", get(common_issues::report))
        .route("/admin/audit", get(admin::audit_log))
        .route(layout::STYLESHEET, get(layout::stylesheet))
        .route("/p/{token}", get(public::page_of))
        .route("/lookup", get(lookup::form).post(lookup::find).layer(DefaultBodyLimit::max(json::FORM_LIMIT)))
        .route("/p/{token}/qr.svg", get(public::qr))
        .route("/board", get(board::index))
        .route("/ratings", get(ratings::ratings))
        .route("/stats", get(stats::city))
        .route("/stats/{district}", get(stats::district))
        .route("/board/{district}/{month}", get(board::board))
        .merge(open_data())
        .route("/api/sync", get(sync::upgrade))
        .route(
            "/api/blobs/{sha256}",
            get(blobs::download).put(blobs::upload).layer(DefaultBodyLimit::max(blobs::UPLOAD_LIMIT)),
        )
        .fallback_service(app)
        .layer(axum::middleware::from_fn(lang::remember))
        .layer(axum::middleware::from_fn(guard::cross_site))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        // No page of ours is meant to be framed (clickjacking), and a public
        // page's secret link must not travel to other sites as a referrer.
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .with_state(state)
}

/// The Open311 read API: public data any site may read from a browser.
fn open_data() -> Router<AppState> {
    Router::new()
        .route("/open311/v2/services.json", get(open311::services))
        .route("/open311/v2/requests.json", get(open311::requests))
        .route("/open311/v2/requests/{file}", get(open311::request_by_id))
        .layer(SetResponseHeaderLayer::overriding(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*")))
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("x-total-count"),
        ))
}

/// Liveness and a glance at the data: the count of cases per status.
/// The server's time, for devices to compare their clocks with.
async fn server_clock(State(state): State<AppState>) -> Json<domain::contract::ServerClock> {
    let tolerance_ms = state.policy.current().device_time_tolerance_ms;
    let policy_version = state.policy.current().version;
    Json(domain::contract::ServerClock { now_ms: state.clock.now_ms(), tolerance_ms, policy_version })
}

async fn healthz(State(state): State<AppState>) -> Result<Json<Value>, ServerError> {
    let by_status = state.store.count_by_status().await?;
    let total: u64 = by_status.iter().map(|(_, n)| n).sum();
    let by_status: serde_json::Map<String, Value> = by_status.into_iter().map(|(s, n)| (s, json!(n))).collect();
    Ok(Json(json!({ "status": "ok", "cases": total, "by_status": by_status })))
}
