//! Accepting checked changes: numbered if new, stored with everything that
//! goes with them (group commit), then acknowledged and relayed.

use automerge::ChangeHash;
use automerge::sync::{Message as SyncMessage, SyncDoc};
use domain::sync::Checked;

use crate::ServerError;
use crate::store::{Accepted, AuditEntry, CaseRow, Written};
use crate::sync::live::{ConnId, LiveDoc};
use crate::sync::server_actor;

use super::Hub;

/// Changes kept beside a snapshot before they are folded into it.
const COMPACT_AFTER: usize = 64;

impl Hub {
    /// Applies checked changes, makes them durable, then acknowledges and
    /// relays. A new case gets its number here, before anyone sees it.
    /// `before` is the case's heads the changes were checked against.
    /// Unless they are stored, the caller poisons `live`.
    pub(super) async fn accept(
        &self,
        conn: ConnId,
        id: &str,
        live: &mut LiveDoc,
        before: &str,
        message: SyncMessage,
        checked: Checked,
    ) -> Result<Written, ServerError> {
        self.peer_state(conn, id, live).await?;
        let mut hashes: Vec<ChangeHash> = checked.changes.iter().map(|c| c.hash()).collect();
        // The message now carries exactly the checked changes (the sync
        // protocol's bookkeeping needs them to arrive in the message).
        let mut message = message;
        message.changes = checked.changes.iter().map(|c| c.raw_bytes().to_vec()).collect::<Vec<_>>().into();
        let Some(state) = live.peers.get_mut(&conn) else { return Ok(Written::Stale) };
        live.doc.sync().receive_sync_message(state, message)?;
        let peer_state = state.encode();
        let mut case = checked.case;
        if checked.created {
            let year = domain::time::Day::of_instant(self.clock.now_ms()).year();
            let store = self.store.clone();
            let number = store.next_case_number(year).await?;
            live.doc.set_actor(server_actor());
            domain::doc::set_number(&mut live.doc, &number)?;
            hashes.extend(live.doc.get_heads());
            case.number = Some(number);
        }
        let changes: Vec<Vec<u8>> =
            hashes.iter().filter_map(|h| live.doc.get_change_by_hash(h)).map(|c| c.raw_bytes().to_vec()).collect();
        // Who did what: the events these changes added.
        let known = live.case.as_ref().map(|(c, _)| &c.events);
        let added: Vec<String> = case
            .events
            .values()
            .filter(|e| known.is_none_or(|k| !k.contains_key(&e.id)))
            .map(|e| format!("{} {}", e.kind.name(), e.id))
            .collect();
        let action = if checked.created { "create" } else { "change" };
        let user = self.user_of(conn).map(|u| u.id).unwrap_or_default();
        let audit = AuditEntry::new(self.clock.now_ms(), &user, action, Some(id), added.join(", "));
        let state = case.state();
        let row = CaseRow::of(&case, &state, &live.doc.get_heads());
        let departments_changed =
            live.case.as_ref().is_none_or(|(_, before)| CaseRow::departments_of(before) != row.departments);
        let blobs = attachments(&case);
        let uncompacted = live.uncompacted + changes.len();
        let snapshot = (uncompacted >= COMPACT_AFTER).then(|| live.doc.save());
        let accepted = Accepted {
            row,
            before: before.to_string(),
            changes,
            snapshot,
            peer_state: self.storage_key_of(conn).map(|key| (key, peer_state)),
            audit,
            departments_changed,
            blobs,
        };
        let written = self.committer.commit(accepted).await?;
        if written == Written::Stale {
            return Ok(written);
        }
        // On disk: now the case may be shown to anyone.
        live.case = Some((case, state));
        live.uncompacted = if uncompacted >= COMPACT_AFTER { 0 } else { uncompacted };
        self.offer(conn, id, live);
        self.relay(id, live, conn);
        Ok(Written::Stored)
    }
}

/// Every attachment a case names: the appeal's, added information's, and
/// resolution evidence.
fn attachments(case: &domain::case::CaseDoc) -> Vec<String> {
    use domain::event::EventKind;
    let mut shas: Vec<String> = case.appeal.attachments.iter().map(|a| a.sha256.clone()).collect();
    for event in case.events.values() {
        match &event.kind {
            EventKind::AddInfo { attachments, .. } => shas.extend(attachments.iter().cloned()),
            EventKind::Resolve { evidence, .. } => shas.extend(evidence.iter().cloned()),
            _ => {}
        }
    }
    shas
}
