//! The service worker (generated at build time, see
//! scripts/service-worker.sh) lets the app open with no network. When a
//! new build's worker takes over a page that an older one served, the
//! page still runs the old code: it says so and offers to reload.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use crate::i18n::tr;

/// How often an open app asks the server for a newer build (browsers
/// check on their own only when a page is loaded).
const UPDATE_CHECK_MS: i32 = 30 * 60 * 1000;

/// Registers the worker; the signal turns true once a newer build has
/// taken over this page.
pub fn start() -> RwSignal<bool> {
    let updated = RwSignal::new(false);
    let Some(window) = web_sys::window() else { return updated };
    let workers = window.navigator().service_worker();
    // The first worker taking control (on a first visit, without a
    // reload) is an install, not an update; every later one is a new build.
    let mut had_worker = workers.controller().is_some();
    let on_change = Closure::<dyn FnMut()>::new(move || {
        if had_worker {
            updated.set(true);
        }
        had_worker = true;
    });
    workers.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
    // Lives as long as the page.
    on_change.forget();
    // Without service workers (old browser, insecure origin) the app
    // still works while online.
    let _ = workers.register("/sw.js");
    let check = Closure::<dyn FnMut()>::new(move || {
        let workers = web_sys::window().map(|w| w.navigator().service_worker());
        if let Some(workers) = workers {
            leptos::task::spawn_local(async move {
                let ready = wasm_bindgen_futures::JsFuture::from(workers.get_registration()).await;
                if let Ok(registration) = ready.and_then(|r| r.dyn_into::<web_sys::ServiceWorkerRegistration>()) {
                    // Offline the check fails; the next one tries again.
                    let _ = registration.update();
                }
            });
        }
    });
    let _ =
        window.set_interval_with_callback_and_timeout_and_arguments_0(check.as_ref().unchecked_ref(), UPDATE_CHECK_MS);
    check.forget();
    updated
}

/// A push notification the service worker passed to this open window.
#[derive(Clone, PartialEq)]
pub struct Pushed {
    title: String,
    body: String,
    url: String,
}

/// The latest notification pushed while the app is open.
pub fn pushed() -> RwSignal<Option<Pushed>> {
    let latest = RwSignal::new(None);
    let Some(window) = web_sys::window() else { return latest };
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
        let data = event.data();
        let field = |name: &str| js_sys::Reflect::get(&data, &name.into()).ok().and_then(|v| v.as_string());
        if field("type").as_deref() == Some("push") {
            let url = field("url").filter(|u| u.starts_with('/')).unwrap_or_else(|| "/".into());
            latest.set(Some(Pushed {
                title: field("title").unwrap_or_default(),
                body: field("body").unwrap_or_default(),
                url,
            }));
        }
    });
    window.navigator().service_worker().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Lives as long as the page.
    on_message.forget();
    latest
}

/// The notification pushed while the app is open, with a way to the case.
#[component]
pub fn PushBanner(pushed: RwSignal<Option<Pushed>>) -> impl IntoView {
    move || {
        pushed.get().map(|Pushed { title, body, url }| {
            view! {
                <div class="push-banner" role="status" data-testid="push-banner">
                    <div><strong>{title}</strong><p>{body}</p></div>
                    <leptos_router::components::A href=url on:click=move |_| pushed.set(None) attr:class="button primary">
                        {tr("打开", "Open")}
                    </leptos_router::components::A>
                    <button type="button" class="link-button" on:click=move |_| pushed.set(None)>{tr("关闭", "Dismiss")}</button>
                </div>
            }
        })
    }
}

/// "A new version is available — reload", once it is.
#[component]
pub fn UpdateBanner(updated: RwSignal<bool>) -> impl IntoView {
    let reload = |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    move || {
        updated.get().then(|| {
            view! {
                <div class="update-banner" role="status" data-testid="update">
                    <span>{tr("新版本可用", "A new version is available")}</span>
                    <button type="button" class="button" on:click=reload>{tr("重新加载", "Reload")}</button>
                </div>
            }
        })
    }
}

/// What the browser grants this site: whether its storage is persistent
/// (not cleared when the device runs short) and how much it uses of how
/// much it may.
#[derive(Clone, Copy, PartialEq)]
struct Grant {
    persisted: bool,
    usage: f64,
    quota: f64,
}

/// Asks the browser to keep this site's storage (work done offline lives
/// there), then reads what it granted.
async fn grant() -> Option<Grant> {
    use wasm_bindgen_futures::JsFuture;
    let storage = web_sys::window()?.navigator().storage();
    let persisted = match storage.persist() {
        Ok(asked) => JsFuture::from(asked).await.ok().and_then(|v| v.as_bool()).unwrap_or(false),
        Err(_) => false,
    };
    let (usage, quota) = estimate().await?;
    Some(Grant { persisted, usage, quota })
}

/// What this site uses of its storage, and how much the browser lets it
/// use, in bytes.
pub async fn estimate() -> Option<(f64, f64)> {
    let storage = web_sys::window()?.navigator().storage();
    let estimate = wasm_bindgen_futures::JsFuture::from(storage.estimate().ok()?).await.ok()?;
    let number = |key: &str| js_sys::Reflect::get(&estimate, &key.into()).ok().and_then(|v| v.as_f64());
    Some((number("usage")?, number("quota")?))
}

/// A size people read at a glance: KB below 1 MB, GB from 1 GB up.
pub fn megabytes(bytes: f64) -> String {
    let mb = bytes / 1_048_576.0;
    if mb >= 1024.0 {
        format!("{:.1} GB", mb / 1024.0)
    } else if mb >= 1.0 {
        format!("{mb:.1} MB")
    } else {
        // Rounded up: a file of a few bytes is not "0 KB".
        format!("{:.0} KB", (bytes / 1024.0).ceil())
    }
}

/// This device's storage: used and available, and whether the browser
/// keeps it when space runs short.
#[component]
pub fn DeviceStorage() -> impl IntoView {
    let granted: RwSignal<Option<Grant>> = RwSignal::new(None);
    // Asked on every start: a browser that said no may say yes once the
    // app is installed or used more.
    leptos::task::spawn_local(async move { granted.set(grant().await) });
    move || {
        granted.get().map(|g| {
            let (used, quota) = (megabytes(g.usage), megabytes(g.quota));
            let kept = if g.persisted {
                tr("浏览器已同意持久保存本站数据", "the browser keeps this site's data")
            } else {
                tr(
                    "浏览器未同意持久保存:空间紧张时可能清除本站数据,请及时联网同步",
                    "The browser may clear this site's data when space runs short: sync often",
                )
            };
            view! {
                <p class="device-storage" data-testid="device-storage" data-persisted=g.persisted.to_string()>
                    {crate::i18n::pick(format!("本设备存储:已用 {used},上限约 {quota}。"), format!("Storage on this device: {used} used of about {quota}. "))}
                    {kept}
                </p>
            }
        })
    }
}
