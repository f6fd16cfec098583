//! Monthly progress notices as issued: one per case and month, the
//! letter's HTML kept exactly as it was sent.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::ServerError;

impl Store {
    /// Archives a notice; `false` if the case already has one for `month`
    /// (issuing twice changes nothing).
    pub fn put_notice(&self, case_id: &str, month: &str, issued_ms: i64, html: &str) -> Result<bool, ServerError> {
        let conn = self.conn()?;
        let added = conn.execute(
            "INSERT OR IGNORE INTO notices (case_id, month, issued_ms, html) VALUES (?1, ?2, ?3, ?4)",
            params![case_id, month, issued_ms, html],
        )?;
        Ok(added == 1)
    }

    /// The cases that have their notice for `month`.
    pub fn noticed_cases(&self, month: &str) -> Result<HashSet<String>, ServerError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare("SELECT case_id FROM notices WHERE month = ?1")?;
        let rows = stmt.query_map([month], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A case's notices, newest month first: (month, issued_ms).
    pub fn notices_of(&self, case_id: &str) -> Result<Vec<(String, i64)>, ServerError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare("SELECT month, issued_ms FROM notices WHERE case_id = ?1 ORDER BY month DESC")?;
        let rows = stmt.query_map([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn notice(&self, case_id: &str, month: &str) -> Result<Option<String>, ServerError> {
        let conn = self.conn()?;
        let html = conn
            .query_row("SELECT html FROM notices WHERE case_id = ?1 AND month = ?2", [case_id, month], |r| r.get(0))
            .optional()?;
        Ok(html)
    }
}
