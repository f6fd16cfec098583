//! The audit log: an append-only record of who did what to which case and
//! when — sign-ins, accepted and refused changes, exports (public links,
//! letters, reports), backups and restores. The database itself refuses to
//! update or delete a row (triggers in the migration), so the log can only
//! grow; admins read it at `/admin/audit`.

use super::Store;
use super::db::{Tx, insert_rows};
use crate::ServerError;

/// One thing done, by whom, to which case.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AuditEntry {
    pub at_ms: i64,
    /// A user id, a login (for sign-ins) or `system`.
    pub actor: String,
    pub action: String,
    pub case_id: Option<String>,
    pub detail: String,
}

impl AuditEntry {
    pub fn new(at_ms: i64, actor: &str, action: &str, case_id: Option<&str>, detail: impl Into<String>) -> AuditEntry {
        AuditEntry {
            at_ms,
            actor: actor.to_string(),
            action: action.to_string(),
            case_id: case_id.map(str::to_string),
            detail: detail.into(),
        }
    }
}

pub(super) async fn insert(tx: &mut Tx, entry: &AuditEntry) -> Result<(), ServerError> {
    sqlx::query("INSERT INTO audit (at_ms, actor, action, case_id, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(entry.at_ms)
        .bind(&entry.actor)
        .bind(&entry.action)
        .bind(&entry.case_id)
        .bind(&entry.detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes `entries` in their order, in as few statements as may be.
pub(super) async fn insert_all(tx: &mut Tx, entries: &[&AuditEntry]) -> Result<(), ServerError> {
    let insert = "INSERT INTO audit (at_ms, actor, action, case_id, detail)";
    insert_rows(tx, insert, "", 5, entries, |q, entry| {
        q.bind(entry.at_ms).bind(&entry.actor).bind(&entry.action).bind(&entry.case_id).bind(&entry.detail)
    })
    .await
}

impl Store {
    pub async fn audit(&self, entry: &AuditEntry) -> Result<(), ServerError> {
        let mut tx = self.db.write().await?;
        insert(&mut tx, entry).await?;
        Ok(tx.commit().await?)
    }

    /// Up to `limit` entries older than `before` (a sequence number; all
    /// when `None`), newest first, with their sequence numbers.
    pub async fn audit_page(&self, before: Option<i64>, limit: usize) -> Result<Vec<(i64, AuditEntry)>, ServerError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT seq, at_ms, actor, action, case_id, detail FROM audit WHERE seq < $1 ORDER BY seq DESC LIMIT $2",
        )
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await?;
        Ok(rows.into_iter().map(|r| (r.seq, r.entry)).collect())
    }
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    seq: i64,
    #[sqlx(flatten)]
    entry: AuditEntry,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn the_log_refuses_to_be_changed_or_shortened() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).await.unwrap();
        store.audit(&AuditEntry::new(1, "admin", "sign-in", None, "ok")).await.unwrap();
        for statement in ["UPDATE audit SET detail = 'nothing happened'", "DELETE FROM audit"] {
            let err = sqlx::query(statement).execute(&store.db.pool).await.unwrap_err();
            assert!(err.to_string().contains("append-only"), "{statement}: {err}");
        }
        assert_eq!(store.audit_page(None, 10).await.unwrap().len(), 1);
    }
}
