//! Attachment blobs, stored once per content hash.

use super::Store;
use super::db::params;
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
        self.tx(|sql| {
            sql.execute(
                "INSERT INTO blobs (sha256, mime, bytes, uploader, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(sha256) DO NOTHING",
                params![sha256, mime, bytes, uploader, now_ms],
            )
        })?;
        Ok(())
    }

    /// The blob's type, content and uploader.
    pub fn blob(&self, sha256: &str) -> Result<Option<(String, Vec<u8>, String)>, ServerError> {
        self.tx(|sql| {
            let row = sql.query_one("SELECT mime, bytes, uploader FROM blobs WHERE sha256 = ?1", params![sha256])?;
            row.map(|r| Ok((r.text(0)?, r.blob(1)?, r.text(2)?))).transpose()
        })
    }

    pub fn cases_naming_blob(&self, sha256: &str) -> Result<Vec<String>, ServerError> {
        self.tx(|sql| {
            let rows = sql.query("SELECT case_id FROM blob_refs WHERE sha256 = ?1", params![sha256])?;
            rows.iter().map(|r| r.text(0)).collect()
        })
    }
}
