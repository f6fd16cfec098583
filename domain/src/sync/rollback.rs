//! The client's side of a refusal: take the refused changes, and everything
//! built on them, out of the local document, and hand back the events they
//! held so the app can keep them flagged with the reason.

use std::collections::HashSet;

use automerge::{AutoCommit, ChangeHash};

use crate::DomainError;
use crate::doc;
use crate::event::Event;

/// The document without `refused` and their descendants, and the events
/// that went with them. Unknown hashes are ignored, so rolling back twice is
/// harmless.
pub fn roll_back(current: &mut AutoCommit, refused: &[ChangeHash]) -> Result<(AutoCommit, Vec<Event>), DomainError> {
    let mut dropped: HashSet<ChangeHash> = refused.iter().copied().collect();
    let mut kept = Vec::new();
    // `get_changes` lists changes in causal order, so a change's
    // dependencies are decided before the change itself.
    for change in current.get_changes(&[]) {
        if dropped.contains(&change.hash()) || change.deps().iter().any(|d| dropped.contains(d)) {
            dropped.insert(change.hash());
        } else {
            kept.push(change);
        }
    }
    let mut rebuilt = AutoCommit::new();
    rebuilt.apply_changes(kept)?;
    let before = doc::read(current).ok();
    let after = doc::read(&rebuilt).ok();
    let lost = match (before, after) {
        (Some(before), after) => {
            let kept_ids = after.map(|a| a.events).unwrap_or_default();
            before.events.into_values().filter(|e| !kept_ids.contains_key(&e.id)).collect()
        }
        (None, _) => vec![],
    };
    Ok((rebuilt, lost))
}
