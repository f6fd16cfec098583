//! The policy in force: the directory, the deadline rules and the
//! calendar, one row per version, the highest in force. A version is
//! stored with its audit entry in one transaction, and announced to the
//! other instances. Two admins editing at once both build on version n;
//! the first to store n + 1 wins and the other builds again on it.

use domain::policy::Policy;

use super::audit::{self, AuditEntry};
use super::{Announcement, Store};
use crate::ServerError;

impl Store {
    /// The policy in force; a new installation stores its first one
    /// ([`Policy::shipped`]) on first use.
    pub async fn policy(&self) -> Result<Policy, ServerError> {
        let body: Option<String> = sqlx::query_scalar("SELECT body FROM policies ORDER BY version DESC LIMIT 1")
            .fetch_optional(&self.db.pool)
            .await?;
        match body {
            Some(body) => Ok(serde_json::from_str(&body)?),
            None => {
                let first = Policy::shipped()?;
                self.save_policy(&first, &AuditEntry::new(0, "system", "policy", None, "shipped")).await?;
                // Another instance may have stored its own first one.
                Box::pin(self.policy()).await
            }
        }
    }

    /// Stores `policy` as its version, with `audit`; `false` (and nothing
    /// stored) when that version exists already.
    pub async fn save_policy(&self, policy: &Policy, audit: &AuditEntry) -> Result<bool, ServerError> {
        let version = i64::try_from(policy.version).map_err(|_| ServerError::Database("policy version".into()))?;
        let body = serde_json::to_string(policy)?;
        let mut tx = self.db.write().await?;
        let stored = sqlx::query(
            "INSERT INTO policies (version, body, saved_by, saved_ms) VALUES ($1, $2, $3, $4)
             ON CONFLICT (version) DO NOTHING",
        )
        .bind(version)
        .bind(&body)
        .bind(&audit.actor)
        .bind(audit.at_ms)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if stored {
            audit::insert(&mut tx, audit).await?;
            self.announce(&mut tx, "policy", &version.to_string()).await?;
        }
        tx.commit().await?;
        Ok(stored)
    }
}

/// What an instance hears when another stored a policy.
pub(super) fn announced(subject: &str) -> Option<Announcement> {
    subject.parse().ok().map(Announcement::Policy)
}
