//! Who may do what, and the defences around it: sign-in and sessions,
//! password hashing on its own workers, sign-in throttling, the
//! cross-site guard and the app's Content-Security-Policy.

pub mod auth;
pub mod csp;
pub mod guard;
pub mod passwords;
pub mod throttle;
