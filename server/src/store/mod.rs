//! Persistence: every case is one Automerge document; a few columns beside
//! it let the server find cases by party without loading documents. The
//! statements are written once for both databases ([`db::Db`]): SQLite
//! (one file, one server) or PostgreSQL (several servers, `DATABASE_URL`).

use std::path::Path;

use crate::ServerError;

mod accounts;
mod appending;
mod audit;
mod backup;
mod blobs;
mod cases;
pub mod db;
mod decoded;
mod devices;
pub mod invitations;
mod loading;
pub mod notices;
pub mod outbox;
mod policies;
pub mod public_links;
pub mod push;
mod readers;
mod schema;
mod sessions;
pub mod settings;
pub use accounts::Account;
pub use appending::{Accepted, Written};
pub use audit::AuditEntry;
pub use backup::{DataLock, restore};
pub use cases::{CaseRow, heads_text};
use db::{Db, Tx};
pub use loading::{ChangesAfter, LoadedDocument, StoredCase};
pub use schema::Schema;

pub struct Store {
    db: Db,
    decoded: decoded::Decoded,
    /// This server instance, in the notes it leaves other instances.
    instance: String,
}

/// What another server instance did, as it announced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announcement {
    /// It stored changes to this case.
    Case(String),
    /// It ended this session (a stored digest).
    SignedOut(String),
    /// It stored this version of the policy.
    Policy(u64),
    /// It added or deactivated an official's account.
    Accounts,
    /// Announcements may have been missed: anything may have changed.
    Anything,
}

impl Store {
    /// Opens (creating if needed) the SQLite database in `dir`.
    pub async fn open(dir: &Path) -> Result<Store, ServerError> {
        Store::connect(None, dir).await
    }

    /// Opens the PostgreSQL database `url` names, or without one the SQLite
    /// database in `dir`.
    pub async fn connect(url: Option<&str>, dir: &Path) -> Result<Store, ServerError> {
        let db = Db::open(url, dir).await?;
        Ok(Store { db, decoded: decoded::Decoded::default(), instance: crate::security::auth::random_token()? })
    }

    pub fn backend(&self) -> db::Backend {
        self.db.backend
    }

    /// Announcements of the other server instances (`None` on SQLite, which
    /// has one server). Only the first caller gets them.
    pub fn announcements(&self) -> Option<Announcements> {
        Some(Announcements { raw: self.db.listen()?, own: format!("{} ", self.instance) })
    }

    async fn announce(&self, tx: &mut Tx, what: &str, subject: &str) -> Result<(), ServerError> {
        self.db.notify(tx, &format!("{} {what} {subject}", self.instance)).await
    }

    /// A count from `query` (a `SELECT COUNT(*)` without parameters).
    pub(crate) async fn count(&self, query: &'static str) -> Result<u64, ServerError> {
        let n: i64 = sqlx::query_scalar(query).fetch_one(&self.db.pool).await?;
        Ok(u64::try_from(n).unwrap_or_default())
    }
}

/// What other instances announce, as it arrives.
pub struct Announcements {
    raw: tokio::sync::mpsc::UnboundedReceiver<String>,
    own: String,
}

impl Announcements {
    /// The next announcement of another instance; `None` when the
    /// database is gone.
    pub async fn next(&mut self) -> Option<Announcement> {
        loop {
            let payload = self.raw.recv().await?;
            if let Some(announcement) = parse_announcement(&payload, &self.own) {
                return Some(announcement);
            }
        }
    }
}

/// `<instance> case <id>`, `<instance> signed-out <digest>` or `*`; our
/// own (starting with `own`) are skipped.
fn parse_announcement(payload: &str, own: &str) -> Option<Announcement> {
    if payload == "*" {
        return Some(Announcement::Anything);
    }
    if payload.starts_with(own) {
        return None;
    }
    let mut words = payload.splitn(3, ' ').skip(1);
    match (words.next()?, words.next()?) {
        ("case", id) => Some(Announcement::Case(id.to_string())),
        ("signed-out", digest) => Some(Announcement::SignedOut(digest.to_string())),
        ("policy", version) => policies::announced(version),
        ("accounts", _) => Some(Announcement::Accounts),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements_of_others_are_read_and_our_own_skipped() {
        assert_eq!(parse_announcement("b case c1", "a "), Some(Announcement::Case("c1".into())));
        assert_eq!(parse_announcement("b signed-out d", "a "), Some(Announcement::SignedOut("d".into())));
        assert_eq!(parse_announcement("*", "a "), Some(Announcement::Anything));
        assert_eq!(parse_announcement("a case c1", "a "), None);
        assert_eq!(parse_announcement("b policy 7", "a "), Some(Announcement::Policy(7)));
        assert_eq!(parse_announcement("b nonsense", "a "), None);
    }
}
