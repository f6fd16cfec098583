//! A sync client for tests and benchmarks: a device holding Automerge
//! documents, speaking the automerge-repo protocol over a real WebSocket,
//! rolling back what the server refuses (as the app does).

use std::collections::{HashSet, VecDeque};
use std::net::SocketAddr;
use std::time::Duration;

use automerge::sync::{Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::{AutoCommit, ChangeHash};
use domain::case::CaseDoc;
use domain::event::{Event, EventKind};
use domain::sync::actor_for;
use domain::sync::client::{ClientEffect, ClientPeer};
use domain::sync::wire::Message;
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message as WsMessage;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

pub struct Refusal {
    pub document_id: String,
    pub reason_zh: String,
    pub events: Vec<Event>,
}

pub struct Device {
    pub user_id: String,
    pub peer_id: String,
    pub storage_id: String,
    /// The protocol's client side, holding the documents (sans IO): this
    /// device is its driver over a tokio WebSocket, as the app's engine is
    /// over the browser's.
    peer: ClientPeer,
    pub refusals: Vec<Refusal>,
    /// Whether a refused change is rolled back, as the app does; a stock
    /// automerge-repo client cannot, and keeps it.
    pub rolls_back: bool,
    /// Messages received from the server, of any kind.
    pub messages_received: u64,
    pub unavailable: HashSet<String>,
    /// Documents that hold a whole case (noted as they arrive).
    whole: HashSet<String>,
    socket: Option<Socket>,
    pub bytes_sent: u64,
    pub bytes_received: u64,
    next_event: u64,
}

/// Signs in over HTTP; returns the session cookie (`name=value`).
pub async fn sign_in(addr: SocketAddr, login: &str) -> String {
    let body = format!(r#"{{"login":"{login}","password":"{}"}}"#, server::demo::DEMO_PASSWORD);
    let response = super::request(addr, "POST", "/api/session", &[("Content-Type", "application/json")], &body).await;
    assert_eq!(response.status, 200, "sign-in of {login}: {}", response.body);
    let set = response.header("set-cookie").expect("a session cookie");
    set.split(';').next().unwrap().to_string()
}

impl Device {
    pub fn new(user_id: &str, storage_id: &str, device: u8) -> Device {
        let peer_id = format!("peer-{storage_id}");
        let peer = ClientPeer::new(peer_id.clone(), storage_id.into(), actor_for(user_id, [device; 8]));
        Device {
            user_id: user_id.into(),
            peer_id,
            storage_id: storage_id.into(),
            peer,
            refusals: Vec::new(),
            rolls_back: true,
            messages_received: 0,
            unavailable: HashSet::new(),
            whole: HashSet::new(),
            socket: None,
            bytes_sent: 0,
            bytes_received: 0,
            next_event: 0,
        }
    }

    /// Opens the socket with `cookie`, joins, and offers every document
    /// whose heads moved since the last shared state.
    pub async fn connect(&mut self, addr: SocketAddr, cookie: &str) {
        let mut request = format!("ws://{addr}/api/sync").into_client_request().unwrap();
        request.headers_mut().insert("Cookie", cookie.parse().unwrap());
        // As browsers do: no Nagle delay on a WebSocket.
        let (socket, _) =
            tokio_tungstenite::connect_async_with_config(request, None, true).await.expect("websocket upgrade");
        self.socket = Some(socket);
        self.peer.disconnected();
        let join = self.peer.connected();
        self.send(join).await;
        let peer = self.next_message(Duration::from_secs(10)).await.expect("peer message");
        assert!(matches!(peer, Message::Peer { .. }), "expected peer, got {peer:?}");
        self.handle(peer).await;
        // Everything our server offers on joining comes before the answer
        // to the peer's greeting probe: take it all in. (A stock
        // automerge-repo server may leave the probe unanswered: then the
        // wait ends when it falls quiet.)
        while self.peer.greeting() && self.step(Duration::from_secs(2)).await {}
    }

    pub fn disconnect(&mut self) {
        self.socket = None;
    }

    pub fn is_connected(&self) -> bool {
        self.socket.is_some()
    }

    async fn send(&mut self, message: Message) {
        self.send_raw(message.encode()).await;
    }

    /// Sends `bytes` as one WebSocket message, whatever they are. A server
    /// that stops reading for 30 s fails the test rather than hanging it.
    pub async fn send_raw(&mut self, bytes: Vec<u8>) {
        self.bytes_sent += bytes.len() as u64;
        let Some(socket) = self.socket.as_mut() else { return };
        let sent = tokio::time::timeout(Duration::from_secs(30), socket.send(WsMessage::Binary(bytes.into())))
            .await
            .expect("the server read nothing for 30 s");
        if sent.is_err() {
            self.socket = None;
        }
    }

    /// Sends the server whatever it lacks of `id`, if connected.
    pub async fn offer(&mut self, id: &str) {
        let effects = self.peer.offer(id);
        self.carry_out(effects).await;
    }

    async fn send_sync(&mut self, id: &str, message: SyncMessage) {
        let sync = Message::Sync {
            sender_id: self.peer_id.clone(),
            target_id: self.peer.server().into(),
            document_id: id.into(),
            data: message.encode(),
        };
        self.send(sync).await;
    }

    /// Sends every change of `id` in one sync message, unasked (as a forged
    /// client would, skipping the protocol's exchange of heads); `split`
    /// cuts the bytes into two chunks that parse only when joined.
    pub async fn push_all(&mut self, id: &str, split: bool) {
        let doc = self.peer.doc_mut(id).expect("document on device");
        let bytes = doc.save();
        let chunks = if split {
            let (a, b) = bytes.split_at(bytes.len() / 2);
            vec![a.to_vec(), b.to_vec()]
        } else {
            vec![bytes]
        };
        let message = domain::sync::plain_message(doc.get_heads(), vec![], chunks);
        self.send_sync(id, message).await;
    }

    /// Sends only the last change made here, without the ones it builds
    /// on (as the sync protocol does when its Bloom filter errs).
    pub async fn push_last(&mut self, id: &str) {
        let doc = self.peer.doc_mut(id).expect("document on device");
        let last = doc.get_last_local_change().expect("a local change");
        let message = domain::sync::plain_message(doc.get_heads(), vec![], vec![last.raw_bytes().to_vec()]);
        self.send_sync(id, message).await;
    }

    /// Asks for a document by id (as an automerge-repo peer would).
    pub async fn request(&mut self, id: &str) {
        let mut empty = AutoCommit::new();
        let message = empty.sync().generate_sync_message(&mut SyncState::new()).unwrap();
        let request = Message::Request {
            sender_id: self.peer_id.clone(),
            target_id: self.peer.server().into(),
            document_id: id.into(),
            data: message.encode(),
        };
        self.send(request).await;
    }

    /// The next message from the server, unhandled; `None` if none came
    /// within `wait` or the socket closed.
    pub async fn next_message(&mut self, wait: Duration) -> Option<Message> {
        let socket = self.socket.as_mut()?;
        loop {
            match tokio::time::timeout(wait, socket.next()).await {
                Ok(Some(Ok(WsMessage::Binary(bytes)))) => {
                    self.bytes_received += bytes.len() as u64;
                    self.messages_received += 1;
                    return Some(Message::decode(&bytes).unwrap());
                }
                Ok(Some(Ok(_))) => continue,
                Ok(Some(Err(_))) | Ok(None) => {
                    self.socket = None;
                    return None;
                }
                Err(_) => return None,
            }
        }
    }

    /// Handles one incoming message; false if none came within `wait`.
    pub async fn step(&mut self, wait: Duration) -> bool {
        let Some(message) = self.next_message(wait).await else { return false };
        self.handle(message).await;
        true
    }

    /// Every message the server sent this socket before it answered a
    /// probe sent now, unhandled; `None` if the socket closed or no answer
    /// came within `wait`. A socket has one ordered outbox on the server,
    /// so whatever was on its way here has arrived once the probe's answer
    /// has: "never arrives" is shown by this, not by waiting a while.
    pub async fn until_probe_answered(&mut self, wait: Duration) -> Option<Vec<Message>> {
        self.next_event += 1;
        let mut probe = [0xfe; 16];
        probe[..8].copy_from_slice(&self.next_event.to_be_bytes());
        let probe = domain::sync::DocumentId::from_bytes(probe).to_string();
        self.request(&probe).await;
        let mut before = Vec::new();
        loop {
            match self.next_message(wait).await? {
                Message::DocUnavailable { document_id, .. } if document_id == probe => return Some(before),
                other => before.push(other),
            }
        }
    }

    /// Handles everything the server sent before answering a probe sent
    /// now (see [`Device::until_probe_answered`]); false if the socket
    /// closed or the answer did not come.
    pub async fn settle(&mut self, wait: Duration) -> bool {
        let Some(messages) = self.until_probe_answered(wait).await else { return false };
        for message in messages {
            self.handle(message).await;
        }
        true
    }

    /// Takes in one message from the server, and answers it.
    pub async fn handle(&mut self, message: Message) {
        match message {
            Message::Refused { document_id, reason_zh, .. } if !self.rolls_back => {
                self.refusals.push(Refusal { document_id, reason_zh, events: vec![] });
            }
            message => {
                let effects = self.peer.receive(message).expect("a message the device understands");
                self.carry_out(effects).await;
            }
        }
    }

    /// Does what the peer says, as the app's engine does (minus storage).
    async fn carry_out(&mut self, effects: Vec<ClientEffect>) {
        let mut effects = VecDeque::from(effects);
        while let Some(effect) = effects.pop_front() {
            match effect {
                ClientEffect::Send(message) => self.send(message).await,
                ClientEffect::Joined => {
                    let ids: Vec<String> = self.peer.ids().cloned().collect();
                    for id in ids {
                        if self.peer.unshared(&id) {
                            effects.extend(self.peer.offer(&id));
                        }
                    }
                }
                ClientEffect::Load(id) => {
                    effects.extend(self.peer.loaded(&id, AutoCommit::new(), SyncState::new()).expect("loaded"));
                }
                ClientEffect::Received { id, whole, .. } => {
                    if whole {
                        self.whole.insert(id);
                    }
                }
                ClientEffect::Refused { id, lost, reason, .. } => {
                    self.refusals.push(Refusal { document_id: id, reason_zh: reason.zh, events: lost });
                }
                ClientEffect::Unavailable(id) => {
                    self.unavailable.insert(id);
                }
                ClientEffect::ServerSaid(what) => panic!("the server says: {what}"),
            }
        }
    }

    /// Handles messages until `done` holds; false if the server went quiet
    /// for `quiet` first.
    pub async fn pump_until(&mut self, quiet: Duration, done: impl Fn(&mut Device) -> bool) -> bool {
        while !done(self) {
            if !self.step(quiet).await {
                return done(self);
            }
        }
        true
    }

    /// How many documents on the device hold a whole case.
    pub fn whole_cases(&self) -> usize {
        self.whole.len()
    }

    pub fn case(&self, id: &str) -> Option<CaseDoc> {
        self.peer.doc(id).and_then(|d| domain::doc::read(d).ok())
    }

    /// Records an event on `id` locally, without offering it.
    pub fn record_quietly(&mut self, id: &str, at_ms: i64, kind: EventKind) -> String {
        self.next_event += 1;
        let event_id = format!("{}-{}", self.storage_id, self.next_event);
        let doc = self.peer.doc_mut(id).expect("document on device");
        domain::doc::record(doc, event_id.clone(), &self.user_id, at_ms, kind).unwrap();
        event_id
    }

    /// Records an event on `id` locally (offline-first) and offers it.
    pub async fn record(&mut self, id: &str, at_ms: i64, kind: EventKind) -> String {
        let event_id = self.record_quietly(id, at_ms, kind);
        self.offer(id).await;
        event_id
    }

    /// Creates a case on the device and offers it.
    pub async fn create(&mut self, case: &CaseDoc) {
        let doc = domain::doc::create(case, self.peer.actor().clone()).unwrap();
        self.peer.insert_case(&case.id, doc, SyncState::new());
        self.whole.insert(case.id.clone());
        self.offer(&case.id).await;
    }

    /// Whether the server has acknowledged everything of `id`.
    pub fn in_sync(&mut self, id: &str) -> bool {
        self.peer.in_sync(id)
    }

    /// The documents on the device.
    pub fn ids(&self) -> impl Iterator<Item = &String> {
        self.peer.ids()
    }

    pub fn doc(&self, id: &str) -> Option<&AutoCommit> {
        self.peer.doc(id)
    }

    pub fn doc_mut(&mut self, id: &str) -> Option<&mut AutoCommit> {
        self.peer.doc_mut(id)
    }

    /// Puts a copy of a document on the device (as if it had synced it).
    pub fn insert_doc(&mut self, id: &str, doc: AutoCommit) {
        self.peer.insert(id, doc, SyncState::new());
    }

    /// Changes of `id` the server has acknowledged (ancestors of its heads).
    pub fn acknowledged(&self, id: &str) -> HashSet<ChangeHash> {
        let (Some(doc), Some(state)) = (self.peer.doc(id), self.peer.state(id)) else { return HashSet::new() };
        let mut doc = doc.clone();
        let theirs = state.their_heads.clone().unwrap_or_default();
        let missing: HashSet<ChangeHash> = doc.get_changes(&theirs).iter().map(|c| c.hash()).collect();
        doc.get_changes(&[]).iter().map(|c| c.hash()).filter(|h| !missing.contains(h)).collect()
    }
}
