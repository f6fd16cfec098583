//! Answering one sync message for one document: screen it, check its
//! changes, then accept, hold, or refuse them.

use std::time::{Duration, Instant};

use automerge::sync::{ChunkList, Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::{Change, ChangeHash};
use domain::permission::{Denied, User};
use domain::sync::wire::Message;
use domain::sync::{DocumentId, Rejection, check_incoming, new_changes, plain_message};

use crate::ServerError;
use crate::store::{Written, heads_text};
use crate::sync::SERVER_PEER;
use crate::sync::live::{ConnId, LiveDoc};

use super::{Hub, STALE_RETRIES};

/// Change chunks held per connection while waiting for their dependencies;
/// beyond this the sender is refused instead.
const MAX_HELD_CHUNKS: usize = 1_000;

const TOO_MANY_REFUSED: &str = "被拒绝的变更过多 / too many of your changes were refused";

/// How handling one sync message ended.
enum Outcome {
    Done,
    /// The case changed under us (another instance): handle it again.
    Stale,
}

impl Hub {
    /// One sync message for document `id`. A `request` is for a document
    /// the client lacks; a `sync` for a document the server lacks is a case
    /// being created, so the exchange starts and the check decides.
    pub(super) async fn sync(&self, conn: ConnId, id: &str, data: &[u8], request: bool) -> Result<(), ServerError> {
        let unavailable = || self.send_unavailable(conn, id);
        if self.peer_of(conn).is_none() || DocumentId::parse(id).is_err() {
            unavailable();
            return Ok(());
        }
        let message = match SyncMessage::decode(data) {
            Ok(message) => message,
            Err(e) => {
                self.send(conn, Message::Error { message: format!("{id}: {e}") });
                return Ok(());
            }
        };
        // Another server instance may change the case between our check
        // and our write; then the check runs again on the newer case, after
        // a pause that differs between connections so they stop colliding.
        for attempt in 1..=STALE_RETRIES as u64 {
            if let Outcome::Done = self.sync_once(conn, id, message.clone(), request).await? {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(attempt * (1 + conn % 5))).await;
        }
        // Still colliding: start this exchange afresh; the client sends its
        // changes again when it sees they are not here.
        let shared = self.live(id).await?;
        let mut live = shared.lock().await;
        if live.readable_by(&self.user_of(conn).ok_or(ServerError::Poisoned)?) {
            live.peers.insert(conn, SyncState::new());
            self.offer(conn, id, &mut live);
        }
        Ok(())
    }

    async fn sync_once(
        &self,
        conn: ConnId,
        id: &str,
        message: SyncMessage,
        request: bool,
    ) -> Result<Outcome, ServerError> {
        let Some(user) = self.user_of(conn) else { return Ok(Outcome::Done) };
        let unavailable = || {
            self.send_unavailable(conn, id);
            Ok(Outcome::Done)
        };
        let shared = self.live(id).await?;
        let mut guard = shared.lock().await;
        let live = &mut *guard;
        if live.poisoned {
            // Dropped from memory meanwhile: take the reloaded copy.
            return Ok(Outcome::Stale);
        }
        live.last_used = Instant::now();
        let before = heads_text(&live.doc.get_heads());
        let readable = live.readable_by(&user);
        let exists = live.case.is_some();
        let creating = !exists && !request;
        // Only checked changes ever reach the document: the message's own
        // bytes are taken out, so it updates nothing but the sync state.
        let mut message = message;
        let raw = std::mem::replace(&mut message.changes, ChunkList::empty());
        let held = live.held.remove(&conn).unwrap_or_default();
        let mut chunks: Vec<&[u8]> = held.iter().map(Vec::as_slice).chain(raw.iter()).collect();
        let refused = self.refused_on(conn, id);
        if let Some(refused) = &refused {
            let doc = live.doc.document();
            refused.screen(&mut message, |hash| doc.get_change_meta_by_hash(hash).map(|meta| meta.deps));
            if !chunks.is_empty() && refused.all_refused(&hashes(&new_changes(&mut live.doc, &chunks))) {
                // Sent again (the client kept them): not news.
                chunks.clear();
            }
        }
        if exists && !readable {
            // Not a party: refuse unread, so the answer tells nothing about
            // the case's content.
            let changes = new_changes(&mut live.doc, &chunks);
            if !changes.is_empty() {
                self.refuse(conn, &user, id, live, changes, Rejection::Denied(Denied::NotAParty)).await?;
            }
            return unavailable();
        }
        let known = live.case.as_ref().map(|(case, state)| (case, state));
        match check_incoming(&mut live.doc, known, id, &chunks, &user) {
            Ok(Some(checked)) => {
                let accepted = self.accept(conn, id, live, &before, message, checked).await;
                if !matches!(accepted, Ok(Written::Stored)) {
                    // Memory may now hold what the disk does not: nobody may
                    // use this copy again; the next message reloads the case.
                    live.poisoned = true;
                    if let Ok(mut docs) = self.docs.lock() {
                        docs.remove(id);
                    }
                }
                match accepted? {
                    Written::Stored => Ok(Outcome::Done),
                    Written::Stale => Ok(Outcome::Stale),
                }
            }
            Ok(None) if readable || creating => {
                let shared_before = self.peer_state(conn, id, live).await?.shared_heads.clone();
                let Some(state) = live.peers.get_mut(&conn) else { return Ok(Outcome::Done) };
                live.doc.sync().receive_sync_message(state, message)?;
                if state.shared_heads != shared_before {
                    self.save_peer_state(conn, id, state.encode())?;
                }
                self.offer(conn, id, live);
                Ok(Outcome::Done)
            }
            Ok(None) => unavailable(),
            Err((_, Rejection::MissingDependencies(missing)))
                if refused.is_some_and(|refused| refused.all_refused(&missing)) =>
            {
                // What they build on will never come: refuse them too.
                let changes = new_changes(&mut live.doc, &chunks);
                self.refuse(conn, &user, id, live, changes, Rejection::BuildsOnRefused).await?;
                Ok(Outcome::Done)
            }
            Err((_, Rejection::MissingDependencies(missing))) if held.len() + raw.len() < MAX_HELD_CHUNKS => {
                // Keep the bytes and ask for what they build on.
                let bytes: Vec<Vec<u8>> = chunks.iter().map(|c| c.to_vec()).collect();
                live.held.insert(conn, bytes);
                self.peer_state(conn, id, live).await?;
                let Some(state) = live.peers.get_mut(&conn) else { return Ok(Outcome::Done) };
                live.doc.sync().receive_sync_message(state, message)?;
                let generated = live.doc.sync().generate_sync_message(state);
                let heads = live.doc.get_heads();
                let mut reply = generated.unwrap_or_else(|| plain_message(heads, vec![], vec![]));
                reply.need.extend(missing);
                self.send_sync(conn, id, reply);
                Ok(Outcome::Done)
            }
            Err((_, why)) => {
                let changes = new_changes(&mut live.doc, &chunks);
                self.refuse(conn, &user, id, live, changes, why).await?;
                Ok(Outcome::Done)
            }
        }
    }

    /// Tells the author its changes were refused, and remembers them for
    /// this socket; nobody else hears of them.
    async fn refuse(
        &self,
        conn: ConnId,
        user: &User,
        id: &str,
        live: &mut LiveDoc,
        changes: Vec<Change>,
        why: Rejection,
    ) -> Result<(), ServerError> {
        let reason = why.label();
        tracing::info!(case = id, user = %user.id, reason = %reason.en, "change refused");
        self.store.record_refusal(id, &user.id, self.clock.now_ms(), &reason.en).await?;
        let target_id = self.peer_of(conn).unwrap_or_default();
        self.send(
            conn,
            Message::Refused {
                sender_id: SERVER_PEER.into(),
                target_id,
                document_id: id.into(),
                changes: changes.iter().map(|c| c.hash().0).collect(),
                reason_zh: reason.zh,
                reason_en: reason.en,
            },
        );
        if !self.remember_refused(conn, id, &changes) {
            self.cut_off(conn, TOO_MANY_REFUSED.into());
            return Ok(());
        }
        // Start over with this peer: our client rolls the refused changes
        // back; another keeps them, and the screen hides them.
        live.peers.insert(conn, SyncState::new());
        if live.readable_by(user) {
            self.offer(conn, id, live);
        }
        Ok(())
    }
}

fn hashes(changes: &[Change]) -> Vec<ChangeHash> {
    changes.iter().map(Change::hash).collect()
}
