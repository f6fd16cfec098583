//! Public lookup without the link (`/lookup`): the case number and the
//! query code (查询码) printed on every letter and shown to the parties
//! lead to the case's public progress page. A wrong code and an unknown
//! number get the same answer, and failures are throttled per number and
//! per address (the sign-in throttle's rules), so codes cannot be guessed.
//! The form posts, so the code stays out of addresses and logs.

use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::label::Label;
use maud::{Markup, html};
use serde::Deserialize;

use crate::pages::lang::{Lang, PageLang};
use crate::pages::layout::public_page;
use crate::security::auth::ClientAddress;
use crate::security::throttle::Wait;
use crate::store::AuditEntry;
use crate::store::public_links::{CODE_LENGTH, normal_code};
use crate::{AppState, ServerError, audit};

const TITLE: Label = Label::new("办理进度查询", "Look up an appeal's progress");

/// What the reader typed.
#[derive(Debug, Default, Deserialize)]
pub struct Asked {
    #[serde(default)]
    number: String,
    #[serde(default)]
    code: String,
}

/// `GET /lookup`: the form.
pub async fn form(PageLang(lang): PageLang) -> Response {
    page(lang, StatusCode::OK, &Asked::default(), None)
}

/// `POST /lookup`: to the public page, or the form again with why not.
pub async fn find(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    ClientAddress(address): ClientAddress,
    Form(asked): Form<Asked>,
) -> Result<Response, ServerError> {
    let number = asked.number.trim().to_ascii_uppercase();
    let now = state.clock.now_ms();
    if let Some(wait) = state.lookups.check(&number, address, now)? {
        let minutes = match wait {
            Wait::Account { ms } | Wait::Address { ms } => (ms + 59_999) / 60_000,
        };
        let why = match lang {
            Lang::Zh => format!("查询失败次数过多,请 {minutes} 分钟后再试。"),
            Lang::En => format!("Too many failed lookups: try again in {minutes} min."),
        };
        let mut response = page(lang, StatusCode::TOO_MANY_REQUESTS, &asked, Some(why));
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(minutes * 60));
        return Ok(response);
    }
    let typed = normal_code(&asked.code);
    let found = match state.store.public_link_of_number(&number).await? {
        // Compared in constant time: how long the answer takes tells nothing.
        Some(link) if same(&link.code, &typed) => Some(link.token),
        _ => None,
    };
    let Some(token) = found else {
        state.lookups.failed(&number, address, now)?;
        let why = Label::new(
            "编号或查询码不对。查询码印在每月的进度告知函上,当事企业也可在应用中该诉求页面查看。",
            "The number or the query code is wrong. The code is printed on every monthly letter; the enterprise also sees it on the appeal's page in the app.",
        );
        return Ok(page(lang, StatusCode::NOT_FOUND, &asked, Some(why.get(lang).to_string())));
    };
    state.lookups.succeeded(&number)?;
    audit(&state, AuditEntry::new(now, "public", "lookup", None, number)).await?;
    Ok(Redirect::to(&format!("/p/{token}")).into_response())
}

/// Whether two codes are equal, comparing every byte either way.
fn same(kept: &str, typed: &str) -> bool {
    kept.len() == typed.len() && kept.bytes().zip(typed.bytes()).fold(0, |acc, (a, b)| acc | (a ^ b)) == 0
}

fn page(lang: Lang, status: StatusCode, asked: &Asked, why: Option<String>) -> Response {
    public_page(lang, status, TITLE.get(lang), form_body(lang, asked, why))
}

fn form_body(lang: Lang, asked: &Asked, why: Option<String>) -> Markup {
    html! {
        h1 { (TITLE.get(lang)) }
        p {
            (lang.pick(
                "输入诉求编号和查询码,查看公开办理进度。查询码印在每月的进度告知函上。",
                "Enter the appeal's number and its query code to see its public progress. The code is printed on every monthly letter.",
            ))
        }
        form.lookup method="post" action="/lookup" {
            label {
                (lang.pick("诉求编号", "Appeal number"))
                input name="number" required autocomplete="off" placeholder="HZ-2026-000123" value=(asked.number);
            }
            label {
                (lang.pick("查询码", "Query code"))
                input name="code" required autocomplete="off" maxlength=(CODE_LENGTH + 4) placeholder="ABCD2345";
            }
            @if let Some(why) = why { p.error role="alert" { (why) } }
            button type="submit" { (lang.pick("查询", "Look up")) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_only_when_equal() {
        assert!(same("ABCD2345", "ABCD2345"));
        assert!(!same("ABCD2345", "ABCD2346"));
        assert!(!same("ABCD2345", "ABCD234"));
        assert!(!same("ABCD2345", ""));
    }
}
