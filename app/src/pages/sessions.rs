//! On-site sessions: the sessions a coordinator or leader has coming (the
//! monthly ones from the calendar, special ones known from the cases on the
//! device or made here), and the coordinator's form for a themed or
//! cross-district session. All of it works offline: a session is its id.

use domain::directory::CITY;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use domain::directory::THEMES;
use domain::meeting::{self, Session};
use domain::permission::{Role, User};
use domain::time::Day;

use super::fields::code_checks;
use crate::clock;
use crate::i18n::{entry, local_storage, say, tr};
use crate::labels;
use crate::sync::use_sync;

/// Sessions made on this device that may have no case yet.
const MADE_HERE: &str = "dl-sessions";

fn made_here() -> Vec<String> {
    let saved = local_storage().and_then(|s| s.get_item(MADE_HERE).ok().flatten()).unwrap_or_default();
    saved.split(',').filter(|id| !id.is_empty()).map(String::from).collect()
}

/// Remembers a session made (or moved) here until cases name it.
pub fn remember(id: &str) {
    let mut ids = made_here();
    if !ids.iter().any(|known| known == id) {
        ids.push(id.to_string());
        if let Some(storage) = local_storage() {
            // Without storage the session is still reachable from its cases.
            let _ = storage.set_item(MADE_HERE, &ids.join(","));
        }
    }
}

/// The published special sessions, as last fetched (public: ids only).
const PUBLISHED: &str = "dl-published-sessions";

/// The special sessions published on the calendar, as last fetched.
pub fn published() -> Vec<String> {
    let saved = local_storage().and_then(|s| s.get_item(PUBLISHED).ok().flatten()).unwrap_or_default();
    saved.split(',').filter(|id| !id.is_empty()).map(String::from).collect()
}

/// Asks the server for the published sessions; keeps them for offline
/// use and puts them in `into`. Offline, the kept ones stay.
pub fn refresh_published(into: RwSignal<Vec<String>>) {
    leptos::task::spawn_local(async move {
        if let Ok(ids) = crate::api::published_sessions().await {
            if let Some(storage) = local_storage() {
                let _ = storage.set_item(PUBLISHED, &ids.join(","));
            }
            into.set(ids);
        }
    });
}

/// Session ids known on this device: named by its cases, made here, or
/// published.
pub fn known_ids() -> Vec<String> {
    let mut ids = use_sync().map(|s| s.sessions.get()).unwrap_or_default();
    ids.extend(made_here());
    ids.extend(published());
    ids
}

/// The sessions a user of `district` has coming, by day.
fn coming(district: &str) -> Vec<Session> {
    let today = clock::today();
    let known = known_ids();
    let mut list = meeting::open_to(&clock::policy().calendar, district, today, &known);
    // A city-level user follows every district's special sessions.
    if district == CITY {
        let extra = known.iter().filter_map(|id| Session::parse(id).ok()).filter(|s| s.day >= today);
        list.extend(extra.collect::<Vec<_>>());
    }
    list.sort_by(|a, b| (a.day, &a.id).cmp(&(b.day, &b.id)));
    list.dedup();
    list
}

#[component]
pub fn SessionsPanel(user: User) -> impl IntoView {
    let district = user.district.clone().unwrap_or_else(|| CITY.into());
    let is_coordinator = user.role == Role::Coordinator;
    let list_district = district.clone();
    view! {
        <section class="sessions" data-testid="sessions">
            <h2>{tr("现场活动", "On-site sessions")}</h2>
            <ul>
                {move || {
                    coming(&list_district)
                        .into_iter()
                        .map(|s| {
                            view! {
                                <li>
                                    <A href=format!("/session/{}", s.id)>{labels::session(&s)}</A>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {is_coordinator.then(|| view! { <NewSession district=district.clone() /> })}
        </section>
    }
}

/// A themed or cross-district session, made by a coordinator.
#[component]
fn NewSession(district: String) -> impl IntoView {
    let theme = RwSignal::new(THEMES[0].code.to_string());
    let day = RwSignal::new(String::new());
    let mut first = Vec::new();
    if district != CITY {
        first.push(district);
    }
    let districts = RwSignal::new(first);
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let made = Day::parse(&day.get_untracked())
            .and_then(|d| Session::special(&theme.get_untracked(), &districts.get_untracked(), d));
        match made {
            Ok(s) if s.day < clock::today() => error
                .set(Some(tr("日期已过,请选今天或以后的日期。", "That day has passed: pick today or later.").into())),
            Ok(s) => {
                remember(&s.id);
                navigate(&format!("/session/{}", s.id), Default::default());
            }
            Err(e) => error.set(Some(say(&e.label()))),
        }
    };
    view! {
        <details class="new-session">
            <summary>{tr("新建专场或跨县(区)活动", "New themed or cross-district session")}</summary>
            <form data-testid="new-session" on:submit=on_submit novalidate>
                <label class="field">
                    <span>{tr("主题", "Theme")}</span>
                    <select name="theme" on:change=move |ev| theme.set(event_target_value(&ev))>
                        {THEMES.iter().map(|t| view! { <option value=t.code>{entry(t)}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{tr("日期", "Day")}</span>
                    <input type="date" name="day" on:input=move |ev| day.set(event_target_value(&ev)) />
                </label>
                <fieldset class="field checks">
                    <legend>{tr("区县", "Districts")}</legend>
                    {code_checks(labels::districts(), move || districts.get(), move |list| districts.set(list))}
                </fieldset>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button type="submit" class="button primary">{tr("建立", "Create")}</button>
            </form>
        </details>
    }
}
