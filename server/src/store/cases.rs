//! Case documents: a snapshot (`cases.doc`) plus the changes appended since
//! (`changes`), the columns that find cases by party, and per-peer sync
//! state.

use automerge::ChangeHash;
use domain::case::CaseDoc;
use domain::permission::{Role, User};
use domain::status::CaseState;

use super::Store;
use super::db::{Dialect, Sql, params};
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

fn upsert_row(sql: &mut dyn Sql, row: &CaseRow) -> Result<(), ServerError> {
    sql.execute(
        "INSERT INTO cases (id, number, district, enterprise_id, category, status, created_ms, heads, departments, doc)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT(id) DO UPDATE SET number = excluded.number, status = excluded.status,
             heads = excluded.heads, departments = excluded.departments",
        params![
            &row.id,
            row.number.as_ref(),
            &row.district,
            &row.enterprise_id,
            &row.category,
            &row.status,
            row.created_ms,
            &row.heads,
            &row.departments,
            super::db::Value::Blob(Vec::new())
        ],
    )?;
    Ok(())
}

/// Changes the sync hub accepted for one case, with all that goes with them.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub row: CaseRow,
    /// The case's heads (as [`heads_text`]) the changes were checked
    /// against: they are stored only if the store still has those heads.
    pub before: String,
    pub changes: Vec<Vec<u8>>,
    /// The whole document, when it is time to fold the changes into it.
    pub snapshot: Option<Vec<u8>>,
    /// A device's sync state: (storage key, state).
    pub peer_state: Option<(String, Vec<u8>)>,
    pub audit: super::AuditEntry,
    /// Attachments the case names.
    pub blobs: Vec<String>,
}

/// Whether accepted changes were stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    Stored,
    /// Another server instance changed the case after the changes were
    /// checked: nothing was written; check them again on the newer case.
    Stale,
}

impl Store {
    /// Replaces a case's stored document by `snapshot` (dropping the changes
    /// it folds in), in one transaction.
    pub fn put_case(&self, row: &CaseRow, snapshot: &[u8]) -> Result<(), ServerError> {
        self.tx(|sql| {
            sql.lock_case(&row.id)?;
            upsert_row(sql, row)?;
            sql.execute("UPDATE cases SET doc = ?2 WHERE id = ?1", params![&row.id, snapshot])?;
            sql.execute("DELETE FROM changes WHERE case_id = ?1", params![&row.id])?;
            self.announce(sql, "case", &row.id)
        })
    }

    /// Stores each batch member's accepted changes (or the snapshot that
    /// folds them in), audit entry, device sync state and attachments, all
    /// in one transaction — one write to disk for the lot: when this
    /// returns, what is `Stored` is on disk, and other server instances
    /// hear of it. A member whose case moved on since its check is `Stale`
    /// and writes nothing. A stored change is always an audited one.
    /// `sync_states` (device, case, state) are written after, in the same
    /// transaction.
    pub fn append_changes(
        &self,
        batch: &[Accepted],
        sync_states: &[(String, String, Vec<u8>)],
    ) -> Result<Vec<Written>, ServerError> {
        // Rows are locked in one order (by case id) by every instance, so
        // two batches never wait for each other's locks in a circle.
        let mut order: Vec<usize> = (0..batch.len()).collect();
        order.sort_by(|a, b| batch[*a].row.id.cmp(&batch[*b].row.id));
        self.tx(|sql| {
            let mut written = vec![Written::Stale; batch.len()];
            for &i in &order {
                written[i] = self.append_one(sql, &batch[i])?;
            }
            for (peer, case_id, state) in sync_states {
                put_sync_state(sql, peer, case_id, state)?;
            }
            Ok(written)
        })
    }

    fn append_one(&self, sql: &mut dyn Sql, accepted: &Accepted) -> Result<Written, ServerError> {
        let Accepted { row, before, changes, snapshot, peer_state, audit, blobs } = accepted;
        // The case's row stays locked until commit: instances take turns.
        sql.lock_case(&row.id)?;
        let stored = sql.query_one("SELECT heads FROM cases WHERE id = ?1", params![&row.id])?;
        if stored.map(|r| r.text(0)).transpose()?.unwrap_or_default() != *before {
            return Ok(Written::Stale);
        }
        upsert_row(sql, row)?;
        super::audit::insert(sql, audit)?;
        if let Some(snapshot) = snapshot {
            sql.execute("UPDATE cases SET doc = ?2 WHERE id = ?1", params![&row.id, snapshot.as_slice()])?;
            sql.execute("DELETE FROM changes WHERE case_id = ?1", params![&row.id])?;
        } else {
            for change in changes {
                sql.execute(
                    "INSERT INTO changes (case_id, bytes) VALUES (?1, ?2)",
                    params![&row.id, change.as_slice()],
                )?;
            }
        }
        for sha in blobs {
            sql.execute(
                "INSERT INTO blob_refs (sha256, case_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                params![sha, &row.id],
            )?;
        }
        if let Some((peer, state)) = peer_state {
            put_sync_state(sql, peer, &row.id, state)?;
        }
        self.announce(sql, "case", &row.id)?;
        Ok(Written::Stored)
    }

    pub fn load_case(&self, id: &str) -> Result<Option<StoredCase>, ServerError> {
        self.tx(|sql| {
            // On PostgreSQL the row is share-locked first: a write of this
            // case (which locks it) is either wholly before this read or
            // wholly after, so a compaction never hides changes from it.
            let query = match sql.dialect() {
                Dialect::Sqlite => "SELECT doc FROM cases WHERE id = ?1",
                Dialect::Postgres => "SELECT doc FROM cases WHERE id = ?1 FOR SHARE",
            };
            let Some(snapshot) = sql.query_one(query, params![id])? else {
                return Ok(None);
            };
            let rows = sql.query("SELECT bytes FROM changes WHERE case_id = ?1 ORDER BY seq", params![id])?;
            let changes = rows.iter().map(|r| r.blob(0)).collect::<Result<_, _>>()?;
            Ok(Some(StoredCase { snapshot: snapshot.blob(0)?, changes }))
        })
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
        let org = user.org.clone().unwrap_or_default();
        let district = user.district.clone().unwrap_or_default();
        self.tx(|sql| {
            let has_department = match sql.dialect() {
                Dialect::Sqlite => "instr(departments, ',' || ?1 || ',') > 0",
                Dialect::Postgres => "strpos(departments, ',' || ?1 || ',') > 0",
            };
            let rows = match user.role {
                Role::Admin => sql.query("SELECT id, heads FROM cases", &[])?,
                Role::Enterprise => sql.query("SELECT id, heads FROM cases WHERE enterprise_id = ?1", params![&org])?,
                Role::Officer => {
                    sql.query(&format!("SELECT id, heads FROM cases WHERE {has_department}"), params![&org])?
                }
                Role::Coordinator | Role::Leader if district == "city" => {
                    sql.query("SELECT id, heads FROM cases", &[])?
                }
                Role::Coordinator | Role::Leader => {
                    sql.query("SELECT id, heads FROM cases WHERE district = ?1", params![&district])?
                }
            };
            rows.iter().map(|r| Ok((r.text(0)?, r.text(1)?))).collect()
        })
    }

    /// What `peer` (a user's device) and the server last had in common.
    pub fn sync_state(&self, peer: &str, case_id: &str) -> Result<Option<Vec<u8>>, ServerError> {
        self.tx(|sql| {
            let row = sql
                .query_one("SELECT state FROM sync_states WHERE peer = ?1 AND case_id = ?2", params![peer, case_id])?;
            row.map(|r| r.blob(0)).transpose()
        })
    }

    /// Every sync state of one peer, by case id.
    pub fn sync_states_of(&self, peer: &str) -> Result<std::collections::HashMap<String, Vec<u8>>, ServerError> {
        self.tx(|sql| {
            let rows = sql.query("SELECT case_id, state FROM sync_states WHERE peer = ?1", params![peer])?;
            rows.iter().map(|r| Ok((r.text(0)?, r.blob(1)?))).collect()
        })
    }

    /// Records a refused change, in the refusals and in the audit log.
    pub fn record_refusal(&self, case_id: &str, user_id: &str, at_ms: i64, reason: &str) -> Result<(), ServerError> {
        self.tx(|sql| {
            sql.execute(
                "INSERT INTO refusals (case_id, user_id, at_ms, reason) VALUES (?1, ?2, ?3, ?4)",
                params![case_id, user_id, at_ms, reason],
            )?;
            super::audit::insert(sql, &super::AuditEntry::new(at_ms, user_id, "refused", Some(case_id), reason))
        })
    }

    pub fn refusal_count(&self) -> Result<u64, ServerError> {
        self.count("SELECT COUNT(*) FROM refusals")
    }

    /// The ids of a district's cases; the city's board covers every district.
    pub fn case_ids_of_district(&self, district: &str) -> Result<Vec<String>, ServerError> {
        Ok(self.case_heads_of_district(district)?.into_iter().map(|(id, _)| id).collect())
    }

    /// The ids and heads of a district's cases (`city`: all), by id.
    pub fn case_heads_of_district(&self, district: &str) -> Result<Vec<(String, String)>, ServerError> {
        self.tx(|sql| {
            let rows = sql.query(
                "SELECT id, heads FROM cases WHERE ?1 = 'city' OR district = ?1 ORDER BY id",
                params![district],
            )?;
            rows.iter().map(|r| Ok((r.text(0)?, r.text(1)?))).collect()
        })
    }

    /// The id of the case numbered `number` (e.g. HZ-2026-000123).
    pub fn case_of_number(&self, number: &str) -> Result<Option<String>, ServerError> {
        self.tx(|sql| {
            sql.query_one("SELECT id FROM cases WHERE number = ?1", params![number])?.map(|r| r.text(0)).transpose()
        })
    }

    pub fn case_count(&self) -> Result<u64, ServerError> {
        self.count("SELECT COUNT(*) FROM cases")
    }

    /// Case counts by status, for health and statistics.
    pub fn count_by_status(&self) -> Result<Vec<(String, u64)>, ServerError> {
        self.tx(|sql| {
            let rows = sql.query("SELECT status, COUNT(*) FROM cases GROUP BY status ORDER BY status", &[])?;
            rows.iter().map(|r| Ok((r.text(0)?, u64::try_from(r.int(1)?).unwrap_or_default()))).collect()
        })
    }

    /// A count from `sql` (a `SELECT COUNT(*)` without parameters).
    pub(crate) fn count(&self, query: &str) -> Result<u64, ServerError> {
        self.tx(|sql| {
            let n = sql.query_one(query, &[])?.map(|r| r.int(0)).transpose()?.unwrap_or_default();
            Ok(u64::try_from(n).unwrap_or_default())
        })
    }

    /// The next human case number of `year`, e.g. HZ-2026-000123. The counter
    /// moves in its own transaction, so a number is never handed out twice.
    pub fn next_case_number(&self, year: i32) -> Result<String, ServerError> {
        let name = format!("case-number-{year}");
        let value = self.tx(|sql| {
            sql.execute(
                "INSERT INTO counters (name, value) VALUES (?1, 1)
                 ON CONFLICT(name) DO UPDATE SET value = counters.value + 1",
                params![&name],
            )?;
            let row = sql.query_one("SELECT value FROM counters WHERE name = ?1", params![&name])?;
            row.map(|r| r.int(0)).transpose()
        })?;
        let value = value.and_then(|v| u32::try_from(v).ok()).ok_or(ServerError::Poisoned)?;
        Ok(domain::case::case_number(year, value))
    }
}

fn put_sync_state(sql: &mut dyn Sql, peer: &str, case_id: &str, state: &[u8]) -> Result<(), ServerError> {
    sql.execute(
        "INSERT INTO sync_states (peer, case_id, state) VALUES (?1, ?2, ?3)
         ON CONFLICT(peer, case_id) DO UPDATE SET state = excluded.state",
        params![peer, case_id, state],
    )?;
    Ok(())
}
