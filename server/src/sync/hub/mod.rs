//! The hub: every open sync connection and every document in memory. It
//! answers each incoming sync message for a document under that document's
//! lock: check the changes (domain), persist them, acknowledge, relay to
//! every other connection whose user may read the case.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::Duration;

use crate::policy::Policies;
use crate::roster::Officials;
use automerge::sync::State as SyncState;
use automerge::{Change, ChangeHash};
use domain::permission::User;
use domain::sync::wire::{Message, PROTOCOL_VERSION};
use domain::sync::{MAX_REFUSED_PER_CONNECTION, RefusedChanges};
use tokio::sync::Mutex as AsyncMutex;
use tokio::sync::mpsc::UnboundedSender;

use super::SERVER_PEER;
use super::committer::Committer;
use super::limits::{Exceeded, SyncLimits};
use super::live::{ConnId, LiveDoc};
use super::numberer::Numberer;
use crate::store::{Store, heads_text};
use crate::{Clock, ServerError};

mod accept;
mod contact;
mod deliver;
mod exchange;

/// A document nobody has touched for this long leaves memory.
const IDLE: Duration = Duration::from_secs(60);
/// How often one message is checked again after other server instances
/// changed its case in between, before the client is asked to send again.
const STALE_RETRIES: usize = 20;

/// No connection (connection ids start at 1): news from another instance
/// is relayed to every reader here.
const NOBODY: ConnId = 0;

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
    /// When the socket opened, and the device's last contact before it
    /// (if the device ever joined before): where plausible times of its
    /// work begin (see `Receipt::of`).
    opened_ms: i64,
    previous_contact_ms: Option<i64>,
    /// Per document, the heads the device announced in its first message
    /// after joining (see `contact.rs`).
    announced: HashMap<String, Vec<ChangeHash>>,
    /// When the server last heard from the socket, recorded for the device
    /// when it closes.
    heard_ms: AtomicI64,
    outbox: UnboundedSender<Vec<u8>>,
    /// Changes refused on this socket, per document: kept here rather than
    /// with the document, so they outlive its eviction from memory.
    refused: HashMap<String, RefusedChanges>,
}

type Shared = Arc<AsyncMutex<LiveDoc>>;

const SESSION_EXPIRED: &str = "登录已过期,请重新登录 / your session has expired: sign in again";

/// Who opened a socket, under which session, from where.
pub struct Opened {
    pub user: User,
    /// The session's stored digest: signing out closes the socket.
    pub session: Option<String>,
    pub expires_ms: i64,
    pub address: Option<IpAddr>,
}

/// What changes are checked against besides their sender: the policy and
/// the officials in force.
#[derive(Clone)]
pub struct InForce {
    pub policy: Arc<Policies>,
    pub officials: Arc<Officials>,
}

pub struct Hub {
    store: Arc<Store>,
    committer: Committer,
    numberer: Numberer,
    clock: Clock,
    in_force: InForce,
    limits: SyncLimits,
    conns: RwLock<HashMap<ConnId, Conn>>,
    docs: Mutex<HashMap<String, Shared>>,
    next_conn: AtomicU64,
}

impl Hub {
    /// A hub, with a background task that evicts idle documents and
    /// closes sockets whose session expired.
    pub fn start(
        store: Arc<Store>,
        clock: Clock,
        in_force: InForce,
        limits: SyncLimits,
    ) -> Result<Arc<Hub>, ServerError> {
        let hub = Arc::new(Hub {
            committer: Committer::start(store.clone()),
            numberer: Numberer::start(store.clone()),
            store,
            clock,
            in_force,
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
        let now = self.clock.now_ms();
        let conn = Conn {
            user,
            address,
            expires_ms,
            session,
            peer_id: None,
            storage_key: None,
            opened_ms: now,
            previous_contact_ms: None,
            announced: HashMap::new(),
            heard_ms: AtomicI64::new(now),
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
        self.disconnect(conn);
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

    /// Puts in force the newest policy in the store (another instance's
    /// admin changed it).
    pub async fn reload_policy(&self) -> Result<(), ServerError> {
        self.in_force.policy.reload(&self.store).await
    }

    /// Reads the serving officials again (another instance added or
    /// deactivated an account).
    pub async fn reload_officials(&self) -> Result<(), ServerError> {
        self.in_force.officials.reload(&self.store).await
    }

    /// Forgets every connection opened under `session`: dropping its
    /// outbox ends the socket's writer, which closes the socket.
    pub fn end_session(&self, session: &str) {
        let Ok(mut conns) = self.conns.write() else { return };
        let ended: Vec<ConnId> =
            conns.iter().filter(|(_, c)| c.session.as_deref() == Some(session)).map(|(id, _)| *id).collect();
        let removed: Vec<Conn> = ended.iter().filter_map(|id| conns.remove(id)).collect();
        drop(conns);
        removed.into_iter().for_each(|c| self.record_contact(c));
    }

    pub fn disconnect(&self, conn: ConnId) {
        let removed = self.conns.write().ok().and_then(|mut conns| conns.remove(&conn));
        if let Some(c) = removed {
            self.record_contact(c);
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

    /// Reads one message of `conn`: `None` if there is nothing to handle
    /// (the session expired and the socket is cut off, or the bytes are no
    /// message, which the client is told).
    pub fn open(&self, conn: ConnId, bytes: &[u8]) -> Option<Message> {
        let now = self.clock.now_ms();
        let expires_ms = self.with_conn(conn, |c| {
            c.heard_ms.store(now, Ordering::Relaxed);
            Some(c.expires_ms)
        });
        if expires_ms.is_some_and(|at| at <= now) {
            self.cut_off(conn, SESSION_EXPIRED.into());
            return None;
        }
        match Message::decode(bytes) {
            Ok(message) => Some(message),
            Err(e) => {
                self.send(conn, Message::Error { message: e.to_string() });
                None
            }
        }
    }

    /// Answers one message of `conn` (see `sync::pipeline` for the order).
    pub async fn handle(&self, conn: ConnId, message: Message) -> Result<(), ServerError> {
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
        let now = self.clock.now_ms();
        let previous_contact_ms = self.contact_on_join(storage_key.as_deref(), now).await?;
        if let Ok(mut conns) = self.conns.write()
            && let Some(c) = conns.get_mut(&conn)
        {
            c.peer_id = Some(sender_id);
            c.storage_key = storage_key.clone();
            c.previous_contact_ms = previous_contact_ms;
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
            if live.doc.readable_by(&user) {
                live.doc.open(conn, known.unwrap_or_default());
                let offer = live.doc.offer(conn);
                self.carry_out(&id, &mut live, offer).await?;
            }
        }
        Ok(())
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
