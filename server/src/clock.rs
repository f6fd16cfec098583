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
    /// The system clock moved by the offset (ms) a browser test keeps in
    /// this file, so the server and the test's devices agree on the date
    /// (`--clock-offset-file`; never set in production).
    OffsetFile(Arc<std::path::PathBuf>),
}

impl Clock {
    pub fn system() -> Clock {
        Clock(Source::System)
    }

    pub fn manual(now_ms: i64) -> Clock {
        Clock(Source::Manual(Arc::new(AtomicI64::new(now_ms))))
    }

    /// The system clock moved by the offset in `file` (none while the file
    /// is missing or holds no number).
    pub fn offset_by_file(file: std::path::PathBuf) -> Clock {
        Clock(Source::OffsetFile(Arc::new(file)))
    }

    pub fn now_ms(&self) -> i64 {
        let system = || {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        };
        match &self.0 {
            Source::System => system(),
            Source::Manual(now) => now.load(Ordering::SeqCst),
            Source::OffsetFile(file) => {
                let offset = std::fs::read_to_string(file.as_ref()).ok().and_then(|s| s.trim().parse::<i64>().ok());
                system().saturating_add(offset.unwrap_or(0))
            }
        }
    }

    /// Moves a manual clock; the system clock cannot be moved.
    pub fn set_ms(&self, now_ms: i64) {
        if let Source::Manual(now) = &self.0 {
            now.store(now_ms, Ordering::SeqCst);
        }
    }
}
