//! Who answers for a case (一对一责任制): its units, its officer in
//! charge and lead leader by name, and how it stands.

use leptos::prelude::*;

use domain::status::CaseState;

use crate::i18n::tr;
use crate::labels;

/// Who answers for the case: one-to-one responsibility.
#[component]
pub fn Responsibility(state: CaseState) -> impl IntoView {
    let flow = &state.flow;
    let mut rows: Vec<(&'static str, String)> = Vec::new();
    if let Some(d) = &flow.lead_department {
        rows.push((tr("牵头部门", "Lead department"), labels::department(d)));
    }
    if !flow.assisting.is_empty() {
        let names: Vec<String> = flow.assisting.iter().map(|d| labels::department(d)).collect();
        rows.push((tr("协办部门", "Assisting"), names.join(tr("、", ", "))));
    }
    // Someone who left is marked, so the case is handed to another.
    let person = |id: &str| {
        let left = if crate::officials::has_left(id) {
            tr("(已停用,请重新指派)", " (has left: name another)")
        } else {
            ""
        };
        format!("{}{left}", crate::people::name_in(crate::people::use_people(), id))
    };
    if let Some(officer) = state.assignee() {
        rows.push((tr("承办人", "Officer in charge"), person(officer)));
    }
    if let Some(leader) = state.lead_leader() {
        rows.push((tr("牵头领导", "Lead leader"), person(leader)));
    }
    if let Some((_, day)) = &flow.session {
        rows.push((tr("现场活动", "Session"), day.to_string()));
    }
    if let Some(answer) = &flow.answer {
        rows.push((tr("线上答复", "Online answer"), answer.clone()));
    }
    if let Some(reason) = &flow.decline_reason {
        rows.push((tr("不予受理理由", "Reason for declining"), reason.clone()));
    }
    if let Some(rating) = flow.ratings.last() {
        let level = rating.level();
        rows.push((tr("评价", "Rating"), format!("{} · {}", rating.score, crate::i18n::label(level.label()))));
    }
    (!rows.is_empty()).then(|| {
        view! {
            <dl class="responsibility" data-testid="responsibility">
                {rows.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
        }
    })
}
