//! The open data API: public case data as an Open311 GeoReport v2 read API
//! (JSON only) under `/open311/v2/`, so existing civic tools can read it.
//! A service is a category; a request is a case as the public page shows it
//! ([`PublicCase`]) — never contact data, attachments or the enterprise's
//! own words; `description` is the title only once a coordinator published
//! it. Cases have no coordinates, so `lat`/`long` are left out and
//! `address` is the district.
//!
//! `GET services.json`; `GET requests.json` with `status` (`open`,
//! `closed`, or both comma-separated), `start_date`/`end_date` (W3C
//! date-time or `YYYY-MM-DD`; without them the last 90 days),
//! `service_code`, and paging by `page` (from 1) and `page_size` (≤ 1000);
//! `GET requests/{HZ-…}.json`. Errors are GeoReport's
//! `[{"code": …, "description": …}]`.

use domain::directory::CITY;
use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::directory::Directory;
use domain::public::PublicCase;
use domain::time::{Day, china_datetime, parse_datetime};
use serde_json::{Value, json};

use crate::{AppState, ServerError, blocking};

const DEFAULT_WINDOW_DAYS: i64 = 90;
const DEFAULT_PAGE_SIZE: usize = 100;
const MAX_PAGE_SIZE: usize = 1000;

fn error(status: StatusCode, description: &str) -> Response {
    (status, Json(json!([{ "code": status.as_u16(), "description": description }]))).into_response()
}

/// `GET /open311/v2/services.json`: one service per open category.
pub async fn services(State(state): State<AppState>) -> Response {
    let policy = state.policy.current();
    let list: Vec<Value> = policy
        .directory
        .categories
        .iter()
        .filter(|c| !c.retired)
        .map(|c| {
            json!({
                "service_code": c.code,
                "service_name": c.name.zh,
                "description": format!("企业诉求:{} ({})", c.name.zh, c.name.en),
                "metadata": false,
                "type": "batch",
                "keywords": c.name.en,
                "group": "办理企业困难直通车",
            })
        })
        .collect();
    Json(list).into_response()
}

/// The query of `requests.json`, checked.
struct Filter {
    open: bool,
    closed: bool,
    from_ms: i64,
    to_ms: i64,
    service: Option<String>,
    page: usize,
    page_size: usize,
}

impl Filter {
    fn read(query: &HashMap<String, String>, now_ms: i64, directory: &Directory) -> Result<Filter, String> {
        // GeoReport clients routinely send a jurisdiction and an API key;
        // this server has one jurisdiction and needs no key to read.
        let known = [
            "status",
            "start_date",
            "end_date",
            "service_code",
            "page",
            "page_size",
            "service_request_id",
            "jurisdiction_id",
            "api_key",
        ];
        if let Some(other) = query.keys().find(|k| !known.contains(&k.as_str())) {
            return Err(format!("unknown parameter '{other}'"));
        }
        let (mut open, mut closed) = (false, false);
        match query.get("status") {
            None => (open, closed) = (true, true),
            Some(list) => {
                for status in list.split(',').map(str::trim) {
                    match status {
                        "open" => open = true,
                        "closed" => closed = true,
                        other => return Err(format!("status must be 'open' or 'closed', not '{other}'")),
                    }
                }
            }
        }
        let date = |name: &str| {
            query.get(name).map(|v| parse_datetime(v).map_err(|_| format!("{name} is not a W3C date-time: '{v}'")))
        };
        // A bare end date takes in the whole of that day.
        let end = match query.get("end_date").and_then(|v| Day::parse(v).ok().filter(|_| v.trim().len() == 10)) {
            Some(day) => Some(day.next().start_instant() - 1),
            None => date("end_date").transpose()?,
        };
        let window = DEFAULT_WINDOW_DAYS * 86_400_000;
        let (from_ms, to_ms) = match (date("start_date").transpose()?, end) {
            (Some(from), Some(to)) => (from, to),
            (Some(from), None) => (from, from.saturating_add(window)),
            (None, Some(to)) => (to.saturating_sub(window), to),
            (None, None) => (now_ms - window, now_ms),
        };
        if from_ms > to_ms {
            return Err("start_date is after end_date".into());
        }
        let service = query.get("service_code").cloned();
        if let Some(code) = &service
            && directory.category(code).is_err()
        {
            return Err(format!("no service '{code}' (see services.json)"));
        }
        let number = |name: &str, default: usize, max: usize| match query.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=max).contains(n))
                .ok_or_else(|| format!("{name} must be a whole number from 1 to {max}")),
        };
        let page = number("page", 1, 1_000_000)?;
        let page_size = number("page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)?;
        Ok(Filter { open, closed, from_ms, to_ms, service, page, page_size })
    }

    fn keeps(&self, case: &PublicCase) -> bool {
        let Some(at) = case.submitted_ms else { return false };
        let status = if case.status.is_open() { self.open } else { self.closed };
        status
            && (self.from_ms..=self.to_ms).contains(&at)
            && self.service.as_ref().is_none_or(|code| code == &case.category)
    }
}

/// A case as a GeoReport service request.
fn request(case: &PublicCase, directory: &Directory) -> Value {
    let lead = case.lead_department.as_deref().and_then(|d| directory.unit(d).ok());
    let mut notes = case.status.label().zh.to_string();
    if let Some(lead) = lead {
        notes.push_str(&format!(" · 牵头部门:{}", lead.name.zh));
    }
    json!({
        "service_request_id": case.number,
        "status": if case.status.is_open() { "open" } else { "closed" },
        "status_notes": notes,
        "service_name": directory.category(&case.category).map_or("", |c| c.name.zh.as_str()),
        "service_code": case.category,
        "description": case.title.clone().unwrap_or_default(),
        "agency_responsible": lead.map_or("", |d| d.name.zh.as_str()),
        "service_notice": "",
        "requested_datetime": case.submitted_ms.map(china_datetime),
        "updated_datetime": china_datetime(case.updated_ms),
        // The end of the day the case is to be resolved by.
        "expected_datetime": case.resolve_by.map(|day| china_datetime(day.next().start_instant() - 1000)),
        "address": directory.district(&case.district).map_or("", |d| d.name.zh.as_str()),
        "address_id": case.district,
        "zipcode": "",
        "media_url": "",
    })
}

/// Every numbered case as the public sees it today.
async fn public_cases(state: &AppState, number: Option<String>) -> Result<Vec<PublicCase>, ServerError> {
    let store = state.store.clone();
    let today = Day::of_instant(state.clock.now_ms());
    let docs = match number {
        Some(number) => match store.case_of_number(&number).await? {
            Some(id) => store.load_document(&id).await?.map(|(doc, _)| domain::doc::read(&doc)).transpose()?,
            None => None,
        }
        .into_iter()
        .map(std::sync::Arc::new)
        .collect(),
        None => store.cases_of_district(CITY).await?,
    };
    let policy = state.policy.current();
    blocking(move || {
        let public = |case: &domain::case::CaseDoc| {
            PublicCase::of(case, &case.state(), &policy.calendar, policy.rules_for(case), today)
        };
        Ok(docs.iter().filter(|case| case.number.is_some()).map(|case| public(case)).collect())
    })
    .await
}

/// `GET /open311/v2/requests.json`.
pub async fn requests(
    State(state): State<AppState>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ServerError> {
    let policy = state.policy.current();
    let filter = match Filter::read(&query, state.clock.now_ms(), &policy.directory) {
        Ok(filter) => filter,
        Err(message) => return Ok(error(StatusCode::BAD_REQUEST, &message)),
    };
    let wanted: Option<Vec<&str>> = query.get("service_request_id").map(|ids| ids.split(',').map(str::trim).collect());
    let mut cases: Vec<PublicCase> = public_cases(&state, None).await?;
    cases.retain(|c| match &wanted {
        // Asking for ids overrides the other filters (GeoReport v2).
        Some(ids) => c.number.as_deref().is_some_and(|n| ids.contains(&n)),
        None => filter.keeps(c),
    });
    // Newest first.
    cases.sort_by(|a, b| (b.submitted_ms, &b.number).cmp(&(a.submitted_ms, &a.number)));
    let total = cases.len();
    let page: Vec<Value> = cases
        .iter()
        .skip((filter.page - 1).saturating_mul(filter.page_size))
        .take(filter.page_size)
        .map(|case| request(case, &policy.directory))
        .collect();
    let mut response = Json(page).into_response();
    response.headers_mut().insert("x-total-count", HeaderValue::from(total));
    Ok(response)
}

/// `GET /open311/v2/requests/{number}.json`.
pub async fn request_by_id(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, ServerError> {
    let Some(number) = file.strip_suffix(".json") else {
        return Ok(error(StatusCode::NOT_FOUND, "only JSON is served: requests/{id}.json"));
    };
    let cases = public_cases(&state, Some(number.to_string())).await?;
    Ok(match cases.first() {
        Some(case) => Json(vec![request(case, &state.policy.current().directory)]).into_response(),
        None => error(StatusCode::NOT_FOUND, &format!("no service request '{number}'")),
    })
}
