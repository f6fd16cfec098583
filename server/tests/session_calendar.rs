#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The session calendar: coordinators publish themed and cross-district
//! sessions of their districts; anyone sees them beside every district's
//! monthly sessions, on `/sessions` and from `GET /api/sessions`.

mod common;

use common::client::sign_in;
use common::{get, request, start};
use domain::meeting::{Session, upcoming_monthly};
use domain::time::Day;

async fn publish(server: &common::TestServer, login: &str, id: &str) -> common::Response {
    let cookie = sign_in(server.addr, login).await;
    let headers = [("Cookie", cookie.as_str()), ("Content-Type", "application/json")];
    request(server.addr, "POST", "/api/sessions", &headers, &serde_json::json!({ "id": id }).to_string()).await
}

#[tokio::test]
async fn a_coordinator_publishes_a_special_session_that_everyone_sees_on_the_calendar() {
    let server = start(false).await;
    let today = Day::of_instant(server.clock.now_ms());
    let day = today.plus_days(20);
    let land = Session::special("land", &["boluo".into()], day).unwrap();
    let cross = Session::special("cross", &["boluo".into(), "huicheng".into()], day).unwrap();

    assert_eq!(publish(&server, "xietiao-boluo", &land.id).await.status, 201);
    assert_eq!(publish(&server, "xietiao-boluo", &land.id).await.status, 201, "publishing again changes nothing");
    assert_eq!(publish(&server, "xietiao-huicheng", &cross.id).await.status, 201, "a district taking part");
    // Refused, with the reason: not a coordinator, not their district, a
    // monthly session, a day gone by, nonsense.
    assert_eq!(publish(&server, "qiye01", &land.id).await.status, 403);
    let other = Session::special("land", &["huiyang".into()], day).unwrap();
    assert_eq!(publish(&server, "xietiao-boluo", &other.id).await.status, 403);
    assert_eq!(publish(&server, "xietiao-boluo", &Session::new("boluo", day).id).await.status, 422);
    let past = Session::special("land", &["boluo".into()], today.plus_days(-1)).unwrap();
    assert_eq!(publish(&server, "xietiao-boluo", &past.id).await.status, 422);
    let nonsense = publish(&server, "xietiao-boluo", "special-land-2026-13-40-boluo").await;
    assert_eq!(nonsense.status, 422, "{}", nonsense.body);

    let published = get(server.addr, "/api/sessions").await.json();
    let mut ids: Vec<&str> = published["published"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut expected = vec![land.id.as_str(), cross.id.as_str()];
    expected.sort_unstable();
    assert_eq!(ids, expected);

    let page = get(server.addr, "/sessions").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script"));
    for session in [&land, &cross] {
        assert_eq!(page.body.matches(&format!("data-session=\"{}\"", session.id)).count(), 1, "{}", session.id);
    }
    let calendar = &server.policy.current().calendar;
    for monthly in upcoming_monthly(calendar, "boluo", today, 3) {
        assert!(page.body.contains(&format!("data-session=\"{}\"", monthly.id)), "{}", monthly.id);
    }
    assert!(page.body.contains("<td data-label=\"现场活动\">用地专场</td>"), "the theme's name");
    let english = get(server.addr, "/sessions?lang=en").await;
    assert!(english.body.contains("<td data-label=\"Session\">Land</td>"), "the theme's name in English");
    assert!(english.body.contains("<td data-label=\"Session\">Monthly session</td>"));
}
