//! The monthly supervision board (挂图督办公示栏) of a district: every case
//! open at the end of the month (or today, for this month) with its
//! responsible unit, deadline and light. Public, plain HTML, printable on
//! A4 or A3 landscape; what each row shows is [`domain::public::BoardEntry`].

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::label::Label;
use domain::public::{BoardEntry, board_entry};
use domain::time::{Day, month_span};
use maud::{Markup, html};

use crate::pages::lang::{Lang, PageLang};
use crate::pages::layout::{Names, light, message, provisional, public_page};
use crate::{AppState, ServerError, blocking};

/// `GET /board`: this month's board of each district.
pub async fn index(State(state): State<AppState>, PageLang(lang): PageLang) -> Response {
    let today = Day::of_instant(state.clock.now_ms());
    let month = format!("{:04}-{:02}", today.year(), today.month());
    let policy = state.policy.current();
    let heading = BOARD.get(lang);
    let body = html! {
        h1 { (heading) " · " (month) }
        ul { @for d in &policy.directory.districts { li { a href={ "/board/" (d.code) "/" (month) } { (d.name.get(lang)) } } } }
    };
    public_page(lang, StatusCode::OK, heading, body)
}

const BOARD: Label = Label::new("挂图督办公示栏", "Supervision board");

/// `GET /board/{district}/{YYYY-MM}`.
pub async fn board(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Path((district, month)): Path<(String, String)>,
) -> Result<Response, ServerError> {
    let policy = state.policy.current();
    let not_found = |heading, detail| {
        public_page(lang, StatusCode::NOT_FOUND, lang.pick("未找到", "Not found"), message(lang, heading, detail))
    };
    let (Ok(place), Some(end)) = (policy.directory.district(&district), month_span(&month).map(|(_, end)| end)) else {
        let wrong = Label::new("区县或月份有误。", "The district or the month is wrong.");
        return Ok(not_found(Label::new("没有这个公示栏", "No such board"), Some(wrong)));
    };
    let today = Day::of_instant(state.clock.now_ms());
    if end.plus_days(-31) > today {
        return Ok(not_found(Label::new("这个月份还没有到", "That month has not come yet"), None));
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
    let title = match lang {
        Lang::Zh => format!("{} {}年{}月 挂图督办公示栏", place.name.zh, end.year(), end.month()),
        Lang::En => format!("{} · supervision board · {month}", place.name.en),
    };
    let officials = state.officials.current();
    let names = Names::with_people(&policy.directory, &officials, lang);
    Ok(public_page(lang, StatusCode::OK, &title, table(&title, day, &entries, &names)))
}

fn table(title: &str, day: Day, entries: &[BoardEntry], names: &Names<'_>) -> Markup {
    let lang = names.lang;
    let heads = [
        lang.pick("编号", "Number"),
        lang.pick("诉求", "Appeal"),
        lang.pick("类别", "Category"),
        lang.pick("牵头部门", "Lead department"),
        lang.pick("牵头领导", "Lead leader"),
        lang.pick("状态", "Status"),
        lang.pick("期限", "Due"),
    ];
    let count = match lang {
        Lang::Zh => format!("截至 {day},在办诉求 {} 件", entries.len()),
        Lang::En => format!("As of {day}: {} open appeals", entries.len()),
    };
    html! {
        h1 { (title) }
        p { (count) }
        table {
            thead { tr { @for h in heads { th { (h) } } } }
            tbody {
                @for e in entries {
                    tr data-light=(format!("{:?}", e.light)) {
                        td.n { (e.number.as_deref().unwrap_or("—")) }
                        td { (e.title.as_deref().unwrap_or(lang.pick("(标题待审核后公开)", "(title published once reviewed)"))) }
                        td data-label=(heads[2]) { (names.category(&e.category)) }
                        td data-label=(heads[3]) { (e.lead_department.as_deref().map_or("—", |d| names.unit(d))) }
                        td data-label=(heads[4]) { (e.lead_leader.as_deref().map_or("—", |l| names.person(l))) }
                        td data-label=(heads[5]) { (e.status.label().get(lang)) }
                        td data-label=(heads[6]) {
                            @match e.due { Some(due) => { (due) (provisional(e.due_provisional, lang)) }, None => "—" }
                            " " (light(e.light, lang))
                        }
                    }
                }
            }
        }
    }
}
