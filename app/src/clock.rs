//! The app's one source of "now" and of the policy deadlines are computed
//! by (working-day calendar and rules).
//! Everything time-dependent asks here, never the domain; e2e tests move
//! the browser's clock (Playwright's `page.clock`) and the app follows.

use std::sync::OnceLock;

use domain::DomainError;
use domain::calendar::WorkCalendar;
use domain::policy::Policy;
use domain::time::Day;

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Today in China.
pub fn today() -> Day {
    Day::of_instant(now_ms())
}

static POLICY: OnceLock<Policy> = OnceLock::new();

/// Builds the policy, once, before anything is drawn: `main` does not start
/// the app on an error (a broken shipped calendar) but shows it.
pub fn install_policy() -> Result<(), DomainError> {
    let policy = Policy::shipped()?;
    let _ = POLICY.set(policy);
    Ok(())
}

/// The policy `main` installed (the default is never reached: without an
/// installed policy the app does not start).
pub fn policy() -> &'static Policy {
    POLICY.get_or_init(Policy::default)
}

/// The working-day calendar of the policy.
pub fn calendar() -> &'static WorkCalendar {
    &policy().calendar
}
