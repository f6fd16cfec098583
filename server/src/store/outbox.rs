//! The mail outbox: every mail the server sends, queued once (by its
//! key), claimed by one instance at a time, and left sent, queued again
//! for later, or failed with the reason, for admins to see.

use super::Store;
use crate::ServerError;

/// A mail to send.
#[derive(Debug, Clone)]
pub struct Mail {
    /// What the mail is, unique: queueing the same key twice queues it once.
    pub key: String,
    pub recipient: String,
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// A queued mail as the sender takes it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Queued {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub html: String,
    pub text: String,
    pub attempts: i64,
}

/// A mail as admins see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MailState {
    pub id: i64,
    pub mail_key: String,
    pub recipient: String,
    pub subject: String,
    pub state: String,
    pub attempts: i64,
    pub next_ms: i64,
    pub last_error: Option<String>,
    pub created_ms: i64,
    pub sent_ms: Option<i64>,
}

impl Store {
    /// Queues `mail` to go at `now_ms`; `false` if its key was queued before.
    pub async fn queue_mail(&self, mail: &Mail, now_ms: i64) -> Result<bool, ServerError> {
        let mut tx = self.db.write().await?;
        let added = sqlx::query(
            "INSERT INTO mail_outbox (mail_key, recipient, subject, html, text, state, attempts, next_ms, created_ms) \
             VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, $6) ON CONFLICT (mail_key) DO NOTHING",
        )
        .bind(&mail.key)
        .bind(&mail.recipient)
        .bind(&mail.subject)
        .bind(&mail.html)
        .bind(&mail.text)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(added.rows_affected() == 1)
    }

    /// Takes up to `limit` mails due at `now_ms` for this sender: each is
    /// put off until `lease_until_ms`, so another instance does not take
    /// it while it is being sent (and it is tried again if this one stops).
    pub async fn claim_mails(&self, now_ms: i64, lease_until_ms: i64, limit: i64) -> Result<Vec<Queued>, ServerError> {
        let due: Vec<Queued> = sqlx::query_as(
            "SELECT id, recipient, subject, html, text, attempts FROM mail_outbox \
             WHERE state = 'queued' AND next_ms <= $1 ORDER BY next_ms, id LIMIT $2",
        )
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?;
        let mut claimed = Vec::with_capacity(due.len());
        for mail in due {
            let mut tx = self.db.write().await?;
            let taken =
                sqlx::query("UPDATE mail_outbox SET next_ms = $3 WHERE id = $1 AND state = 'queued' AND next_ms <= $2")
                    .bind(mail.id)
                    .bind(now_ms)
                    .bind(lease_until_ms)
                    .execute(&mut *tx)
                    .await?;
            tx.commit().await?;
            if taken.rows_affected() == 1 {
                claimed.push(mail);
            }
        }
        Ok(claimed)
    }

    pub async fn mail_sent(&self, id: i64, now_ms: i64) -> Result<(), ServerError> {
        self.mail_outcome(
            "UPDATE mail_outbox SET state = 'sent', attempts = attempts + 1, sent_ms = $2, last_error = NULL WHERE id = $1",
            id,
            now_ms,
            None,
        )
        .await
    }

    /// A failed attempt: queued again for `next_ms`.
    pub async fn mail_retry(&self, id: i64, next_ms: i64, error: &str) -> Result<(), ServerError> {
        self.mail_outcome(
            "UPDATE mail_outbox SET attempts = attempts + 1, next_ms = $2, last_error = $3 WHERE id = $1",
            id,
            next_ms,
            Some(error),
        )
        .await
    }

    /// The last attempt failed: no more tries.
    pub async fn mail_failed(&self, id: i64, now_ms: i64, error: &str) -> Result<(), ServerError> {
        self.mail_outcome(
            "UPDATE mail_outbox SET state = 'failed', attempts = attempts + 1, next_ms = $2, last_error = $3 WHERE id = $1",
            id,
            now_ms,
            Some(error),
        )
        .await
    }

    async fn mail_outcome(
        &self,
        statement: &'static str,
        id: i64,
        ms: i64,
        error: Option<&str>,
    ) -> Result<(), ServerError> {
        let mut tx = self.db.write().await?;
        let mut query = sqlx::query(statement).bind(id).bind(ms);
        if let Some(error) = error {
            query = query.bind(error);
        }
        query.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The mails not sent (failed first, then waiting), then the latest
    /// sent, up to `limit`.
    pub async fn mails(&self, limit: i64) -> Result<Vec<MailState>, ServerError> {
        Ok(sqlx::query_as(
            "SELECT id, mail_key, recipient, subject, state, attempts, next_ms, last_error, created_ms, sent_ms \
             FROM mail_outbox ORDER BY CASE state WHEN 'failed' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END, id DESC \
             LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?)
    }
}
