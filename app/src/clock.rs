//! The app's one source of "now" and of the working-day calendar.
//! Everything time-dependent asks here, never the domain; e2e tests move
//! the browser's clock (Playwright's `page.clock`) and the app follows.

use std::sync::OnceLock;

use domain::calendar::WorkCalendar;
use domain::time::Day;

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Today in China.
pub fn today() -> Day {
    Day::of_instant(now_ms())
}

/// The shipped working-day calendar, parsed once.
pub fn calendar() -> &'static WorkCalendar {
    static CALENDAR: OnceLock<WorkCalendar> = OnceLock::new();
    CALENDAR.get_or_init(WorkCalendar::china)
}
