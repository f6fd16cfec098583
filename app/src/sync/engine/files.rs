//! The engine's attachments: uploading the ones captured on this device,
//! and keeping on it the ones its cases name, within the account's budget
//! ([`FileBudget`]), so they open offline.

use std::cell::Cell;
use std::rc::Rc;

use indexed_db_futures::database::Database;
use leptos::prelude::*;

use domain::file_budget::{FileBudget, FileEntry};

use super::Engine;
use crate::api;
use crate::error::AppError;
use crate::storage;

/// Whether a pass over the files is running, and whether another is due
/// once it ends (something changed meanwhile).
#[derive(Clone, Default)]
pub(super) struct FilesPass(Rc<Cell<PassState>>);

#[derive(Clone, Copy, Default)]
enum PassState {
    #[default]
    Idle,
    Running,
    Again,
}

impl Engine {
    /// Uploads attachments captured on the device, once connected. One
    /// that fails stays queued for the next connection.
    pub(super) async fn upload_pending(&mut self) -> Result<(), AppError> {
        if !self.joined() {
            return Ok(());
        }
        for (sha256, mime) in storage::pending_uploads(self.cases()?).await? {
            let Some(bytes) = storage::blob(self.cases()?, &sha256).await? else { continue };
            if api::upload(&sha256, &mime, &bytes).await.is_ok() {
                storage::uploaded(self.cases()?, &sha256).await?;
            }
        }
        Ok(())
    }

    /// Brings the files on the device in line with the cases and the
    /// budget — when a saved case named files since the last pass, or
    /// `anyway` (the budget changed) — in a task of its own: the engine
    /// goes on syncing meanwhile.
    pub(super) fn keep_files(&mut self, anyway: bool) {
        let Some(who) = &self.identity else { return };
        if !std::mem::take(&mut self.files_noted) && !anyway {
            return;
        }
        let state = self.files_pass.0.clone();
        if !matches!(state.get(), PassState::Idle) {
            state.set(PassState::Again);
            return;
        }
        state.set(PassState::Running);
        let (user_id, passes) = (who.user.id.clone(), self.signals.files);
        leptos::task::spawn_local(async move {
            loop {
                if let Err(e) = pass_over_files(&user_id).await {
                    leptos::logging::warn!("files: {}", e.message());
                }
                passes.update(|n| *n += 1);
                if matches!(state.get(), PassState::Again) {
                    state.set(PassState::Running);
                } else {
                    state.set(PassState::Idle);
                    break;
                }
            }
        });
    }
}

/// One pass: own files first, then other people's newest first; each that
/// the budget admits is downloaded if missing, each it does not is let go.
/// A file whose size is not known yet is downloaded to learn it. Offline,
/// downloads fail and wait for the next pass; nothing is let go for it.
/// Last, bytes no case names any more (say, of an account emptied to make
/// room while this pass ran) go, unless waiting for upload.
async fn pass_over_files(user_id: &str) -> Result<(), AppError> {
    let db = storage::open_user(user_id).await?;
    if !storage::files_indexed(&db).await? {
        index_stored_cases(&db, user_id).await?;
        storage::set_files_indexed(&db).await?;
    }
    let mut files = storage::files(&db).await?;
    FileBudget::order(&mut files);
    let mut budget = FileBudget::new(storage::file_limit(&db).await?);
    let here = storage::blobs_here(&db).await?;
    let named: std::collections::HashSet<String> = files.iter().map(|(sha256, _)| sha256.clone()).collect();
    for (sha256, entry) in files {
        let is_here = here.contains(&sha256);
        let mut fetched = None;
        let bytes = match entry.bytes {
            Some(bytes) => bytes,
            None => {
                let size = if is_here {
                    storage::blob(&db, &sha256).await?.map(|b| b.len())
                } else {
                    fetched = download(&sha256).await;
                    fetched.as_ref().map(Vec::len)
                };
                let Some(size) = size else { continue };
                let known = FileEntry { bytes: Some(size as u64), ..entry.clone() };
                storage::add_files(&db, &[(sha256.clone(), known)]).await?;
                size as u64
            }
        };
        if !budget.admit(&entry, bytes) {
            if is_here {
                storage::drop_blob(&db, &sha256).await?;
            }
            continue;
        }
        if is_here {
            continue;
        }
        let bytes = match fetched {
            Some(bytes) => Some(bytes),
            None => download(&sha256).await,
        };
        if let Some(bytes) = bytes {
            storage::keep_blob(&db, &sha256, bytes).await?;
        }
    }
    for sha256 in here.difference(&named) {
        storage::drop_blob(&db, sha256).await?;
    }
    db.close();
    Ok(())
}

/// The files of the cases stored before the index existed (an account's
/// database from an earlier build, or cases adopted from one).
async fn index_stored_cases(db: &Database, user_id: &str) -> Result<(), AppError> {
    for summary in storage::summaries(db).await? {
        let Some((doc, _)) = storage::load_doc(db, &summary.id).await? else { continue };
        let case = domain::doc::read(&doc)?;
        let files: Vec<_> = case.files().iter().map(|f| (f.sha256.clone(), FileEntry::of(f, user_id))).collect();
        storage::add_files(db, &files).await?;
    }
    Ok(())
}

/// An attachment from the server, if it answers with bytes that hash to
/// the name asked for (content-addressed: anything else is not kept).
async fn download(sha256: &str) -> Option<Vec<u8>> {
    let bytes = api::download(sha256).await.ok()?;
    (sha256_hex(&bytes) == sha256).then_some(bytes)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
