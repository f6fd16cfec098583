//! The engine's documents on the device: bringing a case into memory,
//! writing it (document, summary and sync state in one transaction), and
//! what a page or the server changed in it.

use automerge::AutoCommit;
use automerge::sync::State as SyncState;
use leptos::prelude::*;

use domain::case::CaseDoc;
use domain::doc;
use domain::event::{Event, EventKind};
use domain::file_budget::FileEntry;
use domain::label::Text;
use domain::summary::Context;
use domain::sync::heads_hex;

use super::{Engine, SNAPSHOT_AFTER};
use crate::clock;
use crate::error::AppError;
use crate::storage::{self, CaseSummary, DocWrite, RefusedEvent};

impl Engine {
    /// Brings a case's document and sync state into memory.
    pub(super) async fn ensure(&mut self, id: &str) -> Result<(), AppError> {
        if self.peer()?.has(id) {
            return Ok(());
        }
        let (doc, state) = self.load(id).await?;
        self.peer()?.insert(id, doc, state);
        Ok(())
    }

    /// A case's document and sync state as stored (new ones if none).
    pub(super) async fn load(&mut self, id: &str) -> Result<(AutoCommit, SyncState), AppError> {
        let doc = match storage::load_doc(self.cases()?, id).await? {
            Some((mut doc, records)) => {
                self.stored.insert(id.to_string(), (doc.get_heads(), records));
                doc
            }
            None => AutoCommit::new(),
        };
        let state = storage::sync_state(self.cases()?, id).await?.and_then(|b| SyncState::decode(&b).ok());
        Ok((doc, state.unwrap_or_default()))
    }

    /// Writes a case's document, summary and sync state in one transaction.
    pub(super) async fn save(&mut self, id: &str, unsynced: bool) -> Result<(), AppError> {
        let Some(peer) = &mut self.peer else { return Ok(()) };
        let state = peer.state(id).map(SyncState::encode);
        let Some(doc) = peer.doc_mut(id) else { return Ok(()) };
        let case = doc::read(doc)?;
        let user = self.identity.as_ref().map_or("", |who| who.user.id.as_str());
        let files: Vec<_> = case.files().iter().map(|f| (f.sha256.clone(), FileEntry::of(f, user))).collect();
        self.files_noted |= !files.is_empty();
        let summary = CaseSummary::of(
            &case,
            Context {
                calendar: &self.policy.calendar,
                rules: self.policy.rules_for(&case),
                heads: heads_hex(&doc.get_heads()),
                updated_ms: clock::now_ms(),
                unsynced,
            },
        );
        // Small writes for small edits: the changes since what is stored,
        // and now and then a fresh snapshot.
        let heads = doc.get_heads();
        let write = match self.stored.get(id) {
            Some((stored_heads, records)) if *records < SNAPSHOT_AFTER => {
                DocWrite::Changes { sequence: records + 1, bytes: doc.save_after(stored_heads) }
            }
            _ => DocWrite::Snapshot(doc.save()),
        };
        let records = match &write {
            DocWrite::Changes { sequence, .. } => *sequence,
            DocWrite::Snapshot(_) => 0,
        };
        storage::save_case(self.cases()?, &summary, write, &files, state).await?;
        self.stored.insert(id.to_string(), (heads, records));
        let new_session =
            summary.session.as_ref().is_some_and(|s| !self.signals.sessions.with_untracked(|l| l.contains(s)));
        self.summaries.insert(id.to_string(), summary);
        if new_session {
            self.publish_sessions();
        }
        self.signals.revision.update(|r| *r += 1);
        Ok(())
    }

    /// The sessions the cases on the device are on, for pages that list
    /// sessions or offer them (a special session is known from its cases).
    pub(super) fn publish_sessions(&self) {
        let mut ids: Vec<String> = self.summaries.values().filter_map(|s| s.session.clone()).collect();
        ids.sort_unstable();
        ids.dedup();
        if self.signals.sessions.with_untracked(|known| *known != ids) {
            self.signals.sessions.set(ids);
        }
    }

    pub(super) async fn record(&mut self, id: &str, kind: EventKind) -> Result<(), AppError> {
        let author = self.identity.as_ref().map(|i| i.user.id.clone()).ok_or(AppError::SignedOut)?;
        self.ensure(id).await?;
        let doc = self.peer()?.doc_mut(id).ok_or(AppError::SignedOut)?;
        doc::record(doc, uuid::Uuid::new_v4().to_string(), &author, clock::now_ms(), kind)?;
        self.save_made(id).await
    }

    pub(super) async fn create(&mut self, case: CaseDoc, submit: bool) -> Result<(), AppError> {
        let author = self.identity.as_ref().map(|i| i.user.id.clone()).ok_or(AppError::SignedOut)?;
        let peer = self.peer()?;
        let mut document = doc::create(&case, peer.actor().clone())?;
        if submit {
            doc::record(&mut document, uuid::Uuid::new_v4().to_string(), &author, clock::now_ms(), EventKind::Submit)?;
        }
        peer.insert_case(&case.id, document, SyncState::new());
        self.save_made(&case.id).await
    }

    /// Stores what a page just did. If it cannot be stored (the device is
    /// full), the document goes back to what storage holds — it leaves
    /// memory and is read again when next used — so a change the user was
    /// told is not saved is never sent, nor saved later behind their back.
    async fn save_made(&mut self, id: &str) -> Result<(), AppError> {
        let saved = self.save(id, true).await;
        if saved.is_err() {
            if let Some(peer) = self.peer.as_mut() {
                peer.forget(id);
            }
            self.stored.remove(id);
        }
        saved
    }

    /// Sends the server what it lacks of `id`, if connected. Drafts stay
    /// Stores what the server sent, once the document holds a whole case
    /// (the device must not claim to share what it does not hold).
    pub(super) async fn received(
        &mut self,
        id: &str,
        heads_moved: bool,
        shared_moved: bool,
        unsynced: bool,
        whole: bool,
    ) -> Result<(), AppError> {
        let was_unsynced = self.summaries.get(id).is_some_and(|s| s.unsynced);
        if whole && (heads_moved || unsynced != was_unsynced) {
            // News from the server does not make the device's work unsynced.
            self.save(id, unsynced && was_unsynced).await?;
        } else if whole && shared_moved {
            let state = self.peer()?.state(id).map(SyncState::encode).unwrap_or_default();
            storage::save_sync_state(self.cases()?, id, state).await?;
        }
        Ok(())
    }

    /// Keeps the refused events, flagged with the reason, where the case
    /// page shows them, and writes under the new actor from now on.
    pub(super) async fn refused(
        &mut self,
        id: &str,
        lost: Vec<Event>,
        reason: Text,
        actor: &automerge::ActorId,
        case_refused: bool,
    ) -> Result<(), AppError> {
        let refused: Vec<RefusedEvent> = lost
            .into_iter()
            .map(|event| RefusedEvent {
                case_id: id.into(),
                event,
                reason_zh: reason.zh.clone(),
                reason_en: reason.en.clone(),
            })
            .collect();
        storage::add_refused(self.cases()?, &refused).await?;
        if let Ok(suffix) = actor.to_bytes()[8..].try_into() {
            self.device.actor_suffix = suffix;
            storage::set_device(&self.device_db, &self.device).await?;
        }
        if case_refused {
            // The document stays on the device as it was, flagged, rather
            // than lose what was typed.
            self.signals.revision.update(|r| *r += 1);
            return Ok(());
        }
        // The stored changes include the refused ones: start from a snapshot.
        self.stored.remove(id);
        self.save(id, false).await
    }
}
