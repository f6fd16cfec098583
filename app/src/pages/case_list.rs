//! The home page: each role's worklist. Cases that wait on the signed-in
//! user first, sorted by deadline with their lights; every case on the
//! device under "all"; overdue ones in their own tab (the coordinator's
//! escalation list). Filters by status, district and text run over the
//! summaries in memory, so they work offline and stay fast with thousands.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use domain::deadline::Light;
use domain::permission::{Role, User};
use domain::status::Status;
use domain::summary::{Filter, sort_by_deadline};
use domain::time::Day;

use super::analysis_links::AnalysisLinks;
use super::reminders::Reminders;
use super::session_calendar::SessionCalendar;
use super::sessions::SessionsPanel;
use crate::api::use_identity;
use crate::clock;
use crate::error::AppError;
use crate::i18n::{pick, tr};
use crate::labels;
use crate::storage::{self, CaseSummary};
use crate::sync::use_sync;

/// How many cards are drawn at first; the rest behind "show more". A
/// phone shows five and a desktop ten: drawing fifty keeps opening and
/// filtering a list of thousands quick.
const PAGE: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Mine,
    /// The cases this officer or leader answers for in person.
    Held,
    All,
    Overdue,
}

/// Every case summary on the device, sorted by deadline (`None` while
/// reading), re-read whenever a case on the device changed.
pub fn summaries_on_device() -> RwSignal<Option<Result<Vec<CaseSummary>, String>>> {
    let cases = RwSignal::new(None);
    let revision = use_sync().map(|s| s.revision);
    // Reads can finish out of order (one started before a sign-in may end
    // after one started after it): only the latest one's list is shown.
    let latest = StoredValue::new(0_u64);
    Effect::new(move |_| {
        if let Some(revision) = revision {
            revision.track();
        }
        latest.update_value(|n| *n += 1);
        let this_read = latest.get_value();
        spawn_local(async move {
            let loaded = match storage::open_current().await {
                Ok(db) => storage::summaries(&db).await,
                // Nobody signed in: no account's cases are shown.
                Err(AppError::SignedOut) => Ok(Vec::new()),
                Err(e) => Err(e),
            };
            let loaded = loaded.map(|mut list| {
                sort_by_deadline(&mut list);
                list
            });
            if latest.try_get_value() == Some(this_read) {
                cases.set(Some(loaded.map_err(|e| e.message())));
            }
        });
    });
    cases
}

#[component]
pub fn CaseList() -> impl IntoView {
    let cases = summaries_on_device();
    // The identity is read from the device after the page starts: draw
    // again once it is known.
    let identity = use_identity();
    move || {
        let user = identity.get().map(|i| i.user);
        view! { <ListPage cases user /> }
    }
}

#[component]
fn ListPage(cases: RwSignal<Option<Result<Vec<CaseSummary>, String>>>, user: Option<User>) -> impl IntoView {
    // An enterprise (and an admin) follows all; officials start from what waits on them.
    let officials = user.as_ref().is_some_and(|u| matches!(u.role, Role::Coordinator | Role::Officer | Role::Leader));
    let tab = RwSignal::new(if officials { Tab::Mine } else { Tab::All });
    let filter = RwSignal::new(Filter::default());
    let shown = RwSignal::new(PAGE);
    let role = user.as_ref().map(|u| u.role);
    let may_file = role.is_none_or(|r| matches!(r, Role::Enterprise | Role::Coordinator));
    // An enterprise's session calendar: its registered district's sessions.
    let calendar_district = (role == Some(Role::Enterprise))
        .then(|| use_identity().get_untracked().and_then(|i| i.profile).map(|p| p.enterprise.district))
        .flatten();
    view! {
        <section class="list-head">
            <h1>{heading(role)}</h1>
            {may_file.then(|| view! { <A href="/new" attr:class="button primary">{tr("＋ 反映诉求", "＋ New appeal")}</A> })}
        </section>
        {user.as_ref().is_some_and(|u| u.role != Role::Enterprise).then(|| view! { <clock::CalendarEnding /> })}
        {user.as_ref().is_some_and(User::registered_enterprise).then(|| view! {
            <super::admin::InviteColleague />
        })}
        {user.as_ref().is_some_and(|u| u.role == Role::Admin).then(|| view! {
            <p><A href="/admin" attr:data-testid="admin-link">{tr("管理:账号、组织机构、办理时限、工作日历", "Administration: accounts, organisation, deadlines, calendar")}</A></p>
        })}
        {user.clone().map(|u| view! { <AnalysisLinks user=u /> })}
        {user.clone().filter(|u| matches!(u.role, Role::Leader | Role::Coordinator)).map(|u| view! { <SessionsPanel user=u /> })}
        {move || match cases.get() {
            None => view! { <p class="empty">{tr("正在读取本设备上的诉求…", "Reading the cases on this device…")}</p> }.into_any(),
            Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => {
                view! {
                    <p class="empty">
                        {tr(
                            "本设备上还没有诉求。点击“反映诉求”,企业困难直通政府部门。",
                            "No cases on this device yet. Tap “New appeal” to raise a problem with the city.",
                        )}
                    </p>
                }
                    .into_any()
            }
            Some(Ok(list)) => view! { <Worklist list user=user.clone() tab filter shown /> }.into_any(),
        }}
        {calendar_district.map(|district| view! { <SessionCalendar district cases /> })}
    }
}

fn heading(role: Option<Role>) -> &'static str {
    match role {
        Some(Role::Enterprise) | None => tr("我的诉求", "My appeals"),
        Some(Role::Coordinator) => tr("分办台", "Triage desk"),
        Some(Role::Officer) => tr("部门待办", "Department inbox"),
        Some(Role::Leader) => tr("督办诉求", "Cases to supervise"),
        Some(Role::Admin) => tr("全部诉求", "All cases"),
    }
}

#[component]
fn Worklist(
    list: Vec<CaseSummary>,
    user: Option<User>,
    tab: RwSignal<Tab>,
    filter: RwSignal<Filter>,
    shown: RwSignal<usize>,
) -> impl IntoView {
    let today = clock::today();
    let mine: Vec<bool> = list.iter().map(|c| user.as_ref().is_some_and(|u| c.waits_on(u))).collect();
    let held: Vec<bool> = list.iter().map(|c| user.as_ref().is_some_and(|u| c.held_by(&u.id))).collect();
    let in_person = user.as_ref().is_some_and(|u| matches!(u.role, Role::Officer | Role::Leader));
    let held_count = held.iter().filter(|h| **h).count();
    let policy = clock::policy();
    let overdue: Vec<bool> = list.iter().map(|c| c.light(&policy.calendar, today) == Light::Red).collect();
    let counts = (mine.iter().filter(|m| **m).count(), list.len(), overdue.iter().filter(|o| **o).count());
    let tab_button = move |which: Tab, label: &'static str, count: usize| {
        view! {
            <button
                type="button"
                class=move || if tab.get() == which { "tab active" } else { "tab" }
                on:click=move |_| {
                    tab.set(which);
                    shown.set(PAGE);
                }
            >
                {label}
                " "
                <span class="count">{count}</span>
            </button>
        }
    };
    let reminders = user.as_ref().map(|user| view! { <Reminders all=super::reminders::of(&list, user, today) /> });
    // The matching cases as positions in `list`: a filter copies no case,
    // only the cards drawn take theirs.
    let list = StoredValue::new(list);
    let visible = Memo::new(move |_| {
        let (tab, filter) = (tab.get(), filter.get());
        list.with_value(|list| {
            (0..list.len())
                .filter(|&i| match tab {
                    Tab::Mine => mine[i],
                    Tab::Held => held[i],
                    Tab::All => true,
                    Tab::Overdue => overdue[i],
                })
                .filter(|&i| filter.keeps(&list[i]))
                .collect::<Vec<_>>()
        })
    });
    view! {
        {reminders}
        <nav class="tabs" data-testid="tabs">
            {user.is_some().then(|| tab_button(Tab::Mine, tr("待我处理", "Waiting on me"), counts.0))}
            {in_person.then(|| tab_button(Tab::Held, tr("我负责的", "In my charge"), held_count))}
            {tab_button(Tab::All, tr("全部", "All"), counts.1)}
            {tab_button(Tab::Overdue, tr("已超期", "Overdue"), counts.2)}
        </nav>
        <Filters filter shown />
        {move || {
            let cases = visible.get();
            let total = cases.len();
            if total == 0 {
                return view! { <p class="empty" data-testid="no-match">{tr("没有符合条件的诉求。", "No case matches.")}</p> }
                    .into_any();
            }
            let more = total.saturating_sub(shown.get());
            view! {
                <ul class="cases" data-testid="case-list" data-count=total>
                    {list.with_value(|list| {
                        cases.iter().take(shown.get()).map(|&i| view! { <CaseCard case=list[i].clone() today /> }).collect_view()
                    })}
                </ul>
                {(more > 0)
                    .then(|| {
                        view! {
                            <button type="button" class="button more" on:click=move |_| shown.update(|n| *n += PAGE)>
                                {format!("{} ({more})", tr("显示更多", "Show more"))}
                            </button>
                        }
                    })}
            }
                .into_any()
        }}
    }
}

#[component]
fn Filters(filter: RwSignal<Filter>, shown: RwSignal<usize>) -> impl IntoView {
    let set = move |change: Box<dyn FnOnce(&mut Filter)>| {
        filter.update(|f| change(f));
        shown.set(PAGE);
    };
    view! {
        <div class="filters" data-testid="filters">
            <input
                type="search"
                name="q"
                placeholder=tr("搜索标题、企业或编号", "Search title, enterprise or number")
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    set(Box::new(move |f| f.text = text))
                }
            />
            <select
                name="status"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    set(Box::new(move |f| f.status = Status::ALL.into_iter().find(|s| format!("{s:?}") == value)))
                }
            >
                <option value="">{tr("全部状态", "Any status")}</option>
                {Status::ALL.map(|s| view! { <option value=format!("{s:?}")>{labels::status(s)}</option> }).collect_view()}
            </select>
            <select
                name="district"
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    set(Box::new(move |f| f.district = Some(value).filter(|v| !v.is_empty())))
                }
            >
                <option value="">{tr("全部区县", "Any district")}</option>
                {labels::districts().into_iter().map(|(code, shown)| view! { <option value=code>{shown}</option> }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn CaseCard(case: CaseSummary, today: Day) -> impl IntoView {
    let number = case.number.clone().unwrap_or_else(|| tr("编号待分配", "Number pending").to_string());
    let href = format!("/case/{}", case.id);
    let calendar = &clock::policy().calendar;
    let light = case.light(calendar, today);
    let due = case.due().map(|d| format!("{} {}", tr("期限", "Due"), labels::due(d)));
    // On the escalation list: how far past its deadline the work is.
    let late = case.due().filter(|d| *d < today).map(|d| calendar.working_days_between(d, today).max(1));
    // An invitation still to answer, with the session's name and place.
    let invited = case
        .invitation
        .as_ref()
        .filter(|i| i.attending.is_none() && case.status == Status::Scheduled)
        .map(|i| (case.session.as_deref().map(labels::session_id).unwrap_or_default(), i.place.clone()));
    view! {
        <li class="case-card" data-light=format!("{light:?}").to_lowercase() data-id=case.id.clone()>
            <A href=href attr:class="case-link">
                <div class="case-top">
                    <span class="case-number">{number}</span>
                    <span class=format!("status status-{:?}", case.status)>{labels::status(case.status)}</span>
                </div>
                <h2 class="case-title">{case.title.clone()}</h2>
                <p class="case-meta">
                    <span>{labels::category(&case.category)}</span>
                    <span>{labels::district(&case.district)}</span>
                    <span>{case.enterprise.clone()}</span>
                </p>
                <p class="case-due">
                    <span class=format!("light light-{light:?}") data-testid="light">{labels::light(light)}</span>
                    {due.map(|d| view! { <span>{d}</span> })}
                    {late.map(|days| view! { <span class="late">{pick(format!("超期 {days} 个工作日"), format!("{days} working days late"))}</span> })}
                    {case.lead_department.as_deref().map(|d| view! { <span>{labels::department(d)}</span> })}
                </p>
                {case.conflict.then(|| view! { <p class="conflict-flag">{tr("存在冲突,待裁定", "Conflict to settle")}</p> })}
                {invited.map(|(session, place)| {
                    view! {
                        <p class="invited" data-testid="invited">
                            {pick(format!("邀请参加:{session}"), format!("Invited: {session}"))} " · " {place}
                        </p>
                    }
                })}
                {case
                    .unsynced
                    .then(|| view! { <p class="saved-local">{tr("已保存在本设备 · 待联网同步", "Saved on this device · will sync")}</p> })}
            </A>
        </li>
    }
}
