//! The admin's account screen: invite an official (a one-time link the
//! admin passes on), and for each account a password-reset link or
//! deactivation. And an enterprise registrant's invitation of colleagues.
//! Needs the network: accounts live on the server.

use leptos::prelude::*;
use leptos::task::spawn_local;

use domain::contract::{AccountState, Invite, OneTimeLink};
use domain::directory::{CITY, Entry};
use domain::label::Label;
use domain::permission::Role;

use super::admin_policy::{AdminNav, AdminOnly};
use super::fields::{SelectField, TextField};
use crate::api;
use crate::i18n::{label, tr};
use crate::labels;

/// The roles an admin invites, with their names.
const ROLES: [Entry; 4] = [
    Entry { code: "Officer", name: Label::new("部门办事员", "Department officer") },
    Entry { code: "Coordinator", name: Label::new("协调员(政数局)", "Coordinator") },
    Entry { code: "Leader", name: Label::new("领导", "Leader") },
    Entry { code: "Admin", name: Label::new("管理员", "Administrator") },
];

fn role_of(code: &str) -> Role {
    match code {
        "Coordinator" => Role::Coordinator,
        "Leader" => Role::Leader,
        "Admin" => Role::Admin,
        _ => Role::Officer,
    }
}

fn role_name(role: Role) -> &'static str {
    let code = format!("{role:?}");
    ROLES.iter().find(|e| e.code == code).map_or_else(|| tr("企业", "Enterprise"), |e| label(e.name))
}

/// A one-time link as the admin passes it on: the whole address.
fn absolute(link: &OneTimeLink) -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    format!("{origin}{}", link.path)
}

/// For whom a link is, and where it was mailed, if it was.
fn whom(name: String, link: &OneTimeLink) -> (String, String) {
    let name = match &link.mailed_to {
        Some(to) => format!("{name}({} {to})", tr("已发送邮件至", "mailed to")),
        None => name,
    };
    (name, absolute(link))
}

/// The one-time link just made and for whom, to pass on; or why not.
#[component]
fn MadeLink(made: RwSignal<Option<Result<(String, String), String>>>) -> impl IntoView {
    move || {
        made.get().map(|m| match m {
            Ok((whom, link)) => view! {
                <div class="one-time-link" role="status">
                    <p>{format!("{} {whom}:", tr("一次性链接(7 天内有效,只能用一次),请发给", "One-time link (7 days, works once) for"))}</p>
                    <input readonly data-testid="one-time-link" value=link />
                </div>
            }
            .into_any(),
            Err(e) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
        })
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    view! { <AdminOnly><Accounts /></AdminOnly> }
}

#[component]
fn Accounts() -> impl IntoView {
    let list: RwSignal<Option<Result<Vec<AccountState>, String>>> = RwSignal::new(None);
    let reload = move || spawn_local(async move { list.set(Some(api::accounts().await.map_err(|e| e.message()))) });
    reload();
    // The latest link made here, for whom, or what went wrong.
    let made: RwSignal<Option<Result<(String, String), String>>> = RwSignal::new(None);
    view! {
        <h1>{tr("账号管理", "Accounts")}</h1>
        <AdminNav />
        <InviteForm made reload />
        <MadeLink made />
        <h2>{tr("全部账号", "All accounts")}</h2>
        {move || match list.get() {
            None => view! { <p class="empty">{tr("正在读取…", "Reading…")}</p> }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
            Some(Ok(accounts)) => view! {
                <table class="accounts" data-testid="accounts">
                    <tbody>{accounts.into_iter().map(|a| view! { <AccountRow a made reload /> }).collect_view()}</tbody>
                </table>
            }.into_any(),
        }}
    }
}

#[component]
fn InviteForm(
    made: RwSignal<Option<Result<(String, String), String>>>,
    reload: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let role = RwSignal::new("Officer".to_string());
    let org = RwSignal::new(labels::units().into_iter().next().map(|(code, _)| code).unwrap_or_default());
    let district = RwSignal::new(CITY.to_string());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let role = role_of(&role.get_untracked());
        let invite = Invite {
            role,
            org: (role == Role::Officer).then(|| org.get_untracked()),
            district: matches!(role, Role::Coordinator | Role::Leader).then(|| district.get_untracked()),
            display_name: name.get_untracked(),
            email: Some(email.get_untracked()).filter(|e| !e.trim().is_empty()),
        };
        spawn_local(async move {
            let result = api::invite(&invite).await.map(|link| whom(invite.display_name.clone(), &link));
            made.set(Some(result.map_err(|e| e.message())));
            reload();
        });
    };
    view! {
        <form class="invite-form" data-testid="invite" on:submit=on_submit novalidate>
            <h2>{tr("邀请工作人员", "Invite an official")}</h2>
            <SelectField label=tr("角色", "Role") value=role options=labels::entries(&ROLES) name="role" />
            {move || match role_of(&role.get()) {
                Role::Officer => Some(view! { <SelectField label=tr("部门", "Department") value=org options=labels::units() name="org" /> }.into_any()),
                Role::Coordinator | Role::Leader => Some(view! { <SelectField label=tr("区县", "District") value=district options=labels::districts() name="district" /> }.into_any()),
                _ => None,
            }}
            <TextField label=tr("姓名或称呼", "Name") value=name name="display_name" />
            <TextField label=tr("电子邮箱(选填,发送链接)", "E-mail (optional: the link is mailed)") value=email name="email" kind="email" />
            <div class="actions"><button type="submit" class="button primary">{tr("生成邀请链接", "Make the invitation link")}</button></div>
        </form>
    }
}

#[component]
fn AccountRow(
    a: AccountState,
    made: RwSignal<Option<Result<(String, String), String>>>,
    reload: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let user = a.account.user.clone();
    let unit = match (&user.org, &user.district) {
        (Some(org), _) if user.role == Role::Officer => labels::department(org).to_string(),
        (_, Some(d)) => labels::district(d).to_string(),
        _ => String::new(),
    };
    let (id, id2, whom) = (user.id.clone(), user.id.clone(), a.account.display_name.clone());
    let reset = move |_| {
        let (id, whom) = (id.clone(), whom.clone());
        spawn_local(async move {
            made.set(Some(api::reset_link(&id).await.map(|l| self::whom(whom, &l)).map_err(|e| e.message())));
        });
    };
    let deactivate = move |_| {
        let id = id2.clone();
        spawn_local(async move {
            if let Err(e) = api::deactivate(&id).await {
                made.set(Some(Err(e.message())));
            }
            reload();
        });
    };
    view! {
        <tr data-login=a.account.login.clone()>
            <td>{a.account.login.clone()}</td>
            <td>{a.account.display_name.clone()}</td>
            <td>{role_name(user.role)} " " {unit}</td>
            <td>
                {if a.deactivated {
                    view! { <span class="muted">{tr("已停用", "Deactivated")}</span> }.into_any()
                } else {
                    view! {
                        <button type="button" class="link-button" on:click=reset>{tr("重置密码链接", "Reset link")}</button>
                        <button type="button" class="link-button" on:click=deactivate>{tr("停用", "Deactivate")}</button>
                    }.into_any()
                }}
            </td>
        </tr>
    }
}

/// On an enterprise registrant's home page: invite a colleague, who then
/// sees and files the enterprise's cases in their own name.
#[component]
pub fn InviteColleague() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let made: RwSignal<Option<Result<(String, String), String>>> = RwSignal::new(None);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let whom = name.get_untracked();
        spawn_local(async move {
            let link = api::invite_colleague(&whom).await.map(|l| (whom, absolute(&l)));
            made.set(Some(link.map_err(|e| e.message())));
        });
    };
    view! {
        <details class="offline-files" data-testid="invite-colleague">
            <summary>{tr("邀请同事一起使用", "Invite a colleague")}</summary>
            <form class="invite-form" on:submit=on_submit novalidate>
                <TextField label=tr("同事姓名", "Colleague's name") value=name name="colleague" />
                <div class="actions"><button type="submit" class="button">{tr("生成邀请链接", "Make the invitation link")}</button></div>
            </form>
            <MadeLink made />
        </details>
    }
}
