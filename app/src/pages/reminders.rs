//! Deadline reminders on the home page: every running clock of a case that
//! waits on the signed-in user, once it turns yellow, on its due day and
//! after it is missed. Worked out from the summaries on the device, so
//! they show offline and move with the day.

use leptos::prelude::*;
use leptos_router::components::A;

use domain::permission::User;
use domain::summary::{Reminder, Urgency, reminders};
use domain::time::Day;

use crate::clock;
use crate::i18n::{pick, tr};
use crate::labels;
use crate::storage::CaseSummary;

/// How many reminders show before "and n more".
const SHOWN: usize = 5;

fn when(urgency: Urgency) -> (String, &'static str) {
    match urgency {
        Urgency::Overdue(days) => {
            (pick(format!("已超期 {days} 个工作日"), format!("{days} working days overdue")), "Red")
        }
        Urgency::DueToday => (tr("今天到期", "Due today").to_string(), "Yellow"),
        Urgency::DueSoon(days) => {
            (pick(format!("还剩 {days} 个工作日"), format!("{days} working days left")), "Yellow")
        }
    }
}

/// The reminders of `user` among `list` (taken from the list, not copied
/// with it: it may hold thousands of cases).
pub fn of(list: &[CaseSummary], user: &User, today: Day) -> Vec<Reminder> {
    reminders(list, user, &clock::policy().calendar, today)
}

#[component]
pub fn Reminders(all: Vec<Reminder>) -> impl IntoView {
    let more = all.len().saturating_sub(SHOWN);
    (!all.is_empty()).then(|| {
        view! {
            <section class="reminders" data-testid="reminders" aria-label=tr("到期提醒", "Deadline reminders")>
                <h2>{tr("到期提醒", "Deadline reminders")}</h2>
                <ul>
                    {all
                        .into_iter()
                        .take(SHOWN)
                        .map(|r| {
                            let (text, light) = when(r.urgency);
                            let number = r.number.unwrap_or_default();
                            view! {
                                <li data-urgency=format!("{:?}", r.urgency)>
                                    <span class=format!("light light-{light}")>{text}</span>
                                    <A href=format!("/case/{}", r.case_id)>{format!("{number} {}", r.title)}</A>
                                    <span class="muted">{format!(" · {} {}", tr("期限", "due"), labels::due(r.due))}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                {(more > 0).then(|| view! { <p class="muted">{pick(format!("另有 {more} 条提醒,见“待我处理”。"), format!("{more} more under “Waiting on me”."))}</p> })}
            </section>
        }
    })
}
