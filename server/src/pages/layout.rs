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
use domain::label::Label;
use domain::public::PublicCase;
use domain::roster::Roster;
use maud::{DOCTYPE, Markup, html};

use crate::pages::lang::{self, Lang};

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

/// The programme's name, at the top of every page.
const PROGRAMME: Label = Label::new("惠州市办理企业困难直通车", "Huizhou Direct Line for Enterprises");

/// The link to the same page in the other language.
fn switch(lang: Lang) -> Markup {
    let other = lang::other(lang);
    html! { a.lang href={ "?lang=" (other.tag()) } hreflang=(other.tag()) lang=(other.tag()) { (other.pick("中文", "English")) } }
}

/// A public page: the programme's header with links to the other public
/// pages, and a footer saying what the page leaves out. Read fresh each time.
pub fn public_page(lang: Lang, status: StatusCode, title: &str, body: Markup) -> Response {
    let document = html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            (head(title, true))
            body {
                header {
                    (PROGRAMME.get(lang))
                    nav {
                        a href="/board" { (lang.pick("公示栏", "Board")) }
                        a href="/stats" { (lang.pick("数据分析", "Statistics")) }
                        a href="/ratings" { (lang.pick("公开评价", "Ratings")) }
                        a href="/sessions" { (lang.pick("现场活动", "Sessions")) }
                        a href="/lookup" { (lang.pick("进度查询", "Look up")) }
                        (switch(lang))
                    }
                }
                main { (body) }
                footer {
                    (lang.pick(
                        "本页只公开办理进度,不含企业联系方式与附件。",
                        "This page shows progress only: no enterprise contacts and no attachments.",
                    ))
                }
            }
        }
    };
    respond(status, document, PAGE_POLICY, "no-cache")
}

/// A page for signed-in readers only (internal reports, the audit log):
/// the public pages' look, kept out of every cache.
pub fn internal_page(lang: Lang, status: StatusCode, section: &str, title: &str, body: Markup) -> Response {
    let document = html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            (head(title, false))
            body {
                header { (PROGRAMME.get(lang)) " · " (section) nav { (switch(lang)) } }
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

/// A page saying what was not found or may not be seen, with a way on.
pub fn message(lang: Lang, heading: Label, detail: Option<Label>) -> Markup {
    html! { h1 { (heading.get(lang)) } @if let Some(d) = detail { p { (d.get(lang)) } } }
}

/// The page for a reader who is not signed in.
pub fn sign_in_first(lang: Lang, heading: Label) -> Markup {
    html! {
        h1 { (heading.get(lang)) }
        p { a href="/signin" { (lang.pick("登录", "Sign in")) } " · " a href="/" { (lang.pick("返回直通车", "Back to Direct Line")) } }
    }
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
        (header::VARY, "Accept-Language, Cookie"),
    ];
    (status, headers, document.into_string()).into_response()
}

/// "(暂定)" beside a deadline in a year whose official holiday
/// arrangement is not published yet; nothing otherwise.
pub fn provisional(provisional: bool, lang: Lang) -> Markup {
    let why = lang.pick(
        "该年度放假安排尚未公布,期限按法定节假日暂算",
        "This year's holiday arrangement is not published yet: the deadline counts statutory holidays only",
    );
    html! {
        @if provisional {
            span.provisional title=(why) { "(" (domain::calendar::PROVISIONAL.get(lang)) ")" }
        }
    }
}

/// A deadline's light as a coloured word.
pub fn light(light: Light, lang: Lang) -> Markup {
    let (class, word) = match light {
        Light::Green => ("l g", Label::new("正常", "on track")),
        Light::Yellow => ("l y", Label::new("临近期限", "due soon")),
        Light::Red => ("l r", Label::new("已超期", "overdue")),
    };
    html! { span class=(class) { (word.get(lang)) } }
}

/// Names from the directory in force in the reader's language, or a dash
/// for a code it does not know; and, where given the roster, officials'
/// names.
pub struct Names<'a> {
    directory: &'a Directory,
    roster: Option<&'a Roster>,
    pub lang: Lang,
}

impl<'a> Names<'a> {
    pub fn of(directory: &'a Directory, lang: Lang) -> Names<'a> {
        Names { directory, roster: None, lang }
    }

    pub fn with_people(directory: &'a Directory, roster: &'a Roster, lang: Lang) -> Names<'a> {
        Names { directory, roster: Some(roster), lang }
    }

    pub fn directory(&self) -> &'a Directory {
        self.directory
    }

    pub fn unit(&self, code: &str) -> &'a str {
        self.directory.unit(code).map_or("—", |u| u.name.get(self.lang))
    }

    pub fn district(&self, code: &str) -> &'a str {
        self.directory.district(code).map_or("—", |d| d.name.get(self.lang))
    }

    pub fn category(&self, code: &str) -> &'a str {
        self.directory.category(code).map_or("—", |c| c.name.get(self.lang))
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
    let lang = names.lang;
    let mut rows = Vec::new();
    if let Some(lead) = &case.lead_department {
        rows.push((lang.pick("牵头部门", "Lead department"), html! { (names.unit(lead)) }));
    }
    if !case.assisting.is_empty() {
        let units: Vec<&str> = case.assisting.iter().map(|d| names.unit(d)).collect();
        rows.push((lang.pick("协办部门", "Assisting"), html! { (units.join(lang.pick("、", ", "))) }));
    }
    if let Some(leader) = &case.lead_leader {
        rows.push((lang.pick("牵头领导", "Lead leader"), html! { (names.person(leader)) }));
    }
    if let Some((due, l)) = case.due {
        let value = html! { (due) (provisional(case.due_provisional, lang)) " " (light(l, lang)) };
        rows.push((lang.pick("办理期限", "Due"), value));
    }
    rows
}
