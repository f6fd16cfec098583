#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! What each role is offered on a case, whom the case waits on, and how a
//! filled form becomes an event.

mod common;
use common::*;
use domain::directory::Directory;
use domain::event::{Channel, EventKind};
use domain::permission::User;
use domain::status::derive;
use domain::work::{ActionKind, Form, Party, available, build, waiting_on};
use domain::{DomainError, Label};

fn offered(u: &User, kinds: Vec<EventKind>) -> Vec<ActionKind> {
    let case = case_doc(&chain(kinds));
    available(u, &case, &case.state())
}

fn form(pairs: &[(&str, &str)]) -> Form {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn triage_is_offered_to_the_district_coordinator_only() {
    use ActionKind::*;
    let submitted = vec![EventKind::Submit];
    assert_eq!(offered(&coordinator(), submitted.clone()), vec![Route, Decline, Merge, Schedule, RequestInfo, Publish]);
    assert_eq!(offered(&city_coordinator(), submitted.clone()), offered(&coordinator(), submitted.clone()));
    assert!(offered(&other_coordinator(), submitted.clone()).is_empty());
    assert_eq!(offered(&filer(), submitted.clone()), vec![Book, AddInfo]);
    assert!(offered(&lead_officer(), submitted.clone()).is_empty(), "not routed yet");
    assert!(offered(&other_enterprise(), submitted).is_empty());
}

#[test]
fn the_lead_department_answers_and_works() {
    use ActionKind::*;
    let routed = vec![EventKind::Submit, route_online()];
    assert_eq!(
        offered(&lead_officer(), routed.clone()),
        vec![Reply, StartWork, Progress, RequestExtension, RequestInfo, Assign]
    );
    assert_eq!(offered(&assisting_officer(), routed.clone()), vec![Progress, RequestInfo]);
    let mut working = routed;
    working.push(EventKind::StartWork { plan: "p".into() });
    let lead = offered(&lead_officer(), working);
    assert!(lead.contains(&Resolve) && !lead.contains(&Reply) && !lead.contains(&StartWork), "{lead:?}");
}

#[test]
fn the_officer_in_charge_is_the_lead_units_and_a_new_lead_unit_names_its_own() {
    let mut kinds = vec![EventKind::Submit, route_online(), EventKind::Assign { officer: "wang".into() }];
    assert_eq!(case_doc(&chain(kinds.clone())).state().assignee(), Some("wang"));
    kinds.push(EventKind::Assign { officer: "li".into() });
    assert_eq!(case_doc(&chain(kinds.clone())).state().assignee(), Some("li"), "handed to another");
    let to_housing =
        EventKind::Route { lead_department: "housing".into(), assisting: vec![], channel: Channel::Online };
    kinds.push(to_housing);
    assert_eq!(case_doc(&chain(kinds)).state().assignee(), None, "the new lead unit names its own");
}

#[test]
fn the_session_path_goes_through_the_leader() {
    use ActionKind::*;
    let scheduled = vec![
        EventKind::Submit,
        route_session(),
        EventKind::Schedule {
            session: "boluo-2026-12-04".into(),
            day: domain::time::Day::parse("2026-12-04").unwrap(),
        },
    ];
    assert_eq!(offered(&leader(), scheduled.clone()), vec![Decide]);
    assert_eq!(waiting_on(&derive(&chain(scheduled.clone()))), vec![Party::Leader]);
    let mut decided = scheduled;
    decided.push(decide(&[("m1", "2026-12-20"), ("m2", "2027-01-20")]));
    let lead = offered(&lead_officer(), decided.clone());
    assert!(lead.contains(&Tick) && lead.contains(&StartWork) && lead.contains(&Resolve), "{lead:?}");
    decided.push(EventKind::TickMilestone { milestone: "m1".into() });
    decided.push(EventKind::TickMilestone { milestone: "m2".into() });
    assert!(!offered(&lead_officer(), decided).contains(&Tick), "every milestone ticked");
}

#[test]
fn the_enterprise_rates_then_may_ask_to_reopen() {
    use ActionKind::*;
    let resolved = vec![EventKind::Submit, route_online(), EventKind::StartWork { plan: "p".into() }, resolve()];
    assert_eq!(offered(&filer(), resolved.clone()), vec![Rate, RequestReopen]);
    assert_eq!(offered(&coordinator(), resolved.clone()), vec![Reopen, Close, Publish]);
    assert_eq!(waiting_on(&derive(&chain(resolved.clone()))), vec![Party::Enterprise]);
    let mut rated = resolved;
    rated.push(rate(85));
    assert_eq!(offered(&filer(), rated.clone()), vec![RequestReopen], "one rating unless it was bad");
    rated.push(EventKind::RequestReopen { reason: "r".into() });
    assert!(offered(&filer(), rated.clone()).is_empty(), "one open reopen request");
    assert_eq!(waiting_on(&derive(&chain(rated))), vec![Party::Coordinator]);
}

#[test]
fn a_bad_review_waits_on_the_department_then_the_enterprise() {
    use ActionKind::*;
    let mut events =
        vec![EventKind::Submit, route_online(), EventKind::StartWork { plan: "p".into() }, resolve(), rate(40)];
    assert_eq!(waiting_on(&derive(&chain(events.clone()))), vec![Party::LeadDepartment]);
    let lead = offered(&lead_officer(), events.clone());
    assert!(lead.contains(&CallBack) && lead.contains(&Rectify) && lead.contains(&Dispute), "{lead:?}");
    events.push(EventKind::CallBack { note: "n".into() });
    events.push(EventKind::Rectify { note: "n".into() });
    assert_eq!(waiting_on(&derive(&chain(events.clone()))), vec![Party::Enterprise]);
    assert!(offered(&filer(), events).contains(&Rate), "the one follow-up rating");
}

#[test]
fn a_conflict_is_settled_by_the_coordinator() {
    let t = monday_ms();
    let mut events = chain(vec![EventKind::Submit, route_online(), EventKind::StartWork { plan: "p".into() }]);
    events.push(ev("a", &["e02"], t + 5 * DAY_MS, resolve()));
    events.push(ev("b", &["e02"], t + 6 * DAY_MS, EventKind::RequestExtension { working_days: 5, reason: "r".into() }));
    let case = case_doc(&events);
    let state = case.state();
    assert!(waiting_on(&state).contains(&Party::Coordinator));
    assert!(available(&coordinator(), &case, &state).contains(&ActionKind::Settle));
    assert!(!available(&lead_officer(), &case, &state).contains(&ActionKind::Resolve), "blocked until settled");
    let settle = build(ActionKind::Settle, &form(&[("chosen", "b")]), &case, &state, &Directory::huizhou()).unwrap();
    assert_eq!(settle, EventKind::Settle { chosen: "b".into() });
    assert!(build(ActionKind::Settle, &form(&[("chosen", "zzz")]), &case, &state, &Directory::huizhou()).is_err());
}

#[test]
fn forms_become_events_or_say_what_to_fix() {
    let case = case_doc(&chain(vec![EventKind::Submit]));
    let state = case.state();
    let decide = build(
        ActionKind::Decide,
        &form(&[
            ("lead_leader", " 副县长 李某 "),
            ("lead_department", "natres"),
            ("assisting", "housing, water,housing"),
            ("milestones", "2026-12-10 提交用地方案\n\n2027-01-31  完成报批"),
        ]),
        &case,
        &state,
        &Directory::huizhou(),
    )
    .unwrap();
    let EventKind::Decide { lead_leader, assisting, milestones, .. } = decide else { panic!("{decide:?}") };
    assert_eq!(lead_leader, "副县长 李某");
    assert_eq!(assisting, vec!["housing", "water"]);
    assert_eq!(milestones.len(), 2);
    assert_eq!((milestones[1].id.as_str(), milestones[1].title.as_str()), ("m2", "完成报批"));

    let bad_line = form(&[("lead_leader", "李"), ("lead_department", "natres"), ("milestones", "下周 完成")]);
    assert_eq!(
        build(ActionKind::Decide, &bad_line, &case, &state, &Directory::huizhou()),
        Err(DomainError::BadMilestone { line: 1 })
    );
    let no_dept = form(&[("lead_leader", "李"), ("lead_department", "weather"), ("milestones", "2026-12-10 x")]);
    assert!(matches!(
        build(ActionKind::Decide, &no_dept, &case, &state, &Directory::huizhou()),
        Err(DomainError::UnknownCode { .. })
    ));
    assert_eq!(
        build(ActionKind::Decline, &form(&[("reason", "  ")]), &case, &state, &Directory::huizhou()),
        Err(DomainError::Required {
            field: Label::new("不予受理的理由(企业可见)", "Reason (the enterprise sees it)")
        })
    );
    for score in ["101", "-1", "八十五", ""] {
        let rating = form(&[("score", score), ("public", "true")]);
        assert!(
            matches!(
                build(ActionKind::Rate, &rating, &case, &state, &Directory::huizhou()),
                Err(DomainError::OutOfRange { .. })
            ),
            "{score}"
        );
    }
    let rating =
        build(ActionKind::Rate, &form(&[("score", "85"), ("public", "true")]), &case, &state, &Directory::huizhou())
            .unwrap();
    assert_eq!(rating, EventKind::Rate { score: 85, comment: String::new(), public: true });
    assert_eq!(
        build(ActionKind::Merge, &form(&[("target", "case-1")]), &case, &state, &Directory::huizhou()),
        Err(DomainError::MergeIntoSelf)
    );
    let schedule =
        build(ActionKind::Schedule, &form(&[("session", "boluo-2026-12-04")]), &case, &state, &Directory::huizhou())
            .unwrap();
    assert!(matches!(schedule, EventKind::Schedule { ref session, .. } if session == "boluo-2026-12-04"));
    assert!(
        build(ActionKind::Schedule, &form(&[("session", "boluo-someday")]), &case, &state, &Directory::huizhou())
            .is_err()
    );
    let ext = form(&[("working_days", "16"), ("reason", "r")]);
    assert!(
        build(ActionKind::RequestExtension, &ext, &case, &state, &Directory::huizhou()).is_err(),
        "at most 15 days at once"
    );
    assert_eq!(
        build(ActionKind::DecideExtension, &form(&[]), &case, &state, &Directory::huizhou()),
        Err(DomainError::NothingPending)
    );
    let (a, b) = ("a".repeat(64), "b".repeat(64));
    let files = format!("{a}, {b},");
    let info = build(
        ActionKind::AddInfo,
        &form(&[("text", "营业执照"), ("attachments", &files)]),
        &case,
        &state,
        &Directory::huizhou(),
    )
    .unwrap();
    assert_eq!(info, EventKind::AddInfo { text: "营业执照".into(), attachments: vec![a, b] });
    let forged = form(&[("text", "x"), ("attachments", "../../etc/passwd")]);
    assert!(build(ActionKind::AddInfo, &forged, &case, &state, &Directory::huizhou()).is_err(), "only content hashes");
}

#[test]
fn the_enterprise_books_a_session_slot_until_the_case_is_scheduled() {
    let case = case_doc(&chain(vec![EventKind::Submit]));
    let state = case.state();
    let book = build(ActionKind::Book, &form(&[("session", "boluo-2026-12-04")]), &case, &state, &Directory::huizhou())
        .unwrap();
    let mut events = chain(vec![EventKind::Submit, book]);
    let booked = derive(&events);
    assert!(booked.refused.is_empty());
    assert_eq!(booked.records.booked.as_ref().map(|(id, _)| id.as_str()), Some("boluo-2026-12-04"));
    assert_eq!(booked.status(), domain::status::Status::Submitted, "a booking is a request, not a decision");
    let scheduled = vec![
        EventKind::Submit,
        route_session(),
        EventKind::Schedule {
            session: "boluo-2026-12-04".into(),
            day: domain::time::Day::parse("2026-12-04").unwrap(),
        },
    ];
    assert!(!offered(&filer(), scheduled.clone()).contains(&ActionKind::Book));
    // A booking synced in after scheduling is kept out of the case.
    events = chain(scheduled);
    events.push(ev(
        "late",
        &["e02"],
        monday_ms() + 9 * DAY_MS,
        EventKind::BookSession {
            session: "boluo-2027-01-04".into(),
            day: domain::time::Day::parse("2027-01-04").unwrap(),
        },
    ));
    assert_eq!(derive(&events).refused.len(), 1);
}

#[test]
fn every_action_has_a_distinct_name() {
    let mut names: Vec<_> = ActionKind::ALL.iter().map(|a| a.name()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), ActionKind::ALL.len());
}

#[test]
fn the_coordinator_invites_the_enterprise_answers_and_attendance_is_recorded() {
    use ActionKind::*;
    let day = domain::time::Day::parse("2027-03-12").unwrap();
    let land = domain::meeting::Session::special("land", &["boluo".into(), "longmen".into()], day).unwrap();
    let routed = case_doc(&chain(vec![EventKind::Submit, route_session()]));
    let schedule =
        build(Schedule, &form(&[("session", &land.id)]), &routed, &routed.state(), &Directory::huizhou()).unwrap();
    assert_eq!(schedule, EventKind::Schedule { session: land.id.clone(), day });
    // Another district's special session is not this case's.
    let elsewhere = domain::meeting::Session::special("land", &["huiyang".into()], day).unwrap();
    let refused =
        build(Schedule, &form(&[("session", &elsewhere.id)]), &routed, &routed.state(), &Directory::huizhou());
    assert_eq!(refused, Err(DomainError::SessionElsewhere));

    let mut kinds = vec![EventKind::Submit, route_session(), schedule];
    assert!(offered(&coordinator(), kinds.clone()).contains(&Invite));
    assert!(!offered(&filer(), kinds.clone()).contains(&ReplyInvitation), "not invited yet");
    let case = case_doc(&chain(kinds.clone()));
    let invite =
        build(Invite, &form(&[("place", "博罗县行政服务中心三楼")]), &case, &case.state(), &Directory::huizhou())
            .unwrap();
    kinds.push(invite);
    assert!(!offered(&coordinator(), kinds.clone()).contains(&Invite), "invited once");
    assert_eq!(offered(&filer(), kinds.clone()), vec![ReplyInvitation, AddInfo]);
    assert!(waiting_on(&derive(&chain(kinds.clone()))).contains(&Party::Enterprise));
    let case = case_doc(&chain(kinds.clone()));
    kinds.push(
        build(ReplyInvitation, &form(&[("attending", "true")]), &case, &case.state(), &Directory::huizhou()).unwrap(),
    );
    assert!(!offered(&filer(), kinds.clone()).contains(&ReplyInvitation));
    let case = case_doc(&chain(kinds.clone()));
    kinds.push(build(Attend, &form(&[("attended", "true")]), &case, &case.state(), &Directory::huizhou()).unwrap());
    let state = derive(&chain(kinds.clone()));
    assert!(state.refused.is_empty(), "{:?}", state.refused);
    let invitation = &state.records.invitations[&land.id];
    assert_eq!((invitation.attending, invitation.attended), (Some(true), Some(true)));
    assert_eq!(invitation.place, "博罗县行政服务中心三楼");
    assert!(!offered(&coordinator(), kinds.clone()).contains(&Attend), "recorded once");
    assert!(!offered(&filer(), kinds).contains(&ReplyInvitation));
}

#[test]
fn invitations_need_the_case_on_that_session() {
    let day = domain::time::Day::parse("2026-12-04").unwrap();
    let invite = |s: &str| EventKind::Invite { session: s.into(), day, place: "x".into() };
    let kinds = vec![EventKind::Submit, route_session(), invite("boluo-2026-12-04")];
    assert_eq!(derive(&chain(kinds)).refused.len(), 1, "not scheduled");
    let other = EventKind::Schedule { session: "boluo-2026-12-04".into(), day };
    let kinds = vec![EventKind::Submit, route_session(), other, invite("city-2026-12-04")];
    assert_eq!(derive(&chain(kinds)).refused.len(), 1, "scheduled elsewhere");
    let reply = EventKind::ReplyInvitation { session: "boluo-2026-12-04".into(), attending: true };
    assert_eq!(
        EventKind::Invite { session: "huiyang-2026-12-04".into(), day, place: "x".into() }
            .validate_for("boluo", &Directory::huizhou()),
        Err(DomainError::SessionElsewhere)
    );
    assert!(reply.validate_for("boluo", &Directory::huizhou()).is_ok());
    let kinds = vec![EventKind::Submit, route_session(), reply];
    assert_eq!(derive(&chain(kinds)).refused.len(), 1, "no invitation to answer");
}
