//! A session's page: the agenda read from the cases on the device, so a
//! leader can work in the session room without signal (each item opens the
//! case file with the decision form). The coordinator builds the agenda
//! here, invites the enterprises on it, records who came and moves the
//! session; each of these is an event on the cases concerned, synced like
//! any other, so every enterprise sees it on its own case.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use domain::event::EventKind;
use domain::meeting::Session;
use domain::permission::Role;
use domain::status::{Invitation, Status};
use domain::time::Day;

use super::case_list::summaries_on_device;
use super::sessions::remember;
use crate::api::use_identity;
use crate::clock;
use crate::i18n::{pick, say, tr};
use crate::labels;
use crate::storage::CaseSummary;
use crate::sync::{SyncHandle, use_sync};

type Loaded = Option<Result<Vec<CaseSummary>, String>>;

#[component]
pub fn SessionView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let cases = summaries_on_device();
    let identity = use_identity();
    move || {
        let Ok(session) = Session::parse(&id()) else {
            return view! { <p class="error" role="alert">{tr("没有这场现场活动。", "No such session.")}</p> }
                .into_any();
        };
        let coordinator = identity.get().is_some_and(|i| i.user.role == Role::Coordinator);
        // Worked out once per change of the cases, read by every part below.
        let agenda = {
            let id = session.id.clone();
            Memo::new(move |_| {
                cases.with(|c| {
                    let all = c.as_ref().and_then(|r| r.as_ref().ok());
                    all.into_iter().flatten().filter(|c| c.session.as_deref() == Some(&id)).cloned().collect()
                })
            })
        };
        view! {
            <h1>{labels::session(&session)}</h1>
            {move || match cases.get() {
                None => view! { <p class="empty">{tr("正在读取…", "Reading…")}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(_)) => ().into_any(),
            }}
            <Agenda session=session.clone() agenda coordinator />
            {(coordinator && session.theme.is_some()).then(|| view! { <Publish session=session.clone() /> })}
            {coordinator.then(|| view! {
                <Invitations session=session.clone() agenda />
                <AddToAgenda session=session.clone() cases />
                <MoveSession session=session.clone() agenda />
            })}
        }
        .into_any()
    }
}

/// Records `kind(case)` on each case, one after the other; the count saved
/// or the first error goes to `outcome`.
fn record_each(
    sync: Option<SyncHandle>,
    cases: Vec<String>,
    kind: impl Fn(&str) -> EventKind + 'static,
    outcome: RwSignal<Option<Result<usize, String>>>,
) {
    let Some(sync) = sync else { return };
    spawn_local(async move {
        let mut saved = 0;
        for case in &cases {
            if let Err(e) = sync.record(case, kind(case)).await {
                return outcome.set(Some(Err(e.message())));
            }
            saved += 1;
        }
        outcome.set(Some(Ok(saved)));
    });
}

fn outcome_view(outcome: RwSignal<Option<Result<usize, String>>>) -> impl IntoView {
    move || match outcome.get() {
        Some(Ok(n)) => view! {
            <p class="saved-local" data-testid="saved" data-count=n>
                {pick(format!("已保存在本设备({n} 件)"), format!("Saved on this device ({n})"))}
            </p>
        }
        .into_any(),
        Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
        None => ().into_any(),
    }
}

fn invitation_text(invitation: &Option<Invitation>) -> &'static str {
    let Some(i) = invitation else { return tr("未邀请", "Not invited") };
    match (i.attended, i.attending) {
        (Some(true), _) => tr("已到场", "Came"),
        (Some(false), _) => tr("未到场", "Did not come"),
        (None, Some(true)) => tr("已邀请 · 将参加", "Invited · will attend"),
        (None, Some(false)) => tr("已邀请 · 不参加", "Invited · will not attend"),
        (None, None) => tr("已邀请 · 未回复", "Invited · no answer yet"),
    }
}

#[component]
fn Agenda(session: Session, agenda: Memo<Vec<CaseSummary>>, coordinator: bool) -> impl IntoView {
    let sync = use_sync();
    let outcome = RwSignal::new(None);
    // Attendance is taken on the day (or after, from notes).
    let on_the_day = clock::today() >= session.day;
    let session_id = session.id.clone();
    let empty = move || agenda.with(Vec::is_empty);
    let items = move || {
        agenda
            .get()
            .into_iter()
            .map(|c| {
                let attendance = (coordinator && on_the_day && c.invitation.as_ref().is_none_or(|i| i.attended.is_none()))
                    .then(|| {
                        let mark = |attended: bool, text: &'static str| {
                            let (sync, id, case) = (sync.clone(), session_id.clone(), c.id.clone());
                            view! {
                                <button
                                    type="button"
                                    class="chip"
                                    data-attended=attended.to_string()
                                    on:click=move |_| {
                                        let id = id.clone();
                                        let kind = move |_: &str| EventKind::RecordAttendance { session: id.clone(), attended };
                                        record_each(sync.clone(), vec![case.clone()], kind, outcome);
                                    }
                                >
                                    {text}
                                </button>
                            }
                        };
                        view! { <span class="attendance">{mark(true, tr("到场", "Came"))} {mark(false, tr("未到场", "Absent"))}</span> }
                    });
                view! {
                    <li data-case=c.id.clone()>
                        <A href=format!("/case/{}", c.id)>
                            <span class="case-number">{c.number.clone().unwrap_or_default()}</span>
                            " "
                            <strong>{c.title.clone()}</strong>
                        </A>
                        <p class="case-meta">
                            <span>{c.enterprise.clone()}</span>
                            <span>{labels::district(&c.district)}</span>
                            <span>{labels::category(&c.category)}</span>
                            <span class=format!("status status-{:?}", c.status)>{labels::status(c.status)}</span>
                            <span class="invitation" data-testid="invitation">{invitation_text(&c.invitation)}</span>
                        </p>
                        {attendance}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="agenda-section">
            <h2>{tr("议程", "Agenda")}</h2>
            <ol class="agenda" data-testid="agenda">{items}</ol>
            {move || {
                empty().then(|| view! { <p class="empty">{tr("议程上还没有诉求。", "Nothing on the agenda yet.")}</p> })
            }}
            {outcome_view(outcome)}
        </section>
    }
}

/// Invites every enterprise on the agenda not invited yet.
#[component]
fn Invitations(session: Session, agenda: Memo<Vec<CaseSummary>>) -> impl IntoView {
    let place = RwSignal::new(String::new());
    let outcome = RwSignal::new(None);
    let sync = use_sync();
    let uninvited = move || {
        agenda.with(|a| {
            a.iter().filter(|c| c.status == Status::Scheduled && c.invitation.is_none()).cloned().collect::<Vec<_>>()
        })
    };
    let waiting = uninvited;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let where_ = place.get_untracked().trim().to_string();
        if where_.is_empty() {
            return outcome.set(Some(Err(tr("请填写地点与安排。", "Fill in the place and arrangements.").into())));
        }
        let ids = uninvited().into_iter().map(|c| c.id).collect();
        let (id, day) = (session.id.clone(), session.day);
        let kind = move |_: &str| EventKind::Invite { session: id.clone(), day, place: where_.clone() };
        record_each(sync.clone(), ids, kind, outcome);
    };
    view! {
        <section class="invite">
            <h2>{tr("邀请企业", "Invite the enterprises")}</h2>
            <form data-testid="invite-all" on:submit=on_submit novalidate>
                <label class="field">
                    <span>{tr("地点与安排", "Place and arrangements")}</span>
                    <input type="text" name="place" on:input=move |ev| place.set(event_target_value(&ev)) />
                </label>
                {move || {
                    let n = waiting().len();
                    view! {
                        <button type="submit" class="button primary" disabled=n == 0>
                            {if n == 0 {
                                tr("议程上的企业都已邀请", "Everyone on the agenda is invited").to_string()
                            } else {
                                pick(format!("邀请未邀请的企业({n} 家)"), format!("Invite those not invited ({n})"))
                            }}
                        </button>
                    }
                }}
            </form>
            {outcome_view(outcome)}
        </section>
    }
}

/// Cases on the device this session could take: accepted or waiting for
/// triage, of a district it includes, not on another agenda yet.
#[component]
fn AddToAgenda(session: Session, cases: RwSignal<Loaded>) -> impl IntoView {
    let sync = use_sync();
    let outcome = RwSignal::new(None);
    let candidates = {
        let session = session.clone();
        move || {
            cases.with(|c| {
                let all = c.as_ref().and_then(|r| r.as_ref().ok());
                let mut list = all
                    .into_iter()
                    .flatten()
                    .filter(|c| matches!(c.status, Status::Submitted | Status::Routed) && session.covers(&c.district))
                    .filter(|c| c.session.as_deref() != Some(session.id.as_str()))
                    .cloned()
                    .collect::<Vec<_>>();
                // The enterprises that signed up for this session first.
                list.sort_by_key(|c| c.booked.as_deref() != Some(session.id.as_str()));
                list
            })
        }
    };
    view! {
        <section class="add-to-agenda" data-testid="candidates">
            <h2>{tr("加入议程", "Add to the agenda")}</h2>
            <ul class="candidates">
                {move || {
                    let list = candidates();
                    let none = list.is_empty().then(|| {
                        view! { <li class="empty">{tr("本设备上没有可加入的诉求。", "No case on this device can join.")}</li> }
                    });
                    let items = list
                        .into_iter()
                        .map(|c| {
                            let (sync, id, day, case) = (sync.clone(), session.id.clone(), session.day, c.id.clone());
                            let signed_up = c.booked.as_deref() == Some(session.id.as_str());
                            view! {
                                <li data-case=c.id.clone() data-signed-up=signed_up.to_string()>
                                    {signed_up.then(|| view! { <span class="badge" data-testid="signed-up">{tr("已报名", "Signed up")}</span> })}
                                    <span>{c.title.clone()} " · " {c.enterprise.clone()}</span>
                                    <button
                                        type="button"
                                        class="chip"
                                        on:click=move |_| {
                                            let id = id.clone();
                                            let kind = move |_: &str| EventKind::Schedule { session: id.clone(), day };
                                            record_each(sync.clone(), vec![case.clone()], kind, outcome);
                                        }
                                    >
                                        {tr("加入", "Add")}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view();
                    (none, items)
                }}
            </ul>
            {outcome_view(outcome)}
        </section>
    }
}

/// A special session on the public calendar, for enterprises to sign up
/// to: published when made, or here again (it needs the network).
#[component]
fn Publish(session: Session) -> impl IntoView {
    let published = RwSignal::new(super::sessions::published());
    super::sessions::refresh_published(published);
    let outcome: RwSignal<Option<Result<(), String>>> = RwSignal::new(None);
    let id = session.id.clone();
    let shown = id.clone();
    let publish = move |_| {
        let id = id.clone();
        spawn_local(async move {
            let result = crate::api::publish_session(&id).await.map_err(|e| e.message());
            if result.is_ok() {
                super::sessions::refresh_published(published);
            }
            outcome.set(Some(result));
        });
    };
    view! {
        <section class="publish-session" data-testid="publish-session">
            {move || if published.get().contains(&shown) {
                view! { <p class="saved-local" data-testid="published">{tr("已发布到现场活动日程,企业可以报名。", "On the session calendar: enterprises can sign up.")}</p> }.into_any()
            } else {
                view! {
                    <button type="button" class="button primary" on:click=publish.clone()>{tr("发布到现场活动日程", "Publish on the session calendar")}</button>
                    {move || outcome.get().and_then(Result::err).map(|e| view! { <p class="error" role="alert">{e}</p> })}
                }.into_any()
            }}
        </section>
    }
}

/// Moves the session to another day: every case still waiting for it is
/// scheduled again, so its enterprise sees the new day.
#[component]
fn MoveSession(session: Session, agenda: Memo<Vec<CaseSummary>>) -> impl IntoView {
    let day = RwSignal::new(String::new());
    let outcome = RwSignal::new(None);
    let sync = use_sync();
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let moved = match Day::parse(&day.get_untracked()).and_then(|d| session.moved_to(d)) {
            Ok(moved) if moved.day < clock::today() => {
                return outcome.set(Some(Err(tr("日期已过。", "That day has passed.").into())));
            }
            Ok(moved) => moved,
            Err(e) => return outcome.set(Some(Err(say(&e.label())))),
        };
        let waiting: Vec<String> = agenda
            .with_untracked(|a| a.iter().filter(|c| c.status == Status::Scheduled).map(|c| c.id.clone()).collect());
        remember(&moved.id);
        let (Some(sync), navigate) = (sync.clone(), navigate.clone()) else { return };
        spawn_local(async move {
            for case in &waiting {
                let kind = EventKind::Schedule { session: moved.id.clone(), day: moved.day };
                if let Err(e) = sync.record(case, kind).await {
                    return outcome.set(Some(Err(e.message())));
                }
            }
            navigate(&format!("/session/{}", moved.id), Default::default());
        });
    };
    view! {
        <details class="move-session">
            <summary>{tr("改期", "Move to another day")}</summary>
            <form data-testid="move-session" on:submit=on_submit novalidate>
                <label class="field">
                    <span>{tr("新日期", "New day")}</span>
                    <input type="date" name="day" on:input=move |ev| day.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="button">{tr("改期并通知议程上的企业", "Move and tell the enterprises")}</button>
            </form>
            {outcome_view(outcome)}
        </details>
    }
}
