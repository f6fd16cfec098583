//! Direct Line's app: a Leptos CSR app compiled to WebAssembly. Cases live
//! on the device (IndexedDB) as Automerge documents, so the app works with
//! no signal and merges later.

mod clock;
mod error;
mod labels;
mod pages;
mod session;
mod storage;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use session::{Identity, IdentitySignal};

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
    let identity: IdentitySignal = RwSignal::new(None);
    provide_context(identity);
    // The identity of the last sign-in comes from the device, not the
    // network, so the app opens as that user offline.
    spawn_local(async move {
        if let Ok(db) = storage::open().await
            && let Ok(Some(who)) = storage::identity(&db).await
        {
            identity.set(Some(who));
        }
    });
    view! {
        <Router>
            <header class="topbar">
                <div class="topbar-inner">
                    <A href="/" attr:class="brand">
                        <span class="brand-mark">"直通车"</span>
                        <span class="brand-sub">"惠州市办理企业困难直通车"</span>
                    </A>
                    <Account identity />
                </div>
            </header>
            <main class="page">
                <Routes fallback=|| view! { <p class="empty">"页面不存在"</p> }>
                    <Route path=path!("/") view=pages::case_list::CaseList />
                    <Route path=path!("/new") view=pages::new_appeal::NewAppeal />
                    <Route path=path!("/signin") view=pages::sign_in::SignIn />
                </Routes>
            </main>
        </Router>
    }
}

/// Who is signed in, with sign-out; or a link to sign in.
#[component]
fn Account(identity: IdentitySignal) -> impl IntoView {
    let sign_out = move |_| {
        spawn_local(async move {
            if session::sign_out().await.is_ok() {
                identity.set(None);
            }
        });
    };
    move || match identity.get() {
        Some(Identity { display_name, .. }) => view! {
            <div class="account">
                <span class="account-name" data-testid="account-name">{display_name}</span>
                <button type="button" class="link-button" on:click=sign_out>"退出"</button>
            </div>
        }
        .into_any(),
        None => view! { <A href="/signin" attr:class="link-button">"登录"</A> }.into_any(),
    }
}
