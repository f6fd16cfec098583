//! Push subscriptions (one per device that allowed notifications) and the
//! installation's own keys.

use domain::permission::User;

use super::Store;
use super::accounts::role_of;
use crate::ServerError;

/// Where a device receives push notifications.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Subscription {
    pub endpoint: String,
    pub user_id: String,
    /// The device's public key (P-256, uncompressed, base64url).
    pub p256dh: String,
    /// The device's authentication secret (16 bytes, base64url).
    pub auth: String,
}

/// Subscriptions kept per account: a new device's replaces the oldest.
pub const PER_ACCOUNT: i64 = 10;

/// Who among the subscribed serving accounts is to be told.
#[derive(Debug, Clone, Copy)]
pub enum Among<'a> {
    /// Accounts of this role and organisation (an enterprise, a unit).
    Org(&'a str, &'a str),
    /// Accounts of this role serving this district.
    District(&'a str, &'a str),
    /// This account.
    Id(&'a str),
    /// Every account with a device.
    Anyone,
}

/// The start of a query for subscribed serving accounts (a macro, so that
/// the statements stay literals).
macro_rules! subscribed {
    () => {
        "SELECT DISTINCT u.id, u.role, u.org, u.district FROM users u \
         JOIN push_subscriptions p ON p.user_id = u.id WHERE u.deactivated_ms IS NULL AND "
    };
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    role: String,
    org: Option<String>,
    district: Option<String>,
}

impl Store {
    /// Keeps a device's subscription for `user_id` (a subscription moved to
    /// another account on a shared device is now that account's).
    pub async fn subscribe(&self, subscription: &Subscription, now_ms: i64) -> Result<(), ServerError> {
        let mut tx = self.db.write().await?;
        sqlx::query(
            "INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, created_ms) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, \
             auth = excluded.auth, created_ms = excluded.created_ms",
        )
        .bind(&subscription.endpoint)
        .bind(&subscription.user_id)
        .bind(&subscription.p256dh)
        .bind(&subscription.auth)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint NOT IN \
             (SELECT endpoint FROM push_subscriptions WHERE user_id = $1 ORDER BY created_ms DESC, endpoint LIMIT $2)",
        )
        .bind(&subscription.user_id)
        .bind(PER_ACCOUNT)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Drops a subscription: `user_id`'s own (a device turning
    /// notifications off), or any (`None`: the push service said it is gone).
    pub async fn unsubscribe(&self, endpoint: &str, user_id: Option<&str>) -> Result<bool, ServerError> {
        let mut tx = self.db.write().await?;
        let dropped = match user_id {
            Some(user_id) => {
                sqlx::query("DELETE FROM push_subscriptions WHERE endpoint = $1 AND user_id = $2")
                    .bind(endpoint)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
            }
            None => {
                sqlx::query("DELETE FROM push_subscriptions WHERE endpoint = $1")
                    .bind(endpoint)
                    .execute(&mut *tx)
                    .await?
            }
        };
        tx.commit().await?;
        Ok(dropped.rows_affected() > 0)
    }

    pub async fn subscriptions(&self, user_id: &str) -> Result<Vec<Subscription>, ServerError> {
        Ok(sqlx::query_as(
            "SELECT endpoint, user_id, p256dh, auth FROM push_subscriptions WHERE user_id = $1 ORDER BY endpoint",
        )
        .bind(user_id)
        .fetch_all(&self.db.pool)
        .await?)
    }

    /// The serving accounts `among` who have a device to push to.
    pub async fn subscribed(&self, among: Among<'_>) -> Result<Vec<User>, ServerError> {
        let rows: Vec<UserRow> = match among {
            Among::Org(role, org) => {
                sqlx::query_as(concat!(subscribed!(), "u.role = $1 AND u.org = $2 ORDER BY u.id"))
                    .bind(role)
                    .bind(org)
                    .fetch_all(&self.db.pool)
                    .await?
            }
            Among::District(role, district) => {
                sqlx::query_as(concat!(subscribed!(), "u.role = $1 AND u.district = $2 ORDER BY u.id"))
                    .bind(role)
                    .bind(district)
                    .fetch_all(&self.db.pool)
                    .await?
            }
            Among::Id(id) => {
                sqlx::query_as(concat!(subscribed!(), "u.id = $1")).bind(id).fetch_all(&self.db.pool).await?
            }
            Among::Anyone => {
                sqlx::query_as(concat!(subscribed!(), "TRUE ORDER BY u.id")).fetch_all(&self.db.pool).await?
            }
        };
        Ok(rows
            .into_iter()
            .filter_map(|r| Some(User { id: r.id, role: role_of(&r.role)?, org: r.org, district: r.district }))
            .collect())
    }

    /// The installation's key `name`, made by `make` and kept on first use
    /// (when two instances make one at once, the first stored wins).
    pub async fn server_key(
        &self,
        name: &str,
        make: impl FnOnce() -> Result<String, ServerError>,
    ) -> Result<String, ServerError> {
        let kept: Option<String> = sqlx::query_scalar("SELECT value FROM server_keys WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.db.pool)
            .await?;
        if let Some(kept) = kept {
            return Ok(kept);
        }
        let fresh = make()?;
        let mut tx = self.db.write().await?;
        sqlx::query("INSERT INTO server_keys (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(&fresh)
            .execute(&mut *tx)
            .await?;
        let value =
            sqlx::query_scalar("SELECT value FROM server_keys WHERE name = $1").bind(name).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(value)
    }
}
