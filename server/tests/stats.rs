#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The public statistics page: SVG charts and the department league table,
//! the figures the domain computes from the stored cases, nothing personal.

mod common;

use common::{anchor, get, start};
use domain::calendar::WorkCalendar;
use domain::stats::{CaseFacts, Programme, Statistics};

#[tokio::test]
async fn statistics_show_the_stored_cases_figures_and_league_table() {
    let server = start(true).await;
    let mut facts = Vec::new();
    let mut secrets = Vec::new();
    for id in server.store.case_ids_of_district("huiyang").await.unwrap() {
        let case = domain::doc::read(&server.store.load_document(&id).await.unwrap().unwrap().0).unwrap();
        facts.push(CaseFacts::of(&case, &case.state(), &WorkCalendar::china().unwrap(), &Default::default(), anchor()));
        secrets.extend([case.contact.phone.clone(), case.enterprise.name.clone(), case.appeal.description.clone()]);
    }
    let stats = Statistics::of(&facts, &domain::directory::Directory::huizhou(), anchor());
    assert!(stats.resolved > 0 && stats.on_time < stats.resolved, "the demo has late resolutions too: {stats:?}");

    let page = get(server.addr, "/stats/huiyang").await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-security-policy").unwrap().contains("default-src 'none'"));
    assert!(!page.body.contains("<script"));
    assert!(page.body.contains(&format!("<b data-k=\"submitted\">{}</b>", stats.submitted)));
    assert!(page.body.contains(&format!("<b data-k=\"resolved\">{}</b>", stats.resolved)));
    let rate = format!("{:.0}%", stats.on_time_rate().unwrap() * 100.0);
    assert!(page.body.contains(&format!("<b data-k=\"on-time\">{rate}</b>")), "on-time rate {rate}");
    assert_eq!(page.body.matches("<svg ").count(), 5, "months, on-time, categories, time to resolve, ratings");
    assert_eq!(page.body.matches("<tr data-department").count(), stats.departments.len());
    let first = &stats.departments[0].department;
    let last = &stats.departments.last().unwrap().department;
    let at = |code: &str| page.body.find(&format!("data-department=\"{code}\"")).unwrap();
    assert!(at(first) < at(last), "ranked in the domain's order");
    for secret in secrets {
        assert!(!page.body.contains(&secret), "{secret} is not on the statistics page");
    }

    // The programme's own figures, as the source report counts them.
    let figures = Programme::of(&facts);
    assert!(figures.raised_on_site > 0 && figures.received_on_site > 0, "the demo has sessions attended: {figures:?}");
    assert!(figures.received_on_site <= figures.raised_on_site, "an enterprise may raise several appeals");
    let shown = |key: &str, value: String| format!("<b data-k=\"{key}\">{value}</b>");
    for (key, value) in [
        ("received", figures.received.to_string()),
        ("received-on-site", figures.received_on_site.to_string()),
        ("raised-on-site", figures.raised_on_site.to_string()),
        ("closed", figures.resolved.to_string()),
        ("online", figures.online.to_string()),
        ("session", figures.session.to_string()),
        ("closure-rate", format!("{:.0}%", figures.closure_rate().unwrap() * 100.0)),
        ("effective-rate", format!("{:.0}%", figures.effective_reply_rate().unwrap() * 100.0)),
    ] {
        assert!(page.body.contains(&shown(key, value.clone())), "{key} {value}");
    }
    assert_eq!(page.body.matches("<tr data-round").count(), figures.rounds.len());
    for tally in figures.by_ownership.iter().chain(&figures.by_size) {
        assert!(page.body.contains(&format!("<tr data-code=\"{}\"><td>", tally.code)));
    }

    let city = get(server.addr, "/stats").await;
    assert_eq!(city.status, 200);
    assert_eq!(city.body.matches("<svg ").count(), 6, "the city adds appeals by district");
    assert_eq!(get(server.addr, "/stats/mars").await.status, 404);
}
