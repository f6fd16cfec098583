//! On-site sessions: the next monthly sessions of the user's district
//! (known offline from the calendar) and a session's agenda, read from the
//! cases on the device, so a leader can work in the session room without
//! signal. Each agenda item opens the case file with the decision form.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use domain::permission::User;
use domain::session::{self, Session};
use domain::summary::sort_by_deadline;

use crate::clock;
use crate::i18n::{pick, tr};
use crate::labels;
use crate::storage::{self, CaseSummary};
use crate::sync::use_sync;

/// How many upcoming monthly sessions are listed.
const UPCOMING: usize = 3;

pub fn title(session: &Session) -> String {
    let district = labels::district(&session.district);
    pick(format!("{district} {} 现场活动", session.day), format!("{district} session, {}", session.day))
}

#[component]
pub fn SessionsPanel(user: User) -> impl IntoView {
    let district = user.district.unwrap_or_else(|| "city".into());
    let upcoming = session::upcoming_monthly(clock::calendar(), &district, clock::today(), UPCOMING);
    view! {
        <section class="sessions" data-testid="sessions">
            <h2>{tr("现场活动", "On-site sessions")}</h2>
            <ul>
                {upcoming
                    .into_iter()
                    .map(|s| {
                        view! {
                            <li>
                                <A href=format!("/session/{}", s.id)>{title(&s)}</A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn SessionView() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let agenda: RwSignal<Option<Result<Vec<CaseSummary>, String>>> = RwSignal::new(None);
    let revision = use_sync().map(|s| s.revision);
    Effect::new(move |_| {
        let id = id();
        if let Some(revision) = revision {
            revision.track();
        }
        spawn_local(async move {
            let loaded = match storage::open().await {
                Ok(db) => storage::summaries(&db).await,
                Err(e) => Err(e),
            };
            let loaded = loaded.map(|list| {
                let mut on_agenda: Vec<_> = list.into_iter().filter(|c| c.session.as_deref() == Some(&id)).collect();
                sort_by_deadline(&mut on_agenda);
                on_agenda
            });
            agenda.set(Some(loaded.map_err(|e| e.message())));
        });
    });
    move || {
        let Ok(session) = Session::parse(&id()) else {
            return view! { <p class="error" role="alert">{tr("没有这场现场活动。", "No such session.")}</p> }
                .into_any();
        };
        view! {
            <h1>{title(&session)}</h1>
            {move || match agenda.get() {
                None => view! { <p class="empty">{tr("正在读取…", "Reading…")}</p> }.into_any(),
                Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="empty">{tr("议程上还没有诉求。", "Nothing on the agenda yet.")}</p> }.into_any()
                }
                Some(Ok(list)) => {
                    view! {
                        <ol class="agenda" data-testid="agenda">
                            {list
                                .into_iter()
                                .map(|c| {
                                    view! {
                                        <li>
                                            <A href=format!("/case/{}", c.id)>
                                                <span class="case-number">{c.number.clone().unwrap_or_default()}</span>
                                                " "
                                                <strong>{c.title.clone()}</strong>
                                            </A>
                                            <p class="case-meta">
                                                <span>{c.enterprise.clone()}</span>
                                                <span>{labels::category(&c.category)}</span>
                                                <span class=format!("status status-{:?}", c.status)>{labels::status(c.status)}</span>
                                            </p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ol>
                    }
                        .into_any()
                }
            }}
        }
            .into_any()
    }
}
