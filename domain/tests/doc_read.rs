#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! `doc::read` (one pass over the document, deserialised by serde) reads
//! what `doc::create`/`doc::append` wrote, and agrees with autosurgeon's
//! own reader (the `Hydrate` derives) on good and bad documents alike.

mod common;
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc};
use common::*;
use domain::case::{AttachmentRef, CaseDoc};
use domain::device_time::TimeFlag;
use domain::doc;
use domain::event::{Channel, EventKind, Milestone};
use domain::time::Day;

/// autosurgeon's reading of `doc`, settled as `doc::read` settles it.
fn reference(doc: &AutoCommit) -> Result<CaseDoc, autosurgeon::HydrateError> {
    let mut case: CaseDoc = autosurgeon::hydrate(doc)?;
    domain::device_time::settle(&mut case);
    Ok(case)
}

fn day() -> Day {
    Day::parse("2026-11-20").unwrap()
}

/// One event of every kind, with every field filled.
fn every_kind() -> Vec<EventKind> {
    let text = |s: &str| s.to_string();
    vec![
        EventKind::Submit,
        EventKind::Route {
            lead_department: text("natres"),
            assisting: vec![text("housing")],
            channel: Channel::Online,
        },
        EventKind::Decline { reason: text("不属于受理范围") },
        EventKind::MergeInto { target: text("case-2") },
        EventKind::ReplyOnline { text: text("已答复") },
        EventKind::BookSession { session: text("s-1"), day: day() },
        EventKind::Schedule { session: text("s-1"), day: day() },
        EventKind::Invite { session: text("s-1"), day: day(), place: text("市政府三楼") },
        EventKind::ReplyInvitation { session: text("s-1"), attending: true },
        EventKind::RecordAttendance { session: text("s-1"), attended: false },
        EventKind::Decide {
            lead_leader: text("u-leader"),
            lead_department: text("natres"),
            assisting: vec![text("housing"), text("water")],
            milestones: vec![Milestone { id: text("m1"), title: text("完成测绘"), due: day() }],
        },
        EventKind::StartWork { plan: text("计划") },
        EventKind::PostProgress { text: text("进展") },
        EventKind::TickMilestone { milestone: text("m1") },
        EventKind::RequestExtension { working_days: 7, reason: text("需要协调") },
        EventKind::DecideExtension { request: text("e14"), approved: true, note: text("同意") },
        EventKind::Resolve { summary: text("已解决"), evidence: vec!["ab".repeat(32)] },
        EventKind::Rate { score: 88, comment: text("满意"), public: true },
        EventKind::CallBack { note: text("回访") },
        EventKind::Rectify { note: text("整改") },
        EventKind::DisputeReview { reason: text("恶意差评") },
        EventKind::RecheckReview { upheld: false, note: text("复核") },
        EventKind::RequestInfo { question: text("请补充材料") },
        EventKind::AddInfo { text: text("补充"), attachments: vec![] },
        EventKind::RequestReopen { reason: text("问题复发") },
        EventKind::Reopen { note: text("重新办理") },
        EventKind::Close,
        EventKind::PublishTitle { title: text("用地问题") },
        EventKind::Settle { chosen: text("e03") },
        EventKind::Assign { officer: text("u-officer") },
        EventKind::AssignLeader { leader: text("u-leader-2") },
    ]
}

/// A case with every field filled: a number, an attachment, a time flag
/// and one event of every kind.
fn full_case() -> CaseDoc {
    let mut case = case_doc(&chain(every_kind()));
    case.number = Some("HZ-2026-000123".into());
    case.appeal.attachments = vec![AttachmentRef {
        sha256: "cd".repeat(32),
        name: "现场照片.jpg".into(),
        mime: "image/jpeg".into(),
        bytes: 123_456,
    }];
    case.time_flags.insert("e01".into(), TimeFlag { device_ms: 1, received_ms: 2 });
    case
}

#[test]
fn every_field_of_every_kind_reads_back_as_written() {
    let case = full_case();
    let written = doc::create(&case, automerge::ActorId::random()).unwrap();
    let mut expected = case.clone();
    domain::device_time::settle(&mut expected);

    let read = doc::read(&written).unwrap();
    assert_eq!(read, expected);
    assert_eq!(read, reference(&written).unwrap());
    // And after a round trip through storage, as the server loads it.
    let loaded = doc::load(&written.clone().save()).unwrap();
    assert_eq!(doc::read(&loaded).unwrap(), expected);
}

#[test]
fn events_appended_and_merged_read_as_autosurgeon_reads_them() {
    let mut ours = doc::create(&case_doc(&[]), automerge::ActorId::random()).unwrap();
    let mut theirs = ours.fork().with_actor(automerge::ActorId::random());
    for (i, kind) in every_kind().into_iter().enumerate() {
        let doc = if i % 2 == 0 { &mut ours } else { &mut theirs };
        doc::record(doc, format!("x{i:02}"), "u", monday_ms() + i as i64, kind).unwrap();
    }
    ours.merge(&mut theirs).unwrap();
    let read = doc::read(&ours).unwrap();
    assert_eq!(read.events.len(), every_kind().len());
    assert_eq!(read, reference(&ours).unwrap());
}

/// A case document with one thing wrong in it.
fn broken(spoil: impl FnOnce(&mut AutoCommit)) -> AutoCommit {
    let mut d =
        doc::create(&case_doc(&chain(vec![EventKind::Submit, route_online()])), automerge::ActorId::random()).unwrap();
    spoil(&mut d);
    d.commit();
    d
}

#[test]
fn documents_that_do_not_make_a_case_are_refused_by_both_readers() {
    let event = |d: &AutoCommit| match d.get(ROOT, "events").unwrap() {
        Some((_, events)) => d.get(&events, "e01").unwrap().unwrap().1,
        None => panic!("no events"),
    };
    let cases: Vec<(&str, AutoCommit)> = vec![
        ("schema as text", broken(|d| d.put(ROOT, "schema", "1").unwrap())),
        // The case layout has no text objects; a stock client might write one.
        (
            "district as a text object",
            broken(|d| {
                let text = d.put_object(ROOT, "district", ObjType::Text).unwrap();
                d.splice_text(&text, 0, 0, "huicheng").unwrap();
            }),
        ),
        ("id missing", broken(|d| d.delete(ROOT, "id").unwrap())),
        ("events as a list", broken(|d| drop(d.put_object(ROOT, "events", ObjType::List).unwrap()))),
        ("created_ms as bytes", broken(|d| d.put(ROOT, "created_ms", vec![1u8, 2]).unwrap())),
        ("at_ms as a float", broken(|d| d.put(event(d), "at_ms", 1.5).unwrap())),
        ("kind unknown", broken(|d| d.put(event(d), "kind", "Explode").unwrap())),
        ("score past u8", {
            let mut d = broken(|_| {});
            let e = event(&d);
            let kind = d.put_object(&e, "kind", ObjType::Map).unwrap();
            let rate = d.put_object(&kind, "Rate", ObjType::Map).unwrap();
            d.put(&rate, "score", 300u64).unwrap();
            d.put(&rate, "comment", "").unwrap();
            d.put(&rate, "public", true).unwrap();
            d
        }),
        ("key not its id", broken(|d| d.put(event(d), "id", "e07").unwrap())),
    ];
    for (what, d) in cases {
        assert!(doc::read(&d).is_err(), "{what}: read");
        let key_mismatch = what == "key not its id";
        // autosurgeon reads a mismatched key; `doc::read` refuses it after.
        assert_eq!(reference(&d).is_err(), !key_mismatch, "{what}: autosurgeon");
    }
}

#[test]
fn reading_only_what_changed_agrees_with_reading_all() {
    let mut d = doc::create(&case_doc(&chain(vec![EventKind::Submit])), automerge::ActorId::random()).unwrap();
    let before = doc::read(&d).unwrap();
    let heads = d.get_heads();
    doc::record(&mut d, "x1".into(), "u", monday_ms(), route_online()).unwrap();
    d.put(ROOT, "number", "HZ-2026-000001").unwrap();
    let flags = d.put_object(ROOT, "time_flags", ObjType::Map).unwrap();
    let flag = d.put_object(&flags, "x1", ObjType::Map).unwrap();
    d.put(&flag, "device_ms", 5i64).unwrap();
    d.put(&flag, "received_ms", 6i64).unwrap();
    d.commit();
    let now = d.get_heads();
    let touched = doc::Touched::of(&d.diff(&heads, &now));
    assert_eq!(doc::reread(&d, &before, &touched).unwrap(), doc::read(&d).unwrap());

    // A key deleted reads as absent: `number` as none, `time_flags` as
    // empty. (Events keep the times the flags settled: only the server
    // writes flags, and the check refuses anyone else changing them.)
    let prior = doc::read(&d).unwrap();
    let heads = d.get_heads();
    d.delete(ROOT, "number").unwrap();
    d.delete(ROOT, "time_flags").unwrap();
    d.commit();
    let now = d.get_heads();
    let touched = doc::Touched::of(&d.diff(&heads, &now));
    let reread = doc::reread(&d, &prior, &touched).unwrap();
    assert_eq!((reread.number, reread.time_flags.len()), (None, 0));
}

/// The writer lays down what autosurgeon's `Reconcile` derives laid down,
/// value for value and type for type (an unsigned field stays unsigned):
/// documents written by either, and apps that still read with
/// autosurgeon, agree.
#[test]
fn the_writer_lays_down_what_autosurgeon_wrote() {
    let case = full_case();
    let mut by_autosurgeon = AutoCommit::new();
    autosurgeon::reconcile(&mut by_autosurgeon, &case).unwrap();
    let mut written = doc::create(&case, automerge::ActorId::random()).unwrap();
    assert_eq!(written.hydrate(ROOT, None).unwrap(), by_autosurgeon.hydrate(ROOT, None).unwrap());

    // An event appended, and a flag set, on a case that has some already.
    let mut appended = written.fork().with_actor(automerge::ActorId::random());
    let mut reconciled = written.fork().with_actor(automerge::ActorId::random());
    let event = doc::next_event(
        &case,
        "x01".into(),
        "u",
        monday_ms(),
        EventKind::RequestExtension { working_days: 3, reason: "等待图纸".into() },
    );
    let flag = TimeFlag { device_ms: 3, received_ms: 4 };
    doc::append(&mut appended, &event).unwrap();
    doc::flag_times(&mut appended, &[("x01".into(), flag)]).unwrap();
    let events = reconciled.get(ROOT, "events").unwrap().unwrap().1;
    autosurgeon::reconcile_prop(&mut reconciled, &events, "x01", &event).unwrap();
    let flags = reconciled.get(ROOT, "time_flags").unwrap().unwrap().1;
    autosurgeon::reconcile_prop(&mut reconciled, &flags, "x01", flag).unwrap();
    assert_eq!(appended.hydrate(ROOT, None).unwrap(), reconciled.hydrate(ROOT, None).unwrap());
    assert_eq!(reference(&appended).unwrap(), doc::read(&appended).unwrap());
}
