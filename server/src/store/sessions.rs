//! Themed and cross-district sessions published for enterprises to see.

use super::Store;
use crate::ServerError;

impl Store {
    /// Publishes session `id`; `false` if it was published before.
    pub async fn publish_session(&self, id: &str, by: &str, now_ms: i64) -> Result<bool, ServerError> {
        let mut tx = self.db.write().await?;
        let added = sqlx::query(
            "INSERT INTO published_sessions (id, published_by, published_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(by)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(added.rows_affected() == 1)
    }

    /// Every published session's id.
    pub async fn published_sessions(&self) -> Result<Vec<String>, ServerError> {
        Ok(sqlx::query_scalar("SELECT id FROM published_sessions ORDER BY id").fetch_all(&self.db.pool).await?)
    }
}
