//! Enterprise registration (上车: no threshold). Everything is checked on
//! the device first, with every problem shown at once; the server checks
//! again and keeps one account per credit code.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use domain::account;

use super::fields::TextField;
use super::profile_fields::{ContactFields, EnterpriseFields, ProfileForm};
use crate::api::{self, use_identity};
use crate::error::AppError;
use crate::i18n::tr;

#[component]
pub fn Register() -> impl IntoView {
    let identity = use_identity();
    let form = ProfileForm::new();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (l, p) = (login.get_untracked(), password.get_untracked());
        let mut problems = Vec::new();
        let _ = account::validate_login(&l).map_err(|e| problems.push(e));
        let _ = account::validate_password(&p).map_err(|e| problems.push(e));
        let profile = form.profile().validate(&crate::clock::policy().directory).map_err(|e| problems.extend(e)).ok();
        let Some(profile) = profile.filter(|_| problems.is_empty()) else {
            return errors.set(problems.into_iter().map(|e| AppError::from(e).message()).collect());
        };
        errors.set(Vec::new());
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::register(&l, &p, &profile).await {
                Ok(who) => {
                    identity.set(Some(who));
                    navigate("/", Default::default());
                }
                Err(e) => errors.set(e.message().lines().map(String::from).collect()),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>{tr("企业注册", "Register your enterprise")}</h1>
        <form class="appeal-form" on:submit=on_submit novalidate>
            <EnterpriseFields form />
            <ContactFields form />
            <fieldset>
                <legend>{tr("账号", "Account")}</legend>
                <TextField label=tr("账号", "Account name") value=login name="login" autocomplete="username" hint=tr("3–32位字母、数字", "3–32 letters or digits") />
                <TextField label=tr("密码", "Password") value=password name="password" kind="password" autocomplete="new-password" hint=tr("至少8位", "at least 8 characters") />
            </fieldset>
            <Show when=move || !errors.get().is_empty()>
                <ul class="error" role="alert">
                    {move || errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                </ul>
            </Show>
            <div class="actions">
                <button type="submit" class="button primary" disabled=move || busy.get()>
                    {tr("注册并登录", "Register and sign in")}
                </button>
            </div>
            <p class="note">
                {tr("已有账号?", "Have an account? ")}
                <A href="/signin">{tr("登录", "Sign in")}</A>
            </p>
        </form>
    }
}
