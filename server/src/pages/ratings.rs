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

use crate::pages::lang::{Lang, PageLang};
use crate::pages::layout::{Names, public_page};
use crate::{AppState, ServerError, blocking};

/// How many ratings the page lists.
const SHOWN: usize = 200;

pub async fn ratings(State(state): State<AppState>, PageLang(lang): PageLang) -> Result<Response, ServerError> {
    let cases = state.store.cases_of_district(CITY).await?;
    let policy = state.policy.current();
    let names = Names::of(&policy.directory, lang);
    let mut all: Vec<_> =
        blocking(move || Ok(cases.iter().flat_map(|case| public_ratings(case, &case.state())).collect())).await?;
    all.sort_by(|a, b| (b.day, &b.number).cmp(&(a.day, &a.number)));
    let heads = [
        lang.pick("日期", "Date"),
        lang.pick("编号", "Number"),
        lang.pick("类别", "Category"),
        lang.pick("区县", "District"),
        lang.pick("牵头部门", "Lead department"),
        lang.pick("评分", "Score"),
    ];
    let count = match lang {
        Lang::Zh => format!("企业自愿公开的办理评价 {} 条(只公开分数与等级,不公开评价内容)。", all.len()),
        Lang::En => format!(
            "{} ratings the enterprises chose to publish (the score and level only, never the comment).",
            all.len()
        ),
    };
    let title = lang.pick("企业公开评价", "Enterprises' published ratings");
    let body = html! {
        h1 { (title) }
        p { (count) }
        table {
            thead { tr { @for h in heads { th { (h) } } } }
            tbody {
                @for r in all.iter().take(SHOWN) {
                    tr data-score=(r.score) {
                        td { (r.day) }
                        td.n { (r.number.as_deref().unwrap_or("—")) }
                        td data-label=(heads[2]) { (names.category(&r.category)) }
                        td data-label=(heads[3]) { (names.district(&r.district)) }
                        td data-label=(heads[4]) { (r.lead_department.as_deref().map_or("—", |d| names.unit(d))) }
                        td data-label=(heads[5]) { (r.score) " " (lang.pick("分", "points")) " · " (r.level.label().get(lang)) }
                    }
                }
            }
        }
    };
    Ok(public_page(lang, StatusCode::OK, title, body))
}
