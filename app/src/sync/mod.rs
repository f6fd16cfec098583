//! The sync client: one task owns every document the app writes, speaks the
//! automerge-repo protocol with the server over a WebSocket, and keeps the
//! indicator (offline / saved on device / syncing / synced at HH:MM).
//! Pages read cases from IndexedDB and write only through [`SyncHandle`],
//! so a page's change and a change arriving from the server are never
//! written over each other.

mod engine;
mod socket;

use std::sync::Arc;

use futures_channel::mpsc::{UnboundedSender, unbounded};
use futures_channel::oneshot;
use leptos::prelude::*;
use leptos::task::spawn_local;

use domain::case::CaseDoc;
use domain::event::EventKind;
use domain::policy::Policy;

use crate::api::Identity;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    /// Not connected; `unsynced`: changes wait on this device.
    Offline {
        unsynced: bool,
    },
    /// Online, trying to reach the server for the first time since it
    /// was last reached (or the app opened): not "offline" unless that fails.
    Connecting,
    Syncing,
    Synced {
        at_ms: i64,
    },
    /// The server ended the session (expired, or signed out elsewhere):
    /// changes wait on the device until the user signs in again.
    SignedOut {
        unsynced: bool,
    },
}

impl SyncStatus {
    /// Not joined: connecting on the first try (`first_try`), else offline.
    pub fn unjoined(first_try: bool, unsynced: bool) -> SyncStatus {
        if first_try { SyncStatus::Connecting } else { SyncStatus::Offline { unsynced } }
    }

    /// For tests and styles: offline, saved, connecting, syncing, synced.
    pub fn key(self) -> &'static str {
        match self {
            SyncStatus::Offline { unsynced: false } => "offline",
            SyncStatus::Offline { unsynced: true } => "saved",
            SyncStatus::Connecting => "connecting",
            SyncStatus::Syncing => "syncing",
            SyncStatus::Synced { .. } => "synced",
            SyncStatus::SignedOut { .. } => "signed-out",
        }
    }

    /// What the indicator says, in the language shown.
    pub fn text(self) -> String {
        use crate::i18n::tr;
        match self {
            SyncStatus::Offline { unsynced: false } => tr("离线", "Offline").into(),
            SyncStatus::Offline { unsynced: true } => {
                tr("离线 · 已保存在本设备", "Offline · saved on this device").into()
            }
            SyncStatus::Connecting => tr("连接中…", "Connecting…").into(),
            SyncStatus::Syncing => tr("同步中…", "Syncing…").into(),
            SyncStatus::Synced { at_ms } => format!("{} {}", tr("已同步", "Synced"), crate::labels::time(at_ms)),
            SyncStatus::SignedOut { unsynced: false } => {
                tr("登录已过期 · 请重新登录", "Signed out · sign in again").into()
            }
            SyncStatus::SignedOut { unsynced: true } => {
                tr("登录已过期 · 改动保存在本设备,请重新登录", "Signed out · changes kept here, sign in again").into()
            }
        }
    }
}

/// What the engine is told. Socket events carry their socket's generation.
pub enum Input {
    Identity(Option<Box<Identity>>),
    Connect,
    NetworkDown,
    Opened(u64),
    Received(u64, Vec<u8>),
    Closed(u64),
    Record {
        case_id: String,
        kind: EventKind,
        done: oneshot::Sender<Result<(), AppError>>,
    },
    Create {
        case: Box<CaseDoc>,
        submit: bool,
        done: oneshot::Sender<Result<(), AppError>>,
    },
    /// A newer policy: deadlines are computed by it from now on.
    Policy(Arc<Policy>),
    /// The account's budget for other people's files, in bytes.
    FileLimit {
        bytes: u64,
        done: oneshot::Sender<Result<(), AppError>>,
    },
}

/// What the engine tells the pages.
#[derive(Clone, Copy)]
pub struct Signals {
    pub status: RwSignal<SyncStatus>,
    pub revision: RwSignal<u64>,
    pub sessions: RwSignal<Vec<String>>,
    pub unsynced: RwSignal<usize>,
    pub files: RwSignal<u64>,
}

/// The app's way to the sync engine; in context for every page.
#[derive(Clone)]
pub struct SyncHandle {
    inbox: UnboundedSender<Input>,
    pub status: RwSignal<SyncStatus>,
    /// Moves whenever a case on the device changed: pages re-read.
    pub revision: RwSignal<u64>,
    /// The sessions the cases on the device are on (ids, sorted).
    pub sessions: RwSignal<Vec<String>>,
    /// How many of the signed-in account's cases hold changes the server
    /// does not have yet (drafts aside: they are not sent).
    pub unsynced: RwSignal<usize>,
    /// Moves whenever a pass over the files kept on the device ended.
    pub files: RwSignal<u64>,
}

impl SyncHandle {
    /// Starts the engine, computing deadlines by `policy`.
    pub fn start(policy: Arc<Policy>) -> SyncHandle {
        let (inbox, rx) = unbounded();
        let handle = SyncHandle {
            inbox: inbox.clone(),
            // Until the engine says otherwise: it is about to try, if it can.
            status: RwSignal::new(SyncStatus::unjoined(socket::online(), false)),
            revision: RwSignal::new(0),
            sessions: RwSignal::new(Vec::new()),
            unsynced: RwSignal::new(0),
            files: RwSignal::new(0),
        };
        socket::watch_network(&inbox);
        let signals = Signals {
            status: handle.status,
            revision: handle.revision,
            sessions: handle.sessions,
            unsynced: handle.unsynced,
            files: handle.files,
        };
        spawn_local(start_engine(policy, inbox, rx, signals));
        handle
    }

    pub fn set_identity(&self, identity: Option<Identity>) {
        let _ = self.inbox.unbounded_send(Input::Identity(identity.map(Box::new)));
    }

    /// Computes deadlines by `policy` from now on (a newer one arrived).
    pub fn set_policy(&self, policy: Arc<Policy>) {
        let _ = self.inbox.unbounded_send(Input::Policy(policy));
    }

    /// Appends an event to a case; resolves once it is saved on the device.
    pub async fn record(&self, case_id: &str, kind: EventKind) -> Result<(), AppError> {
        let (done, result) = oneshot::channel();
        self.post(Input::Record { case_id: case_id.into(), kind, done })?;
        result.await.map_err(|_| AppError::Storage("sync engine stopped".into()))?
    }

    /// Saves a new case (submitted or as a draft); resolves once saved.
    pub async fn create(&self, case: CaseDoc, submit: bool) -> Result<(), AppError> {
        let (done, result) = oneshot::channel();
        self.post(Input::Create { case: Box::new(case), submit, done })?;
        result.await.map_err(|_| AppError::Storage("sync engine stopped".into()))?
    }

    /// Sets how much of other people's files the device keeps; resolves
    /// once saved (files are then fetched or let go in the background).
    pub async fn set_file_limit(&self, bytes: u64) -> Result<(), AppError> {
        let (done, result) = oneshot::channel();
        self.post(Input::FileLimit { bytes, done })?;
        result.await.map_err(|_| AppError::Storage("sync engine stopped".into()))?
    }

    fn post(&self, input: Input) -> Result<(), AppError> {
        self.inbox.unbounded_send(input).map_err(|_| AppError::Storage("sync engine stopped".into()))
    }
}

pub fn use_sync() -> Option<SyncHandle> {
    use_context::<SyncHandle>()
}

/// The engine (and with it Automerge) lives in a lazily loaded module.
#[leptos::lazy]
async fn start_engine(
    policy: Arc<Policy>,
    inbox: UnboundedSender<Input>,
    rx: futures_channel::mpsc::UnboundedReceiver<Input>,
    signals: Signals,
) {
    engine::run(policy, inbox, rx, signals).await
}
