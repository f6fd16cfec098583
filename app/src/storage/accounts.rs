//! The accounts whose cases this device holds. When the device runs short
//! of space, the cases of other accounts that hold nothing the server
//! lacks are removed: they are on the server and come back at that
//! account's next sign-in here. Unsent work (unsynced changes, drafts,
//! files waiting for upload, refusals not yet seen) is never removed.

use std::collections::BTreeMap;

use indexed_db_futures::database::Database;
use indexed_db_futures::factory::DBFactory;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;

use domain::status::Status;

use super::{
    CASE_STORES, CaseSummary, FILES, META, REFUSED, SUMMARIES, SUMMARY_PAGES, UPLOADS, USER_DB_PREFIX, meta, open_user,
    set_meta, summary_pages,
};
use crate::error::AppError;

/// The share of its quota beyond which the site is short of space.
const SHORT_OF_SPACE: f64 = 0.8;

/// When the device is short of space, or `full` (a write just failed for
/// want of it), empties the databases of other accounts that hold no
/// unsent work. Says what it did in the console.
pub async fn make_room(current: &str, full: bool) {
    if !full && !crate::pwa::estimate().await.is_some_and(|(usage, quota)| usage > SHORT_OF_SPACE * quota) {
        return;
    }
    match evict_synced_accounts(current).await {
        Ok(evicted) if !evicted.is_empty() => {
            leptos::logging::log!("storage: short of space, removed the synced cases of {}", evicted.join(", "))
        }
        Ok(_) => {}
        Err(e) => leptos::logging::warn!("storage: making room: {}", e.message()),
    }
}

/// Account setting: the storage id (automerge-repo `storageId`) the
/// account syncs under on this device, when not the device's own: an
/// emptied account takes a new one, so the server, which remembers what
/// each storage holds, sends its cases again.
const STORAGE_ID_KEY: &str = "storage_id";

pub async fn storage_id(db: &Database) -> Result<Option<String>, AppError> {
    meta(db, STORAGE_ID_KEY).await
}

/// Account record: the names behind user ids (`GET /api/people`), kept
/// so timelines say who acted offline too.
const PEOPLE_KEY: &str = "people";

pub async fn people(db: &Database) -> Result<BTreeMap<String, String>, AppError> {
    Ok(meta(db, PEOPLE_KEY).await?.unwrap_or_default())
}

pub async fn set_people(db: &Database, people: &BTreeMap<String, String>) -> Result<(), AppError> {
    set_meta(db, PEOPLE_KEY, Some(people)).await
}

/// Account record: the serving officials (`GET /api/officials`), for
/// officials' forms offline.
const OFFICIALS_KEY: &str = "officials";

pub async fn officials(db: &Database) -> Result<Vec<domain::roster::Official>, AppError> {
    Ok(meta(db, OFFICIALS_KEY).await?.unwrap_or_default())
}

pub async fn set_officials(db: &Database, officials: &[domain::roster::Official]) -> Result<(), AppError> {
    set_meta(db, OFFICIALS_KEY, Some(&officials.to_vec())).await
}

/// The ids of the accounts with a database on this device.
async fn accounts_on_device() -> Result<Vec<String>, AppError> {
    let listed = DBFactory::new()?.databases()?.await?;
    let mut accounts = Vec::new();
    for details in listed {
        if let Some(user_id) = details?.name().strip_prefix(USER_DB_PREFIX) {
            accounts.push(user_id.to_string());
        }
    }
    Ok(accounts)
}

/// Empties the databases of accounts other than `current` that hold no
/// unsent work; returns whose had cases.
async fn evict_synced_accounts(current: &str) -> Result<Vec<String>, AppError> {
    let mut evicted = Vec::new();
    for user_id in accounts_on_device().await? {
        if user_id == current {
            continue;
        }
        let db = open_user(&user_id).await?;
        let emptied = empty_if_synced(&db).await;
        db.close();
        if emptied? {
            evicted.push(user_id);
        }
    }
    Ok(evicted)
}

/// Checks and empties in one transaction, so no change written meanwhile
/// (by another tab still signed in as that account) is lost; the database
/// itself stays, as deleting it would wait on every tab that has it open.
/// Its settings stay too, and it syncs under a new storage id from then
/// on. Whether there were cases to remove.
async fn empty_if_synced(db: &Database) -> Result<bool, AppError> {
    let stores: Vec<&str> = CASE_STORES.into_iter().chain([FILES, SUMMARY_PAGES]).collect();
    let all: Vec<&str> = stores.iter().copied().chain([META]).collect();
    let tx = db.transaction(all.as_slice()).with_mode(TransactionMode::Readwrite).build()?;
    let unpaged: Vec<CaseSummary> = tx.object_store(SUMMARIES)?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
    let cases: Vec<CaseSummary> = summary_pages::read_pages(&tx).await?.into_iter().chain(unpaged).collect();
    let unsent_case = cases.iter().any(|s| s.unsynced || s.status == Status::Draft);
    let uploads = tx.object_store(UPLOADS)?.count().primitive()?.await?;
    let refused = tx.object_store(REFUSED)?.count().primitive()?.await?;
    if unsent_case || uploads + refused > 0 {
        return Ok(false);
    }
    for store in &stores {
        tx.object_store(store)?.clear()?.await?;
    }
    let fresh = uuid::Uuid::new_v4().to_string();
    tx.object_store(META)?.put(&fresh).with_key(STORAGE_ID_KEY.to_string()).serde()?.await?;
    tx.commit().await?;
    Ok(!cases.is_empty())
}
