//! The quarterly common-issue report (`/reports/common-issues/{YYYY-Qn}`):
//! the quarter's appeals grouped by what they are about, so alike problems
//! are handled in one batch. For coordinators, leaders and admins, over the
//! cases they may read; it quotes the enterprises' titles, so it is never
//! public. The words come from jieba (Chinese word segmentation); the
//! grouping is [`domain::report::group_alike`].

use domain::directory::CITY;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::label::Label;
use domain::permission::Role;
use domain::report::{Group, group_alike, useful};
use domain::status::Status;
use domain::time::{Day, quarter_of, quarter_span};
use jieba_rs::Jieba;
use maud::{Markup, html};

use crate::pages::lang::{Lang, PageLang};
use crate::pages::layout::{Names, internal_page, message, sign_in_first};
use crate::security::auth::SignedIn;
use crate::store::AuditEntry;
use crate::{AppState, ServerError, audit, blocking, may_read_case};

/// The dictionary takes a moment to load: once per process.
fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// The words of a text worth comparing.
pub fn words(text: &str) -> Vec<String> {
    jieba().cut(text, true).into_iter().map(|t| t.word).filter(|w| useful(w)).map(str::to_string).collect()
}

/// One appeal of the quarter as the report lists it.
struct Appeal {
    id: String,
    number: String,
    title: String,
    district: String,
    status: Status,
    lead: Option<String>,
}

pub async fn report(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    signed_in: Result<SignedIn, Response>,
    Path(quarter): Path<String>,
) -> Result<Response, ServerError> {
    let page = |status, title: &str, body| internal_page(lang, status, lang.pick("内部分析", "Internal"), title, body);
    let Ok(SignedIn(account)) = signed_in else {
        let heading = Label::new("请先登录", "Please sign in");
        return Ok(page(StatusCode::UNAUTHORIZED, heading.get(lang), sign_in_first(lang, heading)));
    };
    if !matches!(account.user.role, Role::Coordinator | Role::Leader | Role::Admin) {
        let body = message(
            lang,
            Label::new("共性问题分析仅供协调员和领导查看", "Only coordinators and leaders see this report"),
            None,
        );
        return Ok(page(StatusCode::FORBIDDEN, lang.pick("无权查看", "Not allowed"), body));
    }
    let Some((first, last)) = quarter_span(&quarter) else {
        let body = message(
            lang,
            Label::new("季度有误", "No such quarter"),
            Some(Label::new("应写作 2026-Q4。", "Write it as 2026-Q4.")),
        );
        return Ok(page(StatusCode::NOT_FOUND, lang.pick("未找到", "Not found"), body));
    };
    let entry =
        AuditEntry::new(state.clock.now_ms(), &account.user.id, "report", None, format!("common issues {quarter}"));
    audit(&state, entry).await?;
    let cases = state.store.cases_of_district(CITY).await?;
    let user = account.user.clone();
    let (appeals, groups) = blocking(move || {
        let mut appeals = Vec::new();
        let mut texts = Vec::new();
        for case in cases {
            let case_state = case.state();
            let submitted = case_state.flow.submitted_ms.map(Day::of_instant);
            if !may_read_case(&user, &case, &case_state) || !submitted.is_some_and(|d| first <= d && d <= last) {
                continue;
            }
            texts.push(words(&format!("{} {}", case.appeal.title, case.appeal.description)));
            appeals.push(Appeal {
                id: case.id.clone(),
                number: case.number.clone().unwrap_or_default(),
                title: case.appeal.title.clone(),
                district: case.district.clone(),
                status: case_state.status(),
                lead: case_state.flow.lead_department.clone(),
            });
        }
        let groups = group_alike(&texts);
        Ok((appeals, groups))
    })
    .await?;
    let number = quarter.chars().last().unwrap_or('1');
    let title = match lang {
        Lang::Zh => format!("{}年第{number}季度 共性问题分析", first.year()),
        Lang::En => format!("Common issues, {} Q{number}", first.year()),
    };
    let policy = state.policy.current();
    Ok(page(StatusCode::OK, &title, body(&title, first, &appeals, &groups, &Names::of(&policy.directory, lang))))
}

fn body(title: &str, first: Day, appeals: &[Appeal], groups: &[Group], names: &Names<'_>) -> Markup {
    let lang = names.lang;
    let grouped: usize = groups.iter().map(|g| g.members.len()).sum();
    let (previous, next) = (quarter_of(first.plus_days(-1)), quarter_of(first.plus_days(100)));
    let heads = [
        lang.pick("编号", "Number"),
        lang.pick("诉求", "Appeal"),
        lang.pick("区县", "District"),
        lang.pick("状态", "Status"),
        lang.pick("牵头部门", "Lead department"),
    ];
    let summary = match lang {
        Lang::Zh => html! {
            "本季度受理诉求 " b data-k="appeals" { (appeals.len()) } " 件,其中 " b data-k="grouped" { (grouped) }
            " 件可归为 " b data-k="groups" { (groups.len()) } " 类共性问题,建议按类批量办理。"
        },
        Lang::En => html! {
            b data-k="appeals" { (appeals.len()) } " appeals this quarter; " b data-k="grouped" { (grouped) }
            " of them fall into " b data-k="groups" { (groups.len()) } " common issues, best handled as one batch each."
        },
    };
    html! {
        h1 { (title) }
        p {
            a href={ "/reports/common-issues/" (previous) } { "← " (previous) } " · "
            a href={ "/reports/common-issues/" (next) } { (next) " →" }
        }
        p { (summary) }
        @for (i, group) in groups.iter().enumerate() {
            section.group data-size=(group.members.len()) {
                h2 {
                    (lang.pick("共性问题 ", "Common issue ")) (i + 1) (lang.pick(":", ": "))
                    @for (j, word) in group.keywords.iter().enumerate() {
                        @if j > 0 { (lang.pick("、", ", ")) }
                        // Words of the appeals themselves, in their authors' language.
                        span.kw { (word) }
                    }
                    " (" (group.members.len()) ")"
                }
                p { (lang.pick("建议牵头部门:", "Suggested lead: ")) (batch_lead(appeals, group, names)) }
                table {
                    thead { tr { @for h in heads { th { (h) } } } }
                    tbody {
                        @for a in group.members.iter().map(|&m| &appeals[m]) {
                            tr {
                                td.n { a href={ "/case/" (a.id) } { (a.number) } }
                                td { (a.title) }
                                td data-label=(heads[2]) { (names.district(&a.district)) }
                                td data-label=(heads[3]) { (a.status.label().get(lang)) }
                                td data-label=(heads[4]) { (a.lead.as_deref().map_or("—", |d| names.unit(d))) }
                            }
                        }
                    }
                }
            }
        }
        @if groups.is_empty() {
            p { (lang.pick("本季度没有可归类的共性问题。", "No common issues this quarter.")) }
        }
    }
}

/// The department leading most of the group's cases: the natural lead of
/// the batch.
fn batch_lead(appeals: &[Appeal], group: &Group, names: &Names<'_>) -> String {
    let mut leads: BTreeMap<&str, usize> = BTreeMap::new();
    for &m in &group.members {
        if let Some(lead) = &appeals[m].lead {
            *leads.entry(lead).or_default() += 1;
        }
    }
    let lead = leads.iter().max_by_key(|(_, n)| **n).map(|(d, _)| *d);
    lead.map_or_else(|| names.lang.pick("尚未分办", "not routed yet").to_string(), |d| names.unit(d).to_string())
}
