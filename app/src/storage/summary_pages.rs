//! The summaries of an account's cases, kept in [`PAGE_COUNT`] pages of
//! JSON rather than one IndexedDB record per case. Reading 10,000 records
//! costs IndexedDB about 10 µs each, and each JS object then crosses into
//! wasm field by field; a page is one record and one copy of bytes. A case
//! lands on a page by a hash of its id, so writing one summary rewrites
//! only the few dozen summaries beside it (see BENCH.md, step 11).
//!
//! Builds before pages kept one record per case in the `summaries` store;
//! [`read_all`] moves those into pages the first time it meets them.

use std::collections::{BTreeMap, HashSet};

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use indexed_db_futures::typed_array::Uint8Array;

use super::{CaseSummary, SUMMARIES};
use crate::error::AppError;

/// Page number → a JSON array of [`CaseSummary`].
pub(super) const SUMMARY_PAGES: &str = "summary_pages";
/// Enough that a page stays small (40 summaries at 10,000 cases), few
/// enough that reading them all costs little more than reading one.
const PAGE_COUNT: u32 = 256;

fn page_of(id: &str) -> String {
    // FNV-1a: the same on every build and platform, unlike std's hasher.
    let hash = id.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("{:03}", hash % PAGE_COUNT)
}

fn decode(bytes: &[u8]) -> Result<Vec<CaseSummary>, AppError> {
    serde_json::from_slice(bytes).map_err(|e| AppError::Storage(format!("a page of case summaries does not read: {e}")))
}

fn encode(page: &[CaseSummary]) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec(page).map_err(|e| AppError::Storage(e.to_string()))
}

/// Every summary in the pages of `tx` (which must cover [`SUMMARY_PAGES`]).
pub(super) async fn read_pages(tx: &Transaction<'_>) -> Result<Vec<CaseSummary>, AppError> {
    let pages: Vec<Uint8Array> =
        tx.object_store(SUMMARY_PAGES)?.get_all().primitive()?.await?.collect::<Result<_, _>>()?;
    let mut all = Vec::new();
    for page in pages {
        all.extend(decode(page.as_ref())?);
    }
    Ok(all)
}

/// Puts `summaries` into their pages in `tx` (read-write, covering
/// [`SUMMARY_PAGES`]), replacing the ones with the same ids. Each page is
/// read and written once, however many of `summaries` it holds.
pub(super) async fn put(tx: &Transaction<'_>, summaries: &[CaseSummary]) -> Result<(), AppError> {
    let mut by_page: BTreeMap<String, Vec<&CaseSummary>> = BTreeMap::new();
    for summary in summaries {
        by_page.entry(page_of(&summary.id)).or_default().push(summary);
    }
    let store = tx.object_store(SUMMARY_PAGES)?;
    for (key, fresh) in by_page {
        let kept: Option<Uint8Array> = store.get(key.clone()).primitive()?.await?;
        let mut page = match kept {
            Some(bytes) => decode(bytes.as_ref())?,
            None => Vec::new(),
        };
        for summary in fresh {
            match page.iter_mut().find(|s| s.id == summary.id) {
                Some(old) => *old = summary.clone(),
                None => page.push(summary.clone()),
            }
        }
        store.put(Uint8Array::from(encode(&page)?)).with_key(key).await?;
    }
    Ok(())
}

/// Every summary of the account, moving any kept one record per case (by
/// builds before pages) into pages first.
pub(super) async fn read_all(db: &Database) -> Result<Vec<CaseSummary>, AppError> {
    let tx = db.transaction([SUMMARY_PAGES, SUMMARIES]).build()?;
    let unpaged = tx.object_store(SUMMARIES)?.count().primitive()?.await?;
    if unpaged == 0 {
        return read_pages(&tx).await;
    }
    drop(tx);
    let tx = db.transaction([SUMMARY_PAGES, SUMMARIES]).with_mode(TransactionMode::Readwrite).build()?;
    let paged = read_pages(&tx).await?;
    let old: Vec<CaseSummary> = tx.object_store(SUMMARIES)?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
    // A case in both was written since pages came: its page is the newer.
    let newer: HashSet<&str> = paged.iter().map(|s| s.id.as_str()).collect();
    let moving: Vec<CaseSummary> = old.into_iter().filter(|o| !newer.contains(o.id.as_str())).collect();
    put(&tx, &moving).await?;
    tx.object_store(SUMMARIES)?.clear()?.await?;
    tx.commit().await?;
    Ok(paged.into_iter().chain(moving).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_keeps_its_page() {
        // Pages are keys on devices: this hash must never change.
        assert_eq!(page_of(""), format!("{:03}", 0x811c_9dc5_u32 % 256));
        assert_eq!(page_of("a"), format!("{:03}", 0xe40c_292c_u32 % 256));
        assert_eq!(page_of("case-1"), page_of("case-1"));
    }
}
