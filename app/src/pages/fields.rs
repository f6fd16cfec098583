//! Form fields shared by the pages.

use domain::directory::Entry;
use leptos::prelude::*;

/// A labelled text input bound to a signal.
#[component]
pub fn TextField(
    label: &'static str,
    value: RwSignal<String>,
    name: &'static str,
    #[prop(optional)] hint: &'static str,
    /// `text` unless given (e.g. `password`).
    #[prop(optional)]
    kind: Option<&'static str>,
    #[prop(optional)] autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <input
                type=kind.unwrap_or("text")
                name=name
                placeholder=hint
                autocomplete=autocomplete
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </label>
    }
}

/// A labelled select over directory entries, bound to a signal.
#[component]
pub fn SelectField(
    label: &'static str,
    value: RwSignal<String>,
    options: &'static [Entry],
    name: &'static str,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <select name=name on:change=move |ev| value.set(event_target_value(&ev))>
                {options
                    .iter()
                    .map(|o| {
                        view! {
                            <option value=o.code selected=move || value.get() == o.code>
                                {crate::i18n::entry(o)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
