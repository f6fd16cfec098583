#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The Open311 GeoReport v2 read API: services, requests filtered by status,
//! date window and service with paging, one request by id; GeoReport
//! errors; never personal data.

mod common;

use std::collections::HashSet;

use common::{anchor, get, start};
use serde_json::Value;

fn array(value: &Value) -> &Vec<Value> {
    value.as_array().expect("GeoReport answers with an array")
}

#[tokio::test]
async fn services_are_the_categories() {
    let server = start(false).await;
    let services = get(server.addr, "/open311/v2/services.json").await;
    assert_eq!(services.status, 200);
    assert_eq!(services.header("access-control-allow-origin").as_deref(), Some("*"));
    let codes: Vec<String> =
        array(&services.json()).iter().map(|s| s["service_code"].as_str().unwrap().to_string()).collect();
    let expected: Vec<String> =
        domain::directory::Directory::huizhou().categories.iter().map(|c| c.code.clone()).collect();
    assert_eq!(codes, expected);
}

#[tokio::test]
async fn requests_filter_page_and_hide_what_is_private() {
    let server = start(true).await;
    // What the store holds: numbered, submitted cases and their secrets.
    let mut open = 0;
    let mut secrets = Vec::new();
    let mut submitted = 0;
    for id in server.store.case_ids_of_district("city").await.unwrap() {
        let case = domain::doc::read(&server.store.load_document(&id).await.unwrap().unwrap().0).unwrap();
        let state = case.state();
        if state.flow.submitted_ms.is_some() {
            submitted += 1;
            open += usize::from(state.status().is_open());
        }
        secrets.extend([case.contact.phone.clone(), case.contact.name.clone(), case.enterprise.name.clone()]);
        secrets.extend([case.enterprise.uscc.clone(), case.appeal.title.clone(), case.appeal.description.clone()]);
    }
    assert!(open > 0 && open < submitted);

    // The demo's cases all fall in the default window: the last 90 days.
    let all = get(server.addr, "/open311/v2/requests.json?page_size=1000").await;
    assert_eq!(all.status, 200);
    assert_eq!(all.header("x-total-count").unwrap(), submitted.to_string());
    assert_eq!(array(&all.json()).len(), submitted);
    for secret in &secrets {
        assert!(!all.body.contains(secret.as_str()), "{secret} is not open data");
    }

    let only_open = get(server.addr, "/open311/v2/requests.json?status=open&page_size=1000").await.json();
    assert_eq!(array(&only_open).len(), open);
    assert!(array(&only_open).iter().all(|r| r["status"] == "open"));

    // Pages do not overlap and cover the whole list.
    let mut seen = HashSet::new();
    for page in 1..=4 {
        let body = get(server.addr, &format!("/open311/v2/requests.json?page_size=100&page={page}")).await.json();
        let ids: Vec<String> =
            array(&body).iter().map(|r| r["service_request_id"].as_str().unwrap().to_string()).collect();
        assert!(ids.len() <= 100);
        for id in ids {
            assert!(seen.insert(id), "no request is on two pages");
        }
    }
    assert_eq!(seen.len(), submitted);

    // A date window: a week of filings, both bounds whole days; every
    // request of the week and service comes back, nothing else.
    let (from, to) = (anchor().plus_days(-30), anchor().plus_days(-23));
    let all = all.json();
    let in_week = |r: &&Value| {
        let day = &r["requested_datetime"].as_str().unwrap()[..10];
        day >= from.to_string().as_str() && day <= to.to_string().as_str()
    };
    let expected: HashSet<&str> =
        array(&all).iter().filter(in_week).map(|r| r["service_request_id"].as_str().unwrap()).collect();
    let on_last_day =
        array(&all).iter().filter(|r| r["requested_datetime"].as_str().unwrap().starts_with(&to.to_string()));
    assert!(on_last_day.count() > 0, "the demo has filings on {to}, the window's last day");
    let path = format!("/open311/v2/requests.json?start_date={from}&end_date={to}&jurisdiction_id=huizhou.gov.cn");
    let week = get(server.addr, &path).await.json();
    let got: HashSet<&str> = array(&week).iter().map(|r| r["service_request_id"].as_str().unwrap()).collect();
    assert_eq!(got, expected);
    // One service: all of its requests, only its requests.
    let land = get(server.addr, "/open311/v2/requests.json?service_code=land&page_size=1000").await.json();
    assert!(array(&land).iter().all(|r| r["service_code"] == "land"));
    assert_eq!(array(&land).len(), array(&all).iter().filter(|r| r["service_code"] == "land").count());

    // One request by its number.
    let first = &array(&all)[0];
    let id = first["service_request_id"].as_str().unwrap();
    let one = get(server.addr, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(one.status, 200);
    assert_eq!(&array(&one.json())[0], first);
    let by_ids = get(server.addr, &format!("/open311/v2/requests.json?service_request_id={id}")).await.json();
    assert_eq!(&array(&by_ids)[0], first);
}

#[tokio::test]
async fn bad_queries_get_georeport_errors() {
    let server = start(false).await;
    for (path, status, words) in [
        ("/open311/v2/requests.json?status=pending", 400, "status"),
        ("/open311/v2/requests.json?start_date=yesterday", 400, "start_date"),
        ("/open311/v2/requests.json?start_date=2026-11-20&end_date=2026-11-01", 400, "after"),
        ("/open311/v2/requests.json?page_size=0", 400, "page_size"),
        ("/open311/v2/requests.json?page_size=5000", 400, "page_size"),
        ("/open311/v2/requests.json?service_code=mars", 400, "service"),
        ("/open311/v2/requests.json?lat=23.1", 400, "lat"),
        ("/open311/v2/requests/HZ-2026-999999.json", 404, "HZ-2026-999999"),
        ("/open311/v2/requests/HZ-2026-000001.xml", 404, "JSON"),
    ] {
        let response = get(server.addr, path).await;
        assert_eq!(response.status, status, "{path}");
        let body = response.json();
        let error = &array(&body)[0];
        assert_eq!(error["code"], status, "{path}");
        assert!(error["description"].as_str().unwrap().contains(words), "{path}: {}", response.body);
    }
}
