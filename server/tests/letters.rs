#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Monthly progress notices: issued once per open case and month on the
//! server's schedule, archived as sent, listed and shown to the case's
//! parties only.

mod common;

use std::time::{Duration, Instant};

use common::client::sign_in;
use common::{anchor, get, qiye, request, start};
use domain::calendar::WorkCalendar;
use domain::notice::Notice;
use domain::permission::{Role, User};
use server::pages::letters::issue_due;

/// The cases the domain finds open at the end of `month`.
async fn open_at_end_of(server: &common::TestServer, month: &str) -> usize {
    let mut open = 0;
    for id in server.store.case_ids_of_district("city").await.unwrap() {
        let case = domain::doc::read(&server.store.load_document(&id).await.unwrap().unwrap().0).unwrap();
        open += usize::from(Notice::of(&case, &WorkCalendar::china().unwrap(), &Default::default(), month).is_some());
    }
    open
}

#[tokio::test]
async fn each_open_case_gets_one_letter_a_month_seen_only_by_its_parties() {
    let server = start(true).await;
    // The server issues October's letters on its own when it starts.
    let expected = open_at_end_of(&server, "2026-10").await;
    assert!(expected > 0);
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.store.noticed_cases("2026-10").await.unwrap().len() < expected {
        assert!(Instant::now() < deadline, "October's letters were not issued");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        issue_due(
            &server.store,
            &server.policy.current(),
            &server.officials.current(),
            &server.public_url,
            server.clock.now_ms()
        )
        .await
        .unwrap(),
        0,
        "issuing again changes nothing"
    );
    assert_eq!(server.store.noticed_cases("2026-10").await.unwrap().len(), expected);

    let (user_id, enterprise) = qiye(1);
    let me = User { id: user_id, role: Role::Enterprise, org: Some(enterprise), district: None };
    let noticed = server.store.noticed_cases("2026-10").await.unwrap();
    let (case_id, _) =
        server.store.readable_cases(&me).await.unwrap().into_iter().find(|(id, _)| noticed.contains(id)).unwrap();
    let case = domain::doc::read(&server.store.load_document(&case_id).await.unwrap().unwrap().0).unwrap();

    let list_path = format!("/api/cases/{case_id}/letters");
    let ent = sign_in(server.addr, "qiye01").await;
    let list = request(server.addr, "GET", &list_path, &[("Cookie", &ent)], "").await;
    assert_eq!(list.status, 200, "{}", list.body);
    let letters = list.json();
    assert_eq!(letters[0]["month"], "2026-10");
    assert_eq!(letters[0]["issued"], anchor().to_string());
    let path = letters[0]["path"].as_str().unwrap().to_string();
    let letter = request(server.addr, "GET", &path, &[("Cookie", &ent)], "").await;
    assert_eq!(letter.status, 200);
    assert!(letter.header("content-security-policy").unwrap().contains("default-src 'none'"));
    assert!(!letter.body.contains("<script"));
    for shown in [&case.enterprise.name, &case.appeal.title, case.number.as_ref().unwrap()] {
        assert!(letter.body.contains(shown.as_str()), "the letter names {shown}");
    }
    assert!(letter.body.contains("size:A4 portrait"), "prints on A4");
    // It carries the query code and where to look the case up.
    let link = request(server.addr, "GET", &format!("/api/cases/{case_id}/public-link"), &[("Cookie", &ent)], "").await;
    let code = link.json()["code"].as_str().unwrap().to_string();
    assert!(letter.body.contains(&format!("查询码 {code}")), "the code is printed");
    assert!(letter.body.contains(&format!("{}/lookup", server.public_url)), "and where to use it");
    // The English letter, issued with it.
    let english = request(server.addr, "GET", &format!("{path}?lang=en"), &[("Cookie", &ent)], "").await;
    assert!(english.body.contains(r#"<html lang="en">"#) && english.body.contains("Progress of your appeal"));
    assert!(english.body.contains(&format!("the query code {code}")), "{}", english.body);
    let english_file = request(server.addr, "GET", &format!("{path}?download&lang=en"), &[("Cookie", &ent)], "").await;
    let number = case.number.as_ref().unwrap();
    let disposition = english_file.header("content-disposition");
    assert_eq!(disposition, Some(format!("attachment; filename=\"{number}-2026-10-en.html\"")));
    // The same letter as a file to keep.
    let file = request(server.addr, "GET", &format!("{path}?download"), &[("Cookie", &ent)], "").await;
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-disposition"), Some(format!("attachment; filename=\"{number}-2026-10.html\"")));
    assert_eq!(file.body, letter.body);

    assert_eq!(letter.header("cache-control").as_deref(), Some("private, no-store"));
    // Its district's coordinator reads it too.
    let coordinator = sign_in(server.addr, "xietiao-huicheng").await;
    assert_eq!(request(server.addr, "GET", &path, &[("Cookie", &coordinator)], "").await.status, 200);

    // Not a party (another enterprise, an unrelated department, another
    // district's coordinator), or not signed in: nothing.
    let lead = case.state().flow.lead_department.clone();
    let outsider = ["natres", "housing"].into_iter().find(|d| Some(d.to_string()) != lead).unwrap();
    for login in ["qiye02".to_string(), format!("bumen-{outsider}"), "xietiao-boluo".to_string()] {
        let other = sign_in(server.addr, &login).await;
        assert_eq!(request(server.addr, "GET", &list_path, &[("Cookie", &other)], "").await.status, 404, "{login}");
        let refused = request(server.addr, "GET", &path, &[("Cookie", &other)], "").await;
        assert_eq!(refused.status, 404, "{login}");
        assert!(!refused.body.contains(&case.enterprise.name));
    }
    assert_eq!(get(server.addr, &path).await.status, 401);
    assert_eq!(get(server.addr, &list_path).await.status, 401);

    // November's letters wait a day into December (changes made offline
    // late on the 30th may still be syncing), then go out; October's stays
    // as it was sent.
    let archived = server.store.notice(&case_id, "2026-10", domain::label::Lang::Zh).await.unwrap().unwrap();
    let december = |day: &str| domain::time::Day::parse(day).unwrap().start_instant() + 3_600_000;
    assert_eq!(
        issue_due(
            &server.store,
            &server.policy.current(),
            &server.officials.current(),
            &server.public_url,
            december("2026-12-01")
        )
        .await
        .unwrap(),
        0
    );
    let november = issue_due(
        &server.store,
        &server.policy.current(),
        &server.officials.current(),
        &server.public_url,
        december("2026-12-02"),
    )
    .await
    .unwrap();
    assert_eq!(november, open_at_end_of(&server, "2026-11").await);
    assert_eq!(server.store.notice(&case_id, "2026-10", domain::label::Lang::Zh).await.unwrap().unwrap(), archived);
    if case.state().status().is_open() {
        let months: Vec<String> =
            server.store.notices_of(&case_id).await.unwrap().into_iter().map(|(m, _)| m).collect();
        assert_eq!(months, ["2026-11", "2026-10"], "newest first");
    }
}

#[tokio::test]
async fn after_downtime_through_two_month_ends_each_missed_month_is_issued_once() {
    let server = start(true).await;
    let october = open_at_end_of(&server, "2026-10").await;
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.store.noticed_cases("2026-10").await.unwrap().len() < october {
        assert!(Instant::now() < deadline, "October's letters were not issued");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Down from late November until 5 January: November's and December's
    // letters were never issued.
    let january = domain::time::Day::parse("2027-01-05").unwrap().start_instant() + 3_600_000;
    let (policy, roster) = (server.policy.current(), server.officials.current());
    let issued = issue_due(&server.store, &policy, &roster, &server.public_url, january).await.unwrap();
    let (november, december) = (open_at_end_of(&server, "2026-11").await, open_at_end_of(&server, "2026-12").await);
    assert!(november > 0 && december > 0);
    assert_eq!(issued, november + december);
    assert_eq!(server.store.noticed_cases("2026-11").await.unwrap().len(), november);
    assert_eq!(server.store.noticed_cases("2026-12").await.unwrap().len(), december);
    assert_eq!(
        issue_due(&server.store, &policy, &roster, &server.public_url, january).await.unwrap(),
        0,
        "exactly once"
    );
    let audit = server.store.audit_page(None, 100).await.unwrap();
    let months: Vec<&str> = audit.iter().filter(|(_, e)| e.action == "letters").map(|(_, e)| &e.detail[..7]).collect();
    assert!(months.contains(&"2026-11") && months.contains(&"2026-12"), "{months:?}");
}
