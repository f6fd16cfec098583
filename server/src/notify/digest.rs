//! The officials' morning digest: on each working day from the morning, every
//! coordinator, officer and leader who chose it gets one mail listing the
//! cases waiting on them or held by them, the most urgent deadlines first.
//! Nothing waits: no mail.

use domain::label::Lang;
use domain::permission::User;
use domain::policy::Policy;
use domain::summary::{CaseSummary, Reminder, reminders, sort_by_deadline};
use domain::time::{Day, china_hour};
use maud::html;

use super::news::urgency;
use super::{MORNING, worklist};
use crate::ServerError;
use crate::store::Store;
use crate::store::outbox::Mail;
use crate::store::settings::Recipient;

/// Queues today's digest for each official who wants one and has
/// something waiting; returns how many it queued.
pub async fn send_due(store: &Store, policy: &Policy, public_url: &str, now_ms: i64) -> Result<usize, ServerError> {
    let today = Day::of_instant(now_ms);
    if china_hour(now_ms) < MORNING || !policy.calendar.is_working_day(today) {
        return Ok(0);
    }
    let mut wanting = Vec::new();
    for role in ["coordinator", "officer", "leader"] {
        wanting.extend(store.recipients(role, None).await?.into_iter().filter(|r| r.settings.digest));
    }
    if wanting.is_empty() {
        return Ok(0);
    }
    let listed = worklist(store, policy).await?;
    let mut queued = 0;
    for recipient in wanting {
        let Some(account) = store.account_by_id(&recipient.user_id).await? else { continue };
        let user = account.user;
        let mut mine: Vec<CaseSummary> =
            listed.iter().filter(|l| l.concerns(&user)).map(|l| l.summary.clone()).collect();
        if mine.is_empty() {
            continue;
        }
        sort_by_deadline(&mut mine);
        let urgent = reminders(&mine, &user, &policy.calendar, today);
        let mail = digest_mail(&recipient, &user, today, &mine, &urgent, public_url);
        queued += usize::from(store.queue_mail(&mail, now_ms).await?);
    }
    Ok(queued)
}

fn digest_mail(
    to: &Recipient,
    user: &User,
    today: Day,
    mine: &[CaseSummary],
    urgent: &[Reminder],
    public_url: &str,
) -> Mail {
    let lang = to.settings.lang;
    let subject = match lang {
        Lang::Zh => format!("直通车每日提醒 {today}:{} 件诉求等您处理", mine.len()),
        Lang::En => format!("Direct Line daily digest {today}: {} cases wait on you", mine.len()),
    };
    let link = |id: &str| format!("{public_url}/case/{id}");
    let number = |n: &Option<String>| n.clone().unwrap_or_else(|| "—".into());
    let html = html! {
        h1 { (subject) }
        @if !urgent.is_empty() {
            h2 { (lang.pick("期限提醒", "Deadlines")) }
            ul {
                @for r in urgent {
                    li { strong { (urgency(lang, r.urgency)) } " · " a href=(link(&r.case_id)) { (number(&r.number)) } " " (r.title) " (" (r.due) ")" }
                }
            }
        }
        h2 { (lang.pick("等您处理或由您负责的诉求", "Waiting on you or held by you")) }
        ul {
            @for c in mine {
                li { a href=(link(&c.id)) { (number(&c.number)) } " " (c.title) " · " (c.status.label().get(lang)) }
            }
        }
    };
    let mut text = format!("{subject}\n\n");
    for r in urgent {
        text.push_str(&format!(
            "{} · {} {} {}\n",
            urgency(lang, r.urgency),
            number(&r.number),
            r.title,
            link(&r.case_id)
        ));
    }
    text.push('\n');
    for c in mine {
        text.push_str(&format!("{} {} · {} {}\n", number(&c.number), c.title, c.status.label().get(lang), link(&c.id)));
    }
    Mail {
        key: format!("digest/{}/{today}", user.id),
        recipient: to.email.clone(),
        subject,
        html: html.into_string(),
        text,
    }
}
