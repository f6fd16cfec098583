#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! Deadlines and lights on the working-day calendar (DESIGN.md §4).

mod common;
use common::*;
use domain::calendar::WorkCalendar;
use domain::deadline::{Clock, ClockKind, Light, RuleBook, RuleOverride, Rules, case_light, open_clocks};
use domain::event::EventKind;
use domain::status::derive;
use domain::time::Day;

fn d(s: &str) -> Day {
    Day::parse(s).unwrap()
}

#[test]
fn light_turns_yellow_then_red() {
    let cal = WorkCalendar::china().unwrap();
    // 15 working days from Monday 2026-11-02: due Monday 2026-11-23.
    let clock =
        Clock { kind: ClockKind::Resolution, start: d("2026-11-02"), due: cal.add_working_days(d("2026-11-02"), 15) };
    assert_eq!(clock.due, d("2026-11-23"));
    assert_eq!(clock.light(&cal, d("2026-11-12")), Light::Green, "7 of 15 left");
    assert_eq!(clock.light(&cal, d("2026-11-16")), Light::Green, "5 of 15 left");
    assert_eq!(clock.light(&cal, d("2026-11-20")), Light::Yellow, "1 working day left");
    assert_eq!(clock.light(&cal, d("2026-11-23")), Light::Yellow, "due today");
    assert_eq!(clock.light(&cal, d("2026-11-24")), Light::Red, "overdue");
}

#[test]
fn twenty_percent_rule() {
    let cal = WorkCalendar::china().unwrap();
    let clock = Clock { kind: ClockKind::Resolution, start: d("2026-11-02"), due: d("2026-11-23") };
    // 3 of 15 working days left (Wed 18th → Thu 19, Fri 20, Mon 23) = 20 %.
    assert_eq!(clock.light(&cal, d("2026-11-18")), Light::Yellow);
    // 4 left is more than 20 %.
    assert_eq!(clock.light(&cal, d("2026-11-17")), Light::Green);
}

#[test]
fn triage_clock_runs_from_submission_over_holidays() {
    let cal = WorkCalendar::china().unwrap();
    // Submitted on Friday 2026-02-13: one working day is the make-up Saturday.
    let t = Day::parse("2026-02-13").unwrap().start_instant() + 3_600_000 * 9;
    let events = vec![ev("s", &[], t, EventKind::Submit)];
    let clocks = open_clocks(&cal, &Rules::default(), &derive(&events));
    assert_eq!(clocks, vec![Clock { kind: ClockKind::Triage, start: d("2026-02-13"), due: d("2026-02-14") }]);
}

#[test]
fn online_case_has_reply_and_resolution_clocks() {
    let cal = WorkCalendar::china().unwrap();
    let state = derive(&chain(vec![EventKind::Submit, route_online()]));
    let clocks = open_clocks(&cal, &Rules::default(), &state);
    // Routed on Tuesday 2026-11-03.
    assert_eq!(clocks[0], Clock { kind: ClockKind::OnlineReply, start: d("2026-11-03"), due: d("2026-11-06") });
    assert_eq!(clocks[1].kind, ClockKind::Resolution);
    assert_eq!(clocks[1].due, d("2026-11-24"));
    assert_eq!(case_light(&cal, &Rules::default(), &state, d("2026-11-04")), Light::Green);
    assert_eq!(case_light(&cal, &Rules::default(), &state, d("2026-11-05")), Light::Yellow);
    assert_eq!(case_light(&cal, &Rules::default(), &state, d("2026-11-09")), Light::Red);
}

#[test]
fn approved_extension_moves_the_resolution_due_date_up_to_the_cap() {
    let cal = WorkCalendar::china().unwrap();
    let state = derive(&chain(vec![
        EventKind::Submit,
        route_online(),
        EventKind::StartWork { plan: "p".into() },
        EventKind::RequestExtension { working_days: 40, reason: "复杂".into() },
        EventKind::DecideExtension { request: "e03".into(), approved: true, note: "".into() },
    ]));
    let clocks = open_clocks(&cal, &Rules::default(), &state);
    let resolution = clocks.iter().find(|c| c.kind == ClockKind::Resolution).unwrap();
    assert_eq!(cal.working_days_between(resolution.start, resolution.due), 30, "capped at 30");
}

#[test]
fn milestones_have_their_own_dates_until_ticked() {
    let cal = WorkCalendar::china().unwrap();
    let mut kinds = vec![
        EventKind::Submit,
        route_session(),
        EventKind::Schedule { session: "s".into(), day: d("2026-11-06") },
        decide(&[("m1", "2026-11-13"), ("m2", "2026-12-31")]),
    ];
    let clocks = open_clocks(&cal, &Rules::default(), &derive(&chain(kinds.clone())));
    let milestones: Vec<_> = clocks.iter().filter(|c| matches!(c.kind, ClockKind::Milestone { .. })).collect();
    assert_eq!(milestones.len(), 2);
    assert!(clocks.iter().any(|c| c.kind == ClockKind::ProgressUpdate));
    kinds.push(EventKind::TickMilestone { milestone: "m1".into() });
    let clocks = open_clocks(&cal, &Rules::default(), &derive(&chain(kinds)));
    assert_eq!(clocks.iter().filter(|c| matches!(c.kind, ClockKind::Milestone { .. })).count(), 1);
}

#[test]
fn bad_review_starts_callback_and_rectify_clocks() {
    let cal = WorkCalendar::china().unwrap();
    let mut kinds =
        vec![EventKind::Submit, route_online(), EventKind::StartWork { plan: "p".into() }, resolve(), rate(50)];
    let kinds_of = |k: &Vec<EventKind>| {
        open_clocks(&cal, &Rules::default(), &derive(&chain(k.clone()))).into_iter().map(|c| c.kind).collect::<Vec<_>>()
    };
    assert_eq!(kinds_of(&kinds), vec![ClockKind::BadReviewCallback, ClockKind::BadReviewRectify]);
    kinds.push(EventKind::CallBack { note: "".into() });
    assert_eq!(kinds_of(&kinds), vec![ClockKind::BadReviewRectify]);
    kinds.push(EventKind::Rectify { note: "".into() });
    assert!(kinds_of(&kinds).is_empty());
    let good = vec![EventKind::Submit, route_online(), EventKind::StartWork { plan: "p".into() }, resolve(), rate(85)];
    assert!(kinds_of(&good).is_empty());
}

#[test]
fn most_specific_rules_win() {
    let rules = |triage| Rules { triage_working_days: triage, ..Rules::default() };
    let book = RuleBook {
        default: rules(1),
        overrides: vec![
            RuleOverride { district: None, category: Some("land".into()), rules: rules(3) },
            RuleOverride { district: Some("boluo".into()), category: None, rules: rules(2) },
            RuleOverride { district: Some("boluo".into()), category: Some("land".into()), rules: rules(4) },
        ],
    };
    assert_eq!(book.for_case("boluo", "land").triage_working_days, 4);
    assert_eq!(book.for_case("boluo", "arrears").triage_working_days, 2);
    assert_eq!(book.for_case("huiyang", "land").triage_working_days, 3);
    assert_eq!(book.for_case("huiyang", "arrears").triage_working_days, 1);
}
