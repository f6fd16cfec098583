//! The engine's attachments: uploading the ones captured on this device,
//! and downloading the ones its cases name, so they open offline.

use super::Engine;
use crate::api;
use crate::error::AppError;
use crate::storage;

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

    /// Fetches the attachments of the cases on the device that are not
    /// here yet, in a task of its own (the engine goes on syncing), so a
    /// case's photos and documents open offline too. One that fails is
    /// asked for again when its case next changes.
    pub(super) fn download_files(&mut self) {
        let (Some(who), false) = (&self.identity, self.files_wanted.is_empty()) else { return };
        let wanted = std::mem::take(&mut self.files_wanted);
        let user_id = who.user.id.clone();
        leptos::task::spawn_local(async move {
            let Ok(db) = storage::open_user(&user_id).await else { return };
            for sha256 in wanted {
                if storage::has_blob(&db, &sha256).await.unwrap_or(true) {
                    continue;
                }
                // Content-addressed: bytes that do not hash to their name are not kept.
                if let Ok(bytes) = api::download(&sha256).await
                    && sha256_hex(&bytes) == sha256
                    && let Err(e) = storage::keep_blob(&db, &sha256, bytes).await
                {
                    leptos::logging::warn!("attachment {sha256}: {}", e.message());
                }
            }
            db.close();
        });
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
