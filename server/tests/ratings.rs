#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Public ratings: only those the enterprise chose to publish, score and
//! level only, never the comment.

mod common;

use common::{get, start};

#[tokio::test]
async fn only_published_ratings_are_listed_without_comments() {
    let server = start(true).await;
    let (mut public, mut private) = (0, 0);
    let mut comments = Vec::new();
    for id in server.store.case_ids_of_district("city").await.unwrap() {
        let case = domain::doc::read(&server.store.load_document(&id).await.unwrap().unwrap().0).unwrap();
        for rating in case.state().flow.ratings {
            if rating.public {
                public += 1
            } else {
                private += 1
            }
            if !rating.comment.is_empty() {
                comments.push(rating.comment);
            }
        }
    }
    assert!(public > 0 && private > 0, "the demo data has both: {public} public, {private} private");
    assert!(!comments.is_empty(), "the demo ratings have comments");
    let page = get(server.addr, "/ratings").await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("<script"));
    assert_eq!(page.body.matches("<tr data-score").count(), public, "one row per published rating");
    for comment in comments {
        assert!(!page.body.contains(&comment), "the comment '{comment}' stays private");
    }
}
