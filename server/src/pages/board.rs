//! The monthly supervision board (挂图督办公示栏) of a district: every case
//! open at the end of the month (or today, for this month) with its
//! responsible unit, deadline and light. Public, plain HTML, printable on
//! A4 or A3 landscape; what each row shows is [`domain::public::BoardEntry`].

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::directory::{self, DISTRICTS};
use domain::public::{BoardEntry, board_entry};
use domain::time::{Day, month_span};

use crate::pages::public::{escape, html, light};
use crate::{AppState, ServerError, blocking};

/// `GET /board`: this month's board of each district.
pub async fn index(State(state): State<AppState>) -> Response {
    let today = Day::of_instant(state.clock.now_ms());
    let month = format!("{:04}-{:02}", today.year(), today.month());
    let mut body = format!("<h1>挂图督办公示栏 · {month}</h1><ul>");
    for d in DISTRICTS {
        body.push_str(&format!("<li><a href=\"/board/{}/{month}\">{}</a></li>", d.code, d.zh));
    }
    body.push_str("</ul>");
    html(StatusCode::OK, "挂图督办公示栏", &body)
}

/// `GET /board/{district}/{YYYY-MM}`.
pub async fn board(
    State(state): State<AppState>,
    Path((district, month)): Path<(String, String)>,
) -> Result<Response, ServerError> {
    let (Ok(place), Some(end)) = (directory::district(&district), month_span(&month).map(|(_, end)| end)) else {
        return Ok(html(StatusCode::NOT_FOUND, "未找到", "<h1>没有这个公示栏</h1><p>区县或月份有误。</p>"));
    };
    let today = Day::of_instant(state.clock.now_ms());
    if end.plus_days(-31) > today {
        return Ok(html(StatusCode::NOT_FOUND, "未找到", "<h1>这个月份还没有到</h1>"));
    }
    let day = end.min(today);
    let cases = state.store.cases_of_district(&district).await?;
    let policy = state.policy.clone();
    let mut entries = blocking(move || {
        let mut entries = Vec::new();
        for case in cases {
            entries.extend(board_entry(&case, &policy.calendar, policy.rules_for(&case), day));
        }
        Ok(entries)
    })
    .await?;
    // The reddest first, then the nearest deadline.
    entries.sort_by(|a, b| (b.light, a.due, &a.number).cmp(&(a.light, b.due, &b.number)));
    let title = format!("{} {}年{}月 挂图督办公示栏", place.zh, end.year(), end.month());
    Ok(html(StatusCode::OK, &title, &table(&title, day, &entries)))
}

fn table(title: &str, day: Day, entries: &[BoardEntry]) -> String {
    let mut body = format!(
        "<h1>{}</h1><p>截至 {day},在办诉求 {} 件</p><table><thead><tr>\
         <th>编号</th><th>诉求</th><th>类别</th><th>牵头部门</th><th>牵头领导</th><th>状态</th><th>期限</th></tr></thead><tbody>",
        escape(title),
        entries.len()
    );
    for e in entries {
        let lead = e.lead_department.as_deref().map_or("—", |d| directory::department(d).map_or("—", |x| x.zh));
        let due = e.due.map_or_else(|| "—".to_string(), |d| d.to_string());
        body.push_str(&format!(
            "<tr data-light=\"{:?}\"><td class=\"n\">{}</td><td>{}</td><td data-label=\"类别\">{}</td>\
             <td data-label=\"牵头部门\">{lead}</td><td data-label=\"牵头领导\">{}</td><td data-label=\"状态\">{}</td>\
             <td data-label=\"期限\">{due} {}</td></tr>",
            e.light,
            escape(e.number.as_deref().unwrap_or("—")),
            e.title.as_deref().map_or_else(|| "(标题待审核后公开)".to_string(), escape),
            directory::category(&e.category).map_or("—", |c| c.zh),
            e.lead_leader.as_deref().map_or_else(|| "—".to_string(), escape),
            e.status.zh(),
            light(e.light),
        ));
    }
    body.push_str("</tbody></table>");
    body
}
