//! The device's copy of every case: IndexedDB, one Automerge document per
//! case, a small summary for the list, the sync state with the server, and
//! changes the server refused. A document and its summary are written in
//! one transaction, so the list never shows a case whose document is missing.
//!
//! Each account keeps its cases in a database of its own
//! (`directline-user-<user id>`), so signing in as someone else on a shared
//! device never touches what the last person has not synced yet. The
//! device's database (`directline`) holds only the signed-in identity and
//! the device's ids — and, from builds before per-account storage, the last
//! owner's cases, which move into that owner's database when they next
//! sign in ([`adopt_legacy`]).

use automerge::AutoCommit;
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::typed_array::Uint8Array;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

pub use accounts::*;
use domain::event::Event;
use domain::file_budget::FileEntry;
use domain::policy::Policy;
pub use domain::summary::CaseSummary;
pub use files::*;
use summary_pages::SUMMARY_PAGES;

use crate::api::Identity;
use crate::error::AppError;

mod accounts;
mod files;
mod summary_pages;

/// The device's database.
const DB_NAME: &str = "directline";
const DB_VERSION: u8 = 4;
/// An account's database: this prefix and the user id.
const USER_DB_PREFIX: &str = "directline-user-";
const USER_DB_VERSION: u8 = 3;
/// The stores of an account's database (also, in the device's database,
/// the legacy stores of builds before per-account storage).
const CASE_STORES: [&str; 7] = [DOCS, CHANGES, SUMMARIES, SYNC, REFUSED, BLOBS, UPLOADS];
/// Case id → the document's snapshot (`save()`).
const DOCS: &str = "docs";
/// `case id/sequence` → changes saved after the snapshot (`save_after`),
/// folded into it every so often (see the sync engine).
const CHANGES: &str = "changes";
/// Case id → [`CaseSummary`], in builds before [`SUMMARY_PAGES`] (an
/// account's database from version 3).
const SUMMARIES: &str = "summaries";
/// Small records: in the device's database the signed-in identity and the
/// device's ids; in an account's (from version 2) its settings.
const META: &str = "meta";
/// Case id → the Automerge sync state shared with the server.
const SYNC: &str = "sync";
/// `case id/event id` → [`RefusedEvent`].
const REFUSED: &str = "refused";
/// sha256 → an attachment's bytes, captured on the device.
const BLOBS: &str = "blobs";
/// sha256 → mime type, for attachments not yet uploaded.
const UPLOADS: &str = "uploads";
/// sha256 → [`domain::file_budget::FileEntry`]: every file the account's
/// cases name (an account's database from version 2).
const FILES: &str = "files";
const IDENTITY_KEY: &str = "identity";
const DEVICE_KEY: &str = "device";

/// A change of this device that the server refused, kept to be shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RefusedEvent {
    pub case_id: String,
    pub event: Event,
    pub reason_zh: String,
    pub reason_en: String,
}

/// This device as the server knows it: where it keeps documents
/// (automerge-repo `storageId`; an account emptied to make room takes one
/// of its own, see [`storage_id`]) and the per-device half of its actor ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    pub storage_id: String,
    pub actor_suffix: [u8; 8],
    /// Whose cases the device's database holds (builds before per-account
    /// storage kept one account's cases there); `None` once adopted.
    pub owner: Option<String>,
}

/// The device's database: identity, device ids (and legacy cases).
pub async fn open() -> Result<Database, AppError> {
    let db = Database::open(DB_NAME)
        .with_version(DB_VERSION)
        .with_on_upgrade_needed(|event, db: Database| {
            if event.old_version() < 1.0 {
                db.create_object_store(DOCS).build()?;
                db.create_object_store(SUMMARIES).build()?;
            }
            if event.old_version() < 2.0 {
                db.create_object_store(META).build()?;
            }
            if event.old_version() < 3.0 {
                db.create_object_store(SYNC).build()?;
                db.create_object_store(REFUSED).build()?;
            }
            if event.old_version() < 4.0 {
                db.create_object_store(CHANGES).build()?;
                db.create_object_store(BLOBS).build()?;
                db.create_object_store(UPLOADS).build()?;
            }
            Ok(())
        })
        .await?;
    Ok(db)
}

/// The database of account `user_id`'s cases.
pub async fn open_user(user_id: &str) -> Result<Database, AppError> {
    let db = Database::open(format!("{USER_DB_PREFIX}{user_id}").as_str())
        .with_version(USER_DB_VERSION)
        .with_on_upgrade_needed(|event, db: Database| {
            if event.old_version() < 1.0 {
                for store in CASE_STORES {
                    db.create_object_store(store).build()?;
                }
            }
            // The file index starts empty: the engine fills it from the
            // cases already here ([`files_indexed`]).
            if event.old_version() < 2.0 {
                db.create_object_store(FILES).build()?;
                db.create_object_store(META).build()?;
            }
            if event.old_version() < 3.0 {
                db.create_object_store(SUMMARY_PAGES).build()?;
            }
            Ok(())
        })
        .await?;
    Ok(db)
}

/// The database of whoever signed in last on this device.
pub async fn open_current() -> Result<Database, AppError> {
    let Some(who) = identity(&open().await?).await? else { return Err(AppError::SignedOut) };
    open_user(&who.user.id).await
}

/// Moves the cases a build before per-account storage kept in the device's
/// database into `user`'s database, if `user` owned them. Copied first and
/// cleared after, each in one transaction: an interruption loses nothing,
/// and the next sign-in finishes the move.
pub async fn adopt_legacy(device: &Database, user: &Database, user_id: &str) -> Result<bool, AppError> {
    let Some(mut info) = self::device(device).await? else { return Ok(false) };
    if info.owner.as_deref() != Some(user_id) {
        return Ok(false);
    }
    let from = device.transaction(CASE_STORES).build()?;
    let mut records = Vec::new();
    for store in CASE_STORES {
        let keys: Vec<JsValue> =
            from.object_store(store)?.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
        let values: Vec<JsValue> = from.object_store(store)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
        records.push((store, keys.into_iter().zip(values).collect::<Vec<_>>()));
    }
    drop(from);
    let to = user.transaction(CASE_STORES).with_mode(TransactionMode::Readwrite).build()?;
    for (store, pairs) in &records {
        let store = to.object_store(store)?;
        for (key, value) in pairs {
            store.put(value.clone()).with_key(key.clone()).primitive()?.await?;
        }
    }
    to.commit().await?;
    let clear = device.transaction(CASE_STORES).with_mode(TransactionMode::Readwrite).build()?;
    for store in CASE_STORES {
        clear.object_store(store)?.clear()?.await?;
    }
    clear.commit().await?;
    info.owner = None;
    set_device(device, &info).await?;
    Ok(records.iter().any(|(_, pairs)| !pairs.is_empty()))
}

/// How a document's new state is written.
pub enum DocWrite {
    /// A whole new snapshot; the changes kept beside the old one go.
    Snapshot(Vec<u8>),
    /// Changes after the snapshot, as the `sequence`th record.
    Changes { sequence: u32, bytes: Vec<u8> },
}

fn changes_of(id: &str) -> std::ops::Range<String> {
    // '~' sorts after the digits of every sequence number.
    format!("{id}/")..format!("{id}/~")
}

/// Stores a case durably (its document, summary, the files it names and,
/// if given, sync state, in one transaction); returns once IndexedDB has
/// committed.
pub async fn save_case(
    db: &Database,
    summary: &CaseSummary,
    write: DocWrite,
    files: &[(String, FileEntry)],
    sync_state: Option<Vec<u8>>,
) -> Result<(), AppError> {
    let tx =
        db.transaction([DOCS, CHANGES, SUMMARY_PAGES, SYNC, FILES]).with_mode(TransactionMode::Readwrite).build()?;
    files::note_files(&tx, files).await?;
    match write {
        DocWrite::Snapshot(bytes) => {
            tx.object_store(DOCS)?.put(Uint8Array::from(bytes)).with_key(summary.id.clone()).await?;
            tx.object_store(CHANGES)?.delete(changes_of(&summary.id)).await?;
        }
        DocWrite::Changes { sequence, bytes } => {
            let key = format!("{}/{sequence:010}", summary.id);
            tx.object_store(CHANGES)?.put(Uint8Array::from(bytes)).with_key(key).await?;
        }
    }
    summary_pages::put(&tx, std::slice::from_ref(summary)).await?;
    if let Some(state) = sync_state {
        tx.object_store(SYNC)?.put(Uint8Array::from(state)).with_key(summary.id.clone()).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn save_sync_state(db: &Database, id: &str, state: Vec<u8>) -> Result<(), AppError> {
    let tx = db.transaction(SYNC).with_mode(TransactionMode::Readwrite).build()?;
    tx.object_store(SYNC)?.put(Uint8Array::from(state)).with_key(id.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

async fn bytes_of(db: &Database, store: &str, id: &str) -> Result<Option<Vec<u8>>, AppError> {
    let tx = db.transaction(store).build()?;
    let found: Option<Uint8Array> = tx.object_store(store)?.get(id.to_string()).primitive()?.await?;
    Ok(found.map(|a| a.to_vec()))
}

/// A case's document: its snapshot with the change records after it
/// applied, and how many records there were.
pub async fn load_doc(db: &Database, id: &str) -> Result<Option<(AutoCommit, u32)>, AppError> {
    let Some(snapshot) = bytes_of(db, DOCS, id).await? else { return Ok(None) };
    let tx = db.transaction(CHANGES).build()?;
    let records: Vec<Uint8Array> =
        tx.object_store(CHANGES)?.get_all().with_query(changes_of(id)).primitive()?.await?.collect::<Result<_, _>>()?;
    let mut doc = domain::doc::load(&snapshot)?;
    for record in &records {
        doc.load_incremental(record.as_ref())?;
    }
    Ok(Some((doc, records.len() as u32)))
}

pub async fn sync_state(db: &Database, id: &str) -> Result<Option<Vec<u8>>, AppError> {
    bytes_of(db, SYNC, id).await
}

/// Every case on this device, newest first.
pub async fn summaries(db: &Database) -> Result<Vec<CaseSummary>, AppError> {
    let mut list = summary_pages::read_all(db).await?;
    list.sort_by_key(|c| std::cmp::Reverse(c.created_ms));
    Ok(list)
}

pub async fn add_refused(db: &Database, refused: &[RefusedEvent]) -> Result<(), AppError> {
    let tx = db.transaction(REFUSED).with_mode(TransactionMode::Readwrite).build()?;
    let store = tx.object_store(REFUSED)?;
    for r in refused {
        store.put(r).with_key(format!("{}/{}", r.case_id, r.event.id)).serde()?.await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The refused changes of one case.
pub async fn refused(db: &Database, case_id: &str) -> Result<Vec<RefusedEvent>, AppError> {
    let tx = db.transaction(REFUSED).build()?;
    let all: Vec<RefusedEvent> = tx.object_store(REFUSED)?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
    Ok(all.into_iter().filter(|r| r.case_id == case_id).collect())
}

async fn meta<T: for<'de> Deserialize<'de>>(db: &Database, key: &str) -> Result<Option<T>, AppError> {
    let tx = db.transaction(META).build()?;
    Ok(tx.object_store(META)?.get(key.to_string()).serde()?.await?)
}

async fn set_meta<T: Serialize>(db: &Database, key: &str, value: Option<&T>) -> Result<(), AppError> {
    let tx = db.transaction(META).with_mode(TransactionMode::Readwrite).build()?;
    let store = tx.object_store(META)?;
    match value {
        Some(value) => {
            store.put(value).with_key(key.to_string()).serde()?.await?;
        }
        None => store.delete(key.to_string()).await?,
    }
    tx.commit().await?;
    Ok(())
}

/// The identity of the last sign-in, so the app opens offline.
pub async fn identity(db: &Database) -> Result<Option<Identity>, AppError> {
    meta(db, IDENTITY_KEY).await
}

/// Remembers the signed-in identity, or forgets it with `None`.
pub async fn set_identity(db: &Database, identity: Option<&Identity>) -> Result<(), AppError> {
    set_meta(db, IDENTITY_KEY, identity).await
}

/// Device record: the policy last received from the server, as JSON
/// (read back through the same checks as the server's answer).
const POLICY_KEY: &str = "policy";

/// The policy kept on this device; one that no longer reads (kept by an
/// older build) is as none.
pub async fn policy(db: &Database) -> Result<Option<Policy>, AppError> {
    let kept: Option<String> = meta(db, POLICY_KEY).await?;
    Ok(kept.and_then(|json| serde_json::from_str(&json).ok()))
}

pub async fn set_policy(db: &Database, policy: &Policy) -> Result<(), AppError> {
    let json = serde_json::to_string(policy).map_err(|e| AppError::Storage(e.to_string()))?;
    set_meta(db, POLICY_KEY, Some(&json)).await
}

/// Account record: the version of the policy the summaries' deadlines
/// were computed by.
const SUMMARIES_POLICY_KEY: &str = "summaries_policy";

pub async fn summaries_policy(db: &Database) -> Result<Option<u64>, AppError> {
    meta(db, SUMMARIES_POLICY_KEY).await
}

/// Writes summaries computed again by policy `version`, and that version,
/// in one transaction.
pub async fn put_summaries(db: &Database, summaries: &[CaseSummary], version: u64) -> Result<(), AppError> {
    let tx = db.transaction([SUMMARY_PAGES, META]).with_mode(TransactionMode::Readwrite).build()?;
    summary_pages::put(&tx, summaries).await?;
    tx.object_store(META)?.put(version).with_key(SUMMARIES_POLICY_KEY.to_string()).serde()?.await?;
    tx.commit().await?;
    Ok(())
}

pub async fn device(db: &Database) -> Result<Option<Device>, AppError> {
    meta(db, DEVICE_KEY).await
}

pub async fn set_device(db: &Database, device: &Device) -> Result<(), AppError> {
    set_meta(db, DEVICE_KEY, Some(device)).await
}
