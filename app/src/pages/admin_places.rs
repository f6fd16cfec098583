//! On the admin's organisation screen: districts renamed, categories of
//! appeals added, renamed and retired. Codes never change; a retired
//! category takes no new appeals and keeps its name on old ones.

use leptos::prelude::*;

use domain::directory::edit::DirectoryEdit;
use domain::label::Label;
use domain::policy::PolicyEdit;

use super::admin_policy::{Outcome, OutcomeLine, send};
use super::fields::{SelectField, TextField};
use crate::i18n::tr;
use crate::labels::{self, Options};
use crate::policy::Editor;

const DISTRICT: &str = "district";
const CATEGORY: &str = "category";

fn kinds() -> Options {
    vec![(DISTRICT.into(), tr("区县", "District").into()), (CATEGORY.into(), tr("诉求类别", "Category").into())]
}

fn first(options: Options) -> String {
    options.into_iter().next().map(|o| o.0).unwrap_or_default()
}

#[component]
pub fn PlacesAndCategories() -> impl IntoView {
    let (editor, outcome): (_, Outcome) = (Editor::here(), RwSignal::new(None));
    let text = || RwSignal::new(String::new());
    // Rename a district or a category.
    let kind = RwSignal::new(DISTRICT.to_string());
    let code = RwSignal::new(first(labels::districts()));
    let (zh, en) = (text(), text());
    let choices =
        Signal::derive(move || if kind.get() == DISTRICT { labels::districts() } else { labels::categories() });
    Effect::new(move |_| code.set(first(choices.get())));
    let rename = {
        let editor = editor.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (code, name) = (code.get_untracked(), Label { zh: zh.get_untracked(), en: en.get_untracked() });
            let edit = if kind.get_untracked() == DISTRICT {
                DirectoryEdit::RenameDistrict { code, name }
            } else {
                DirectoryEdit::RenameCategory { code, name }
            };
            let done = format!("{} {}", tr("已改名为", "Renamed to"), zh.get_untracked());
            send(editor.clone(), outcome, PolicyEdit::Directory(edit), done);
        }
    };
    // Add or retire a category.
    let (new_code, new_zh, new_en) = (text(), text(), text());
    let add = {
        let editor = editor.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let name = Label { zh: new_zh.get_untracked(), en: new_en.get_untracked() };
            let edit = DirectoryEdit::AddCategory { code: new_code.get_untracked().trim().to_string(), name };
            send(
                editor.clone(),
                outcome,
                PolicyEdit::Directory(edit),
                format!("{} {}", tr("已添加", "Added"), new_zh.get_untracked()),
            );
        }
    };
    let retiring = RwSignal::new(first(labels::categories()));
    let retire = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let edit = DirectoryEdit::RetireCategory { code: retiring.get_untracked() };
        send(editor.clone(), outcome, PolicyEdit::Directory(edit), tr("已撤销该类别", "Category retired").into());
    };
    view! {
        <details class="policy-form" data-testid="places">
            <summary>{tr("区县与诉求类别", "Districts and categories")}</summary>
            <OutcomeLine outcome />
            <form data-testid="rename-place" on:submit=rename novalidate>
                <SelectField label=tr("改名的是", "Rename a") value=kind options=kinds() name="kind" />
                <SelectField label=tr("名称", "Which") value=code options=choices name="code" />
                <TextField label=tr("新的中文名称", "New Chinese name") value=zh name="name_zh" />
                <TextField label=tr("新的英文名称", "New English name") value=en name="name_en" />
                <button type="submit" class="button">{tr("改名", "Rename")}</button>
            </form>
            <form data-testid="add-category" on:submit=add novalidate>
                <TextField label=tr("新类别代码(创建后不能修改)", "New category code (never changes)") value=new_code name="code" hint="talent" />
                <TextField label=tr("中文名称", "Chinese name") value=new_zh name="name_zh" />
                <TextField label=tr("英文名称", "English name") value=new_en name="name_en" />
                <button type="submit" class="button">{tr("添加类别", "Add the category")}</button>
            </form>
            <form data-testid="retire-category" on:submit=retire novalidate>
                <SelectField label=tr("撤销类别(旧诉求保留其名称)", "Retire a category (old cases keep its name)") value=retiring options=Signal::derive(labels::categories) name="category" />
                <button type="submit" class="button">{tr("撤销", "Retire")}</button>
            </form>
        </details>
    }
}
