#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! `directline admin create` on an empty database: the real binary makes
//! the first administrator, who can then sign in; a bad or taken login and
//! a weak password are refused with the reason, and change nothing.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{request, serve_store};

/// Runs `directline admin create` over data directory `data` with
/// `password` on standard input: whether it succeeded, and what it said.
async fn admin_create(data: &std::path::Path, login: &str, password: &str) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_directline"));
    common::use_store(&mut command, data).await;
    let mut child = command
        .args(["admin", "create", "--login", login, "--name", "惠州市政数局管理员"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), said)
}

#[tokio::test]
async fn the_first_administrator_is_made_on_an_empty_database_and_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (ok, said) = admin_create(&data, "zsj-admin", "首个管理员的密码").await;
    assert!(ok, "{said}");
    assert!(said.contains("管理员已创建 / administrator created: zsj-admin"), "{said}");

    let (ok, said) = admin_create(&data, "zsj-admin", "另一个密码也够长").await;
    assert!(!ok && said.contains("账号 zsj-admin 已存在"), "{said}");
    let (ok, said) = admin_create(&data, "second-admin", "short").await;
    assert!(!ok && said.contains("密码至少8位"), "{said}");
    let (ok, said) = admin_create(&data, "Bad Name!", "足够长的密码呀").await;
    assert!(!ok, "{said}");

    let server = serve_store(&data, dir.path()).await;
    assert_eq!(server.store.user_count().await.unwrap(), 1, "only the first one was made");
    let body = serde_json::json!({ "login": "zsj-admin", "password": "首个管理员的密码" }).to_string();
    let r = request(server.addr, "POST", "/api/session", &[("Content-Type", "application/json")], &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["user"]["role"], "Admin");
    assert_eq!(r.json()["display_name"], "惠州市政数局管理员");
}

/// Runs `directline admin <args>` over data directory `data`.
async fn admin(data: &std::path::Path, args: &[&str]) -> (bool, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_directline"));
    common::use_store(&mut command, data).await;
    let out = command.arg("admin").args(args).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), said)
}

#[tokio::test]
async fn a_city_exports_the_policy_loads_its_own_and_keeps_every_code() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("policy.json");
    let file_arg = file.to_str().unwrap();
    let (ok, said) = admin(&data, &["export-policy", "--file", file_arg]).await;
    assert!(ok, "{said}");
    let mut policy: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(policy["version"], 1);

    // The city's own: a renamed bureau and a new township.
    let units = policy["directory"]["units"].as_array_mut().unwrap();
    let natres = units.iter_mut().find(|u| u["code"] == "natres").unwrap();
    natres["name"]["zh"] = "市自然资源和规划局".into();
    units.push(serde_json::json!({ "code": "ruhu", "name": { "zh": "汝湖镇", "en": "Ruhu Town" },
        "level": "township", "district": "huicheng" }));
    std::fs::write(&file, policy.to_string()).unwrap();
    let (ok, said) = admin(&data, &["import-policy", "--file", file_arg]).await;
    assert!(ok && said.contains("已导入为第 2 版"), "{said}");

    // A file that drops a code, or does not hold together, changes nothing.
    let units = policy["directory"]["units"].as_array_mut().unwrap();
    units.retain(|u| u["code"] != "power");
    std::fs::write(&file, policy.to_string()).unwrap();
    let (ok, said) = admin(&data, &["import-policy", "--file", file_arg]).await;
    assert!(!ok && said.contains("代码“power”不能删除"), "{said}");
    std::fs::write(&file, r#"{"version": 9}"#).unwrap();
    let (ok, said) = admin(&data, &["import-policy", "--file", file_arg]).await;
    assert!(!ok && said.contains("政策文件无效"), "{said}");

    let server = serve_store(&data, dir.path()).await;
    let policy = server.policy.current();
    assert_eq!(policy.version, 2);
    assert_eq!(policy.directory.unit_name("natres").zh, "市自然资源和规划局");
    assert!(policy.directory.routable("ruhu", "huicheng").is_ok());
    let audit = server.store.audit_page(None, 10).await.unwrap();
    assert!(audit.iter().any(|(_, e)| e.action == "policy" && e.detail == "v2 imported"));
}
