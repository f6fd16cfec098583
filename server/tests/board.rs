#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The monthly supervision board: public, plain HTML, the district's open
//! cases with responsible unit, deadline and light; nothing personal.

mod common;

use common::{get, start};
use domain::public::board_entry;

#[tokio::test]
async fn a_districts_board_lists_its_open_cases_and_nothing_personal() {
    let server = start(true).await;
    let index = get(server.addr, "/board").await;
    assert_eq!(index.status, 200);
    assert!(index.body.contains("/board/huicheng/2026-11"), "the demo clock is in November 2026");

    let board = get(server.addr, "/board/huicheng/2026-11").await;
    assert_eq!(board.status, 200);
    assert!(board.header("content-security-policy").unwrap().contains("default-src 'none'"));
    assert!(!board.body.contains("<script"));
    // As many rows as the domain finds open on the server's today.
    let today = common::anchor();
    let mut open = 0;
    for id in server.store.case_ids_of_district("huicheng").unwrap() {
        let case = domain::doc::read(&server.store.load_document(&id).unwrap().unwrap().0).unwrap();
        let entry = board_entry(&case, &domain::calendar::WorkCalendar::china(), &Default::default(), today);
        if let Some(entry) = entry {
            open += 1;
            assert!(board.body.contains(entry.number.as_deref().unwrap()), "every open case is listed");
        }
        for secret in [&case.contact.phone, &case.enterprise.name, &case.appeal.description] {
            assert!(!board.body.contains(secret.as_str()), "{secret} is not on the board");
        }
    }
    assert!(open > 0, "the demo district has open cases");
    assert_eq!(board.body.matches("<tr data-light").count(), open);

    for bad in ["/board/mars/2026-11", "/board/huicheng/2026-13", "/board/huicheng/2026-0", "/board/huicheng/2027-06"] {
        assert_eq!(get(server.addr, bad).await.status, 404, "{bad}");
    }
}
