use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use super::fields::TextField;
use crate::api::{self, use_identity};
use crate::i18n::tr;

/// Sign-in with an account the coordinator gave out (or a demo account).
#[component]
pub fn SignIn() -> impl IntoView {
    let identity = use_identity();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (l, p) = (login.get_untracked(), password.get_untracked());
        if l.trim().is_empty() || p.is_empty() {
            return error.set(Some(tr("请输入账号和密码", "Enter your account and password").into()));
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::sign_in(&l, &p).await {
                Ok(who) => {
                    identity.set(Some(who));
                    navigate("/", Default::default());
                }
                Err(e) => error.set(Some(e.message())),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>{tr("登录", "Sign in")}</h1>
        <form class="signin-form" on:submit=on_submit novalidate>
            <TextField label=tr("账号", "Account") value=login name="login" autocomplete="username" />
            <TextField
                label=tr("密码", "Password")
                value=password
                name="password"
                kind="password"
                autocomplete="current-password"
            />
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="actions">
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {tr("登录", "Sign in")}
                </button>
            </div>
            <p class="note">{tr("首次登录需要联网;之后没有网络也能打开并使用。", "The first sign-in needs the network; after that the app opens and works without it.")}</p>
            <p class="note">
                {tr("企业还没有账号?", "No account yet? ")}
                <A href="/register">{tr("企业注册", "Register your enterprise")}</A>
            </p>
        </form>
    }
}
