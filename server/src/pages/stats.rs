//! The public statistics page (`/stats`, `/stats/{district}`): appeals by
//! month, category and district, the on-time rate, time to resolve and
//! ratings as SVG charts, and the department league table. Counts only;
//! what a case contributes is [`domain::stats::CaseFacts`].

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::directory::CITY;
use domain::label::Label;
use domain::stats::{CaseFacts, LEVELS, Programme, RESOLVE_BUCKETS, Statistics};
use domain::time::Day;
use maud::{Markup, html};

use crate::pages::charts::{Series, columns, count, percent, rows};
use crate::pages::lang::{Lang, PageLang};
use crate::pages::layout::{Names, message, public_page};
use crate::pages::programme;
use crate::{AppState, ServerError, blocking};

/// `GET /stats`: the whole city.
pub async fn city(state: State<AppState>, lang: PageLang) -> Result<Response, ServerError> {
    district(state, lang, Path(CITY.to_string())).await
}

/// `GET /stats/{district}`.
pub async fn district(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path(code): Path<String>,
) -> Result<Response, ServerError> {
    let policy = state.policy.current();
    let Ok(place) = policy.directory.district(&code) else {
        let body = message(lang, Label::new("没有这个区县", "No such district"), None);
        return Ok(public_page(lang, StatusCode::NOT_FOUND, lang.pick("未找到", "Not found"), body));
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
    let figures = Programme::of(&facts);
    let title = format!("{} {}", place.name.get(lang), lang.pick("数据分析", "statistics"));
    let names = Names::of(&policy.directory, lang);
    let page = html! { (body(&title, &place.code, today, &stats, &names)) (programme::section(&figures, &names)) };
    Ok(public_page(lang, StatusCode::OK, &title, page))
}

fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), percent)
}

fn body(title: &str, place: &str, today: Day, stats: &Statistics, names: &Names<'_>) -> Markup {
    let lang = names.lang;
    let average = stats.average_score.map_or_else(|| "—".to_string(), |s| format!("{s:.1}"));
    let median = stats.median_days_to_resolve.map_or_else(|| "—".to_string(), |d| d.to_string());
    let on_time = rate_text(stats.on_time_rate());
    let summary = match lang {
        Lang::Zh => html! {
            "截至 " (today) ":受理诉求 " b data-k="submitted" { (stats.submitted) } " 件,已办结 "
            b data-k="resolved" { (stats.resolved) } " 件,按期办结率 " b data-k="on-time" { (on_time) }
            ",办结用时中位数 " b { (median) } " 个工作日,企业平均评分 " b { (average) } "。"
        },
        Lang::En => html! {
            "As of " (today) ": " b data-k="submitted" { (stats.submitted) } " appeals received, "
            b data-k="resolved" { (stats.resolved) } " resolved, " b data-k="on-time" { (on_time) }
            " on time; median time to resolve " b { (median) } " working days; average rating " b { (average) } "."
        },
    };
    html! {
        h1 { (title) }
        nav.d {
            @for d in &names.directory().districts {
                a href={ "/stats/" (d.code) } aria-current=[(d.code == place).then_some("page")] { (d.name.get(lang)) } " "
            }
        }
        p { (summary) }
        div.charts { @for (caption, chart) in charts(place, stats, names) { figure { figcaption { (caption) } (chart) } } }
        (league(stats, names))
    }
}

/// A month's label on a chart's axis: "12月" or "Dec".
fn month_label(month: &str, lang: Lang) -> String {
    let number: usize = month.get(5..).and_then(|m| m.parse().ok()).unwrap_or(0);
    const EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match lang {
        Lang::Zh => format!("{number}月"),
        Lang::En => EN.get(number.wrapping_sub(1)).copied().unwrap_or("?").to_string(),
    }
}

/// The page's charts, each with its caption.
fn charts(place: &str, stats: &Statistics, names: &Names<'_>) -> Vec<(&'static str, Markup)> {
    let lang = names.lang;
    let labels: Vec<String> = stats.months.iter().map(|m| month_label(&m.month, lang)).collect();
    let counts =
        |f: fn(&domain::stats::MonthCount) -> u32| stats.months.iter().map(|m| Some(f64::from(f(m)))).collect();
    let by_month = [
        Series { name: lang.pick("受理", "received"), colour: "#b3261e", values: counts(|m| m.submitted) },
        Series { name: lang.pick("办结", "resolved"), colour: "#1e7e34", values: counts(|m| m.resolved) },
    ];
    let on_time = [Series {
        name: lang.pick("按期办结率", "resolved on time"),
        colour: "#1e5fb3",
        values: stats.months.iter().map(|m| domain::stats::rate(m.on_time, m.resolved)).collect(),
    }];
    let named = |list: &[(String, u32)], name: &dyn Fn(&str) -> String| {
        list.iter().map(|(code, n)| (name(code), f64::from(*n))).collect::<Vec<_>>()
    };
    let by_category = named(&stats.by_category, &|c| names.category(c).to_string());
    let mut charts = vec![
        (
            lang.pick("按月受理与办结", "Received and resolved by month"),
            columns(lang.pick("按月受理与办结(件)", "Received and resolved by month"), &labels, &by_month, count),
        ),
        (
            lang.pick("按月按期办结率", "Resolved on time, by month"),
            columns(lang.pick("按月按期办结率", "Resolved on time, by month"), &labels, &on_time, percent),
        ),
        (
            lang.pick("按类别", "By category"),
            rows(lang.pick("各类别诉求(件)", "Appeals by category"), &by_category, "#b3261e", count),
        ),
    ];
    if place == CITY {
        let by_district = named(&stats.by_district, &|d| names.district(d).to_string());
        charts.push((
            lang.pick("按区县", "By district"),
            rows(lang.pick("各区县诉求(件)", "Appeals by district"), &by_district, "#b3261e", count),
        ));
    }
    let days = lang.pick("个工作日", "working days");
    let buckets: Vec<(String, f64)> = RESOLVE_BUCKETS
        .iter()
        .zip(stats.resolve_buckets)
        .map(|((_, label), n)| (format!("{label} {days}"), f64::from(n)))
        .collect();
    charts.push((
        lang.pick("办结用时", "Time to resolve"),
        rows(lang.pick("办结用时(件)", "Appeals by time to resolve"), &buckets, "#1e7e34", count),
    ));
    let levels: Vec<(String, f64)> =
        LEVELS.iter().zip(stats.rating_levels).map(|(l, n)| (l.label().get(lang).to_string(), f64::from(n))).collect();
    charts.push((
        lang.pick("企业评价", "Enterprises' ratings"),
        rows(lang.pick("企业评价(条)", "Ratings by level"), &levels, "#8a5a00", count),
    ));
    charts
}

/// The department league table: who resolves on time, how well the
/// enterprises rate it, how often its work comes back, what is overdue now.
fn league(stats: &Statistics, names: &Names<'_>) -> Markup {
    let lang = names.lang;
    let heads = [
        lang.pick("名次 · 牵头部门", "Rank · lead department"),
        lang.pick("牵头件数", "Led"),
        lang.pick("按期办结率", "On time"),
        lang.pick("平均评分", "Average rating"),
        lang.pick("重办率", "Reopened"),
        lang.pick("差评率", "Bad reviews"),
        lang.pick("当前超期", "Overdue now"),
    ];
    html! {
        h2 { (lang.pick("部门办理排行榜", "Department league table")) }
        table.league {
            thead { tr { @for h in heads { th { (h) } } } }
            tbody {
                @for (i, row) in stats.departments.iter().enumerate() {
                    tr data-department=(row.department) {
                        td { b { (i + 1) } " " (names.unit(&row.department)) }
                        td data-label=(heads[1]) { (row.led) }
                        td data-label=(heads[2]) {
                            (rate_text(row.on_time_rate())) " " small { "(" (row.on_time) "/" (row.resolved) ")" }
                        }
                        td data-label=(heads[3]) {
                            (row.average_score().map_or_else(|| "—".to_string(), |s| format!("{s:.1}")))
                        }
                        td data-label=(heads[4]) { (rate_text(row.reopen_rate())) }
                        td data-label=(heads[5]) { (rate_text(row.bad_review_rate())) }
                        td data-label=(heads[6]) { (row.overdue) }
                    }
                }
            }
        }
        p.note {
            (lang.pick(
                "按期办结率:首次办结在期限内的比例;重办率:办结后又重新办理的比例;当前超期:今天仍在办且已超期的件数。",
                "On time: first resolutions within the deadline; reopened: resolutions worked on again; overdue now: open cases past their deadline today.",
            ))
        }
    }
}
