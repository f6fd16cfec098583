//! Case documents: a snapshot (`cases.doc`) plus the changes appended since
//! (`changes`), the columns that find cases by party, and per-peer sync
//! state.

use automerge::ChangeHash;
use domain::case::CaseDoc;
use domain::permission::{Role, User};
use domain::status::CaseState;
use rusqlite::{OptionalExtension, Transaction, params};

use super::Store;
use crate::ServerError;

/// What the server keeps of a case beside its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: String,
    pub number: Option<String>,
    pub district: String,
    pub enterprise_id: String,
    pub category: String,
    pub status: String,
    pub created_ms: i64,
    /// The document's heads, hex, sorted, comma-separated.
    pub heads: String,
    /// Lead and assisting departments, as `,natres,housing,`.
    pub departments: String,
}

impl CaseRow {
    pub fn of(case: &CaseDoc, state: &CaseState, heads: &[ChangeHash]) -> CaseRow {
        let departments: Vec<&str> =
            state.flow.lead_department.iter().chain(&state.flow.assisting).map(String::as_str).collect();
        CaseRow {
            id: case.id.clone(),
            number: case.number.clone(),
            district: case.district.clone(),
            enterprise_id: case.enterprise.id.clone(),
            category: case.appeal.category.clone(),
            status: format!("{:?}", state.status()),
            created_ms: case.created_ms,
            heads: heads_text(heads),
            departments: format!(",{},", departments.join(",")),
        }
    }
}

pub fn heads_text(heads: &[ChangeHash]) -> String {
    domain::sync::heads_hex(heads).join(",")
}

/// A case document as stored: the snapshot and the changes after it.
pub struct StoredCase {
    pub snapshot: Vec<u8>,
    pub changes: Vec<Vec<u8>>,
}

fn upsert_row(tx: &Transaction<'_>, row: &CaseRow) -> Result<(), ServerError> {
    tx.execute(
        "INSERT INTO cases (id, number, district, enterprise_id, category, status, created_ms, heads, departments, doc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, x'')
         ON CONFLICT(id) DO UPDATE SET number = excluded.number, status = excluded.status,
             heads = excluded.heads, departments = excluded.departments",
        params![
            row.id,
            row.number,
            row.district,
            row.enterprise_id,
            row.category,
            row.status,
            row.created_ms,
            row.heads,
            row.departments
        ],
    )?;
    Ok(())
}

impl Store {
    /// Replaces a case's stored document by `snapshot` (dropping the changes
    /// it folds in), in one transaction.
    pub fn put_case(&self, row: &CaseRow, snapshot: &[u8]) -> Result<(), ServerError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        upsert_row(&tx, row)?;
        tx.execute("UPDATE cases SET doc = ?2 WHERE id = ?1", params![row.id, snapshot])?;
        tx.execute("DELETE FROM changes WHERE case_id = ?1", [&row.id])?;
        tx.commit()?;
        Ok(())
    }

    /// Appends `changes` to a case (creating its row if new) and records a
    /// peer's sync state, all in one transaction: when this returns, they
    /// are on disk.
    /// The audit entry, if any, is written in the same transaction: a
    /// stored change is always an audited one.
    pub fn append_changes(
        &self,
        row: &CaseRow,
        changes: &[Vec<u8>],
        peer_state: Option<(&str, &[u8])>,
        audit: Option<&super::AuditEntry>,
    ) -> Result<(), ServerError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        upsert_row(&tx, row)?;
        if let Some(entry) = audit {
            super::audit::insert(&tx, entry)?;
        }
        {
            let mut insert = tx.prepare_cached("INSERT INTO changes (case_id, bytes) VALUES (?1, ?2)")?;
            for change in changes {
                insert.execute(params![row.id, change])?;
            }
        }
        if let Some((peer, state)) = peer_state {
            put_sync_state(&tx, peer, &row.id, state)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn load_case(&self, id: &str) -> Result<Option<StoredCase>, ServerError> {
        let conn = self.conn()?;
        let Some(snapshot) = conn.query_row("SELECT doc FROM cases WHERE id = ?1", [id], |r| r.get(0)).optional()?
        else {
            return Ok(None);
        };
        let mut stmt = conn.prepare_cached("SELECT bytes FROM changes WHERE case_id = ?1 ORDER BY seq")?;
        let changes = stmt.query_map([id], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(Some(StoredCase { snapshot, changes }))
    }

    /// A case's document: the snapshot with the later changes applied.
    pub fn load_document(&self, id: &str) -> Result<Option<(automerge::AutoCommit, usize)>, ServerError> {
        let Some(stored) = self.load_case(id)? else { return Ok(None) };
        let mut doc = if stored.snapshot.is_empty() {
            automerge::AutoCommit::new()
        } else {
            automerge::AutoCommit::load(&stored.snapshot).map_err(domain::DomainError::from)?
        };
        for change in &stored.changes {
            doc.load_incremental(change).map_err(domain::DomainError::from)?;
        }
        Ok(Some((doc, stored.changes.len())))
    }

    /// The cases `user` may read, by the columns (the caller confirms each
    /// with `domain::permission::may_read`), with their heads.
    pub fn readable_cases(&self, user: &User) -> Result<Vec<(String, String)>, ServerError> {
        let conn = self.conn()?;
        let org = user.org.clone().unwrap_or_default();
        let district = user.district.clone().unwrap_or_default();
        let (sql, arg) = match user.role {
            Role::Admin => ("SELECT id, heads FROM cases WHERE ?1 = ?1", String::new()),
            Role::Enterprise => ("SELECT id, heads FROM cases WHERE enterprise_id = ?1", org),
            Role::Officer => ("SELECT id, heads FROM cases WHERE instr(departments, ',' || ?1 || ',') > 0", org),
            Role::Coordinator | Role::Leader if district == "city" => {
                ("SELECT id, heads FROM cases WHERE ?1 = ?1", String::new())
            }
            Role::Coordinator | Role::Leader => ("SELECT id, heads FROM cases WHERE district = ?1", district),
        };
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([arg], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What `peer` (a user's device) and the server last had in common.
    pub fn sync_state(&self, peer: &str, case_id: &str) -> Result<Option<Vec<u8>>, ServerError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached("SELECT state FROM sync_states WHERE peer = ?1 AND case_id = ?2")?;
        Ok(stmt.query_row([peer, case_id], |r| r.get(0)).optional()?)
    }

    /// Every sync state of one peer, by case id.
    pub fn sync_states_of(&self, peer: &str) -> Result<std::collections::HashMap<String, Vec<u8>>, ServerError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached("SELECT case_id, state FROM sync_states WHERE peer = ?1")?;
        let rows = stmt.query_map([peer], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn put_sync_state(&self, peer: &str, case_id: &str, state: &[u8]) -> Result<(), ServerError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        put_sync_state(&tx, peer, case_id, state)?;
        tx.commit()?;
        Ok(())
    }

    /// Keeps a record of a refused change (who, which case, why).
    /// Records a refused change, in the refusals and in the audit log.
    pub fn record_refusal(&self, case_id: &str, user_id: &str, at_ms: i64, reason: &str) -> Result<(), ServerError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO refusals (case_id, user_id, at_ms, reason) VALUES (?1, ?2, ?3, ?4)",
            params![case_id, user_id, at_ms, reason],
        )?;
        super::audit::insert(&tx, &super::AuditEntry::new(at_ms, user_id, "refused", Some(case_id), reason))?;
        tx.commit()?;
        Ok(())
    }

    pub fn refusal_count(&self) -> Result<u64, ServerError> {
        Ok(self.conn()?.query_row("SELECT COUNT(*) FROM refusals", [], |r| r.get(0))?)
    }

    /// The ids of a district's cases; the city's board covers every district.
    pub fn case_ids_of_district(&self, district: &str) -> Result<Vec<String>, ServerError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached("SELECT id FROM cases WHERE ?1 = 'city' OR district = ?1 ORDER BY id")?;
        let rows = stmt.query_map([district], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The id of the case numbered `number` (e.g. HZ-2026-000123).
    pub fn case_of_number(&self, number: &str) -> Result<Option<String>, ServerError> {
        let conn = self.conn()?;
        Ok(conn.query_row("SELECT id FROM cases WHERE number = ?1", [number], |r| r.get(0)).optional()?)
    }

    pub fn case_count(&self) -> Result<u64, ServerError> {
        Ok(self.conn()?.query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))?)
    }

    /// Case counts by status, for health and statistics.
    pub fn count_by_status(&self) -> Result<Vec<(String, u64)>, ServerError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare("SELECT status, COUNT(*) FROM cases GROUP BY status ORDER BY status")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The next human case number of `year`, e.g. HZ-2026-000123. The counter
    /// moves in its own transaction, so a number is never handed out twice.
    pub fn next_case_number(&self, year: i32) -> Result<String, ServerError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let name = format!("case-number-{year}");
        tx.execute(
            "INSERT INTO counters (name, value) VALUES (?1, 1)
             ON CONFLICT(name) DO UPDATE SET value = value + 1",
            [&name],
        )?;
        let value: u32 = tx.query_row("SELECT value FROM counters WHERE name = ?1", [&name], |r| r.get(0))?;
        tx.commit()?;
        Ok(domain::case::case_number(year, value))
    }
}

fn put_sync_state(tx: &Transaction<'_>, peer: &str, case_id: &str, state: &[u8]) -> Result<(), ServerError> {
    tx.execute(
        "INSERT INTO sync_states (peer, case_id, state) VALUES (?1, ?2, ?3)
         ON CONFLICT(peer, case_id) DO UPDATE SET state = excluded.state",
        params![peer, case_id, state],
    )?;
    Ok(())
}
