//! Public ratings (`/ratings`): the ratings enterprises chose to publish,
//! newest first, with their score and 好差评 level — never the comment,
//! which is the enterprise's own words. Plain HTML like the other public
//! pages.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::directory::CITY;
use domain::public::public_ratings;
use maud::html;

use crate::pages::layout::{Names, public_page};
use crate::{AppState, ServerError, blocking};

/// How many ratings the page lists.
const SHOWN: usize = 200;

pub async fn ratings(State(state): State<AppState>) -> Result<Response, ServerError> {
    let cases = state.store.cases_of_district(CITY).await?;
    let policy = state.policy.current();
    let names = Names::of(&policy.directory);
    let mut all: Vec<_> =
        blocking(move || Ok(cases.iter().flat_map(|case| public_ratings(case, &case.state())).collect())).await?;
    all.sort_by(|a, b| (b.day, &b.number).cmp(&(a.day, &a.number)));
    let body = html! {
        h1 { "企业公开评价" }
        p { "企业自愿公开的办理评价 " (all.len()) " 条(只公开分数与等级,不公开评价内容)。" }
        table {
            thead { tr { th { "日期" } th { "编号" } th { "类别" } th { "区县" } th { "牵头部门" } th { "评分" } } }
            tbody {
                @for r in all.iter().take(SHOWN) {
                    tr data-score=(r.score) {
                        td { (r.day) }
                        td.n { (r.number.as_deref().unwrap_or("—")) }
                        td data-label="类别" { (names.category(&r.category)) }
                        td data-label="区县" { (names.district(&r.district)) }
                        td data-label="牵头部门" { (r.lead_department.as_deref().map_or("—", |d| names.unit(d))) }
                        td data-label="评分" { (r.score) " 分 · " (r.level.label().zh) }
                    }
                }
            }
        }
    };
    Ok(public_page(StatusCode::OK, "企业公开评价", body))
}
