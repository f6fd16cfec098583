//! Change validation takes any bytes as the changes of a sync message: it
//! never accepts them as a change, never panics, and never touches the
//! server's copy of the case.
#![no_main]

#[path = "../../domain/tests/common/mod.rs"]
mod common;

use std::sync::OnceLock;

use automerge::AutoCommit;
use domain::permission::{Role, User};
use domain::sync::{DocumentId, actor_for, check_incoming};
use libfuzzer_sys::fuzz_target;

fn server_copy() -> &'static (Vec<u8>, String) {
    static COPY: OnceLock<(Vec<u8>, String)> = OnceLock::new();
    COPY.get_or_init(|| {
        let mut case = common::case_doc(&[]);
        case.id = DocumentId::from_bytes([4; 16]).to_string();
        let mut doc = domain::doc::create(&case, actor_for("user-ent-1", [1; 8])).expect("a case");
        let submit = domain::event::EventKind::Submit;
        domain::doc::record(&mut doc, "submit".into(), "user-ent-1", common::monday_ms(), submit).expect("recorded");
        (doc.save(), case.id)
    })
}

fuzz_target!(|bytes: &[u8]| {
    let (saved, id) = server_copy();
    let mut server = AutoCommit::load(saved).expect("the saved copy loads");
    let heads = server.get_heads();
    let case = domain::doc::read(&server).expect("a case");
    let state = case.state();
    let user = User { id: "user-ent-1".into(), role: Role::Enterprise, org: Some("ent-1".into()), district: None };
    let (directory, roster) = (domain::directory::Directory::huizhou(), domain::roster::Roster::default());
    let in_force = domain::sync::InForce { directory: &directory, roster: &roster };
    let outcome = check_incoming(&mut server, Some((&case, &state)), id, &[bytes], &user, in_force);
    assert!(!matches!(outcome, Ok(Some(_))), "random bytes are never an accepted change");
    assert_eq!(server.get_heads(), heads);
});
