//! The app's one source of "now" and of the policy deadlines are computed
//! by (working-day calendar and rules).
//! Everything time-dependent asks here, never the domain; e2e tests move
//! the browser's clock (Playwright's `page.clock`) and the app follows.

use std::sync::Arc;

use domain::policy::Policy;
use domain::time::Day;
use leptos::prelude::expect_context;

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Today in China.
pub fn today() -> Day {
    Day::of_instant(now_ms())
}

/// The policy `main` built once and put in the app's context (the sync
/// engine, which runs outside any component, is handed it instead).
pub fn policy() -> Arc<Policy> {
    expect_context::<Arc<Policy>>()
}
