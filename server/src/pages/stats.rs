//! The public statistics page (`/stats`, `/stats/{district}`): appeals by
//! month, category and district, the on-time rate, time to resolve and
//! ratings as SVG charts, and the department league table. Counts only;
//! what a case contributes is [`domain::stats::CaseFacts`].

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::directory::CITY;
use domain::directory::Directory;
use domain::stats::{CaseFacts, LEVELS, RESOLVE_BUCKETS, Statistics};
use domain::time::Day;
use maud::{Markup, html};

use crate::pages::charts::{Series, columns, count, percent, rows};
use crate::pages::layout::{Names, public_page};
use crate::{AppState, ServerError, blocking};

/// `GET /stats`: the whole city.
pub async fn city(state: State<AppState>) -> Result<Response, ServerError> {
    district(state, Path(CITY.to_string())).await
}

/// `GET /stats/{district}`.
pub async fn district(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response, ServerError> {
    let policy = state.policy.current();
    let Ok(place) = policy.directory.district(&code) else {
        return Ok(public_page(StatusCode::NOT_FOUND, "未找到", html! { h1 { "没有这个区县" } }));
    };
    let today = Day::of_instant(state.clock.now_ms());
    let cases = state.store.cases_of_district(&code).await?;
    let rules = policy.clone();
    let facts: Vec<CaseFacts> = blocking(move || {
        let facts =
            cases.iter().map(|case| CaseFacts::of(case, &case.state(), &rules.calendar, rules.rules_for(case), today));
        Ok(facts.collect())
    })
    .await?;
    let stats = Statistics::of(&facts, &policy.directory, today);
    let title = format!("{} 数据分析", place.name.zh);
    Ok(public_page(StatusCode::OK, &title, body(&title, &place.code, today, &stats, &policy.directory)))
}

fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), percent)
}

fn body(title: &str, place: &str, today: Day, stats: &Statistics, directory: &Directory) -> Markup {
    let names = Names::of(directory);
    let average = stats.average_score.map_or_else(|| "—".to_string(), |s| format!("{s:.1}"));
    let median = stats.median_days_to_resolve.map_or_else(|| "—".to_string(), |d| d.to_string());
    html! {
        h1 { (title) }
        nav.d {
            @for d in &directory.districts {
                a href={ "/stats/" (d.code) } aria-current=[(d.code == place).then_some("page")] { (d.name.zh) } " "
            }
        }
        p {
            "截至 " (today) ":受理诉求 " b data-k="submitted" { (stats.submitted) } " 件,已办结 "
            b data-k="resolved" { (stats.resolved) } " 件,按期办结率 " b data-k="on-time" { (rate_text(stats.on_time_rate())) }
            ",办结用时中位数 " b { (median) } " 个工作日,企业平均评分 " b { (average) } "。"
        }
        div.charts { @for (caption, chart) in charts(place, stats, &names) { figure { figcaption { (caption) } (chart) } } }
        (league(stats, &names))
    }
}

/// The page's charts, each with its caption.
fn charts(place: &str, stats: &Statistics, names: &Names<'_>) -> Vec<(&'static str, Markup)> {
    let labels: Vec<String> =
        stats.months.iter().map(|m| format!("{}月", m.month[5..].trim_start_matches('0'))).collect();
    let counts =
        |f: fn(&domain::stats::MonthCount) -> u32| stats.months.iter().map(|m| Some(f64::from(f(m)))).collect();
    let by_month = [
        Series { name: "受理", colour: "#b3261e", values: counts(|m| m.submitted) },
        Series { name: "办结", colour: "#1e7e34", values: counts(|m| m.resolved) },
    ];
    let on_time = [Series {
        name: "按期办结率",
        colour: "#1e5fb3",
        values: stats.months.iter().map(|m| domain::stats::rate(m.on_time, m.resolved)).collect(),
    }];
    let named = |list: &[(String, u32)], name: &dyn Fn(&str) -> String| {
        list.iter().map(|(code, n)| (name(code), f64::from(*n))).collect::<Vec<_>>()
    };
    let mut charts = vec![
        ("按月受理与办结", columns("按月受理与办结(件)", &labels, &by_month, count)),
        ("按月按期办结率", columns("按月按期办结率", &labels, &on_time, percent)),
        (
            "按类别",
            rows("各类别诉求(件)", &named(&stats.by_category, &|c| names.category(c).to_string()), "#b3261e", count),
        ),
    ];
    if place == CITY {
        charts.push((
            "按区县",
            rows("各区县诉求(件)", &named(&stats.by_district, &|d| names.district(d).to_string()), "#b3261e", count),
        ));
    }
    let buckets: Vec<(String, f64)> = RESOLVE_BUCKETS
        .iter()
        .zip(stats.resolve_buckets)
        .map(|((_, label), n)| (format!("{label} 个工作日"), f64::from(n)))
        .collect();
    charts.push(("办结用时", rows("办结用时(件)", &buckets, "#1e7e34", count)));
    let levels: Vec<(String, f64)> =
        LEVELS.iter().zip(stats.rating_levels).map(|(l, n)| (l.label().zh.to_string(), f64::from(n))).collect();
    charts.push(("企业评价", rows("企业评价(条)", &levels, "#8a5a00", count)));
    charts
}

/// The department league table: who resolves on time, how well the
/// enterprises rate it, how often its work comes back, what is overdue now.
fn league(stats: &Statistics, names: &Names<'_>) -> Markup {
    html! {
        h2 { "部门办理排行榜" }
        table.league {
            thead { tr {
                th { "名次 · 牵头部门" } th { "牵头件数" } th { "按期办结率" } th { "平均评分" }
                th { "重办率" } th { "差评率" } th { "当前超期" }
            } }
            tbody {
                @for (i, row) in stats.departments.iter().enumerate() {
                    tr data-department=(row.department) {
                        td { b { (i + 1) } " " (names.unit(&row.department)) }
                        td data-label="牵头件数" { (row.led) }
                        td data-label="按期办结率" {
                            (rate_text(row.on_time_rate())) " " small { "(" (row.on_time) "/" (row.resolved) ")" }
                        }
                        td data-label="平均评分" {
                            (row.average_score().map_or_else(|| "—".to_string(), |s| format!("{s:.1}")))
                        }
                        td data-label="重办率" { (rate_text(row.reopen_rate())) }
                        td data-label="差评率" { (rate_text(row.bad_review_rate())) }
                        td data-label="当前超期" { (row.overdue) }
                    }
                }
            }
        }
        p.note { "按期办结率:首次办结在期限内的比例;重办率:办结后又重新办理的比例;当前超期:今天仍在办且已超期的件数。" }
    }
}
