//! Accepting checked changes: numbered if new, stored with everything that
//! goes with them (group commit), then acknowledged and relayed.

use domain::sync::server::{Acceptance, Effect};

use crate::store::{Accepted, AuditEntry, CaseRow, Written, heads_text};
use crate::sync::live::LiveDoc;
use crate::sync::server_actor;
use crate::{ServerError, notify};

use super::Hub;

/// Changes kept beside a snapshot before they are folded into it.
const COMPACT_AFTER: usize = 64;

impl Hub {
    /// Makes checked changes durable; then what follows (acknowledge,
    /// relay), or `None` if another instance changed the case meanwhile.
    /// A new case gets its number here, before anyone sees it. Unless they
    /// are stored, the caller poisons `live`.
    pub(super) async fn accept(
        &self,
        id: &str,
        live: &mut LiveDoc,
        accepted: Box<Acceptance>,
    ) -> Result<Option<Vec<Effect>>, ServerError> {
        let mut accepted = accepted;
        // Judged on the client's changes alone, before the server adds its own.
        let receipt = self.receipt_of(accepted.from, id, &accepted.hashes, live.doc.automerge());
        if accepted.created {
            let year = domain::time::Day::of_instant(self.clock.now_ms()).year();
            let number = self.numberer.next(year).await?;
            live.doc.number(&mut accepted, &number, server_actor())?;
        }
        if let Some(receipt) = receipt {
            live.doc.flag_times(
                &mut accepted,
                receipt,
                self.in_force.policy.current().device_time_tolerance_ms,
                server_actor(),
            )?;
        }
        let changes = std::mem::take(&mut accepted.changes);
        let heads = live.doc.automerge().get_heads();
        let uncompacted = live.uncompacted + changes.len();
        let snapshot = (uncompacted >= COMPACT_AFTER).then(|| live.doc.automerge().save());
        let case = &accepted.case;
        // Who did what: the events these changes added.
        let previous = live.doc.case();
        let known = previous.map(|(c, _)| &c.events);
        let new_events: Vec<_> =
            case.events.values().filter(|e| known.is_none_or(|k| !k.contains_key(&e.id))).cloned().collect();
        let added: Vec<String> = new_events.iter().map(|e| format!("{} {}", e.kind.name(), e.id)).collect();
        let action = if accepted.created { "create" } else { "change" };
        let user = self.user_of(accepted.from).map(|u| u.id).unwrap_or_default();
        let audit = AuditEntry::new(self.clock.now_ms(), &user, action, Some(id), added.join(", "));
        let state = case.state();
        let row = CaseRow::of(case, &state, &heads);
        let departments_changed = previous.is_none_or(|(_, before)| CaseRow::departments_of(before) != row.departments);
        let written = self
            .committer
            .commit(Accepted {
                row,
                before: heads_text(&accepted.before),
                changes,
                snapshot,
                peer_state: self.storage_key_of(accepted.from).map(|key| (key, accepted.peer_state.clone())),
                audit,
                departments_changed,
                blobs: case.attachments(),
            })
            .await?;
        if written == Written::Stale {
            return Ok(None);
        }
        // On disk: now the case may be shown to anyone, and who it now
        // concerns told (off the sync path).
        live.uncompacted = if uncompacted >= COMPACT_AFTER { 0 } else { uncompacted };
        if notify::news::worth_telling(&new_events) {
            let (store, case, state, now) = (self.store.clone(), case.clone(), state.clone(), self.clock.now_ms());
            tokio::spawn(async move {
                if let Err(e) = notify::news::queue(&store, &case, &state, &new_events, now).await {
                    tracing::error!(error = %e, case = case.id, "queueing notifications failed");
                }
            });
        }
        Ok(Some(live.doc.stored(accepted, state)))
    }
}
