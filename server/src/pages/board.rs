//! The monthly supervision board (挂图督办公示栏) of a district: every case
//! open at the end of the month (or today, for this month) with its
//! responsible unit, deadline and light. Public, plain HTML, printable on
//! A4 or A3 landscape; what each row shows is [`domain::public::BoardEntry`].

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::public::{BoardEntry, board_entry};
use domain::time::{Day, month_span};
use maud::{Markup, html};

use crate::pages::layout::{Names, light, provisional, public_page};
use crate::{AppState, ServerError, blocking};

/// `GET /board`: this month's board of each district.
pub async fn index(State(state): State<AppState>) -> Response {
    let today = Day::of_instant(state.clock.now_ms());
    let month = format!("{:04}-{:02}", today.year(), today.month());
    let policy = state.policy.current();
    let body = html! {
        h1 { "挂图督办公示栏 · " (month) }
        ul { @for d in &policy.directory.districts { li { a href={ "/board/" (d.code) "/" (month) } { (d.name.zh) } } } }
    };
    public_page(StatusCode::OK, "挂图督办公示栏", body)
}

/// `GET /board/{district}/{YYYY-MM}`.
pub async fn board(
    State(state): State<AppState>,
    Path((district, month)): Path<(String, String)>,
) -> Result<Response, ServerError> {
    let policy = state.policy.current();
    let (Ok(place), Some(end)) = (policy.directory.district(&district), month_span(&month).map(|(_, end)| end)) else {
        let body = html! { h1 { "没有这个公示栏" } p { "区县或月份有误。" } };
        return Ok(public_page(StatusCode::NOT_FOUND, "未找到", body));
    };
    let today = Day::of_instant(state.clock.now_ms());
    if end.plus_days(-31) > today {
        return Ok(public_page(StatusCode::NOT_FOUND, "未找到", html! { h1 { "这个月份还没有到" } }));
    }
    let day = end.min(today);
    let cases = state.store.cases_of_district(&district).await?;
    let rules = policy.clone();
    let mut entries = blocking(move || {
        let mut entries = Vec::new();
        for case in cases {
            entries.extend(board_entry(&case, &rules.calendar, rules.rules_for(&case), day));
        }
        Ok(entries)
    })
    .await?;
    // The reddest first, then the nearest deadline.
    entries.sort_by(|a, b| (b.light, a.due, &a.number).cmp(&(a.light, b.due, &b.number)));
    let title = format!("{} {}年{}月 挂图督办公示栏", place.name.zh, end.year(), end.month());
    Ok(public_page(
        StatusCode::OK,
        &title,
        table(&title, day, &entries, &Names::with_people(&policy.directory, &state.officials.current())),
    ))
}

fn table(title: &str, day: Day, entries: &[BoardEntry], names: &Names<'_>) -> Markup {
    html! {
        h1 { (title) }
        p { "截至 " (day) ",在办诉求 " (entries.len()) " 件" }
        table {
            thead { tr { th { "编号" } th { "诉求" } th { "类别" } th { "牵头部门" } th { "牵头领导" } th { "状态" } th { "期限" } } }
            tbody {
                @for e in entries {
                    tr data-light=(format!("{:?}", e.light)) {
                        td.n { (e.number.as_deref().unwrap_or("—")) }
                        td { (e.title.as_deref().unwrap_or("(标题待审核后公开)")) }
                        td data-label="类别" { (names.category(&e.category)) }
                        td data-label="牵头部门" { (e.lead_department.as_deref().map_or("—", |d| names.unit(d))) }
                        td data-label="牵头领导" { (e.lead_leader.as_deref().map_or("—", |l| names.person(l))) }
                        td data-label="状态" { (e.status.label().zh) }
                        td data-label="期限" {
                            @match e.due { Some(due) => { (due) (provisional(e.due_provisional)) }, None => "—" }
                            " " (light(e.light))
                        }
                    }
                }
            }
        }
    }
}
