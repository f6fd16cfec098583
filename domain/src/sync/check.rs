//! The server's check of the changes a client sends: they are applied to a
//! fork, never to the real document, and accepted only if every one was
//! made under the sender's own actor, touches only the case schema, keeps
//! recorded events as they were, and is allowed by [`authorize`].

use crate::label::{Label, Text};
use automerge::{AutoCommit, Change, ChangeHash, ROOT, ReadDoc};

use crate::DomainError;
use crate::case::{CaseDoc, SCHEMA_VERSION};
use crate::directory::Directory;
use crate::doc::{self, Touched};
use crate::event::Event;
use crate::event::EventKind;
use crate::permission::{Action, CaseParties, Denied, Field, User, authorize};
use crate::roster::Roster;
use crate::status::CaseState;
use crate::sync::actor_belongs;
use crate::sync::inflate::{MAX_INFLATED_BYTES, check_inflated_size};

/// The top-level keys of a case document (see [`CaseDoc`]).
const CASE_KEYS: [&str; 10] =
    ["schema", "id", "number", "created_ms", "district", "enterprise", "contact", "appeal", "events", "time_flags"];

/// Changes that passed the check, and the case as they leave it.
#[derive(Debug)]
pub struct Checked {
    /// Exactly the changes that were checked: the caller applies these, and
    /// never the message's raw bytes (which could hold more).
    pub changes: Vec<Change>,
    pub case: CaseDoc,
    /// The changes created the document.
    pub created: bool,
    /// The server's copy with exactly `changes` applied (the fork they
    /// were checked on): taken as the new copy, so they are not applied
    /// twice.
    pub doc: AutoCommit,
}

/// Why changes were refused. Shown to their author, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    Denied(Denied),
    /// A change was made under an actor id that is not the sender's.
    ForeignActor,
    /// The bytes are not Automerge changes, or do not make a case.
    Malformed(String),
    /// Changes that build on changes the server does not have (listed):
    /// held back until those arrive, not refused.
    MissingDependencies(Vec<ChangeHash>),
    /// A key outside the case schema.
    UnknownKey(String),
    /// A field that is fixed once the case exists.
    Immutable(&'static str),
    /// An event already recorded was changed or removed.
    EventRewritten(String),
    /// An event names someone else as its author.
    WrongAuthor(String),
    /// A new case or edited field fails validation.
    Invalid(DomainError),
    /// The case would hold more than [`MAX_EVENTS_PER_CASE`] events.
    TooManyEvents,
    /// The message's chunks would inflate past [`MAX_INFLATED_BYTES`].
    TooLarge,
    /// Changes that build on changes refused before.
    BuildsOnRefused,
}

/// A case's events at most. Real cases have dozens; the cap bounds what
/// one party can make every other party download and the server keep.
pub const MAX_EVENTS_PER_CASE: usize = 5_000;

impl Rejection {
    /// Why, in both languages.
    pub fn label(&self) -> Text {
        let both = Text::owned;
        match self {
            Rejection::Denied(d) => d.label().text(),
            Rejection::ForeignActor => {
                Label::new("变更不是以您的身份做出的", "the change was not made under your identity").text()
            }
            Rejection::Malformed(why) => both(format!("变更格式无效:{why}"), format!("malformed change: {why}")),
            Rejection::MissingDependencies(_) => {
                Label::new("变更依赖于服务器没有的变更", "the change builds on changes the server does not have").text()
            }
            Rejection::UnknownKey(key) => {
                both(format!("案件文档中不允许字段“{key}”"), format!("field '{key}' is not allowed in a case document"))
            }
            Rejection::Immutable(field) => {
                both(format!("案件创建后不能修改“{field}”"), format!("'{field}' cannot change once the case exists"))
            }
            Rejection::EventRewritten(id) => both(
                format!("已记录的事件 {id} 不能修改或删除"),
                format!("recorded event {id} cannot be changed or removed"),
            ),
            Rejection::WrongAuthor(id) => {
                both(format!("事件 {id} 的作者不是您"), format!("event {id} names another author"))
            }
            Rejection::Invalid(e) => e.label(),
            Rejection::TooManyEvents => both(
                format!("一个案件最多记录 {MAX_EVENTS_PER_CASE} 条事件"),
                format!("a case holds at most {MAX_EVENTS_PER_CASE} events"),
            ),
            Rejection::TooLarge => both(
                format!("一次同步的数据解压后不能超过 {} MB", MAX_INFLATED_BYTES >> 20),
                format!("a sync message may hold at most {} MB once inflated", MAX_INFLATED_BYTES >> 20),
            ),
            Rejection::BuildsOnRefused => {
                Label::new("变更基于已被拒绝的变更", "the change builds on a change that was refused").text()
            }
        }
    }
}

/// What changes are checked against besides their sender: the directory
/// and the roster of officials in force.
#[derive(Debug, Clone, Copy)]
pub struct InForce<'a> {
    pub directory: &'a Directory,
    pub roster: &'a Roster,
}

/// Refused changes: their hashes (so the author can roll them back) and why.
pub type Refusal = (Vec<ChangeHash>, Rejection);

/// Checks `chunks` (the change bytes of one sync message) from `user`
/// against `current`, the server's copy of document `document_id` (empty if
/// the server has never seen it), which holds `known`: the case and its
/// derived state (the caller keeps them; `None` for an empty document).
/// Codes and named people are checked against what is `in_force`. Returns `None`
/// when nothing in them is new. `current` itself is never modified.
pub fn check_incoming(
    current: &mut AutoCommit,
    known: Option<(&CaseDoc, &CaseState)>,
    document_id: &str,
    chunks: &[&[u8]],
    user: &User,
    in_force: InForce<'_>,
) -> Result<Option<Checked>, Refusal> {
    let (mut fork, added) = load_into_fork(current, chunks).map_err(|why| (vec![], why))?;
    let hashes: Vec<ChangeHash> = added.iter().map(|c| c.hash()).collect();
    let refuse = |why: Rejection| (hashes.clone(), why);
    let missing = fork.get_missing_deps(&[]);
    if !missing.is_empty() {
        return Err(refuse(Rejection::MissingDependencies(missing)));
    }
    if added.is_empty() {
        return Ok(None);
    }
    if added.iter().any(|c| !actor_belongs(&user.id, c.actor_id())) {
        return Err(refuse(Rejection::ForeignActor));
    }
    let touched = match known {
        Some(_) => {
            // From the fork's log of what the changes did (see
            // `load_into_fork`), not a scan of the whole document.
            let (before_heads, after_heads) = (current.get_heads(), fork.get_heads());
            let patches = fork.diff(&before_heads, &after_heads);
            fork.reset_diff_cursor();
            Touched::of(&patches)
        }
        // Everything is new and read whole: only the keys matter, and
        // listing them is much cheaper than a diff of the whole document.
        None => Touched { keys: fork.keys(ROOT).collect(), events: Default::default() },
    };
    if let Some(key) = touched.keys.iter().find(|k| !CASE_KEYS.contains(&k.as_str())) {
        let key = if key.is_empty() { "(root)".to_string() } else { key.clone() };
        return Err(refuse(Rejection::UnknownKey(key)));
    }
    let after = match &known {
        Some((before, _)) => doc::reread(&fork, before, &touched),
        None => doc::read(&fork),
    }
    .map_err(|e| refuse(Rejection::Malformed(e.to_string())))?;
    if after.id != document_id || after.schema != SCHEMA_VERSION {
        return Err(refuse(Rejection::Malformed("document id or schema".into())));
    }
    if after.events.len() > MAX_EVENTS_PER_CASE {
        return Err(refuse(Rejection::TooManyEvents));
    }
    let created = known.is_none();
    match known {
        None => check_new_case(&after, user, in_force).map_err(refuse)?,
        Some((before, state)) => check_edit(before, state, &after, user, in_force).map_err(refuse)?,
    }
    Ok(Some(Checked { changes: added, case: after, created, doc: fork }))
}

/// The changes in `chunks` that `current` lacks, loaded into a fork. The
/// chunks are joined as the sync protocol joins them, so what is checked is
/// what the message carries.
fn load_into_fork(current: &mut AutoCommit, chunks: &[&[u8]]) -> Result<(AutoCommit, Vec<Change>), Rejection> {
    let joined = chunks.concat();
    check_inflated_size(&joined, MAX_INFLATED_BYTES)?;
    let mut fork = current.fork();
    // Log what loading does, so the diff of before and after the changes
    // reads that log instead of every op of the case. (No effect on an
    // empty document, which is read whole anyway.)
    fork.update_diff_cursor();
    fork.load_incremental(&joined).map_err(|e| Rejection::Malformed(e.to_string()))?;
    let added = current.get_changes_added(&mut fork);
    Ok((fork, added))
}

/// The changes in `chunks` that `current` lacks, unchecked (to name what is
/// refused, and what it builds on); none if the chunks do not load.
pub fn new_changes(current: &mut AutoCommit, chunks: &[&[u8]]) -> Vec<Change> {
    load_into_fork(current, chunks).map(|(_, added)| added).unwrap_or_default()
}

fn check_new_case(case: &CaseDoc, user: &User, in_force: InForce<'_>) -> Result<(), Rejection> {
    let directory = in_force.directory;
    if case.number.is_some() || !case.time_flags.is_empty() {
        return Err(Rejection::Denied(Denied::ServerOnly));
    }
    let valid =
        |same: bool| if same { Ok(()) } else { Err(Rejection::Malformed("fields not in canonical form".into())) };
    valid(case.enterprise.clone().validate(directory).map_err(Rejection::Invalid)? == case.enterprise)?;
    valid(case.contact.clone().validate().map_err(Rejection::Invalid)? == case.contact)?;
    valid(case.appeal.clone().validate(directory).map_err(Rejection::Invalid)? == case.appeal)?;
    directory.open_district(&case.district).map_err(Rejection::Invalid)?;
    // Creating a case is editing its appeal while it is a draft.
    let empty = CaseDoc { events: Default::default(), ..case.clone() };
    let state = empty.state();
    let parties = CaseParties { enterprise: &case.enterprise.id, district: &case.district, state: &state };
    authorize(user, &parties, Action::Edit(Field::Appeal)).map_err(Rejection::Denied)?;
    new_events(&empty, &parties, case, user, in_force)
}

fn check_edit(
    before: &CaseDoc,
    state: &CaseState,
    after: &CaseDoc,
    user: &User,
    in_force: InForce<'_>,
) -> Result<(), Rejection> {
    let directory = in_force.directory;
    let fixed = [
        ("schema", before.schema == after.schema),
        ("id", before.id == after.id),
        ("created_ms", before.created_ms == after.created_ms),
        ("district", before.district == after.district),
        ("enterprise", before.enterprise == after.enterprise),
    ];
    if let Some((field, _)) = fixed.iter().find(|(_, same)| !same) {
        return Err(Rejection::Immutable(field));
    }
    let parties = CaseParties { enterprise: &before.enterprise.id, district: &before.district, state };
    let edits = [
        (Field::CaseNumber, before.number != after.number),
        (Field::TimeFlags, before.time_flags != after.time_flags),
        (Field::Contact, before.contact != after.contact),
        (Field::Appeal, before.appeal != after.appeal),
    ];
    for (field, _) in edits.iter().filter(|(_, changed)| *changed) {
        authorize(user, &parties, Action::Edit(*field)).map_err(Rejection::Denied)?;
    }
    if before.contact != after.contact {
        after.contact.clone().validate().map_err(Rejection::Invalid)?;
    }
    if before.appeal != after.appeal {
        after.appeal.clone().validate(directory).map_err(Rejection::Invalid)?;
    }
    new_events(before, &parties, after, user, in_force)
}

/// Recorded events stay as they were; each new one is the user's and allowed.
fn new_events(
    before: &CaseDoc,
    parties: &CaseParties<'_>,
    after: &CaseDoc,
    user: &User,
    in_force: InForce<'_>,
) -> Result<(), Rejection> {
    if let Some(id) = before.events.iter().find(|(id, e)| after.events.get(*id) != Some(e)).map(|(id, _)| id) {
        return Err(Rejection::EventRewritten(id.clone()));
    }
    let added = after.events.values().filter(|e| !before.events.contains_key(&e.id));
    for event in added {
        check_event(event, user, parties, in_force)?;
    }
    Ok(())
}

fn check_event(event: &Event, user: &User, parties: &CaseParties<'_>, in_force: InForce<'_>) -> Result<(), Rejection> {
    if event.author != user.id {
        return Err(Rejection::WrongAuthor(event.id.clone()));
    }
    event.validate(parties.district, in_force.directory).map_err(Rejection::Invalid)?;
    authorize(user, parties, Action::Append(&event.kind)).map_err(Rejection::Denied)?;
    named_people(&event.kind, parties, in_force.roster).map_err(Rejection::Invalid)
}

/// The people an event names are officials who may hold that part: a
/// lead leader serves the case's district (or the city); the officer
/// handling it belongs to the lead unit.
fn named_people(kind: &EventKind, parties: &CaseParties<'_>, roster: &Roster) -> Result<(), crate::DomainError> {
    match kind {
        EventKind::Decide { lead_leader: leader, .. } | EventKind::AssignLeader { leader } => {
            roster.leader_for(leader, parties.district).map(drop)
        }
        EventKind::Assign { officer } => match parties.state.flow.lead_department.as_deref() {
            Some(unit) => roster.officer_of(officer, unit).map(drop),
            // No lead unit yet: the lifecycle refuses it.
            None => Ok(()),
        },
        _ => Ok(()),
    }
}
