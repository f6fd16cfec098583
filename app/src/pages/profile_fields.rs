//! The enterprise's profile as typed: used by registration and by a
//! coordinator filing an appeal on an enterprise's behalf.

use leptos::prelude::*;

use domain::account::Profile;
use domain::case::{Contact, Enterprise};
use domain::directory;

use super::fields::{SelectField, TextField};
use crate::i18n::tr;
use crate::labels;

#[derive(Clone, Copy)]
pub struct ProfileForm {
    pub enterprise: RwSignal<String>,
    pub uscc: RwSignal<String>,
    pub district: RwSignal<String>,
    pub ownership: RwSignal<String>,
    pub size: RwSignal<String>,
    pub industry: RwSignal<String>,
    pub contact_name: RwSignal<String>,
    pub phone: RwSignal<String>,
}

/// The first district below the city level: where most enterprises are.
fn first_district() -> String {
    labels::districts().into_iter().map(|(code, _)| code).find(|code| code != directory::CITY).unwrap_or_default()
}

impl ProfileForm {
    pub fn new() -> ProfileForm {
        let text = || RwSignal::new(String::new());
        ProfileForm {
            enterprise: text(),
            uscc: text(),
            district: RwSignal::new(first_district()),
            ownership: RwSignal::new(directory::OWNERSHIPS[1].code.to_string()),
            size: RwSignal::new(directory::SIZES[2].code.to_string()),
            industry: text(),
            contact_name: text(),
            phone: text(),
        }
    }

    /// Starts from a registered profile.
    pub fn of(profile: &Profile) -> ProfileForm {
        let form = ProfileForm::new();
        let e = &profile.enterprise;
        form.enterprise.set(e.name.clone());
        form.uscc.set(e.uscc.clone());
        form.district.set(e.district.clone());
        form.ownership.set(e.ownership.clone());
        form.size.set(e.size.clone());
        form.industry.set(e.industry.clone());
        form.contact_name.set(profile.contact.name.clone());
        form.phone.set(profile.contact.phone.clone());
        form
    }

    /// What was typed, not yet checked (`Profile::validate` does that).
    pub fn profile(self) -> Profile {
        Profile {
            enterprise: Enterprise {
                id: String::new(),
                name: self.enterprise.get_untracked(),
                uscc: self.uscc.get_untracked().trim().to_uppercase(),
                ownership: self.ownership.get_untracked(),
                size: self.size.get_untracked(),
                industry: self.industry.get_untracked(),
                district: self.district.get_untracked(),
            },
            contact: Contact { name: self.contact_name.get_untracked(), phone: self.phone.get_untracked() },
        }
    }
}

#[component]
pub fn EnterpriseFields(form: ProfileForm) -> impl IntoView {
    view! {
        <fieldset>
            <legend>{tr("企业信息", "Enterprise")}</legend>
            <TextField label=tr("企业名称", "Enterprise name") value=form.enterprise name="enterprise" />
            <TextField
                label=tr("统一社会信用代码", "Unified social credit code")
                value=form.uscc
                name="uscc"
                hint=tr("18位,见营业执照", "18 characters, on the business licence")
            />
            <SelectField label=tr("所在区县", "District") value=form.district options=labels::districts() name="district" />
            <SelectField label=tr("所有制类型", "Ownership") value=form.ownership options=labels::entries(&directory::OWNERSHIPS) name="ownership" />
            <SelectField label=tr("企业规模", "Size") value=form.size options=labels::entries(&directory::SIZES) name="size" />
            <TextField label=tr("所属行业", "Industry") value=form.industry name="industry" />
        </fieldset>
    }
}

#[component]
pub fn ContactFields(form: ProfileForm) -> impl IntoView {
    view! {
        <fieldset>
            <legend>{tr("联系人", "Contact")}</legend>
            <TextField label=tr("姓名", "Name") value=form.contact_name name="contact" />
            <TextField label=tr("联系电话", "Phone") value=form.phone name="phone" />
        </fieldset>
    }
}
