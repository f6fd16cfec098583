//! A device's side of the sync protocol, without IO: it holds the case
//! documents in memory and their exchange with the server; each input
//! returns what its driver does next — send, load, store, show a refusal.
//! The app's engine (IndexedDB, a browser WebSocket) and the tests' client
//! (a tokio WebSocket) are its drivers.

use std::collections::HashMap;

use automerge::sync::{Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::{ActorId, AutoCommit, ChangeHash};
use sha2::{Digest, Sha256};

use crate::DomainError;
use crate::contract::SERVER_PEER;
use crate::event::Event;
use crate::label::Text;
use crate::sync::wire::{Message, PROTOCOL_VERSION};
use crate::sync::{DocumentId, heads_hex, plain_message, roll_back};

/// What the driver does, in the order given.
#[derive(Debug, PartialEq)]
pub enum ClientEffect {
    /// Send this message to the server.
    Send(Message),
    /// The server greeted us: offer ([`ClientPeer::offer`]) every document
    /// that changed since it was last shared.
    Joined,
    /// A message came for document `id`, which is not in memory: load it
    /// (or make a new one) and hand it over with [`ClientPeer::loaded`];
    /// the message waits till then.
    Load(String),
    /// A message from the server was taken into document `id`.
    Received {
        id: String,
        /// Its heads moved (the server sent changes).
        heads_moved: bool,
        /// What it shares with the server moved.
        shared_moved: bool,
        /// The server has everything the device has.
        in_sync: bool,
        /// It holds a whole case (not just part of one yet).
        whole: bool,
    },
    /// The server refused changes to `id`; they and what builds on them
    /// are out of the document, their events kept here to show the user.
    /// The device now writes under `actor` (the refused one's sequence
    /// numbers are burnt). If `case_refused`, the case itself was refused:
    /// the document is kept as it was, so nothing typed is lost.
    Refused { id: String, lost: Vec<Event>, reason: Text, actor: ActorId, case_refused: bool },
    /// The server will not sync `id` with us (not a party, or unknown).
    Unavailable(String),
    /// The server reports an error.
    ServerSaid(String),
}

/// A case document on the device and its exchange with the server.
struct ClientDoc {
    doc: AutoCommit,
    state: SyncState,
    /// Whether it holds a whole case (`None`: not read yet). Once whole it
    /// stays whole (the server accepts nothing that unmakes a case), so
    /// it is read only until then, and only when its heads moved.
    whole: Option<bool>,
}

pub struct ClientPeer {
    peer_id: String,
    storage_id: String,
    /// Whom new changes are made as: the user's prefix, the device's suffix.
    actor: ActorId,
    joined: bool,
    /// The server's peer id, as its `peer` message gave it: every message
    /// is addressed to it (our server is [`SERVER_PEER`]; other
    /// automerge-repo servers, samod's among them, refuse messages
    /// addressed to anyone else).
    server: String,
    /// After the greeting, until the server answers a request for a
    /// document nobody has (its answer comes after every document the
    /// server offered on joining, as a socket's messages keep their
    /// order): that request's document id. The first sync is not over
    /// before, even if every document seen so far is in sync.
    greeting: Option<String>,
    docs: HashMap<String, ClientDoc>,
    /// Messages for documents being loaded, in order of arrival.
    waiting: HashMap<String, Vec<Message>>,
}

impl ClientPeer {
    pub fn new(peer_id: String, storage_id: String, actor: ActorId) -> ClientPeer {
        ClientPeer {
            peer_id,
            storage_id,
            actor,
            joined: false,
            server: SERVER_PEER.into(),
            greeting: None,
            docs: HashMap::new(),
            waiting: HashMap::new(),
        }
    }

    pub fn actor(&self) -> &ActorId {
        &self.actor
    }

    /// Whether the server greeted us on the current connection.
    pub fn joined(&self) -> bool {
        self.joined
    }

    /// The socket opened: introduce ourselves.
    pub fn connected(&mut self) -> Message {
        self.joined = false;
        Message::Join {
            sender_id: self.peer_id.clone(),
            storage_id: Some(self.storage_id.clone()),
            protocol_versions: vec![PROTOCOL_VERSION.into()],
        }
    }

    /// The server's peer id (known once it answered the greeting).
    pub fn server(&self) -> &str {
        &self.server
    }

    /// The socket closed: what was waiting for a load is answered anew on
    /// the next connection.
    pub fn disconnected(&mut self) {
        self.joined = false;
        self.greeting = None;
        self.waiting.clear();
    }

    /// Puts a document in memory (created or loaded by the driver), written
    /// under the device's actor from now on.
    pub fn insert(&mut self, id: &str, doc: AutoCommit, state: SyncState) {
        let doc = doc.with_actor(self.actor.clone());
        self.docs.insert(id.to_string(), ClientDoc { doc, state, whole: None });
    }

    /// As [`insert`](Self::insert), a document known to hold a whole case
    /// (the device made it from one): never read to find out, which on a
    /// reconnect with a thousand cases filed offline cost a whole read each.
    pub fn insert_case(&mut self, id: &str, doc: AutoCommit, state: SyncState) {
        let doc = doc.with_actor(self.actor.clone());
        self.docs.insert(id.to_string(), ClientDoc { doc, state, whole: Some(true) });
    }

    /// The document asked for by [`ClientEffect::Load`], and the messages
    /// that waited for it, taken in.
    pub fn loaded(&mut self, id: &str, doc: AutoCommit, state: SyncState) -> Result<Vec<ClientEffect>, DomainError> {
        if !self.docs.contains_key(id) {
            self.insert(id, doc, state);
        }
        let mut effects = Vec::new();
        for message in self.waiting.remove(id).unwrap_or_default() {
            effects.extend(self.receive(message)?);
        }
        Ok(effects)
    }

    /// Drops a document from memory (one the driver could not store): the
    /// next message about it asks the driver to load it again as stored.
    pub fn forget(&mut self, id: &str) {
        self.docs.remove(id);
    }

    pub fn has(&self, id: &str) -> bool {
        self.docs.contains_key(id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.docs.keys()
    }

    pub fn doc(&self, id: &str) -> Option<&AutoCommit> {
        self.docs.get(id).map(|d| &d.doc)
    }

    /// The document, to record on; [`ClientPeer::offer`] sends the news.
    pub fn doc_mut(&mut self, id: &str) -> Option<&mut AutoCommit> {
        self.docs.get_mut(id).map(|d| {
            if d.whole == Some(false) {
                d.whole = None;
            }
            &mut d.doc
        })
    }

    pub fn state(&self, id: &str) -> Option<&SyncState> {
        self.docs.get(id).map(|d| &d.state)
    }

    /// Whether the server lacks something of `id` or has not yet said so.
    pub fn in_sync(&mut self, id: &str) -> bool {
        self.docs.get_mut(id).is_some_and(ClientDoc::in_sync)
    }

    /// Whether `id` holds changes the server and the device have not
    /// shared yet (as of the last exchange).
    pub fn unshared(&mut self, id: &str) -> bool {
        self.docs.get_mut(id).is_some_and(|d| heads_hex(&d.doc.get_heads()) != heads_hex(&d.state.shared_heads))
    }

    /// Whether the server is still offering what it had when we joined.
    pub fn greeting(&self) -> bool {
        self.greeting.is_some()
    }

    /// Whether the server is still offering what it has since we joined,
    /// or any document's heads differ from the server's last word.
    pub fn exchanging(&mut self) -> bool {
        self.greeting.is_some() || self.docs.values_mut().any(|d| d.state.their_heads.is_some() && !d.in_sync())
    }

    /// What the server lacks of `id`, if joined and there is anything.
    pub fn offer(&mut self, id: &str) -> Vec<ClientEffect> {
        if !self.joined {
            return vec![];
        }
        let Some(entry) = self.docs.get_mut(id) else { return vec![] };
        let message = entry.doc.sync().generate_sync_message(&mut entry.state);
        message.map(|message| self.sync(id, message)).into_iter().collect()
    }

    /// Every change of `id` since what was last shared, unasked: for a
    /// document the server will not sync with us any more, so that it
    /// refuses our changes explicitly instead of leaving them waiting.
    pub fn push(&mut self, id: &str) -> Vec<ClientEffect> {
        let Some(entry) = self.docs.get_mut(id) else { return vec![] };
        let since = entry.doc.save_after(&entry.state.shared_heads);
        let message = plain_message(entry.doc.get_heads(), vec![], vec![since]);
        vec![self.sync(id, message)]
    }

    /// A document id no case has: this device's own, derived from its
    /// storage id, shaped as a version-4 UUID as automerge-repo's own ids
    /// are (its servers ignore other ids rather than answer).
    fn probe_id(&self) -> String {
        let digest = Sha256::new().chain_update(b"directline probe\0").chain_update(&self.storage_id).finalize();
        let mut bytes = [0; 16];
        bytes.copy_from_slice(&digest[..16]);
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        DocumentId::from_bytes(bytes).to_string()
    }

    fn sync(&self, id: &str, message: SyncMessage) -> ClientEffect {
        ClientEffect::Send(Message::Sync {
            sender_id: self.peer_id.clone(),
            target_id: self.server.clone(),
            document_id: id.into(),
            data: message.encode(),
        })
    }

    /// One message from the server.
    pub fn receive(&mut self, message: Message) -> Result<Vec<ClientEffect>, DomainError> {
        let about = match &message {
            Message::Sync { document_id, .. } | Message::Refused { document_id, .. } => Some(document_id.clone()),
            _ => None,
        };
        if let Some(id) = about.filter(|id| !self.docs.contains_key(id)) {
            let waiting = self.waiting.entry(id.clone()).or_default();
            waiting.push(message);
            return Ok(if waiting.len() == 1 { vec![ClientEffect::Load(id)] } else { vec![] });
        }
        match message {
            Message::Peer { sender_id, .. } => {
                self.joined = true;
                self.server = sender_id;
                // A new connection starts each exchange afresh from what
                // was shared.
                for entry in self.docs.values_mut() {
                    entry.state = SyncState::decode(&entry.state.encode()).unwrap_or_default();
                }
                let probe = self.probe_id();
                let mut empty = AutoCommit::new();
                let ask = empty.sync().generate_sync_message(&mut SyncState::new()).map(|m| m.encode());
                self.greeting = Some(probe.clone());
                let request = Message::Request {
                    sender_id: self.peer_id.clone(),
                    target_id: self.server.clone(),
                    document_id: probe,
                    data: ask.unwrap_or_default(),
                };
                Ok(vec![ClientEffect::Send(request), ClientEffect::Joined])
            }
            Message::DocUnavailable { document_id, .. } if self.greeting.as_ref() == Some(&document_id) => {
                self.greeting = None;
                Ok(vec![])
            }
            Message::Sync { document_id, data, .. } => self.on_sync(&document_id, &data),
            Message::Refused { document_id, changes, reason_zh, reason_en, .. } => {
                let hashes: Vec<ChangeHash> = changes.into_iter().map(ChangeHash).collect();
                self.on_refused(&document_id, &hashes, Text::owned(reason_zh, reason_en))
            }
            Message::DocUnavailable { document_id, .. } => Ok(vec![ClientEffect::Unavailable(document_id)]),
            Message::Error { message } => Ok(vec![ClientEffect::ServerSaid(message)]),
            _ => Ok(vec![]),
        }
    }

    fn on_sync(&mut self, id: &str, data: &[u8]) -> Result<Vec<ClientEffect>, DomainError> {
        let message = SyncMessage::decode(data).map_err(|e| DomainError::BadMessage(e.to_string()))?;
        let Some(entry) = self.docs.get_mut(id) else { return Ok(vec![]) };
        let before = entry.doc.get_heads();
        let shared_before = entry.state.shared_heads.clone();
        entry.doc.sync().receive_sync_message(&mut entry.state, message)?;
        let heads_moved = entry.doc.get_heads() != before;
        let whole = match entry.whole {
            Some(true) => true,
            Some(false) if !heads_moved => false,
            _ => crate::doc::read(&entry.doc).is_ok(),
        };
        entry.whole = Some(whole);
        let mut effects = vec![ClientEffect::Received {
            id: id.to_string(),
            heads_moved,
            shared_moved: entry.state.shared_heads != shared_before,
            in_sync: entry.in_sync(),
            whole,
        }];
        effects.extend(self.offer(id));
        Ok(effects)
    }

    fn on_refused(&mut self, id: &str, hashes: &[ChangeHash], reason: Text) -> Result<Vec<ClientEffect>, DomainError> {
        let Some(entry) = self.docs.get_mut(id) else { return Ok(vec![]) };
        let (rebuilt, lost) = roll_back(&mut entry.doc, hashes)?;
        let case_refused = crate::doc::read(&rebuilt).is_err();
        if let Some(first) = hashes.first() {
            self.actor = actor_after_refusal(&self.actor, first);
        }
        let refused =
            ClientEffect::Refused { id: id.to_string(), lost, reason, actor: self.actor.clone(), case_refused };
        if case_refused {
            return Ok(vec![refused]);
        }
        self.insert(id, rebuilt, SyncState::new());
        let mut effects = vec![refused];
        effects.extend(self.offer(id));
        Ok(effects)
    }
}

impl ClientDoc {
    fn in_sync(&mut self) -> bool {
        let heads = heads_hex(&self.doc.get_heads());
        self.state.their_heads.as_ref().is_some_and(|theirs| heads_hex(theirs) == heads)
    }
}

/// The actor a device writes under once `refused` was refused: the same
/// user's prefix, a new suffix derived from the old actor and the refusal
/// (so it is new without asking the driver for randomness).
fn actor_after_refusal(actor: &ActorId, refused: &ChangeHash) -> ActorId {
    let bytes = actor.to_bytes();
    let digest =
        Sha256::new().chain_update(b"directline refused\0").chain_update(bytes).chain_update(refused.0).finalize();
    let prefix = &bytes[..bytes.len().min(8)];
    let mut next = prefix.to_vec();
    next.extend(&digest[..16 - prefix.len()]);
    ActorId::from(next)
}
