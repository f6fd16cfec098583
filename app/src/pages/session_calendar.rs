//! The enterprise's session calendar: the monthly on-site sessions of its
//! district and the themed and cross-district sessions published for it,
//! with a sign-up per session: one of its appeals is booked on it (an
//! event on the case, so it works offline and syncs like any change). The
//! coordinator sees the sign-ups first when building the agenda.

use leptos::prelude::*;
use leptos::task::spawn_local;

use domain::event::EventKind;
use domain::meeting::{Session, open_to};
use domain::status::Status;

use super::sessions::{published, refresh_published};
use crate::clock;
use crate::i18n::tr;
use crate::labels;
use crate::storage::CaseSummary;
use crate::sync::use_sync;

/// Appeals that may still be signed up to a session: sent, not on an
/// agenda yet.
fn may_sign_up(case: &CaseSummary) -> bool {
    matches!(case.status, Status::Submitted | Status::Routed) && case.session.is_none()
}

/// `cases` are the enterprise's, as its list read them.
#[component]
pub fn SessionCalendar(district: String, cases: RwSignal<Option<Result<Vec<CaseSummary>, String>>>) -> impl IntoView {
    let ids = RwSignal::new(published());
    refresh_published(ids);
    let sessions = move || open_to(&clock::policy().calendar, &district, clock::today(), &ids.get());
    view! {
        <section class="session-calendar" data-testid="session-calendar">
            <h2>{tr("现场活动日程", "Session calendar")}</h2>
            <p class="hint">{tr(
                "每月一期现场活动,以及专场和跨县(区)活动。选一件诉求报名,领导在现场研判,当场明确牵头领导和牵头部门。",
                "A session every month, and themed and cross-district ones. Sign up with an appeal: leaders decide on the spot and name who leads.",
            )}</p>
            <ul>
                {move || {
                    let mine = cases.get().and_then(Result::ok).unwrap_or_default();
                    sessions().into_iter().map(|s| view! { <SessionRow session=s mine=mine.clone() /> }).collect_view()
                }}
            </ul>
        </section>
    }
}

#[component]
fn SessionRow(session: Session, mine: Vec<CaseSummary>) -> impl IntoView {
    let signed_up: Vec<String> =
        mine.iter().filter(|c| c.booked.as_deref() == Some(session.id.as_str())).map(|c| c.title.clone()).collect();
    let open: Vec<(String, String)> = mine
        .iter()
        .filter(|c| may_sign_up(c) && c.booked.as_deref() != Some(session.id.as_str()))
        .map(|c| (c.id.clone(), c.title.clone()))
        .collect();
    let chosen = RwSignal::new(open.first().map(|(id, _)| id.clone()).unwrap_or_default());
    let outcome: RwSignal<Option<Result<(), String>>> = RwSignal::new(None);
    let (id, day) = (session.id.clone(), session.day);
    let sign_up = move |_| {
        let (Some(sync), case) = (use_sync(), chosen.get_untracked()) else { return };
        let id = id.clone();
        spawn_local(async move {
            let result = sync.record(&case, EventKind::BookSession { session: id, day }).await;
            outcome.set(Some(result.map_err(|e| e.message())));
        });
    };
    view! {
        <li data-session=session.id.clone()>
            <strong>{labels::session(&session)}</strong>
            {(!signed_up.is_empty()).then(|| view! {
                <p class="signed-up" data-testid="signed-up">{tr("已报名:", "Signed up: ")}{signed_up.join("、")}</p>
            })}
            {(!open.is_empty()).then(|| view! {
                <div class="sign-up">
                    <select name="sign-up-case" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        {open.iter().map(|(id, title)| view! { <option value=id.clone()>{title.clone()}</option> }).collect_view()}
                    </select>
                    <button type="button" class="button" data-testid="sign-up" on:click=sign_up>{tr("报名", "Sign up")}</button>
                </div>
            })}
            {move || match outcome.get() {
                Some(Ok(())) => Some(view! { <p class="saved-local">{tr("已报名,保存在本设备 · 联网后同步", "Signed up on this device · syncs when online")}</p> }.into_any()),
                Some(Err(e)) => Some(view! { <p class="error" role="alert">{e}</p> }.into_any()),
                None => None,
            }}
        </li>
    }
}
