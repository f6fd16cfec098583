//! What the sync indicator says, worked out again after every input.

use leptos::prelude::*;

use domain::status::Status;

use super::{Engine, FIRST_RETRY_MS};
use crate::clock;
use crate::sync::SyncStatus;

impl Engine {
    pub(super) fn update_status(&mut self) {
        let waiting = self.summaries.values().filter(|s| s.unsynced && s.status != Status::Draft).count();
        if waiting != self.signals.unsynced.get_untracked() {
            self.signals.unsynced.set(waiting);
        }
        let unsynced = waiting > 0;
        let next = if self.signed_out {
            SyncStatus::SignedOut { unsynced }
        } else if !self.joined() {
            SyncStatus::unjoined(self.socket.is_some() && self.retry_ms == FIRST_RETRY_MS, unsynced)
        } else if unsynced || self.exchanging() {
            SyncStatus::Syncing
        } else {
            match self.signals.status.get_untracked() {
                synced @ SyncStatus::Synced { .. } => synced,
                _ => SyncStatus::Synced { at_ms: clock::now_ms() },
            }
        };
        if next != self.signals.status.get_untracked() {
            self.signals.status.set(next);
        }
    }
}
