//! The admin's deadline rules: the default, and lines for a district, a
//! category or both (the most specific applies). Setting a line changes
//! the deadlines of that district's or category's cases on every device
//! and on the server alike.

use leptos::prelude::*;

use domain::deadline::{RuleOverride, Rules};
use domain::label::Label;
use domain::policy::PolicyEdit;

use super::admin_policy::{AdminNav, AdminOnly, Outcome, OutcomeLine, send};
use super::fields::{SelectField, TextField};
use crate::clock::policy;
use crate::i18n::{label, tr};
use crate::labels::{self, Options};
use crate::policy::Editor;

/// Each rule: its words and how to read and set it.
type Field = (Label, fn(&Rules) -> u32, fn(&mut Rules, u32));

const FIELDS: [Field; 7] = [
    (
        Label::new("受理分办(工作日)", "Triage (working days)"),
        |r| r.triage_working_days,
        |r, v| r.triage_working_days = v,
    ),
    (Label::new("答复(工作日)", "Reply (working days)"), |r| r.reply_working_days, |r, v| r.reply_working_days = v),
    (
        Label::new("办结(工作日)", "Resolution (working days)"),
        |r| r.resolve_working_days,
        |r, v| r.resolve_working_days = v,
    ),
    (
        Label::new("办结上限(工作日)", "Resolution at most (working days)"),
        |r| r.resolve_max_working_days,
        |r, v| r.resolve_max_working_days = v,
    ),
    (Label::new("进度告知(天)", "Progress letter (days)"), |r| r.progress_days, |r, v| r.progress_days = v),
    (
        Label::new("差评回访(工作日)", "Call-back (working days)"),
        |r| r.callback_working_days,
        |r, v| r.callback_working_days = v,
    ),
    (
        Label::new("整改(工作日)", "Rectification (working days)"),
        |r| r.rectify_working_days,
        |r, v| r.rectify_working_days = v,
    ),
];

/// "All" first, then the choices.
fn with_all(all: Label, options: Options) -> Options {
    std::iter::once((String::new(), label(all).to_string())).chain(options).collect()
}

#[component]
pub fn RulesPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <h1>{tr("办理时限", "Deadline rules")}</h1>
            <AdminNav />
            <RuleForm />
            <RuleTable />
        </AdminOnly>
    }
}

#[component]
fn RuleForm() -> impl IntoView {
    let (editor, outcome): (_, Outcome) = (Editor::here(), RwSignal::new(None));
    let (district, category) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let values: [RwSignal<String>; 7] = std::array::from_fn(|_| RwSignal::new(String::new()));
    // The form starts from the rules now in force for the pair chosen.
    Effect::new(move |_| {
        let policy = policy();
        let rules = policy.rules.for_case(&district.get(), &category.get()).clone();
        for ((_, get, _), value) in FIELDS.iter().zip(values) {
            value.set(get(&rules).to_string());
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut rules = Rules::default();
        for ((field, _, set), value) in FIELDS.iter().zip(values) {
            match value.get_untracked().trim().parse() {
                Ok(v) => set(&mut rules, v),
                Err(_) => {
                    let message = format!("{}{}", label(*field), tr("应为整数", " must be a whole number"));
                    return outcome.set(Some(Err(message)));
                }
            }
        }
        let (d, c) = (district.get_untracked(), category.get_untracked());
        let line = RuleOverride {
            district: Some(d).filter(|d| !d.is_empty()),
            category: Some(c).filter(|c| !c.is_empty()),
            rules,
        };
        send(
            editor.clone(),
            outcome,
            PolicyEdit::Rules(line),
            tr("已保存,所有设备按新时限计算", "Saved: every device counts by it now").into(),
        );
    };
    view! {
        <form class="policy-form" data-testid="rule-form" on:submit=on_submit novalidate>
            <h2>{tr("设置时限", "Set the rules")}</h2>
            <SelectField label=tr("区县", "District") value=district options=with_all(Label::new("全部区县", "Every district"), labels::districts()) name="district" />
            <SelectField label=tr("诉求类别", "Category") value=category options=with_all(Label::new("全部类别", "Every category"), labels::categories()) name="category" />
            {FIELDS.iter().zip(values).enumerate().map(|(i, ((field, _, _), value))| {
                view! { <TextField label=label(*field) value=value name=RULE_NAMES[i] kind="number" /> }
            }).collect_view()}
            <OutcomeLine outcome />
            <button type="submit" class="button primary">{tr("保存", "Save")}</button>
        </form>
    }
}

/// The form fields' names (what tests and autofill see).
const RULE_NAMES: [&str; 7] = ["triage", "reply", "resolve", "resolve_max", "progress", "callback", "rectify"];

/// The default and every line, as they stand.
#[component]
fn RuleTable() -> impl IntoView {
    move || {
        let policy = policy();
        let row = |district: Option<&String>, category: Option<&String>, rules: &Rules| {
            let place = district.map_or_else(|| tr("全部区县", "Every district").to_string(), |d| labels::district(d));
            let kind = category.map_or_else(|| tr("全部类别", "Every category").to_string(), |c| labels::category(c));
            view! {
                <tr data-district=district.cloned().unwrap_or_default() data-category=category.cloned().unwrap_or_default()>
                    <td>{place}</td>
                    <td>{kind}</td>
                    {FIELDS.iter().map(|(_, get, _)| view! { <td>{get(rules)}</td> }).collect_view()}
                </tr>
            }
        };
        let lines = policy.rules.overrides.iter().map(|o| row(o.district.as_ref(), o.category.as_ref(), &o.rules));
        view! {
            <h2>{tr("现行时限", "Rules in force")}</h2>
            <div class="table-scroll">
                <table class="rules" data-testid="rules">
                    <thead><tr>
                        <th>{tr("区县", "District")}</th>
                        <th>{tr("类别", "Category")}</th>
                        {FIELDS.iter().map(|(field, _, _)| view! { <th>{label(*field)}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>{row(None, None, &policy.rules.default)}{lines.collect_view()}</tbody>
                </table>
            </div>
        }
    }
}
