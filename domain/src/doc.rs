//! The mapping of cases to Automerge documents. All reads and writes of a
//! case document go through here, so the layout is defined once (by the
//! `Hydrate`/`Reconcile` derives on [`CaseDoc`]).

use automerge::transaction::Transactable;
use std::collections::BTreeSet;

use automerge::{ActorId, AutoCommit, ObjType, Patch, PatchAction, Prop, ROOT, ReadDoc};
use autosurgeon::hydrate_prop;

use crate::DomainError;
use crate::case::CaseDoc;
use crate::device_time::TimeFlag;
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
    let mut case: CaseDoc = autosurgeon::hydrate(doc)?;
    // A map key that disagrees with its event's id would let one event
    // shadow another; such a document is corrupt.
    if let Some((key, _)) = case.events.iter().find(|(k, e)| **k != e.id) {
        return Err(DomainError::Document(format!("event key {key} does not match its id")));
    }
    crate::device_time::settle(&mut case);
    Ok(case)
}

/// What a set of patches touched: top-level keys, and event ids (a whole
/// new or replaced `events` map counts as the key `events`).
#[derive(Debug, Default)]
pub struct Touched {
    pub keys: BTreeSet<String>,
    pub events: BTreeSet<String>,
}

impl Touched {
    pub fn of(patches: &[Patch]) -> Touched {
        let mut touched = Touched::default();
        for patch in patches {
            match (patch.path.as_slice(), &patch.action) {
                ([], PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key }) => {
                    touched.keys.insert(key.clone());
                }
                ([(_, Prop::Map(root))], PatchAction::PutMap { key, .. } | PatchAction::DeleteMap { key })
                    if root == "events" =>
                {
                    touched.events.insert(key.clone());
                }
                ([(_, Prop::Map(root)), (_, Prop::Map(id)), ..], _) if root == "events" => {
                    touched.events.insert(id.clone());
                }
                ([(_, Prop::Map(root)), ..], _) => {
                    touched.keys.insert(root.clone());
                }
                _ => {
                    touched.keys.insert(String::new());
                }
            }
        }
        touched
    }
}

/// `before` brought up to date with `doc` by reading only what `touched`
/// names: a case with a thousand events is not read whole for one more.
pub fn reread(doc: &AutoCommit, before: &CaseDoc, touched: &Touched) -> Result<CaseDoc, DomainError> {
    if touched.keys.contains("events") || touched.keys.contains("") {
        return read(doc);
    }
    let mut case = before.clone();
    for key in &touched.keys {
        let key = key.as_str();
        match key {
            "schema" => case.schema = hydrate_prop(doc, ROOT, key)?,
            "id" => case.id = hydrate_prop(doc, ROOT, key)?,
            "number" => case.number = hydrate_prop(doc, ROOT, key)?,
            "created_ms" => case.created_ms = hydrate_prop(doc, ROOT, key)?,
            "district" => case.district = hydrate_prop(doc, ROOT, key)?,
            "enterprise" => case.enterprise = hydrate_prop(doc, ROOT, key)?,
            "contact" => case.contact = hydrate_prop(doc, ROOT, key)?,
            "appeal" => case.appeal = hydrate_prop(doc, ROOT, key)?,
            "time_flags" => case.time_flags = hydrate_prop(doc, ROOT, key)?,
            // Keys outside the schema are the caller's to refuse.
            _ => {}
        }
    }
    if !touched.events.is_empty() {
        let Some((automerge::Value::Object(ObjType::Map), events)) = doc.get(ROOT, "events")? else {
            return read(doc);
        };
        for id in &touched.events {
            if doc.get(&events, id.as_str())?.is_none() {
                case.events.remove(id);
                continue;
            }
            let event: Event = hydrate_prop(doc, &events, id.as_str())?;
            if event.id != *id {
                return Err(DomainError::Document(format!("event key {id} does not match its id")));
            }
            case.events.insert(id.clone(), event);
        }
    }
    crate::device_time::settle(&mut case);
    Ok(case)
}

/// The ids of the events nobody has appended after yet, read straight from
/// the document (see [`CaseDoc::heads`]) without reading whole events.
pub fn event_heads(doc: &AutoCommit) -> Result<Vec<String>, DomainError> {
    let Some((automerge::Value::Object(ObjType::Map), events)) = doc.get(ROOT, "events")? else {
        return Ok(vec![]);
    };
    let mut ids = BTreeSet::new();
    let mut followed = BTreeSet::new();
    for id in doc.keys(&events) {
        if let Some((automerge::Value::Object(ObjType::Map), event)) = doc.get(&events, id.as_str())?
            && let Some((automerge::Value::Object(ObjType::List), after)) = doc.get(&event, "after")?
        {
            for i in 0..doc.length(&after) {
                if let Some((automerge::Value::Scalar(s), _)) = doc.get(&after, i)?
                    && let automerge::ScalarValue::Str(text) = s.as_ref()
                {
                    followed.insert(text.to_string());
                }
            }
        }
        ids.insert(id);
    }
    Ok(ids.into_iter().filter(|id| !followed.contains(id)).collect())
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
    let event = Event { id, author: author.to_string(), at_ms, after: event_heads(doc)?, kind };
    append(doc, &event)?;
    Ok(event)
}

/// Sets the human case number; only the server does this.
pub fn set_number(doc: &mut AutoCommit, number: &str) -> Result<(), DomainError> {
    doc.put(ROOT, "number", number)?;
    doc.commit();
    Ok(())
}

/// Flags events' implausible device times, as one change.
pub fn flag_times(doc: &mut AutoCommit, flags: &[(String, TimeFlag)]) -> Result<(), DomainError> {
    let map = match doc.get(ROOT, "time_flags")? {
        Some((automerge::Value::Object(ObjType::Map), id)) => id,
        _ => doc.put_object(ROOT, "time_flags", ObjType::Map)?,
    };
    for (id, flag) in flags {
        autosurgeon::reconcile_prop(doc, &map, id.as_str(), flag)?;
    }
    doc.commit();
    Ok(())
}
