//! Offering documents to sockets: news to every other reader, catch-ups
//! after other server instances wrote, and each device's sync state.

use std::time::Instant;

use automerge::sync::{Message as SyncMessage, State as SyncState};
use domain::permission::may_read;
use domain::sync::server::Effect;
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
            if !loaded_now && !self.read_news(id, &mut live).await? {
                return Ok(());
            }
            live.last_used = Instant::now();
            self.carry_out(id, &mut live, vec![Effect::Relay { except: NOBODY }]).await?;
            return Ok(());
        }
        Err(ServerError::Overloaded)
    }

    /// Brings `live` up to what the store holds of case `id`: the change
    /// records after the last one it has, or, when those do not bring the
    /// stored heads (another instance compacted the case meanwhile), the
    /// whole case. False if the store has no such case.
    async fn read_news(&self, id: &str, live: &mut LiveDoc) -> Result<bool, ServerError> {
        let Some(news) = self.store.changes_after(id, live.last_seq).await? else { return Ok(false) };
        live.doc.apply_stored(&news.records)?;
        if live.doc.holds(&news.heads) {
            // Records this instance wrote itself come again (it does not
            // note their seq) and count twice: compaction comes a little
            // early, never late.
            live.uncompacted += news.records.len();
            live.last_seq = news.last_seq;
            return Ok(true);
        }
        let Some(mut stored) = self.store.load_document_at(id).await? else { return Ok(false) };
        live.doc.merge(&mut stored.doc)?;
        live.uncompacted = stored.uncompacted;
        live.last_seq = stored.last_seq;
        Ok(true)
    }

    pub(super) fn send_sync(&self, conn: ConnId, id: &str, message: SyncMessage) {
        let target_id = self.peer_of(conn).unwrap_or_default();
        self.send(
            conn,
            Message::Sync { sender_id: SERVER_PEER.into(), target_id, document_id: id.into(), data: message.encode() },
        );
    }

    /// Offers the new state to every other connection that may read it.
    pub(super) fn relay(&self, live: &mut LiveDoc, except: ConnId) -> Vec<Effect> {
        let Some(parties) = live.doc.parties() else { return vec![] };
        let Ok(conns) = self.conns.read() else { return vec![] };
        let now = self.clock.now_ms();
        let readers: Vec<ConnId> = conns
            .iter()
            .filter(|(cid, c)| **cid != except && c.peer_id.is_some() && c.expires_ms > now)
            .filter(|(_, c)| may_read(&c.user, &parties))
            .map(|(cid, _)| *cid)
            .collect();
        live.doc.retain(|cid| conns.contains_key(&cid));
        drop(conns);
        readers.into_iter().flat_map(|reader| live.doc.offer(reader)).collect()
    }

    /// What `conn`'s device shared of document `id` last time it synced
    /// it, or a new state.
    pub(super) async fn stored_state(&self, conn: ConnId, id: &str) -> Result<SyncState, ServerError> {
        let known = match self.storage_key_of(conn) {
            Some(key) => self.store.sync_state(&key, id).await?,
            None => None,
        };
        Ok(known.and_then(|bytes| SyncState::decode(&bytes).ok()).unwrap_or_default())
    }

    pub(super) fn save_peer_state(&self, conn: ConnId, id: &str, state: Vec<u8>) -> Result<(), ServerError> {
        let Some(key) = self.storage_key_of(conn) else { return Ok(()) };
        self.committer.remember(key, id.to_string(), state)
    }
}
