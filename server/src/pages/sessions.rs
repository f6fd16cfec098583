//! The public session calendar (`/sessions`): every district's monthly
//! on-site sessions of the next months (from the working-day calendar)
//! and the themed and cross-district sessions coordinators published, by
//! day. Enterprises sign up in the app, from an appeal.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use domain::directory::{CITY, THEMES};
use domain::label::Label;
use domain::meeting::{Session, open_to};
use domain::time::Day;
use maud::html;

use crate::pages::lang::PageLang;
use crate::pages::layout::{Names, public_page};
use crate::{AppState, ServerError};

const TITLE: Label = Label::new("现场活动日程", "Session calendar");

pub async fn calendar(State(state): State<AppState>, PageLang(lang): PageLang) -> Result<Response, ServerError> {
    let policy = state.policy.current();
    let today = Day::of_instant(state.clock.now_ms());
    let published = state.store.published_sessions().await?;
    let mut sessions: Vec<Session> = policy
        .directory
        .districts
        .iter()
        .filter(|d| d.code != CITY && !d.retired)
        .flat_map(|d| open_to(&policy.calendar, &d.code, today, &published))
        .collect();
    sessions.sort_by(|a, b| (a.day, &a.id).cmp(&(b.day, &b.id)));
    sessions.dedup();
    let names = Names::of(&policy.directory, lang);
    let what = |s: &Session| match s.theme.as_deref().and_then(|t| THEMES.iter().find(|e| e.code == t)) {
        Some(theme) => theme.name.get(lang).to_string(),
        None => lang.pick("月度现场活动", "Monthly session").to_string(),
    };
    let heads = [lang.pick("日期", "Day"), lang.pick("现场活动", "Session"), lang.pick("参加区县", "Districts")];
    let body = html! {
        h1 { (TITLE.get(lang)) }
        p {
            (lang.pick(
                "企业报名:登录直通车,在诉求页面或首页的“现场活动日程”中选择要参加的一场。现场由领导当场研判、明确牵头领导和牵头部门。",
                "To sign up, an enterprise signs in to Direct Line and picks a session on its appeal or under Session calendar on its home page. Leaders decide on the spot and name the lead leader and department.",
            ))
        }
        table {
            thead { tr { @for h in heads { th { (h) } } } }
            tbody {
                @for s in &sessions {
                    tr data-session=(s.id) {
                        td { (s.day) }
                        td data-label=(heads[1]) { (what(s)) }
                        td data-label=(heads[2]) {
                            (s.districts.iter().map(|d| names.district(d)).collect::<Vec<_>>().join(lang.pick("、", ", ")))
                        }
                    }
                }
            }
        }
    };
    Ok(public_page(lang, StatusCode::OK, TITLE.get(lang), body))
}
