//! One case document held in memory while someone syncs it: the Automerge
//! document, the case it holds, and the sync state of each connection.

use std::collections::HashMap;
use std::time::Instant;

use automerge::AutoCommit;
use automerge::sync::State as SyncState;
use domain::case::CaseDoc;
use domain::permission::{CaseParties, User, may_read};
use domain::status::CaseState;

use crate::ServerError;
use crate::store::Store;

pub type ConnId = u64;

pub struct LiveDoc {
    pub doc: AutoCommit,
    /// What `doc` holds and its derived state; `None` while the document
    /// does not exist yet.
    pub case: Option<(CaseDoc, CaseState)>,
    pub peers: HashMap<ConnId, SyncState>,
    /// Per connection: change bytes that arrived before changes they build
    /// on (the sync protocol's Bloom filter can make a peer skip one); held,
    /// unapplied, until the rest arrives and all are checked together.
    pub held: HashMap<ConnId, Vec<Vec<u8>>>,
    /// Changes appended to the store since the last snapshot.
    pub uncompacted: usize,
    pub last_used: Instant,
    /// Set when accepting changes failed half-way: this copy may hold what
    /// the store does not, so it is never used again.
    pub poisoned: bool,
}

impl LiveDoc {
    /// Loads a case from the store, or an empty document if there is none.
    pub async fn load(store: &Store, id: &str) -> Result<LiveDoc, ServerError> {
        let (mut doc, uncompacted) = store.load_document(id).await?.unwrap_or_default();
        let case = if doc.get_heads().is_empty() {
            None
        } else {
            let case = domain::doc::read(&doc)?;
            let state = case.state();
            Some((case, state))
        };
        Ok(LiveDoc {
            doc,
            case,
            peers: HashMap::new(),
            held: HashMap::new(),
            uncompacted,
            last_used: Instant::now(),
            poisoned: false,
        })
    }

    pub fn parties(&self) -> Option<CaseParties<'_>> {
        self.case.as_ref().map(|(case, state)| CaseParties {
            enterprise: &case.enterprise.id,
            district: &case.district,
            state,
        })
    }

    pub fn readable_by(&self, user: &User) -> bool {
        self.parties().is_some_and(|parties| may_read(user, &parties))
    }
}

impl From<automerge::AutomergeError> for ServerError {
    fn from(e: automerge::AutomergeError) -> Self {
        ServerError::Domain(e.into())
    }
}
