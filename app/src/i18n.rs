//! zh-CN by default, English on request. The choice lives in a cell that
//! plain functions (labels, event descriptions, error messages) read, and
//! in localStorage so the next start paints in the same language. Switching
//! redraws the page under the header (see `App`), so every text is picked
//! once per drawing with [`tr`].

mod typed;

use std::cell::Cell;

use leptos::prelude::*;

use domain::label::Label;
pub use domain::label::Lang;

/// The language's code for `<html lang>` and localStorage.
fn code(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    }
}

const STORAGE_KEY: &str = "dl-lang";

thread_local! {
    static CURRENT: Cell<Lang> = const { Cell::new(Lang::Zh) };
}

/// The language being shown.
pub fn lang() -> Lang {
    CURRENT.with(Cell::get)
}

/// Picks the text of the current language.
pub fn tr(zh: &'static str, en: &'static str) -> &'static str {
    match lang() {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// Picks between two owned texts (formatted ones).
pub fn pick(zh: String, en: String) -> String {
    match lang() {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A fixed label in the current language.
pub fn label(label: Label) -> &'static str {
    tr(label.zh, label.en)
}

/// A message (a label made from values) in the current language.
pub fn say<T: AsRef<str>>(message: &Label<T>) -> String {
    message.get(lang()).to_string()
}

/// A directory entry's name.
pub fn entry(e: &domain::directory::Entry) -> &'static str {
    label(e.name)
}

/// The browser's localStorage, where small per-device settings live.
pub fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Reads the saved choice; the returned signal moves on every switch.
pub fn start() -> RwSignal<Lang> {
    let saved = local_storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let lang = if saved.as_deref() == Some("en") { Lang::En } else { Lang::Zh };
    apply(lang);
    RwSignal::new(lang)
}

/// Switches the language. The page is redrawn, so what the user has typed
/// is taken first and put back into the redrawn fields.
pub fn switch(signal: RwSignal<Lang>, lang: Lang) {
    let typed = typed::take();
    apply(lang);
    if let Some(storage) = local_storage() {
        // Without storage (private mode) the choice lasts until reload.
        let _ = storage.set_item(STORAGE_KEY, code(lang));
    }
    signal.set(lang);
    typed::put_back(typed);
}

fn apply(lang: Lang) {
    CURRENT.with(|c| c.set(lang));
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", code(lang));
    }
    // The server's pages (letters, reports) opened from here follow.
    let cookie = format!("dl_lang={}; path=/; max-age=31536000; samesite=lax", code(lang));
    let _ = js_sys::Reflect::set(&document, &"cookie".into(), &cookie.into());
}
