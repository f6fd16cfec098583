#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! Enterprise registration against a real server and SQLite file.

mod common;

use common::{request, start};
use serde_json::{Value, json};

fn registration(login: &str, uscc: &str, password: &str) -> Value {
    json!({
        "login": login,
        "password": password,
        "profile": {
            "enterprise": {
                "id": "", "name": "惠州市德晋昌光电科技有限公司", "uscc": uscc,
                "ownership": "private", "size": "small", "industry": "光电", "district": "zhongkai"
            },
            "contact": { "name": "黄女士", "phone": "0752-2345678" }
        }
    })
}

async fn register(addr: std::net::SocketAddr, body: &Value) -> common::Response {
    request(addr, "POST", "/api/register", &[("Content-Type", "application/json")], &body.to_string()).await
}

#[tokio::test]
async fn an_enterprise_registers_and_is_signed_in() {
    let server = start(false).await;
    let r = register(server.addr, &registration("DeJinChang", "91350100m000100y43", "zhitongche")).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let account = r.json();
    assert_eq!(account["login"], "dejinchang");
    assert_eq!(account["user"]["role"], "Enterprise");
    assert_eq!(account["user"]["org"], "ent-91350100M000100Y43", "the id follows the credit code");
    assert_eq!(account["profile"]["contact"]["phone"], "07522345678");

    let cookie = r.header("set-cookie").unwrap().split(';').next().unwrap().to_string();
    let me = request(server.addr, "GET", "/api/session", &[("Cookie", &cookie)], "").await;
    assert_eq!(me.json()["profile"]["enterprise"]["name"], "惠州市德晋昌光电科技有限公司");
    let again = json!({ "login": "dejinchang", "password": "zhitongche" }).to_string();
    let signed_in = request(server.addr, "POST", "/api/session", &[("Content-Type", "application/json")], &again).await;
    assert_eq!(signed_in.status, 200);
}

#[tokio::test]
async fn one_account_per_login_and_per_credit_code() {
    let server = start(false).await;
    assert_eq!(
        register(server.addr, &registration("dejinchang", "91350100M000100Y43", "zhitongche")).await.status,
        201
    );
    let same_code = register(server.addr, &registration("another", "91350100M000100Y43", "zhitongche")).await;
    assert_eq!(same_code.status, 409);
    assert!(same_code.json()["error"].as_str().unwrap().contains("该统一社会信用代码已注册"));
    // Each language's half on its own, for the app to show the reader's.
    assert_eq!(same_code.json()["zh"].as_str(), Some("该统一社会信用代码已注册,请直接登录"));
    assert_eq!(same_code.json()["en"].as_str(), Some("an account for this credit code exists already, please sign in"));
    let (_, demo_org) = common::qiye(1);
    let demo_code = demo_org.strip_prefix("ent-").unwrap();
    let same_login = register(server.addr, &registration("dejinchang", demo_code, "zhitongche")).await;
    assert_eq!(same_login.status, 409);
    assert!(same_login.json()["error"].as_str().unwrap().contains("该账号已被使用"));
    let demo = register(server.addr, &registration("newname", demo_code, "zhitongche")).await;
    assert_eq!(demo.status, 409, "qiye01 already has an account for its code");
}

#[tokio::test]
async fn bad_input_is_refused_with_every_reason_and_creates_nothing() {
    let server = start(false).await;
    let users = server.store.user_count().await.unwrap();
    let r = register(server.addr, &registration("a b", "91350100M000100Y44", "short")).await;
    assert_eq!(r.status, 400);
    let problems: Vec<String> =
        r.json()["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].starts_with("账号应为3–32位"), "{problems:?}");
    assert!(problems[1].starts_with("密码至少8位"), "{problems:?}");
    assert!(problems[2].contains("校验位"), "{problems:?}");
    assert!(r.header("set-cookie").is_none());
    assert_eq!(server.store.user_count().await.unwrap(), users, "nothing created");
    let not_json = request(server.addr, "POST", "/api/register", &[("Content-Type", "application/json")], "{").await;
    assert_eq!(not_json.status, 400);
    assert!(
        not_json.json()["error"].as_str().unwrap().starts_with("请求内容不是有效的JSON"),
        "a JSON error in both languages"
    );
    let wrong_type = request(server.addr, "POST", "/api/register", &[("Content-Type", "text/plain")], "{}").await;
    assert_eq!(wrong_type.status, 415);
    assert!(wrong_type.json()["error"].as_str().is_some());
    let huge = format!(r#"{{"login":"{}"}}"#, "a".repeat(100 * 1024));
    for path in ["/api/register", "/api/session"] {
        let too_large = request(server.addr, "POST", path, &[("Content-Type", "application/json")], &huge).await;
        assert_eq!(too_large.status, 413, "{path}");
        assert!(too_large.json()["error"].as_str().unwrap().contains("请求内容过大(最多 64 KB)"), "{path}");
    }
    assert_eq!(server.store.user_count().await.unwrap(), users, "nothing created");
}
