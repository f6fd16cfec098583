//! The text parsers (credit code, login, dates, months, quarters, session
//! ids, timetables) take any text; what they accept round-trips.
#![no_main]

use domain::meeting::Session;
use domain::time::{Day, month_span, parse_datetime, quarter_span};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(s) = std::str::from_utf8(bytes) else { return };
    if let Ok(uscc) = domain::uscc::validate(s) {
        assert_eq!(domain::uscc::validate(&uscc).ok(), Some(uscc.clone()));
    }
    let _ = domain::account::validate_login(s);
    let _ = domain::account::validate_password(s);
    if let Ok(day) = Day::parse(s) {
        assert_eq!(Day::parse(&day.to_string()).ok(), Some(day));
    }
    let _ = parse_datetime(s);
    let _ = month_span(s);
    let _ = quarter_span(s);
    if let Ok(session) = Session::parse(s) {
        assert_eq!(session.id.as_str(), s, "only the canonical spelling parses");
    }
    if let Ok(milestones) = domain::work::milestones(s) {
        assert!(!milestones.is_empty() && milestones.iter().all(|m| !m.title.trim().is_empty()));
    }
});
