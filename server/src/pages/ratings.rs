//! Public ratings (`/ratings`): the ratings enterprises chose to publish,
//! newest first, with their score and 好差评 level — never the comment,
//! which is the enterprise's own words. Plain HTML like the other public
//! pages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::directory;
use domain::directory::CITY;
use domain::public::public_ratings;

use crate::pages::public::{escape, html};
use crate::{AppState, ServerError, blocking};

/// How many ratings the page lists.
const SHOWN: usize = 200;

pub async fn ratings(State(state): State<AppState>) -> Result<Response, ServerError> {
    let cases = state.store.cases_of_district(CITY).await?;
    let mut all: Vec<_> =
        blocking(move || Ok(cases.iter().flat_map(|case| public_ratings(case, &case.state())).collect())).await?;
    all.sort_by(|a, b| (b.day, &b.number).cmp(&(a.day, &a.number)));
    let count = all.len();
    let mut body = format!(
        "<h1>企业公开评价</h1><p>企业自愿公开的办理评价 {count} 条(只公开分数与等级,不公开评价内容)。</p><table><thead><tr>\
         <th>日期</th><th>编号</th><th>类别</th><th>区县</th><th>牵头部门</th><th>评分</th></tr></thead><tbody>"
    );
    for r in all.iter().take(SHOWN) {
        let lead = r.lead_department.as_deref().map_or("—", |d| directory::department(d).map_or("—", |x| x.zh));
        body.push_str(&format!(
            "<tr data-score=\"{}\"><td>{}</td><td class=\"n\">{}</td><td data-label=\"类别\">{}</td>\
             <td data-label=\"区县\">{}</td><td data-label=\"牵头部门\">{lead}</td><td data-label=\"评分\">{} 分 · {}</td></tr>",
            r.score,
            r.day,
            escape(r.number.as_deref().unwrap_or("—")),
            directory::category(&r.category).map_or("—", |c| c.zh),
            directory::district(&r.district).map_or("—", |d| d.zh),
            r.score,
            r.level.zh(),
        ));
    }
    body.push_str("</tbody></table>");
    Ok(html(StatusCode::OK, "企业公开评价", &body))
}
