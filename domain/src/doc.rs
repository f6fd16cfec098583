//! The mapping of cases to Automerge documents. All reads and writes of a
//! case document go through here, so the layout is defined once (by the
//! `Hydrate`/`Reconcile` derives on [`CaseDoc`]).

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ObjType, ROOT, ReadDoc};

use crate::DomainError;
use crate::case::CaseDoc;
use crate::event::{Event, EventKind};

/// A new document holding `case`, written under `actor` (see
/// [`crate::sync::actor_for`]: the server accepts a user's changes only
/// under that user's actors).
pub fn create(case: &CaseDoc, actor: ActorId) -> Result<AutoCommit, DomainError> {
    let mut doc = AutoCommit::new().with_actor(actor);
    autosurgeon::reconcile(&mut doc, case)?;
    doc.commit();
    Ok(doc)
}

pub fn load(bytes: &[u8]) -> Result<AutoCommit, DomainError> {
    Ok(AutoCommit::load(bytes)?)
}

pub fn read(doc: &AutoCommit) -> Result<CaseDoc, DomainError> {
    let case: CaseDoc = autosurgeon::hydrate(doc)?;
    // A map key that disagrees with its event's id would let one event
    // shadow another; such a document is corrupt.
    if let Some((key, _)) = case.events.iter().find(|(k, e)| **k != e.id) {
        return Err(DomainError::Document(format!("event key {key} does not match its id")));
    }
    Ok(case)
}

/// Appends one event under its id, touching nothing else in the document.
pub fn append(doc: &mut AutoCommit, event: &Event) -> Result<(), DomainError> {
    let events = match doc.get(ROOT, "events")? {
        Some((automerge::Value::Object(ObjType::Map), id)) => id,
        _ => doc.put_object(ROOT, "events", ObjType::Map)?,
    };
    autosurgeon::reconcile_prop(doc, &events, event.id.as_str(), event)?;
    // One event, one change: a change is the unit the server checks and
    // relays, and an open transaction must not leak into a clone or a save.
    doc.commit();
    Ok(())
}

/// Builds the next event of `case`, following its current heads.
pub fn next_event(case: &CaseDoc, id: String, author: &str, at_ms: i64, kind: EventKind) -> Event {
    Event { id, author: author.to_string(), at_ms, after: case.heads(), kind }
}

/// Appends an event built from the document's current heads and returns it.
pub fn record(
    doc: &mut AutoCommit,
    id: String,
    author: &str,
    at_ms: i64,
    kind: EventKind,
) -> Result<Event, DomainError> {
    let case = read(doc)?;
    let event = next_event(&case, id, author, at_ms, kind);
    append(doc, &event)?;
    Ok(event)
}

/// Sets the human case number; only the server does this.
pub fn set_number(doc: &mut AutoCommit, number: &str) -> Result<(), DomainError> {
    doc.put(ROOT, "number", number)?;
    doc.commit();
    Ok(())
}
