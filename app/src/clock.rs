//! The app's one source of "now". Everything time-dependent asks here, so
//! tests can move the clock (step 3) without touching the domain.

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
