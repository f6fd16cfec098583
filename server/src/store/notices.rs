//! Monthly progress notices as issued: one per case and month, the
//! letter's HTML kept exactly as it was sent.

use std::collections::HashSet;

use super::Store;
use super::db::params;
use crate::ServerError;

impl Store {
    /// Archives a notice; `false` if the case already has one for `month`
    /// (issuing twice changes nothing).
    pub fn put_notice(&self, case_id: &str, month: &str, issued_ms: i64, html: &str) -> Result<bool, ServerError> {
        let added = self.tx(|sql| {
            sql.execute(
                "INSERT INTO notices (case_id, month, issued_ms, html) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                params![case_id, month, issued_ms, html],
            )
        })?;
        Ok(added == 1)
    }

    /// The cases that have their notice for `month`.
    pub fn noticed_cases(&self, month: &str) -> Result<HashSet<String>, ServerError> {
        self.tx(|sql| {
            let rows = sql.query("SELECT case_id FROM notices WHERE month = ?1", params![month])?;
            rows.iter().map(|r| r.text(0)).collect()
        })
    }

    /// A case's notices, newest month first: (month, issued_ms).
    pub fn notices_of(&self, case_id: &str) -> Result<Vec<(String, i64)>, ServerError> {
        self.tx(|sql| {
            let rows = sql.query(
                "SELECT month, issued_ms FROM notices WHERE case_id = ?1 ORDER BY month DESC",
                params![case_id],
            )?;
            rows.iter().map(|r| Ok((r.text(0)?, r.int(1)?))).collect()
        })
    }

    pub fn notice(&self, case_id: &str, month: &str) -> Result<Option<String>, ServerError> {
        self.tx(|sql| {
            let row =
                sql.query_one("SELECT html FROM notices WHERE case_id = ?1 AND month = ?2", params![case_id, month])?;
            row.map(|r| r.text(0)).transpose()
        })
    }
}
