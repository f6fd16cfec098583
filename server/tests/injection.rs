#![allow(clippy::unwrap_used, clippy::expect_used)]
//! HTML and script in every text a party can write reach every server-made
//! page only escaped: the public progress page, the board, ratings,
//! statistics, the monthly letter, the common-issue report, the audit log
//! and the open data API.

mod common;

use common::client::sign_in;
use common::{get, request, start};
use domain::event::{Channel, EventKind, Milestone};
use domain::time::Day;
use server::store::CaseRow;

/// Markup that would run or break out of an attribute if not escaped.
const ATTACKS: [&str; 4] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "'><iframe src=javascript:alert(4)>",
];

fn poisoned(n: usize) -> String {
    format!("厂区{}问题", ATTACKS[n % ATTACKS.len()])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_every_text_is_shown_escaped_everywhere() {
    let server = start(false).await;
    let id = domain::sync::DocumentId::from_bytes([7; 16]).to_string();
    let mut case = common::new_case(&id, &common::qiye(1).1, "boluo");
    case.enterprise.name = poisoned(0);
    case.contact.name = poisoned(1);
    case.appeal.title = poisoned(2);
    case.appeal.description = poisoned(3);
    case.number = Some("HZ-2026-000777".into());
    let mut doc = domain::doc::create(&case, automerge::ActorId::random()).unwrap();
    let october = |d: u32| Day::ymd(2026, 10, d).unwrap().start_instant() + 36_000_000;
    let session = "boluo-2026-10-09".to_string();
    let steps = [
        ("user-ent", EventKind::Submit),
        (
            "coord-boluo",
            EventKind::Route { lead_department: "natres".into(), assisting: vec![], channel: Channel::Session },
        ),
        ("coord-boluo", EventKind::Schedule { session, day: Day::ymd(2026, 10, 9).unwrap() }),
        (
            "leader-boluo",
            EventKind::Decide {
                lead_leader: poisoned(0),
                lead_department: "natres".into(),
                assisting: vec![],
                milestones: vec![Milestone {
                    id: "m1".into(),
                    title: poisoned(1),
                    due: Day::ymd(2026, 12, 31).unwrap(),
                }],
            },
        ),
        ("officer-natres", EventKind::StartWork { plan: poisoned(2) }),
        ("officer-natres", EventKind::PostProgress { text: poisoned(3) }),
        ("coord-boluo", EventKind::PublishTitle { title: poisoned(0) }),
    ];
    for (i, (author, kind)) in steps.into_iter().enumerate() {
        let current = domain::doc::read(&doc).unwrap();
        let event = domain::doc::next_event(&current, format!("e{i}"), author, october(5 + i as u32), kind);
        domain::doc::append(&mut doc, &event).unwrap();
    }
    let case = domain::doc::read(&doc).unwrap();
    assert!(case.state().refused.is_empty(), "{:?}", case.state().refused);
    server.store.put_case(&CaseRow::of(&case, &case.state(), &doc.get_heads()), &doc.save()).await.unwrap();
    let issued = server::pages::letters::issue_due(
        &server.store,
        &server.policy.current(),
        &server.officials.current(),
        &server.public_url,
        server.clock.now_ms(),
    )
    .await
    .unwrap();
    // The server's own start-up pass over the letters may come after the
    // case was stored (on a loaded machine) and issue it first.
    assert!(issued <= 1, "{issued} letters");
    assert!(server.store.noticed_cases("2026-10").await.unwrap().contains(&id), "October's letter");

    let ent = sign_in(server.addr, "qiye01").await;
    let coord = sign_in(server.addr, "xietiao-boluo").await;
    let admin = sign_in(server.addr, "admin").await;
    let link = request(server.addr, "GET", &format!("/api/cases/{id}/public-link"), &[("Cookie", &ent)], "").await;
    let public_path = link.json()["path"].as_str().unwrap().to_string();
    let pages = [
        (public_path.as_str(), ent.as_str()),
        ("/board/boluo/2026-10", ent.as_str()),
        ("/stats/boluo", ent.as_str()),
        ("/ratings", ent.as_str()),
        (&format!("/letters/{id}/2026-10"), ent.as_str()),
        ("/reports/common-issues/2026-Q4", coord.as_str()),
        ("/admin/audit", admin.as_str()),
    ];
    for (path, cookie) in pages {
        let page = request(server.addr, "GET", path, &[("Cookie", cookie)], "").await;
        assert_eq!(page.status, 200, "{path}");
        for attack in ATTACKS {
            assert!(!page.body.contains(attack), "{path} shows {attack} unescaped");
        }
        assert!(
            !page.body.contains("<script") && !page.body.contains("<img") && !page.body.contains("<iframe"),
            "{path}"
        );
    }
    // The letter and the report do show the texts — escaped.
    let letter = request(server.addr, "GET", &format!("/letters/{id}/2026-10"), &[("Cookie", &ent)], "").await;
    assert!(letter.body.contains("厂区&lt;script&gt;alert(1)&lt;/script&gt;问题"), "the enterprise's name, escaped");
    assert!(letter.body.contains("&lt;svg onload=alert(3)&gt;"), "its title, escaped");

    // JSON is not HTML: the open data API returns the published title as data.
    let open = get(server.addr, "/open311/v2/requests/HZ-2026-000777.json").await.json();
    assert_eq!(open[0]["description"].as_str(), Some(poisoned(0).as_str()));
}
