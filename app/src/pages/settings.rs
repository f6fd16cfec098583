//! How the signed-in person is reached: notifications on this device
//! (Web Push), which kinds and when not (quiet hours), and e-mail (the
//! address, its language, the monthly letters, the officials' digest).
//! The settings live on the server, which sends by them, so this page
//! needs the network; the device's own subscription is the browser's.

use leptos::prelude::*;
use leptos::task::spawn_local;

use domain::contract::SettingsView;
use domain::permission::Role;
use domain::reach::{Kind, Quiet, Settings};

use super::fields::{SelectField, TextField};
use crate::api::{self, use_identity};
use crate::i18n::{Lang, label, tr};

/// Shown after the page's last action: saved, or why not.
type Outcome = RwSignal<Option<Result<&'static str, String>>>;

fn outcome_line(outcome: Outcome) -> impl IntoView {
    move || match outcome.get() {
        Some(Ok(done)) => {
            Some(view! { <p class="saved-local" role="status" data-testid="settings-saved">{done}</p> }.into_any())
        }
        Some(Err(e)) => Some(view! { <p class="error" role="alert">{e}</p> }.into_any()),
        None => None,
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    let loaded: RwSignal<Option<Result<SettingsView, String>>> = RwSignal::new(None);
    spawn_local(async move { loaded.set(Some(api::settings().await.map_err(|e| e.message()))) });
    view! {
        <h1>{tr("通知与邮件", "Notifications and e-mail")}</h1>
        <ThisDevice />
        {move || match loaded.get() {
            None => view! { <p class="empty">{tr("正在读取…", "Reading…")}</p> }.into_any(),
            Some(Err(e)) => view! {
                <p class="error" role="alert">{e}</p>
                <p class="hint">{tr("设置保存在服务器上,联网后再打开本页。", "Settings live on the server: open this page again when online.")}</p>
            }.into_any(),
            Some(Ok(view)) => view! { <SettingsForm view /> }.into_any(),
        }}
    }
}

/// Notifications on this device: allowed and subscribed, or not.
#[component]
fn ThisDevice() -> impl IntoView {
    let on: RwSignal<Option<bool>> = RwSignal::new(None);
    let outcome: Outcome = RwSignal::new(None);
    let check = move || spawn_local(async move { on.set(Some(matches!(api::push_subscription().await, Ok(Some(_))))) });
    check();
    let switch = move |enable: bool| {
        spawn_local(async move {
            let result = if enable { api::enable_push().await } else { api::disable_push().await };
            let done = if enable {
                tr("本设备已开启通知", "Notifications are on for this device")
            } else {
                tr("本设备已关闭通知", "Notifications are off for this device")
            };
            outcome.set(Some(result.map(|()| done).map_err(|e| e.message())));
            check();
        });
    };
    view! {
        <section class="panel" data-testid="this-device">
            <h2>{tr("本设备的通知", "Notifications on this device")}</h2>
            <p class="hint">{tr(
                "有诉求等您处理、期限临近或有新进展时,即使没有打开直通车,本设备也会提醒您。点击提醒即打开该诉求。",
                "When a case waits on you, a deadline nears or something moves, this device tells you even with Direct Line closed. Tap it to open the case.",
            )}</p>
            {move || match on.get() {
                Some(true) => view! {
                    <button type="button" class="button" data-testid="push-off" on:click=move |_| switch(false)>
                        {tr("关闭本设备通知", "Turn notifications off")}
                    </button>
                }.into_any(),
                _ => view! {
                    <button type="button" class="button primary" data-testid="push-on" on:click=move |_| switch(true)>
                        {tr("开启本设备通知", "Turn notifications on")}
                    </button>
                }.into_any(),
            }}
            {outcome_line(outcome)}
        </section>
    }
}

fn hours() -> Vec<(String, String)> {
    std::iter::once((String::new(), "—".to_string()))
        .chain((0..24).map(|h| (h.to_string(), format!("{h:02}:00"))))
        .collect()
}

#[component]
fn SettingsForm(view: SettingsView) -> impl IntoView {
    let role = use_identity().get_untracked().map(|i| i.user.role);
    let s = view.settings;
    let email = RwSignal::new(s.email.clone().unwrap_or_default());
    let lang = RwSignal::new(if s.lang == Lang::En { "en" } else { "zh" }.to_string());
    let muted = RwSignal::new(s.muted.clone());
    let quiet_from = RwSignal::new(s.quiet.map(|q| q.from.to_string()).unwrap_or_default());
    let quiet_to = RwSignal::new(s.quiet.map(|q| q.to.to_string()).unwrap_or_default());
    let digest = RwSignal::new(s.digest);
    let letters = RwSignal::new(s.letters_by_mail);
    let outcome: Outcome = RwSignal::new(None);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let quiet = match (quiet_from.get_untracked().parse(), quiet_to.get_untracked().parse()) {
            (Ok(from), Ok(to)) => Some(Quiet { from, to }),
            _ => None,
        };
        let settings = Settings {
            email: Some(email.get_untracked()),
            lang: if lang.get_untracked() == "en" { Lang::En } else { Lang::Zh },
            muted: muted.get_untracked(),
            quiet,
            digest: digest.get_untracked(),
            letters_by_mail: letters.get_untracked(),
        };
        spawn_local(async move {
            let result = api::save_settings(&settings).await;
            outcome.set(Some(result.map(|_| tr("已保存", "Saved")).map_err(|e| e.message())));
        });
    };
    let official = role.is_some_and(|r| matches!(r, Role::Coordinator | Role::Officer | Role::Leader));
    let enterprise = role == Some(Role::Enterprise);
    let check = |value: RwSignal<bool>, name: &'static str, text: &'static str| {
        view! {
            <label class="check">
                <input type="checkbox" name=name prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev)) />
                <span>{text}</span>
            </label>
        }
    };
    view! {
        <form class="settings-form" data-testid="settings" on:submit=on_submit novalidate>
            <fieldset>
                <legend>{tr("提醒我这些事", "Tell me about")}</legend>
                {Kind::ALL.into_iter().map(|kind| view! {
                    <label class="check">
                        <input
                            type="checkbox"
                            name=format!("kind-{kind:?}")
                            prop:checked=move || !muted.get().contains(&kind)
                            on:change=move |ev| muted.update(|m| if event_target_checked(&ev) { m.remove(&kind); } else { m.insert(kind); })
                        />
                        <span>{label(kind.label())}</span>
                    </label>
                }).collect_view()}
                <p class="hint">{tr("免打扰时段内的提醒,到时段结束再送达。", "Notifications in quiet hours arrive when they end.")}</p>
                <div class="row">
                    <SelectField label=tr("免打扰 从", "Quiet from") value=quiet_from options=hours() name="quiet_from" />
                    <SelectField label=tr("到", "until") value=quiet_to options=hours() name="quiet_to" />
                </div>
            </fieldset>
            <fieldset>
                <legend>{tr("电子邮件", "E-mail")}</legend>
                {(!view.mail).then(|| view! {
                    <p class="hint">{tr("本服务器尚未配置发信,暂不发送邮件。", "This server does not send mail yet (no mail server configured).")}</p>
                })}
                <TextField label=tr("电子邮箱", "E-mail address") value=email name="email" kind="email" autocomplete="email" />
                <SelectField
                    label=tr("邮件和提醒的语言", "Language of mails and notifications")
                    value=lang
                    options=vec![("zh".to_string(), "中文".to_string()), ("en".to_string(), "English".to_string())]
                    name="mail_lang"
                />
                {enterprise.then(|| check(letters, "letters_by_mail", tr("每月进度告知函同时发到邮箱", "Mail me the monthly progress letters")))}
                {official.then(|| check(digest, "digest", tr("工作日早上发送待办摘要邮件", "Mail me a digest of what waits on me each working morning")))}
            </fieldset>
            {outcome_line(outcome)}
            <div class="actions"><button type="submit" class="button primary">{tr("保存", "Save")}</button></div>
        </form>
    }
}
