#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Mail through a real SMTP server (Debian's python3-aiosmtpd, started by
//! the test on a loopback port): November's letters arrive for each open
//! case of an enterprise with an address; a refused delivery (550) is
//! tried again after each wait, then marked failed and listed for admins.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::client::sign_in;
use common::{qiye, request, start_with_mail};
use server::mail::{MailConfig, TRIES};
use server::pages::letters;
use server::store::outbox::Channel;

/// The SMTP server: a child process, stopped when dropped.
struct Smtp {
    child: Child,
    port: u16,
    inbox: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Smtp {
    async fn start() -> Smtp {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox");
        std::fs::create_dir_all(&inbox).unwrap();
        // A free port: taken, then let go for the server to take.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/smtp/server.py");
        // Debian's Python, which has python3-aiosmtpd (`scripts/setup.sh`).
        let mut child = Command::new("/usr/bin/python3")
            .arg(script)
            .arg(port.to_string())
            .arg(&inbox)
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the SMTP server (python3-aiosmtpd)");
        let stdout = child.stdout.take().unwrap();
        let read = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).map(|_| line)
        });
        let line = tokio::time::timeout(Duration::from_secs(30), read).await.expect("the SMTP server starts");
        let line = line.unwrap().unwrap();
        assert_eq!(line.trim(), "ready", "the SMTP server says it listens");
        Smtp { child, port, inbox, _dir: dir }
    }

    /// The server's mail settings for this SMTP server, sending every 100 ms.
    fn config(&self) -> MailConfig {
        MailConfig {
            smtp_url: format!("smtp://127.0.0.1:{}", self.port),
            from: "直通车 Direct Line <noreply@zhitongche.test>".into(),
            every: Duration::from_millis(100),
        }
    }

    /// The messages arrived so far, whole, in order.
    fn arrived(&self) -> Vec<Vec<u8>> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.inbox)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        files.into_iter().map(|p| std::fs::read(p).unwrap()).collect()
    }
}

/// Waits (30 s at most) until `ready` holds.
async fn until<F: AsyncFnMut() -> bool>(what: &str, mut ready: F) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready().await {
        assert!(Instant::now() < deadline, "{what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn november_letters_arrive_by_mail_and_a_refused_one_is_retried_then_listed_as_failed() {
    let smtp = Smtp::start().await;
    let server = start_with_mail(true, &smtp.config()).await;
    let put = |cookie: String, body: &'static str| async move {
        let headers = [("Cookie", cookie.as_str()), ("Content-Type", "application/json")];
        request(server.addr, "PUT", "/api/settings", &headers, body).await
    };
    let ent1 = sign_in(server.addr, "qiye01").await;
    let saved = put(ent1.clone(), r#"{"email":" huang@dejinchang.test "}"#).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.json()["settings"]["email"], "huang@dejinchang.test");
    assert_eq!(saved.json()["mail"], true);
    let ent2 = sign_in(server.addr, "qiye02").await;
    assert_eq!(put(ent2, r#"{"email":"refuse@fenghua.test","lang":"en"}"#).await.status, 200);
    let refused = put(ent1.clone(), r#"{"email":"not an address"}"#).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("invalid e-mail address"), "{}", refused.body);

    // The 2nd of December: November's letters are due.
    let december = domain::time::Day::parse("2026-12-02").unwrap().start_instant() + 9 * 3_600_000;
    server.clock.set_ms(december);
    let in_force = server::sync::InForce { policy: server.policy.clone(), officials: server.officials.clone() };
    letters::run_once(&server.store, &in_force, &server.public_url, true, december).await.unwrap();
    let november = server.store.letters_of_month("2026-11").await.unwrap();
    let of = |n: usize| november.iter().filter(|l| l.enterprise_id == qiye(n).1).cloned().collect::<Vec<_>>();
    let (good, bad) = (of(1), of(2));
    assert!(!good.is_empty() && !bad.is_empty(), "both enterprises have cases open at the end of November");

    // Each of qiye01's letters arrives, once, to its address. (October's
    // may arrive too: the server issued them when it started, and mails
    // them if the address was set by then.)
    let arrived_in_november = || {
        let all = smtp.arrived();
        let parse = |raw: &Vec<u8>| mail_parser::MessageParser::default().parse(raw).unwrap().into_owned();
        all.iter().map(parse).filter(|m| m.subject().unwrap().contains("2026-11")).collect::<Vec<_>>()
    };
    until("every letter arrives", async || arrived_in_november().len() >= good.len()).await;
    let arrived = arrived_in_november();
    assert_eq!(arrived.len(), good.len(), "one mail per letter");
    for message in &arrived {
        let to = message.to().unwrap().first().unwrap().address().unwrap().to_string();
        assert_eq!(to, "huang@dejinchang.test");
        let subject = message.subject().unwrap().to_string();
        let letter = good.iter().find(|l| subject.contains(l.number.as_deref().unwrap())).expect("a letter's number");
        assert!(subject.contains("2026-11 办理进度告知函"), "{subject}");
        let html = message.body_html(0).unwrap();
        assert_eq!(html.trim_end(), letter.html.trim_end(), "the letter itself");
        assert!(html.contains("企业诉求办理进度告知函"));
        let text = message.body_text(0).unwrap();
        assert!(text.contains(&format!("/letters/{}/2026-11", letter.case_id)), "{text}");
    }

    // qiye02's are refused (550): each try is recorded with the answer,
    // and tried again after each wait.
    let in_november = |m: &server::store::outbox::OutState| m.out_key.contains("/2026-11/");
    let bad_mails = async || {
        let mails = server.store.outbox(Channel::Mail, 1000).await.unwrap();
        mails.into_iter().filter(|m| m.recipient == "refuse@fenghua.test" && in_november(m)).collect::<Vec<_>>()
    };
    for tries in 1..=TRIES {
        until(&format!("try {tries} of the refused mails"), async || {
            bad_mails().await.iter().all(|m| m.attempts == tries)
        })
        .await;
        let mails = bad_mails().await;
        assert_eq!(mails.len(), bad.len());
        for m in &mails {
            assert!(m.last_error.as_deref().unwrap().contains("550"), "{:?}", m.last_error);
            assert_eq!(m.state, if tries < TRIES { "queued" } else { "failed" }, "after try {tries}");
        }
        if tries < TRIES {
            // Not before the wait is over ...
            assert!(mails.iter().all(|m| m.next_ms > server.clock.now_ms()));
            server.clock.set_ms(mails[0].next_ms + 1);
        }
    }
    assert_eq!(arrived_in_november().len(), good.len(), "nothing more arrived");
    assert!(
        smtp.arrived().iter().all(|raw| !String::from_utf8_lossy(raw).contains("refuse@")),
        "nothing reached the refused address"
    );
    let mails = server.store.outbox(Channel::Mail, 1000).await.unwrap();
    assert_eq!(mails.iter().filter(|m| m.state == "sent" && in_november(m)).count(), good.len());
    let failed = mails.iter().filter(|m| m.state == "failed").count();
    assert!(failed >= bad.len());

    // Admins see the failures, with the server's answer.
    let admin = sign_in(server.addr, "admin").await;
    let log = request(server.addr, "GET", "/admin/mail?lang=en", &[("Cookie", &admin)], "").await;
    assert_eq!(log.status, 200);
    assert!(log.body.contains(&format!(r#"data-failed="{failed}""#)), "{}", log.body);
    assert_eq!(log.body.matches(r#"data-state="failed""#).count(), failed);
    assert!(log.body.contains("refuse@fenghua.test") && log.body.contains("550"));
    let not_admin = request(server.addr, "GET", "/admin/mail", &[("Cookie", &ent1)], "").await;
    assert_eq!(not_admin.status, 403);

    // Running again queues nothing twice.
    letters::run_once(&server.store, &in_force, &server.public_url, true, server.clock.now_ms()).await.unwrap();
    let queued = server.store.outbox(Channel::Mail, 1000).await.unwrap();
    assert_eq!(queued.iter().filter(|m| in_november(m)).count(), good.len() + bad.len());
}

#[tokio::test]
async fn an_invitation_and_a_password_reset_link_arrive_by_mail_and_work() {
    let smtp = Smtp::start().await;
    let server = start_with_mail(false, &smtp.config()).await;
    let admin = sign_in(server.addr, "admin").await;
    let headers = [("Cookie", admin.as_str()), ("Content-Type", "application/json")];
    let refused = request(
        server.addr,
        "POST",
        "/api/admin/invitations",
        &headers,
        r#"{"role":"Officer","org":"natres","display_name":"王科员","email":"wang at natres"}"#,
    )
    .await;
    assert_eq!(refused.status, 400, "a wrong address is refused: {}", refused.body);
    let invited = request(
        server.addr,
        "POST",
        "/api/admin/invitations",
        &headers,
        r#"{"role":"Officer","org":"natres","display_name":"王科员","email":"wang@natres.test"}"#,
    )
    .await;
    assert_eq!(invited.status, 201, "{}", invited.body);
    assert_eq!(invited.json()["mailed_to"], "wang@natres.test");
    let path = invited.json()["path"].as_str().unwrap().to_string();

    until("the invitation arrives", async || !smtp.arrived().is_empty()).await;
    let message = mail_parser::MessageParser::default().parse(&smtp.arrived()[0]).unwrap().into_owned();
    assert_eq!(message.to().unwrap().first().unwrap().address().unwrap(), "wang@natres.test");
    let url = format!("{}{path}", server.public_url);
    assert!(message.body_text(0).unwrap().contains(&url), "the link itself");
    assert!(message.body_html(0).unwrap().contains(&format!(r#"href="{url}""#)));
    let token = path.trim_start_matches("/invite/");
    assert_eq!(common::get(server.addr, &format!("/api/invitations/{token}")).await.status, 200, "it works");

    // A reset goes to the address the account chose.
    let officer = sign_in(server.addr, "bumen-natres").await;
    let mine = [("Cookie", officer.as_str()), ("Content-Type", "application/json")];
    let chosen = request(server.addr, "PUT", "/api/settings", &mine, r#"{"email":"li@natres.test"}"#).await;
    assert_eq!(chosen.status, 200);
    let id = "officer-natres";
    let reset = request(server.addr, "POST", &format!("/api/admin/users/{id}/reset"), &headers, "").await;
    assert_eq!(reset.status, 200, "{}", reset.body);
    assert_eq!(reset.json()["mailed_to"], "li@natres.test");
    until("the reset link arrives", async || smtp.arrived().len() == 2).await;
    let message = mail_parser::MessageParser::default().parse(&smtp.arrived()[1]).unwrap().into_owned();
    assert_eq!(message.to().unwrap().first().unwrap().address().unwrap(), "li@natres.test");
    assert!(message.body_text(0).unwrap().contains(reset.json()["path"].as_str().unwrap()));
}

#[tokio::test]
async fn an_official_who_chose_it_gets_one_digest_a_working_morning() {
    let smtp = Smtp::start().await;
    let server = start_with_mail(true, &smtp.config()).await;
    let friday = common::anchor().start_instant();
    server.clock.set_ms(friday + 7 * 3_600_000);
    let coordinator = sign_in(server.addr, "xietiao-huicheng").await;
    let headers = [("Cookie", coordinator.as_str()), ("Content-Type", "application/json")];
    let body = r#"{"email":"chen@huicheng.test","digest":true,"lang":"en"}"#;
    assert_eq!(request(server.addr, "PUT", "/api/settings", &headers, body).await.status, 200);
    let in_force = server::sync::InForce { policy: server.policy.clone(), officials: server.officials.clone() };
    let digests = async || {
        let mails = server.store.outbox(Channel::Mail, 1000).await.unwrap();
        mails.into_iter().filter(|m| m.out_key.starts_with("digest/")).collect::<Vec<_>>()
    };

    server::notify::run_once(&server.store, &in_force, &server.public_url, true, server.clock.now_ms()).await.unwrap();
    assert!(digests().await.is_empty(), "not before eight");
    server.clock.set_ms(friday + 9 * 3_600_000);
    for _ in 0..2 {
        server::notify::run_once(&server.store, &in_force, &server.public_url, true, server.clock.now_ms())
            .await
            .unwrap();
    }
    assert_eq!(digests().await.len(), 1, "one a day");
    until("the digest arrives", async || !smtp.arrived().is_empty()).await;
    let message = mail_parser::MessageParser::default().parse(&smtp.arrived()[0]).unwrap().into_owned();
    assert_eq!(message.to().unwrap().first().unwrap().address().unwrap(), "chen@huicheng.test");
    let subject = message.subject().unwrap().to_string();
    assert!(subject.starts_with("Direct Line daily digest 2026-11-20:"), "{subject}");
    // It lists the cases of Huicheng that wait on its coordinator, each linked.
    let html = message.body_html(0).unwrap();
    let mut waiting = 0;
    for id in server.store.case_ids_of_district("huicheng").await.unwrap() {
        let case = domain::doc::read(&server.store.load_document(&id).await.unwrap().unwrap().0).unwrap();
        let waits = domain::work::waiting_on(&case.state()).contains(&domain::work::Party::Coordinator);
        assert_eq!(html.contains(&format!("/case/{id}\"")), waits, "{id}");
        waiting += usize::from(waits);
    }
    assert!(waiting > 0);
    assert!(subject.ends_with(&format!("{waiting} cases wait on you")), "{subject}");
}
