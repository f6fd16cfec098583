//! Offering documents to sockets: what a client lacks, news to every other
//! reader, catch-ups after other server instances wrote.

use std::time::Instant;

use automerge::sync::{Message as SyncMessage, State as SyncState, SyncDoc};
use domain::permission::may_read;
use domain::sync::wire::Message;

use crate::ServerError;
use crate::sync::SERVER_PEER;
use crate::sync::live::{ConnId, LiveDoc};

use super::{Hub, NOBODY, STALE_RETRIES};

impl Hub {
    /// Merges what the store has of case `id` (another instance stored
    /// it) into the copy in memory, then offers it to every reader here.
    pub(in crate::sync) async fn catch_up(&self, id: &str) -> Result<(), ServerError> {
        for _ in 0..STALE_RETRIES {
            // Not in memory yet: loading it now (after the news was stored)
            // brings the news along, no second read needed.
            let loaded_now = !self.is_live(id);
            let shared = self.live(id).await?;
            let mut live = shared.lock().await;
            if live.poisoned {
                // Dropped meanwhile (a write found the case stale) and
                // perhaps reloaded before this news was stored: take the
                // copy in memory now.
                continue;
            }
            if !loaded_now {
                let Some((mut stored, uncompacted)) = self.store.load_document(id).await? else {
                    return Ok(());
                };
                live.doc.merge(&mut stored)?;
                let case = domain::doc::read(&live.doc)?;
                let state = case.state();
                live.case = Some((case, state));
                live.uncompacted = uncompacted;
            }
            live.last_used = Instant::now();
            self.relay(id, &mut live, NOBODY);
            return Ok(());
        }
        Err(ServerError::Overloaded)
    }

    /// Sends `conn` whatever it lacks of the document, if anything.
    pub(super) fn offer(&self, conn: ConnId, id: &str, live: &mut LiveDoc) {
        let Some(state) = live.peers.get_mut(&conn) else { return };
        if let Some(message) = live.doc.sync().generate_sync_message(state) {
            self.send_sync(conn, id, message);
        }
    }

    pub(super) fn send_sync(&self, conn: ConnId, id: &str, message: SyncMessage) {
        let target_id = self.peer_of(conn).unwrap_or_default();
        self.send(
            conn,
            Message::Sync { sender_id: SERVER_PEER.into(), target_id, document_id: id.into(), data: message.encode() },
        );
    }

    /// Offers the new state to every other connection that may read it.
    pub(super) fn relay(&self, id: &str, live: &mut LiveDoc, except: ConnId) {
        let Some(parties) = live.parties() else { return };
        let Ok(conns) = self.conns.read() else { return };
        let now = self.clock.now_ms();
        let readers: Vec<ConnId> = conns
            .iter()
            .filter(|(cid, c)| **cid != except && c.peer_id.is_some() && c.expires_ms > now)
            .filter(|(_, c)| may_read(&c.user, &parties))
            .map(|(cid, _)| *cid)
            .collect();
        live.peers.retain(|cid, _| conns.contains_key(cid));
        live.held.retain(|cid, _| conns.contains_key(cid));
        drop(conns);
        for reader in readers {
            live.peers.entry(reader).or_default();
            self.offer(reader, id, live);
        }
    }

    /// Makes sure `live` has a sync state for `conn`, from the store if the
    /// device synced this document before.
    pub(super) async fn peer_state<'a>(
        &self,
        conn: ConnId,
        id: &str,
        live: &'a mut LiveDoc,
    ) -> Result<&'a mut SyncState, ServerError> {
        if let std::collections::hash_map::Entry::Vacant(slot) = live.peers.entry(conn) {
            let known = match self.storage_key_of(conn) {
                Some(key) => {
                    let (store, id) = (self.store.clone(), id.to_string());
                    store.sync_state(&key, &id).await?
                }
                None => None,
            };
            slot.insert(known.and_then(|bytes| SyncState::decode(&bytes).ok()).unwrap_or_default());
        }
        live.peers.get_mut(&conn).ok_or(ServerError::Poisoned)
    }

    pub(super) fn save_peer_state(&self, conn: ConnId, id: &str, state: Vec<u8>) -> Result<(), ServerError> {
        let Some(key) = self.storage_key_of(conn) else { return Ok(()) };
        self.committer.remember(key, id.to_string(), state)
    }
}
