//! Case documents: a snapshot (`cases.doc`) plus the changes appended since
//! (`changes`), the columns that find cases by party, and per-peer sync
//! state.

use automerge::ChangeHash;
use domain::case::CaseDoc;
use std::collections::HashMap;

use domain::status::CaseState;

use super::Store;
use super::db::{Tx, insert_rows};
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

/// Writes the cases' rows (their departments are [`put_departments`]'s).
pub(super) async fn upsert_rows(tx: &mut Tx, rows: &[&CaseRow]) -> Result<(), ServerError> {
    let insert = "INSERT INTO cases (id, number, district, enterprise_id, category, status, created_ms, heads, doc)";
    let update = "ON CONFLICT(id) DO UPDATE SET number = excluded.number, status = excluded.status,
                  heads = excluded.heads";
    insert_rows(tx, insert, update, 9, rows, |q, row| {
        q.bind(&row.id)
            .bind(&row.number)
            .bind(&row.district)
            .bind(&row.enterprise_id)
            .bind(&row.category)
            .bind(&row.status)
            .bind(row.created_ms)
            .bind(&row.heads)
            .bind(Vec::<u8>::new())
    })
    .await
}

/// Replaces the lead and assisting departments of the cases of `rows`
/// (most changes leave them as they were, and skip this).
pub(super) async fn put_departments(tx: &mut Tx, rows: &[&CaseRow]) -> Result<(), ServerError> {
    for row in rows {
        sqlx::query("DELETE FROM case_departments WHERE case_id = $1").bind(&row.id).execute(&mut **tx).await?;
    }
    let pairs: Vec<(&str, &str)> =
        rows.iter().flat_map(|row| row.departments.iter().map(|d| (row.id.as_str(), d.as_str()))).collect();
    let insert = "INSERT INTO case_departments (case_id, department)";
    insert_rows(tx, insert, "ON CONFLICT DO NOTHING", 2, &pairs, |q, (id, department)| q.bind(*id).bind(*department))
        .await
}

impl Store {
    /// Replaces a case's stored document by `snapshot` (dropping the changes
    /// it folds in), in one transaction.
    pub async fn put_case(&self, row: &CaseRow, snapshot: &[u8]) -> Result<(), ServerError> {
        let mut tx = self.db.write().await?;
        self.db.lock_case(&mut tx, &row.id).await?;
        upsert_rows(&mut tx, &[row]).await?;
        put_departments(&mut tx, &[row]).await?;
        put_snapshot(&mut tx, &row.id, snapshot).await?;
        self.announce(&mut tx, "case", &row.id).await?;
        Ok(tx.commit().await?)
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

pub(super) async fn put_snapshot(tx: &mut Tx, case_id: &str, snapshot: &[u8]) -> Result<(), ServerError> {
    sqlx::query("UPDATE cases SET doc = $2 WHERE id = $1").bind(case_id).bind(snapshot).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM changes WHERE case_id = $1").bind(case_id).execute(&mut **tx).await?;
    Ok(())
}

/// Writes devices' sync states: (storage key, case, state).
pub(super) async fn put_sync_states(tx: &mut Tx, states: &[(&str, &str, &[u8])]) -> Result<(), ServerError> {
    let insert = "INSERT INTO sync_states (peer, case_id, state)";
    let update = "ON CONFLICT(peer, case_id) DO UPDATE SET state = excluded.state";
    insert_rows(tx, insert, update, 3, states, |q, (peer, id, state)| q.bind(*peer).bind(*id).bind(*state)).await
}
