use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use domain::case::{Appeal, AttachmentRef, CaseDoc, Contact, Enterprise, SCHEMA_VERSION};
use domain::directory;
use domain::permission::Role;

use super::attachments::AttachmentField;
use super::fields::{SelectField, TextField};
use crate::clock;
use crate::error::AppError;
use crate::i18n::tr;
use crate::session::use_identity;
use crate::sync::use_sync;

/// What the person typed, before validation.
#[derive(Clone, Copy)]
struct Form {
    enterprise: RwSignal<String>,
    uscc: RwSignal<String>,
    district: RwSignal<String>,
    ownership: RwSignal<String>,
    size: RwSignal<String>,
    industry: RwSignal<String>,
    contact_name: RwSignal<String>,
    phone: RwSignal<String>,
    category: RwSignal<String>,
    title: RwSignal<String>,
    description: RwSignal<String>,
    wants_session: RwSignal<bool>,
    attachments: RwSignal<Vec<AttachmentRef>>,
}

impl Form {
    fn new() -> Form {
        let text = || RwSignal::new(String::new());
        Form {
            enterprise: text(),
            uscc: text(),
            district: RwSignal::new(directory::DISTRICTS[1].code.to_string()),
            ownership: RwSignal::new(directory::OWNERSHIPS[1].code.to_string()),
            size: RwSignal::new(directory::SIZES[2].code.to_string()),
            industry: text(),
            contact_name: text(),
            phone: text(),
            category: RwSignal::new(directory::CATEGORIES[0].code.to_string()),
            title: text(),
            description: text(),
            wants_session: RwSignal::new(false),
            attachments: RwSignal::new(Vec::new()),
        }
    }

    /// Validates every part and reports every problem at once.
    fn to_case(self, now_ms: i64, enterprise_id: String) -> Result<CaseDoc, Vec<String>> {
        let uscc = self.uscc.get_untracked().trim().to_uppercase();
        let enterprise = Enterprise {
            id: enterprise_id,
            name: self.enterprise.get_untracked(),
            uscc,
            ownership: self.ownership.get_untracked(),
            size: self.size.get_untracked(),
            industry: self.industry.get_untracked(),
            district: self.district.get_untracked(),
        }
        .validate();
        let contact = Contact { name: self.contact_name.get_untracked(), phone: self.phone.get_untracked() }.validate();
        let appeal = Appeal {
            title: self.title.get_untracked(),
            description: self.description.get_untracked(),
            category: self.category.get_untracked(),
            wants_session: self.wants_session.get_untracked(),
            attachments: self.attachments.get_untracked(),
        }
        .validate();
        match (enterprise, contact, appeal) {
            (Ok(enterprise), Ok(contact), Ok(appeal)) => Ok(CaseDoc {
                schema: SCHEMA_VERSION,
                id: domain::sync::DocumentId::from_bytes(*uuid::Uuid::new_v4().as_bytes()).to_string(),
                number: None,
                created_ms: now_ms,
                district: enterprise.district.clone(),
                enterprise,
                contact,
                appeal,
                events: Default::default(),
            }),
            (e, c, a) => Err([e.err(), c.err(), a.err()]
                .into_iter()
                .flatten()
                .map(|err| AppError::from(err).message())
                .collect()),
        }
    }
}

#[component]
pub fn NewAppeal() -> impl IntoView {
    let form = Form::new();
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
        let enterprise_id = match user.role {
            Role::Enterprise => user.org.clone().unwrap_or_default(),
            _ => format!("ent-{}", form.uscc.get_untracked().trim().to_uppercase()),
        };
        let case = match form.to_case(clock::now_ms(), enterprise_id) {
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
            <fieldset>
                <legend>{tr("企业信息", "Enterprise")}</legend>
                <TextField label=tr("企业名称", "Enterprise name") value=form.enterprise name="enterprise" />
                <TextField label=tr("统一社会信用代码", "Unified social credit code") value=form.uscc name="uscc" hint=tr("18位,见营业执照", "18 characters, on the business licence") />
                <SelectField label=tr("所在区县", "District") value=form.district options=&directory::DISTRICTS name="district" />
                <SelectField label=tr("所有制类型", "Ownership") value=form.ownership options=&directory::OWNERSHIPS name="ownership" />
                <SelectField label=tr("企业规模", "Size") value=form.size options=&directory::SIZES name="size" />
                <TextField label=tr("所属行业", "Industry") value=form.industry name="industry" />
            </fieldset>
            <fieldset>
                <legend>{tr("联系人", "Contact")}</legend>
                <TextField label=tr("姓名", "Name") value=form.contact_name name="contact" />
                <TextField label=tr("联系电话", "Phone") value=form.phone name="phone" />
            </fieldset>
            <fieldset>
                <legend>{tr("诉求", "Appeal")}</legend>
                <SelectField label=tr("诉求类别", "Category") value=form.category options=&directory::CATEGORIES name="category" />
                <TextField label=tr("标题", "Title") value=form.title name="title" hint=tr("一句话说明困难", "The problem in one sentence") />
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
