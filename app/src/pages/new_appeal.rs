use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use domain::DomainError;
use domain::account::{self, Profile};
use domain::case::{Appeal, AttachmentRef, CaseDoc, Enterprise, SCHEMA_VERSION};
use domain::permission::Role;

use super::attachments::AttachmentField;
use super::duplicates::Duplicates;
use super::fields::{SelectField, TextField};
use super::profile_fields::{ContactFields, EnterpriseFields, ProfileForm};
use crate::api::use_identity;
use crate::clock;
use crate::error::AppError;
use crate::i18n::tr;
use crate::labels;
use crate::sync::use_sync;

/// What the person typed, before validation.
#[derive(Clone, Copy)]
struct Form {
    profile: ProfileForm,
    category: RwSignal<String>,
    title: RwSignal<String>,
    description: RwSignal<String>,
    wants_session: RwSignal<bool>,
    attachments: RwSignal<Vec<AttachmentRef>>,
}

impl Form {
    fn new(profile: ProfileForm) -> Form {
        Form {
            profile,
            category: RwSignal::new(labels::categories().into_iter().next().map(|(code, _)| code).unwrap_or_default()),
            title: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            wants_session: RwSignal::new(false),
            attachments: RwSignal::new(Vec::new()),
        }
    }

    /// Validates every part and reports every problem at once. A registered
    /// enterprise files as itself; anyone else names the enterprise by its
    /// credit code (a coordinator's on-site or phone intake).
    fn to_case(self, now_ms: i64, registered: Option<&Enterprise>) -> Result<CaseDoc, Vec<String>> {
        let typed = self.profile.profile();
        let policy = clock::policy();
        let mut problems: Vec<DomainError> = Vec::new();
        let (enterprise, contact) = match registered {
            Some(enterprise) => {
                let contact = typed.contact.validate().map_err(|e| problems.push(e)).ok();
                (Some(enterprise.clone()), contact)
            }
            None => match typed.validate(&policy.directory) {
                Ok(Profile { enterprise, contact }) => (Some(enterprise), Some(contact)),
                Err(errors) => {
                    problems.extend(errors);
                    (None, None)
                }
            },
        };
        let appeal = Appeal {
            title: self.title.get_untracked(),
            description: self.description.get_untracked(),
            category: self.category.get_untracked(),
            wants_session: self.wants_session.get_untracked(),
            attachments: self.attachments.get_untracked(),
        }
        .validate(&policy.directory)
        .map_err(|e| problems.push(e))
        .ok();
        match (enterprise, contact, appeal) {
            (Some(enterprise), Some(contact), Some(appeal)) if problems.is_empty() => Ok(CaseDoc {
                schema: SCHEMA_VERSION,
                id: domain::sync::DocumentId::from_bytes(*uuid::Uuid::new_v4().as_bytes()).to_string(),
                number: None,
                created_ms: now_ms,
                district: enterprise.district.clone(),
                enterprise,
                contact,
                appeal,
                events: Default::default(),
                time_flags: Default::default(),
            }),
            _ => Err(problems.into_iter().map(|e| AppError::from(e).message()).collect()),
        }
    }
}

/// The identity is read from the device after the page starts: the form
/// is drawn again once it is known (a registered enterprise files as itself).
#[component]
pub fn NewAppeal() -> impl IntoView {
    let identity = use_identity();
    move || {
        let registered = identity.with(|i| i.as_ref().and_then(|i| i.profile.clone()));
        view! { <AppealForm registered /> }
    }
}

#[component]
fn AppealForm(registered: Option<Profile>) -> impl IntoView {
    let registered_name = registered.as_ref().map(|p| p.enterprise.name.clone());
    let own_id = registered.as_ref().map(|p| p.enterprise.id.clone());
    let form = Form::new(registered.as_ref().map_or_else(ProfileForm::new, ProfileForm::of));
    let errors: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let navigate = use_navigate();
    let identity = use_identity();
    let sync = use_sync();
    let on_save = move |submit: bool| {
        // An enterprise files as itself; a coordinator files on behalf of
        // the enterprise named by its credit code (on-site or phone intake).
        let Some(user) = identity.get_untracked().map(|i| i.user) else {
            return errors.set(vec![AppError::SignedOut.message()]);
        };
        // An enterprise account without a profile (made before registration
        // existed) files with the typed profile under its own id.
        let own = (user.role == Role::Enterprise).then(|| {
            registered.as_ref().map(|p| p.enterprise.clone()).unwrap_or_else(|| Enterprise {
                id: user.org.clone().unwrap_or_default(),
                ..form.profile.profile().enterprise
            })
        });
        let case = match form.to_case(clock::now_ms(), own.as_ref()) {
            Ok(case) => case,
            Err(problems) => return errors.set(problems),
        };
        errors.set(Vec::new());
        saving.set(true);
        let navigate = navigate.clone();
        let sync = sync.clone();
        spawn_local(async move {
            let saved = match &sync {
                Some(sync) => sync.create(case, submit).await,
                None => Err(AppError::SignedOut),
            };
            match saved {
                Ok(()) => navigate("/", Default::default()),
                Err(e) => errors.set(vec![e.message()]),
            }
            saving.set(false);
        });
    };
    let on_submit = {
        let on_save = on_save.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            on_save(true);
        }
    };
    view! {
        <h1>{tr("反映诉求", "New appeal")}</h1>
        <form class="appeal-form" on:submit=on_submit novalidate>
            {match registered_name.clone() {
                Some(name) => view! { <p class="filing-as" data-testid="filing-as">{tr("以企业名义提交:", "Filed as: ")} <strong>{name}</strong></p> }.into_any(),
                None => view! { <EnterpriseFields form=form.profile /> }.into_any(),
            }}
            <ContactFields form=form.profile />
            <fieldset>
                <legend>{tr("诉求", "Appeal")}</legend>
                <SelectField label=tr("诉求类别", "Category") value=form.category options=labels::categories() name="category" />
                <TextField label=tr("标题", "Title") value=form.title name="title" hint=tr("一句话说明困难", "The problem in one sentence") />
                <Duplicates enterprise_id=Signal::derive(move || own_id.clone().unwrap_or_else(|| account::enterprise_id(form.profile.uscc.get().trim().to_uppercase().as_str()))) title=form.title />
                <label class="field">
                    <span>{tr("具体情况", "Details")}</span>
                    <textarea
                        name="description"
                        rows="6"
                        prop:value=move || form.description.get()
                        on:input=move |ev| form.description.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <AttachmentField list=form.attachments errors />
                <label class="check">
                    <input
                        type="checkbox"
                        name="wants_session"
                        prop:checked=move || form.wants_session.get()
                        on:change=move |ev| form.wants_session.set(event_target_checked(&ev))
                    />
                    <span>{tr("希望在每月现场活动中当面反映", "I would like to raise it in person at the monthly session")}</span>
                </label>
            </fieldset>
            <Show when=move || !errors.get().is_empty()>
                <ul class="error" role="alert">
                    {move || errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                </ul>
            </Show>
            <div class="actions">
                <button type="submit" class="button primary" disabled=move || saving.get()>
                    {tr("提交诉求", "Submit")}
                </button>
                <button
                    type="button"
                    class="button"
                    disabled=move || saving.get()
                    on:click=move |_| on_save(false)
                >
                    {tr("存为草稿", "Save as draft")}
                </button>
            </div>
            <p class="note">{tr("无网络时也可提交:诉求先保存在本设备,联网后自动同步。", "Works without signal: the appeal is saved on this device and syncs when you are back online.")}</p>
        </form>
    }
}
