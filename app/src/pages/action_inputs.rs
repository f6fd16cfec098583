//! The inputs of the action forms that offer a choice: a select, a choice
//! of officials that follows the list as it arrives, and the assisting
//! units' checkboxes.

use leptos::prelude::*;

use super::fields::code_checks;
use crate::i18n::tr;
use crate::labels;

pub(super) fn select(
    label: &'static str,
    name: &'static str,
    value: impl Fn() -> String + Clone + Send + Sync + 'static,
    on_input: impl Fn(leptos::ev::Event) + 'static,
    choices: Vec<(String, String)>,
) -> AnyView {
    view! {
        <label class="field">
            <span>{label}</span>
            <select name=name on:change=on_input>
                {choices
                    .into_iter()
                    .map(|(code, text)| {
                        let value = value.clone();
                        let selected = code.clone();
                        view! { <option value=code selected=move || value() == selected>{text}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
    .into_any()
}

/// A choice of officials, drawn again when the list arrives (it is read
/// from the device, then from the server); an empty choice takes the first.
pub(super) fn people(
    label: &'static str,
    name: &'static str,
    value: impl Fn() -> String + Clone + Send + Sync + 'static,
    set: impl Fn(String) + Clone + Send + Sync + 'static,
    choices: impl Fn() -> labels::Options + Send + Sync + 'static,
) -> AnyView {
    (move || {
        let choices = choices();
        if let Some((first, _)) = choices.first().filter(|_| value().is_empty()) {
            set(first.clone());
        }
        let set = set.clone();
        select(label, name, value.clone(), move |ev| set(event_target_value(&ev)), choices)
    })
    .into_any()
}

/// Assisting units: a checkbox per unit that serves the case, folded away.
pub(super) fn departments(
    label: &'static str,
    name: &'static str,
    units: labels::Options,
    value: impl Fn() -> String + Clone + Send + Sync + 'static,
    set: impl Fn(String) + Clone + 'static,
) -> AnyView {
    let chosen = {
        let value = value.clone();
        move || value().split(',').filter(|c| !c.is_empty()).map(String::from).collect::<Vec<_>>()
    };
    view! {
        <details class="field departments" data-name=name>
            <summary>{label} " " {let shown = chosen.clone(); move || shown().iter().map(|c| labels::department(c)).collect::<Vec<_>>().join(tr("、", ", "))}</summary>
            <div class="checks">{code_checks(units, chosen, move |list| set(list.join(",")))}</div>
        </details>
    }
    .into_any()
}
