//! What one client may ask of the sync endpoint: how many sockets a user
//! and an address may hold open, and how fast a socket may send.
//!
//! Sending is measured where messages *arrive* (a reader task apart from
//! processing): counting processed messages would only measure the
//! server's speed, never the client's.

use domain::label::Text;
use std::time::Instant;

/// The limits of the sync endpoint. The defaults leave a device that
/// reconnects after a month offline with a thousand cases well inside
/// them (a few thousand messages, a few MB, once); a client that keeps
/// sending faster than a person could type is cut off.
#[derive(Clone, Copy, Debug)]
pub struct SyncLimits {
    /// Sockets open at once per user (phone, desktop, a few tabs).
    pub sockets_per_user: usize,
    /// Sockets open at once per address (an office behind one NAT).
    pub sockets_per_address: usize,
    /// Messages a socket may send in a burst, and per second after it.
    pub message_burst: u32,
    pub messages_per_second: u32,
    /// Bytes a socket may send in a burst, and per second after it.
    pub byte_burst: u64,
    pub bytes_per_second: u64,
    /// Documents of one socket whose messages are answered side by side
    /// (see `sync::pipeline`); 1 answers one message at a time.
    pub documents_at_once: usize,
}

impl Default for SyncLimits {
    fn default() -> Self {
        SyncLimits {
            sockets_per_user: 10,
            sockets_per_address: 2_000,
            message_burst: 10_000,
            messages_per_second: 100,
            byte_burst: 64 * 1024 * 1024,
            bytes_per_second: 1024 * 1024,
            documents_at_once: 64,
        }
    }
}

/// Why a socket was refused or cut off, in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exceeded {
    SocketsOfUser(usize),
    SocketsOfAddress(usize),
    Messages(u32),
    Bytes(u64),
}

impl std::fmt::Display for Exceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message().fmt(f)
    }
}

impl Exceeded {
    pub fn message(&self) -> Text {
        match self {
            Exceeded::SocketsOfUser(n) => Text::owned(
                format!("同一账号同时最多 {n} 个同步连接,请关闭其他窗口"),
                format!("at most {n} sync connections per account"),
            ),
            Exceeded::SocketsOfAddress(n) => Text::owned(
                format!("同一地址同时最多 {n} 个同步连接,请稍后再试"),
                format!("at most {n} sync connections per address"),
            ),
            Exceeded::Messages(n) => Text::owned(
                format!("同步消息过多(每秒最多 {n} 条),连接已断开,请稍后重连"),
                format!("too many sync messages (at most {n} a second): disconnected, reconnect later"),
            ),
            Exceeded::Bytes(n) => {
                let kb = n / 1024;
                Text::owned(
                    format!("同步数据过多(每秒最多 {kb} KB),连接已断开,请稍后重连"),
                    format!("too much sync data (at most {kb} KB a second): disconnected, reconnect later"),
                )
            }
        }
    }
}

/// A token bucket: holds up to `capacity`, refills `per_second`.
struct Bucket {
    capacity: f64,
    per_second: f64,
    level: f64,
    since: Instant,
}

impl Bucket {
    fn full(capacity: f64, per_second: f64, now: Instant) -> Bucket {
        Bucket { capacity, per_second, level: capacity, since: now }
    }

    fn take(&mut self, amount: f64, now: Instant) -> bool {
        let refill = now.saturating_duration_since(self.since).as_secs_f64() * self.per_second;
        self.level = (self.level + refill).min(self.capacity);
        self.since = now;
        if self.level < amount {
            return false;
        }
        self.level -= amount;
        true
    }
}

/// What one socket may still send.
pub struct Allowance {
    messages: Bucket,
    bytes: Bucket,
    limits: SyncLimits,
}

impl Allowance {
    pub fn new(limits: SyncLimits, now: Instant) -> Allowance {
        Allowance {
            messages: Bucket::full(limits.message_burst.into(), limits.messages_per_second.into(), now),
            bytes: Bucket::full(limits.byte_burst as f64, limits.bytes_per_second as f64, now),
            limits,
        }
    }

    /// Counts one arriving message of `len` bytes.
    pub fn take(&mut self, len: usize, now: Instant) -> Result<(), Exceeded> {
        if !self.messages.take(1.0, now) {
            return Err(Exceeded::Messages(self.limits.messages_per_second));
        }
        if !self.bytes.take(len as f64, now) {
            return Err(Exceeded::Bytes(self.limits.bytes_per_second));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_burst_passes_then_the_rate_holds() {
        let limits = SyncLimits { message_burst: 10, messages_per_second: 5, ..SyncLimits::default() };
        let start = Instant::now();
        let mut allowance = Allowance::new(limits, start);
        for _ in 0..10 {
            assert_eq!(allowance.take(10, start), Ok(()));
        }
        assert_eq!(allowance.take(10, start), Err(Exceeded::Messages(5)));
        // One second later five more have come back, and no more.
        let later = start + Duration::from_secs(1);
        for _ in 0..5 {
            assert_eq!(allowance.take(10, later), Ok(()));
        }
        assert!(allowance.take(10, later).is_err());
    }

    #[test]
    fn bytes_are_counted_apart_from_messages() {
        let limits = SyncLimits { byte_burst: 1_000, bytes_per_second: 100, ..SyncLimits::default() };
        let start = Instant::now();
        let mut allowance = Allowance::new(limits, start);
        assert_eq!(allowance.take(900, start), Ok(()));
        assert_eq!(allowance.take(200, start), Err(Exceeded::Bytes(100)));
        assert_eq!(allowance.take(200, start + Duration::from_secs(1)), Ok(()));
    }
}
