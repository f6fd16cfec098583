//! The admins' view of the audit log (`/admin/audit`): newest first, a
//! hundred entries a page, `?before=<seq>` for older ones.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::label::Label;
use domain::permission::Role;
use maud::html;

use crate::pages::lang::{Lang, PageLang};
use crate::pages::layout::{internal_page, message, sign_in_first};
use crate::security::auth::SignedIn;
use crate::store::outbox::Channel;
use crate::{AppState, ServerError};

const PAGE: usize = 100;

const AUDIT: Label = Label::new("审计日志", "Audit log");

pub async fn audit_log(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    signed_in: Result<SignedIn, Response>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ServerError> {
    let page = |status, body| internal_page(lang, status, AUDIT.get(lang), AUDIT.get(lang), body);
    let Ok(SignedIn(account)) = signed_in else {
        return Ok(page(StatusCode::UNAUTHORIZED, sign_in_first(lang, Label::new("请先登录", "Please sign in"))));
    };
    if account.user.role != Role::Admin {
        let only = Label::new("审计日志仅供系统管理员查看", "Only administrators see the audit log");
        return Ok(page(StatusCode::FORBIDDEN, message(lang, only, None)));
    }
    let before = match query.get("before").map(|b| b.parse::<i64>()) {
        None => None,
        Some(Ok(seq)) => Some(seq),
        Some(Err(_)) => {
            let wrong = Label::new("参数 before 须为整数", "before must be a number");
            return Ok(page(StatusCode::BAD_REQUEST, message(lang, wrong, None)));
        }
    };
    let entries = state.store.audit_page(before, PAGE).await?;
    let older = entries.last().filter(|_| entries.len() == PAGE).map(|(oldest, _)| oldest);
    let heads = [
        "#",
        lang.pick("时间", "Time"),
        lang.pick("操作人", "By"),
        lang.pick("操作", "Action"),
        lang.pick("诉求", "Case"),
        lang.pick("详情", "Detail"),
    ];
    let body = html! {
        h1 { (AUDIT.get(lang)) }
        p { (lang.pick("只增不改:数据库拒绝修改或删除任何一条记录。", "Append only: the database refuses to change or delete any entry.")) }
        table {
            thead { tr { @for h in heads { th { (h) } } } }
            tbody {
                @for (seq, e) in &entries {
                    tr data-action=(e.action) {
                        td { (seq) }
                        td { (domain::time::china_datetime(e.at_ms)) }
                        td data-label=(heads[2]) { (e.actor) }
                        td data-label=(heads[3]) { (e.action) }
                        td.n data-label=(heads[4]) { (e.case_id.as_deref().unwrap_or("")) }
                        td data-label=(heads[5]) { (e.detail) }
                    }
                }
            }
        }
        @if let Some(oldest) = older {
            p { a href={ "/admin/audit?before=" (oldest) } { (lang.pick("更早的记录 →", "Older entries →")) } }
        }
    };
    Ok(page(StatusCode::OK, body))
}

const MAIL: Label = Label::new("邮件发送记录", "Mail log");

/// How many mails `/admin/mail` lists.
const MAILS: i64 = 200;

/// `GET /admin/mail`: every mail not sent (failed first, with the SMTP
/// server's last answer), then the latest sent.
pub async fn mail_log(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    signed_in: Result<SignedIn, Response>,
) -> Result<Response, ServerError> {
    let page = |status, body| internal_page(lang, status, MAIL.get(lang), MAIL.get(lang), body);
    let Ok(SignedIn(account)) = signed_in else {
        return Ok(page(StatusCode::UNAUTHORIZED, sign_in_first(lang, Label::new("请先登录", "Please sign in"))));
    };
    if account.user.role != Role::Admin {
        let only = Label::new("邮件发送记录仅供系统管理员查看", "Only administrators see the mail log");
        return Ok(page(StatusCode::FORBIDDEN, message(lang, only, None)));
    }
    let mails = state.store.outbox(Channel::Mail, MAILS).await?;
    let failed = mails.iter().filter(|m| m.state == "failed").count();
    let heads = [
        lang.pick("状态", "State"),
        lang.pick("收件人", "To"),
        lang.pick("主题", "Subject"),
        lang.pick("尝试次数", "Tries"),
        lang.pick("时间", "Time"),
        lang.pick("最后一次错误", "Last error"),
    ];
    let state_word = |s: &str| match s {
        "sent" => lang.pick("已发送", "sent"),
        "failed" => lang.pick("发送失败", "failed"),
        _ => lang.pick("待发送", "waiting"),
    };
    let body = html! {
        h1 { (MAIL.get(lang)) }
        @if state.mailer.is_none() {
            p.error { (lang.pick(
                "本服务器未配置发信服务器(--smtp-url),不发送任何邮件。",
                "No SMTP server is configured (--smtp-url): this server sends no mail.",
            )) }
        }
        p data-failed=(failed) {
            (match lang {
                Lang::Zh => format!("发送失败 {failed} 封(已重试 {} 次仍未送达)。", crate::mail::TRIES),
                Lang::En => format!("{failed} failed (not delivered after {} tries).", crate::mail::TRIES),
            })
        }
        table {
            thead { tr { @for h in heads { th { (h) } } } }
            tbody {
                @for m in &mails {
                    tr data-state=(m.state) {
                        td { (state_word(&m.state)) }
                        td data-label=(heads[1]) { (m.recipient) }
                        td data-label=(heads[2]) { (m.subject()) }
                        td data-label=(heads[3]) { (m.attempts) }
                        td data-label=(heads[4]) {
                            (domain::time::china_datetime(m.sent_ms.unwrap_or(m.next_ms)))
                        }
                        td data-label=(heads[5]) { (m.last_error.as_deref().unwrap_or("")) }
                    }
                }
            }
        }
    };
    Ok(page(StatusCode::OK, body))
}
