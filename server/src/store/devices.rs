//! When the server last heard from each device: the start of the window in
//! which the times of its offline work are plausible (see
//! `domain::device_time`).

use super::Store;
use crate::ServerError;

impl Store {
    /// When the server last heard from the device `storage_key`, if ever.
    pub async fn device_contact(&self, storage_key: &str) -> Result<Option<i64>, ServerError> {
        Ok(sqlx::query_scalar("SELECT last_ms FROM device_contacts WHERE storage_key = $1")
            .bind(storage_key)
            .fetch_optional(&self.db.pool)
            .await?)
    }

    /// Records that the server heard from the device at `at_ms` (an older
    /// time than the one recorded changes nothing).
    pub async fn heard_from_device(&self, storage_key: &str, at_ms: i64) -> Result<(), ServerError> {
        let mut tx = self.db.write().await?;
        sqlx::query(
            "INSERT INTO device_contacts (storage_key, last_ms) VALUES ($1, $2) ON CONFLICT (storage_key) \
             DO UPDATE SET last_ms = excluded.last_ms WHERE excluded.last_ms > device_contacts.last_ms",
        )
        .bind(storage_key)
        .bind(at_ms)
        .execute(&mut *tx)
        .await?;
        Ok(tx.commit().await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_latest_contact_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        assert_eq!(store.device_contact("u/d").await.unwrap(), None);
        store.heard_from_device("u/d", 2_000).await.unwrap();
        store.heard_from_device("u/d", 1_000).await.unwrap();
        assert_eq!(store.device_contact("u/d").await.unwrap(), Some(2_000));
        store.heard_from_device("u/d", 3_000).await.unwrap();
        assert_eq!(store.device_contact("u/d").await.unwrap(), Some(3_000));
    }
}
