//! E-mail through the configured SMTP server. Mails are queued in the
//! outbox (`store/outbox.rs`) by what sends them (letters, invitations,
//! digests); the sender here takes what is due, sends it, and records
//! what became of it: sent; or tried again later with growing waits; or,
//! after the last try, failed with the SMTP server's answer, listed for
//! admins on `/admin/mail`. Nothing is dropped without a trace.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::ServerError;
use crate::store::Store;
use crate::store::outbox::{Channel, Claimed, MailBody};

/// Waits before each next try, after the first, second, … failure; a
/// message failing once more than there are waits has failed.
const WAITS_MS: [i64; 4] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000];

/// How many tries a message gets.
pub const TRIES: i64 = WAITS_MS.len() as i64 + 1;

/// How long a claimed message is this sender's before another may take it.
pub const LEASE_MS: i64 = 10 * 60_000;

/// How many messages one round sends.
pub const ROUND: i64 = 50;

/// Where and as whom mail is sent.
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub smtp_url: String,
    pub from: String,
    /// How often the sender looks for due mail.
    pub every: Duration,
}

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(config: &MailConfig) -> Result<Mailer, ServerError> {
        let bad = |what: &str, e: String| ServerError::Admin(format!("{what}: {e} / 邮件配置有误"));
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&config.smtp_url)
            .map_err(|e| bad("--smtp-url", e.to_string()))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = config.from.parse().map_err(|e: lettre::address::AddressError| bad("--mail-from", e.to_string()))?;
        Ok(Mailer { transport, from })
    }

    /// Sends the mails due at `now_ms`; returns how many went.
    pub async fn send_due(&self, store: &Store, now_ms: i64) -> Result<usize, ServerError> {
        let mut sent = 0;
        for mail in store.claim(Channel::Mail, now_ms, now_ms + LEASE_MS, ROUND).await? {
            let outcome = self.send(&mail).await;
            sent += usize::from(outcome.is_ok());
            record(store, &mail, outcome, now_ms).await?;
        }
        Ok(sent)
    }

    /// One delivery; the SMTP server's answer when it refuses.
    async fn send(&self, mail: &Claimed) -> Result<(), String> {
        let body: MailBody = serde_json::from_str(&mail.payload).map_err(|e| e.to_string())?;
        let to: Mailbox = mail.recipient.parse().map_err(|e: lettre::address::AddressError| e.to_string())?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(body.subject)
            .multipart(MultiPart::alternative_plain_html(body.text, body.html))
            .map_err(|e| e.to_string())?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// Records how a delivery went: sent; or tried again after the next
/// wait; or, after the last try, failed with the reason.
pub async fn record(
    store: &Store,
    message: &Claimed,
    outcome: Result<(), String>,
    now_ms: i64,
) -> Result<(), ServerError> {
    match outcome {
        Ok(()) => store.out_sent(message.id, now_ms).await,
        Err(why) => {
            tracing::warn!(id = message.id, tries = message.attempts + 1, error = %why, "a message was not delivered");
            match usize::try_from(message.attempts).ok().and_then(|i| WAITS_MS.get(i)) {
                Some(wait) => store.out_retry(message.id, now_ms + wait, &why).await,
                None => store.out_failed(message.id, now_ms, &why).await,
            }
        }
    }
}
