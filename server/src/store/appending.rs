//! Storing what the sync hub accepted: a group commit's cases in one
//! transaction, written a kind of row at a time — the cases' rows, then
//! their changes, then their audit entries, several rows a statement
//! ([`insert_rows`]) — rather than five statements per case. On SQLite
//! every statement is a round trip to the database's own thread, on
//! PostgreSQL one over the network (see BENCH.md, step 11).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::Store;
use super::cases::CaseRow;
use super::db::{Tx, insert_rows};
use crate::ServerError;

/// Changes the sync hub accepted for one case, with all that goes with them.
#[derive(Debug, Clone)]
pub struct Accepted {
    pub row: CaseRow,
    /// The case's heads (as [`super::heads_text`]) the changes were checked
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
        let ids: BTreeSet<&str> = batch.iter().map(|a| a.row.id.as_str()).collect();
        let mut tx = self.db.write().await?;
        let stored = self.db.lock_cases(&mut tx, &ids.into_iter().collect::<Vec<_>>()).await?;
        let (written, plan) = Plan::of(batch, stored, sync_states);
        plan.write(&mut tx).await?;
        for id in plan.rows.keys() {
            self.announce(&mut tx, "case", id).await?;
        }
        tx.commit().await?;
        Ok(written)
    }
}

/// What one transaction writes, gathered from the batch member by member
/// as if each were written in turn.
#[derive(Default)]
struct Plan<'a> {
    /// Each stored case's row as its last member leaves it, by id.
    rows: BTreeMap<&'a str, &'a CaseRow>,
    /// Cases whose departments changed.
    departments: BTreeSet<&'a str>,
    /// Documents replaced whole (their earlier changes folded in).
    snapshots: BTreeMap<&'a str, &'a [u8]>,
    /// (case, change), in the order they were accepted.
    changes: Vec<(&'a str, &'a [u8])>,
    audit: Vec<&'a super::AuditEntry>,
    /// (attachment, case).
    blobs: Vec<(&'a str, &'a str)>,
    /// Devices' sync states: the last for each (device, case).
    states: BTreeMap<(&'a str, &'a str), &'a [u8]>,
}

impl<'a> Plan<'a> {
    /// The plan for `batch`, given the heads `stored` for its cases, and
    /// whether each member is stored. Members are taken in case order (the
    /// order rows are locked in), each checked against the heads the
    /// members before it leave.
    fn of(
        batch: &'a [Accepted],
        mut stored: HashMap<String, String>,
        sync_states: &'a [(String, String, Vec<u8>)],
    ) -> (Vec<Written>, Plan<'a>) {
        let mut order: Vec<usize> = (0..batch.len()).collect();
        order.sort_by(|a, b| batch[*a].row.id.cmp(&batch[*b].row.id));
        let mut written = vec![Written::Stale; batch.len()];
        let mut plan = Plan::default();
        for i in order {
            let accepted = &batch[i];
            let id = accepted.row.id.as_str();
            if stored.get(id).map(String::as_str).unwrap_or_default() != accepted.before {
                continue;
            }
            stored.insert(id.to_string(), accepted.row.heads.clone());
            written[i] = Written::Stored;
            plan.add(accepted);
        }
        for (peer, case_id, state) in sync_states {
            plan.states.insert((peer, case_id), state);
        }
        (written, plan)
    }

    fn add(&mut self, accepted: &'a Accepted) {
        let id = accepted.row.id.as_str();
        self.rows.insert(id, &accepted.row);
        if accepted.departments_changed {
            self.departments.insert(id);
        }
        match &accepted.snapshot {
            Some(snapshot) => {
                self.changes.retain(|(case, _)| *case != id);
                self.snapshots.insert(id, snapshot);
            }
            None => self.changes.extend(accepted.changes.iter().map(|c| (id, c.as_slice()))),
        }
        self.audit.push(&accepted.audit);
        self.blobs.extend(accepted.blobs.iter().map(|sha| (sha.as_str(), id)));
        if let Some((peer, state)) = &accepted.peer_state {
            self.states.insert((peer, id), state);
        }
    }

    async fn write(&self, tx: &mut Tx) -> Result<(), ServerError> {
        let rows: Vec<&CaseRow> = self.rows.values().copied().collect();
        super::cases::upsert_rows(tx, &rows).await?;
        let moved: Vec<&CaseRow> = self.departments.iter().filter_map(|id| self.rows.get(id).copied()).collect();
        super::cases::put_departments(tx, &moved).await?;
        for (id, snapshot) in &self.snapshots {
            super::cases::put_snapshot(tx, id, snapshot).await?;
        }
        insert_rows(tx, "INSERT INTO changes (case_id, bytes)", "", 2, &self.changes, |q, (id, bytes)| {
            q.bind(*id).bind(*bytes)
        })
        .await?;
        super::audit::insert_all(tx, &self.audit).await?;
        let blobs = "INSERT INTO blob_refs (sha256, case_id)";
        insert_rows(tx, blobs, "ON CONFLICT DO NOTHING", 2, &self.blobs, |q, (sha, id)| q.bind(*sha).bind(*id)).await?;
        let states: Vec<_> = self.states.iter().map(|((peer, id), state)| (*peer, *id, *state)).collect();
        super::cases::put_sync_states(tx, &states).await
    }
}
