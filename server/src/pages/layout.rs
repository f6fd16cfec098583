//! The one layout of the server's pages: the document around a page's
//! body, the response headers that go with it, and the small pieces several
//! pages show (a deadline light, a unit's name, who answers for a case).
//!
//! Pages are maud templates: every text is escaped unless a template says
//! otherwise, and nothing here does. No page runs script; the styles come
//! from one stylesheet (`/pages.css`), so the policy forbids inline ones.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::deadline::Light;
use domain::directory::Directory;
use domain::public::PublicCase;
use domain::roster::Roster;
use maud::{DOCTYPE, Markup, html};

/// Where the pages' stylesheet is served.
pub const STYLESHEET: &str = "/pages.css";

const CSS: &str = include_str!("pages.css");

/// What a page may load: its stylesheet and the QR code, both from here.
const PAGE_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'";

/// `GET /pages.css`.
pub async fn stylesheet() -> Response {
    let headers = [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")];
    (headers, CSS).into_response()
}

/// A public page: the programme's header with links to the other public
/// pages, and a footer saying what the page leaves out. Read fresh each time.
pub fn public_page(status: StatusCode, title: &str, body: Markup) -> Response {
    let document = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            (head(title, true))
            body {
                header {
                    "惠州市办理企业困难直通车"
                    nav { a href="/board" { "公示栏" } a href="/stats" { "数据分析" } a href="/ratings" { "公开评价" } }
                }
                main { (body) }
                footer { "本页只公开办理进度,不含企业联系方式与附件。" }
            }
        }
    };
    respond(status, document, PAGE_POLICY, "no-cache")
}

/// A page for signed-in readers only (internal reports, the audit log):
/// the public pages' look, kept out of every cache.
pub fn internal_page(status: StatusCode, section: &str, title: &str, body: Markup) -> Response {
    let document = html! {
        (DOCTYPE)
        html lang="zh-CN" {
            (head(title, false))
            body {
                header { "惠州市办理企业困难直通车 · " (section) }
                main { (body) }
            }
        }
    };
    respond(status, document, PAGE_POLICY, "private, no-store")
}

/// An archived letter, as issued. A letter is a document its reader keeps
/// and prints, so it carries its own styles: the policy allows inline
/// styles for it alone (styles run nothing, and nothing may be loaded).
pub fn letter_document(status: StatusCode, document: String) -> Response {
    respond(status, maud::PreEscaped(document), "default-src 'none'; style-src 'unsafe-inline'", "private, no-store")
}

fn head(title: &str, public: bool) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width,initial-scale=1";
            @if public { meta name="robots" content="noindex"; }
            title { (title) }
            link rel="stylesheet" href=(STYLESHEET);
        }
    }
}

fn respond(status: StatusCode, document: Markup, policy: &'static str, cache: &'static str) -> Response {
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CONTENT_SECURITY_POLICY, policy),
        (header::CACHE_CONTROL, cache),
    ];
    (status, headers, document.into_string()).into_response()
}

/// A deadline's light as a coloured word.
/// "(暂定)" beside a deadline in a year whose official holiday
/// arrangement is not published yet; nothing otherwise.
pub fn provisional(provisional: bool) -> Markup {
    html! {
        @if provisional {
            span.provisional title="该年度放假安排尚未公布,期限按法定节假日暂算" { "(" (domain::calendar::PROVISIONAL.zh) ")" }
        }
    }
}

pub fn light(light: Light) -> Markup {
    let (class, word) = match light {
        Light::Green => ("l g", "正常"),
        Light::Yellow => ("l y", "临近期限"),
        Light::Red => ("l r", "已超期"),
    };
    html! { span class=(class) { (word) } }
}

/// Chinese names from the directory in force, or a dash for a code it
/// does not know; and, where given the roster, officials' names.
pub struct Names<'a> {
    directory: &'a Directory,
    roster: Option<&'a Roster>,
}

impl<'a> Names<'a> {
    pub fn of(directory: &'a Directory) -> Names<'a> {
        Names { directory, roster: None }
    }

    pub fn with_people(directory: &'a Directory, roster: &'a Roster) -> Names<'a> {
        Names { directory, roster: Some(roster) }
    }

    pub fn unit(&self, code: &str) -> &'a str {
        self.directory.unit(code).map_or("—", |u| u.name.zh.as_str())
    }

    pub fn district(&self, code: &str) -> &'a str {
        self.directory.district(code).map_or("—", |d| d.name.zh.as_str())
    }

    pub fn category(&self, code: &str) -> &'a str {
        self.directory.category(code).map_or("—", |c| c.name.zh.as_str())
    }

    /// An official's name; what a case names that is no account (a lead
    /// leader typed as text before leaders were accounts) as it is.
    pub fn person<'p>(&self, id: &'p str) -> &'p str
    where
        'a: 'p,
    {
        self.roster.and_then(|r| r.get(id)).map_or(id, |o| o.name.as_str())
    }
}

/// Who answers for the case and by when, as (label, value) rows: the
/// public page and the monthly letter both show them.
pub fn responsibility(case: &PublicCase, names: &Names<'_>) -> Vec<(&'static str, Markup)> {
    let mut rows = Vec::new();
    if let Some(lead) = &case.lead_department {
        rows.push(("牵头部门", html! { (names.unit(lead)) }));
    }
    if !case.assisting.is_empty() {
        let names: Vec<&str> = case.assisting.iter().map(|d| names.unit(d)).collect();
        rows.push(("协办部门", html! { (names.join("、")) }));
    }
    if let Some(leader) = &case.lead_leader {
        rows.push(("牵头领导", html! { (names.person(leader)) }));
    }
    if let Some((due, l)) = case.due {
        rows.push(("办理期限", html! { (due) (provisional(case.due_provisional)) " " (light(l)) }));
    }
    rows
}
