#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The audit log: sign-ins, accepted and refused changes and exports are
//! recorded with who, what, which case and when; only admins read it.

mod common;

use std::time::Duration;

use common::client::{Device, sign_in};
use common::{get, request, start};
use domain::event::EventKind;

const QUIET: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_did_what_to_which_case_is_recorded_for_admins() {
    let server = start(false).await;
    let now = server.clock.now_ms();
    let wrong = r#"{"login":"qiye01","password":"guess"}"#;
    let failed = request(server.addr, "POST", "/api/session", &[("Content-Type", "application/json")], wrong).await;
    assert_eq!(failed.status, 401);

    // The enterprise files a case, then tries to resolve it itself.
    let id = domain::sync::DocumentId::from_bytes([9; 16]).to_string();
    let user = server.store.user_by_login("qiye01").await.unwrap().unwrap().0.user;
    let mut device = Device::new(&user.id, "ent-phone", 1);
    device.create(&common::new_case(&id, &common::qiye(1).1, "boluo")).await;
    device.record(&id, now, EventKind::Submit).await;
    let cookie = sign_in(server.addr, "qiye01").await;
    device.connect(server.addr, &cookie).await;
    assert!(device.pump_until(QUIET, |d| d.in_sync(&id) && d.case(&id).unwrap().number.is_some()).await);
    device.record(&id, now, EventKind::Resolve { summary: "自己解决".into(), evidence: vec![] }).await;
    assert!(device.pump_until(QUIET, |d| !d.refusals.is_empty()).await);
    let link = request(server.addr, "GET", &format!("/api/cases/{id}/public-link"), &[("Cookie", &cookie)], "").await;
    assert_eq!(link.status, 200);

    let log = server.store.audit_page(None, 100).await.unwrap();
    let find = |action: &str, detail: &str| {
        log.iter().find(|(_, e)| e.action == action && e.detail.contains(detail)).map(|(_, e)| e.clone())
    };
    assert_eq!(find("sign-in", "failed").unwrap().actor, "qiye01");
    assert_eq!(find("sign-in", "ok").unwrap().actor, "qiye01");
    let created = find("create", "submit").unwrap();
    assert_eq!((created.actor.as_str(), created.case_id.as_deref()), (user.id.as_str(), Some(id.as_str())));
    let refused = find("refused", "").unwrap();
    assert_eq!((refused.actor.as_str(), refused.case_id.as_deref()), (user.id.as_str(), Some(id.as_str())));
    assert_eq!(find("public-link", "").unwrap().case_id.as_deref(), Some(id.as_str()));
    assert!(log.windows(2).all(|w| w[0].0 > w[1].0), "newest first");

    // Admins read it; nobody else.
    let admin = sign_in(server.addr, "admin").await;
    let page = request(server.addr, "GET", "/admin/audit", &[("Cookie", &admin)], "").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control").as_deref(), Some("private, no-store"));
    assert!(page.body.contains(&id) && page.body.contains("data-action=\"refused\""));
    let older = request(server.addr, "GET", "/admin/audit?before=3", &[("Cookie", &admin)], "").await;
    assert_eq!(older.body.matches("<tr data-action").count(), 2, "entries 1 and 2");
    let bad = request(server.addr, "GET", "/admin/audit?before=x", &[("Cookie", &admin)], "").await;
    assert_eq!(bad.status, 400);
    for login in ["qiye01", "xietiao-city", "bumen-natres"] {
        let cookie = sign_in(server.addr, login).await;
        assert_eq!(request(server.addr, "GET", "/admin/audit", &[("Cookie", &cookie)], "").await.status, 403);
    }
    assert_eq!(get(server.addr, "/admin/audit").await.status, 401);
}
