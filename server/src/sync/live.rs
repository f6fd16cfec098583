//! One case document held in memory while someone syncs it: the protocol's
//! state for it ([`ServerDoc`], sans IO), and what the hub keeps beside it.

use std::time::Instant;

use domain::sync::server::ServerDoc;

use crate::ServerError;
use crate::store::Store;

pub use domain::sync::server::ConnId;

pub struct LiveDoc {
    pub doc: ServerDoc,
    /// Changes appended to the store since the last snapshot.
    pub uncompacted: usize,
    /// The store's `seq` of the last change record this copy was loaded
    /// or caught up with: catching up reads only the records after it.
    pub last_seq: i64,
    pub last_used: Instant,
    /// Set when accepting changes failed half-way: this copy may hold what
    /// the store does not, so it is never used again.
    pub poisoned: bool,
}

impl LiveDoc {
    /// Loads a case from the store, or an empty document if there is none.
    pub async fn load(store: &Store, id: &str) -> Result<LiveDoc, ServerError> {
        let loaded = store.load_document_at(id).await?.unwrap_or_default();
        Ok(LiveDoc {
            doc: ServerDoc::new(id, loaded.doc)?,
            uncompacted: loaded.uncompacted,
            last_seq: loaded.last_seq,
            last_used: Instant::now(),
            poisoned: false,
        })
    }
}

impl From<automerge::AutomergeError> for ServerError {
    fn from(e: automerge::AutomergeError) -> Self {
        ServerError::Domain(e.into())
    }
}
