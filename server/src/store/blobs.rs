//! Attachment blobs, stored once per content hash.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::ServerError;

impl Store {
    /// Stores a blob (a second upload of the same content changes nothing).
    pub fn put_blob(
        &self,
        sha256: &str,
        mime: &str,
        bytes: &[u8],
        uploader: &str,
        now_ms: i64,
    ) -> Result<(), ServerError> {
        self.conn()?.execute(
            "INSERT INTO blobs (sha256, mime, bytes, uploader, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(sha256) DO NOTHING",
            params![sha256, mime, bytes, uploader, now_ms],
        )?;
        Ok(())
    }

    /// The blob's type, content and uploader.
    pub fn blob(&self, sha256: &str) -> Result<Option<(String, Vec<u8>, String)>, ServerError> {
        let conn = self.conn()?;
        Ok(conn
            .query_row("SELECT mime, bytes, uploader FROM blobs WHERE sha256 = ?1", [sha256], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?)
    }

    /// Records that `case_id` names these blobs.
    pub fn add_blob_refs(&self, case_id: &str, shas: &[String]) -> Result<(), ServerError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached("INSERT OR IGNORE INTO blob_refs (sha256, case_id) VALUES (?1, ?2)")?;
        for sha in shas {
            stmt.execute(params![sha, case_id])?;
        }
        Ok(())
    }

    pub fn cases_naming_blob(&self, sha256: &str) -> Result<Vec<String>, ServerError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached("SELECT case_id FROM blob_refs WHERE sha256 = ?1")?;
        let rows = stmt.query_map([sha256], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
