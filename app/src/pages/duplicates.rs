//! Likely duplicates (same enterprise or a similar title) among the cases
//! on this device: shown while an appeal is written, and offered when a
//! coordinator merges one case into another.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use domain::summary::{CaseSummary, likely_duplicates};

use crate::i18n::tr;
use crate::labels;
use crate::storage;

const SHOWN: usize = 5;

/// The summaries on the device, read once.
fn summaries() -> RwSignal<Vec<CaseSummary>> {
    let list = RwSignal::new(Vec::new());
    spawn_local(async move {
        if let Ok(db) = storage::open_current().await
            && let Ok(found) = storage::summaries(&db).await
        {
            list.set(found);
        }
    });
    list
}

/// Possible duplicates of what is being typed; `pick` (if given) turns each
/// into a button that chooses it, otherwise each links to its case.
#[component]
pub fn Duplicates(
    #[prop(into)] enterprise_id: Signal<String>,
    #[prop(into)] title: Signal<String>,
    #[prop(optional)] except: Option<String>,
    #[prop(optional)] pick: Option<Callback<String>>,
) -> impl IntoView {
    let list = summaries();
    let found = Memo::new(move |_| {
        let (enterprise, title) = (enterprise_id.get(), title.get());
        if title.trim().chars().count() < 4 && except.is_none() {
            return Vec::new();
        }
        list.with(|l| {
            likely_duplicates(l, &enterprise, &title, except.as_deref(), SHOWN).into_iter().cloned().collect::<Vec<_>>()
        })
    });
    move || {
        let cases = found.get();
        (!cases.is_empty()).then(|| {
            view! {
                <section class="duplicates" data-testid="duplicates">
                    <h3>{tr("可能重复的诉求", "Possibly the same problem")}</h3>
                    <ul>
                        {cases
                            .into_iter()
                            .map(|c| {
                                let text = format!(
                                    "{} · {} · {}",
                                    c.number.clone().unwrap_or_else(|| tr("编号待分配", "Number pending").into()),
                                    c.title,
                                    labels::status(c.status),
                                );
                                match pick {
                                    Some(pick) => {
                                        let id = c.id.clone();
                                        view! {
                                            <li>
                                                <button type="button" class="link" on:click=move |_| pick.run(id.clone())>
                                                    {text}
                                                </button>
                                            </li>
                                        }
                                            .into_any()
                                    }
                                    None => view! {
                                        <li>
                                            <A href=format!("/case/{}", c.id)>{text}</A>
                                        </li>
                                    }
                                        .into_any(),
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
