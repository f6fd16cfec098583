//! Every action form takes any input: the first byte picks the action, the
//! rest (split at NUL) fills its fields. What a form builds passes the
//! limits the server checks.
#![no_main]

#[path = "../../domain/tests/common/mod.rs"]
mod common;

use domain::event::EventKind;
use domain::work::{ActionKind, Form, build, fields};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Some((&which, rest)) = bytes.split_first() else { return };
    let action = ActionKind::ALL[usize::from(which) % ActionKind::ALL.len()];
    let values: Vec<String> = rest.split(|b| *b == 0).map(|v| String::from_utf8_lossy(v).into_owned()).collect();
    let form: Form =
        fields(action).iter().zip(values.iter().cycle()).map(|(f, v)| (f.key.to_string(), v.clone())).collect();
    let case = common::case_doc(&common::chain(vec![EventKind::Submit, common::route_session()]));
    let state = case.state();
    let directory = domain::directory::Directory::huizhou();
    if let Ok(kind) = build(action, &form, &case, &state, &directory) {
        assert!(kind.validate_for("boluo", &directory).is_ok(), "{action:?} built {kind:?}");
    }
});
