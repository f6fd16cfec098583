//! The engine behind [`super::SyncHandle`]: a loop over its inbox. Every
//! write of a case document happens here, in order.
//!
//! Over 400 lines because the engine still speaks the automerge-repo
//! protocol itself; it shrinks when that moves into a sans-IO client peer in
//! `domain::sync` (step 7, not done yet — see the note).

use std::collections::HashMap;

use automerge::sync::{Message as SyncMessage, State as SyncState, SyncDoc};
use automerge::{AutoCommit, ChangeHash};
use futures_channel::mpsc::{UnboundedReceiver, UnboundedSender};
use futures_util::StreamExt;
use indexed_db_futures::database::Database;
use leptos::prelude::*;

use domain::case::CaseDoc;
use domain::contract::SERVER_PEER;
use domain::doc;
use domain::event::EventKind;
use domain::status::Status;
use domain::summary::Context;
use domain::sync::wire::{Message, PROTOCOL_VERSION};
use domain::sync::{actor_for, heads_hex, roll_back};

use super::socket::{self, Socket};
use super::{Input, SyncStatus};
use crate::api::{self, Identity};
use crate::clock;
use crate::error::AppError;
use crate::storage::{self, CaseSummary, Device, DocWrite, RefusedEvent};

const FIRST_RETRY_MS: u32 = 1_000;
const LAST_RETRY_MS: u32 = 30_000;
/// Change records kept beside a document's snapshot before a new snapshot.
const SNAPSHOT_AFTER: u32 = 32;

struct Engine {
    inbox: UnboundedSender<Input>,
    status: RwSignal<SyncStatus>,
    revision: RwSignal<u64>,
    sessions: RwSignal<Vec<String>>,
    db: Database,
    device: Device,
    identity: Option<Identity>,
    socket: Option<Socket>,
    generation: u64,
    joined: bool,
    /// The server no longer knows this device's session (expired or ended
    /// elsewhere): no reconnecting until the user signs in again.
    signed_out: bool,
    retry_ms: u32,
    summaries: HashMap<String, CaseSummary>,
    docs: HashMap<String, AutoCommit>,
    states: HashMap<String, SyncState>,
    /// Per document in memory: the heads IndexedDB holds and how many change
    /// records sit beside its snapshot (none for a document never stored).
    stored: HashMap<String, (Vec<ChangeHash>, u32)>,
}

pub async fn run(
    inbox: UnboundedSender<Input>,
    mut rx: UnboundedReceiver<Input>,
    status: RwSignal<SyncStatus>,
    revision: RwSignal<u64>,
    sessions: RwSignal<Vec<String>>,
) {
    let mut engine = match Engine::open(inbox, status, revision, sessions).await {
        Ok(engine) => engine,
        Err(e) => {
            leptos::logging::error!("sync: {}", e.message());
            return;
        }
    };
    while let Some(input) = rx.next().await {
        if let Err(e) = engine.handle(input).await {
            leptos::logging::warn!("sync: {}", e.message());
        }
        engine.update_status();
    }
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    // With no randomness the device still works; its ids are just weaker.
    let _ = getrandom::fill(&mut bytes);
    bytes
}

impl Engine {
    async fn open(
        inbox: UnboundedSender<Input>,
        status: RwSignal<SyncStatus>,
        revision: RwSignal<u64>,
        sessions: RwSignal<Vec<String>>,
    ) -> Result<Engine, AppError> {
        let db = storage::open().await?;
        let device = match storage::device(&db).await? {
            Some(device) => device,
            None => {
                let device =
                    Device { storage_id: uuid::Uuid::new_v4().to_string(), actor_suffix: random_bytes(), owner: None };
                storage::set_device(&db, &device).await?;
                device
            }
        };
        Ok(Engine {
            inbox,
            status,
            revision,
            sessions,
            db,
            device,
            identity: None,
            socket: None,
            generation: 0,
            joined: false,
            signed_out: false,
            retry_ms: FIRST_RETRY_MS,
            summaries: HashMap::new(),
            docs: HashMap::new(),
            states: HashMap::new(),
            stored: HashMap::new(),
        })
    }

    async fn handle(&mut self, input: Input) -> Result<(), AppError> {
        match input {
            Input::Identity(identity) => self.set_identity(identity.map(|who| *who)).await,
            Input::Connect => {
                self.connect();
                Ok(())
            }
            Input::NetworkDown => {
                self.disconnect();
                Ok(())
            }
            Input::Opened(generation) if self.is_current(generation) => {
                self.send(&Message::Join {
                    sender_id: self.peer_id(),
                    storage_id: Some(self.device.storage_id.clone()),
                    protocol_versions: vec![PROTOCOL_VERSION.into()],
                });
                Ok(())
            }
            Input::Received(generation, bytes) if self.is_current(generation) => self.receive(&bytes).await,
            Input::Closed(generation) if self.is_current(generation) => {
                let never_joined = !self.joined;
                self.disconnect();
                // A socket refused before it joined may be a session the
                // server no longer knows: retrying cannot help then, signing
                // in again can. Everything on the device stays.
                if never_joined && !api::known_to_server().await {
                    self.signed_out = true;
                    self.update_status();
                    return Ok(());
                }
                let wait = self.retry_ms;
                self.retry_ms = (self.retry_ms * 2).min(LAST_RETRY_MS);
                socket::after(wait, &self.inbox, Input::Connect);
                Ok(())
            }
            Input::Opened(_) | Input::Received(..) | Input::Closed(_) => Ok(()),
            Input::Record { case_id, kind, done } => {
                let result = self.record(&case_id, kind).await;
                let saved = result.is_ok();
                let _ = done.send(result);
                if saved {
                    self.offer(&case_id);
                }
                Ok(())
            }
            Input::Create { case, submit, done } => {
                let id = case.id.clone();
                let result = self.create(*case, submit).await;
                let saved = result.is_ok();
                let _ = done.send(result);
                if saved && submit {
                    self.offer(&id);
                    self.upload_pending().await?;
                }
                Ok(())
            }
        }
    }

    fn is_current(&self, generation: u64) -> bool {
        self.socket.as_ref().is_some_and(|s| s.generation == generation)
    }

    fn peer_id(&self) -> String {
        format!("app-{}", self.device.storage_id)
    }

    async fn set_identity(&mut self, identity: Option<Identity>) -> Result<(), AppError> {
        // A sign-in (or sign-out) on this device starts afresh.
        self.signed_out = false;
        let same = identity.as_ref().map(|i| &i.user.id) == self.identity.as_ref().map(|i| &i.user.id);
        if same && self.identity.is_some() {
            self.connect();
            return Ok(());
        }
        self.disconnect();
        self.docs.clear();
        self.states.clear();
        self.stored.clear();
        self.identity = identity;
        let Some(who) = self.identity.clone() else { return Ok(()) };
        // Another person's cases never stay on a device someone else signs into.
        if self.device.owner.as_ref().is_some_and(|owner| *owner != who.user.id) {
            storage::wipe_cases(&self.db).await?;
            // A new device as far as the server knows: what it last shared
            // with the old storage id is gone from here.
            self.device.storage_id = uuid::Uuid::new_v4().to_string();
            self.device.actor_suffix = random_bytes();
            self.revision.update(|r| *r += 1);
        }
        if self.device.owner.as_deref() != Some(who.user.id.as_str()) {
            self.device.owner = Some(who.user.id.clone());
            storage::set_device(&self.db, &self.device).await?;
        }
        self.summaries = storage::summaries(&self.db).await?.into_iter().map(|s| (s.id.clone(), s)).collect();
        self.publish_sessions();
        self.connect();
        Ok(())
    }

    fn connect(&mut self) {
        if self.socket.is_some() || self.identity.is_none() || self.signed_out || !socket::online() {
            return;
        }
        self.generation += 1;
        self.socket = Socket::open(self.generation, &self.inbox);
    }

    fn disconnect(&mut self) {
        self.socket = None;
        self.joined = false;
    }

    fn send(&mut self, message: &Message) {
        if let Some(socket) = &self.socket
            && !socket.send(&message.encode())
        {
            self.disconnect();
        }
    }

    fn actor(&self) -> Option<automerge::ActorId> {
        self.identity.as_ref().map(|i| actor_for(&i.user.id, self.device.actor_suffix))
    }

    /// Brings a case's document and sync state into memory.
    async fn ensure(&mut self, id: &str) -> Result<(), AppError> {
        if !self.docs.contains_key(id) {
            let mut doc = match storage::load_doc(&self.db, id).await? {
                Some((mut doc, records)) => {
                    self.stored.insert(id.to_string(), (doc.get_heads(), records));
                    doc
                }
                None => AutoCommit::new(),
            };
            if let Some(actor) = self.actor() {
                doc.set_actor(actor);
            }
            self.docs.insert(id.to_string(), doc);
        }
        if !self.states.contains_key(id) {
            let state = storage::sync_state(&self.db, id).await?.and_then(|b| SyncState::decode(&b).ok());
            self.states.insert(id.to_string(), state.unwrap_or_default());
        }
        Ok(())
    }

    /// Writes a case's document, summary and sync state in one transaction.
    async fn save(&mut self, id: &str, unsynced: bool) -> Result<(), AppError> {
        let Some(doc) = self.docs.get_mut(id) else { return Ok(()) };
        let case = doc::read(doc)?;
        let summary = CaseSummary::of(
            &case,
            Context {
                calendar: clock::calendar(),
                rules: clock::policy().rules_for(&case),
                heads: heads_hex(&doc.get_heads()),
                updated_ms: clock::now_ms(),
                unsynced,
            },
        );
        let state = self.states.get(id).map(SyncState::encode);
        // Small writes for small edits: the changes since what is stored,
        // and now and then a fresh snapshot.
        let heads = doc.get_heads();
        let write = match self.stored.get(id) {
            Some((stored_heads, records)) if *records < SNAPSHOT_AFTER => {
                DocWrite::Changes { sequence: records + 1, bytes: doc.save_after(stored_heads) }
            }
            _ => DocWrite::Snapshot(doc.save()),
        };
        let records = match &write {
            DocWrite::Changes { sequence, .. } => *sequence,
            DocWrite::Snapshot(_) => 0,
        };
        storage::save_case(&self.db, &summary, write, state).await?;
        self.stored.insert(id.to_string(), (heads, records));
        let new_session = summary.session.as_ref().is_some_and(|s| !self.sessions.with_untracked(|l| l.contains(s)));
        self.summaries.insert(id.to_string(), summary);
        if new_session {
            self.publish_sessions();
        }
        self.revision.update(|r| *r += 1);
        Ok(())
    }

    /// The sessions the cases on the device are on, for pages that list
    /// sessions or offer them (a special session is known from its cases).
    fn publish_sessions(&self) {
        let mut ids: Vec<String> = self.summaries.values().filter_map(|s| s.session.clone()).collect();
        ids.sort_unstable();
        ids.dedup();
        if self.sessions.with_untracked(|known| *known != ids) {
            self.sessions.set(ids);
        }
    }

    async fn record(&mut self, id: &str, kind: EventKind) -> Result<(), AppError> {
        let author = self.identity.as_ref().map(|i| i.user.id.clone()).ok_or(AppError::SignedOut)?;
        self.ensure(id).await?;
        let doc = self.docs.get_mut(id).ok_or(AppError::SignedOut)?;
        doc::record(doc, uuid::Uuid::new_v4().to_string(), &author, clock::now_ms(), kind)?;
        self.save(id, true).await
    }

    async fn create(&mut self, case: CaseDoc, submit: bool) -> Result<(), AppError> {
        let author = self.identity.as_ref().map(|i| i.user.id.clone()).ok_or(AppError::SignedOut)?;
        let actor = self.actor().ok_or(AppError::SignedOut)?;
        let mut document = doc::create(&case, actor)?;
        if submit {
            doc::record(&mut document, uuid::Uuid::new_v4().to_string(), &author, clock::now_ms(), EventKind::Submit)?;
        }
        self.docs.insert(case.id.clone(), document);
        self.states.insert(case.id.clone(), SyncState::new());
        self.save(&case.id, true).await
    }

    /// Sends the server what it lacks of `id`, if connected. Drafts stay
    /// on the device until submitted.
    fn offer(&mut self, id: &str) {
        if !self.joined || self.summaries.get(id).is_some_and(|s| s.status == Status::Draft) {
            return;
        }
        let (Some(doc), Some(state)) = (self.docs.get_mut(id), self.states.get_mut(id)) else { return };
        let message = doc.sync().generate_sync_message(state);
        if let Some(message) = message {
            self.send_sync(id, message);
        }
    }

    fn send_sync(&mut self, id: &str, message: SyncMessage) {
        let sync = Message::Sync {
            sender_id: self.peer_id(),
            target_id: SERVER_PEER.into(),
            document_id: id.into(),
            data: message.encode(),
        };
        self.send(&sync);
    }

    /// The server will not sync `id` with this user (any more: say the case
    /// went to another department). Changes made here are sent anyway, so
    /// the server can refuse them explicitly and they are flagged, not
    /// left waiting forever.
    fn push_unsynced(&mut self, id: &str) {
        if !self.summaries.get(id).is_some_and(|s| s.unsynced) {
            return;
        }
        let (Some(doc), Some(state)) = (self.docs.get_mut(id), self.states.get_mut(id)) else { return };
        let message = domain::sync::plain_message(doc.get_heads(), vec![], vec![doc.save_after(&state.shared_heads)]);
        self.send_sync(id, message);
    }

    /// Uploads attachments captured on the device, once connected. One
    /// that fails stays queued for the next connection.
    async fn upload_pending(&mut self) -> Result<(), AppError> {
        if !self.joined {
            return Ok(());
        }
        for (sha256, mime) in storage::pending_uploads(&self.db).await? {
            let Some(bytes) = storage::blob(&self.db, &sha256).await? else { continue };
            if crate::api::upload(&sha256, &mime, &bytes).await.is_ok() {
                storage::uploaded(&self.db, &sha256).await?;
            }
        }
        Ok(())
    }

    /// After the server's greeting: offers every case that changed since
    /// the last shared state.
    async fn offer_changed(&mut self) -> Result<(), AppError> {
        let ids: Vec<String> = self.summaries.keys().cloned().collect();
        for id in ids {
            // A new connection starts each exchange afresh from what was shared.
            if let Some(state) = self.states.get_mut(&id) {
                *state = SyncState::decode(&state.encode()).unwrap_or_default();
            }
            let shared = match self.states.get(&id) {
                Some(state) => Some(heads_hex(&state.shared_heads)),
                None => storage::sync_state(&self.db, &id)
                    .await?
                    .and_then(|b| SyncState::decode(&b).ok())
                    .map(|s| heads_hex(&s.shared_heads)),
            };
            if self.summaries.get(&id).is_some_and(|s| Some(&s.heads) != shared.as_ref()) {
                self.ensure(&id).await?;
                self.offer(&id);
            }
        }
        Ok(())
    }

    async fn receive(&mut self, bytes: &[u8]) -> Result<(), AppError> {
        match Message::decode(bytes)? {
            Message::Peer { .. } => {
                self.joined = true;
                self.retry_ms = FIRST_RETRY_MS;
                self.offer_changed().await?;
                self.upload_pending().await
            }
            Message::Sync { document_id, data, .. } => self.on_sync(&document_id, &data).await,
            Message::Refused { document_id, changes, reason_zh, reason_en, .. } => {
                let hashes: Vec<ChangeHash> = changes.into_iter().map(ChangeHash).collect();
                self.on_refused(&document_id, &hashes, reason_zh, reason_en).await
            }
            Message::DocUnavailable { document_id, .. } => {
                self.push_unsynced(&document_id);
                Ok(())
            }
            Message::Error { message } => {
                leptos::logging::warn!("sync: server says {message}");
                Ok(())
            }
            _ => Ok(()),
        }
    }

    async fn on_sync(&mut self, id: &str, data: &[u8]) -> Result<(), AppError> {
        let message = SyncMessage::decode(data).map_err(|e| AppError::Storage(e.to_string()))?;
        self.ensure(id).await?;
        let (Some(doc), Some(state)) = (self.docs.get_mut(id), self.states.get_mut(id)) else { return Ok(()) };
        let before = doc.get_heads();
        let shared_before = state.shared_heads.clone();
        doc.sync().receive_sync_message(state, message)?;
        let heads = doc.get_heads();
        let unsynced = state.their_heads.as_ref().is_none_or(|theirs| heads_hex(theirs) != heads_hex(&heads));
        let was_unsynced = self.summaries.get(id).is_some_and(|s| s.unsynced);
        let whole = doc::read(doc).is_ok();
        if whole && (heads != before || unsynced != was_unsynced) {
            self.save(id, unsynced && was_unsynced).await?;
        } else if whole && state.shared_heads != shared_before {
            // (A document not yet whole is not stored, so neither is what
            // it shares: the device must not claim what it does not hold.)
            storage::save_sync_state(&self.db, id, state.encode()).await?;
        }
        self.offer(id);
        Ok(())
    }

    /// Takes refused changes out of the document and keeps their events,
    /// flagged with the reason, where the case page shows them.
    async fn on_refused(
        &mut self,
        id: &str,
        hashes: &[ChangeHash],
        reason_zh: String,
        reason_en: String,
    ) -> Result<(), AppError> {
        self.ensure(id).await?;
        let Some(doc) = self.docs.get_mut(id) else { return Ok(()) };
        let (rebuilt, lost) = roll_back(doc, hashes)?;
        let refused: Vec<RefusedEvent> = lost
            .into_iter()
            .map(|event| RefusedEvent {
                case_id: id.into(),
                event,
                reason_zh: reason_zh.clone(),
                reason_en: reason_en.clone(),
            })
            .collect();
        storage::add_refused(&self.db, &refused).await?;
        if doc::read(&rebuilt).is_err() {
            // The whole case was refused: keep it on the device as it is,
            // flagged, rather than lose what was typed.
            self.revision.update(|r| *r += 1);
            return Ok(());
        }
        // The refused sequence numbers of this actor are burnt: new actor.
        self.device.actor_suffix = random_bytes();
        storage::set_device(&self.db, &self.device).await?;
        let mut rebuilt = rebuilt;
        if let Some(actor) = self.actor() {
            rebuilt.set_actor(actor);
        }
        self.docs.insert(id.to_string(), rebuilt);
        self.states.insert(id.to_string(), SyncState::new());
        // The stored changes include the refused ones: start from a snapshot.
        self.stored.remove(id);
        self.save(id, false).await?;
        self.offer(id);
        Ok(())
    }

    fn update_status(&mut self) {
        let unsynced = self.summaries.values().any(|s| s.unsynced && s.status != Status::Draft);
        let next = if self.signed_out {
            SyncStatus::SignedOut { unsynced }
        } else if !self.joined {
            SyncStatus::Offline { unsynced }
        } else if unsynced || self.exchanging() {
            SyncStatus::Syncing
        } else {
            match self.status.get_untracked() {
                synced @ SyncStatus::Synced { .. } => synced,
                _ => SyncStatus::Synced { at_ms: clock::now_ms() },
            }
        };
        if next != self.status.get_untracked() {
            self.status.set(next);
        }
    }

    /// Whether any document's heads differ from the server's last word.
    fn exchanging(&mut self) -> bool {
        self.states.iter().any(|(id, state)| {
            let Some(theirs) = &state.their_heads else { return false };
            self.docs.get_mut(id).is_some_and(|doc| heads_hex(theirs) != heads_hex(&doc.get_heads()))
        })
    }
}
