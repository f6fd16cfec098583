//! Monthly progress notices (发函): after each month ends, every case still
//! open at its end gets a letter to the enterprise, archived as issued.
//! The parties of the case list them (`GET /api/cases/{id}/letters`) and
//! open them as printable A4 pages (`GET /letters/{id}/{YYYY-MM}`).
//!
//! Issuing runs when the server starts and then every hour; it is
//! idempotent (one letter per case and month), so restarts and several
//! runs in a month change nothing.
//!
//! Each letter is issued in Chinese and in English, and carries the case's
//! query code (查询码) with the address of the lookup page, so a reader of
//! the printed letter finds the public progress page without its link.

use domain::directory::CITY;
use domain::label::Label;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::contract::Letter;
use domain::notice::Notice;
use domain::policy::Policy;
use domain::roster::Roster;
use domain::time::{Day, months_between, previous_month};

use crate::http::json::error;
use crate::pages::lang::{Lang, PageLang};
use crate::pages::layout::{Names, internal_page, letter_document, sign_in_first};
use crate::pages::letter;
use crate::security::auth::SignedIn;
use crate::store::notices::MonthLetter;
use crate::store::outbox::Mail;
use crate::store::settings::Recipient;
use crate::store::{AuditEntry, Store};
use crate::sync::InForce;
use crate::{AppState, ServerError, audit, readable_case};

/// How often the server looks for a month to write letters for.
pub(crate) const EVERY: Duration = Duration::from_secs(3600);

/// Letters for a month go out from this day of the next month: a day's
/// grace for changes made offline in the month's last hours to sync.
const ISSUE_FROM_DAY: u32 = 2;

/// The latest month whose letters are due by `today`: last month from the
/// [`ISSUE_FROM_DAY`] on, the month before until then.
fn month_due(today: Day) -> String {
    let last_month = previous_month(today);
    if today.day() >= ISSUE_FROM_DAY {
        return last_month;
    }
    let first_of_this_month = today.plus_days(-i64::from(today.day() - 1));
    previous_month(first_of_this_month.plus_days(-1))
}

/// Issues the letters not issued yet of every month due since the last
/// month letters went out for: after the server was down through month
/// ends, each missed month's (a new installation starts with the latest
/// month due). `public_url` is where readers look the case up. Returns
/// how many it issued.
pub async fn issue_due(
    store: &Store,
    policy: &Policy,
    roster: &Roster,
    public_url: &str,
    now_ms: i64,
) -> Result<usize, ServerError> {
    let due = month_due(Day::of_instant(now_ms));
    let first = store.last_noticed_month().await?.filter(|last| *last < due).unwrap_or_else(|| due.clone());
    let mut issued = 0;
    for month in months_between(&first, &due) {
        issued += issue_month(store, policy, roster, public_url, &month, now_ms).await?;
    }
    Ok(issued)
}

/// Issues `month`'s letters not issued yet.
async fn issue_month(
    store: &Store,
    policy: &Policy,
    roster: &Roster,
    public_url: &str,
    month: &str,
    now_ms: i64,
) -> Result<usize, ServerError> {
    let done = store.noticed_cases(month).await?;
    let mut issued = 0;
    for case in store.cases_of_district(CITY).await? {
        if done.contains(&case.id) {
            continue;
        }
        let Some(notice) = Notice::of(&case, &policy.calendar, policy.rules_for(&case), month) else { continue };
        let lookup =
            letter::Lookup { url: format!("{public_url}/lookup"), code: store.public_link(&case.id).await?.code };
        let write = |lang| {
            let names = Names::with_people(&policy.directory, roster, lang);
            let sender = letter::sender(&policy.directory, &case.district, lang);
            letter::document(&notice, &sender, Day::of_instant(now_ms), &lookup, &names)
        };
        if store.put_notice(&case.id, month, now_ms, &write(Lang::Zh), &write(Lang::En)).await? {
            issued += 1;
        }
    }
    if issued > 0 {
        store.audit(&AuditEntry::new(now_ms, "system", "letters", None, format!("{month}: {issued} issued"))).await?;
    }
    Ok(issued)
}

/// Queues `month`'s letters as mail to each enterprise account with an
/// address that wants them (once each: queueing again changes nothing).
/// Returns how many it queued.
pub async fn mail_month(store: &Store, month: &str, public_url: &str, now_ms: i64) -> Result<usize, ServerError> {
    let mut queued = 0;
    let mut recipients = std::collections::HashMap::new();
    for letter in store.letters_of_month(month).await? {
        if !recipients.contains_key(&letter.enterprise_id) {
            let found = store.recipients("enterprise", Some(&letter.enterprise_id)).await?;
            recipients.insert(letter.enterprise_id.clone(), found);
        }
        for to in recipients[&letter.enterprise_id].iter().filter(|r| r.settings.letters_by_mail) {
            let mail = letter_mail(&letter, month, to, public_url);
            queued += usize::from(store.queue_mail(&mail, now_ms).await?);
        }
    }
    Ok(queued)
}

fn letter_mail(letter: &MonthLetter, month: &str, to: &Recipient, public_url: &str) -> Mail {
    let number = letter.number.as_deref().unwrap_or("—");
    let link = format!("{public_url}/letters/{}/{month}", letter.case_id);
    let (subject, text, html) = match to.settings.lang {
        Lang::Zh => (
            format!("直通车 · {number} {month} 办理进度告知函"),
            format!("{number} 的 {month} 办理进度告知函见本邮件。登录直通车后也可查看和下载:{link}"),
            &letter.html,
        ),
        Lang::En => (
            format!("Direct Line · {number} progress letter {month}"),
            format!(
                "The progress letter of {number} for {month} is in this mail. Signed in, you can also read and download it at {link}"
            ),
            &letter.html_en,
        ),
    };
    Mail {
        key: format!("letter/{}/{month}/{}", letter.case_id, to.user_id),
        recipient: to.email.clone(),
        subject,
        html: html.clone(),
        text,
    }
}

/// Issues the letters due, tells the enterprises' devices, and, when mail
/// is on, queues the letters as mail.
pub async fn run_once(
    store: &Store,
    in_force: &InForce,
    public_url: &str,
    mail: bool,
    now_ms: i64,
) -> Result<(), ServerError> {
    let (policy, roster) = (in_force.policy.current(), in_force.officials.current());
    let first = store.last_noticed_month().await?;
    let issued = issue_due(store, &policy, &roster, public_url, now_ms).await?;
    if issued > 0 {
        tracing::info!(issued, "monthly progress notices issued");
    }
    // Every month issued now, and the latest again: a run stopped between
    // issuing and queueing is made good (queueing twice queues once).
    let due = month_due(Day::of_instant(now_ms));
    let months = match first {
        Some(last) if last < due => months_between(&last, &due).into_iter().skip(1).collect(),
        _ => vec![due],
    };
    for month in months {
        let pushed = crate::notify::news::letters(store, &month, now_ms).await?;
        let mailed = if mail { mail_month(store, &month, public_url, now_ms).await? } else { 0 };
        if pushed + mailed > 0 {
            tracing::info!(pushed, mailed, month, "letters told of");
        }
    }
    Ok(())
}

/// `GET /api/cases/{id}/letters`: the case's letters, newest first, for
/// anyone who may read the case.
pub async fn list(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path(case_id): Path<String>,
) -> Result<Response, ServerError> {
    let store = &state.store;
    let letters = match readable_case(store, &account.user, &case_id).await? {
        Some(_) => Some(store.notices_of(&case_id).await?),
        None => None,
    };
    let Some(letters) = letters else {
        return Ok(error(StatusCode::NOT_FOUND, Label::new("诉求不存在", "no such case")));
    };
    let list: Vec<Letter> = letters
        .into_iter()
        .map(|(month, issued_ms)| {
            let path = format!("/letters/{case_id}/{month}");
            Letter { month, issued: Day::of_instant(issued_ms), path }
        })
        .collect();
    Ok(Json(list).into_response())
}

/// `GET /letters/{id}/{YYYY-MM}`: one letter as issued.
/// `?download`: the letter as a file to keep and print
/// (`HZ-2026-000123-2026-11.html`).
#[derive(serde::Deserialize)]
pub struct Download {
    download: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    signed_in: Result<SignedIn, Response>,
    Path((case_id, month)): Path<(String, String)>,
    Query(wanted): Query<Download>,
) -> Result<Response, ServerError> {
    let page = |status, text: Label| {
        internal_page(lang, status, lang.pick("函件", "Letters"), text.get(lang), sign_in_first(lang, text))
    };
    let Ok(SignedIn(account)) = signed_in else {
        return Ok(page(StatusCode::UNAUTHORIZED, Label::new("请先登录后查看函件", "Sign in to read letters")));
    };
    let store = &state.store;
    let (html, number) = match readable_case(store, &account.user, &case_id).await? {
        Some(case) => (store.notice(&case_id, &month, lang).await?, case.number),
        None => (None, None),
    };
    if html.is_some() {
        let entry = AuditEntry::new(state.clock.now_ms(), &account.user.id, "letter", Some(&case_id), month.clone());
        audit(&state, entry).await?;
    }
    Ok(match html {
        Some(html) if wanted.download.is_some() => {
            let mut response = letter_document(StatusCode::OK, html);
            // The number and month are ASCII by construction (HZ-…, YYYY-MM).
            let suffix = lang.pick("", "-en");
            let file = format!("{}-{month}{suffix}.html", number.as_deref().unwrap_or("letter"));
            let disposition = format!("attachment; filename=\"{}\"", file.replace(['"', '\\'], ""));
            if let Ok(value) = axum::http::HeaderValue::from_str(&disposition) {
                response.headers_mut().insert(axum::http::header::CONTENT_DISPOSITION, value);
            }
            response
        }
        Some(html) => letter_document(StatusCode::OK, html),
        None => page(StatusCode::NOT_FOUND, Label::new("没有这份函件", "No such letter")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_month_is_due_from_the_second() {
        let due = |day: &str| month_due(Day::parse(day).unwrap());
        assert_eq!(due("2026-12-02"), "2026-11");
        assert_eq!(due("2026-12-31"), "2026-11");
        assert_eq!(due("2026-12-01"), "2026-10", "the month before until the grace day");
        assert_eq!(due("2027-01-01"), "2026-11");
        assert_eq!(due("2027-01-02"), "2026-12");
    }
}
