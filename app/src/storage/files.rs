//! Attachments on the device: the bytes (captured here or downloaded), the
//! ones waiting for upload, the index of every file the account's cases
//! name ([`FileEntry`]) and how much of other people's files to keep.

use std::collections::HashSet;

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use indexed_db_futures::typed_array::Uint8Array;

use domain::file_budget::{DEFAULT_LIMIT_BYTES, FileEntry};

use super::{BLOBS, FILES, UPLOADS, meta, set_meta};
use crate::error::AppError;

/// Account setting: bytes of other people's files to keep.
const FILE_LIMIT_KEY: &str = "file_limit";
/// Set once the index holds the files of the cases stored before it existed.
const FILES_INDEXED_KEY: &str = "files_indexed";

/// Keeps an attachment on the device and queues it for upload.
pub async fn save_blob(db: &Database, sha256: &str, mime: &str, bytes: Vec<u8>) -> Result<(), AppError> {
    let tx = db.transaction([BLOBS, UPLOADS]).with_mode(TransactionMode::Readwrite).build()?;
    tx.object_store(BLOBS)?.put(Uint8Array::from(bytes)).with_key(sha256.to_string()).await?;
    tx.object_store(UPLOADS)?.put(mime.to_string()).with_key(sha256.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// Attachments waiting for upload: (sha256, mime).
pub async fn pending_uploads(db: &Database) -> Result<Vec<(String, String)>, AppError> {
    let tx = db.transaction(UPLOADS).build()?;
    let store = tx.object_store(UPLOADS)?;
    let keys: Vec<String> = store.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
    let mut pending = Vec::new();
    for key in keys {
        if let Some(mime) = store.get(key.clone()).primitive()?.await? {
            pending.push((key, mime));
        }
    }
    Ok(pending)
}

pub async fn blob(db: &Database, sha256: &str) -> Result<Option<Vec<u8>>, AppError> {
    super::bytes_of(db, BLOBS, sha256).await
}

/// The attachments whose bytes are on the device.
pub async fn blobs_here(db: &Database) -> Result<HashSet<String>, AppError> {
    let tx = db.transaction(BLOBS).build()?;
    Ok(tx.object_store(BLOBS)?.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?)
}

/// Keeps a downloaded attachment (someone else's, or one's own from
/// another device), so the case's files open offline (the service worker
/// serves `/api/blobs/…` from here when the network does not answer).
pub async fn keep_blob(db: &Database, sha256: &str, bytes: Vec<u8>) -> Result<(), AppError> {
    let tx = db.transaction(BLOBS).with_mode(TransactionMode::Readwrite).build()?;
    tx.object_store(BLOBS)?.put(Uint8Array::from(bytes)).with_key(sha256.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// Lets go of a downloaded attachment that no longer fits the budget. One
/// still waiting for upload stays: the device holds its only copy.
pub async fn drop_blob(db: &Database, sha256: &str) -> Result<(), AppError> {
    let tx = db.transaction([BLOBS, UPLOADS]).with_mode(TransactionMode::Readwrite).build()?;
    if tx.object_store(UPLOADS)?.count().with_query(sha256.to_string()).primitive()?.await? == 0 {
        tx.object_store(BLOBS)?.delete(sha256.to_string()).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn uploaded(db: &Database, sha256: &str) -> Result<(), AppError> {
    let tx = db.transaction(UPLOADS).with_mode(TransactionMode::Readwrite).build()?;
    tx.object_store(UPLOADS)?.delete(sha256.to_string()).await?;
    tx.commit().await?;
    Ok(())
}

/// Adds `files` to the index within `tx` (which must include [`FILES`]),
/// merged with what it already says of each.
pub(super) async fn note_files(tx: &Transaction<'_>, files: &[(String, FileEntry)]) -> Result<(), AppError> {
    let store = tx.object_store(FILES)?;
    for (sha256, entry) in files {
        let known: Option<FileEntry> = store.get(sha256.clone()).serde()?.await?;
        let entry = known.map_or_else(|| entry.clone(), |known| known.merge(entry.clone()));
        store.put(&entry).with_key(sha256.clone()).serde()?.await?;
    }
    Ok(())
}

/// Adds `files` to the index.
pub async fn add_files(db: &Database, files: &[(String, FileEntry)]) -> Result<(), AppError> {
    let tx = db.transaction(FILES).with_mode(TransactionMode::Readwrite).build()?;
    note_files(&tx, files).await?;
    tx.commit().await?;
    Ok(())
}

/// Every file the account's cases name.
pub async fn files(db: &Database) -> Result<Vec<(String, FileEntry)>, AppError> {
    let tx = db.transaction(FILES).build()?;
    let store = tx.object_store(FILES)?;
    let keys: Vec<String> = store.get_all_keys().primitive()?.await?.collect::<Result<_, _>>()?;
    let entries: Vec<FileEntry> = store.get_all().serde()?.await?.collect::<Result<_, _>>()?;
    Ok(keys.into_iter().zip(entries).collect())
}

/// How many bytes of other people's files the account keeps on the device.
pub async fn file_limit(db: &Database) -> Result<u64, AppError> {
    Ok(meta(db, FILE_LIMIT_KEY).await?.unwrap_or(DEFAULT_LIMIT_BYTES))
}

pub async fn set_file_limit(db: &Database, bytes: u64) -> Result<(), AppError> {
    set_meta(db, FILE_LIMIT_KEY, Some(&bytes)).await
}

/// Whether the index holds the files of cases stored before it existed.
pub async fn files_indexed(db: &Database) -> Result<bool, AppError> {
    Ok(meta::<bool>(db, FILES_INDEXED_KEY).await?.unwrap_or(false))
}

pub async fn set_files_indexed(db: &Database) -> Result<(), AppError> {
    set_meta(db, FILES_INDEXED_KEY, Some(&true)).await
}
