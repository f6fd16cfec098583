//! The mapping of cases to Automerge documents. All reads and writes of a
//! case document go through here. The layout is serde's, one way for both
//! directions: writing turns a value into a tree ([`tree_of`]) that
//! Automerge lays down in one batch
//! ([`Transactable::batch_create_object`]); reading materialises the
//! document in one pass ([`automerge::Automerge::hydrate`]) and
//! deserialises that tree. autosurgeon's field-by-field writer and reader
//! made recording an event 4× and reading a case 3.4× slower (see
//! BENCH.md, step 11); its derives stay as the reference the tests hold
//! this layout to.

use automerge::transaction::Transactable;
use std::collections::{BTreeSet, HashMap};

use automerge::hydrate::Value as Tree;
use automerge::{
    ActorId, AutoCommit, ObjId, ObjType, Patch, PatchAction, Prop, ROOT, ReadDoc, ScalarValue, ScalarValueRef, ValueRef,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_value::Value as SerdeValue;

use crate::DomainError;
use crate::case::CaseDoc;
use crate::device_time::TimeFlag;
use crate::event::{Event, EventKind};

/// A new document holding `case`, written under `actor` (see
/// [`crate::sync::actor_for`]: the server accepts a user's changes only
/// under that user's actors).
pub fn create(case: &CaseDoc, actor: ActorId) -> Result<AutoCommit, DomainError> {
    let mut doc = AutoCommit::new().with_actor(actor);
    let Tree::Map(root) = tree_of(case)? else {
        return Err(DomainError::Document("a case is not written as a map".into()));
    };
    doc.init_root_from_hydrate(&root)?;
    doc.commit();
    Ok(doc)
}

pub fn load(bytes: &[u8]) -> Result<AutoCommit, DomainError> {
    Ok(AutoCommit::load(bytes)?)
}

pub fn read(doc: &AutoCommit) -> Result<CaseDoc, DomainError> {
    let mut case: CaseDoc = from_tree(&doc.hydrate(ROOT, None)?)?;
    // A map key that disagrees with its event's id would let one event
    // shadow another; such a document is corrupt.
    if let Some((key, _)) = case.events.iter().find(|(k, e)| **k != e.id) {
        return Err(DomainError::Document(format!("event key {key} does not match its id")));
    }
    crate::device_time::settle(&mut case);
    Ok(case)
}

/// The value of a materialised document (or part of one) as `T`.
fn from_tree<T: DeserializeOwned>(tree: &Tree) -> Result<T, DomainError> {
    serde_json::from_value(json_of(tree)?).map_err(|e| DomainError::Document(e.to_string()))
}

/// A materialised document as JSON, the shape serde reads: maps, lists,
/// scalars as themselves. Kinds the case layout never writes (text
/// objects, bytes, floats that are not numbers, unknown types) are
/// refused, not guessed at, as autosurgeon's reader refused them.
fn json_of(tree: &Tree) -> Result<serde_json::Value, DomainError> {
    use serde_json::Value as Json;
    Ok(match tree {
        Tree::Map(map) => Json::Object(
            map.iter().map(|(k, v)| Ok((k.clone(), json_of(&v.value)?))).collect::<Result<_, DomainError>>()?,
        ),
        Tree::List(list) => Json::Array(list.iter().map(|v| json_of(&v.value)).collect::<Result<_, _>>()?),
        Tree::Text(_) => return Err(DomainError::Document("a text object where the case has a value".into())),
        Tree::Scalar(scalar) => match scalar {
            ScalarValue::Str(s) => Json::String(s.to_string()),
            ScalarValue::Int(i) | ScalarValue::Timestamp(i) => Json::from(*i),
            ScalarValue::Uint(u) => Json::from(*u),
            ScalarValue::Counter(c) => Json::from(i64::from(c)),
            ScalarValue::F64(f) => serde_json::Number::from_f64(*f)
                .map(Json::Number)
                .ok_or_else(|| DomainError::Document(format!("{f} is not a number")))?,
            ScalarValue::Boolean(b) => Json::Bool(*b),
            ScalarValue::Null => Json::Null,
            other => return Err(DomainError::Document(format!("unexpected value {other}"))),
        },
    })
}

/// `value` as the tree Automerge writes in one batch: the inverse of
/// [`json_of`], through serde's data model rather than JSON so that
/// unsigned integers stay unsigned, as autosurgeon wrote them (its reader,
/// in apps not yet updated, refuses a signed one in an unsigned field).
fn tree_of<T: Serialize>(value: &T) -> Result<Tree, DomainError> {
    tree_of_serde(serde_value::to_value(value).map_err(|e| DomainError::Document(e.to_string()))?)
}

fn tree_of_serde(value: SerdeValue) -> Result<Tree, DomainError> {
    let scalar = |s: ScalarValue| Ok(Tree::Scalar(s));
    match value {
        SerdeValue::Bool(b) => scalar(ScalarValue::Boolean(b)),
        SerdeValue::U8(u) => scalar(ScalarValue::Uint(u.into())),
        SerdeValue::U16(u) => scalar(ScalarValue::Uint(u.into())),
        SerdeValue::U32(u) => scalar(ScalarValue::Uint(u.into())),
        SerdeValue::U64(u) => scalar(ScalarValue::Uint(u)),
        SerdeValue::I8(i) => scalar(ScalarValue::Int(i.into())),
        SerdeValue::I16(i) => scalar(ScalarValue::Int(i.into())),
        SerdeValue::I32(i) => scalar(ScalarValue::Int(i.into())),
        SerdeValue::I64(i) => scalar(ScalarValue::Int(i)),
        SerdeValue::F32(f) => scalar(ScalarValue::F64(f.into())),
        SerdeValue::F64(f) => scalar(ScalarValue::F64(f)),
        SerdeValue::Char(c) => scalar(ScalarValue::Str(c.to_string().into())),
        SerdeValue::String(s) => scalar(ScalarValue::Str(s.into())),
        SerdeValue::Unit | SerdeValue::Option(None) => scalar(ScalarValue::Null),
        SerdeValue::Option(Some(inner)) | SerdeValue::Newtype(inner) => tree_of_serde(*inner),
        SerdeValue::Seq(items) => Ok(items.into_iter().map(tree_of_serde).collect::<Result<Vec<_>, _>>()?.into()),
        SerdeValue::Map(map) => {
            let entries = map.into_iter().map(|(key, value)| match key {
                SerdeValue::String(key) => Ok((key, tree_of_serde(value)?)),
                other => Err(DomainError::Document(format!("a map key that is not text: {other:?}"))),
            });
            Ok(Tree::Map(entries.collect::<Result<HashMap<_, _>, _>>()?.into()))
        }
        SerdeValue::Bytes(_) => Err(DomainError::Document("bytes where the case has a value".into())),
    }
}

/// Writes `value` at `key` of map `obj`: an object in one batch, a
/// scalar as one op.
fn put_value<T: Serialize>(doc: &mut AutoCommit, obj: &ObjId, key: &str, value: &T) -> Result<(), DomainError> {
    match tree_of(value)? {
        Tree::Scalar(scalar) => doc.put(obj, key, scalar)?,
        tree => drop(doc.batch_create_object(obj, key, &tree, false)?),
    }
    Ok(())
}

/// The value at `key` of map `obj` as `T`; `None` if the key is absent.
fn read_key<T: DeserializeOwned>(doc: &AutoCommit, obj: &ObjId, key: &str) -> Result<Option<T>, DomainError> {
    let tree = match doc.get(obj, key)? {
        None => return Ok(None),
        Some((automerge::Value::Object(_), id)) => doc.hydrate(&id, None)?,
        Some((automerge::Value::Scalar(scalar), _)) => Tree::Scalar(scalar.into_owned()),
    };
    from_tree(&tree).map(Some)
}

/// Like [`read_key`], for a key the case must have (or, for an `Option`,
/// may lack: absent reads as `None`, as from the whole document).
fn read_field<T: DeserializeOwned>(doc: &AutoCommit, key: &str) -> Result<T, DomainError> {
    match read_key(doc, &ROOT, key)? {
        Some(value) => Ok(value),
        None => from_tree(&Tree::Scalar(ScalarValue::Null)),
    }
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
            "schema" => case.schema = read_field(doc, key)?,
            "id" => case.id = read_field(doc, key)?,
            "number" => case.number = read_field(doc, key)?,
            "created_ms" => case.created_ms = read_field(doc, key)?,
            "district" => case.district = read_field(doc, key)?,
            "enterprise" => case.enterprise = read_field(doc, key)?,
            "contact" => case.contact = read_field(doc, key)?,
            "appeal" => case.appeal = read_field(doc, key)?,
            "time_flags" => case.time_flags = read_key(doc, &ROOT, key)?.unwrap_or_default(),
            // Keys outside the schema are the caller's to refuse.
            _ => {}
        }
    }
    if !touched.events.is_empty() {
        let Some((automerge::Value::Object(ObjType::Map), events)) = doc.get(ROOT, "events")? else {
            return read(doc);
        };
        for id in &touched.events {
            let Some(event) = read_key::<Event>(doc, &events, id)? else {
                case.events.remove(id);
                continue;
            };
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
    // One pass over the events map and over each `after` list: seeking
    // every key and index on its own cost half again as much.
    for event in doc.map_range(&events, ..) {
        if let ValueRef::Object(ObjType::Map) = event.value
            && let Some((automerge::Value::Object(ObjType::List), after)) = doc.get(event.id(), "after")?
        {
            for item in doc.list_range(&after, ..) {
                if let ValueRef::Scalar(ScalarValueRef::Str(text)) = item.value {
                    followed.insert(text.into_owned());
                }
            }
        }
        ids.insert(event.key.into_owned());
    }
    Ok(ids.into_iter().filter(|id| !followed.contains(id)).collect())
}

/// Appends one event under its id, touching nothing else in the document.
pub fn append(doc: &mut AutoCommit, event: &Event) -> Result<(), DomainError> {
    let events = match doc.get(ROOT, "events")? {
        Some((automerge::Value::Object(ObjType::Map), id)) => id,
        _ => doc.put_object(ROOT, "events", ObjType::Map)?,
    };
    put_value(doc, &events, &event.id, event)?;
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
        put_value(doc, &map, id, flag)?;
    }
    doc.commit();
    Ok(())
}
