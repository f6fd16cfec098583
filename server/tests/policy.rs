#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! The city's policy as data: every device reads it; only an admin
//! changes it, one audited edit at a time; a refused edit changes
//! nothing; the sync check routes by the directory in force; a restarted
//! server keeps the edits.

mod common;

use std::time::Duration;

use common::client::{Device, sign_in};
use common::{TestServer, new_case, qiye, request, serve_store};
use domain::event::{Channel, EventKind};
use server::demo::DEMO_PASSWORD;

const QUIET: Duration = Duration::from_secs(10);

async fn cookie_of(server: &TestServer, login: &str) -> String {
    let body = serde_json::json!({ "login": login, "password": DEMO_PASSWORD }).to_string();
    let r = request(server.addr, "POST", "/api/session", &[("Content-Type", "application/json")], &body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.header("set-cookie").unwrap().split(';').next().unwrap().to_string()
}

async fn edit(server: &TestServer, cookie: &str, edit: serde_json::Value) -> common::Response {
    let headers = [("Cookie", cookie), ("Content-Type", "application/json")];
    request(server.addr, "POST", "/api/admin/policy", &headers, &edit.to_string()).await
}

fn add_unit(code: &str, level: &str, district: &str) -> serde_json::Value {
    serde_json::json!({ "directory": { "edit": "add_unit", "code": code,
        "name": { "zh": "惠阳区住房和城乡建设局", "en": "Huiyang Housing Bureau" },
        "level": level, "district": district, "parent": "housing" } })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admins_keep_the_policy_and_the_sync_check_follows_it() {
    let data = tempfile::tempdir().unwrap();
    let server = {
        let store = common::open_store(&data.path().join("data")).await;
        server::demo::seed_accounts(&store).await.unwrap();
        serve_store(&data.path().join("data"), data.path()).await
    };

    // Anyone reads it, signed in or not; a device that has it gets 204.
    let first = request(server.addr, "GET", "/api/policy", &[], "").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.json()["version"], 1);
    assert_eq!(request(server.addr, "GET", "/api/policy?version=1", &[], "").await.status, 204);

    // Only an admin changes it.
    let coordinator = cookie_of(&server, "xietiao-huiyang").await;
    let refused = edit(&server, &coordinator, add_unit("huiyang-housing", "district", "huiyang")).await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        request(server.addr, "POST", "/api/admin/policy", &[("Content-Type", "application/json")], "{}").await.status,
        401
    );

    let admin = cookie_of(&server, "admin").await;
    let added = edit(&server, &admin, add_unit("huiyang-housing", "district", "huiyang")).await;
    assert_eq!(added.status, 200, "{}", added.body);
    assert_eq!(added.json()["version"], 2);
    let township = serde_json::json!({ "directory": { "edit": "add_unit", "code": "qiuchang",
        "name": { "zh": "秋长街道", "en": "Qiuchang Subdistrict" }, "level": "township", "district": "huiyang", "parent": null } });
    assert_eq!(edit(&server, &admin, township).await.status, 200);

    // A bad edit says why and changes nothing.
    let taken = edit(&server, &admin, add_unit("natres", "city", "city")).await;
    assert_eq!(taken.status, 422);
    assert!(taken.json()["zh"].as_str().unwrap().contains("已被使用"), "{}", taken.body);
    let wrong_level = edit(&server, &admin, add_unit("x-bureau", "city", "huiyang")).await;
    assert_eq!(wrong_level.status, 422);
    let garbage = edit(&server, &admin, serde_json::json!({ "directory": { "edit": "burn_it_all" } })).await;
    assert_eq!(garbage.status, 422, "{}", garbage.body);
    assert_eq!(request(server.addr, "GET", "/api/policy", &[], "").await.json()["version"], 3);

    // One district's reply deadline.
    let rules = serde_json::json!({ "rules": { "district": "huiyang", "category": null, "rules": {
        "triage_working_days": 1, "reply_working_days": 2, "resolve_working_days": 15, "resolve_max_working_days": 30,
        "progress_days": 30, "callback_working_days": 1, "rectify_working_days": 15 } } });
    assert_eq!(edit(&server, &admin, rules).await.status, 200);
    assert_eq!(server.policy.current().rules.for_case("huiyang", "land").reply_working_days, 2);
    let audit = server.store.audit_page(None, 50).await.unwrap();
    assert_eq!(audit.iter().filter(|(_, e)| e.action == "policy" && e.actor == "admin").count(), 3);

    // The sync check routes by the directory in force: to the district's
    // own new bureau, yes; to another district's bureau, no.
    let id = domain::sync::DocumentId::from_bytes([41; 16]).to_string();
    let now = server.clock.now_ms();
    let mut ent = Device::new(&qiye(1).0, "phone", 1);
    ent.create(&new_case(&id, &qiye(1).1, "huiyang")).await;
    ent.record(&id, now, EventKind::Submit).await;
    ent.connect(server.addr, &sign_in(server.addr, "qiye01").await).await;
    assert!(ent.pump_until(QUIET, |d| d.in_sync(&id)).await);
    let mut coord = Device::new("coord-huiyang", "laptop", 2);
    coord.connect(server.addr, &sign_in(server.addr, "xietiao-huiyang").await).await;
    assert!(coord.pump_until(QUIET, |d| d.case(&id).is_some()).await);
    let elsewhere =
        EventKind::Route { lead_department: "huidong-natres".into(), assisting: vec![], channel: Channel::Online };
    coord.record(&id, now, elsewhere).await;
    assert!(coord.pump_until(QUIET, |d| !d.refusals.is_empty()).await);
    assert!(coord.refusals[0].reason_zh.contains("不负责"), "{}", coord.refusals[0].reason_zh);
    let own = EventKind::Route {
        lead_department: "huiyang-housing".into(),
        assisting: vec!["qiuchang".into()],
        channel: Channel::Online,
    };
    coord.record(&id, now, own).await;
    assert!(coord.pump_until(QUIET, |d| d.in_sync(&id)).await);
    assert_eq!(coord.refusals.len(), 1, "the route to the district's own bureau is accepted");
    let stored = server.store.load_document(&id).await.unwrap().unwrap().0;
    let flow = domain::doc::read(&stored).unwrap().state().flow;
    assert_eq!(flow.lead_department.as_deref(), Some("huiyang-housing"));

    // A restarted server on the same database keeps every edit.
    let again = serve_store(&data.path().join("data"), data.path()).await;
    let kept = again.policy.current();
    assert_eq!(kept.version, 4);
    assert!(kept.directory.routable("qiuchang", "huiyang").is_ok());
    assert_eq!(kept.rules.for_case("huiyang", "land").reply_working_days, 2);
}
