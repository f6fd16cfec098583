//! Group commit: accepted changes (and devices' sync states) wait here for
//! the next transaction, and everything that arrived while the previous one
//! was being written goes into the same transaction — one write to disk
//! (`fsync`) for all of it. Nothing is acknowledged before its transaction
//! commits.

use std::sync::Arc;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::sync::oneshot;

use crate::ServerError;
use crate::store::{Accepted, Store, Written};

/// At most this many cases' changes in one transaction.
const MOST_PER_COMMIT: usize = 256;

type Reply = oneshot::Sender<Result<Written, ServerError>>;

enum Work {
    Accepted(Box<Accepted>, Reply),
    /// What a device and the server now have in common: (storage key,
    /// case, state). Nobody waits for it: losing one costs a longer
    /// exchange at the next connection, nothing more.
    SyncState(String, String, Vec<u8>),
}

pub struct Committer {
    queue: UnboundedSender<Work>,
}

impl Committer {
    /// Starts the committing task; it ends when the committer is dropped.
    pub fn start(store: Arc<Store>) -> Committer {
        let (queue, waiting) = unbounded_channel();
        tokio::spawn(async move { commit_all(&store, waiting).await });
        Committer { queue }
    }

    /// Stores `accepted` with whatever else is waiting; resolves once it is
    /// on disk (or found stale).
    pub async fn commit(&self, accepted: Accepted) -> Result<Written, ServerError> {
        let (reply, written) = oneshot::channel();
        self.queue.send(Work::Accepted(Box::new(accepted), reply)).map_err(|_| ServerError::Poisoned)?;
        written.await.map_err(|_| ServerError::Poisoned)?
    }

    /// Keeps a device's sync state with the next transaction.
    pub fn remember(&self, storage_key: String, case_id: String, state: Vec<u8>) -> Result<(), ServerError> {
        self.queue.send(Work::SyncState(storage_key, case_id, state)).map_err(|_| ServerError::Poisoned)
    }
}

async fn commit_all(store: &Store, mut waiting: UnboundedReceiver<Work>) {
    while let Some(first) = waiting.recv().await {
        let mut batch = vec![first];
        while batch.len() < MOST_PER_COMMIT {
            match waiting.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let sync_states = latest_sync_states(&batch);
        let (accepted, replies): (Vec<Accepted>, Vec<Reply>) = batch
            .into_iter()
            .filter_map(|work| match work {
                Work::Accepted(accepted, reply) => Some((*accepted, reply)),
                Work::SyncState(..) => None,
            })
            .unzip();
        match store.append_changes(&accepted, &sync_states).await {
            Ok(written) => {
                for (reply, written) in replies.into_iter().zip(written) {
                    let _ = reply.send(Ok(written));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, cases = accepted.len(), "storing accepted changes failed");
                for reply in replies {
                    let _ = reply.send(Err(ServerError::Database(e.to_string())));
                }
            }
        }
    }
}

/// The sync-state-only entries of `batch` that nothing later in the batch
/// replaces (an accepted change carries its device's state too).
fn latest_sync_states(batch: &[Work]) -> Vec<(String, String, Vec<u8>)> {
    let key_of = |work: &Work| match work {
        Work::Accepted(accepted, _) => {
            accepted.peer_state.as_ref().map(|(peer, _)| (peer.clone(), accepted.row.id.clone()))
        }
        Work::SyncState(peer, case_id, _) => Some((peer.clone(), case_id.clone())),
    };
    let mut latest = std::collections::HashMap::new();
    for (i, work) in batch.iter().enumerate() {
        if let Some(key) = key_of(work) {
            latest.insert(key, i);
        }
    }
    batch
        .iter()
        .enumerate()
        .filter_map(|(i, work)| match work {
            Work::SyncState(peer, case_id, state) if latest.get(&(peer.clone(), case_id.clone())) == Some(&i) => {
                Some((peer.clone(), case_id.clone(), state.clone()))
            }
            _ => None,
        })
        .collect()
}
