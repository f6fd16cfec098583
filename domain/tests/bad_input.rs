#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! Bad input, generated: the sync message decoder, change validation and
//! every form parser take arbitrary bytes and text without panicking; what
//! they accept is valid by their own rules, and a refused change leaves the
//! server's copy untouched.

mod common;
use common::*;

use automerge::AutoCommit;
use domain::case::{Appeal, Contact, Enterprise};
use domain::permission::{Role, User};
use domain::session::Session;
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

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
        let outcome = check_incoming(&mut server, Some((&case, &state)), &id, &[&bytes], &user);
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
        if let Ok(valid) = enterprise.validate() {
            // What validation accepts, validation accepts again unchanged.
            prop_assert_eq!(valid.clone().validate().unwrap(), valid);
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
        if let Ok(valid) = appeal.validate() {
            prop_assert!(!valid.title.trim().is_empty());
            prop_assert_eq!(valid.clone().validate().unwrap(), valid);
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
        if let Ok(kind) = build(action, &form, &case, &state) {
            // What a form builds passes the same limits the server checks.
            prop_assert!(kind.validate_for("boluo").is_ok(), "{:?} built {:?}", action, kind);
        }
    }
}
