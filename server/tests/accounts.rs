#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! Sign-in, sessions and sign-out against a real server and SQLite file.

mod common;

use common::{request, start};
use server::demo::DEMO_PASSWORD;

async fn sign_in(addr: std::net::SocketAddr, login: &str, password: &str) -> common::Response {
    let body = serde_json::json!({ "login": login, "password": password }).to_string();
    request(addr, "POST", "/api/session", &[("Content-Type", "application/json")], &body).await
}

fn session_cookie(r: &common::Response) -> String {
    r.header("set-cookie").expect("a cookie").split(';').next().unwrap().to_string()
}

/// Every author in the demo cases is someone a timeline names: a demo
/// account, or the filing enterprise's own user id (which reads as the
/// enterprise's name).
#[test]
fn every_author_in_the_demo_cases_is_a_demo_account_or_the_filer() {
    let accounts = server::demo::accounts::demo_accounts(&server::demo::registered_enterprises());
    let ids: std::collections::HashSet<String> = accounts.into_iter().map(|a| a.user.id).collect();
    let mut strangers = std::collections::BTreeSet::new();
    server::demo::generate(common::anchor(), server::demo::DEMO_CASES, |doc, _| {
        let case = domain::doc::read(&doc).unwrap();
        let filer = domain::permission::registrant_id(&case.enterprise.id);
        let unknown = case.events.values().filter(|e| e.author != filer && !ids.contains(&e.author));
        strangers.extend(unknown.map(|e| e.author.clone()));
        Ok(())
    })
    .unwrap();
    assert!(strangers.is_empty(), "authors without an account: {strangers:?}");
}

#[tokio::test]
async fn every_role_has_a_demo_account() {
    let server = start(false).await;
    for (login, role) in [
        ("qiye01", "Enterprise"),
        ("xietiao-boluo", "Coordinator"),
        ("bumen-natres", "Officer"),
        ("lingdao-city", "Leader"),
        ("admin", "Admin"),
    ] {
        let r = sign_in(server.addr, login, DEMO_PASSWORD).await;
        assert_eq!(r.status, 200, "{login}: {}", r.body);
        assert_eq!(r.json()["user"]["role"], role);
    }
}

#[tokio::test]
async fn session_cookie_identifies_the_user_until_sign_out() {
    let server = start(false).await;
    let r = sign_in(server.addr, "bumen-natres", DEMO_PASSWORD).await;
    let set = r.header("set-cookie").unwrap();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/"), "{set}");
    assert!(!set.contains("Secure"), "plain HTTP on loopback");
    let cookie = session_cookie(&r);

    let me = request(server.addr, "GET", "/api/session", &[("Cookie", &cookie)], "").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.json()["user"]["org"], "natres");

    let out = request(server.addr, "DELETE", "/api/session", &[("Cookie", &cookie)], "").await;
    assert_eq!(out.status, 204);
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    let me = request(server.addr, "GET", "/api/session", &[("Cookie", &cookie)], "").await;
    assert_eq!(me.status, 401);
    assert!(me.json()["error"].as_str().unwrap().contains("请先登录"));
}

#[tokio::test]
async fn wrong_password_and_unknown_login_get_the_same_answer() {
    let server = start(false).await;
    let wrong = sign_in(server.addr, "qiye01", "nope").await;
    let unknown = sign_in(server.addr, "nobody", "nope").await;
    assert_eq!((wrong.status, unknown.status), (401, 401));
    assert_eq!(wrong.body, unknown.body);
    assert!(wrong.json()["error"].as_str().unwrap().contains("账号或密码错误"));
    assert!(wrong.header("set-cookie").is_none());
}

#[tokio::test]
async fn sessions_expire_after_thirty_days() {
    let server = start(false).await;
    let cookie = session_cookie(&sign_in(server.addr, "qiye01", DEMO_PASSWORD).await);
    let start_ms = server.clock.now_ms();
    server.clock.set_ms(start_ms + 29 * 86_400_000);
    assert_eq!(request(server.addr, "GET", "/api/session", &[("Cookie", &cookie)], "").await.status, 200);
    server.clock.set_ms(start_ms + 31 * 86_400_000);
    assert_eq!(request(server.addr, "GET", "/api/session", &[("Cookie", &cookie)], "").await.status, 401);
}

#[tokio::test]
async fn forged_or_missing_cookies_are_refused() {
    let server = start(false).await;
    assert_eq!(request(server.addr, "GET", "/api/session", &[], "").await.status, 401);
    let forged = format!("dl_session={}", "a".repeat(64));
    assert_eq!(request(server.addr, "GET", "/api/session", &[("Cookie", &forged)], "").await.status, 401);
}

#[tokio::test]
async fn database_holds_neither_passwords_nor_tokens() {
    let server = start(false).await;
    let cookie = session_cookie(&sign_in(server.addr, "qiye01", DEMO_PASSWORD).await);
    let token = cookie.split_once('=').unwrap().1.to_string();
    let (account, hash) = server.store.user_by_login("qiye01").await.unwrap().unwrap();
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert_eq!(account.user.id, common::qiye(1).0);
    assert!(
        server.store.session_account(&token, server.clock.now_ms()).await.unwrap().is_none(),
        "raw token is no key"
    );
}

#[tokio::test]
async fn guessing_passwords_locks_the_account_for_longer_each_time() {
    let server = start(false).await;
    for _ in 0..5 {
        assert_eq!(sign_in(server.addr, "qiye01", "guess").await.status, 401);
    }
    // Locked: even the right password waits, and the answer says how long.
    let locked = sign_in(server.addr, "qiye01", DEMO_PASSWORD).await;
    assert_eq!(locked.status, 429);
    assert_eq!(locked.header("retry-after").as_deref(), Some("60"));
    assert!(locked.json()["error"].as_str().unwrap().contains("1 分钟后再试"), "{}", locked.body);
    assert!(locked.header("set-cookie").is_none());
    assert_eq!(sign_in(server.addr, "qiye02", DEMO_PASSWORD).await.status, 200, "other accounts are not locked");

    server.clock.set_ms(server.clock.now_ms() + 60_000);
    assert_eq!(sign_in(server.addr, "qiye01", "guess").await.status, 401);
    let longer = sign_in(server.addr, "qiye01", DEMO_PASSWORD).await;
    assert_eq!(longer.header("retry-after").as_deref(), Some("120"), "the lock doubles");
    server.clock.set_ms(server.clock.now_ms() + 120_000);
    assert_eq!(sign_in(server.addr, "qiye01", DEMO_PASSWORD).await.status, 200);
    assert_eq!(sign_in(server.addr, "qiye01", "guess").await.status, 401, "a success starts the count again");
    assert_eq!(sign_in(server.addr, "qiye01", DEMO_PASSWORD).await.status, 200);
}

#[tokio::test]
async fn one_address_may_fail_twenty_times_in_ten_minutes() {
    let server = start(false).await;
    for i in 0..20 {
        assert_eq!(sign_in(server.addr, &format!("nobody{i}"), "guess").await.status, 401);
    }
    let refused = sign_in(server.addr, "qiye01", DEMO_PASSWORD).await;
    assert_eq!(refused.status, 429, "the twenty-first try from this address waits, whatever the account");
    assert!(refused.json()["error"].as_str().unwrap().contains("本机登录失败次数过多"));
    server.clock.set_ms(server.clock.now_ms() + 600_000);
    assert_eq!(sign_in(server.addr, "qiye01", DEMO_PASSWORD).await.status, 200);
}

async fn change_password(addr: std::net::SocketAddr, cookie: &str, current: &str, new: &str) -> common::Response {
    let body = serde_json::json!({ "current": current, "new": new }).to_string();
    request(addr, "PUT", "/api/password", &[("Cookie", cookie), ("Content-Type", "application/json")], &body).await
}

#[tokio::test]
async fn anyone_changes_their_own_password_and_their_other_sessions_end() {
    let server = start(false).await;
    let here = session_cookie(&sign_in(server.addr, "bumen-natres", DEMO_PASSWORD).await);
    let elsewhere = session_cookie(&sign_in(server.addr, "bumen-natres", DEMO_PASSWORD).await);
    let new = "换个新密码2027";

    // Not signed in; a weak new one; a wrong current one: nothing changes.
    assert_eq!(change_password(server.addr, "", DEMO_PASSWORD, new).await.status, 401);
    let weak = change_password(server.addr, &here, DEMO_PASSWORD, "short").await;
    assert_eq!(weak.status, 400);
    assert!(weak.json()["error"].as_str().unwrap().contains("密码至少8位"), "{}", weak.body);
    let wrong = change_password(server.addr, &here, "not-the-password", new).await;
    assert_eq!(wrong.status, 403);
    assert!(wrong.json()["error"].as_str().unwrap().contains("当前密码不对"));
    assert_eq!(sign_in(server.addr, "bumen-natres", DEMO_PASSWORD).await.status, 200);

    assert_eq!(change_password(server.addr, &here, DEMO_PASSWORD, new).await.status, 204);
    assert_eq!(sign_in(server.addr, "bumen-natres", DEMO_PASSWORD).await.status, 401, "the old one no longer works");
    assert_eq!(sign_in(server.addr, "bumen-natres", new).await.status, 200);
    assert_eq!(request(server.addr, "GET", "/api/session", &[("Cookie", &here)], "").await.status, 200, "kept");
    assert_eq!(request(server.addr, "GET", "/api/session", &[("Cookie", &elsewhere)], "").await.status, 401, "ended");
    // Someone else's password is not touched.
    assert_eq!(sign_in(server.addr, "bumen-housing", DEMO_PASSWORD).await.status, 200);
}

#[tokio::test]
async fn people_are_named_for_whoever_may_see_them() {
    let server = start(false).await;
    let names = |login: &'static str| async move {
        let cookie = session_cookie(&sign_in(server.addr, login, DEMO_PASSWORD).await);
        let r = request(server.addr, "GET", "/api/people", &[("Cookie", &cookie)], "").await;
        assert_eq!(r.status, 200, "{}", r.body);
        r.json().as_object().unwrap().clone()
    };
    let enterprise = names("qiye01").await;
    assert_eq!(enterprise["officer-natres"], "市自然资源局办事员");
    assert_eq!(enterprise["coord-huicheng"], "惠城区政数局协调员");
    let enterprises: Vec<&String> = enterprise.keys().filter(|id| id.starts_with("user-ent-")).collect();
    assert_eq!(enterprises.len(), 1, "its own account only, not other enterprises': {enterprises:?}");
    let official = names("bumen-natres").await;
    assert_eq!(official.keys().filter(|id| id.starts_with("user-ent-")).count(), 3, "officials see every account");
    assert_eq!(request(server.addr, "GET", "/api/people", &[], "").await.status, 401);
}
