//! The outbox: every mail and push notification the server sends, queued
//! once (by its key), claimed by one instance at a time, and left sent,
//! queued again for later, or failed with the reason, for admins to see.

use serde::{Deserialize, Serialize};

use super::Store;
use crate::ServerError;

/// How a message goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Mail,
    Push,
}

impl Channel {
    fn name(self) -> &'static str {
        match self {
            Channel::Mail => "mail",
            Channel::Push => "push",
        }
    }
}

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

/// A mail's content, as the outbox keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MailBody {
    pub subject: String,
    pub html: String,
    pub text: String,
}

/// A queued message as its sender takes it: the payload is the channel's
/// (a [`MailBody`], or a push notification) as JSON.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub recipient: String,
    pub payload: String,
    pub attempts: i64,
}

/// A message as admins see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutState {
    pub id: i64,
    pub out_key: String,
    pub recipient: String,
    pub payload: String,
    pub state: String,
    pub attempts: i64,
    pub next_ms: i64,
    pub last_error: Option<String>,
    pub created_ms: i64,
    pub sent_ms: Option<i64>,
}

impl OutState {
    /// A mail's subject (empty for other messages).
    pub fn subject(&self) -> String {
        serde_json::from_str::<MailBody>(&self.payload).map(|b| b.subject).unwrap_or_default()
    }
}

impl Store {
    /// Queues `mail` to go at `now_ms`; `false` if its key was queued before.
    pub async fn queue_mail(&self, mail: &Mail, now_ms: i64) -> Result<bool, ServerError> {
        let body = MailBody { subject: mail.subject.clone(), html: mail.html.clone(), text: mail.text.clone() };
        let payload = serde_json::to_string(&body)?;
        self.queue(Channel::Mail, &mail.key, &mail.recipient, &payload, now_ms, now_ms).await
    }

    /// Queues a message to go from `not_before_ms`; `false` if its key was
    /// queued before.
    pub async fn queue(
        &self,
        channel: Channel,
        key: &str,
        recipient: &str,
        payload: &str,
        not_before_ms: i64,
        now_ms: i64,
    ) -> Result<bool, ServerError> {
        let mut tx = self.db.write().await?;
        let added = sqlx::query(
            "INSERT INTO outbox (channel, out_key, recipient, payload, state, attempts, next_ms, created_ms) \
             VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6) ON CONFLICT (out_key) DO NOTHING",
        )
        .bind(channel.name())
        .bind(key)
        .bind(recipient)
        .bind(payload)
        .bind(not_before_ms)
        .bind(now_ms)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(added.rows_affected() == 1)
    }

    /// Takes up to `limit` messages of `channel` due at `now_ms` for this
    /// sender: each is put off until `lease_until_ms`, so another instance
    /// does not take it while it is being sent (and it is tried again if
    /// this one stops).
    pub async fn claim(
        &self,
        channel: Channel,
        now_ms: i64,
        lease_until_ms: i64,
        limit: i64,
    ) -> Result<Vec<Claimed>, ServerError> {
        let due: Vec<Claimed> = sqlx::query_as(
            "SELECT id, recipient, payload, attempts FROM outbox \
             WHERE channel = $1 AND state = 'queued' AND next_ms <= $2 ORDER BY next_ms, id LIMIT $3",
        )
        .bind(channel.name())
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?;
        let mut claimed = Vec::with_capacity(due.len());
        for message in due {
            let mut tx = self.db.write().await?;
            let taken =
                sqlx::query("UPDATE outbox SET next_ms = $3 WHERE id = $1 AND state = 'queued' AND next_ms <= $2")
                    .bind(message.id)
                    .bind(now_ms)
                    .bind(lease_until_ms)
                    .execute(&mut *tx)
                    .await?;
            tx.commit().await?;
            if taken.rows_affected() == 1 {
                claimed.push(message);
            }
        }
        Ok(claimed)
    }

    pub async fn out_sent(&self, id: i64, now_ms: i64) -> Result<(), ServerError> {
        self.outcome(
            "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_ms = $2, last_error = NULL WHERE id = $1",
            id,
            now_ms,
            None,
        )
        .await
    }

    /// A failed attempt: queued again for `next_ms`.
    pub async fn out_retry(&self, id: i64, next_ms: i64, error: &str) -> Result<(), ServerError> {
        self.outcome(
            "UPDATE outbox SET attempts = attempts + 1, next_ms = $2, last_error = $3 WHERE id = $1",
            id,
            next_ms,
            Some(error),
        )
        .await
    }

    /// The last attempt failed: no more tries.
    pub async fn out_failed(&self, id: i64, now_ms: i64, error: &str) -> Result<(), ServerError> {
        self.outcome(
            "UPDATE outbox SET state = 'failed', attempts = attempts + 1, next_ms = $2, last_error = $3 WHERE id = $1",
            id,
            now_ms,
            Some(error),
        )
        .await
    }

    async fn outcome(&self, statement: &'static str, id: i64, ms: i64, error: Option<&str>) -> Result<(), ServerError> {
        let mut tx = self.db.write().await?;
        let mut query = sqlx::query(statement).bind(id).bind(ms);
        if let Some(error) = error {
            query = query.bind(error);
        }
        query.execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The messages of `channel` not sent (failed first, then waiting),
    /// then the latest sent, up to `limit`.
    pub async fn outbox(&self, channel: Channel, limit: i64) -> Result<Vec<OutState>, ServerError> {
        Ok(sqlx::query_as(
            "SELECT id, out_key, recipient, payload, state, attempts, next_ms, last_error, created_ms, sent_ms \
             FROM outbox WHERE channel = $1 \
             ORDER BY CASE state WHEN 'failed' THEN 0 WHEN 'queued' THEN 1 ELSE 2 END, id DESC LIMIT $2",
        )
        .bind(channel.name())
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?)
    }
}
