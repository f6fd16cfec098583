//! Direct Line's app: a Leptos CSR app compiled to WebAssembly. Cases live
//! on the device (IndexedDB) as Automerge documents, so the app works with
//! no signal and merges later.

mod api;
mod clock;
mod error;
mod i18n;
mod labels;
mod officials;
mod offline_files;
mod pages;
mod people;
mod policy;
mod pwa;
mod storage;
mod sync;

use std::sync::Arc;

use domain::policy::Policy;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{Lazy, path};
use pages::lazy;

use api::{Identity, IdentitySignal};
use i18n::{Lang, pick, tr};
use sync::{SyncHandle, SyncStatus};

fn main() {
    // Built once, before anything is drawn: a broken shipped calendar stops
    // the app with the reason rather than computing wrong deadlines.
    let policy = match Policy::shipped() {
        Ok(policy) => Arc::new(policy),
        Err(e) => {
            let message = format!("无法启动:{e}");
            leptos::mount::mount_to_body(move || view! { <main class="fatal" role="alert">{message.clone()}</main> });
            return;
        }
    };
    leptos::mount::mount_to_body(move || view! { <App policy=policy.clone() /> });
    // The static shell in index.html painted while the wasm loaded; the
    // app has taken over now.
    if let Some(shell) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("shell")) {
        shell.remove();
    }
}

#[component]
fn App(policy: Arc<Policy>) -> impl IntoView {
    let identity: IdentitySignal = RwSignal::new(None);
    provide_context(identity);
    provide_context(people::People::start(identity));
    provide_context(officials::Officials::start(identity));
    let sync = SyncHandle::start(policy.clone());
    provide_context(sync.clone());
    provide_context(policy::start(policy, sync.clone()));
    let (status, unsynced) = (sync.status, sync.unsynced);
    // Whoever is signed in is whom the engine syncs for, once the device
    // has said who signed in last (not "nobody" before it has).
    let read = RwSignal::new(false);
    Effect::new(move |_| {
        if read.get() {
            sync.set_identity(identity.get());
        }
    });
    // The identity of the last sign-in comes from the device, not the
    // network, so the app opens as that user offline.
    spawn_local(async move {
        if let Ok(db) = storage::open().await
            && let Ok(Some(who)) = storage::identity(&db).await
        {
            identity.set(Some(who));
        }
        read.set(true);
    });
    let lang = i18n::start();
    let updated = pwa::start();
    let pushed = pwa::pushed();
    view! {
        <Router>
            // Redrawn on a language switch: every text is picked when drawn.
            {move || {
                lang.track();
                view! {
                    <header class="topbar">
                        <div class="topbar-inner">
                            <A href="/" attr:class="brand">
                                <span class="brand-mark">{tr("直通车", "Direct Line")}</span>
                                <span class="brand-sub">{tr("惠州市办理企业困难直通车", "Huizhou enterprise direct line")}</span>
                            </A>
                            <SyncIndicator status />
                            <LangSwitch lang />
                            <Account identity unsynced />
                        </div>
                    </header>
                    <pwa::UpdateBanner updated />
                    <pwa::PushBanner pushed />
                    <main class="page">
                        <clock::ClockWarning />
                        <Routes fallback=|| view! { <p class="empty">{tr("页面不存在", "Page not found")}</p> }>
                            <Route path=path!("/") view=pages::case_list::CaseList />
                            <Route path=path!("/new") view={Lazy::<lazy::NewAppeal>::new()} />
                            <Route path=path!("/signin") view=pages::sign_in::SignIn />
                            <Route path=path!("/register") view={Lazy::<lazy::Register>::new()} />
                            <Route path=path!("/case/:id") view={Lazy::<lazy::Case>::new()} />
                            <Route path=path!("/session/:id") view={Lazy::<lazy::Session>::new()} />
                            <Route path=path!("/password") view={Lazy::<lazy::Password>::new()} />
                            <Route path=path!("/settings") view={Lazy::<lazy::Settings>::new()} />
                            <Route path=path!("/admin") view={Lazy::<lazy::Accounts>::new()} />
                            <Route path=path!("/admin/directory") view={Lazy::<lazy::Directory>::new()} />
                            <Route path=path!("/admin/rules") view={Lazy::<lazy::Rules>::new()} />
                            <Route path=path!("/admin/calendar") view={Lazy::<lazy::Calendar>::new()} />
                            <Route path=path!("/invite/:token") view={Lazy::<lazy::Invitation>::new()} />
                        </Routes>
                        {move || identity.get().is_some().then(|| view! { <pwa::DeviceStorage /> <offline_files::OfflineFiles /> })}
                    </main>
                }
            }}
        </Router>
    }
}

/// 中文 / English.
#[component]
fn LangSwitch(lang: RwSignal<Lang>) -> impl IntoView {
    let other = match lang.get_untracked() {
        Lang::Zh => Lang::En,
        Lang::En => Lang::Zh,
    };
    let text = if other == Lang::En { "EN" } else { "中文" };
    view! {
        <button
            type="button"
            class="link-button lang-switch"
            data-testid="lang-switch"
            aria-label=tr("切换到英文", "Switch to Chinese")
            on:click=move |_| i18n::switch(lang, other)
        >
            {text}
        </button>
    }
}

/// Offline / saved on this device / syncing / synced at HH:MM.
#[component]
fn SyncIndicator(status: RwSignal<SyncStatus>) -> impl IntoView {
    view! {
        <span
            class=move || format!("sync-status sync-{}", status.get().key())
            data-testid="sync-status"
            data-state=move || status.get().key()
            role="status"
        >
            {move || match status.get() {
                SyncStatus::SignedOut { .. } => view! { <A href="/signin">{status.get().text()}</A> }.into_any(),
                other => other.text().into_any(),
            }}
        </span>
    }
}

/// Who is signed in, with sign-out; or a link to sign in. Signing out with
/// changes the server does not have yet asks first: they stay on this
/// device (in this account's own storage) and sync at the next sign-in.
#[component]
fn Account(identity: IdentitySignal, unsynced: RwSignal<usize>) -> impl IntoView {
    let asking = RwSignal::new(false);
    let sign_out = move || {
        asking.set(false);
        spawn_local(async move {
            if api::sign_out().await.is_ok() {
                identity.set(None);
            }
        });
    };
    let ask_or_sign_out = move |_| {
        if unsynced.get_untracked() > 0 { asking.set(true) } else { sign_out() }
    };
    move || {
        match identity.get() {
        Some(Identity { display_name, .. }) => view! {
            <div class="account">
                <A href="/password" attr:class="account-name" attr:data-testid="account-name" attr:title=tr("修改密码", "Change your password")>{display_name}</A>
                <A href="/settings" attr:class="link-button" attr:data-testid="settings-link">{tr("通知", "Alerts")}</A>
                <button type="button" class="link-button" on:click=ask_or_sign_out>{tr("退出", "Sign out")}</button>
            </div>
            {move || asking.get().then(|| view! {
                <div class="sign-out-warning" role="alertdialog" data-testid="sign-out-warning">
                    <p>{pick(
                        format!("还有 {} 件诉求的改动尚未同步到服务器。", unsynced.get()),
                        format!("Changes to {} case(s) have not reached the server yet.", unsynced.get()),
                    )}</p>
                    <p>{tr(
                        "退出后改动仍保存在本设备,您下次在本设备登录时会自动同步;其他人登录不会看到或删除它们。",
                        "If you sign out they stay on this device and sync when you next sign in here; nobody else signing in sees or removes them.",
                    )}</p>
                    <button type="button" class="button primary" data-testid="stay-signed-in" on:click=move |_| asking.set(false)>
                        {tr("保持登录", "Stay signed in")}
                    </button>
                    <button type="button" class="button" data-testid="sign-out-keep" on:click=move |_| sign_out()>
                        {tr("退出,改动留在本设备", "Sign out, keep the changes here")}
                    </button>
                </div>
            })}
        }
        .into_any(),
        None => view! { <A href="/signin" attr:class="link-button">{tr("登录", "Sign in")}</A> }.into_any(),
    }
    }
}
