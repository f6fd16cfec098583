#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! The permission matrix over real WebSockets: every demo account — each
//! role, and officers of city bureaus, district bureaus and townships,
//! coordinators and leaders of the city and of each district — against
//! every demo case. What each receives is exactly what `may_read` allows;
//! a change it makes to each case it holds is accepted exactly when
//! `authorize` allows it.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::client::{Device, sign_in};
use common::start;
use domain::directory::{Directory, Level};
use domain::event::EventKind;
use domain::permission::{Action, CaseParties, Role, authorize, may_read};
use server::demo;

const QUIET: Duration = Duration::from_secs(10);

/// The change tried on a case: each kind is allowed to different parties.
fn change(i: usize, district: &str) -> EventKind {
    match i % 4 {
        0 => EventKind::RequestInfo { question: "请补充材料".into() },
        1 => EventKind::PostProgress { text: "已现场查看".into() },
        2 => EventKind::Decide {
            lead_leader: format!("leader-{district}"),
            lead_department: "natres".into(),
            assisting: vec![],
            milestones: vec![],
        },
        _ => EventKind::AddInfo { text: "补充说明".into(), attachments: vec![] },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_and_level_reads_and_writes_exactly_what_the_permission_function_allows() {
    let server = start(true).await;
    let ids: Vec<String> = (0..demo::DEMO_CASES).map(demo::demo_case_id).collect();
    let accounts = server.store.accounts().await.unwrap();
    let directory = Directory::huizhou();
    let level_of = |org: &str| directory.unit(org).map(|u| u.level).ok();
    let officers_at = |level| {
        accounts
            .iter()
            .filter(|a| a.user.role == Role::Officer && level_of(a.user.org.as_deref().unwrap_or("")) == Some(level))
            .count()
    };
    assert!(officers_at(Level::District) >= 3 && officers_at(Level::Township) >= 1, "officers of every level");
    let mut led_locally = 0;
    let (mut accepted, mut refused) = (0, 0);
    for account in &accounts {
        let user = &account.user;
        let mut cases = Vec::new();
        for id in &ids {
            let (doc, _) = server.store.load_document(id).await.unwrap().unwrap();
            cases.push(domain::doc::read(&doc).unwrap());
        }
        let readable: BTreeSet<String> = cases
            .iter()
            .filter(|c| {
                may_read(user, &CaseParties { enterprise: &c.enterprise.id, district: &c.district, state: &c.state() })
            })
            .map(|c| c.id.clone())
            .collect();
        let mut device = Device::new(&user.id, &format!("acl-{}", account.login), 1);
        device.connect(server.addr, &sign_in(server.addr, &account.login).await).await;
        assert!(device.pump_until(QUIET, |d| d.whole_cases() >= readable.len()).await, "{}", account.login);
        let others: Vec<&String> = ids.iter().filter(|id| !readable.contains(*id)).collect();
        for id in &others {
            device.request(id).await;
        }
        assert!(device.pump_until(QUIET, |d| d.unavailable.len() == others.len()).await, "{}", account.login);
        let received: BTreeSet<String> = device.ids().cloned().collect();
        assert_eq!(received, readable, "{} ({:?} {:?})", account.login, user.role, user.org);

        // Write: one change to each case held, judged by `authorize`.
        for (i, case) in cases.iter().enumerate().filter(|(_, c)| readable.contains(&c.id)) {
            if level_of(case.state().flow.lead_department.as_deref().unwrap_or("")).is_some_and(|l| l != Level::City) {
                led_locally += 1;
            }
            let kind = change(i, &case.district);
            let state = device.case(&case.id).unwrap().state();
            let parties = CaseParties { enterprise: &case.enterprise.id, district: &case.district, state: &state };
            let allowed = authorize(user, &parties, Action::Append(&kind)).is_ok();
            let before = device.refusals.len();
            device.record(&case.id, server.clock.now_ms(), kind).await;
            assert!(
                device.pump_until(QUIET, |d| d.refusals.len() > before || d.in_sync(&case.id)).await,
                "{} on {}",
                account.login,
                case.id
            );
            let was_refused = device.refusals.len() > before;
            assert_eq!(
                !was_refused,
                allowed,
                "{} ({:?}) writing {:?} to {}",
                account.login,
                user.role,
                change(i, &case.district),
                case.id
            );
            if allowed { accepted += 1 } else { refused += 1 }
        }
    }
    assert!(led_locally > 0, "some cases are led by district or township units");
    assert!(accepted > 20 && refused > 20, "both outcomes are exercised ({accepted} accepted, {refused} refused)");
}
