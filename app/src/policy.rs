//! The policy this device computes by: the city's directory, deadline
//! rules and calendar (see [`domain::policy`]). The app starts with the
//! one it was built with, takes the one kept on the device, then asks the
//! server for a newer one at start and whenever sync connects again. A
//! newer one is kept, shown at once, and handed to the sync engine, which
//! computes the cases' deadlines again by it: device and server agree.

use std::sync::Arc;

use domain::policy::{Policy, PolicyEdit};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::error::AppError;
use crate::storage;
use crate::sync::{SyncHandle, SyncStatus};

/// In context for every page (read it with [`crate::clock::policy`]).
pub type PolicySignal = RwSignal<Arc<Policy>>;

/// The policy signal, following the device's copy and the server's.
pub fn start(shipped: Arc<Policy>, sync: SyncHandle) -> PolicySignal {
    let policy: PolicySignal = RwSignal::new(shipped);
    let first = sync.clone();
    spawn_local(async move {
        if let Err(e) = load_kept(policy, &first).await {
            leptos::logging::warn!("policy: {}", e.message());
        }
    });
    // Each time sync (re)connects the server is reachable: ask it then.
    let status = sync.status;
    Effect::new(move |was_connected: Option<bool>| {
        let connected = matches!(status.get(), SyncStatus::Synced { .. } | SyncStatus::Syncing);
        if connected && was_connected != Some(true) {
            let sync = sync.clone();
            spawn_local(async move {
                if let Err(e) = refresh(policy, &sync).await {
                    leptos::logging::warn!("policy: {}", e.message());
                }
            });
        }
        connected
    });
    policy
}

async fn load_kept(policy: PolicySignal, sync: &SyncHandle) -> Result<(), AppError> {
    let db = storage::open().await?;
    if let Some(kept) = storage::policy(&db).await?
        && kept.version > policy.get_untracked().version
    {
        take(policy, sync, kept);
    }
    refresh(policy, sync).await
}

/// Asks the server for a newer policy; keeps and takes it if there is one.
async fn refresh(policy: PolicySignal, sync: &SyncHandle) -> Result<(), AppError> {
    let Some(fresh) = crate::api::policy(policy.get_untracked().version).await? else { return Ok(()) };
    let db = storage::open().await?;
    storage::set_policy(&db, &fresh).await?;
    take(policy, sync, fresh);
    Ok(())
}

/// What an admin's screen needs to change the policy.
#[derive(Clone)]
pub struct Editor {
    policy: PolicySignal,
    sync: SyncHandle,
}

impl Editor {
    /// Taken in a component (the edit itself runs later, outside it).
    pub fn here() -> Option<Editor> {
        Some(Editor { policy: use_context()?, sync: crate::sync::use_sync()? })
    }

    /// Makes `edit` on the server; the new policy is in force here at once.
    pub async fn apply(&self, edit: &PolicyEdit) -> Result<(), AppError> {
        let fresh = crate::api::edit_policy(edit).await?;
        storage::set_policy(&storage::open().await?, &fresh).await?;
        take(self.policy, &self.sync, fresh);
        Ok(())
    }
}

fn take(policy: PolicySignal, sync: &SyncHandle, fresh: Policy) {
    let fresh = Arc::new(fresh);
    sync.set_policy(fresh.clone());
    policy.set(fresh);
}
