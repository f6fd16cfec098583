#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Every server page in both languages: walked with `?lang=en`, no page
//! shows Chinese outside names and case data; the choice is kept in a
//! cookie, and without one the browser's `Accept-Language` decides.

mod common;

use std::collections::BTreeSet;

use common::client::sign_in;
use common::{get, qiye, request, start};
use domain::permission::{Role, User};
use domain::time::previous_month;

/// Every string a case document holds (titles, names, texts): data that
/// stays in the words its author typed.
fn strings(value: &serde_json::Value, into: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::String(s) => {
            into.insert(s.clone());
        }
        serde_json::Value::Array(list) => list.iter().for_each(|v| strings(v, into)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, into)),
        _ => {}
    }
}

fn is_chinese(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303f}' | '\u{3400}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}')
}

/// The page's text with the case data and people's names taken out, and
/// what Chinese is left.
fn chinese_left(body: &str, data: &[String]) -> Vec<String> {
    // The switch to Chinese names Chinese in Chinese, marked as such.
    let mut text = body
        .replace(r#"lang="zh-CN">中文</a>"#, ">")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    // The common-issue report's keywords are words cut from the appeals:
    // case data, each of them part of some appeal's text.
    while let Some(start) = text.find(r#"<span class="kw">"#) {
        let inner = start + r#"<span class="kw">"#.len();
        let end = inner + text[inner..].find("</span>").unwrap();
        let word = text[inner..end].to_string();
        assert!(data.iter().any(|d| d.contains(&word)), "a keyword not from any appeal: {word}");
        text.replace_range(start..end, "");
    }
    for d in data {
        text = text.replace(d.as_str(), " ");
    }
    text.split(|c: char| !is_chinese(c)).filter(|run| !run.is_empty()).map(str::to_string).collect()
}

#[tokio::test]
async fn every_page_in_english_shows_no_chinese_but_names_and_case_data() {
    let server = start(true).await;
    let today = domain::time::Day::of_instant(server.clock.now_ms());
    let month = format!("{:04}-{:02}", today.year(), today.month());
    // Last month's letters (the server issues them on its own as well;
    // issuing is idempotent).
    let (policy, roster) = (server.policy.current(), server.officials.current());
    server::pages::letters::issue_due(&server.store, &policy, &roster, &server.public_url, server.clock.now_ms())
        .await
        .unwrap();

    // The case data and the names of people, longest first (a shorter
    // string may be part of a longer one).
    let mut data = BTreeSet::new();
    for id in server.store.case_ids_of_district("city").await.unwrap() {
        let case = domain::doc::read(&server.store.load_document(&id).await.unwrap().unwrap().0).unwrap();
        strings(&serde_json::to_value(&case).unwrap(), &mut data);
    }
    data.extend(server.officials.current().all().map(|o| o.name.clone()));
    let mut data: Vec<String> = data.into_iter().filter(|s| s.chars().any(is_chinese)).collect();
    data.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));

    let (user_id, enterprise) = qiye(1);
    let me = User { id: user_id, role: Role::Enterprise, org: Some(enterprise), district: None };
    let noticed = server.store.noticed_cases(&previous_month(today)).await.unwrap();
    let (case_id, _) =
        server.store.readable_cases(&me).await.unwrap().into_iter().find(|(id, _)| noticed.contains(id)).unwrap();
    let ent = sign_in(server.addr, "qiye01").await;
    let link = request(server.addr, "GET", &format!("/api/cases/{case_id}/public-link"), &[("Cookie", &ent)], "").await;
    let public = link.json()["path"].as_str().unwrap().to_string();
    let letter = format!("/letters/{case_id}/{}", previous_month(today));
    let coordinator = sign_in(server.addr, "xietiao-city").await;
    let admin = sign_in(server.addr, "admin").await;

    let mut pages: Vec<(String, Option<&str>, u16)> = vec![
        ("/board".into(), None, 200),
        (format!("/board/huicheng/{month}"), None, 200),
        ("/board/nowhere/2026-11".into(), None, 404),
        ("/board/huicheng/2031-01".into(), None, 404),
        ("/stats".into(), None, 200),
        ("/stats/nowhere".into(), None, 404),
        ("/ratings".into(), None, 200),
        (public.clone(), None, 200),
        ("/p/0000".into(), None, 404),
        ("/lookup".into(), None, 200),
        ("/sessions".into(), None, 200),
        ("/admin/mail".into(), Some(&admin), 200),
        (letter.clone(), Some(&ent), 200),
        (letter.clone(), None, 401),
        (format!("/letters/{case_id}/2020-01"), Some(&ent), 404),
        ("/reports/common-issues/2026-Q4".into(), Some(&coordinator), 200),
        ("/reports/common-issues/2026-Q9".into(), Some(&coordinator), 404),
        ("/reports/common-issues/2026-Q4".into(), Some(&ent), 403),
        ("/reports/common-issues/2026-Q4".into(), None, 401),
        ("/admin/audit".into(), Some(&admin), 200),
        ("/admin/audit?before=x".into(), Some(&admin), 400),
        ("/admin/audit".into(), Some(&ent), 403),
    ];
    for d in server.policy.current().directory.districts.iter() {
        pages.push((format!("/stats/{}", d.code), None, 200));
    }
    for (path, cookie, status) in &pages {
        let english = format!("{path}{}lang=en", if path.contains('?') { '&' } else { '?' });
        let headers: Vec<(&str, &str)> = cookie.map(|c| vec![("Cookie", c)]).unwrap_or_default();
        let page = request(server.addr, "GET", &english, &headers, "").await;
        assert_eq!(page.status, *status, "{english}: {}", page.body);
        assert!(page.header("content-type").unwrap().starts_with("text/html"), "{english}");
        assert!(page.body.contains(r#"<html lang="en">"#), "{english}");
        let left = chinese_left(&page.body, &data);
        assert!(left.is_empty(), "{english} shows Chinese: {left:?}");

        // The same page in Chinese is Chinese, and links to the English one.
        let chinese = request(server.addr, "GET", path, &headers, "").await;
        assert!(chinese.body.contains(r#"<html lang="zh-CN">"#), "{path}");
        assert!(!chinese_left(&chinese.body, &data).is_empty(), "{path} has its own Chinese words");
    }
    // The lookup's answer to a wrong code, in English too.
    let wrong = request(
        server.addr,
        "POST",
        "/lookup?lang=en",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        "number=HZ-2026-999999&code=AAAA2222",
    )
    .await;
    assert_eq!(wrong.status, 404);
    assert!(chinese_left(&wrong.body, &data).is_empty(), "{}", wrong.body);
}

#[tokio::test]
async fn the_choice_is_kept_and_the_browser_decides_without_one() {
    let server = start(true).await;
    let chosen = get(server.addr, "/ratings?lang=en").await;
    let cookie = chosen.header("set-cookie").expect("the choice is kept");
    assert!(cookie.starts_with("dl_lang=en;") && cookie.contains("Path=/"), "{cookie}");
    assert!(chosen.body.contains(r#"href="?lang=zh-CN""#), "a link back to Chinese");
    let next = request(server.addr, "GET", "/board", &[("Cookie", "dl_lang=en")], "").await;
    assert!(next.body.contains(r#"<html lang="en">"#), "the next page follows the cookie");
    assert!(next.header("set-cookie").is_none(), "nothing to keep without a choice");
    assert!(next.header("vary").unwrap().contains("Accept-Language"));

    let browser = request(server.addr, "GET", "/board", &[("Accept-Language", "en-GB,en;q=0.9,zh;q=0.5")], "").await;
    assert!(browser.body.contains(r#"<html lang="en">"#));
    let chinese = request(server.addr, "GET", "/board", &[("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8")], "").await;
    assert!(chinese.body.contains(r#"<html lang="zh-CN">"#));
    let neither = request(server.addr, "GET", "/board", &[("Accept-Language", "fr-FR")], "").await;
    assert!(neither.body.contains(r#"<html lang="zh-CN">"#), "Chinese when the browser names neither");
}
