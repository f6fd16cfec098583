//! One case: its file, its timeline, changes the server refused (flagged
//! with the reason), and what the signed-in user may do next.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use domain::case::CaseDoc;
use domain::directory;
use domain::event::{Channel, EventKind};
use domain::permission::{Action, CaseParties, authorize};
use domain::status::Status;

use super::timeline::{Timeline, describe};
use crate::error::AppError;
use crate::labels;
use crate::session::use_identity;
use crate::storage::{self, RefusedEvent};
use crate::sync::{SyncHandle, use_sync};

/// What the page shows, read from the device.
#[derive(Clone)]
struct Loaded {
    case: CaseDoc,
    refused: Vec<RefusedEvent>,
}

async fn load(id: &str) -> Result<Option<Loaded>, AppError> {
    let db = storage::open().await?;
    let Some((doc, _)) = storage::load_doc(&db, id).await? else { return Ok(None) };
    let case = domain::doc::read(&doc)?;
    let refused = storage::refused(&db, id).await?;
    Ok(Some(Loaded { case, refused }))
}

/// What people type into the action forms and the last save's outcome.
/// Held above the case file, which is re-drawn whenever the case changes
/// (a sync may arrive mid-typing), so nothing typed or reported is lost.
#[derive(Clone, Copy)]
struct Drafts {
    texts: RwSignal<std::collections::HashMap<&'static str, String>>,
    department: RwSignal<String>,
    online: RwSignal<bool>,
    /// Whether the last action was saved (or why not).
    saved: RwSignal<Option<Result<(), String>>>,
}

impl Drafts {
    fn new() -> Drafts {
        Drafts {
            texts: RwSignal::new(Default::default()),
            department: RwSignal::new(directory::DEPARTMENTS[0].code.to_string()),
            online: RwSignal::new(true),
            saved: RwSignal::new(None),
        }
    }
}

fn drafts() -> Drafts {
    use_context::<Drafts>().unwrap_or_else(Drafts::new)
}

#[component]
pub fn CaseView() -> impl IntoView {
    provide_context(Drafts::new());
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let loaded: RwSignal<Option<Result<Option<Loaded>, String>>> = RwSignal::new(None);
    let revision = use_sync().map(|s| s.revision);
    // Re-read whenever a case on the device changed (a sync, an action).
    Effect::new(move |_| {
        let id = id();
        if let Some(revision) = revision {
            revision.track();
        }
        spawn_local(async move {
            loaded.set(Some(load(&id).await.map_err(|e| e.zh())));
        });
    });
    move || match loaded.get() {
        None => view! { <p class="empty">"正在读取…"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
        Some(Ok(None)) => view! { <p class="empty">"本设备上没有这件诉求。"</p> }.into_any(),
        Some(Ok(Some(Loaded { case, refused }))) => view! { <CaseFile case refused /> }.into_any(),
    }
}

#[component]
fn CaseFile(case: CaseDoc, refused: Vec<RefusedEvent>) -> impl IntoView {
    let status = case.state().status();
    let number = case.number.clone().unwrap_or_else(|| "编号待分配".into());
    let events: Vec<_> = case.events.values().cloned().collect();
    view! {
        <article class="case-file" data-testid="case-file">
            <div class="case-top">
                <span class="case-number" data-testid="case-number">{number}</span>
                <span class=format!("status status-{status:?}") data-testid="case-status">{status.zh()}</span>
            </div>
            <h1 class="case-title">{case.appeal.title.clone()}</h1>
            <p class="case-meta">
                <span>{labels::category(&case.appeal.category)}</span>
                <span>{labels::district(&case.district)}</span>
                <span>{case.enterprise.name.clone()}</span>
            </p>
            <p class="case-description">{case.appeal.description.clone()}</p>
            {(!case.appeal.attachments.is_empty())
                .then(|| {
                    view! {
                        <ul class="attachments">
                            {case
                                .appeal
                                .attachments
                                .iter()
                                .map(|a| {
                                    view! {
                                        <li>
                                            <a href=format!("/api/blobs/{}", a.sha256) target="_blank">
                                                {a.name.clone()}
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <h2>"办理过程"</h2>
            <Timeline events />
            {(!refused.is_empty()).then(|| view! { <Refused refused /> })}
            {feedback()}
            <Actions case />
        </article>
    }
}

/// Changes this device made that the server refused: never silently lost.
#[component]
fn Refused(refused: Vec<RefusedEvent>) -> impl IntoView {
    view! {
        <section class="refused" data-testid="refused" role="alert">
            <h2>"未被接受的操作"</h2>
            <ul>
                {refused
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li>
                                <span class="refused-what">{describe(&r.event.kind)}</span>
                                <span class="refused-why">"原因:" {r.reason_zh}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The actions the signed-in user may take on this case now.
#[component]
fn Actions(case: CaseDoc) -> impl IntoView {
    let identity = use_identity();
    let state = case.state();
    let parties = CaseParties { enterprise: &case.enterprise.id, district: &case.district, state: &state };
    let Some(user) = identity.get_untracked().map(|i| i.user) else { return ().into_any() };
    let may = |kind: &EventKind| authorize(&user, &parties, Action::Append(kind)).is_ok();
    let status = state.status();
    let online = state.flow.channel == Some(Channel::Online);
    let id = case.id.clone();
    let reply = may(&EventKind::ReplyOnline { text: String::new() }) && status == Status::Routed && online;
    let add_info = may(&EventKind::AddInfo { text: String::new(), attachments: vec![] });
    let route = may(&EventKind::Route { lead_department: String::new(), assisting: vec![], channel: Channel::Online })
        && matches!(status, Status::Submitted | Status::Routed);
    view! {
        <section class="actions-panel">
            {reply.then(|| text_action(id.clone(), "线上答复", "reply", |text| EventKind::ReplyOnline { text }))}
            {add_info
                .then(|| {
                    text_action(id.clone(), "补充信息", "add-info", |text| EventKind::AddInfo { text, attachments: vec![] })
                })}
            {route.then(|| view! { <RouteForm case_id=id.clone() /> })}
        </section>
    }
    .into_any()
}

/// Saves `kind` through the sync engine; [`feedback`] then tells the
/// person it is on the device (and will sync), or why not.
fn submit(
    sync: Option<SyncHandle>,
    saved: RwSignal<Option<Result<(), String>>>,
    case_id: String,
    kind: EventKind,
    after: impl FnOnce() + 'static,
) {
    let Some(sync) = sync else { return };
    spawn_local(async move {
        let result = sync.record(&case_id, kind).await.map_err(|e| e.zh());
        if result.is_ok() {
            after();
        }
        saved.set(Some(result));
    });
}

/// The outcome of the last action, above the forms (a form may go away
/// once its action is done, e.g. a reply changes the status).
fn feedback() -> impl IntoView {
    let saved = drafts().saved;
    move || match saved.get() {
        Some(Ok(())) => view! { <p class="saved-local" data-testid="saved">"已保存在本设备"</p> }.into_any(),
        Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
        None => ().into_any(),
    }
}

/// A one-text-field action (reply, add information).
fn text_action(
    case_id: String,
    label: &'static str,
    name: &'static str,
    make: fn(String) -> EventKind,
) -> impl IntoView {
    let Drafts { texts, saved, .. } = drafts();
    let sync = use_sync();
    let text = move || texts.with(|t| t.get(name).cloned().unwrap_or_default());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = text().trim().to_string();
        if value.is_empty() {
            saved.set(Some(Err(format!("请填写{label}内容"))));
            return;
        }
        submit(sync.clone(), saved, case_id.clone(), make(value), move || {
            texts.update(|t| {
                t.remove(name);
            })
        });
    };
    view! {
        <form class="action" data-testid=name on:submit=on_submit novalidate>
            <label class="field">
                <span>{label}</span>
                <textarea
                    name=name
                    rows="3"
                    prop:value=text
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        texts.update(|t| {
                            t.insert(name, value);
                        })
                    }
                ></textarea>
            </label>
            <button type="submit" class="button primary">{label}</button>
        </form>
    }
}

/// The coordinator routes the case to a lead department.
#[component]
fn RouteForm(case_id: String) -> impl IntoView {
    let Drafts { department, online, saved, .. } = drafts();
    let sync = use_sync();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let channel = if online.get_untracked() { Channel::Online } else { Channel::Session };
        let kind = EventKind::Route { lead_department: department.get_untracked(), assisting: vec![], channel };
        submit(sync.clone(), saved, case_id.clone(), kind, || ());
    };
    view! {
        <form class="action" data-testid="route" on:submit=on_submit>
            <super::fields::SelectField
                label="牵头部门"
                value=department
                options=&directory::DEPARTMENTS
                name="lead_department"
            />
            <label class="check">
                <input
                    type="checkbox"
                    name="online"
                    prop:checked=move || online.get()
                    on:change=move |ev| online.set(event_target_checked(&ev))
                />
                <span>"线上答复(不勾选则提交现场活动)"</span>
            </label>
            <button type="submit" class="button primary">"受理并分办"</button>
        </form>
    }
}
