//! Loading case documents: whole (the snapshot and the change records
//! after it), or only the records after one already held, for an
//! instance catching up with another (see `sync::hub::deliver`).

use automerge::ChangeHash;

use super::Store;
use super::db::Backend;
use crate::ServerError;

/// A case document as stored: the snapshot and the changes after it.
pub struct StoredCase {
    pub snapshot: Vec<u8>,
    pub changes: Vec<Vec<u8>>,
    /// The `seq` of the last of `changes` (0 if none).
    pub last_seq: i64,
}

/// A case's document as loaded from the store.
#[derive(Default)]
pub struct LoadedDocument {
    pub doc: automerge::AutoCommit,
    /// Change records after the snapshot.
    pub uncompacted: usize,
    /// The `seq` of the last change record loaded (0 if none).
    pub last_seq: i64,
}

/// The change records of a case after a given one, and the case's heads
/// as of the same moment.
pub struct ChangesAfter {
    pub records: Vec<Vec<u8>>,
    /// The `seq` of the last of `records`, or the one asked after if none.
    pub last_seq: i64,
    pub heads: Vec<ChangeHash>,
}

impl Store {
    pub async fn load_case(&self, id: &str) -> Result<Option<StoredCase>, ServerError> {
        // One transaction: the snapshot and the changes after it are read
        // as of one moment. On PostgreSQL the row is share-locked first: a
        // write of this case (which locks it) is either wholly before this
        // read or wholly after, so a compaction never hides changes from it.
        let query = match self.db.backend {
            Backend::Sqlite => "SELECT doc FROM cases WHERE id = $1",
            Backend::Postgres => "SELECT doc FROM cases WHERE id = $1 FOR SHARE",
        };
        let mut tx = self.db.read().await?;
        let Some(snapshot) = sqlx::query_scalar(query).bind(id).fetch_optional(&mut *tx).await? else {
            return Ok(None);
        };
        let rows: Vec<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT seq, bytes FROM changes WHERE case_id = $1 ORDER BY seq")
                .bind(id)
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        let last_seq = rows.last().map_or(0, |(seq, _)| *seq);
        Ok(Some(StoredCase { snapshot, changes: rows.into_iter().map(|(_, bytes)| bytes).collect(), last_seq }))
    }

    /// The change records of case `id` after record `seq`, with the
    /// case's heads, read as of one moment (as [`Store::load_case`]).
    /// Records of one case are numbered in the order they were committed,
    /// as its writers hold its row lock; a compaction folds records into
    /// the snapshot, and then the heads name changes the records do not
    /// bring. `None` if there is no such case.
    pub async fn changes_after(&self, id: &str, seq: i64) -> Result<Option<ChangesAfter>, ServerError> {
        let query = match self.db.backend {
            Backend::Sqlite => "SELECT heads FROM cases WHERE id = $1",
            Backend::Postgres => "SELECT heads FROM cases WHERE id = $1 FOR SHARE",
        };
        let mut tx = self.db.read().await?;
        let Some(heads) = sqlx::query_scalar::<_, String>(query).bind(id).fetch_optional(&mut *tx).await? else {
            return Ok(None);
        };
        let rows: Vec<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT seq, bytes FROM changes WHERE case_id = $1 AND seq > $2 ORDER BY seq")
                .bind(id)
                .bind(seq)
                .fetch_all(&mut *tx)
                .await?;
        tx.commit().await?;
        let heads = heads.split(',').filter(|h| !h.is_empty()).map(str::parse).collect::<Result<_, _>>();
        let heads = heads.map_err(|e| ServerError::Database(format!("stored heads of case {id}: {e}")))?;
        let last_seq = rows.last().map_or(seq, |(last, _)| *last);
        Ok(Some(ChangesAfter { records: rows.into_iter().map(|(_, bytes)| bytes).collect(), last_seq, heads }))
    }

    /// A case's document: the snapshot with the later changes applied.
    pub async fn load_document(&self, id: &str) -> Result<Option<(automerge::AutoCommit, usize)>, ServerError> {
        Ok(self.load_document_at(id).await?.map(|loaded| (loaded.doc, loaded.uncompacted)))
    }

    /// [`Store::load_document`], with the `seq` of its last change record.
    pub async fn load_document_at(&self, id: &str) -> Result<Option<LoadedDocument>, ServerError> {
        let Some(stored) = self.load_case(id).await? else { return Ok(None) };
        let (uncompacted, last_seq) = (stored.changes.len(), stored.last_seq);
        // Decoding is CPU work: off the async workers.
        let doc = crate::blocking(move || {
            let mut doc = if stored.snapshot.is_empty() {
                automerge::AutoCommit::new()
            } else {
                automerge::AutoCommit::load(&stored.snapshot).map_err(domain::DomainError::from)?
            };
            for change in &stored.changes {
                doc.load_incremental(change).map_err(domain::DomainError::from)?;
            }
            Ok(doc)
        })
        .await?;
        Ok(Some(LoadedDocument { doc, uncompacted, last_seq }))
    }
}
