#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The quarterly common-issue report: alike appeals grouped with jieba
//! words, for coordinators, leaders and admins only, over the cases they
//! may read.

mod common;

use common::client::sign_in;
use common::{get, request, start};
use domain::time::Day;
use server::pages::common_issues::words;

#[test]
fn chinese_is_cut_into_words_worth_comparing() {
    let cut = words("厂区门口的隔离带影响货车进出,希望尽快解决问题");
    for word in ["隔离带", "货车", "进出"] {
        assert!(cut.iter().any(|w| w == word), "{word} in {cut:?}");
    }
    for noise in ["的", "希望", "问题", ","] {
        assert!(!cut.iter().any(|w| w == noise), "{noise} left out of {cut:?}");
    }
}

#[tokio::test]
async fn a_district_coordinator_sees_its_quarters_alike_appeals_grouped() {
    let server = start(true).await;
    let (first, last) = (Day::parse("2026-10-01").unwrap(), Day::parse("2026-12-31").unwrap());
    let (mut mine, mut others) = (Vec::new(), Vec::new());
    for id in server.store.case_ids_of_district("city").await.unwrap() {
        let case = domain::doc::read(&server.store.load_document(&id).await.unwrap().unwrap().0).unwrap();
        let submitted = case.state().flow.submitted_ms.map(Day::of_instant);
        if submitted.is_some_and(|d| first <= d && d <= last) {
            let number = case.number.clone().unwrap();
            if case.district == "huiyang" { mine.push(number) } else { others.push(number) }
        }
    }
    assert!(!mine.is_empty() && !others.is_empty());

    let coordinator = sign_in(server.addr, "xietiao-huiyang").await;
    let page = request(server.addr, "GET", "/reports/common-issues/2026-Q4", &[("Cookie", &coordinator)], "").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script"));
    assert!(page.body.contains(&format!("<b data-k=\"appeals\">{}</b>", mine.len())), "the district's appeals only");
    assert!(page.body.matches("<section class=\"group\"").count() >= 2, "the demo's repeated issues group");
    let listed = page.body.matches("<tr><td class=\"n\">").count();
    assert!(listed >= 4 && listed <= mine.len());
    for number in &others {
        assert!(!page.body.contains(number.as_str()), "{number} is another district's");
    }

    for login in ["qiye01", "bumen-natres"] {
        let cookie = sign_in(server.addr, login).await;
        let refused = request(server.addr, "GET", "/reports/common-issues/2026-Q4", &[("Cookie", &cookie)], "").await;
        assert_eq!(refused.status, 403, "{login}");
    }
    assert_eq!(get(server.addr, "/reports/common-issues/2026-Q4").await.status, 401);
    let bad = request(server.addr, "GET", "/reports/common-issues/2026-Q5", &[("Cookie", &coordinator)], "").await;
    assert_eq!(bad.status, 404);
}
