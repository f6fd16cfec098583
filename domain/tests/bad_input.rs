#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! Bad input, generated: the sync message decoder, change validation and
//! every form parser take arbitrary bytes and text without panicking; what
//! they accept is valid by their own rules, and a refused change leaves the
//! server's copy untouched.

mod common;
use common::*;
use domain::directory::Directory;

use automerge::AutoCommit;
use domain::case::{Appeal, Contact, Enterprise};
use domain::meeting::Session;
use domain::permission::{Role, User};
use domain::sync::wire::Message;
use domain::sync::{DocumentId, actor_for, check_incoming};
use domain::time::{Day, month_span, parse_datetime};
use domain::work::ActionKind;
use domain::work::{Form, build, fields, milestones};
use proptest::prelude::*;

/// Text that is mostly not valid: any characters, some markup, some CJK.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[ -~]{0,40}",
        "[0-9A-Z\\-]{0,20}",
        "(<script>|\"><img src=x>|'|&|\\u{0}|厂区|用地|\\n| ){0,12}",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}( [^\\n]{0,10})?(\\n[0-9]{4}-[0-9]{2}-[0-9]{2} [^\\n]{0,10}){0,3}",
    ]
}

fn server_copy() -> (AutoCommit, String) {
    let mut case = case_doc(&[]);
    case.id = DocumentId::from_bytes([4; 16]).to_string();
    let mut doc = domain::doc::create(&case, actor_for("user-ent-1", [1; 8])).unwrap();
    domain::doc::record(&mut doc, "submit".into(), "user-ent-1", monday_ms(), domain::event::EventKind::Submit)
        .unwrap();
    (doc, case.id)
}

/// Any real message of the protocol, with generated fields.
fn message() -> impl Strategy<Value = Message> {
    let id = || "[ -~]{0,24}|[1-9A-HJ-NP-Za-km-z]{28}";
    let data = || proptest::collection::vec(any::<u8>(), 0..64);
    prop_oneof![
        (id(), proptest::option::of(id()), proptest::collection::vec(id(), 0..3))
            .prop_map(|(s, st, v)| { Message::Join { sender_id: s, storage_id: st, protocol_versions: v } }),
        (id(), id(), proptest::option::of(id())).prop_map(|(s, t, st)| Message::Peer {
            sender_id: s,
            target_id: t,
            storage_id: st
        }),
        (id(), id(), id(), data()).prop_map(|(s, t, d, data)| Message::Request {
            sender_id: s,
            target_id: t,
            document_id: d,
            data
        }),
        (id(), id(), id(), data()).prop_map(|(s, t, d, data)| Message::Sync {
            sender_id: s,
            target_id: t,
            document_id: d,
            data
        }),
        (id(), id(), id()).prop_map(|(s, t, d)| Message::DocUnavailable { sender_id: s, target_id: t, document_id: d }),
        (id(), id(), id(), proptest::collection::vec(any::<[u8; 32]>(), 0..3), any::<String>(), any::<String>())
            .prop_map(|(s, t, d, changes, zh, en)| Message::Refused {
                sender_id: s,
                target_id: t,
                document_id: d,
                changes,
                reason_zh: zh,
                reason_en: en
            }),
        any::<String>().prop_map(|message| Message::Error { message }),
    ]
}

/// A change to encoded bytes: one byte set, a cut, or bytes put in.
#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Cut(usize),
    Insert(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Set(at, byte)),
        any::<usize>().prop_map(Mutation::Cut),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8)).prop_map(|(at, b)| Mutation::Insert(at, b)),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let at = |i: usize| if bytes.is_empty() { 0 } else { i % (bytes.len() + 1) };
        match m {
            Mutation::Set(i, byte) if !bytes.is_empty() => {
                let i = i % bytes.len();
                bytes[i] = *byte;
            }
            Mutation::Set(..) => {}
            Mutation::Cut(i) => bytes.truncate(at(*i)),
            Mutation::Insert(i, more) => {
                let i = at(*i);
                bytes.splice(i..i, more.iter().copied());
            }
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn real_messages_round_trip_and_mutated_ones_never_panic(
        message in message(),
        mutations in proptest::collection::vec(mutation(), 1..4),
    ) {
        let bytes = message.encode();
        prop_assert_eq!(&Message::decode(&bytes).unwrap(), &message);
        // Mutated, it decodes to something that encodes and decodes the
        // same, or it is an error: never a panic.
        if let Ok(decoded) = Message::decode(&mutate(bytes, &mutations)) {
            prop_assert_eq!(Message::decode(&decoded.encode()).unwrap(), decoded);
        }
    }

    #[test]
    fn the_sync_decoder_takes_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        // Whatever decodes encodes to something that decodes the same.
        if let Ok(message) = Message::decode(&bytes) {
            prop_assert_eq!(Message::decode(&message.encode()).unwrap(), message);
        }
    }

    #[test]
    fn garbage_changes_are_refused_and_change_nothing(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let (mut server, id) = server_copy();
        let heads = server.get_heads();
        let case = domain::doc::read(&server).unwrap();
        let state = case.state();
        let user = User { id: "user-ent-1".into(), role: Role::Enterprise, org: Some("ent-1".into()), district: None };
        let outcome = check_incoming(&mut server, Some((&case, &state)), &id, &[&bytes], &user, domain::sync::InForce { directory: &Directory::huizhou(), roster: &domain::roster::Roster::default() });
        prop_assert!(!matches!(outcome, Ok(Some(_))), "random bytes are never an accepted change");
        prop_assert_eq!(server.get_heads(), heads);
        prop_assert_eq!(server.get_changes(&[]).len(), 2);
    }

    #[test]
    fn the_profile_parsers_take_any_text(name in text(), uscc in text(), phone in text(), title in text()) {
        let _ = domain::uscc::validate(&uscc);
        let _ = domain::account::validate_login(&name);
        let _ = domain::account::validate_password(&phone);
        let enterprise = Enterprise {
            id: "ent-1".into(),
            name: name.clone(),
            uscc: uscc.clone(),
            ownership: "private".into(),
            size: "small".into(),
            industry: title.clone(),
            district: "boluo".into(),
        };
        if let Ok(valid) = enterprise.validate(&Directory::huizhou()) {
            // What validation accepts, validation accepts again unchanged.
            prop_assert_eq!(valid.clone().validate(&Directory::huizhou()).unwrap(), valid);
        }
        if let Ok(valid) = (Contact { name: name.clone(), phone: phone.clone() }).validate() {
            prop_assert_eq!(valid.clone().validate().unwrap(), valid);
        }
        let appeal = Appeal {
            title: title.clone(),
            description: name,
            category: "land".into(),
            wants_session: false,
            attachments: vec![],
        };
        if let Ok(valid) = appeal.validate(&Directory::huizhou()) {
            prop_assert!(!valid.title.trim().is_empty());
            prop_assert_eq!(valid.clone().validate(&Directory::huizhou()).unwrap(), valid);
        }
    }

    #[test]
    fn dates_sessions_and_timetables_parse_or_say_why(s in text()) {
        if let Ok(day) = Day::parse(&s) {
            prop_assert_eq!(Day::parse(&day.to_string()).unwrap(), day);
        }
        let _ = parse_datetime(&s);
        let _ = month_span(&s);
        let _ = domain::time::quarter_span(&s);
        if let Ok(session) = Session::parse(&s) {
            prop_assert_eq!(session.id.as_str(), s.as_str(), "only the canonical spelling parses");
        }
        if let Ok(milestones) = milestones(&s) {
            prop_assert!(!milestones.is_empty());
            prop_assert!(milestones.iter().all(|m| !m.title.trim().is_empty()));
        }
    }

    #[test]
    fn every_action_form_takes_any_input(values in proptest::collection::vec(text(), 8), which in 0usize..28) {
        let action = ActionKind::ALL[which];
        let form: Form = fields(action).iter().zip(values.iter().cycle()).map(|(f, v)| (f.key.to_string(), v.clone())).collect();
        let events = chain(vec![domain::event::EventKind::Submit, route_session()]);
        let case = case_doc(&events);
        let state = case.state();
        if let Ok(kind) = build(action, &form, &case, &state, &Directory::huizhou()) {
            // What a form builds passes the same limits the server checks.
            prop_assert!(kind.validate_for("boluo", &Directory::huizhou()).is_ok(), "{:?} built {:?}", action, kind);
        }
    }
}
