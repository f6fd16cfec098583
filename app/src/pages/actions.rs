//! The action panel of a case: what the signed-in user may do now
//! (`domain::work::available`), one form per action drawn from
//! `domain::work::fields`, turned into an event by `domain::work::build`
//! and saved through the sync engine. What people typed is held above the
//! case file, which is redrawn whenever a sync changes the case.
//! The inputs that offer a choice are in `action_inputs.rs`, the actions'
//! names in `action_names.rs`.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use domain::case::{AttachmentRef, CaseDoc};
use domain::event::ReviewLevel;
use domain::meeting;
use domain::permission::User;
use domain::status::CaseState;
use domain::work::{self, ActionKind, FieldSpec, Form, Input};

use super::action_inputs::{departments, people, select};
use super::action_names::label;
use super::attachments::AttachmentField;
use super::duplicates::Duplicates;
use super::sessions;
use super::timeline::describe;
use crate::clock;
use crate::i18n::{say, tr};
use crate::labels;
use crate::officials;
use crate::sync::use_sync;

/// Typed values and the open form, kept while the case is redrawn.
#[derive(Clone, Copy)]
pub struct Drafts {
    /// `action/field` → value.
    values: RwSignal<HashMap<String, String>>,
    open: RwSignal<Option<ActionKind>>,
    /// Whether the last action was saved (or why not).
    saved: RwSignal<Option<Result<(), String>>>,
    /// Actions saved on this page so far: tells one "saved" from the next.
    saves: RwSignal<u32>,
    /// Files picked for the open form (kept on the device already).
    files: RwSignal<Vec<AttachmentRef>>,
    file_errors: RwSignal<Vec<String>>,
}

impl Drafts {
    pub fn new() -> Drafts {
        Drafts {
            values: RwSignal::new(HashMap::new()),
            open: RwSignal::new(None),
            saved: RwSignal::new(None),
            saves: RwSignal::new(0),
            files: RwSignal::new(Vec::new()),
            file_errors: RwSignal::new(Vec::new()),
        }
    }
}

fn drafts() -> Drafts {
    use_context::<Drafts>().unwrap_or_else(Drafts::new)
}

fn key(action: ActionKind, field: &str) -> String {
    format!("{}/{field}", action.name())
}

/// The actions the signed-in user may take on this case now.
#[component]
pub fn Actions(case: CaseDoc, state: CaseState, user: User) -> impl IntoView {
    let Drafts { open, files, .. } = drafts();
    let actions = work::available(&user, &case, &state);
    if actions.is_empty() {
        return ().into_any();
    }
    if actions.len() == 1 && open.get_untracked().is_none() {
        open.set(actions.first().copied());
    }
    let still_open = open.get_untracked().is_some_and(|a| actions.contains(&a));
    if !still_open && actions.len() > 1 {
        open.set(None);
    }
    view! {
        <section class="actions-panel" data-testid="actions">
            <h2>{tr("办理", "Actions")}</h2>
            <div class="action-buttons">
                {actions
                    .iter()
                    .map(|&action| {
                        view! {
                            <button
                                type="button"
                                class=move || if open.get() == Some(action) { "chip active" } else { "chip" }
                                data-action=action.name()
                                on:click=move |_| {
                                    // Files picked belong to the form they were picked in.
                                    if open.get_untracked() != Some(action) {
                                        files.set(Vec::new());
                                    }
                                    open.set(Some(action));
                                }
                            >
                                {label(action)}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            {move || open.get().map(|action| view! { <ActionForm action case=case.clone() state=state.clone() /> })}
        </section>
    }
    .into_any()
}

#[component]
fn ActionForm(action: ActionKind, case: CaseDoc, state: CaseState) -> impl IntoView {
    let Drafts { values, open, saved, saves, files, .. } = drafts();
    let sync = use_sync();
    let specs = work::fields(action);
    let inputs = specs.iter().map(|spec| field(action, spec, &case, &state)).collect_view();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut form: Form = values.with_untracked(|v| {
            specs
                .iter()
                .filter_map(|s| v.get(&key(action, s.key)).map(|value| (s.key.to_string(), value.clone())))
                .collect()
        });
        // Picked files are already on the device; the event names them by hash.
        let hashes = files.with_untracked(|l| l.iter().map(|a| a.sha256.clone()).collect::<Vec<_>>().join(","));
        for spec in specs.iter().filter(|s| s.input == Input::Files) {
            form.insert(spec.key.to_string(), hashes.clone());
        }
        let kind = match work::build(action, &form, &case, &state, &clock::policy().directory) {
            Ok(kind) => kind,
            Err(e) => return saved.set(Some(Err(say(&e.label())))),
        };
        let Some(sync) = sync.clone() else { return };
        let case_id = case.id.clone();
        spawn_local(async move {
            let result = sync.record(&case_id, kind).await.map_err(|e| e.message());
            if result.is_ok() {
                values.update(|v| v.retain(|k, _| !k.starts_with(&format!("{}/", action.name()))));
                open.set(None);
                files.set(Vec::new());
                saves.update(|n| *n += 1);
            }
            saved.set(Some(result));
        });
    };
    view! {
        <form class="action" data-testid=action.name() on:submit=on_submit novalidate>
            {inputs}
            <button type="submit" class="button primary">{label(action)}</button>
        </form>
    }
}

/// The outcome of the last action, above the panel (a form goes away once
/// its action is done).
pub fn feedback() -> impl IntoView {
    let Drafts { saved, saves, .. } = drafts();
    move || match saved.get() {
        Some(Ok(())) => view! {
            <p class="saved-local" data-testid="saved" data-count=move || saves.get()>
                {tr("已保存在本设备", "Saved on this device")}
            </p>
        }
        .into_any(),
        Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
        None => ().into_any(),
    }
}

/// The starting value of a field: what the case already says, where it says it.
fn initial(action: ActionKind, spec: &FieldSpec, case: &CaseDoc, state: &CaseState) -> String {
    let flow = &state.flow;
    if action == ActionKind::Publish {
        // The coordinator starts from the current wording and takes out what is personal.
        return state.records.public_title.clone().unwrap_or_else(|| case.appeal.title.clone());
    }
    match spec.input {
        // A new case starts from the directory's suggestion for its
        // category and district.
        Input::Department => flow.lead_department.clone().unwrap_or_else(|| {
            let suggested = clock::policy().directory.suggestion(&case.appeal.category, &case.district).cloned();
            suggested
                .map(|s| s.lead)
                .or_else(|| labels::units_for(&case.district).into_iter().next().map(|u| u.0))
                .unwrap_or_default()
        }),
        Input::Departments if action == ActionKind::Decide => flow.assisting.join(","),
        Input::Departments if action == ActionKind::Route => {
            let suggested = clock::policy().directory.suggestion(&case.appeal.category, &case.district).cloned();
            suggested.map(|s| s.assisting.join(",")).unwrap_or_default()
        }
        Input::Channel => (if case.appeal.wants_session { "session" } else { "online" }).into(),
        // The session the enterprise booked, if it is still to come.
        Input::Session => {
            let sessions = upcoming(case);
            let booked =
                state.records.booked.as_ref().map(|(id, _)| id).filter(|id| sessions.iter().any(|s| &s.id == *id));
            booked.cloned().or_else(|| sessions.first().map(|s| s.id.clone())).unwrap_or_default()
        }
        Input::OpenMilestone => flow
            .milestones
            .iter()
            .find(|m| !state.records.ticked.contains_key(&m.id))
            .map(|m| m.id.clone())
            .unwrap_or_default(),
        Input::Check => "false".into(),
        Input::Leader => officials::leaders_for(&case.district).into_iter().next().map(|o| o.0).unwrap_or_default(),
        Input::Officer => {
            let unit = flow.lead_department.as_deref().unwrap_or_default();
            officials::officers_of(unit).into_iter().next().map(|o| o.0).unwrap_or_default()
        }
        _ => String::new(),
    }
}

fn upcoming(case: &CaseDoc) -> Vec<meeting::Session> {
    meeting::open_to(&clock::policy().calendar, &case.district, clock::today(), &sessions::known_ids())
}

/// One input of an action form, bound to the drafts.
fn field(action: ActionKind, spec: &'static FieldSpec, case: &CaseDoc, state: &CaseState) -> AnyView {
    let values = drafts().values;
    let k = key(action, spec.key);
    if values.with_untracked(|v| !v.contains_key(&k)) {
        let start = initial(action, spec, case, state);
        values.update_untracked(|v| {
            v.insert(k.clone(), start);
        });
    }
    let value = {
        let k = k.clone();
        move || values.with(|v| v.get(&k).cloned().unwrap_or_default())
    };
    let set = {
        let k = k.clone();
        move |new: String| values.update(|v| drop(v.insert(k.clone(), new)))
    };
    let on_input = {
        let set = set.clone();
        move |ev: leptos::ev::Event| set(event_target_value(&ev))
    };
    let label = crate::i18n::label(spec.label);
    let name = spec.key;
    match spec.input {
        Input::OtherCase => {
            let (enterprise, title, except) = (case.enterprise.id.clone(), case.appeal.title.clone(), case.id.clone());
            let pick = Callback::new(set.clone());
            view! {
                <label class="field">
                    <span>{label}</span>
                    <input type="text" name=name prop:value=value on:input=on_input />
                </label>
                <Duplicates enterprise_id=enterprise title=title except pick />
            }
            .into_any()
        }
        Input::Text => view! {
            <label class="field">
                <span>{label}</span>
                <input type="text" name=name prop:value=value on:input=on_input />
            </label>
        }
        .into_any(),
        Input::LongText | Input::Milestones => {
            let hint = if spec.input == Input::Milestones { "2026-12-31 完成用地报批" } else { "" };
            view! {
                <label class="field">
                    <span>{label}</span>
                    <textarea name=name rows="3" placeholder=hint prop:value=value on:input=on_input></textarea>
                </label>
            }
            .into_any()
        }
        Input::Score | Input::WorkingDays => {
            let score = value.clone();
            let level = move || {
                score().trim().parse::<u8>().ok().filter(|s| *s <= 100).map(|s| {
                    let level = ReviewLevel::of_score(s);
                    crate::i18n::label(level.label())
                })
            };
            let is_score = spec.input == Input::Score;
            view! {
                <label class="field">
                    <span>{label}</span>
                    <input type="number" inputmode="numeric" name=name prop:value=value on:input=on_input />
                    {is_score.then(|| view! { <span class="level" data-testid="level">{level}</span> })}
                </label>
            }
            .into_any()
        }
        Input::Check => view! {
            <label class="check">
                <input
                    type="checkbox"
                    name=name
                    prop:checked=move || value() == "true"
                    on:change=move |ev| set(event_target_checked(&ev).to_string())
                />
                <span>{label}</span>
            </label>
        }
        .into_any(),
        Input::Department => select(label, name, value, on_input, labels::units_for(&case.district)),
        Input::Leader => {
            let district = case.district.clone();
            people(label, name, value, set, move || officials::leaders_for(&district))
        }
        Input::Officer => {
            let unit = state.flow.lead_department.clone().unwrap_or_default();
            people(label, name, value, set, move || officials::officers_of(&unit))
        }
        Input::Channel => select(
            label,
            name,
            value,
            on_input,
            vec![
                ("online".into(), tr("线上答复", "Answer online").into()),
                ("session".into(), tr("提交现场活动", "Take to an on-site session").into()),
            ],
        ),
        Input::Session => select(
            label,
            name,
            value,
            on_input,
            upcoming(case).iter().map(|s| (s.id.clone(), labels::session(s))).collect(),
        ),
        Input::OpenMilestone => {
            let open = state.flow.milestones.iter().filter(|m| !state.records.ticked.contains_key(&m.id));
            select(
                label,
                name,
                value,
                on_input,
                open.map(|m| (m.id.clone(), format!("{} · {}", m.due, m.title))).collect(),
            )
        }
        Input::ConflictOption => {
            let options = state.conflict.iter().flat_map(|c| &c.options);
            let choices = options
                .map(|o| {
                    let what = case.events.get(&o.event).map(|e| describe(&e.kind)).unwrap_or_default();
                    (o.event.clone(), format!("{what} → {}", labels::status(o.result.status)))
                })
                .collect();
            select(label, name, value, on_input, choices)
        }
        Input::Departments => departments(label, name, labels::units_for(&case.district), value, set),
        Input::Files => {
            let Drafts { files, file_errors, .. } = drafts();
            view! {
                <AttachmentField list=files errors=file_errors />
                {move || {
                    let problems = file_errors.get();
                    (!problems.is_empty())
                        .then(|| {
                            view! {
                                <ul class="error" role="alert">
                                    {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                </ul>
                            }
                        })
                }}
            }
            .into_any()
        }
    }
}
