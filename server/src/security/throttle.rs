//! Sign-in throttling: guessing passwords must be slow.
//!
//! Per account: after [`FREE_FAILURES`] failed sign-ins in a row the
//! account is locked for a minute, doubling with each further failure up to
//! an hour; a successful sign-in clears it. While locked, even the right
//! password is refused (otherwise the lock would tell nothing apart).
//! Per client address: at most [`ADDRESS_FAILURES`] failures in
//! [`ADDRESS_WINDOW_MS`], whichever accounts they name.
//!
//! Kept in memory: a restart forgets it, which costs an attacker a restart
//! they cannot cause. Behind a reverse proxy every client has the proxy's
//! address, so the per-address limit then counts everyone together.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use crate::ServerError;

/// Failures allowed before an account locks.
pub const FREE_FAILURES: u32 = 5;
const FIRST_LOCK_MS: i64 = 60_000;
const LONGEST_LOCK_MS: i64 = 3_600_000;
/// Failures allowed from one address in [`ADDRESS_WINDOW_MS`].
pub const ADDRESS_FAILURES: usize = 20;
pub const ADDRESS_WINDOW_MS: i64 = 600_000;

#[derive(Default)]
struct Account {
    failures: u32,
    locked_until_ms: i64,
}

#[derive(Default)]
pub struct Throttle {
    accounts: Mutex<HashMap<String, Account>>,
    /// Failure times per address, oldest first, within the window.
    addresses: Mutex<HashMap<IpAddr, Vec<i64>>>,
}

/// Why a sign-in may not be tried now, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    Account { ms: i64 },
    Address { ms: i64 },
}

impl Throttle {
    /// Whether `login` may try to sign in from `address` at `now_ms`.
    pub fn check(&self, login: &str, address: Option<IpAddr>, now_ms: i64) -> Result<Option<Wait>, ServerError> {
        let accounts = self.accounts.lock().map_err(|_| ServerError::Poisoned)?;
        if let Some(a) = accounts.get(login).filter(|a| a.locked_until_ms > now_ms) {
            return Ok(Some(Wait::Account { ms: a.locked_until_ms - now_ms }));
        }
        drop(accounts);
        let mut addresses = self.addresses.lock().map_err(|_| ServerError::Poisoned)?;
        if let Some(times) = address.and_then(|ip| addresses.get_mut(&ip)) {
            times.retain(|t| now_ms - t < ADDRESS_WINDOW_MS);
            if times.len() >= ADDRESS_FAILURES {
                return Ok(Some(Wait::Address { ms: times[0] + ADDRESS_WINDOW_MS - now_ms }));
            }
        }
        Ok(None)
    }

    /// Counts a failed sign-in.
    pub fn failed(&self, login: &str, address: Option<IpAddr>, now_ms: i64) -> Result<(), ServerError> {
        let mut accounts = self.accounts.lock().map_err(|_| ServerError::Poisoned)?;
        let account = accounts.entry(login.to_string()).or_default();
        account.failures += 1;
        if account.failures >= FREE_FAILURES {
            let doublings = (account.failures - FREE_FAILURES).min(10);
            account.locked_until_ms = now_ms + (FIRST_LOCK_MS << doublings).min(LONGEST_LOCK_MS);
        }
        drop(accounts);
        if let Some(ip) = address {
            self.addresses.lock().map_err(|_| ServerError::Poisoned)?.entry(ip).or_default().push(now_ms);
        }
        Ok(())
    }

    /// A successful sign-in clears the account's failures.
    pub fn succeeded(&self, login: &str) -> Result<(), ServerError> {
        self.accounts.lock().map_err(|_| ServerError::Poisoned)?.remove(login);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_locks_after_five_failures_for_longer_each_time() {
        let t = Throttle::default();
        let mut now = 0;
        for _ in 0..4 {
            t.failed("a", None, now).unwrap();
        }
        assert_eq!(t.check("a", None, now).unwrap(), None);
        t.failed("a", None, now).unwrap();
        assert_eq!(t.check("a", None, now).unwrap(), Some(Wait::Account { ms: 60_000 }));
        assert_eq!(t.check("b", None, now).unwrap(), None, "other accounts are free");
        now += 60_000;
        assert_eq!(t.check("a", None, now).unwrap(), None);
        t.failed("a", None, now).unwrap();
        assert_eq!(t.check("a", None, now).unwrap(), Some(Wait::Account { ms: 120_000 }), "doubles");
        now += 120_000;
        t.failed("a", None, now).unwrap();
        assert_eq!(t.check("a", None, now).unwrap(), Some(Wait::Account { ms: 240_000 }));
        for _ in 0..20 {
            t.failed("a", None, now).unwrap();
        }
        assert_eq!(t.check("a", None, now).unwrap(), Some(Wait::Account { ms: 3_600_000 }), "an hour at most");
        t.succeeded("a").unwrap();
        assert_eq!(t.check("a", None, now).unwrap(), None);
    }

    #[test]
    fn an_address_may_fail_twenty_times_in_ten_minutes() {
        let t = Throttle::default();
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        for i in 0..20 {
            t.failed(&format!("user{i}"), Some(ip), i * 1_000).unwrap();
        }
        assert_eq!(t.check("someone", Some(ip), 20_000).unwrap(), Some(Wait::Address { ms: 580_000 }));
        assert_eq!(t.check("someone", Some("192.0.2.8".parse().unwrap()), 20_000).unwrap(), None);
        assert_eq!(t.check("someone", Some(ip), 600_000).unwrap(), None, "the oldest failure has aged out");
    }
}
