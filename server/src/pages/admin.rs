//! The admins' view of the audit log (`/admin/audit`): newest first, a
//! hundred entries a page, `?before=<seq>` for older ones.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::permission::Role;

use crate::pages::public::{escape, internal_page};
use crate::security::auth::SignedIn;
use crate::{AppState, ServerError};

const PAGE: usize = 100;

fn page(status: StatusCode, body: &str) -> Response {
    internal_page(status, "审计日志", "审计日志", body)
}

pub async fn audit_log(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, Response>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ServerError> {
    let Ok(SignedIn(account)) = signed_in else {
        return Ok(page(StatusCode::UNAUTHORIZED, "<h1>请先登录</h1><p><a href=\"/signin\">登录</a></p>"));
    };
    if account.user.role != Role::Admin {
        return Ok(page(StatusCode::FORBIDDEN, "<h1>审计日志仅供系统管理员查看</h1>"));
    }
    let before = match query.get("before").map(|b| b.parse::<i64>()) {
        None => None,
        Some(Ok(seq)) => Some(seq),
        Some(Err(_)) => {
            return Ok(page(StatusCode::BAD_REQUEST, "<h1>参数 before 须为整数 / before must be a number</h1>"));
        }
    };
    let entries = state.store.audit_page(before, PAGE).await?;
    let mut body = String::from(
        "<h1>审计日志</h1><p>只增不改:数据库拒绝修改或删除任何一条记录。</p><table><thead><tr>\
         <th>#</th><th>时间</th><th>操作人</th><th>操作</th><th>诉求</th><th>详情</th></tr></thead><tbody>",
    );
    for (seq, e) in &entries {
        body.push_str(&format!(
            "<tr data-action=\"{}\"><td>{seq}</td><td>{}</td><td data-label=\"操作人\">{}</td><td data-label=\"操作\">{}</td>\
             <td data-label=\"诉求\" class=\"n\">{}</td><td data-label=\"详情\">{}</td></tr>",
            escape(&e.action),
            domain::time::china_datetime(e.at_ms),
            escape(&e.actor),
            escape(&e.action),
            escape(e.case_id.as_deref().unwrap_or("")),
            escape(&e.detail),
        ));
    }
    body.push_str("</tbody></table>");
    if let Some((oldest, _)) = entries.last().filter(|_| entries.len() == PAGE) {
        body.push_str(&format!("<p><a href=\"/admin/audit?before={oldest}\">更早的记录 →</a></p>"));
    }
    Ok(page(StatusCode::OK, &body))
}
