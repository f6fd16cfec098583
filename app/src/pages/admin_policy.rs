//! What the admin's policy screens share: the admin's navigation, the
//! check that the user is an admin, and how an edit is sent and its
//! outcome shown. The policy itself is changed on the server
//! (`POST /api/admin/policy`) and is in force on this device at once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use domain::permission::Role;
use domain::policy::PolicyEdit;

use crate::api::use_identity;
use crate::i18n::tr;
use crate::policy::Editor;

/// The admin's screens.
#[component]
pub fn AdminNav() -> impl IntoView {
    view! {
        <nav class="admin-nav" aria-label=tr("管理", "Administration")>
            <A href="/admin" exact=true>{tr("账号", "Accounts")}</A>
            <A href="/admin/directory">{tr("组织机构", "Organisation")}</A>
            <A href="/admin/rules">{tr("办理时限", "Deadlines")}</A>
            <A href="/admin/calendar">{tr("工作日历", "Calendar")}</A>
        </nav>
    }
}

/// `children` for an admin; a sentence for anyone else.
#[component]
pub fn AdminOnly(children: ChildrenFn) -> impl IntoView {
    let identity = use_identity();
    move || match identity.get() {
        Some(who) if who.user.role == Role::Admin => children().into_any(),
        _ => view! { <p class="empty">{tr("只有管理员可以使用此页面。", "Only admins use this page.")}</p> }.into_any(),
    }
}

/// How the last edit went: what was done, or why it was refused.
pub type Outcome = RwSignal<Option<Result<String, String>>>;

#[component]
pub fn OutcomeLine(outcome: Outcome) -> impl IntoView {
    move || {
        outcome.get().map(|o| match o {
            Ok(done) => view! { <p class="saved" role="status" data-testid="policy-saved">{done}</p> }.into_any(),
            Err(why) => view! { <p class="error" role="alert" data-testid="policy-refused">{why}</p> }.into_any(),
        })
    }
}

/// Sends `edit` with `editor` (taken when the screen was made); `done`
/// is said when the server accepts it.
pub fn send(editor: Option<Editor>, outcome: Outcome, edit: PolicyEdit, done: String) {
    let Some(editor) = editor else { return };
    outcome.set(None);
    spawn_local(async move {
        outcome.set(Some(editor.apply(&edit).await.map(|()| done).map_err(|e| e.message())));
    });
}
