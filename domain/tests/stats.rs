#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! Statistics: on time or late against the deadline running before the
//! first resolution, time to resolve, and the department league table.

mod common;
use common::*;
use domain::calendar::WorkCalendar;
use domain::deadline::Rules;
use domain::directory::Directory;
use domain::event::{Event, EventKind};
use domain::stats::{CaseFacts, Statistics};
use domain::time::Day;

fn today() -> Day {
    Day::parse("2027-02-10").unwrap()
}

/// The facts of a case whose events are a chain, with the resolution (the
/// event at `resolve_at`) and everything after it moved to `resolved_on`.
fn facts(kinds: Vec<EventKind>, resolved_on: &str, department: &str) -> CaseFacts {
    let mut events: Vec<Event> = chain(kinds);
    let at = events.iter().position(|e| matches!(e.kind, EventKind::Resolve { .. }));
    if let Some(at) = at {
        let shift = Day::parse(resolved_on).unwrap().start_instant() + 36_000_000 - events[at].at_ms;
        for e in &mut events[at..] {
            e.at_ms += shift;
        }
    }
    for e in &mut events {
        if let EventKind::Route { lead_department, .. } | EventKind::Decide { lead_department, .. } = &mut e.kind {
            *lead_department = department.into();
        }
    }
    let case = case_doc(&events);
    CaseFacts::of(&case, &case.state(), &WorkCalendar::china().unwrap(), &Rules::default(), today())
}

fn tick(milestone: &str) -> EventKind {
    EventKind::TickMilestone { milestone: milestone.into() }
}

fn online(then: Vec<EventKind>) -> Vec<EventKind> {
    let mut kinds = vec![EventKind::Submit, route_online(), EventKind::StartWork { plan: "p".into() }];
    kinds.extend(then);
    kinds
}

#[test]
fn an_online_case_is_on_time_within_fifteen_working_days_of_routing() {
    // Routed 2026-11-03 (Tuesday): 15 working days → 2026-11-24.
    let quick = facts(online(vec![resolve()]), "2026-11-24", "natres");
    assert_eq!(quick.on_time, Some(true));
    assert_eq!(quick.resolved, Some(Day::parse("2026-11-24").unwrap()));
    assert_eq!(quick.days_to_resolve, Some(16), "from the submission on 2026-11-02");
    let late = facts(online(vec![resolve()]), "2026-11-25", "natres");
    assert_eq!(late.on_time, Some(false));
    let open = facts(online(vec![]), "2026-11-25", "natres");
    assert_eq!((open.on_time, open.resolved), (None, None));
    assert!(open.overdue, "still open on {} with its resolution clock run out", today());
}

#[test]
fn a_session_case_is_measured_against_its_last_milestone() {
    let kinds = |then: Vec<EventKind>| {
        let schedule =
            EventKind::Schedule { session: "boluo-2026-11-06".into(), day: Day::parse("2026-11-06").unwrap() };
        let timetable = decide(&[("m1", "2026-11-20"), ("m2", "2026-12-31")]);
        let mut k = vec![EventKind::Submit, route_session(), schedule, timetable];
        k.extend(then);
        k
    };
    assert_eq!(facts(kinds(vec![resolve()]), "2026-12-31", "natres").on_time, Some(true));
    assert_eq!(facts(kinds(vec![resolve()]), "2027-01-04", "natres").on_time, Some(false));
    // Every milestone ticked, then resolved after the last one was due: late.
    let ticked = || vec![tick("m1"), tick("m2"), resolve()];
    assert_eq!(facts(kinds(ticked()), "2026-12-30", "natres").on_time, Some(true));
    assert_eq!(facts(kinds(ticked()), "2027-01-05", "natres").on_time, Some(false));
}

#[test]
fn the_league_table_ranks_on_time_first_and_counts_reopenings_and_bad_reviews() {
    let all = vec![
        facts(online(vec![resolve(), rate(95)]), "2026-11-10", "natres"),
        facts(online(vec![resolve(), rate(40), EventKind::Reopen { note: "再办".into() }]), "2026-11-12", "natres"),
        facts(online(vec![resolve(), rate(80)]), "2026-12-20", "housing"),
        facts(online(vec![resolve()]), "2026-11-20", "housing"),
        facts(vec![EventKind::Submit], "2026-11-20", "natres"),
    ];
    let stats = Statistics::of(&all, &Directory::huizhou(), today());
    assert_eq!((stats.submitted, stats.resolved, stats.on_time), (5, 4, 3));
    assert_eq!(stats.on_time_rate(), Some(0.75));
    assert_eq!(stats.months.len(), 12);
    assert_eq!(stats.months.last().unwrap().month, "2027-02");
    let november = stats.months.iter().find(|m| m.month == "2026-11").unwrap();
    assert_eq!((november.submitted, november.resolved, november.on_time), (5, 3, 3));
    let land = stats.by_category.iter().find(|(c, _)| c == "land").unwrap();
    assert_eq!(land.1, 5);
    assert_eq!(stats.by_district.iter().find(|(d, _)| d == "boluo").unwrap().1, 5);
    assert_eq!(stats.rating_levels, [1, 1, 0, 1, 0], "非常满意, 满意, 基本满意, 不满意, 非常不满意");

    let names: Vec<&str> = stats.departments.iter().map(|d| d.department.as_str()).collect();
    assert_eq!(names, ["natres", "housing"], "2 of 2 on time before 1 of 2");
    let natres = &stats.departments[0];
    assert_eq!(
        (natres.led, natres.resolved, natres.on_time, natres.reopened),
        (2, 2, 2, 1),
        "a case not yet routed has no lead"
    );
    assert_eq!(natres.reopen_rate(), Some(0.5));
    assert_eq!(natres.bad_review_rate(), Some(0.5));
    assert_eq!(natres.average_score(), Some(67.5));
    let housing = &stats.departments[1];
    assert_eq!(housing.on_time_rate(), Some(0.5));
    assert_eq!(housing.average_score(), Some(80.0));
}
