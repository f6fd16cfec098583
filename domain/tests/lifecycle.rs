#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! Every lifecycle transition of DESIGN.md §3, and conflict handling.

mod common;
use common::*;
use domain::event::{Channel, EventKind};
use domain::status::{RefusalReason, Status, derive};

fn status_after(kinds: Vec<EventKind>) -> Status {
    derive(&chain(kinds)).status()
}

#[test]
fn empty_case_is_a_draft() {
    assert_eq!(derive(&[]).status(), Status::Draft);
}

#[test]
fn online_path_to_closed() {
    use EventKind::*;
    let steps = vec![
        (Submit, Status::Submitted),
        (route_online(), Status::Routed),
        (ReplyOnline { text: "答复".into() }, Status::AnsweredOnline),
        (StartWork { plan: "方案".into() }, Status::InProgress),
        (resolve(), Status::Resolved),
        (rate(85), Status::Rated),
        (Close, Status::Closed),
    ];
    let mut kinds = Vec::new();
    for (kind, expected) in steps {
        kinds.push(kind);
        assert_eq!(status_after(kinds.clone()), expected, "after {:?}", kinds.last());
    }
}

#[test]
fn session_path_records_the_decision() {
    use EventKind::*;
    let state = derive(&chain(vec![
        Submit,
        route_session(),
        Schedule { session: "s-2026-12-boluo".into(), day: domain::time::Day::parse("2026-12-04").unwrap() },
        decide(&[("m1", "2026-12-11"), ("m2", "2026-12-24")]),
    ]));
    assert_eq!(state.status(), Status::Decided);
    assert_eq!(state.flow.lead_leader.as_deref(), Some("副市长 王某"));
    assert_eq!(state.flow.milestones.len(), 2);
    assert_eq!(state.flow.channel, Some(Channel::Session));
}

#[test]
fn decline_and_merge_end_the_case() {
    use EventKind::*;
    assert_eq!(status_after(vec![Submit, Decline { reason: "不属于受理范围".into() }]), Status::Declined);
    assert_eq!(status_after(vec![Submit, MergeInto { target: "case-9".into() }]), Status::Merged);
    // Nothing moves a declined case on.
    let state = derive(&chain(vec![Submit, Decline { reason: "x".into() }, route_online()]));
    assert_eq!(state.status(), Status::Declined);
    assert_eq!(state.refused.len(), 1);
}

#[test]
fn invalid_transition_is_refused_with_reason() {
    let state = derive(&chain(vec![EventKind::Submit, resolve()]));
    assert_eq!(state.status(), Status::Submitted);
    assert_eq!(state.refused[0].reason, RefusalReason::NotAllowedIn { status: Status::Submitted, action: "resolve" });
    assert!(state.refused[0].reason.label().zh.contains("已提交"));
}

#[test]
fn online_reply_needs_an_online_route() {
    let state = derive(&chain(vec![EventKind::Submit, route_session(), EventKind::ReplyOnline { text: "x".into() }]));
    assert_eq!(state.status(), Status::Routed);
    assert_eq!(state.refused.len(), 1);
}

#[test]
fn reopen_then_work_again() {
    use EventKind::*;
    let s = status_after(vec![
        Submit,
        route_online(),
        StartWork { plan: "p".into() },
        resolve(),
        Reopen { note: "企业申请".into() },
    ]);
    assert_eq!(s, Status::Reopened);
    let s = status_after(vec![
        Submit,
        route_online(),
        StartWork { plan: "p".into() },
        resolve(),
        Reopen { note: "企业申请".into() },
        StartWork { plan: "p2".into() },
    ]);
    assert_eq!(s, Status::InProgress);
}

#[test]
fn extension_is_requested_then_approved() {
    use EventKind::*;
    let events = chain(vec![
        Submit,
        route_online(),
        StartWork { plan: "p".into() },
        RequestExtension { working_days: 10, reason: "涉及多部门".into() },
        DecideExtension { request: "e03".into(), approved: true, note: "同意".into() },
    ]);
    let state = derive(&events);
    assert_eq!(state.flow.extension_days, 10);
    assert!(state.flow.pending_extension.is_none());
    // A decision about a request that does not exist is refused.
    let events = chain(vec![
        Submit,
        route_online(),
        DecideExtension { request: "nope".into(), approved: true, note: "".into() },
    ]);
    assert_eq!(derive(&events).refused.len(), 1);
}

#[test]
fn bad_review_loop_allows_one_more_rating_after_rectification() {
    use EventKind::*;
    let base = vec![Submit, route_online(), StartWork { plan: "p".into() }, resolve(), rate(45)];
    // Without rectification, a second rating is refused.
    let mut kinds = base.clone();
    kinds.push(rate(80));
    assert_eq!(derive(&chain(kinds)).refused.len(), 1);
    // Call back, rectify, then one follow-up rating; a third is refused.
    let mut kinds = base;
    kinds.extend([CallBack { note: "已回访".into() }, Rectify { note: "已整改".into() }, rate(80), rate(95)]);
    let state = derive(&chain(kinds));
    assert_eq!(state.flow.ratings.iter().map(|r| r.score).collect::<Vec<_>>(), vec![45, 80]);
    assert_eq!(state.refused.len(), 1);
}

#[test]
fn rectify_without_bad_review_is_refused() {
    use EventKind::*;
    let state = derive(&chain(vec![
        Submit,
        route_online(),
        StartWork { plan: "p".into() },
        resolve(),
        rate(90),
        Rectify { note: "x".into() },
    ]));
    assert_eq!(state.refused.len(), 1);
}

#[test]
fn records_never_change_status() {
    use EventKind::*;
    let state = derive(&chain(vec![
        Submit,
        route_online(),
        RequestInfo { question: "请补充用地红线图".into() },
        AddInfo { text: "已上传".into(), attachments: vec![] },
        PostProgress { text: "现场踏勘".into() },
    ]));
    assert_eq!(state.status(), Status::Routed);
    assert_eq!(state.records.info_requests.len(), 1);
    assert_eq!(state.records.info_added.len(), 1);
    assert_eq!(state.records.progress.len(), 1);
}

#[test]
fn tick_of_unknown_milestone_is_refused() {
    use EventKind::*;
    let events = chain(vec![
        Submit,
        route_session(),
        Schedule { session: "s".into(), day: domain::time::Day::parse("2026-12-04").unwrap() },
        decide(&[("m1", "2026-12-11")]),
        TickMilestone { milestone: "m1".into() },
        TickMilestone { milestone: "m9".into() },
    ]);
    let state = derive(&events);
    assert!(state.records.ticked.contains_key("m1"));
    assert_eq!(state.refused[0].reason, RefusalReason::Dangling);
}

#[test]
fn concurrent_resolve_and_extension_conflict_until_settled() {
    use EventKind::*;
    let t = monday_ms();
    let mut events = chain(vec![Submit, route_online(), StartWork { plan: "p".into() }]);
    // Two officers, offline, both after e02.
    events.push(ev("a", &["e02"], t + 5 * DAY_MS, resolve()));
    events.push(ev("b", &["e02"], t + 6 * DAY_MS, RequestExtension { working_days: 5, reason: "r".into() }));
    let state = derive(&events);
    let conflict = state.conflict.as_ref().expect("a conflict");
    assert_eq!(state.status(), Status::InProgress, "stays at the base");
    assert_eq!(conflict.options.iter().map(|o| o.event.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
    assert_eq!(conflict.options[0].result.status, Status::Resolved);

    // Something that did not see both options cannot move the case.
    events.push(ev("c", &["a", "b"], t + 7 * DAY_MS, resolve()));
    assert_eq!(derive(&events).refused[0].reason, RefusalReason::ConflictOpen);

    // The coordinator settles on the extension.
    events.push(ev("s", &["a", "b"], t + 8 * DAY_MS, Settle { chosen: "b".into() }));
    let state = derive(&events);
    assert!(state.conflict.is_none());
    assert_eq!(state.status(), Status::InProgress);
    assert_eq!(state.flow.pending_extension.as_ref().map(|p| p.working_days), Some(5));
}

#[test]
fn settle_must_name_an_option_and_see_all() {
    use EventKind::*;
    let t = monday_ms();
    let mut events = chain(vec![Submit]);
    events.push(ev("a", &["e00"], t + DAY_MS, route_online()));
    events.push(ev("b", &["e00"], t + DAY_MS + 1, Decline { reason: "x".into() }));
    events.push(ev("s1", &["a"], t + 2 * DAY_MS, Settle { chosen: "b".into() }));
    events.push(ev("s2", &["a", "b"], t + 3 * DAY_MS, Settle { chosen: "zzz".into() }));
    let state = derive(&events);
    assert!(state.conflict.is_some());
    assert_eq!(state.refused.iter().filter(|r| r.reason == RefusalReason::BadSettle).count(), 2);
    assert_eq!(state.status(), Status::Submitted);
}

#[test]
fn identical_concurrent_transitions_are_duplicates_not_conflicts() {
    let t = monday_ms();
    let mut events = chain(vec![EventKind::Submit]);
    events.push(ev("a", &["e00"], t + DAY_MS, route_online()));
    events.push(ev("b", &["e00"], t + DAY_MS + 5, route_online()));
    let state = derive(&events);
    assert!(state.conflict.is_none());
    assert_eq!(state.duplicates, vec!["b".to_string()]);
    assert_eq!(state.status(), Status::Routed);
}

#[test]
fn dangling_and_cyclic_events_are_refused() {
    let t = monday_ms();
    let mut events = chain(vec![EventKind::Submit]);
    events.push(ev("x", &["missing"], t + DAY_MS, route_online()));
    events.push(ev("p", &["q"], t + DAY_MS, route_online()));
    events.push(ev("q", &["p"], t + DAY_MS, route_online()));
    let state = derive(&events);
    assert_eq!(state.status(), Status::Submitted);
    assert_eq!(state.refused.len(), 3);
}
