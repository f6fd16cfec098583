#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Sync over real WebSockets against a real SQLite file: what each user
//! receives, what the server refuses, and that refused changes go nowhere.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::client::{Device, sign_in};
use common::start;
use domain::permission::{CaseParties, may_read};
use server::demo;

const QUIET: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_user_receives_exactly_the_cases_they_may_read() {
    let server = start(true).await;
    let cases: Vec<domain::case::CaseDoc> = (0..demo::DEMO_CASES)
        .map(|i| {
            let (doc, _) = server.store.load_document(&demo::demo_case_id(i)).unwrap().unwrap();
            domain::doc::read(&doc).unwrap()
        })
        .collect();
    let accounts = server.store.accounts().unwrap();
    assert!(accounts.len() >= 30, "every role has demo accounts");
    for account in accounts {
        let user = &account.user;
        let readable: BTreeSet<String> = cases
            .iter()
            .filter(|c| {
                let state = c.state();
                may_read(user, &CaseParties { enterprise: &c.enterprise.id, district: &c.district, state: &state })
            })
            .map(|c| c.id.clone())
            .collect();
        let cookie = sign_in(server.addr, &account.login).await;
        let mut device = Device::new(&user.id, &format!("st-{}", account.login), 1);
        device.connect(server.addr, &cookie).await;
        assert!(
            device.pump_until(QUIET, |d| d.whole_cases() >= readable.len()).await,
            "{} received {} of {} cases",
            account.login,
            device.whole_cases(),
            readable.len()
        );
        // Ask for every other case by id: each answer is "unavailable", and
        // since the server answers in order, nothing else can arrive later.
        let others: Vec<&String> = cases.iter().map(|c| &c.id).filter(|id| !readable.contains(*id)).collect();
        for id in &others {
            device.request(id).await;
        }
        assert!(device.pump_until(QUIET, |d| d.unavailable.len() == others.len()).await, "{}", account.login);
        let received: BTreeSet<String> = device.docs.keys().cloned().collect();
        assert_eq!(received, readable, "{} ({:?})", account.login, user.role);
        for id in &readable {
            assert!(device.case(id).is_some(), "{} holds a whole case", account.login);
        }
    }
}
