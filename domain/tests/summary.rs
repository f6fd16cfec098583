#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! Worklist summaries: lights on the day shown, whom a case waits on,
//! filters and the deadline order.

mod common;
use common::*;
use domain::calendar::WorkCalendar;
use domain::deadline::{Light, Rules};
use domain::event::EventKind;
use domain::permission::{Role, User};
use domain::status::Status;
use domain::summary::{CaseSummary, Context, Filter, Urgency, reminders, sort_by_deadline};
use domain::time::Day;

fn summary(kinds: Vec<EventKind>) -> CaseSummary {
    let calendar = WorkCalendar::china().unwrap();
    let case = case_doc(&chain(kinds));
    let context =
        Context { calendar: &calendar, rules: &Rules::default(), heads: vec![], updated_ms: 0, unsynced: false };
    CaseSummary::of(&case, context)
}

fn day(s: &str) -> Day {
    Day::parse(s).unwrap()
}

#[test]
fn the_online_reply_light_moves_with_the_day() {
    // Submitted Monday 2026-11-02, routed Tuesday: reply due Friday 11-06.
    let routed = summary(vec![EventKind::Submit, route_online()]);
    assert_eq!(routed.status, Status::Routed);
    assert_eq!(routed.due(), Some(day("2026-11-06")));
    let calendar = WorkCalendar::china().unwrap();
    let lights: Vec<Light> = ["2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06", "2026-11-09"]
        .map(|d| routed.light(&calendar, day(d)))
        .into();
    assert_eq!(lights, [Light::Green, Light::Green, Light::Yellow, Light::Yellow, Light::Red]);
}

#[test]
fn a_routed_case_waits_on_its_lead_department_only() {
    let routed = summary(vec![EventKind::Submit, route_online()]);
    let officer = |org: &str| User { id: "o".into(), role: Role::Officer, org: Some(org.into()), district: None };
    assert!(routed.waits_on(&officer("natres")));
    assert!(!routed.waits_on(&officer("housing")), "assisting departments are not waited on");
    assert!(!routed.waits_on(&filer()));
    let submitted = summary(vec![EventKind::Submit]);
    assert!(submitted.waits_on(&coordinator()));
    assert!(!submitted.waits_on(&officer("natres")));
}

#[test]
fn filters_narrow_by_status_district_and_text() {
    let mut case = summary(vec![EventKind::Submit]);
    case.number = Some("HZ-2026-000123".into());
    let keeps = |f: Filter| f.keeps(&case);
    assert!(keeps(Filter::default()));
    assert!(keeps(Filter { status: Some(Status::Submitted), ..Filter::default() }));
    assert!(!keeps(Filter { status: Some(Status::Routed), ..Filter::default() }));
    assert!(keeps(Filter { district: Some("boluo".into()), ..Filter::default() }));
    assert!(!keeps(Filter { district: Some("huiyang".into()), ..Filter::default() }));
    for text in ["夹心地", "润发", "000123", "  夹心地 "] {
        assert!(keeps(Filter { text: text.into(), ..Filter::default() }), "{text}");
    }
    assert!(!keeps(Filter { text: "隔离带".into(), ..Filter::default() }));
}

#[test]
fn the_most_urgent_comes_first_and_cases_without_a_clock_last() {
    let mut later = summary(vec![EventKind::Submit, route_online()]);
    later.id = "later".into();
    let mut sooner = summary(vec![EventKind::Submit]);
    sooner.id = "sooner".into();
    let mut none = summary(vec![]);
    none.id = "none".into();
    let mut list = vec![none, later, sooner];
    sort_by_deadline(&mut list);
    assert_eq!(list.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["sooner", "later", "none"]);
}

#[test]
fn similar_titles_and_the_same_enterprise_are_suggested_as_duplicates() {
    use domain::summary::{likely_duplicates, similarity};
    assert!(similarity("厂区门口隔离带影响货车进出", "厂区门口的隔离带影响大货车进出") > 0.6);
    assert!(similarity("厂区门口隔离带影响货车进出", "员工子女入学学位申请") < 0.2);
    assert_eq!(similarity("", "任何"), 0.0);

    let case = |id: &str, enterprise: &str, title: &str, status: Status| {
        let mut c = summary(vec![EventKind::Submit]);
        (c.id, c.enterprise_id, c.title, c.status) = (id.into(), enterprise.into(), title.into(), status);
        c
    };
    let list = vec![
        case("a", "ent-1", "员工子女入学学位申请", Status::Submitted),
        case("b", "ent-2", "厂区门口的隔离带影响大货车进出", Status::Routed),
        case("c", "ent-3", "融资担保额度不足", Status::Submitted),
        case("d", "ent-4", "厂区门口隔离带影响货车进出", Status::Declined),
    ];
    let found: Vec<&str> = likely_duplicates(&list, "ent-1", "厂区门口隔离带影响货车进出", None, 5)
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(found, ["a", "b"], "same enterprise first, then similar text; declined ones left out");
    let found: Vec<&str> = likely_duplicates(&list, "", "厂区门口隔离带影响货车进出", Some("b"), 5)
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert!(found.is_empty(), "the case itself is not its own duplicate");
}

#[test]
fn reminders_come_before_and_at_each_deadline_and_after_it_is_missed() {
    // Routed Tuesday 2026-11-03: the reply is due Friday 11-06.
    let mut routed = summary(vec![EventKind::Submit, route_online()]);
    routed.number = Some("HZ-2026-000009".into());
    let calendar = WorkCalendar::china().unwrap();
    let officer = |org: &str| User { id: "o".into(), role: Role::Officer, org: Some(org.into()), district: None };
    let on = |d: &str| -> Vec<Urgency> {
        reminders(std::slice::from_ref(&routed), &officer("natres"), &calendar, day(d))
            .iter()
            .map(|r| r.urgency)
            .collect()
    };
    assert_eq!(on("2026-11-04"), [], "green: nothing to remind of yet");
    assert_eq!(on("2026-11-05"), [Urgency::DueSoon(1)]);
    assert_eq!(on("2026-11-06"), [Urgency::DueToday]);
    assert_eq!(on("2026-11-10"), [Urgency::Overdue(2)], "Monday and Tuesday past");
    let reminder = &reminders(std::slice::from_ref(&routed), &officer("natres"), &calendar, day("2026-11-10"))[0];
    assert_eq!((reminder.due, reminder.number.as_deref()), (day("2026-11-06"), Some("HZ-2026-000009")));
    assert!(reminders(&[routed], &officer("housing"), &calendar, day("2026-11-10")).is_empty(), "not waiting on them");
}
