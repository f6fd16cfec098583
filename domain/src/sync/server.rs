//! The server's side of the sync protocol for one case document, without
//! IO: each input returns the effects its driver carries out, in order —
//! send, refuse, persist, relay. The hub (`server/src/sync/hub`) is the
//! driver: it loads documents and sync states, writes the store, owns the
//! sockets and says who is connected.
//!
//! Only checked changes ever reach the document (the message's own change
//! bytes are taken out first), and a change the caller refused on a
//! connection is screened out of what that connection says, so a client
//! that keeps it (a stock automerge-repo client cannot roll it back) gets
//! one refusal and then silence, not a storm of requests.

use std::collections::HashMap;
use std::mem;

use automerge::sync::{ChunkList, Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::{ActorId, AutoCommit, Automerge, Change, ChangeHash};

use crate::DomainError;
use crate::case::CaseDoc;
use crate::device_time::Receipt;
use crate::permission::{CaseParties, Denied, User, may_read};
use crate::status::CaseState;
use crate::sync::{InForce, RefusedChanges, Rejection, check_incoming, new_changes, plain_message};

/// A connection, as the driver numbers them.
pub type ConnId = u64;

/// Change chunks held per connection while waiting for their dependencies;
/// beyond this the sender is refused instead.
const MAX_HELD_CHUNKS: usize = 1_000;

/// What the driver does, in the order given.
#[derive(Debug)]
pub enum Effect {
    /// Send `message`, a sync message for this document, to `to`.
    Send { to: ConnId, message: SyncMessage },
    /// Tell `to` the document is unavailable: it does not exist, or `to`
    /// may not read it (one answer for both).
    Unavailable { to: ConnId },
    /// Refuse `changes` from `to`: record it, tell their author why, and
    /// remember them as refused on that connection (the driver passes what
    /// it remembers back into [`ServerDoc::receive`]).
    Refuse { to: ConnId, changes: Vec<Change>, why: Rejection },
    /// What `of`'s device and the server share moved: keep `state`.
    SaveState { of: ConnId, state: Vec<u8> },
    /// Checked changes, applied here but not yet durable: persist them,
    /// then call [`ServerDoc::stored`]. If that fails, this copy holds what
    /// the store does not and must never be used again.
    Persist(Box<Acceptance>),
    /// The case moved: offer it ([`ServerDoc::offer`]) to every other
    /// connection whose user may read it.
    Relay { except: ConnId },
}

/// Changes accepted but not yet stored.
#[derive(Debug)]
pub struct Acceptance {
    pub from: ConnId,
    /// The case as the changes leave it.
    pub case: CaseDoc,
    /// The changes created the case: it needs a number ([`ServerDoc::number`]).
    pub created: bool,
    /// The accepted changes (and the server's own, once numbered).
    pub hashes: Vec<ChangeHash>,
    /// Their bytes, as stored: taken from the checked changes, not built
    /// again from the document.
    pub changes: Vec<Vec<u8>>,
    /// The sender's sync state once they are in, stored with them.
    pub peer_state: Vec<u8>,
    /// The document's heads before them (what they were checked against).
    pub before: Vec<ChangeHash>,
}

/// One connection's exchange of this document.
#[derive(Debug, Default)]
struct Peer {
    state: SyncState,
    /// Change bytes that arrived before changes they build on (the sync
    /// protocol's Bloom filter can make a client skip one): held, unapplied,
    /// until the rest arrives and all are checked together.
    held: Vec<Vec<u8>>,
}

/// A case document the server holds, and its exchange with each connection.
pub struct ServerDoc {
    id: String,
    doc: AutoCommit,
    /// What `doc` holds as last stored; `None` while the case does not exist.
    case: Option<(CaseDoc, CaseState)>,
    peers: HashMap<ConnId, Peer>,
}

impl ServerDoc {
    /// Document `id` as stored (empty if it does not exist yet).
    pub fn new(id: &str, doc: AutoCommit) -> Result<ServerDoc, DomainError> {
        let mut server = ServerDoc { id: id.to_string(), doc, case: None, peers: HashMap::new() };
        server.reread()?;
        Ok(server)
    }

    fn reread(&mut self) -> Result<(), DomainError> {
        self.case = if self.doc.get_heads().is_empty() {
            None
        } else {
            let case = crate::doc::read(&self.doc)?;
            let state = case.state();
            Some((case, state))
        };
        Ok(())
    }

    pub fn case(&self) -> Option<&(CaseDoc, CaseState)> {
        self.case.as_ref()
    }

    /// The document, for reading (heads, changes, saving).
    pub fn automerge(&mut self) -> &Automerge {
        self.doc.document()
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

    /// Whether `conn` has an exchange of this document under way.
    pub fn knows(&self, conn: ConnId) -> bool {
        self.peers.contains_key(&conn)
    }

    /// Starts `conn`'s exchange from `state`: what its device shared with
    /// the server last time, or a new state.
    pub fn open(&mut self, conn: ConnId, state: SyncState) {
        self.peers.insert(conn, Peer { state, held: vec![] });
    }

    /// What `conn` lacks of the document, if anything (opening an exchange
    /// with a new state if it had none).
    pub fn offer(&mut self, conn: ConnId) -> Vec<Effect> {
        let peer = self.peers.entry(conn).or_default();
        self.doc
            .sync()
            .generate_sync_message(&mut peer.state)
            .map(|message| Effect::Send { to: conn, message })
            .into_iter()
            .collect()
    }

    /// Ends the exchanges of connections that are gone.
    pub fn retain(&mut self, open: impl Fn(ConnId) -> bool) {
        self.peers.retain(|conn, _| open(*conn));
    }

    /// Merges what another copy holds (another server instance stored it).
    pub fn merge(&mut self, other: &mut AutoCommit) -> Result<(), DomainError> {
        self.doc.merge(other)?;
        self.reread()
    }

    /// Applies change records another server instance stored (checked
    /// when they arrived there), reading again only what they touched.
    /// Records already held change nothing.
    pub fn apply_stored(&mut self, records: &[Vec<u8>]) -> Result<(), DomainError> {
        let Some((known, _)) = &self.case else {
            for record in records {
                self.doc.load_incremental(record)?;
            }
            return self.reread();
        };
        let before = self.doc.get_heads();
        // Log what loading does, so the diff below reads that log and not
        // the whole case (as the check does).
        self.doc.update_diff_cursor();
        let loaded = records.iter().try_for_each(|record| self.doc.load_incremental(record).map(drop));
        let after = self.doc.get_heads();
        let patches = self.doc.diff(&before, &after);
        self.doc.reset_diff_cursor();
        loaded?;
        if before != after {
            let case = crate::doc::reread(&self.doc, known, &crate::doc::Touched::of(&patches))?;
            let state = case.state();
            self.case = Some((case, state));
        }
        Ok(())
    }

    /// Whether the document holds every change of `heads`.
    pub fn holds(&mut self, heads: &[ChangeHash]) -> bool {
        let doc = self.doc.document();
        heads.iter().all(|hash| doc.get_change_meta_by_hash(hash).is_some())
    }

    /// One sync message from `from`, signed in as `user`, who had
    /// `refused` of this document refused on this connection before. A
    /// `request` is for a document the client lacks; a plain sync for a
    /// document that does not exist is a case being created, so the
    /// exchange starts and the check decides, by what is `in_force`.
    pub fn receive(
        &mut self,
        from: ConnId,
        user: &User,
        refused: &RefusedChanges,
        message: SyncMessage,
        request: bool,
        in_force: InForce<'_>,
    ) -> Result<Vec<Effect>, DomainError> {
        let readable = self.readable_by(user);
        let exists = self.case.is_some();
        let mut message = message;
        let raw = mem::replace(&mut message.changes, ChunkList::empty());
        let held = self.peers.get_mut(&from).map(|p| mem::take(&mut p.held)).unwrap_or_default();
        let mut chunks: Vec<&[u8]> = held.iter().map(Vec::as_slice).chain(raw.iter()).collect();
        if !refused.is_empty() {
            let doc = self.doc.document();
            refused.screen(&mut message, |hash| doc.get_change_meta_by_hash(hash).map(|meta| meta.deps));
            if !chunks.is_empty() && refused.all_refused(&hashes(&new_changes(&mut self.doc, &chunks))) {
                // Sent again (the client kept them): not news.
                chunks.clear();
            }
        }
        if exists && !readable {
            // Not a party: refuse unread, so the answer tells nothing about
            // the case's content.
            let changes = new_changes(&mut self.doc, &chunks);
            let mut effects = Vec::new();
            if !changes.is_empty() {
                effects.extend(self.refuse(from, user, changes, Rejection::Denied(Denied::NotAParty)));
            }
            effects.push(Effect::Unavailable { to: from });
            return Ok(effects);
        }
        let known = self.case.as_ref().map(|(case, state)| (case, state));
        match check_incoming(&mut self.doc, known, &self.id, &chunks, user, in_force) {
            Ok(Some(checked)) => {
                let hashes = hashes(&checked.changes);
                let changes: Vec<Vec<u8>> = checked.changes.iter().map(|c| c.raw_bytes().to_vec()).collect();
                // The message now carries exactly the checked changes (the
                // protocol's bookkeeping needs them to arrive in it).
                message.changes = changes.clone().into();
                let before = self.doc.get_heads();
                // The fork the changes were checked on becomes the copy:
                // applying them again cost as much as the check. The sync
                // state still takes the message; its changes are known
                // now, so they are only noted. (Its shared heads then
                // leave out our new heads when the message's heads are not
                // all known: a smaller claim, so at worst a change is
                // offered twice.)
                self.doc = checked.doc;
                let peer = self.peers.entry(from).or_default();
                self.doc.sync().receive_sync_message(&mut peer.state, message)?;
                Ok(vec![Effect::Persist(Box::new(Acceptance {
                    from,
                    case: checked.case,
                    created: checked.created,
                    hashes,
                    changes,
                    peer_state: peer.state.encode(),
                    before,
                }))])
            }
            Ok(None) if readable || (!exists && !request) => {
                let peer = self.peers.entry(from).or_default();
                let shared_before = peer.state.shared_heads.clone();
                self.doc.sync().receive_sync_message(&mut peer.state, message)?;
                let mut effects = Vec::new();
                if peer.state.shared_heads != shared_before {
                    effects.push(Effect::SaveState { of: from, state: peer.state.encode() });
                }
                effects.extend(self.offer(from));
                Ok(effects)
            }
            Ok(None) => Ok(vec![Effect::Unavailable { to: from }]),
            Err((_, Rejection::MissingDependencies(missing))) if refused.all_refused(&missing) => {
                // What they build on will never come: refuse them too.
                let changes = new_changes(&mut self.doc, &chunks);
                Ok(self.refuse(from, user, changes, Rejection::BuildsOnRefused))
            }
            Err((_, Rejection::MissingDependencies(missing))) if held.len() + raw.len() < MAX_HELD_CHUNKS => {
                // Keep the bytes and ask for what they build on.
                let bytes = chunks.iter().map(|c| c.to_vec()).collect();
                let peer = self.peers.entry(from).or_default();
                peer.held = bytes;
                self.doc.sync().receive_sync_message(&mut peer.state, message)?;
                let generated = self.doc.sync().generate_sync_message(&mut peer.state);
                let mut reply = generated.unwrap_or_else(|| plain_message(self.doc.get_heads(), vec![], vec![]));
                reply.need.extend(missing);
                // The encoding wants them sorted, once each.
                reply.need.sort();
                reply.need.dedup();
                Ok(vec![Effect::Send { to: from, message: reply }])
            }
            Err((_, why)) => {
                let changes = new_changes(&mut self.doc, &chunks);
                Ok(self.refuse(from, user, changes, why))
            }
        }
    }

    /// Refuses `changes` and starts the exchange with `to` over: our client
    /// rolls the refused changes back; another keeps them, and the screen
    /// hides them.
    fn refuse(&mut self, to: ConnId, user: &User, changes: Vec<Change>, why: Rejection) -> Vec<Effect> {
        let mut effects = vec![Effect::Refuse { to, changes, why }];
        self.peers.insert(to, Peer::default());
        if self.readable_by(user) {
            effects.extend(self.offer(to));
        }
        effects
    }

    /// Gives a new case its number, as the server's own change under `actor`.
    pub fn number(&mut self, accepted: &mut Acceptance, number: &str, actor: ActorId) -> Result<(), DomainError> {
        self.doc.set_actor(actor);
        let before = self.doc.get_heads();
        crate::doc::set_number(&mut self.doc, number)?;
        self.took_own_change(accepted, &before);
        accepted.case.number = Some(number.to_string());
        Ok(())
    }

    /// Flags the implausible device times among the events `accepted` adds
    /// (see [`crate::device_time`]), as the server's own change under
    /// `actor`, before anyone sees them.
    pub fn flag_times(
        &mut self,
        accepted: &mut Acceptance,
        receipt: Receipt,
        tolerance_ms: i64,
        actor: ActorId,
    ) -> Result<(), DomainError> {
        let known = self.case.as_ref().map(|(case, _)| &case.events);
        let added = accepted.case.events.values().filter(|e| known.is_none_or(|k| !k.contains_key(&e.id)));
        let flags = receipt.flags(added, tolerance_ms);
        if flags.is_empty() {
            return Ok(());
        }
        self.doc.set_actor(actor);
        let before = self.doc.get_heads();
        crate::doc::flag_times(&mut self.doc, &flags)?;
        self.took_own_change(accepted, &before);
        accepted.case.time_flags.extend(flags);
        crate::device_time::settle(&mut accepted.case);
        Ok(())
    }

    /// Adds the server's change just made (if the heads moved from
    /// `before`) to what is accepted.
    fn took_own_change(&mut self, accepted: &mut Acceptance, before: &[ChangeHash]) {
        if self.doc.get_heads() == before {
            return;
        }
        if let Some(change) = self.doc.get_last_local_change() {
            accepted.hashes.push(change.hash());
            accepted.changes.push(change.raw_bytes().to_vec());
        }
    }

    /// `accepted` is durable: the case, whose derived `state` the driver
    /// computed for the store already, may now be shown to anyone.
    pub fn stored(&mut self, accepted: Box<Acceptance>, state: CaseState) -> Vec<Effect> {
        let Acceptance { from, case, .. } = *accepted;
        self.case = Some((case, state));
        let mut effects = self.offer(from);
        effects.push(Effect::Relay { except: from });
        effects
    }

    /// Starts `conn`'s exchange afresh (when its message could not be
    /// handled): the client sends its changes again when it sees they are
    /// not here.
    pub fn restart(&mut self, conn: ConnId, user: &User) -> Vec<Effect> {
        if !self.readable_by(user) {
            return vec![];
        }
        self.open(conn, SyncState::new());
        self.offer(conn)
    }
}

fn hashes(changes: &[Change]) -> Vec<ChangeHash> {
    changes.iter().map(Change::hash).collect()
}
