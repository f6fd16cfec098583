//! A one-time link's page (`/invite/<token>`): an invited official picks a
//! login and password; someone whose password an admin reset picks a new
//! one. Then they are signed in.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};

use domain::contract::{Acceptance, LinkInfo};

use super::fields::TextField;
use crate::api::{self, use_identity};
use crate::i18n::{pick, say, tr};

#[component]
pub fn Invitation() -> impl IntoView {
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    let info: RwSignal<Option<Result<LinkInfo, String>>> = RwSignal::new(None);
    let asked = token.clone();
    spawn_local(async move { info.set(Some(api::link_info(&asked).await.map_err(|e| e.message()))) });
    move || match info.get() {
        None => view! { <p class="empty">{tr("正在读取链接…", "Reading the link…")}</p> }.into_any(),
        Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
        Some(Ok(info)) => view! { <AcceptForm info token=token.clone() /> }.into_any(),
    }
}

#[component]
fn AcceptForm(info: LinkInfo, token: String) -> impl IntoView {
    let identity = use_identity();
    let navigate = use_navigate();
    let (login, password, again) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let reset = info.reset;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (p, a) = (password.get_untracked(), again.get_untracked());
        if let Err(e) = domain::account::validate_password(&p) {
            return error.set(Some(say(&e.label())));
        }
        if p != a {
            return error.set(Some(tr("两次输入的密码不一致", "The two passwords differ").into()));
        }
        let acceptance = Acceptance { login: (!reset).then(|| login.get_untracked()), password: p };
        let (token, navigate) = (token.clone(), navigate.clone());
        spawn_local(async move {
            match api::accept_link(&token, &acceptance).await {
                Ok(who) => {
                    identity.set(Some(who));
                    navigate("/", Default::default());
                }
                Err(e) => error.set(Some(e.message())),
            }
        });
    };
    let heading = if reset {
        pick(format!("为 {} 设置新密码", info.display_name), format!("A new password for {}", info.display_name))
    } else {
        pick(format!("欢迎,{}", info.display_name), format!("Welcome, {}", info.display_name))
    };
    view! {
        <h1>{heading}</h1>
        <form class="signin-form" data-testid="accept-link" on:submit=on_submit novalidate>
            {(!reset).then(|| view! {
                <TextField label=tr("登录账号(3–32 位小写字母、数字、- _ .)", "Sign-in name (3–32 of a–z, 0–9, - _ .)") value=login name="login" autocomplete="username" />
            })}
            <TextField label=tr("密码(至少 8 位)", "Password (8 characters or more)") value=password name="password" kind="password" autocomplete="new-password" />
            <TextField label=tr("再输一次密码", "Password again") value=again name="again" kind="password" autocomplete="new-password" />
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="actions"><button type="submit" class="button primary">{tr("确定并登录", "Save and sign in")}</button></div>
        </form>
    }
}
