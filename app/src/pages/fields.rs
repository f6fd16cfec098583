//! Form fields shared by the pages.

use leptos::prelude::*;

use crate::labels::Options;

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

/// A labelled select over (code, name) choices, bound to a signal.
#[component]
pub fn SelectField(
    label: &'static str,
    value: RwSignal<String>,
    /// Fixed, or derived (drawn again when what it derives from changes,
    /// e.g. the directory after an admin's edit).
    #[prop(into)]
    options: Signal<Options>,
    name: &'static str,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>{label}</span>
            <select name=name on:change=move |ev| value.set(event_target_value(&ev))>
                {move || options
                    .get()
                    .into_iter()
                    .map(|(code, shown)| {
                        let selected = code.clone();
                        view! {
                            <option value=code selected=move || value.get() == selected>
                                {shown}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// A checkbox per choice over a list of codes: `chosen` reads the list,
/// `set` takes it back with one code put in or taken out.
pub fn code_checks(
    options: Options,
    chosen: impl Fn() -> Vec<String> + Clone + Send + Sync + 'static,
    set: impl Fn(Vec<String>) + Clone + 'static,
) -> impl IntoView {
    options
        .into_iter()
        .map(|(code, shown)| {
            let (chosen, toggle_chosen, set) = (chosen.clone(), chosen.clone(), set.clone());
            let (checked, toggled) = (code.clone(), code.clone());
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        value=code
                        prop:checked=move || chosen().contains(&checked)
                        on:change=move |ev| {
                            let mut list = toggle_chosen();
                            list.retain(|c| c != &toggled);
                            if event_target_checked(&ev) {
                                list.push(toggled.clone());
                            }
                            set(list);
                        }
                    />
                    <span>{shown}</span>
                </label>
            }
        })
        .collect_view()
}
