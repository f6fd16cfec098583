//! The admin's working-day calendar: the years whose official holiday
//! arrangement is imported, the provisional years after them (counted by
//! the statutory holidays alone, and marked so on every deadline), and
//! the import of a year's arrangement as published by the State Council.

use leptos::prelude::*;

use domain::calendar::{DayKind, PROVISIONAL};
use domain::policy::PolicyEdit;

use super::admin_policy::{AdminNav, AdminOnly, Outcome, OutcomeLine, send};
use super::fields::TextField;
use crate::clock::{self, policy};
use crate::i18n::{label, tr};
use crate::policy::Editor;

/// How many years after the last confirmed one are shown as provisional.
const PROVISIONAL_YEARS_SHOWN: i32 = 2;

#[component]
pub fn CalendarPage() -> impl IntoView {
    view! {
        <AdminOnly>
            <h1>{tr("工作日历", "Working-day calendar")}</h1>
            <AdminNav />
            <ImportYear />
            <Years />
        </AdminOnly>
    }
}

#[component]
fn ImportYear() -> impl IntoView {
    let (editor, outcome): (_, Outcome) = (Editor::here(), RwSignal::new(None));
    let next = policy().calendar.confirmed_through().unwrap_or_else(|| clock::today().year()) + 1;
    let (year, text) = (RwSignal::new(next.to_string()), RwSignal::new(String::new()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(year) = year.get_untracked().trim().parse::<i32>() else {
            return outcome.set(Some(Err(tr("年份应为四位数字", "the year must be four digits").into())));
        };
        let edit = PolicyEdit::Calendar { year, text: text.get_untracked() };
        let done = crate::i18n::pick(format!("已导入 {year} 年的放假安排"), format!("{year}'s arrangement imported"));
        send(editor.clone(), outcome, edit, done);
    };
    view! {
        <form class="policy-form" data-testid="import-calendar" on:submit=on_submit novalidate>
            <h2>{tr("导入一年的放假安排", "Import a year's holiday arrangement")}</h2>
            <p class="hint">{tr(
                "每行一项:日期或日期范围、off(放假)或 work(调休上班)、名称。例如“2027-02-06..2027-02-13 off 春节”“2027-02-20 work 春节调休”。",
                "One line each: a day or range, off (holiday) or work (make-up workday), a name. E.g. '2027-02-06..2027-02-13 off Spring Festival', '2027-02-20 work make-up day'.",
            )}</p>
            <TextField label=tr("年份", "Year") value=year name="year" kind="number" />
            <label class="field">
                <span>{tr("放假安排", "Arrangement")}</span>
                <textarea name="calendar" rows="10" prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </label>
            <OutcomeLine outcome />
            <button type="submit" class="button primary">{tr("导入", "Import")}</button>
        </form>
    }
}

/// Each confirmed year and the provisional ones after, with their days.
#[component]
fn Years() -> impl IntoView {
    move || {
        let policy = policy();
        let calendar = &policy.calendar;
        let last = calendar.confirmed_through().unwrap_or_else(|| clock::today().year() - 1);
        let years = calendar.confirmed_years().chain(last + 1..=last + PROVISIONAL_YEARS_SHOWN);
        let sections = years.map(|year| {
            let provisional = calendar.is_provisional(domain::time::Day::ymd(year, 1, 1).unwrap_or_else(|_| clock::today()));
            let status = if provisional {
                tr("暂定:按法定节假日推算,未含调休", "provisional: the statutory holidays alone, no make-up workdays")
            } else {
                tr("已确认:官方放假安排", "confirmed: the official arrangement")
            };
            let days = calendar.days_of(year).into_iter().map(|(day, e)| {
                let kind = if e.kind == DayKind::Work { tr("调休上班", "make-up workday") } else { tr("放假", "day off") };
                view! { <li><time>{day.to_string()}</time> " " {kind} " " {e.name.clone()}</li> }
            });
            view! {
                <section class="calendar-year" data-year=year data-provisional=provisional.to_string()>
                    <h3>{year} " " {provisional.then(|| view! { <span class="provisional">{label(PROVISIONAL)}</span> })}</h3>
                    <p>{status}</p>
                    <details>
                        <summary>{tr("放假与调休日", "Days off and make-up workdays")}</summary>
                        <ul class="days">{days.collect_view()}</ul>
                    </details>
                </section>
            }
        });
        view! { <h2>{tr("各年日历", "Years")}</h2> {sections.collect_view()} }
    }
}
