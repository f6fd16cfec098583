//! Attachment blobs, stored once per content hash.

use super::Store;
use crate::ServerError;

impl Store {
    /// Stores a blob (a second upload of the same content changes nothing).
    pub async fn put_blob(
        &self,
        sha256: &str,
        mime: &str,
        bytes: &[u8],
        uploader: &str,
        now_ms: i64,
    ) -> Result<(), ServerError> {
        sqlx::query(
            "INSERT INTO blobs (sha256, mime, bytes, uploader, created_ms) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT(sha256) DO NOTHING",
        )
        .bind(sha256)
        .bind(mime)
        .bind(bytes)
        .bind(uploader)
        .bind(now_ms)
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    /// The blob's type, content and uploader.
    pub async fn blob(&self, sha256: &str) -> Result<Option<(String, Vec<u8>, String)>, ServerError> {
        Ok(sqlx::query_as("SELECT mime, bytes, uploader FROM blobs WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(&self.db.pool)
            .await?)
    }
}
