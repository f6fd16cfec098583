//! The audit log: an append-only record of who did what to which case and
//! when — sign-ins, accepted and refused changes, exports (public links,
//! letters, reports), backups and restores. The database itself refuses to
//! update or delete a row (triggers in the migration), so the log can only
//! grow; admins read it at `/admin/audit`.

use super::Store;
use super::db::{Sql, params};
use crate::ServerError;

/// One thing done, by whom, to which case.
#[derive(Debug, Clone, PartialEq, Eq)]
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

pub(super) fn insert(sql: &mut dyn Sql, entry: &AuditEntry) -> Result<(), ServerError> {
    sql.execute(
        "INSERT INTO audit (at_ms, actor, action, case_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![entry.at_ms, &entry.actor, &entry.action, entry.case_id.as_ref(), &entry.detail],
    )?;
    Ok(())
}

impl Store {
    pub fn audit(&self, entry: &AuditEntry) -> Result<(), ServerError> {
        self.tx(|sql| insert(sql, entry))
    }

    /// Up to `limit` entries older than `before` (a sequence number; all
    /// when `None`), newest first, with their sequence numbers.
    pub fn audit_page(&self, before: Option<i64>, limit: usize) -> Result<Vec<(i64, AuditEntry)>, ServerError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.tx(|sql| {
            let rows = sql.query(
                "SELECT seq, at_ms, actor, action, case_id, detail FROM audit WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2",
                params![before.unwrap_or(i64::MAX), limit],
            )?;
            rows.iter()
                .map(|r| {
                    let entry = AuditEntry {
                        at_ms: r.int(1)?,
                        actor: r.text(2)?,
                        action: r.text(3)?,
                        case_id: r.opt_text(4)?,
                        detail: r.text(5)?,
                    };
                    Ok((r.int(0)?, entry))
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_log_refuses_to_be_changed_or_shortened() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        store.audit(&AuditEntry::new(1, "admin", "sign-in", None, "ok")).unwrap();
        for statement in ["UPDATE audit SET detail = 'nothing happened'", "DELETE FROM audit"] {
            let err = store.tx(|sql| sql.execute(statement, &[])).unwrap_err();
            assert!(err.to_string().contains("append-only"), "{statement}: {err}");
        }
        assert_eq!(store.audit_page(None, 10).unwrap().len(), 1);
    }
}
