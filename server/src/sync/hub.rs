//! The hub: every open sync connection and every document in memory. It
//! answers each incoming sync message for a document under that document's
//! lock: check the changes (domain), persist them, acknowledge, relay to
//! every other connection whose user may read the case.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{Duration, Instant};

use automerge::sync::{ChunkList, Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::{Change, ChangeHash};
use domain::permission::{Denied, User, may_read};
use domain::sync::wire::{Message, PROTOCOL_VERSION};
use domain::sync::{
    Checked, DocumentId, MAX_REFUSED_PER_CONNECTION, RefusedChanges, Rejection, check_incoming, new_changes,
    plain_message,
};
use tokio::sync::Mutex as AsyncMutex;
use tokio::sync::mpsc::UnboundedSender;

use super::committer::Committer;
use super::limits::{Exceeded, SyncLimits};
use super::live::{ConnId, LiveDoc};
use super::{SERVER_PEER, server_actor};
use crate::store::{Accepted, AuditEntry, CaseRow, Store, Written, heads_text};
use crate::{Clock, ServerError};

/// Changes kept beside a snapshot before they are folded into it.
const COMPACT_AFTER: usize = 64;
/// Change chunks held per connection while waiting for their dependencies;
/// beyond this the sender is refused instead.
const MAX_HELD_CHUNKS: usize = 1_000;
/// A document nobody has touched for this long leaves memory.
const IDLE: Duration = Duration::from_secs(60);
/// How often one message is checked again after other server instances
/// changed its case in between, before the client is asked to send again.
const STALE_RETRIES: usize = 20;

/// No connection (connection ids start at 1): news from another instance
/// is relayed to every reader here.
const NOBODY: ConnId = 0;

/// How handling one sync message ended.
enum Outcome {
    Done,
    /// The case changed under us (another instance): handle it again.
    Stale,
}

struct Conn {
    user: User,
    address: Option<IpAddr>,
    /// When the session the socket was opened under expires: the socket
    /// closes then too.
    expires_ms: i64,
    /// The session the socket was opened under (its stored digest): signing
    /// out closes the socket.
    session: Option<String>,
    /// The client's peer id, known after its `join`.
    peer_id: Option<String>,
    /// `user/storageId`: where the client keeps documents, so what it has
    /// survives a reconnect (sync state is stored per device).
    storage_key: Option<String>,
    outbox: UnboundedSender<Vec<u8>>,
    /// Changes refused on this socket, per document: kept here rather than
    /// with the document, so they outlive its eviction from memory.
    refused: HashMap<String, RefusedChanges>,
}

type Shared = Arc<AsyncMutex<LiveDoc>>;

const SESSION_EXPIRED: &str = "登录已过期,请重新登录 / your session has expired: sign in again";
const TOO_MANY_REFUSED: &str = "被拒绝的变更过多 / too many of your changes were refused";

/// Who opened a socket, under which session, from where.
pub struct Opened {
    pub user: User,
    /// The session's stored digest: signing out closes the socket.
    pub session: Option<String>,
    pub expires_ms: i64,
    pub address: Option<IpAddr>,
}

pub struct Hub {
    store: Arc<Store>,
    committer: Committer,
    clock: Clock,
    limits: SyncLimits,
    conns: RwLock<HashMap<ConnId, Conn>>,
    docs: Mutex<HashMap<String, Shared>>,
    next_conn: AtomicU64,
}

impl Hub {
    /// A hub, with a background task that evicts idle documents and
    /// closes sockets whose session expired.
    pub fn start(store: Arc<Store>, clock: Clock, limits: SyncLimits) -> Result<Arc<Hub>, ServerError> {
        let hub = Arc::new(Hub {
            committer: Committer::start(store.clone()),
            store,
            clock,
            limits,
            conns: RwLock::new(HashMap::new()),
            docs: Mutex::new(HashMap::new()),
            next_conn: AtomicU64::new(1),
        });
        let weak = Arc::downgrade(&hub);
        tokio::spawn(housekeeping(weak.clone()));
        if let Some(announcements) = hub.store.announcements() {
            tokio::spawn(super::instances::follow(weak, announcements));
        }
        Ok(hub)
    }

    pub fn limits(&self) -> SyncLimits {
        self.limits
    }

    /// Registers a socket unless its user or address holds too many
    /// already (counted and registered under one lock, so concurrent
    /// upgrades cannot slip past the limit together).
    pub fn connect(&self, opened: Opened, outbox: UnboundedSender<Vec<u8>>) -> Result<ConnId, Exceeded> {
        let Opened { user, session, expires_ms, address } = opened;
        let mut conns = self.conns.write().map_err(|_| Exceeded::SocketsOfUser(0))?;
        if conns.values().filter(|c| c.user.id == user.id).count() >= self.limits.sockets_per_user {
            return Err(Exceeded::SocketsOfUser(self.limits.sockets_per_user));
        }
        let of_address = conns.values().filter(|c| address.is_some() && c.address == address).count();
        if of_address >= self.limits.sockets_per_address {
            return Err(Exceeded::SocketsOfAddress(self.limits.sockets_per_address));
        }
        let id = self.next_conn.fetch_add(1, Ordering::Relaxed);
        let conn = Conn {
            user,
            address,
            expires_ms,
            session,
            peer_id: None,
            storage_key: None,
            outbox,
            refused: HashMap::new(),
        };
        conns.insert(id, conn);
        Ok(id)
    }

    /// Whether the socket is still served (not cut off, signed out or
    /// expired).
    pub fn is_open(&self, conn: ConnId) -> bool {
        self.with_conn(conn, |_| Some(())).is_some()
    }

    /// Tells the client why, then forgets the connection, which closes
    /// its socket.
    pub fn cut_off(&self, conn: ConnId, why: String) {
        self.send(conn, Message::Error { message: why });
        if let Ok(mut conns) = self.conns.write() {
            conns.remove(&conn);
        }
    }

    /// Closes every socket whose session has expired.
    pub fn close_expired(&self) {
        let now = self.clock.now_ms();
        let expired: Vec<ConnId> = match self.conns.read() {
            Ok(conns) => conns.iter().filter(|(_, c)| c.expires_ms <= now).map(|(id, _)| *id).collect(),
            Err(_) => return,
        };
        for conn in expired {
            self.cut_off(conn, SESSION_EXPIRED.into());
        }
    }

    /// Forgets every connection opened under `session`: dropping its
    /// outbox ends the socket's writer, which closes the socket.
    pub fn end_session(&self, session: &str) {
        if let Ok(mut conns) = self.conns.write() {
            conns.retain(|_, c| c.session.as_deref() != Some(session));
        }
    }

    pub fn disconnect(&self, conn: ConnId) {
        if let Ok(mut conns) = self.conns.write() {
            conns.remove(&conn);
        }
    }

    /// Documents in memory (for tests and health).
    pub fn live_documents(&self) -> usize {
        self.docs.lock().map(|d| d.len()).unwrap_or_default()
    }

    pub(super) fn live_ids(&self) -> Vec<String> {
        self.docs.lock().map(|d| d.keys().cloned().collect()).unwrap_or_default()
    }

    pub(super) fn is_live(&self, id: &str) -> bool {
        self.docs.lock().is_ok_and(|d| d.contains_key(id))
    }

    /// Whether any client has joined here.
    pub(super) fn has_clients(&self) -> bool {
        self.conns.read().is_ok_and(|c| c.values().any(|c| c.peer_id.is_some()))
    }

    /// Merges what the store has of case `id` (another instance stored
    /// it) into the copy in memory, then offers it to every reader here.
    pub(super) async fn catch_up(&self, id: &str) -> Result<(), ServerError> {
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

    pub async fn receive(&self, conn: ConnId, bytes: &[u8]) -> Result<(), ServerError> {
        if self.with_conn(conn, |c| Some(c.expires_ms)).is_some_and(|at| at <= self.clock.now_ms()) {
            self.cut_off(conn, SESSION_EXPIRED.into());
            return Ok(());
        }
        let message = match Message::decode(bytes) {
            Ok(message) => message,
            Err(e) => {
                self.send(conn, Message::Error { message: e.to_string() });
                return Ok(());
            }
        };
        match message {
            Message::Join { sender_id, storage_id, protocol_versions } => {
                if !protocol_versions.iter().any(|v| v == PROTOCOL_VERSION) {
                    self.send(conn, Message::Error { message: "unsupported protocol version".into() });
                    return Ok(());
                }
                self.join(conn, sender_id, storage_id).await
            }
            Message::Sync { document_id, data, .. } => self.sync(conn, &document_id, &data, false).await,
            Message::Request { document_id, data, .. } => self.sync(conn, &document_id, &data, true).await,
            _ => Ok(()),
        }
    }

    /// Greets the client, then offers every readable document it does not
    /// have as of its last visit.
    async fn join(&self, conn: ConnId, sender_id: String, storage_id: Option<String>) -> Result<(), ServerError> {
        let Some(user) = self.user_of(conn) else { return Ok(()) };
        let storage_key = storage_id.map(|s| format!("{}/{s}", user.id));
        if let Ok(mut conns) = self.conns.write()
            && let Some(c) = conns.get_mut(&conn)
        {
            c.peer_id = Some(sender_id);
            c.storage_key = storage_key.clone();
        }
        let target_id = self.peer_of(conn).unwrap_or_default();
        self.send(
            conn,
            Message::Peer { sender_id: SERVER_PEER.into(), target_id, storage_id: Some(SERVER_PEER.into()) },
        );
        let cases = self.store.readable_cases(&user).await?;
        let states = match &storage_key {
            Some(key) => self.store.sync_states_of(key).await?,
            None => HashMap::new(),
        };
        for (id, heads) in cases {
            let known = states.get(&id).and_then(|bytes| SyncState::decode(bytes).ok());
            if known.as_ref().is_some_and(|s| heads_text(&s.shared_heads) == heads) {
                continue;
            }
            let shared = self.live(&id).await?;
            let mut live = shared.lock().await;
            if live.readable_by(&user) {
                live.peers.insert(conn, known.unwrap_or_default());
                self.offer(conn, &id, &mut live);
            }
        }
        Ok(())
    }

    /// One sync message for document `id`. A `request` is for a document
    /// the client lacks; a `sync` for a document the server lacks is a case
    /// being created, so the exchange starts and the check decides.
    async fn sync(&self, conn: ConnId, id: &str, data: &[u8], request: bool) -> Result<(), ServerError> {
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
            if refused.all_refused(&hashes(&new_changes(&mut live.doc, &chunks))) {
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

    /// Applies checked changes, makes them durable, then acknowledges and
    /// relays. A new case gets its number here, before anyone sees it.
    /// `before` is the case's heads the changes were checked against.
    /// Unless they are stored, the caller poisons `live`.
    async fn accept(
        &self,
        conn: ConnId,
        id: &str,
        live: &mut LiveDoc,
        before: &str,
        message: SyncMessage,
        checked: Checked,
    ) -> Result<Written, ServerError> {
        self.peer_state(conn, id, live).await?;
        let mut hashes: Vec<ChangeHash> = checked.changes.iter().map(|c| c.hash()).collect();
        // The message now carries exactly the checked changes (the sync
        // protocol's bookkeeping needs them to arrive in the message).
        let mut message = message;
        message.changes = checked.changes.iter().map(|c| c.raw_bytes().to_vec()).collect::<Vec<_>>().into();
        let Some(state) = live.peers.get_mut(&conn) else { return Ok(Written::Stale) };
        live.doc.sync().receive_sync_message(state, message)?;
        let peer_state = state.encode();
        let mut case = checked.case;
        if checked.created {
            let year = domain::time::Day::of_instant(self.clock.now_ms()).year();
            let store = self.store.clone();
            let number = store.next_case_number(year).await?;
            live.doc.set_actor(server_actor());
            domain::doc::set_number(&mut live.doc, &number)?;
            hashes.extend(live.doc.get_heads());
            case.number = Some(number);
        }
        let changes: Vec<Vec<u8>> =
            hashes.iter().filter_map(|h| live.doc.get_change_by_hash(h)).map(|c| c.raw_bytes().to_vec()).collect();
        // Who did what: the events these changes added.
        let known = live.case.as_ref().map(|(c, _)| &c.events);
        let added: Vec<String> = case
            .events
            .values()
            .filter(|e| known.is_none_or(|k| !k.contains_key(&e.id)))
            .map(|e| format!("{} {}", e.kind.name(), e.id))
            .collect();
        let action = if checked.created { "create" } else { "change" };
        let user = self.user_of(conn).map(|u| u.id).unwrap_or_default();
        let audit = AuditEntry::new(self.clock.now_ms(), &user, action, Some(id), added.join(", "));
        let state = case.state();
        let row = CaseRow::of(&case, &state, &live.doc.get_heads());
        let blobs = attachments(&case);
        let uncompacted = live.uncompacted + changes.len();
        let snapshot = (uncompacted >= COMPACT_AFTER).then(|| live.doc.save());
        let accepted = Accepted {
            row,
            before: before.to_string(),
            changes,
            snapshot,
            peer_state: self.storage_key_of(conn).map(|key| (key, peer_state)),
            audit,
            blobs,
        };
        let written = self.committer.commit(accepted).await?;
        if written == Written::Stale {
            return Ok(written);
        }
        // On disk: now the case may be shown to anyone.
        live.case = Some((case, state));
        live.uncompacted = if uncompacted >= COMPACT_AFTER { 0 } else { uncompacted };
        self.offer(conn, id, live);
        self.relay(id, live, conn);
        Ok(Written::Stored)
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
        tracing::info!(case = id, user = %user.id, reason = %why.en(), "change refused");
        let (store, case, author, at, reason) =
            (self.store.clone(), id.to_string(), user.id.clone(), self.clock.now_ms(), why.en());
        store.record_refusal(&case, &author, at, &reason).await?;
        let target_id = self.peer_of(conn).unwrap_or_default();
        self.send(
            conn,
            Message::Refused {
                sender_id: SERVER_PEER.into(),
                target_id,
                document_id: id.into(),
                changes: changes.iter().map(|c| c.hash().0).collect(),
                reason_zh: why.zh(),
                reason_en: why.en(),
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

    /// Sends `conn` whatever it lacks of the document, if anything.
    fn offer(&self, conn: ConnId, id: &str, live: &mut LiveDoc) {
        let Some(state) = live.peers.get_mut(&conn) else { return };
        if let Some(message) = live.doc.sync().generate_sync_message(state) {
            self.send_sync(conn, id, message);
        }
    }

    fn send_sync(&self, conn: ConnId, id: &str, message: SyncMessage) {
        let target_id = self.peer_of(conn).unwrap_or_default();
        self.send(
            conn,
            Message::Sync { sender_id: SERVER_PEER.into(), target_id, document_id: id.into(), data: message.encode() },
        );
    }

    /// Offers the new state to every other connection that may read it.
    fn relay(&self, id: &str, live: &mut LiveDoc, except: ConnId) {
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
    async fn peer_state<'a>(
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

    fn save_peer_state(&self, conn: ConnId, id: &str, state: Vec<u8>) -> Result<(), ServerError> {
        let Some(key) = self.storage_key_of(conn) else { return Ok(()) };
        self.committer.remember(key, id.to_string(), state)
    }

    /// The document in memory, loading it (or an empty one) if needed.
    async fn live(&self, id: &str) -> Result<Shared, ServerError> {
        if let Some(shared) = self.docs.lock().map_err(|_| ServerError::Poisoned)?.get(id) {
            return Ok(shared.clone());
        }
        let (store, key) = (self.store.clone(), id.to_string());
        let loaded = LiveDoc::load(&store, &key).await?;
        let mut docs = self.docs.lock().map_err(|_| ServerError::Poisoned)?;
        // Another task may have loaded it meanwhile; theirs wins.
        Ok(docs.entry(id.to_string()).or_insert_with(|| Arc::new(AsyncMutex::new(loaded))).clone())
    }

    fn send(&self, conn: ConnId, message: Message) {
        if let Ok(conns) = self.conns.read()
            && let Some(c) = conns.get(&conn)
        {
            // A closed outbox means the socket is gone; nothing to do.
            let _ = c.outbox.send(message.encode());
        }
    }

    fn send_unavailable(&self, conn: ConnId, id: &str) {
        let target_id = self.peer_of(conn).unwrap_or_default();
        self.send(conn, Message::DocUnavailable { sender_id: SERVER_PEER.into(), target_id, document_id: id.into() });
    }

    /// What was refused of document `id` on `conn`, if anything.
    fn refused_on(&self, conn: ConnId, id: &str) -> Option<RefusedChanges> {
        self.with_conn(conn, |c| c.refused.get(id).cloned())
    }

    /// Remembers refused `changes`; false once the socket has had more
    /// refused than anyone honest ever has.
    fn remember_refused(&self, conn: ConnId, id: &str, changes: &[Change]) -> bool {
        let Ok(mut conns) = self.conns.write() else { return false };
        let Some(c) = conns.get_mut(&conn) else { return true };
        c.refused.entry(id.to_string()).or_default().remember(changes);
        c.refused.values().map(RefusedChanges::len).sum::<usize>() <= MAX_REFUSED_PER_CONNECTION
    }

    fn with_conn<T>(&self, conn: ConnId, f: impl FnOnce(&Conn) -> Option<T>) -> Option<T> {
        self.conns.read().ok()?.get(&conn).and_then(f)
    }

    fn user_of(&self, conn: ConnId) -> Option<User> {
        self.with_conn(conn, |c| Some(c.user.clone()))
    }

    fn peer_of(&self, conn: ConnId) -> Option<String> {
        self.with_conn(conn, |c| c.peer_id.clone())
    }

    fn storage_key_of(&self, conn: ConnId) -> Option<String> {
        self.with_conn(conn, |c| c.storage_key.clone())
    }
}

fn hashes(changes: &[Change]) -> Vec<ChangeHash> {
    changes.iter().map(Change::hash).collect()
}

/// Every attachment a case names: the appeal's, added information's, and
/// resolution evidence.
fn attachments(case: &domain::case::CaseDoc) -> Vec<String> {
    use domain::event::EventKind;
    let mut shas: Vec<String> = case.appeal.attachments.iter().map(|a| a.sha256.clone()).collect();
    for event in case.events.values() {
        match &event.kind {
            EventKind::AddInfo { attachments, .. } => shas.extend(attachments.iter().cloned()),
            EventKind::Resolve { evidence, .. } => shas.extend(evidence.iter().cloned()),
            _ => {}
        }
    }
    shas
}

/// Every half minute: closes sockets whose session expired, and drops
/// documents from memory that no task holds and nobody used lately.
/// Nothing is lost: every accepted change is in the store already.
async fn housekeeping(hub: Weak<Hub>) {
    let mut tick = tokio::time::interval(IDLE / 2);
    loop {
        tick.tick().await;
        let Some(hub) = hub.upgrade() else { return };
        hub.close_expired();
        let Ok(mut docs) = hub.docs.lock() else { return };
        docs.retain(|_, shared| {
            // Held elsewhere (count > 1) or locked: in use.
            Arc::strong_count(shared) > 1
                || shared.try_lock().map(|live| live.last_used.elapsed() < IDLE).unwrap_or(true)
        });
    }
}
