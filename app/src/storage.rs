//! The device's copy of every case: IndexedDB, one Automerge document per
//! case plus a small summary for the list. Both are written in one
//! transaction, so the list never shows a case whose document is missing.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::typed_array::Uint8Array;
use serde::{Deserialize, Serialize};

use domain::case::CaseDoc;
use domain::status::Status;

use crate::error::AppError;
use crate::session::Identity;

const DB_NAME: &str = "directline";
const DB_VERSION: u8 = 2;
/// Case id → the document's saved bytes.
const DOCS: &str = "docs";
/// Case id → [`CaseSummary`].
const SUMMARIES: &str = "summaries";
/// Small device-wide records, e.g. the signed-in identity.
const META: &str = "meta";
const IDENTITY_KEY: &str = "identity";

/// What the case list shows, kept beside the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSummary {
    pub id: String,
    pub number: Option<String>,
    pub title: String,
    pub category: String,
    pub district: String,
    pub enterprise: String,
    pub status: Status,
    pub created_ms: i64,
    pub updated_ms: i64,
    /// True until the server has the document (step 2 syncs it).
    pub local_only: bool,
}

impl CaseSummary {
    pub fn of(case: &CaseDoc, updated_ms: i64, local_only: bool) -> CaseSummary {
        CaseSummary {
            id: case.id.clone(),
            number: case.number.clone(),
            title: case.appeal.title.clone(),
            category: case.appeal.category.clone(),
            district: case.district.clone(),
            enterprise: case.enterprise.name.clone(),
            status: case.state().status(),
            created_ms: case.created_ms,
            updated_ms,
            local_only,
        }
    }
}

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
            Ok(())
        })
        .await?;
    Ok(db)
}

/// Stores a case durably; returns once IndexedDB has committed it.
pub async fn save_case(db: &Database, summary: &CaseSummary, bytes: Vec<u8>) -> Result<(), AppError> {
    let tx = db.transaction([DOCS, SUMMARIES]).with_mode(TransactionMode::Readwrite).build()?;
    let docs = tx.object_store(DOCS)?;
    docs.put(Uint8Array::from(bytes)).with_key(summary.id.clone()).await?;
    let summaries = tx.object_store(SUMMARIES)?;
    summaries.put(summary).with_key(summary.id.clone()).serde()?.await?;
    tx.commit().await?;
    Ok(())
}

/// Every case on this device, newest first.
pub async fn summaries(db: &Database) -> Result<Vec<CaseSummary>, AppError> {
    let tx = db.transaction(SUMMARIES).build()?;
    let store = tx.object_store(SUMMARIES)?;
    let mut list: Vec<CaseSummary> = store.get_all().serde()?.await?.collect::<Result<_, _>>()?;
    list.sort_by_key(|c| std::cmp::Reverse(c.created_ms));
    Ok(list)
}

/// The identity of the last sign-in, so the app opens offline.
pub async fn identity(db: &Database) -> Result<Option<Identity>, AppError> {
    let tx = db.transaction(META).build()?;
    let store = tx.object_store(META)?;
    Ok(store.get(IDENTITY_KEY).serde()?.await?)
}

/// Remembers the signed-in identity, or forgets it with `None`.
pub async fn set_identity(db: &Database, identity: Option<&Identity>) -> Result<(), AppError> {
    let tx = db.transaction(META).with_mode(TransactionMode::Readwrite).build()?;
    let store = tx.object_store(META)?;
    match identity {
        Some(identity) => {
            store.put(identity).with_key(IDENTITY_KEY.to_string()).serde()?.await?;
        }
        None => store.delete(IDENTITY_KEY).await?,
    }
    tx.commit().await?;
    Ok(())
}
