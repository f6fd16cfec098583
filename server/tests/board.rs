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
    for id in server.store.case_ids_of_district("huicheng").await.unwrap() {
        let case = domain::doc::read(&server.store.load_document(&id).await.unwrap().unwrap().0).unwrap();
        let entry = board_entry(&case, &domain::calendar::WorkCalendar::china().unwrap(), &Default::default(), today);
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

#[tokio::test]
async fn a_change_to_a_case_shows_on_the_next_board() {
    let server = start(true).await;
    let path = "/board/boluo/2026-11";
    let before = get(server.addr, path).await.body;
    // An open case of the district, declined by its coordinator now.
    let today = common::anchor();
    let calendar = domain::calendar::WorkCalendar::china().unwrap();
    let (id, number) = server
        .store
        .cases_of_district("boluo")
        .await
        .unwrap()
        .into_iter()
        .find_map(|case| {
            let open = case.state().status() == domain::status::Status::Submitted;
            let entry = open.then(|| board_entry(&case, &calendar, &Default::default(), today)).flatten();
            entry.map(|e| (case.id.clone(), e.number))
        })
        .unwrap();
    let number = number.unwrap();
    assert!(before.contains(&number));
    let (mut doc, _) = server.store.load_document(&id).await.unwrap().unwrap();
    let case = domain::doc::read(&doc).unwrap();
    let decline = domain::event::EventKind::Decline { reason: "不属于受理范围".into() };
    let event = domain::doc::next_event(&case, format!("{id}-decline"), "coord-boluo", server.clock.now_ms(), decline);
    domain::doc::append(&mut doc, &event).unwrap();
    let case = domain::doc::read(&doc).unwrap();
    let row = server::store::CaseRow::of(&case, &case.state(), &doc.get_heads());
    server.store.put_case(&row, &doc.save()).await.unwrap();
    let after = get(server.addr, path).await.body;
    assert!(!after.contains(&number), "a declined case leaves the board at once");
}
