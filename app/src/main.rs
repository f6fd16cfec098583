//! Direct Line's app: a Leptos CSR app compiled to WebAssembly. Cases live
//! on the device (IndexedDB) as Automerge documents, so the app works with
//! no signal and merges later.

mod clock;
mod error;
mod labels;
mod pages;
mod storage;

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

fn main() {
    leptos::mount::mount_to_body(App);
    // The static shell in index.html painted while the wasm loaded; the
    // app has taken over now.
    if let Some(shell) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("shell")) {
        shell.remove();
    }
}

#[component]
fn App() -> impl IntoView {
    view! {
        <Router>
            <header class="topbar">
                <A href="/" attr:class="brand">
                    <span class="brand-mark">"直通车"</span>
                    <span class="brand-sub">"惠州市办理企业困难直通车"</span>
                </A>
            </header>
            <main class="page">
                <Routes fallback=|| view! { <p class="empty">"页面不存在"</p> }>
                    <Route path=path!("/") view=pages::case_list::CaseList />
                    <Route path=path!("/new") view=pages::new_appeal::NewAppeal />
                </Routes>
            </main>
        </Router>
    }
}
