//! For officials who may read the case: the enterprise's profile and whom
//! to call there (a bad review must be called back within one working
//! day). Personal data: never on public pages or in open data — the server
//! builds those from `domain::public`, which has no contact.

use leptos::prelude::*;

use domain::case::CaseDoc;
use domain::directory::{self, Entry};

use crate::i18n::{entry, tr};
use crate::labels;

fn name_in(list: &'static [Entry], code: &str) -> &'static str {
    list.iter().find(|e| e.code == code).map_or("—", entry)
}

#[component]
pub fn WhoToCall(case: CaseDoc) -> impl IntoView {
    let (enterprise, contact) = (case.enterprise, case.contact);
    let profile = format!(
        "{} · {} · {} · {}",
        name_in(&directory::OWNERSHIPS, &enterprise.ownership),
        name_in(&directory::SIZES, &enterprise.size),
        enterprise.industry,
        labels::district(&enterprise.district),
    );
    view! {
        <section data-testid="who-to-call">
            <h2>{tr("企业与联系人", "Enterprise and contact")}</h2>
            <dl class="responsibility">
                <dt>{tr("企业", "Enterprise")}</dt>
                <dd>{enterprise.name}</dd>
                <dt>{tr("统一社会信用代码", "Credit code")}</dt>
                <dd>{enterprise.uscc}</dd>
                <dt>{tr("概况", "Profile")}</dt>
                <dd>{profile}</dd>
                <dt>{tr("联系人", "Contact")}</dt>
                <dd>{contact.name}</dd>
                <dt>{tr("电话", "Phone")}</dt>
                <dd><a href=format!("tel:{}", contact.phone)>{contact.phone.clone()}</a></dd>
            </dl>
        </section>
    }
}
