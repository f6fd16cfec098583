//! The public statistics page (`/stats`, `/stats/{district}`): appeals by
//! month, category and district, the on-time rate, time to resolve and
//! ratings as SVG charts, and the department league table. Counts only;
//! what a case contributes is [`domain::stats::CaseFacts`].

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::directory::CITY;
use domain::directory::{self, DISTRICTS};
use domain::stats::{CaseFacts, LEVELS, RESOLVE_BUCKETS, Statistics};
use domain::time::Day;

use crate::pages::charts::{Series, columns, count, percent, rows};
use crate::pages::public::{escape, html};
use crate::{AppState, ServerError, blocking};

/// `GET /stats`: the whole city.
pub async fn city(state: State<AppState>) -> Result<Response, ServerError> {
    district(state, Path(CITY.to_string())).await
}

/// `GET /stats/{district}`.
pub async fn district(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response, ServerError> {
    let Ok(place) = directory::district(&code) else {
        return Ok(html(StatusCode::NOT_FOUND, "未找到", "<h1>没有这个区县</h1>"));
    };
    let today = Day::of_instant(state.clock.now_ms());
    let cases = state.store.cases_of_district(&code).await?;
    let policy = state.policy.clone();
    let facts: Vec<CaseFacts> = blocking(move || {
        let facts = cases
            .iter()
            .map(|case| CaseFacts::of(case, &case.state(), &policy.calendar, policy.rules_for(case), today));
        Ok(facts.collect())
    })
    .await?;
    let stats = Statistics::of(&facts, today);
    let title = format!("{} 数据分析", place.zh);
    Ok(html(StatusCode::OK, &title, &body(&title, place.code, today, &stats)))
}

fn name_of(entry: Result<&'static directory::Entry, domain::DomainError>, code: &str) -> String {
    entry.map_or_else(|_| code.to_string(), |e| e.zh.to_string())
}

fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), percent)
}

fn body(title: &str, place: &str, today: Day, stats: &Statistics) -> String {
    let mut html = format!("<h1>{title}</h1><nav class=\"d\">");
    for d in DISTRICTS {
        let current = if d.code == place { " aria-current=\"page\"" } else { "" };
        html.push_str(&format!("<a href=\"/stats/{}\"{current}>{}</a> ", d.code, d.zh));
    }
    html.push_str("</nav>");
    let average = stats.average_score.map_or_else(|| "—".to_string(), |s| format!("{s:.1}"));
    let median = stats.median_days_to_resolve.map_or_else(|| "—".to_string(), |d| d.to_string());
    html.push_str(&format!(
        "<p>截至 {today}:受理诉求 <b data-k=\"submitted\">{}</b> 件,已办结 <b data-k=\"resolved\">{}</b> 件,\
         按期办结率 <b data-k=\"on-time\">{}</b>,办结用时中位数 <b>{median}</b> 个工作日,企业平均评分 <b>{average}</b>。</p>",
        stats.submitted,
        stats.resolved,
        rate_text(stats.on_time_rate()),
    ));
    html.push_str("<div class=\"charts\">");
    let labels: Vec<String> =
        stats.months.iter().map(|m| format!("{}月", m.month[5..].trim_start_matches('0'))).collect();
    let counts =
        |f: fn(&domain::stats::MonthCount) -> u32| stats.months.iter().map(|m| Some(f64::from(f(m)))).collect();
    let by_month = [
        Series { name: "受理", colour: "#b3261e", values: counts(|m| m.submitted) },
        Series { name: "办结", colour: "#1e7e34", values: counts(|m| m.resolved) },
    ];
    html.push_str(&figure("按月受理与办结", &columns("按月受理与办结(件)", &labels, &by_month, count)));
    let on_time = [Series {
        name: "按期办结率",
        colour: "#1e5fb3",
        values: stats.months.iter().map(|m| domain::stats::rate(m.on_time, m.resolved)).collect(),
    }];
    html.push_str(&figure("按月按期办结率", &columns("按月按期办结率", &labels, &on_time, percent)));
    let named = |list: &[(String, u32)], look: fn(&str) -> Result<&'static directory::Entry, domain::DomainError>| {
        list.iter().map(|(code, n)| (name_of(look(code), code), f64::from(*n))).collect::<Vec<_>>()
    };
    let categories = named(&stats.by_category, directory::category);
    html.push_str(&figure("按类别", &rows("各类别诉求(件)", &categories, "#b3261e", count)));
    if place == CITY {
        let districts = named(&stats.by_district, directory::district);
        html.push_str(&figure("按区县", &rows("各区县诉求(件)", &districts, "#b3261e", count)));
    }
    let buckets: Vec<(String, f64)> = RESOLVE_BUCKETS
        .iter()
        .zip(stats.resolve_buckets)
        .map(|((_, label), n)| (format!("{label} 个工作日"), f64::from(n)))
        .collect();
    html.push_str(&figure("办结用时", &rows("办结用时(件)", &buckets, "#1e7e34", count)));
    let levels: Vec<(String, f64)> =
        LEVELS.iter().zip(stats.rating_levels).map(|(l, n)| (l.zh().to_string(), f64::from(n))).collect();
    html.push_str(&figure("企业评价", &rows("企业评价(条)", &levels, "#8a5a00", count)));
    html.push_str("</div>");
    html.push_str(&league(stats));
    html
}

fn figure(caption: &str, svg: &str) -> String {
    format!("<figure><figcaption>{caption}</figcaption>{svg}</figure>")
}

/// The department league table: who resolves on time, how well the
/// enterprises rate it, how often its work comes back, what is overdue now.
fn league(stats: &Statistics) -> String {
    let mut html = String::from(
        "<h2>部门办理排行榜</h2><table class=\"league\"><thead><tr><th>名次 · 牵头部门</th><th>牵头件数</th>\
         <th>按期办结率</th><th>平均评分</th><th>重办率</th><th>差评率</th><th>当前超期</th></tr></thead><tbody>",
    );
    for (i, row) in stats.departments.iter().enumerate() {
        let average = row.average_score().map_or_else(|| "—".to_string(), |s| format!("{s:.1}"));
        html.push_str(&format!(
            "<tr data-department=\"{}\"><td><b>{}</b> {}</td><td data-label=\"牵头件数\">{}</td>\
             <td data-label=\"按期办结率\">{} <small>({}/{})</small></td><td data-label=\"平均评分\">{average}</td>\
             <td data-label=\"重办率\">{}</td><td data-label=\"差评率\">{}</td><td data-label=\"当前超期\">{}</td></tr>",
            escape(&row.department),
            i + 1,
            escape(&name_of(directory::department(&row.department), &row.department)),
            row.led,
            rate_text(row.on_time_rate()),
            row.on_time,
            row.resolved,
            rate_text(row.reopen_rate()),
            rate_text(row.bad_review_rate()),
            row.overdue,
        ));
    }
    html.push_str("</tbody></table><p class=\"note\">按期办结率:首次办结在期限内的比例;重办率:办结后又重新办理的比例;当前超期:今天仍在办且已超期的件数。</p>");
    html
}
