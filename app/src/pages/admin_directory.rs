//! The admin's organisation screen: the units of every level, by
//! district, and the forms that add a unit (a district bureau, a
//! township), rename one or retire one, and set who usually leads a
//! category. Codes never change once made; a retired unit takes no new
//! cases and keeps its name on old ones.

use leptos::prelude::*;

use domain::directory::edit::DirectoryEdit;
use domain::directory::{CITY, Level};
use domain::label::Label;
use domain::policy::PolicyEdit;

use super::admin_policy::{AdminNav, AdminOnly, Outcome, OutcomeLine, send};
use super::fields::{SelectField, TextField};
use crate::clock::policy;
use crate::i18n::{label, say, tr};
use crate::labels::{self, Options};
use crate::policy::Editor;

fn levels() -> Options {
    Level::ALL.iter().map(|l| (format!("{l:?}"), label(l.label()).to_string())).collect()
}

fn level_of(code: &str) -> Level {
    Level::ALL.into_iter().find(|l| format!("{l:?}") == code).unwrap_or(Level::District)
}

/// The units, with "none" first (a unit's parent is optional).
fn parents() -> Options {
    std::iter::once((String::new(), tr("(无)", "(none)").to_string())).chain(labels::units()).collect()
}

#[component]
pub fn DirectoryPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <h1>{tr("组织机构", "Organisation")}</h1>
            <AdminNav />
            <AddUnit />
            <RenameUnit />
            <SetRouting />
            <super::admin_places::PlacesAndCategories />
            <UnitList />
        </AdminOnly>
    }
}

#[component]
fn AddUnit() -> impl IntoView {
    let (editor, outcome): (_, Outcome) = (Editor::here(), RwSignal::new(None));
    let text = || RwSignal::new(String::new());
    let (code, zh, en) = (text(), text(), text());
    let level = RwSignal::new(format!("{:?}", Level::District));
    let district = RwSignal::new(labels::districts().into_iter().map(|d| d.0).find(|d| d != CITY).unwrap_or_default());
    let parent = text();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let level = level_of(&level.get_untracked());
        let edit = DirectoryEdit::AddUnit {
            code: code.get_untracked().trim().to_string(),
            name: Label { zh: zh.get_untracked(), en: en.get_untracked() },
            level,
            district: if level == Level::City { CITY.to_string() } else { district.get_untracked() },
            parent: Some(parent.get_untracked()).filter(|p| !p.is_empty()),
        };
        let done = format!("{} {}", tr("已添加", "Added"), zh.get_untracked());
        send(editor.clone(), outcome, PolicyEdit::Directory(edit), done);
    };
    view! {
        <form class="policy-form" data-testid="add-unit" on:submit=on_submit novalidate>
            <h2>{tr("添加单位", "Add a unit")}</h2>
            <TextField label=tr("代码(创建后不能修改)", "Code (never changes)") value=code name="code" hint="huiyang-housing" />
            <TextField label=tr("中文名称", "Chinese name") value=zh name="name_zh" />
            <TextField label=tr("英文名称", "English name") value=en name="name_en" />
            <SelectField label=tr("层级", "Level") value=level options=levels() name="level" />
            <SelectField label=tr("所属区县", "District") value=district options=labels::districts() name="district" />
            <SelectField label=tr("上级单位", "Parent unit") value=parent options=Signal::derive(parents) name="parent" />
            <OutcomeLine outcome />
            <button type="submit" class="button primary">{tr("添加", "Add")}</button>
        </form>
    }
}

#[component]
fn RenameUnit() -> impl IntoView {
    let (editor, outcome): (_, Outcome) = (Editor::here(), RwSignal::new(None));
    let unit = RwSignal::new(labels::units().into_iter().next().map(|u| u.0).unwrap_or_default());
    let (zh, en) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = DirectoryEdit::RenameUnit {
            code: unit.get_untracked(),
            name: Label { zh: zh.get_untracked(), en: en.get_untracked() },
        };
        let done = format!("{} {}", tr("已改名为", "Renamed to"), zh.get_untracked());
        send(editor.clone(), outcome, PolicyEdit::Directory(edit), done);
    };
    view! {
        <details class="policy-form">
            <summary>{tr("单位改名", "Rename a unit")}</summary>
            <form data-testid="rename-unit" on:submit=on_submit novalidate>
                <SelectField label=tr("单位", "Unit") value=unit options=Signal::derive(labels::units) name="unit" />
                <TextField label=tr("新的中文名称", "New Chinese name") value=zh name="name_zh" />
                <TextField label=tr("新的英文名称", "New English name") value=en name="name_en" />
                <OutcomeLine outcome />
                <button type="submit" class="button">{tr("改名", "Rename")}</button>
            </form>
        </details>
    }
}

/// Who a coordinator is offered first for a category: city-wide, or in
/// one district (its own line wins there).
#[component]
fn SetRouting() -> impl IntoView {
    let (editor, outcome): (_, Outcome) = (Editor::here(), RwSignal::new(None));
    let category = RwSignal::new(labels::categories().into_iter().next().map(|c| c.0).unwrap_or_default());
    let district = RwSignal::new(String::new());
    let lead = RwSignal::new(labels::units().into_iter().next().map(|u| u.0).unwrap_or_default());
    let assisting = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let assisting: Vec<String> = assisting
            .get_untracked()
            .split([',', '，', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect();
        let edit = DirectoryEdit::SetRouting {
            category: category.get_untracked(),
            district: Some(district.get_untracked()).filter(|d| !d.is_empty()),
            lead: lead.get_untracked(),
            assisting,
        };
        send(
            editor.clone(),
            outcome,
            PolicyEdit::Directory(edit),
            tr("已保存分办建议", "Routing suggestion saved").into(),
        );
    };
    let everywhere = || -> Options {
        std::iter::once((String::new(), tr("全市各区县", "Every district").to_string()))
            .chain(labels::districts())
            .collect()
    };
    view! {
        <details class="policy-form">
            <summary>{tr("分办建议", "Routing suggestions")}</summary>
            <form data-testid="set-routing" on:submit=on_submit novalidate>
                <SelectField label=tr("诉求类别", "Category") value=category options=labels::categories() name="category" />
                <SelectField label=tr("区县", "District") value=district options=everywhere() name="district" />
                <SelectField label=tr("建议牵头单位", "Suggested lead") value=lead options=Signal::derive(labels::units) name="lead" />
                <TextField label=tr("建议协办单位(代码,逗号分隔)", "Suggested assisting (codes, comma-separated)") value=assisting name="assisting" hint="housing,water" />
                <OutcomeLine outcome />
                <button type="submit" class="button">{tr("保存", "Save")}</button>
            </form>
        </details>
    }
}

/// Every unit, by district, the city's first; each open one can be retired.
#[component]
fn UnitList() -> impl IntoView {
    let (editor, outcome): (_, Outcome) = (Editor::here(), RwSignal::new(None));
    move || {
        let policy = policy();
        let directory = &policy.directory;
        let editor = editor.clone();
        let groups = directory.districts.iter().map(|district| {
            let units: Vec<_> = directory.units.iter().filter(|u| u.district == district.code).cloned().collect();
            let rows = units.into_iter().map(|u| {
                let parent = u.parent.as_deref().map(labels::department).unwrap_or_default();
                let (code, editor) = (u.code.clone(), editor.clone());
                let retire = move |_| {
                    let done = format!("{} {code}", tr("已撤销", "Retired"));
                    send(editor.clone(), outcome, PolicyEdit::Directory(DirectoryEdit::RetireUnit { code: code.clone() }), done);
                };
                view! {
                    <tr data-unit=u.code.clone() data-retired=u.retired.to_string()>
                        <td>{say(&u.name)} <small class="code">{u.code.clone()}</small></td>
                        <td>{label(u.level.label())}</td>
                        <td>{parent}</td>
                        <td>{if u.retired {
                            view! { <span class="retired">{tr("已撤销", "Retired")}</span> }.into_any()
                        } else {
                            view! { <button type="button" class="link-button" on:click=retire>{tr("撤销", "Retire")}</button> }.into_any()
                        }}</td>
                    </tr>
                }
            });
            view! {
                <tbody>
                    <tr class="group"><th colspan="4">{say(&district.name)}</th></tr>
                    {rows.collect_view()}
                </tbody>
            }
        });
        view! {
            <h2>{tr("全部单位", "All units")}</h2>
            <OutcomeLine outcome />
            <table class="units" data-testid="units">{groups.collect_view()}</table>
        }
    }
}
