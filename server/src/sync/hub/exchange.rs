//! Answering one sync message for one document: the document's protocol
//! peer ([`domain::sync::server::ServerDoc`]) decides; this carries out its
//! effects — send, refuse, keep sync states, persist, relay.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use automerge::Change;
use automerge::sync::Message as SyncMessage;
use domain::sync::server::Effect;
use domain::sync::wire::Message;
use domain::sync::{DocumentId, Rejection};

use crate::ServerError;
use crate::sync::SERVER_PEER;
use crate::sync::live::{ConnId, LiveDoc};

use super::{Hub, STALE_RETRIES};

const TOO_MANY_REFUSED: &str = "被拒绝的变更过多 / too many of your changes were refused";

/// How handling one sync message ended.
pub(super) enum Outcome {
    Done,
    /// The case changed under us (another instance): handle it again.
    Stale,
}

impl Hub {
    /// One sync message for document `id`. A `request` is for a document
    /// the client lacks; a `sync` for a document the server lacks is a case
    /// being created, so the exchange starts and the check decides.
    pub(super) async fn sync(&self, conn: ConnId, id: &str, data: &[u8], request: bool) -> Result<(), ServerError> {
        if self.peer_of(conn).is_none() || DocumentId::parse(id).is_err() {
            self.send_unavailable(conn, id);
            return Ok(());
        }
        let message = match SyncMessage::decode(data) {
            Ok(message) => message,
            Err(e) => {
                self.send(conn, Message::Error { message: format!("{id}: {e}") });
                return Ok(());
            }
        };
        self.note_announced(conn, id, &message.heads);
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
        let Some(user) = self.user_of(conn) else { return Ok(()) };
        let shared = self.live(id).await?;
        let mut live = shared.lock().await;
        let effects = live.doc.restart(conn, &user);
        self.carry_out(id, &mut live, effects).await.map(|_| ())
    }

    async fn sync_once(
        &self,
        conn: ConnId,
        id: &str,
        message: SyncMessage,
        request: bool,
    ) -> Result<Outcome, ServerError> {
        let Some(user) = self.user_of(conn) else { return Ok(Outcome::Done) };
        let shared = self.live(id).await?;
        let mut guard = shared.lock().await;
        let live = &mut *guard;
        if live.poisoned {
            // Dropped from memory meanwhile: take the reloaded copy.
            return Ok(Outcome::Stale);
        }
        live.last_used = Instant::now();
        if !live.doc.knows(conn) && (live.doc.readable_by(&user) || live.doc.case().is_none()) {
            // The device synced this document before: go on from there.
            let state = self.stored_state(conn, id).await?;
            live.doc.open(conn, state);
        }
        let refused = self.refused_on(conn, id).unwrap_or_default();
        let (policy, roster) = (self.in_force.policy.current(), self.in_force.officials.current());
        let in_force = domain::sync::InForce { directory: &policy.directory, roster: &roster };
        let effects = live.doc.receive(conn, &user, &refused, message, request, in_force)?;
        self.carry_out(id, live, effects).await
    }

    /// Carries out what the document's peer decided, in order, and what
    /// follows from it.
    pub(super) async fn carry_out(
        &self,
        id: &str,
        live: &mut LiveDoc,
        effects: Vec<Effect>,
    ) -> Result<Outcome, ServerError> {
        let mut effects = VecDeque::from(effects);
        while let Some(effect) = effects.pop_front() {
            match effect {
                Effect::Send { to, message } => self.send_sync(to, id, message),
                Effect::Unavailable { to } => self.send_unavailable(to, id),
                Effect::Refuse { to, changes, why } => self.refuse(to, id, &changes, why).await?,
                Effect::SaveState { of, state } => self.save_peer_state(of, id, state)?,
                Effect::Persist(accepted) => match self.accept(id, live, accepted).await {
                    Ok(Some(next)) => effects.extend(next),
                    // Memory may now hold what the disk does not: nobody
                    // may use this copy again; the next message reloads.
                    result => {
                        self.poison(id, live);
                        return result.map(|_| Outcome::Stale);
                    }
                },
                Effect::Relay { except } => effects.extend(self.relay(live, except)),
            }
        }
        Ok(Outcome::Done)
    }

    fn poison(&self, id: &str, live: &mut LiveDoc) {
        live.poisoned = true;
        if let Ok(mut docs) = self.docs.lock() {
            docs.remove(id);
        }
    }

    /// Tells the author its changes were refused, and remembers them for
    /// this socket; nobody else hears of them.
    async fn refuse(&self, conn: ConnId, id: &str, changes: &[Change], why: Rejection) -> Result<(), ServerError> {
        let user = self.user_of(conn).map(|u| u.id).unwrap_or_default();
        let reason = why.label();
        tracing::info!(case = id, user = %user, reason = %reason.en, "change refused");
        self.store.record_refusal(id, &user, self.clock.now_ms(), &reason.en).await?;
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
        if !self.remember_refused(conn, id, changes) {
            self.cut_off(conn, TOO_MANY_REFUSED.into());
        }
        Ok(())
    }
}
