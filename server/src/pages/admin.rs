//! The admins' view of the audit log (`/admin/audit`): newest first, a
//! hundred entries a page, `?before=<seq>` for older ones.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::permission::Role;
use maud::{Markup, html};

use crate::pages::layout::internal_page;
use crate::security::auth::SignedIn;
use crate::{AppState, ServerError};

const PAGE: usize = 100;

fn page(status: StatusCode, body: Markup) -> Response {
    internal_page(status, "审计日志", "审计日志", body)
}

pub async fn audit_log(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, Response>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ServerError> {
    let Ok(SignedIn(account)) = signed_in else {
        return Ok(page(StatusCode::UNAUTHORIZED, html! { h1 { "请先登录" } p { a href="/signin" { "登录" } } }));
    };
    if account.user.role != Role::Admin {
        return Ok(page(StatusCode::FORBIDDEN, html! { h1 { "审计日志仅供系统管理员查看" } }));
    }
    let before = match query.get("before").map(|b| b.parse::<i64>()) {
        None => None,
        Some(Ok(seq)) => Some(seq),
        Some(Err(_)) => {
            let body = html! { h1 { "参数 before 须为整数 / before must be a number" } };
            return Ok(page(StatusCode::BAD_REQUEST, body));
        }
    };
    let entries = state.store.audit_page(before, PAGE).await?;
    let older = entries.last().filter(|_| entries.len() == PAGE).map(|(oldest, _)| oldest);
    let body = html! {
        h1 { "审计日志" }
        p { "只增不改:数据库拒绝修改或删除任何一条记录。" }
        table {
            thead { tr { th { "#" } th { "时间" } th { "操作人" } th { "操作" } th { "诉求" } th { "详情" } } }
            tbody {
                @for (seq, e) in &entries {
                    tr data-action=(e.action) {
                        td { (seq) }
                        td { (domain::time::china_datetime(e.at_ms)) }
                        td data-label="操作人" { (e.actor) }
                        td data-label="操作" { (e.action) }
                        td.n data-label="诉求" { (e.case_id.as_deref().unwrap_or("")) }
                        td data-label="详情" { (e.detail) }
                    }
                }
            }
        }
        @if let Some(oldest) = older { p { a href={ "/admin/audit?before=" (oldest) } { "更早的记录 →" } } }
    };
    Ok(page(StatusCode::OK, body))
}
