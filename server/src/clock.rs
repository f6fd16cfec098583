//! The server's one source of "now" (ms since the epoch). Tests and demos
//! inject a fixed or movable clock; nothing else reads the wall clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

#[derive(Clone)]
pub struct Clock(Source);

#[derive(Clone)]
enum Source {
    System,
    /// A clock tests move by hand.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    pub fn system() -> Clock {
        Clock(Source::System)
    }

    pub fn manual(now_ms: i64) -> Clock {
        Clock(Source::Manual(Arc::new(AtomicI64::new(now_ms))))
    }

    pub fn now_ms(&self) -> i64 {
        match &self.0 {
            Source::System => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            Source::Manual(now) => now.load(Ordering::SeqCst),
        }
    }

    /// Moves a manual clock; the system clock cannot be moved.
    pub fn set_ms(&self, now_ms: i64) {
        if let Source::Manual(now) = &self.0 {
            now.store(now_ms, Ordering::SeqCst);
        }
    }
}
