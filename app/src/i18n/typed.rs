//! What the user has typed, kept across a language switch. The switch
//! redraws the page, and a redrawn form starts empty; so the values of
//! the page's fields are taken before and put back after, each into the
//! redrawn field of the same kind, name and place, as if typed again (an
//! `input` or `change` event, so the form's own state follows). Parts of
//! a page drawn after a read (a case from the device database) come a
//! little later: the fields are looked for again for a while.

use std::collections::HashMap;

use wasm_bindgen::JsValue;
use wasm_bindgen::prelude::*;

/// How often, and how many times, the redrawn fields are looked for.
const EVERY_MS: i32 = 100;
const TRIES: u32 = 30;

/// One field's value: `checked` for boxes, `value` for the rest.
pub struct Typed {
    key: String,
    boxed: bool,
    value: JsValue,
}

/// Whether the field is a checkbox or a radio button.
fn boxed(field: &web_sys::Element) -> bool {
    matches!(field.get_attribute("type").as_deref(), Some("checkbox" | "radio"))
}

fn fields() -> Vec<(String, web_sys::Element)> {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return Vec::new() };
    let selector = "main input:not([type=file]):not([type=hidden]), main textarea, main select";
    let Ok(list) = document.query_selector_all(selector) else { return Vec::new() };
    let mut seen: HashMap<String, u32> = HashMap::new();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<web_sys::Element>().ok())
        .map(|field| {
            let name = ["name", "id", "data-testid"].iter().find_map(|a| field.get_attribute(a)).unwrap_or_default();
            let kind = format!("{}:{}:{name}", field.tag_name(), field.get_attribute("type").unwrap_or_default());
            let n = seen.entry(kind.clone()).or_default();
            *n += 1;
            (format!("{kind}#{n}"), field)
        })
        .collect()
}

fn get(field: &web_sys::Element, property: &str) -> JsValue {
    js_sys::Reflect::get(field, &property.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The values of the page's fields now.
pub fn take() -> Vec<Typed> {
    fields()
        .into_iter()
        .map(|(key, field)| {
            let boxed = boxed(&field);
            Typed { value: get(&field, if boxed { "checked" } else { "value" }), boxed, key }
        })
        .collect()
}

/// Puts `typed` back into the redrawn fields, each once, as they appear.
pub fn put_back(typed: Vec<Typed>) {
    if !typed.is_empty() {
        later(typed, TRIES);
    }
}

fn later(mut pending: Vec<Typed>, tries: u32) {
    let again = Closure::once_into_js(move || {
        for (key, field) in fields() {
            if let Some(i) = pending.iter().position(|t| t.key == key) {
                restore(&field, &pending.swap_remove(i));
            }
        }
        if !pending.is_empty() && tries > 1 {
            later(pending, tries - 1);
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(again.unchecked_ref(), EVERY_MS);
    }
}

/// Sets a field as it was and tells the form, which listens (delegated,
/// so the event bubbles) for what a person typing would send.
fn restore(field: &web_sys::Element, typed: &Typed) {
    let property = if typed.boxed { "checked" } else { "value" };
    if get(field, property) == typed.value {
        return;
    }
    let _ = js_sys::Reflect::set(field, &property.into(), &typed.value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let events: &[&str] = if typed.boxed { &["change"] } else { &["input", "change"] };
    for name in events {
        if let Ok(e) = web_sys::Event::new_with_event_init_dict(name, &init) {
            let _ = field.dispatch_event(&e);
        }
    }
}
