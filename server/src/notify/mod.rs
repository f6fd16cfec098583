//! Telling people what waits on them, beyond the app's own lists:
//! - push notifications of events ([`news`]: routed to you, information
//!   asked, a decision, …), queued as a change is accepted;
//! - deadline reminders by push, at most one a day per case and person,
//!   and the officials' morning digest by e-mail ([`digest`]), both from
//!   [`run_once`] every few minutes.
//!
//! What is queued is keyed by person, case and day (or event), so runs
//! and instances never send one twice.

pub mod digest;
pub mod news;

use std::sync::Arc;
use std::time::Duration;

use domain::directory::CITY;
use domain::label::Lang;
use domain::permission::{CaseParties, User, may_read};
use domain::policy::Policy;
use domain::reach::Kind;
use domain::status::CaseState;
use domain::summary::{CaseSummary, Context};

use crate::push::Notification;
use crate::store::Store;
use crate::store::outbox::Channel;
use crate::sync::InForce;
use crate::{ServerError, blocking};

/// How often the server looks for something to tell.
pub(crate) const EVERY: Duration = Duration::from_secs(600);

/// The hour (China time) from which the day's reminders and digest go out.
pub const MORNING: u8 = 8;

/// Sends what is due at `now_ms`: deadline reminders, and the digests
/// when mail is on.
pub async fn run_once(
    store: &Store,
    in_force: &InForce,
    public_url: &str,
    mail: bool,
    now_ms: i64,
) -> Result<(), ServerError> {
    let policy = in_force.policy.current();
    let reminders = news::deadlines(store, &policy, now_ms).await?;
    let digests = if mail { digest::send_due(store, &policy, public_url, now_ms).await? } else { 0 };
    if reminders + digests > 0 {
        tracing::info!(reminders, digests, "reminders and digests queued");
    }
    Ok(())
}

/// A case as a worklist shows it, with who may read it.
pub(crate) struct Listed {
    pub summary: CaseSummary,
    enterprise: String,
    district: String,
    state: CaseState,
}

impl Listed {
    pub fn readable_by(&self, user: &User) -> bool {
        may_read(user, &CaseParties { enterprise: &self.enterprise, district: &self.district, state: &self.state })
    }

    /// Whether it waits on `user`, or `user` answers for it.
    pub fn concerns(&self, user: &User) -> bool {
        self.readable_by(user) && (self.summary.waits_on(user) || self.summary.held_by(&user.id))
    }
}

/// Every case as worklists show it today.
pub(crate) async fn worklist(store: &Store, policy: &Policy) -> Result<Vec<Listed>, ServerError> {
    let cases = store.cases_of_district(CITY).await?;
    let rules = Arc::new(policy.clone());
    blocking(move || {
        let list = cases.iter().map(|case| {
            let context = Context {
                calendar: &rules.calendar,
                rules: rules.rules_for(case),
                heads: Vec::new(),
                updated_ms: case.created_ms,
                unsynced: false,
            };
            Listed {
                summary: CaseSummary::of(case, context),
                enterprise: case.enterprise.id.clone(),
                district: case.district.clone(),
                state: case.state(),
            }
        });
        Ok(list.collect())
    })
    .await
}

/// Queues a push notification of `kind` for `user_id`, unless they muted
/// the kind; in their quiet hours it waits for the hours to end. `key`
/// says what it is (queued once). Returns whether it was queued.
pub(crate) async fn tell(
    store: &Store,
    user_id: &str,
    kind: Kind,
    key: &str,
    notification: impl FnOnce(Lang) -> Notification,
    now_ms: i64,
) -> Result<bool, ServerError> {
    let settings = store.settings(user_id).await?;
    let Some(at) = settings.push_at(kind, now_ms) else { return Ok(false) };
    let payload = serde_json::to_string(&notification(settings.lang))?;
    store.queue(Channel::Push, &format!("push/{key}"), user_id, &payload, at, now_ms).await
}

/// The title of a notification of `kind`.
pub(crate) fn title(kind: Kind, lang: Lang) -> String {
    format!("{} · {}", lang.pick("直通车", "Direct Line"), kind.label().get(lang))
}
