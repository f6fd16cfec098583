//! Anyone signed in changes their own password: the current one, the new
//! one twice. Checked here first (the same rule as the server's), then by
//! the server, which also signs the account out everywhere else.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::fields::TextField;
use crate::api;
use crate::i18n::{say, tr};

#[component]
pub fn ChangePassword() -> impl IntoView {
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let outcome: RwSignal<Option<Result<(), String>>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (c, n, a) = (current.get_untracked(), new.get_untracked(), again.get_untracked());
        let problem = if c.is_empty() {
            Some(tr("请输入当前密码", "Enter your current password").to_string())
        } else if let Err(e) = domain::account::validate_password(&n) {
            Some(say(&e.label()))
        } else if n != a {
            Some(tr("两次输入的新密码不一致", "The two new passwords differ").to_string())
        } else {
            None
        };
        if let Some(problem) = problem {
            return outcome.set(Some(Err(problem)));
        }
        busy.set(true);
        spawn_local(async move {
            let result = api::change_password(&c, &n).await.map_err(|e| e.message());
            if result.is_ok() {
                for field in [current, new, again] {
                    field.set(String::new());
                }
            }
            outcome.set(Some(result));
            busy.set(false);
        });
    };
    view! {
        <h1>{tr("修改密码", "Change your password")}</h1>
        <form class="signin-form" data-testid="change-password" on:submit=on_submit novalidate>
            <TextField label=tr("当前密码", "Current password") value=current name="current" kind="password" autocomplete="current-password" />
            <TextField label=tr("新密码(至少 8 位)", "New password (8 characters or more)") value=new name="new" kind="password" autocomplete="new-password" />
            <TextField label=tr("再输一次新密码", "New password again") value=again name="again" kind="password" autocomplete="new-password" />
            {move || match outcome.get() {
                Some(Ok(())) => Some(view! {
                    <p class="saved-local" role="status" data-testid="password-changed">
                        {tr("密码已修改。其他设备上的登录已退出。", "Password changed. You are signed out on other devices.")}
                    </p>
                }.into_any()),
                Some(Err(e)) => Some(view! { <p class="error" role="alert">{e}</p> }.into_any()),
                None => None,
            }}
            <div class="actions">
                <button type="submit" class="button primary" disabled=move || busy.get()>{tr("修改密码", "Change password")}</button>
            </div>
            <p class="note">{tr("修改密码需要联网。", "Changing the password needs the network.")}</p>
        </form>
    }
}
