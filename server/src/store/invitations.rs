//! One-time links ([`Invitation`]): an account an admin prepared for
//! someone, who picks a login and password; or a new password for an
//! existing account. Using one is one transaction with what it does, so a
//! link works once. And deactivating an account.

use domain::permission::Role;

use super::Store;
use super::accounts::{role_name, role_of};
use crate::ServerError;
use crate::store::Account;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invite,
    Reset,
}

impl Purpose {
    fn name(self) -> &'static str {
        match self {
            Purpose::Invite => "invite",
            Purpose::Reset => "reset",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Invitation {
    pub purpose: Purpose,
    /// The account whose password a reset sets.
    pub user_id: Option<String>,
    pub role: Role,
    pub org: Option<String>,
    pub district: Option<String>,
    pub display_name: String,
    pub expires_ms: i64,
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    purpose: String,
    user_id: Option<String>,
    role: String,
    org: Option<String>,
    district: Option<String>,
    display_name: String,
    expires_ms: i64,
}

impl Store {
    pub async fn create_invitation(
        &self,
        token_hash: &str,
        invitation: &Invitation,
        created_by: &str,
        now_ms: i64,
    ) -> Result<(), ServerError> {
        sqlx::query(
            "INSERT INTO invitations (token_hash, purpose, user_id, role, org, district, display_name, created_by, created_ms, expires_ms)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(token_hash)
        .bind(invitation.purpose.name())
        .bind(&invitation.user_id)
        .bind(role_name(invitation.role))
        .bind(&invitation.org)
        .bind(&invitation.district)
        .bind(&invitation.display_name)
        .bind(created_by)
        .bind(now_ms)
        .bind(invitation.expires_ms)
        .execute(&self.db.pool)
        .await?;
        Ok(())
    }

    /// The invitation behind a link, if it is unused and unexpired at `now_ms`.
    pub async fn open_invitation(&self, token_hash: &str, now_ms: i64) -> Result<Option<Invitation>, ServerError> {
        let row: Option<InvitationRow> = sqlx::query_as(
            "SELECT purpose, user_id, role, org, district, display_name, expires_ms FROM invitations
             WHERE token_hash = $1 AND used_ms IS NULL AND expires_ms > $2",
        )
        .bind(token_hash)
        .bind(now_ms)
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row.and_then(|r| {
            let purpose = if r.purpose == "reset" { Purpose::Reset } else { Purpose::Invite };
            Some(Invitation {
                purpose,
                user_id: r.user_id,
                role: role_of(&r.role)?,
                org: r.org,
                district: r.district,
                display_name: r.display_name,
                expires_ms: r.expires_ms,
            })
        }))
    }

    /// Marks the link used within `tx`; false when it was used (or
    /// expired) meanwhile.
    async fn use_link(&self, tx: &mut super::db::Tx, token_hash: &str, now_ms: i64) -> Result<bool, ServerError> {
        let used = sqlx::query(
            "UPDATE invitations SET used_ms = $1 WHERE token_hash = $2 AND used_ms IS NULL AND expires_ms > $1",
        )
        .bind(now_ms)
        .bind(token_hash)
        .execute(&mut **tx)
        .await?;
        Ok(used.rows_affected() == 1)
    }

    /// Creates the invited account with its login and password hash, and
    /// uses the link; false when the link is spent.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        now_ms: i64,
        account: &Account,
        password_hash: &str,
    ) -> Result<bool, ServerError> {
        let mut tx = self.db.write().await?;
        if !self.use_link(&mut tx, token_hash, now_ms).await? {
            return Ok(false);
        }
        super::accounts::insert_user(&mut *tx, account, password_hash).await?;
        self.announce(&mut tx, "accounts", &account.user.id).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Uses a reset link: marks it used (false when spent). The caller
    /// then sets the password ([`Store::set_password`]).
    pub async fn use_reset(&self, token_hash: &str, now_ms: i64) -> Result<bool, ServerError> {
        let mut tx = self.db.write().await?;
        let used = self.use_link(&mut tx, token_hash, now_ms).await?;
        tx.commit().await?;
        Ok(used)
    }

    /// An enterprise's registered profile (its registrant's), which its
    /// colleagues' accounts carry too.
    pub async fn enterprise_profile(
        &self,
        enterprise_id: &str,
    ) -> Result<Option<domain::account::Profile>, ServerError> {
        let profile: Option<Option<String>> = sqlx::query_scalar("SELECT profile FROM users WHERE id = $1")
            .bind(domain::permission::registrant_id(enterprise_id))
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(profile.flatten().and_then(|p| serde_json::from_str(&p).ok()))
    }

    /// Deactivates an account and ends its sessions (here and, for their
    /// sockets, on every instance); returns them. False if no such account.
    pub async fn deactivate(&self, user_id: &str, now_ms: i64) -> Result<Option<Vec<String>>, ServerError> {
        let mut tx = self.db.write().await?;
        let done = sqlx::query("UPDATE users SET deactivated_ms = $1 WHERE id = $2 AND deactivated_ms IS NULL")
            .bind(now_ms)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Ok(None);
        }
        let ended = self.end_sessions(&mut tx, user_id, None).await?;
        self.announce(&mut tx, "accounts", user_id).await?;
        tx.commit().await?;
        Ok(Some(ended))
    }
}
