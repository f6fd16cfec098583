//! Case documents: a snapshot (`cases.doc`) plus the changes appended since
//! (`changes`), the columns that find cases by party, and per-peer sync
//! state.

use automerge::ChangeHash;
use domain::case::CaseDoc;
use std::collections::HashMap;

use domain::status::CaseState;

use super::Store;
use super::db::Tx;
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
    /// Lead and assisting departments.
    pub departments: Vec<String>,
}

impl CaseRow {
    pub fn of(case: &CaseDoc, state: &CaseState, heads: &[ChangeHash]) -> CaseRow {
        let departments = CaseRow::departments_of(state);
        CaseRow {
            id: case.id.clone(),
            number: case.number.clone(),
            district: case.district.clone(),
            enterprise_id: case.enterprise.id.clone(),
            category: case.appeal.category.clone(),
            status: format!("{:?}", state.status()),
            created_ms: case.created_ms,
            heads: heads_text(heads),
            departments,
        }
    }

    /// The lead and assisting departments of a case in `state`.
    pub fn departments_of(state: &CaseState) -> Vec<String> {
        state.flow.lead_department.iter().chain(&state.flow.assisting).cloned().collect()
    }
}

pub fn heads_text(heads: &[ChangeHash]) -> String {
    domain::sync::heads_hex(heads).join(",")
}

/// Writes the case's row, and its departments when `departments_changed`
/// (most changes leave them as they were).
async fn upsert_row(tx: &mut Tx, row: &CaseRow, departments_changed: bool) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO cases (id, number, district, enterprise_id, category, status, created_ms, heads, doc)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT(id) DO UPDATE SET number = excluded.number, status = excluded.status,
             heads = excluded.heads",
    )
    .bind(&row.id)
    .bind(&row.number)
    .bind(&row.district)
    .bind(&row.enterprise_id)
    .bind(&row.category)
    .bind(&row.status)
    .bind(row.created_ms)
    .bind(&row.heads)
    .bind(Vec::<u8>::new())
    .execute(&mut **tx)
    .await?;
    if !departments_changed {
        return Ok(());
    }
    sqlx::query("DELETE FROM case_departments WHERE case_id = $1").bind(&row.id).execute(&mut **tx).await?;
    for department in &row.departments {
        sqlx::query("INSERT INTO case_departments (case_id, department) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(&row.id)
            .bind(department)
            .execute(&mut **tx)
            .await?;
    }
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
    /// Whether the changes moved the case to other departments.
    pub departments_changed: bool,
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
    pub async fn put_case(&self, row: &CaseRow, snapshot: &[u8]) -> Result<(), ServerError> {
        let mut tx = self.db.write().await?;
        self.db.lock_case(&mut tx, &row.id).await?;
        upsert_row(&mut tx, row, true).await?;
        put_snapshot(&mut tx, &row.id, snapshot).await?;
        self.announce(&mut tx, "case", &row.id).await?;
        Ok(tx.commit().await?)
    }

    /// Stores each batch member's accepted changes (or the snapshot that
    /// folds them in), audit entry, device sync state and attachments, all
    /// in one transaction — one write to disk for the lot: when this
    /// returns, what is `Stored` is on disk, and other server instances
    /// hear of it. A member whose case moved on since its check is `Stale`
    /// and writes nothing. A stored change is always an audited one.
    /// `sync_states` (device, case, state) are written after, in the same
    /// transaction.
    pub async fn append_changes(
        &self,
        batch: &[Accepted],
        sync_states: &[(String, String, Vec<u8>)],
    ) -> Result<Vec<Written>, ServerError> {
        // Rows are locked in one order (by case id) by every instance, so
        // two batches never wait for each other's locks in a circle.
        let mut order: Vec<usize> = (0..batch.len()).collect();
        order.sort_by(|a, b| batch[*a].row.id.cmp(&batch[*b].row.id));
        let mut tx = self.db.write().await?;
        let mut written = vec![Written::Stale; batch.len()];
        for &i in &order {
            written[i] = self.append_one(&mut tx, &batch[i]).await?;
        }
        for (peer, case_id, state) in sync_states {
            put_sync_state(&mut tx, peer, case_id, state).await?;
        }
        tx.commit().await?;
        Ok(written)
    }

    async fn append_one(&self, tx: &mut Tx, accepted: &Accepted) -> Result<Written, ServerError> {
        let Accepted { row, before, changes, snapshot, peer_state, audit, departments_changed, blobs } = accepted;
        // The case's row stays locked until commit: instances take turns.
        self.db.lock_case(tx, &row.id).await?;
        let stored: Option<String> =
            sqlx::query_scalar("SELECT heads FROM cases WHERE id = $1").bind(&row.id).fetch_optional(&mut **tx).await?;
        if stored.unwrap_or_default() != *before {
            return Ok(Written::Stale);
        }
        upsert_row(tx, row, *departments_changed).await?;
        super::audit::insert(tx, audit).await?;
        if let Some(snapshot) = snapshot {
            put_snapshot(tx, &row.id, snapshot).await?;
        } else {
            for change in changes {
                sqlx::query("INSERT INTO changes (case_id, bytes) VALUES ($1, $2)")
                    .bind(&row.id)
                    .bind(change.as_slice())
                    .execute(&mut **tx)
                    .await?;
            }
        }
        for sha in blobs {
            sqlx::query("INSERT INTO blob_refs (sha256, case_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(sha)
                .bind(&row.id)
                .execute(&mut **tx)
                .await?;
        }
        if let Some((peer, state)) = peer_state {
            put_sync_state(tx, peer, &row.id, state).await?;
        }
        self.announce(tx, "case", &row.id).await?;
        Ok(Written::Stored)
    }

    /// What `peer` (a user's device) and the server last had in common.
    pub async fn sync_state(&self, peer: &str, case_id: &str) -> Result<Option<Vec<u8>>, ServerError> {
        Ok(sqlx::query_scalar("SELECT state FROM sync_states WHERE peer = $1 AND case_id = $2")
            .bind(peer)
            .bind(case_id)
            .fetch_optional(&self.db.pool)
            .await?)
    }

    /// Every sync state of one peer, by case id.
    pub async fn sync_states_of(&self, peer: &str) -> Result<HashMap<String, Vec<u8>>, ServerError> {
        let rows: Vec<(String, Vec<u8>)> = sqlx::query_as("SELECT case_id, state FROM sync_states WHERE peer = $1")
            .bind(peer)
            .fetch_all(&self.db.pool)
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// Records a refused change, in the refusals and in the audit log.
    pub async fn record_refusal(
        &self,
        case_id: &str,
        user_id: &str,
        at_ms: i64,
        reason: &str,
    ) -> Result<(), ServerError> {
        let mut tx = self.db.write().await?;
        sqlx::query("INSERT INTO refusals (case_id, user_id, at_ms, reason) VALUES ($1, $2, $3, $4)")
            .bind(case_id)
            .bind(user_id)
            .bind(at_ms)
            .bind(reason)
            .execute(&mut *tx)
            .await?;
        super::audit::insert(&mut tx, &super::AuditEntry::new(at_ms, user_id, "refused", Some(case_id), reason))
            .await?;
        Ok(tx.commit().await?)
    }

    pub async fn refusal_count(&self) -> Result<u64, ServerError> {
        self.count("SELECT COUNT(*) FROM refusals").await
    }

    /// The ids of a district's cases; the city's board covers every district.
    pub async fn case_ids_of_district(&self, district: &str) -> Result<Vec<String>, ServerError> {
        Ok(self.case_heads_of_district(district).await?.into_iter().map(|(id, _)| id).collect())
    }

    /// The ids and heads of a district's cases (the city: all), by id.
    pub async fn case_heads_of_district(&self, district: &str) -> Result<Vec<(String, String)>, ServerError> {
        Ok(sqlx::query_as("SELECT id, heads FROM cases WHERE $1 = $2 OR district = $1 ORDER BY id")
            .bind(district)
            .bind(domain::directory::CITY)
            .fetch_all(&self.db.pool)
            .await?)
    }

    /// The id of the case numbered `number` (e.g. HZ-2026-000123).
    pub async fn case_of_number(&self, number: &str) -> Result<Option<String>, ServerError> {
        Ok(sqlx::query_scalar("SELECT id FROM cases WHERE number = $1")
            .bind(number)
            .fetch_optional(&self.db.pool)
            .await?)
    }

    pub async fn case_count(&self) -> Result<u64, ServerError> {
        self.count("SELECT COUNT(*) FROM cases").await
    }

    /// Case counts by status, for health and statistics.
    pub async fn count_by_status(&self) -> Result<Vec<(String, u64)>, ServerError> {
        let rows: Vec<(String, i64)> =
            sqlx::query_as("SELECT status, COUNT(*) FROM cases GROUP BY status ORDER BY status")
                .fetch_all(&self.db.pool)
                .await?;
        Ok(rows.into_iter().map(|(status, n)| (status, u64::try_from(n).unwrap_or_default())).collect())
    }

    /// The next human case number of `year`, e.g. HZ-2026-000123. The counter
    /// moves in its own transaction, so a number is never handed out twice.
    pub async fn next_case_number(&self, year: i32) -> Result<String, ServerError> {
        self.next_case_numbers(year, 1).await?.into_iter().next().ok_or(ServerError::Poisoned)
    }

    /// The next `count` case numbers of `year`, in order, from one
    /// transaction (see `sync::numberer`).
    pub async fn next_case_numbers(&self, year: i32, count: u32) -> Result<Vec<String>, ServerError> {
        let name = format!("case-number-{year}");
        let mut tx = self.db.write().await?;
        sqlx::query(
            "INSERT INTO counters (name, value) VALUES ($1, $2)
             ON CONFLICT(name) DO UPDATE SET value = counters.value + $2",
        )
        .bind(&name)
        .bind(i64::from(count))
        .execute(&mut *tx)
        .await?;
        let last: i64 =
            sqlx::query_scalar("SELECT value FROM counters WHERE name = $1").bind(&name).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        let last = u32::try_from(last).map_err(|_| ServerError::Poisoned)?;
        Ok(((last + 1).saturating_sub(count)..=last).map(|n| domain::case::case_number(year, n)).collect())
    }
}

async fn put_snapshot(tx: &mut Tx, case_id: &str, snapshot: &[u8]) -> Result<(), ServerError> {
    sqlx::query("UPDATE cases SET doc = $2 WHERE id = $1").bind(case_id).bind(snapshot).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM changes WHERE case_id = $1").bind(case_id).execute(&mut **tx).await?;
    Ok(())
}

async fn put_sync_state(tx: &mut Tx, peer: &str, case_id: &str, state: &[u8]) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO sync_states (peer, case_id, state) VALUES ($1, $2, $3)
         ON CONFLICT(peer, case_id) DO UPDATE SET state = excluded.state",
    )
    .bind(peer)
    .bind(case_id)
    .bind(state)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
