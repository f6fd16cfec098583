//! One case: its file, its timeline, changes the server refused (flagged
//! with the reason), its deadlines with their lights, and what the
//! signed-in user may do next.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use domain::case::CaseDoc;
use domain::deadline::{self, ClockKind};
use domain::permission::Role;
use domain::status::CaseState;
use domain::time::Day;

use super::actions::{Actions, Drafts, feedback};
use super::responsibility::Responsibility;
use super::timeline::{Timeline, describe};
use super::who_to_call::WhoToCall;
use crate::api::use_identity;
use crate::clock;
use crate::error::AppError;
use crate::i18n::{Lang, lang, pick, tr};
use crate::labels;
use crate::storage::{self, RefusedEvent};
use crate::sync::use_sync;

/// What the page shows, read from the device.
#[derive(Clone)]
struct Loaded {
    case: CaseDoc,
    refused: Vec<RefusedEvent>,
}

async fn load(id: &str) -> Result<Option<Loaded>, AppError> {
    let db = storage::open_current().await?;
    let Some(case) = read_case(id.to_string()).await? else { return Ok(None) };
    let refused = storage::refused(&db, id).await?;
    Ok(Some(Loaded { case, refused }))
}

/// Reading a case needs Automerge: it lives in a lazily loaded module.
#[leptos::lazy]
async fn read_case(id: String) -> Result<Option<CaseDoc>, AppError> {
    let db = storage::open_current().await?;
    let Some((doc, _)) = storage::load_doc(&db, &id).await? else { return Ok(None) };
    Ok(Some(domain::doc::read(&doc)?))
}

#[component]
pub fn CaseView() -> impl IntoView {
    provide_context(Drafts::new());
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let loaded: RwSignal<Option<Result<Option<Loaded>, String>>> = RwSignal::new(None);
    let revision = use_sync().map(|s| s.revision);
    // Re-read whenever a case on the device changed (a sync, an action).
    // Reads can finish out of order (the server's own change, such as a
    // time flag, arrives just after the user's): only the latest read is
    // shown, or an older one would hide the newer state until the next
    // change.
    let latest = StoredValue::new(0_u64);
    Effect::new(move |_| {
        let id = id();
        if let Some(revision) = revision {
            revision.track();
        }
        latest.update_value(|n| *n += 1);
        let this_read = latest.get_value();
        spawn_local(async move {
            let read = load(&id).await.map_err(|e| e.message());
            if latest.try_get_value() == Some(this_read) {
                loaded.set(Some(read));
            }
        });
    });
    move || match loaded.get() {
        None => view! { <p class="empty">{tr("正在读取…", "Reading…")}</p> }.into_any(),
        Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
        Some(Ok(None)) => {
            view! { <p class="empty">{tr("本设备上没有这件诉求。", "This case is not on this device.")}</p> }.into_any()
        }
        Some(Ok(Some(Loaded { case, refused }))) => view! { <CaseFile case refused /> }.into_any(),
    }
}

#[component]
fn CaseFile(case: CaseDoc, refused: Vec<RefusedEvent>) -> impl IntoView {
    let state = case.state();
    let status = state.status();
    let number = case.number.clone().unwrap_or_else(|| tr("编号待分配", "Number pending").into());
    let events: Vec<_> = state.order.iter().filter_map(|id| case.events.get(id)).cloned().collect();
    let flags = case.time_flags.clone();
    let identity = use_identity();
    let case_for_officials = case.clone();
    let filer = case.enterprise.clone();
    view! {
        <article class="case-file" data-testid="case-file">
            <div class="case-top">
                <span class="case-number" data-testid="case-number">{number}</span>
                <span class=format!("status status-{status:?}") data-testid="case-status">{labels::status(status)}</span>
            </div>
            <h1 class="case-title">{case.appeal.title.clone()}</h1>
            <p class="case-meta">
                <span>{labels::category(&case.appeal.category)}</span>
                <span>{labels::district(&case.district)}</span>
                <span>{case.enterprise.name.clone()}</span>
            </p>
            <p class="case-description">{case.appeal.description.clone()}</p>
            <Attachments case=case.clone() />
            <Responsibility state=state.clone() />
            {move || identity.get().is_some_and(|i| i.user.role != Role::Enterprise).then(|| view! { <WhoToCall case=case_for_officials.clone() /> })}
            <Deadlines case=case.clone() state=state.clone() />
            {state.conflict.is_some().then(|| view! { <ConflictNotice case=case.clone() state=state.clone() /> })}
            <h2>{tr("办理过程", "Timeline")}</h2>
            {move || {
                let official = identity.get().is_some_and(|i| i.user.role != Role::Enterprise);
                view! { <Timeline events=events.clone() flags=flags.clone() official enterprise=filer.clone() /> }
            }}
            {(!refused.is_empty()).then(|| view! { <Refused refused /> })}
            {(case.number.is_some()).then(|| view! { <PublicLink case_id=case.id.clone() /> })}
            {(case.number.is_some()).then(|| view! { <Letters case_id=case.id.clone() /> })}
            {feedback()}
            {move || identity.get().map(|i| view! { <Actions case=case.clone() state=state.clone() user=i.user /> })}
        </article>
    }
}

/// The case's public progress page and its QR code, to print or share.
/// The link comes from the server, so it needs the network once.
#[component]
fn PublicLink(case_id: String) -> impl IntoView {
    let link: RwSignal<Option<Result<domain::contract::PublicLink, String>>> = RwSignal::new(None);
    let fetch = move |_| {
        let case_id = case_id.clone();
        spawn_local(async move {
            let result = crate::api::public_link(&case_id).await.map_err(|e| e.message());
            link.set(Some(result));
        });
    };
    view! {
        <section class="public-link" data-testid="public-link">
            <h2>{tr("公开进度页", "Public progress page")}</h2>
            {move || {
                let shown = link.get().and_then(Result::ok);
                let failed = link.get().and_then(Result::err);
                match shown {
                    Some(domain::contract::PublicLink { path, code }) => view! {
                        <p>
                            <a href=path.clone() target="_blank" rel="noopener">{tr("打开公开进度页", "Open the public page")}</a>
                        </p>
                        <p>
                            {tr("查询码", "Query code")} " " <strong class="code" data-testid="query-code">{code}</strong>
                            " · " {tr("凭编号和查询码可在“进度查询”页查看", "with the case number, it finds this page under Look up")}
                        </p>
                        <img class="qr" src=format!("{path}/qr.svg") alt=tr("公开进度页二维码", "QR code of the public page") width="160" height="160" />
                    }
                    .into_any(),
                    // Offline or refused: say why and let the person try again.
                    None => view! {
                        {failed.map(|message| view! { <p class="error" role="alert">{message}</p> })}
                        <button type="button" class="button" on:click=fetch.clone()>
                            {tr("获取公开链接和二维码", "Get the public link and QR code")}
                        </button>
                    }
                    .into_any(),
                }
            }}
        </section>
    }
}

/// The monthly progress notices (发函) the server issued for the case.
/// They live on the server, so the list needs the network.
#[component]
fn Letters(case_id: String) -> impl IntoView {
    let letters: RwSignal<Option<Result<Vec<crate::api::Letter>, String>>> = RwSignal::new(None);
    let load = move || {
        let case_id = case_id.clone();
        spawn_local(async move {
            letters.set(Some(crate::api::letters(&case_id).await.map_err(|e| e.message())));
        });
    };
    load();
    view! {
        <section class="letters" data-testid="letters">
            <h2>{tr("进度告知函", "Monthly progress letters")}</h2>
            {move || match letters.get() {
                None => view! { <p class="muted">{tr("正在获取……", "Loading…")}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="muted">{tr("每月初,仍在办理的诉求会收到上月的进度告知函。", "Each month, open appeals get a letter on the month before.")}</p>
                }
                .into_any(),
                Some(Ok(list)) => view! {
                    <ul>
                        {list
                            .into_iter()
                            .map(|l| view! {
                                <li>
                                    <a href=l.path.clone() target="_blank" rel="noopener">{labels::month(&l.month)}</a>
                                    <span class="muted">{format!(" · {} {}", tr("发出", "issued"), l.issued)}</span>
                                    " · "
                                    <a href=format!("{}?download", l.path) download data-testid="download-letter">{tr("下载", "Download")}</a>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
                Some(Err(message)) => {
                    let retry = load.clone();
                    view! {
                        <p class="error" role="alert">{message}</p>
                        <button type="button" class="button" on:click=move |_| retry()>{tr("重试", "Try again")}</button>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Attachments(case: CaseDoc) -> impl IntoView {
    (!case.appeal.attachments.is_empty()).then(|| {
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
    })
}

fn clock_name(kind: &ClockKind) -> String {
    match kind {
        ClockKind::Triage => tr("受理分办", "Triage").into(),
        ClockKind::OnlineReply => tr("线上答复", "Online reply").into(),
        ClockKind::Resolution => tr("办结", "Resolution").into(),
        ClockKind::Milestone { title, .. } => pick(format!("节点:{title}"), format!("Milestone: {title}")),
        ClockKind::ProgressUpdate => tr("报告进展", "Progress update").into(),
        ClockKind::BadReviewCallback => tr("差评回访", "Call back after a bad review").into(),
        ClockKind::BadReviewRectify => tr("差评整改", "Rectify after a bad review").into(),
    }
}

/// Every running clock with its due date and light, the timetable, and
/// whether the case was resolved by its deadline.
#[component]
fn Deadlines(case: CaseDoc, state: CaseState) -> impl IntoView {
    let today = clock::today();
    let policy = clock::policy();
    let (calendar, rules) = (&policy.calendar, policy.rules_for(&case));
    let clocks = deadline::open_clocks(calendar, rules, &state);
    let milestones = state.flow.milestones.clone();
    let ticked = state.records.ticked.clone();
    let resolved = domain::stats::first_resolution(&case, &state, calendar, rules);
    (!clocks.is_empty() || !milestones.is_empty() || resolved.is_some()).then(|| {
        view! {
            <section class="deadlines" data-testid="deadlines">
                <h2>{tr("期限", "Deadlines")}</h2>
                <ul>
                    {clocks
                        .into_iter()
                        .map(|c| {
                            let light = c.light(calendar, today);
                            view! {
                                <li data-light=format!("{light:?}").to_lowercase()>
                                    <span class=format!("light light-{light:?}")>{labels::light(light)}</span>
                                    <span>{clock_name(&c.kind)}</span>
                                    <time>{labels::due(c.due)}</time>
                                </li>
                            }
                        })
                        .collect_view()}
                    {milestones
                        .into_iter()
                        .filter_map(|m| ticked.get(&m.id).map(|at| (m, *at)))
                        .map(|(m, at)| {
                            view! {
                                <li class="done">
                                    <span class="light light-Done">{tr("已完成", "Done")}</span>
                                    <span>{m.title}</span>
                                    <time>{labels::date(at)}</time>
                                </li>
                            }
                        })
                        .collect_view()}
                    {resolved.map(|(day, on_time)| resolution(day, on_time))}
                </ul>
            </section>
        }
    })
}

/// The first resolution against its deadline: red when it came late.
fn resolution(day: Day, on_time: bool) -> impl IntoView {
    let (light, text) = if on_time {
        ("Done", tr("按期办结", "Resolved on time"))
    } else {
        ("Red", tr("逾期办结", "Resolved late"))
    };
    view! {
        <li class="done" data-light=light.to_lowercase() data-testid="resolution">
            <span class=format!("light light-{light}")>{text}</span>
            <span>{tr("办结", "Resolution")}</span>
            <time>{day.to_string()}</time>
        </li>
    }
}

/// Two people moved the case differently while offline: both shown, kept
/// until someone with the right role settles it.
#[component]
fn ConflictNotice(case: CaseDoc, state: CaseState) -> impl IntoView {
    let options = state.conflict.map(|c| c.options).unwrap_or_default();
    let people = crate::people::use_people();
    view! {
        <section class="conflict" data-testid="conflict" role="alert">
            <h2>{tr("待裁定的冲突", "Conflict to settle")}</h2>
            <p>{tr("以下操作在离线时同时发生,互不知情。由协调员选定其一。", "These were done at the same time, offline, unaware of each other. The coordinator chooses one.")}</p>
            <ul>
                {options
                    .into_iter()
                    .map(|o| {
                        let event = case.events.get(&o.event);
                        let what = event.map(|e| describe(&e.kind)).unwrap_or_default();
                        let author = event.map(|e| e.author.clone()).unwrap_or_default();
                        let enterprise = case.enterprise.clone();
                        view! {
                            <li>
                                <span>{what}</span>
                                " → "
                                <strong>{labels::status(o.result.status)}</strong>
                                <span class="who">{move || crate::people::name_on_case(people, &author, &enterprise)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Changes this device made that the server refused: never silently lost.
#[component]
fn Refused(refused: Vec<RefusedEvent>) -> impl IntoView {
    view! {
        <section class="refused" data-testid="refused" role="alert">
            <h2>{tr("未被接受的操作", "Changes not accepted")}</h2>
            <ul>
                {refused
                    .into_iter()
                    .map(|r| {
                        let reason = if lang() == Lang::En { r.reason_en } else { r.reason_zh };
                        view! {
                            <li>
                                <span class="refused-what">{describe(&r.event.kind)}</span>
                                <span class="refused-why">{tr("原因:", "Reason: ")} {reason}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
