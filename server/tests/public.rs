#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The public progress page: a party gets the link; anyone with it sees the
//! progress, and nothing personal; no script on the page.

mod common;

use common::client::sign_in;
use common::{get, qiye, request, start};
use domain::permission::{Role, User};

#[tokio::test]
async fn a_party_shares_a_link_that_shows_progress_and_nothing_personal() {
    let server = start(true).await;
    let (user_id, enterprise) = qiye(1);
    let me = User { id: user_id, role: Role::Enterprise, org: Some(enterprise), district: None };
    let (case_id, _) = server.store.readable_cases(&me).await.unwrap().into_iter().next().expect("qiye01 has cases");
    let case = domain::doc::read(&server.store.load_document(&case_id).await.unwrap().unwrap().0).unwrap();
    let link_path = format!("/api/cases/{case_id}/public-link");

    assert_eq!(get(server.addr, &link_path).await.status, 401, "signed in only");
    let other = sign_in(server.addr, "qiye02").await;
    let refused = request(server.addr, "GET", &link_path, &[("Cookie", &other)], "").await;
    assert_eq!(refused.status, 404, "not a party: as if there were no such case");
    let ent = sign_in(server.addr, "qiye01").await;
    let first = request(server.addr, "GET", &link_path, &[("Cookie", &ent)], "").await;
    assert_eq!(first.status, 200, "{}", first.body);
    let path = first.json()["path"].as_str().unwrap().to_string();
    assert!(path.starts_with("/p/") && path.len() == 3 + 64, "{path}");
    let again = request(server.addr, "GET", &link_path, &[("Cookie", &ent)], "").await;
    assert_eq!(again.json()["path"].as_str(), Some(path.as_str()), "one link per case");

    let page = get(server.addr, &path).await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    let policy = page.header("content-security-policy").unwrap();
    assert!(policy.contains("default-src 'none'") && !policy.contains("unsafe-inline"), "{policy}");
    assert!(!page.body.contains("<script") && !page.body.contains("<style"), "no script, no inline style");
    assert!(page.body.contains(r#"<link rel="stylesheet" href="/pages.css">"#), "the one stylesheet");
    let css = get(server.addr, "/pages.css").await;
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css") && css.body.contains(".l{"));
    assert!(page.body.contains(case.number.as_deref().unwrap()), "the case number is shown");
    assert!(page.body.contains(case.state().status().label().zh), "the status is shown");
    for secret in [
        &case.contact.phone,
        &case.contact.name,
        &case.enterprise.name,
        &case.enterprise.uscc,
        &case.appeal.description,
    ] {
        assert!(!page.body.contains(secret.as_str()), "{secret} is not public");
    }
    assert!(!page.body.contains("/api/blobs"), "no attachments");

    let qr = get(server.addr, &format!("{path}/qr.svg")).await;
    assert_eq!(qr.status, 200);
    assert_eq!(qr.header("content-type").as_deref(), Some("image/svg+xml"));
    assert!(qr.body.contains("<svg"));
    assert_eq!(get(server.addr, "/p/0000").await.status, 404);
    assert_eq!(get(server.addr, "/p/0000/qr.svg").await.status, 404);
    // The QR code holds the configured address, whatever Host the request names.
    let url = format!("http://{}{path}", server.addr);
    let expected = qrcode::QrCode::new(url.as_bytes()).unwrap();
    let expected =
        expected.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    assert_eq!(qr.body, expected);
    let forged = {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        let raw = format!("GET {path}/qr.svg HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");
        stream.write_all(raw.as_bytes()).await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        answer
    };
    assert!(forged.starts_with("HTTP/1.1 200"), "{forged}");
    assert!(forged.ends_with(&expected), "the Host header is not used");
}

/// `POST /lookup` with a form body.
async fn look_up(server: &common::TestServer, number: &str, code: &str) -> common::Response {
    let form = format!("number={number}&code={code}");
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    request(server.addr, "POST", "/lookup", &headers, &form).await
}

#[tokio::test]
async fn the_number_and_query_code_find_the_page_and_wrong_codes_are_throttled_like_unknown_numbers() {
    let server = start(true).await;
    let (user_id, enterprise) = qiye(1);
    let me = User { id: user_id, role: Role::Enterprise, org: Some(enterprise), district: None };
    let cases = server.store.readable_cases(&me).await.unwrap();
    let ent = sign_in(server.addr, "qiye01").await;
    let mut found = Vec::new();
    for (case_id, _) in cases.iter().take(2) {
        let case = domain::doc::read(&server.store.load_document(case_id).await.unwrap().unwrap().0).unwrap();
        let link = request(server.addr, "GET", &format!("/api/cases/{case_id}/public-link"), &[("Cookie", &ent)], "")
            .await
            .json();
        let code = link["code"].as_str().unwrap().to_string();
        assert_eq!(code.len(), 8, "{code}");
        found.push((case.number.unwrap(), code, link["path"].as_str().unwrap().to_string()));
    }
    let (number, code, path) = found[0].clone();

    let form = get(server.addr, "/lookup").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(r#"method="post""#) && !form.body.contains("<script"));
    // Typed loosely: lower case, with a dash and spaces.
    let typed = format!("{}-{}+", code[..4].to_lowercase(), &code[4..]);
    let hit = look_up(&server, &number.to_lowercase(), &typed).await;
    assert_eq!(hit.status, 303, "{}", hit.body);
    assert_eq!(hit.header("location").as_deref(), Some(path.as_str()));

    // Another case's code, or an unknown number: one answer.
    let other_code = &found[1].1;
    let wrong = look_up(&server, &number, other_code).await;
    let unknown = look_up(&server, "HZ-2026-999999", &code).await;
    assert_eq!((wrong.status, unknown.status), (404, 404));
    assert_eq!(wrong.body.replace(&number, "N"), unknown.body.replace("HZ-2026-999999", "N"), "the same answer");
    assert!(!wrong.body.contains(&code) && !wrong.body.contains(&path), "nothing of the case");

    // Five wrong codes lock the number: then even the right code waits,
    // as an unknown number does after five tries.
    for _ in 0..4 {
        assert_eq!(look_up(&server, &number, "AAAA2222").await.status, 404);
        assert_eq!(look_up(&server, "HZ-2026-999999", "AAAA2222").await.status, 404);
    }
    let locked = look_up(&server, &number, &code).await;
    assert_eq!(locked.status, 429, "{}", locked.body);
    assert!(locked.header("retry-after").is_some());
    let unknown_locked = look_up(&server, "HZ-2026-999999", &code).await;
    assert_eq!(unknown_locked.status, 429);
    assert_eq!(locked.body.replace(&number, "N"), unknown_locked.body.replace("HZ-2026-999999", "N"));
    // Another case is not locked by them.
    let (second, second_code, second_path) = found[1].clone();
    let hit = look_up(&server, &second, &second_code).await;
    assert_eq!(hit.header("location").as_deref(), Some(second_path.as_str()));
    // A minute later, the right code works again.
    server.clock.set_ms(server.clock.now_ms() + 61_000);
    assert_eq!(look_up(&server, &number, &code).await.status, 303);
}
