//! Push notifications: of the events accepted on a case (whom each tells
//! is `domain::reach::news`), of deadlines near or past, and of letters
//! issued. Only accounts with a device to push to are considered, each
//! only for cases they may read, never for their own act.

use domain::case::CaseDoc;
use domain::event::Event;
use domain::label::Lang;
use domain::permission::User;
use domain::policy::Policy;
use domain::reach::{Audience, Kind, news};
use domain::status::CaseState;
use domain::summary::{Urgency, reminders};
use domain::time::{Day, china_hour};

use super::{MORNING, tell, title, worklist};
use crate::push::Notification;
use crate::store::Store;
use crate::store::push::Among;
use crate::{ServerError, may_read_case};

/// The accounts with a device that `audience` names on `case`.
async fn audience(
    store: &Store,
    case: &CaseDoc,
    state: &CaseState,
    audience: &Audience,
) -> Result<Vec<User>, ServerError> {
    let among = match audience {
        Audience::Enterprise => Among::Org("enterprise", &case.enterprise.id),
        Audience::Coordinators => Among::District("coordinator", &case.district),
        Audience::LeadDepartment => match (state.assignee(), &state.flow.lead_department) {
            (Some(officer), _) => Among::Id(officer),
            (None, Some(unit)) => Among::Org("officer", unit),
            (None, None) => return Ok(Vec::new()),
        },
        Audience::Person(id) => Among::Id(id),
    };
    store.subscribed(among).await
}

/// A case's notification in `lang`: its number and title, then `what`.
fn about(case: &CaseDoc, kind: Kind, what: &str, lang: Lang) -> Notification {
    let number = case.number.as_deref().unwrap_or_default();
    Notification {
        title: title(kind, lang),
        body: format!("{number} {}{}{what}", case.appeal.title, lang.pick(":", ": ")),
        url: format!("/case/{}", case.id),
        tag: case.id.clone(),
        lang,
    }
}

/// Whether any of `added` tells anyone anything (so a change that does
/// not costs nothing more).
pub fn worth_telling(added: &[Event]) -> bool {
    added.iter().any(|e| !news(e).is_empty())
}

/// Queues the notifications of the events `added` to `case` (now in
/// `state`); returns how many it queued.
pub async fn queue(
    store: &Store,
    case: &CaseDoc,
    state: &CaseState,
    added: &[Event],
    now_ms: i64,
) -> Result<usize, ServerError> {
    let mut queued = 0;
    for event in added {
        for told in news(event) {
            for user in audience(store, case, state, &told.audience).await? {
                if user.id == event.author || !may_read_case(&user, case, state) {
                    continue;
                }
                // Event ids are the author's device's, unique within a case.
                let key = format!("event/{}/{}/{:?}/{}", case.id, event.id, told.kind, user.id);
                let what = told.what;
                let notification = |lang| about(case, told.kind, what.get(lang), lang);
                queued += usize::from(tell(store, &user.id, told.kind, &key, notification, now_ms).await?);
            }
        }
    }
    Ok(queued)
}

/// How near a deadline is, in words.
pub(crate) fn urgency(lang: Lang, urgency: Urgency) -> String {
    match (lang, urgency) {
        (Lang::Zh, Urgency::Overdue(days)) => format!("已超期 {days} 个工作日"),
        (Lang::En, Urgency::Overdue(days)) => format!("{days} working days overdue"),
        (Lang::Zh, Urgency::DueToday) => "今天到期".into(),
        (Lang::En, Urgency::DueToday) => "due today".into(),
        (Lang::Zh, Urgency::DueSoon(days)) => format!("{days} 个工作日后到期"),
        (Lang::En, Urgency::DueSoon(days)) => format!("due in {days} working days"),
    }
}

/// Queues today's deadline reminders (near, today, past) from the
/// morning on: at most one a day per case and person, the most urgent.
pub async fn deadlines(store: &Store, policy: &Policy, now_ms: i64) -> Result<usize, ServerError> {
    let today = Day::of_instant(now_ms);
    if china_hour(now_ms) < MORNING {
        return Ok(0);
    }
    let subscribed = store.subscribed(Among::Anyone).await?;
    if subscribed.is_empty() {
        return Ok(0);
    }
    let listed = worklist(store, policy).await?;
    let mut queued = 0;
    for user in subscribed {
        let mine: Vec<_> = listed.iter().filter(|l| l.concerns(&user)).map(|l| l.summary.clone()).collect();
        let mut told = std::collections::HashSet::new();
        for reminder in reminders(&mine, &user, &policy.calendar, today) {
            if !told.insert(reminder.case_id.clone()) {
                continue;
            }
            let key = format!("deadline/{}/{}/{today}", user.id, reminder.case_id);
            let notification = |lang| {
                let number = reminder.number.as_deref().unwrap_or_default();
                Notification {
                    title: title(Kind::Deadline, lang),
                    body: format!(
                        "{number} {}{}{}",
                        reminder.title,
                        lang.pick(":", ": "),
                        urgency(lang, reminder.urgency)
                    ),
                    url: format!("/case/{}", reminder.case_id),
                    tag: reminder.case_id.clone(),
                    lang,
                }
            };
            queued += usize::from(tell(store, &user.id, Kind::Deadline, &key, notification, now_ms).await?);
        }
    }
    Ok(queued)
}

/// Queues a notification of each letter issued for `month` to the
/// enterprise's accounts with a device.
pub async fn letters(store: &Store, month: &str, now_ms: i64) -> Result<usize, ServerError> {
    let mut queued = 0;
    for letter in store.letters_of_month(month).await? {
        for user in store.subscribed(Among::Org("enterprise", &letter.enterprise_id)).await? {
            let key = format!("letter/{}/{month}/{}", letter.case_id, user.id);
            let number = letter.number.clone().unwrap_or_default();
            let notification = |lang: Lang| Notification {
                title: title(Kind::Letter, lang),
                body: match lang {
                    Lang::Zh => format!("{number} 的 {month} 办理进度告知函已发出"),
                    Lang::En => format!("The {month} progress letter of {number} is out"),
                },
                url: format!("/case/{}", letter.case_id),
                tag: letter.case_id.clone(),
                lang,
            };
            queued += usize::from(tell(store, &user.id, Kind::Letter, &key, notification, now_ms).await?);
        }
    }
    Ok(queued)
}
