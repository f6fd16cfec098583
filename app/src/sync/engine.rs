//! The engine behind [`super::SyncHandle`]: a loop over its inbox. Every
//! write of a case document happens here, in order. The protocol itself is
//! [`ClientPeer`] (sans IO, in `domain`); the engine is its driver: the
//! socket, IndexedDB, the indicator and the pages' signals.

use std::collections::HashMap;

use std::collections::VecDeque;
use std::sync::Arc;

use automerge::ChangeHash;
use automerge::sync::State as SyncState;
use futures_channel::mpsc::{UnboundedReceiver, UnboundedSender};
use futures_util::StreamExt;
use indexed_db_futures::database::Database;
use leptos::prelude::*;

use domain::policy::Policy;
use domain::status::Status;
use domain::sync::client::{ClientEffect, ClientPeer};
use domain::sync::wire::Message;
use domain::sync::{actor_for, heads_hex};

mod documents;
mod files;
mod policy;
mod status;

use super::socket::{self, Socket};
use super::{Input, Signals};
use crate::api::{self, Identity};
use crate::error::AppError;
use crate::storage::{self, CaseSummary, Device};

const FIRST_RETRY_MS: u32 = 1_000;
const LAST_RETRY_MS: u32 = 30_000;
/// Change records kept beside a document's snapshot before a new snapshot.
const SNAPSHOT_AFTER: u32 = 32;

struct Engine {
    /// Deadlines in the summaries are computed by it.
    policy: Arc<Policy>,
    inbox: UnboundedSender<Input>,
    signals: Signals,
    /// The device's database (identity, ids), and the signed-in account's.
    device_db: Database,
    cases: Option<Database>,
    device: Device,
    identity: Option<Identity>,
    /// The protocol's client side and the documents in memory; there is
    /// one while someone is signed in.
    peer: Option<ClientPeer>,
    socket: Option<Socket>,
    generation: u64,
    /// The server no longer knows this device's session (expired or ended
    /// elsewhere): no reconnecting until the user signs in again.
    signed_out: bool,
    retry_ms: u32,
    summaries: HashMap<String, CaseSummary>,
    /// Per document in memory: the heads IndexedDB holds and how many change
    /// records sit beside its snapshot (none for a document never stored).
    stored: HashMap<String, (Vec<ChangeHash>, u32)>,
    /// A case saved since the last pass over the files named some: a pass
    /// runs once the exchange settles.
    files_noted: bool,
    files_pass: files::FilesPass,
}

pub async fn run(
    policy: Arc<Policy>,
    inbox: UnboundedSender<Input>,
    mut rx: UnboundedReceiver<Input>,
    signals: Signals,
) {
    let mut engine = match Engine::open(policy, inbox, signals).await {
        Ok(engine) => engine,
        Err(e) => {
            leptos::logging::error!("sync: {}", e.message());
            return;
        }
    };
    // Nothing to say about syncing before it is told who is signed in (the
    // device's last sign-in is read as the app starts).
    let mut told = false;
    while let Some(input) = rx.next().await {
        told |= matches!(input, Input::Identity(_));
        if let Err(e) = engine.handle(input).await {
            leptos::logging::warn!("sync: {}", e.message());
        }
        if told {
            engine.update_status();
        }
    }
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    // With no randomness the device still works; its ids are just weaker.
    let _ = getrandom::fill(&mut bytes);
    bytes
}

impl Engine {
    async fn open(policy: Arc<Policy>, inbox: UnboundedSender<Input>, signals: Signals) -> Result<Engine, AppError> {
        let db = storage::open().await?;
        // The policy last received, if newer than the one built in.
        let policy = match storage::policy(&db).await? {
            Some(kept) if kept.version > policy.version => Arc::new(kept),
            _ => policy,
        };
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
            policy,
            inbox,
            signals,
            device_db: db,
            cases: None,
            device,
            identity: None,
            peer: None,
            socket: None,
            generation: 0,
            signed_out: false,
            retry_ms: FIRST_RETRY_MS,
            summaries: HashMap::new(),
            stored: HashMap::new(),
            files_noted: false,
            files_pass: files::FilesPass::default(),
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
                if let Some(join) = self.peer.as_mut().map(ClientPeer::connected) {
                    self.send(&join);
                }
                Ok(())
            }
            Input::Received(generation, bytes) if self.is_current(generation) => self.receive(&bytes).await,
            Input::Closed(generation) if self.is_current(generation) => {
                let never_joined = !self.joined();
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
                self.make_room_if_full(&result).await;
                let saved = result.is_ok();
                let _ = done.send(result);
                if saved {
                    self.offer(&case_id).await?;
                }
                Ok(())
            }
            Input::Create { case, submit, done } => {
                let id = case.id.clone();
                let result = self.create(*case, submit).await;
                self.make_room_if_full(&result).await;
                let saved = result.is_ok();
                let _ = done.send(result);
                if saved && submit {
                    self.offer(&id).await?;
                    self.upload_pending().await?;
                }
                Ok(())
            }
            Input::Policy(policy) => self.take_policy(policy).await,
            Input::FileLimit { bytes, done } => {
                let result = match self.cases() {
                    Ok(db) => storage::set_file_limit(db, bytes).await,
                    Err(e) => Err(e),
                };
                let saved = result.is_ok();
                let _ = done.send(result);
                if saved {
                    self.keep_files(true);
                }
                Ok(())
            }
        }
    }

    /// A write that failed for want of space makes room for the next try.
    async fn make_room_if_full(&self, result: &Result<(), AppError>) {
        if let (Err(AppError::StorageFull), Some(who)) = (result, &self.identity) {
            storage::make_room(&who.user.id, true).await;
        }
    }

    fn is_current(&self, generation: u64) -> bool {
        self.socket.as_ref().is_some_and(|s| s.generation == generation)
    }

    fn joined(&self) -> bool {
        self.peer.as_ref().is_some_and(ClientPeer::joined)
    }

    fn peer(&mut self) -> Result<&mut ClientPeer, AppError> {
        self.peer.as_mut().ok_or(AppError::SignedOut)
    }

    /// The signed-in account's database.
    fn cases(&self) -> Result<&Database, AppError> {
        self.cases.as_ref().ok_or(AppError::SignedOut)
    }

    async fn set_identity(&mut self, identity: Option<Identity>) -> Result<(), AppError> {
        // A sign-in (or sign-out) on this device starts afresh.
        self.signed_out = false;
        // Same account, or nobody still (app start): no announcement, which would re-read the worklist.
        if identity.as_ref().map(|i| &i.user.id) == self.identity.as_ref().map(|i| &i.user.id) {
            self.connect();
            return Ok(());
        }
        self.disconnect();
        self.peer = None;
        if let Some(cases) = self.cases.take() {
            cases.close();
        }
        self.stored.clear();
        self.summaries.clear();
        // The first settled exchange brings the account's files in line.
        self.files_noted = true;
        self.identity = identity;
        let Some(who) = self.identity.clone() else {
            self.publish_sessions();
            self.signals.revision.update(|r| *r += 1);
            return Ok(());
        };
        // Each account's cases live in its own database: another person's
        // unsynced work stays on the device, untouched, until they sign in.
        let cases = storage::open_user(&who.user.id).await?;
        if storage::adopt_legacy(&self.device_db, &cases, &who.user.id).await? {
            self.device = storage::device(&self.device_db).await?.unwrap_or_else(|| self.device.clone());
        }
        self.cases = Some(cases);
        storage::make_room(&who.user.id, false).await;
        let actor = actor_for(&who.user.id, self.device.actor_suffix);
        let storage_id = storage::storage_id(self.cases()?).await?.unwrap_or_else(|| self.device.storage_id.clone());
        self.peer = Some(ClientPeer::new(format!("app-{storage_id}"), storage_id, actor));
        self.summaries = storage::summaries(self.cases()?).await?.into_iter().map(|s| (s.id.clone(), s)).collect();
        self.summaries_follow_policy().await?;
        self.publish_sessions();
        // Pages re-read: another account's cases (or, just adopted, an
        // older build's) are what the device shows now.
        self.signals.revision.update(|r| *r += 1);
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
        if let Some(peer) = &mut self.peer {
            peer.disconnected();
        }
    }

    fn send(&mut self, message: &Message) {
        if let Some(socket) = &self.socket
            && !socket.send(&message.encode())
        {
            self.disconnect();
        }
    }

    /// on the device until submitted.
    async fn offer(&mut self, id: &str) -> Result<(), AppError> {
        if self.summaries.get(id).is_some_and(|s| s.status == Status::Draft) {
            return Ok(());
        }
        let effects = self.peer()?.offer(id);
        self.carry_out(effects).await
    }

    /// After the server's greeting: offers every case that changed since
    /// the last shared state.
    async fn offer_changed(&mut self) -> Result<(), AppError> {
        let ids: Vec<String> = self.summaries.keys().cloned().collect();
        for id in ids {
            let shared = match self.peer()?.state(&id) {
                Some(state) => Some(heads_hex(&state.shared_heads)),
                None => storage::sync_state(self.cases()?, &id)
                    .await?
                    .and_then(|b| SyncState::decode(&b).ok())
                    .map(|s| heads_hex(&s.shared_heads)),
            };
            if self.summaries.get(&id).is_some_and(|s| Some(&s.heads) != shared.as_ref()) {
                self.ensure(&id).await?;
                self.offer(&id).await?;
            }
        }
        Ok(())
    }

    async fn receive(&mut self, bytes: &[u8]) -> Result<(), AppError> {
        let effects = self.peer()?.receive(Message::decode(bytes)?)?;
        self.carry_out(effects).await?;
        if !self.exchanging() {
            self.keep_files(false);
        }
        Ok(())
    }

    /// Does what the protocol's peer says, in order.
    async fn carry_out(&mut self, effects: Vec<ClientEffect>) -> Result<(), AppError> {
        let mut effects = VecDeque::from(effects);
        while let Some(effect) = effects.pop_front() {
            match effect {
                ClientEffect::Send(message) => self.send(&message),
                ClientEffect::Joined => {
                    self.retry_ms = FIRST_RETRY_MS;
                    // (Boxed: an offer can lead back here.)
                    Box::pin(self.offer_changed()).await?;
                    self.upload_pending().await?;
                }
                ClientEffect::Load(id) => {
                    let (doc, state) = self.load(&id).await?;
                    effects.extend(self.peer()?.loaded(&id, doc, state)?);
                }
                ClientEffect::Received { id, heads_moved, shared_moved, in_sync, whole } => {
                    self.received(&id, heads_moved, shared_moved, !in_sync, whole).await?;
                }
                ClientEffect::Refused { id, lost, reason, actor, case_refused } => {
                    self.refused(&id, lost, reason, &actor, case_refused).await?;
                }
                ClientEffect::Unavailable(id) => {
                    // The server will not sync it with this user (any more:
                    // say the case went to another department). Changes made
                    // here are sent anyway, so the server refuses them
                    // explicitly and they are flagged, not left waiting.
                    if self.summaries.get(&id).is_some_and(|s| s.unsynced) {
                        effects.extend(self.peer()?.push(&id));
                    }
                }
                ClientEffect::ServerSaid(message) => leptos::logging::warn!("sync: server says {message}"),
            }
        }
        Ok(())
    }

    /// Whether any document's heads differ from the server's last word.
    fn exchanging(&mut self) -> bool {
        self.peer.as_mut().is_some_and(ClientPeer::exchanging)
    }
}
