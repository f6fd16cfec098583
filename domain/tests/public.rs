#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! What the public may see of a case: state, responsibility, timetable and
//! a timeline without free text; nothing personal, nothing attached.

mod common;
use common::*;
use domain::calendar::WorkCalendar;
use domain::deadline::{Light, Rules};
use domain::directory::Directory;
use domain::event::EventKind;
use domain::public::PublicCase;
use domain::time::Day;

fn public(kinds: Vec<EventKind>, today: &str) -> PublicCase {
    let mut case = case_doc(&chain(kinds));
    case.number = Some("HZ-2026-000007".into());
    PublicCase::of(&case, &case.state(), &WorkCalendar::china().unwrap(), &Rules::default(), Day::parse(today).unwrap())
}

#[test]
fn the_public_sees_progress_but_nothing_personal_or_written() {
    let progress = EventKind::PostProgress { text: "已联系符先生13800000000,现场踏勘".into() };
    let info = EventKind::AddInfo { text: "营业执照".into(), attachments: vec!["a".repeat(64)] };
    let kinds = vec![
        EventKind::Submit,
        route_session(),
        EventKind::Schedule { session: "boluo-2026-12-04".into(), day: Day::parse("2026-12-04").unwrap() },
        decide(&[("m1", "2026-12-20"), ("m2", "2027-01-20")]),
        progress,
        info,
        EventKind::TickMilestone { milestone: "m1".into() },
    ];
    let page = public(kinds, "2026-12-22");
    let text = format!("{page:?}");
    for secret in ["符先生", "13800000000", "润发", "91350100M000100Y43", "夹心地", "营业执照", "aaaa", "踏勘"]
    {
        assert!(!text.contains(secret), "{secret} is not public: {text}");
    }
    assert_eq!(page.title, None, "the enterprise's title waits for a coordinator");
    assert_eq!(page.number.as_deref(), Some("HZ-2026-000007"));
    assert_eq!(page.lead_department.as_deref(), Some("natres"));
    assert!(page.lead_leader.is_some());
    assert!(page.milestones[0].done.is_some() && page.milestones[0].light.is_none());
    assert_eq!(page.milestones[1].light, Some(Light::Green));
    let lines: Vec<&str> = page.timeline.iter().map(|e| e.zh.as_str()).collect();
    assert!(lines.contains(&"报告办理进展"), "{lines:?}");
    assert!(lines.iter().any(|l| l.starts_with("完成节点:")), "{lines:?}");
    assert!(!lines.iter().any(|l| l.contains("补充")), "information given stays private: {lines:?}");
}

#[test]
fn a_published_title_and_a_public_rating_show() {
    let mut kinds =
        vec![EventKind::Submit, route_online(), EventKind::PublishTitle { title: "  厂区道路隔离带  ".into() }];
    let private = EventKind::Rate { score: 85, comment: "满意".into(), public: false };
    kinds.extend([EventKind::StartWork { plan: "p".into() }, resolve(), private]);
    let page = public(kinds.clone(), "2026-12-01");
    assert_eq!(page.title.as_deref(), Some("厂区道路隔离带"));
    assert!(!page.timeline.iter().any(|e| e.zh.contains("85")), "a private rating stays private");
    kinds.pop();
    kinds.push(EventKind::Rate { score: 85, comment: "满意".into(), public: true });
    let page = public(kinds, "2026-12-01");
    assert!(page.timeline.iter().any(|e| e.zh == "企业评价 85 分"));
    assert!(!format!("{page:?}").contains("满意"), "the comment is free text");
}

#[test]
fn only_the_coordinator_publishes_and_not_an_empty_title() {
    use domain::work::{ActionKind, available};
    let case = case_doc(&chain(vec![EventKind::Submit]));
    assert!(available(&coordinator(), &case, &case.state()).contains(&ActionKind::Publish));
    assert!(!available(&filer(), &case, &case.state()).contains(&ActionKind::Publish));
    assert!(EventKind::PublishTitle { title: " ".into() }.validate_for("boluo", &Directory::huizhou()).is_err());
    assert!(EventKind::PublishTitle { title: "长".repeat(101) }.validate_for("boluo", &Directory::huizhou()).is_err());
}

#[test]
fn the_board_lists_a_case_while_it_was_open() {
    use domain::public::board_entry;
    let kinds = vec![EventKind::Submit, route_online(), EventKind::StartWork { plan: "p".into() }, resolve()];
    // chain() puts one event per day from monday_ms(): resolved on day 3.
    let case = case_doc(&chain(kinds));
    let day = |n: i64| Day::of_instant(monday_ms() + n * 86_400_000);
    let (cal, rules) = (WorkCalendar::china().unwrap(), Rules::default());
    assert!(board_entry(&case, &cal, &rules, day(-1)).is_none(), "not filed yet");
    let open = board_entry(&case, &cal, &rules, day(2)).expect("open on day 2");
    assert_eq!(open.lead_department.as_deref(), Some("natres"));
    assert!(open.due.is_some());
    assert_eq!(open.title, None);
    assert!(board_entry(&case, &cal, &rules, day(3)).is_none(), "resolved by then");
    assert!(!format!("{open:?}").contains("润发"), "no enterprise on the board");
}

#[test]
fn a_monthly_notice_reports_the_month_and_only_for_open_cases() {
    use domain::notice::Notice;
    let mut events = chain(vec![
        EventKind::Submit,
        route_online(),
        EventKind::StartWork { plan: "p".into() },
        EventKind::PostProgress { text: "十月的进展".into() },
        EventKind::PostProgress { text: "十一月的进展".into() },
        resolve(),
    ]);
    // Filed and first reported on in October, the second report in
    // November, the resolution in December.
    for e in &mut events[..4] {
        e.at_ms -= 30 * DAY_MS;
    }
    events[4].at_ms = Day::parse("2026-11-03").unwrap().start_instant() + 36_000_000;
    events[5].at_ms = Day::parse("2026-12-02").unwrap().start_instant() + 36_000_000;
    let case = case_doc(&events);
    let calendar = WorkCalendar::china().unwrap();
    let november = Notice::of(&case, &calendar, &Rules::default(), "2026-11").unwrap();
    assert_eq!(november.as_of, Day::parse("2026-11-30").unwrap());
    let texts: Vec<&str> = november.progress.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(texts, ["十一月的进展"], "only the month's reports");
    assert_eq!(november.title, "夹心地问题", "addressed to the enterprise: its own title");
    assert_eq!(november.case.status, domain::status::Status::InProgress, "as it stood on the 30th");
    assert!(Notice::of(&case, &calendar, &Rules::default(), "2026-12").is_none(), "resolved in December");
    assert!(Notice::of(&case, &calendar, &Rules::default(), "2026-13").is_none(), "no such month");
}

#[test]
fn the_public_times_follow_public_steps_only() {
    // Routed Tuesday 2026-11-03: resolution due 15 working days later.
    let routed = public(vec![EventKind::Submit, route_online()], "2026-11-04");
    assert_eq!(routed.resolve_by, Some(Day::parse("2026-11-24").unwrap()));
    let with_private = public(
        vec![EventKind::Submit, route_online(), EventKind::RequestInfo { question: "请补充营业执照".into() }],
        "2026-11-05",
    );
    assert_eq!(with_private.updated_ms, routed.updated_ms, "asking for information is not public activity");
}
