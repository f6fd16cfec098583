#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! An admin invites an official by a one-time link, resets a password by
//! another, and deactivates the account; nobody else may, and a link works
//! once.

mod common;

use common::{TestServer, request, start};
use server::demo::DEMO_PASSWORD;

async fn cookie_of(server: &TestServer, login: &str, password: &str) -> Option<String> {
    let body = serde_json::json!({ "login": login, "password": password }).to_string();
    let r = request(server.addr, "POST", "/api/session", &[("Content-Type", "application/json")], &body).await;
    (r.status == 200).then(|| r.header("set-cookie").unwrap().split(';').next().unwrap().to_string())
}

async fn send(
    server: &TestServer,
    method: &str,
    path: &str,
    cookie: &str,
    body: serde_json::Value,
) -> common::Response {
    let headers = [("Cookie", cookie), ("Content-Type", "application/json")];
    request(server.addr, method, path, &headers, &body.to_string()).await
}

#[tokio::test]
async fn an_admin_invites_resets_and_deactivates_an_official() {
    let server = start(false).await;
    let admin = cookie_of(&server, "admin", DEMO_PASSWORD).await.unwrap();
    let coordinator = cookie_of(&server, "xietiao-city", DEMO_PASSWORD).await.unwrap();
    let wang = serde_json::json!({ "role": "Officer", "org": "natres", "display_name": "王科长(市自然资源局)" });

    // Only an admin; and an officer needs a real department.
    assert_eq!(send(&server, "POST", "/api/admin/invitations", &coordinator, wang.clone()).await.status, 403);
    let no_unit = serde_json::json!({ "role": "Officer", "org": "nowhere", "display_name": "某人" });
    let r = send(&server, "POST", "/api/admin/invitations", &admin, no_unit).await;
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("请选择所属部门"));
    let r = send(&server, "POST", "/api/admin/invitations", &admin, wang).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let path = r.json()["path"].as_str().unwrap().to_string();
    let api = format!("/api{}", path.replace("/invite/", "/invitations/"));

    // The invitee opens the link, picks a login and password, and is signed in.
    let shown = request(server.addr, "GET", &api, &[], "").await;
    assert_eq!(shown.json()["display_name"], "王科长(市自然资源局)");
    let weak =
        send(&server, "POST", &api, "", serde_json::json!({ "login": "wang-natres", "password": "short" })).await;
    assert_eq!(weak.status, 400, "a weak password is refused and the link still works");
    let taken =
        send(&server, "POST", &api, "", serde_json::json!({ "login": "qiye01", "password": "王科长的密码123" })).await;
    assert_eq!(taken.status, 409);
    let ok =
        send(&server, "POST", &api, "", serde_json::json!({ "login": "wang-natres", "password": "王科长的密码123" }))
            .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(
        (ok.json()["user"]["role"].as_str(), ok.json()["user"]["org"].as_str()),
        (Some("Officer"), Some("natres"))
    );
    let again =
        send(&server, "POST", &api, "", serde_json::json!({ "login": "wang-2", "password": "王科长的密码123" })).await;
    assert_eq!(again.status, 410, "a link works once");
    let wang_id = ok.json()["user"]["id"].as_str().unwrap().to_string();
    let wang_session = cookie_of(&server, "wang-natres", "王科长的密码123").await.expect("signs in");

    // A reset link sets a new password; the old one stops working.
    let r = send(&server, "POST", &format!("/api/admin/users/{wang_id}/reset"), &admin, serde_json::json!({})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let reset_api = format!("/api{}", r.json()["path"].as_str().unwrap().replace("/invite/", "/invitations/"));
    assert_eq!(request(server.addr, "GET", &reset_api, &[], "").await.json()["reset"], true);
    let r = send(&server, "POST", &reset_api, "", serde_json::json!({ "password": "新的王科长的密码" })).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(cookie_of(&server, "wang-natres", "王科长的密码123").await.is_none());
    assert_eq!(request(server.addr, "GET", "/api/session", &[("Cookie", &wang_session)], "").await.status, 401);
    let wang_session = cookie_of(&server, "wang-natres", "新的王科长的密码").await.expect("the new password");

    // Deactivated: no sign-in, and the open session ends. Not oneself.
    let me = send(&server, "POST", "/api/admin/users/admin/deactivate", &admin, serde_json::json!({})).await;
    assert_eq!(me.status, 409);
    let r =
        send(&server, "POST", &format!("/api/admin/users/{wang_id}/deactivate"), &admin, serde_json::json!({})).await;
    assert_eq!(r.status, 204, "{}", r.body);
    assert!(cookie_of(&server, "wang-natres", "新的王科长的密码").await.is_none());
    assert_eq!(request(server.addr, "GET", "/api/session", &[("Cookie", &wang_session)], "").await.status, 401);
    let list = request(server.addr, "GET", "/api/admin/users", &[("Cookie", &admin)], "").await.json();
    let row = list.as_array().unwrap().iter().find(|a| a["user"]["id"] == wang_id.as_str()).unwrap();
    assert_eq!(row["deactivated"], true);

    let audit: Vec<String> =
        server.store.audit_page(None, 100).await.unwrap().into_iter().map(|(_, e)| e.action).collect();
    for action in ["invite", "invitation-accepted", "password-reset-link", "password-reset", "deactivate"] {
        assert!(audit.iter().any(|a| a == action), "{action} in the audit log: {audit:?}");
    }
}

#[tokio::test]
async fn an_enterprises_registrant_invites_colleagues_who_see_its_cases() {
    let server = start(false).await;
    let owner = cookie_of(&server, "qiye01", DEMO_PASSWORD).await.unwrap();
    let officer = cookie_of(&server, "bumen-natres", DEMO_PASSWORD).await.unwrap();
    let colleague = serde_json::json!({ "display_name": "李会计" });
    assert_eq!(send(&server, "POST", "/api/enterprise/invitations", &officer, colleague.clone()).await.status, 403);
    let r = send(&server, "POST", "/api/enterprise/invitations", &owner, colleague).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let api = format!("/api{}", r.json()["path"].as_str().unwrap().replace("/invite/", "/invitations/"));
    let r =
        send(&server, "POST", &api, "", serde_json::json!({ "login": "li-kuaiji", "password": "李会计的密码2026" }))
            .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let me = r.json();
    assert_eq!(me["user"]["role"], "Enterprise");
    assert_eq!(me["user"]["org"], me["profile"]["enterprise"]["id"], "the enterprise's own profile");
    assert!(me["user"]["id"].as_str().unwrap().ends_with("-li-kuaiji"));
    let li = cookie_of(&server, "li-kuaiji", "李会计的密码2026").await.unwrap();
    // A colleague cannot invite in turn.
    let r = send(&server, "POST", "/api/enterprise/invitations", &li, serde_json::json!({ "display_name": "王出纳" }))
        .await;
    assert_eq!(r.status, 403);
    // Colleagues see each other's names.
    let people = request(server.addr, "GET", "/api/people", &[("Cookie", &owner)], "").await.json();
    assert_eq!(people[me["user"]["id"].as_str().unwrap()], "李会计");
}
