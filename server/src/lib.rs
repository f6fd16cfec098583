//! Direct Line's server: serves the built app, relays and stores case
//! documents (SQLite), and is the trust boundary for every change.

pub mod admin_cli;
pub mod cli;
pub mod clock;
pub mod config;
pub mod demo;
mod error;
pub mod http;
pub mod mail;
pub mod notify;
pub mod pages;
pub mod policy;
pub mod push;
pub mod roster;
pub mod security;
pub mod store;
pub mod sync;

use std::path::PathBuf;
use std::sync::Arc;

/// mimalloc instead of glibc's malloc: glibc keeps freed memory per
/// thread arena (argon2's 19 MiB per sign-in, bursts of sync work), so a
/// busy server's RSS only ever grew; mimalloc hands it back.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub use clock::Clock;
pub use error::ServerError;
pub use http::router;
pub use security::passwords::hash_password;
use store::Store;

/// Where people reach a server started with the defaults.
const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    /// The built PWA (Trunk's `dist/`).
    pub dist: PathBuf,
    pub clock: Clock,
    /// The directory, calendar and deadline rules in force.
    pub policy: Arc<policy::Policies>,
    /// The serving officials cases may name.
    pub officials: Arc<roster::Officials>,
    /// Mark cookies `Secure` (set when the server is reached over TLS).
    pub secure_cookies: bool,
    /// Where people reach the server (no trailing slash): absolute links
    /// and QR codes are made from it (see [`AppState::reached_at`]).
    pub public_url: String,
    pub hub: Arc<sync::Hub>,
    /// Sends push notifications to devices that allowed them.
    pub pusher: Arc<push::Pusher>,
    /// Sends mail, when an SMTP server is configured ([`AppState::with_mail`]).
    pub mailer: Option<Arc<mail::Mailer>>,
    mail_every: std::time::Duration,
    /// Failed sign-ins by account and by address.
    pub(crate) throttle: Arc<security::throttle::Throttle>,
    /// Failed public lookups by case number and by address.
    pub(crate) lookups: Arc<security::throttle::Throttle>,
    pub(crate) passwords: Arc<security::passwords::Passwords>,
}

impl AppState {
    /// The state of a running server; starts the sync hub (call inside a
    /// tokio runtime). [`AppState::start_background`] starts the rest.
    pub async fn new(
        store: Arc<Store>,
        dist: PathBuf,
        clock: Clock,
        secure_cookies: bool,
    ) -> Result<AppState, ServerError> {
        AppState::with_limits(store, dist, clock, secure_cookies, sync::SyncLimits::default()).await
    }

    /// As [`AppState::new`], with other limits on sync sockets.
    pub async fn with_limits(
        store: Arc<Store>,
        dist: PathBuf,
        clock: Clock,
        secure_cookies: bool,
        limits: sync::SyncLimits,
    ) -> Result<AppState, ServerError> {
        let policy = Arc::new(policy::Policies::new(store.policy().await?));
        let officials = Arc::new(roster::Officials::load(&store).await?);
        let in_force = sync::InForce { policy: policy.clone(), officials: officials.clone() };
        let hub = sync::Hub::start(store.clone(), clock.clone(), in_force.clone(), limits)?;
        let passwords = Arc::new(security::passwords::Passwords::for_this_machine()?);
        let public_url = DEFAULT_PUBLIC_URL.to_string();
        let pusher = Arc::new(push::Pusher::load(&store, public_url.clone()).await?);
        Ok(AppState {
            store,
            dist,
            clock,
            policy,
            officials,
            secure_cookies,
            public_url,
            hub,
            pusher,
            mailer: None,
            mail_every: std::time::Duration::from_secs(10),
            throttle: Arc::default(),
            lookups: Arc::default(),
            passwords,
        })
    }

    /// Starts the work the server does on its own: issuing each month's
    /// letters. Called once the state is complete (its public address
    /// goes on every letter).
    pub fn start_background(&self) {
        let s = self.clone();
        repeat(pages::letters::EVERY, "issuing monthly letters", move || {
            let s = s.clone();
            async move {
                let mail = s.mailer.is_some();
                pages::letters::run_once(&s.store, &in_force_of(&s), &s.public_url, mail, s.clock.now_ms()).await
            }
        });
        let s = self.clone();
        repeat(notify::EVERY, "queueing reminders and digests", move || {
            let s = s.clone();
            async move {
                let mail = s.mailer.is_some();
                notify::run_once(&s.store, &in_force_of(&s), &s.public_url, mail, s.clock.now_ms()).await
            }
        });
        let s = self.clone();
        repeat(self.mail_every, "sending push notifications", move || {
            let s = s.clone();
            async move { s.pusher.send_due(&s.store, s.clock.now_ms()).await.map(|_| ()) }
        });
        if let Some(mailer) = self.mailer.clone() {
            let s = self.clone();
            repeat(self.mail_every, "sending mail", move || {
                let (s, mailer) = (s.clone(), mailer.clone());
                async move { mailer.send_due(&s.store, s.clock.now_ms()).await.map(|_| ()) }
            });
        }
    }

    /// The same state, sending mail as `config` says.
    pub fn with_mail(mut self, config: &mail::MailConfig) -> Result<AppState, ServerError> {
        self.mailer = Some(Arc::new(mail::Mailer::new(config)?));
        self.mail_every = config.every;
        Ok(self)
    }

    /// The same state, reached by people at `url` (`http://` or `https://`).
    pub fn reached_at(mut self, url: &str) -> Result<AppState, ServerError> {
        let url = url.trim().trim_end_matches('/');
        let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or_default();
        if host.is_empty() || host.contains(['/', '?', '#', ' ']) {
            return Err(ServerError::Admin(format!(
                "公开地址应形如 https://zhitongche.example.cn / the public URL should look like https://zhitongche.example.cn: {url}"
            )));
        }
        self.public_url = url.to_string();
        // Push services may contact us there; not shared before the server runs.
        if let Some(pusher) = Arc::get_mut(&mut self.pusher) {
            pusher.contact_at(url);
        }
        Ok(self)
    }

    /// For tests: push endpoints on this machine over plain HTTP are allowed.
    pub fn allowing_local_push(mut self) -> AppState {
        if let Some(pusher) = Arc::get_mut(&mut self.pusher) {
            pusher.allow_http_loopback();
        }
        self
    }
}

/// Runs `work` now and then every `period` for as long as the server
/// runs; a failed round is logged and the next one tries again.
fn repeat<F, Fut>(period: std::time::Duration, what: &'static str, work: F)
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<(), ServerError>> + Send,
{
    tokio::spawn(async move {
        loop {
            if let Err(e) = work().await {
                tracing::error!(error = %e, "{what} failed");
            }
            tokio::time::sleep(period).await;
        }
    });
}

/// What is in force (policy, roster) for background work.
fn in_force_of(state: &AppState) -> sync::InForce {
    sync::InForce { policy: state.policy.clone(), officials: state.officials.clone() }
}

/// The case `case_id` if `user` may read it; `None` both when there is no
/// such case and when it is not theirs, so the two cannot be told apart.
pub(crate) async fn readable_case(
    store: &Store,
    user: &domain::permission::User,
    case_id: &str,
) -> Result<Option<domain::case::CaseDoc>, ServerError> {
    let Some((doc, _)) = store.load_document(case_id).await? else { return Ok(None) };
    let case = domain::doc::read(&doc)?;
    let readable = may_read_case(user, &case, &case.state());
    Ok(readable.then_some(case))
}

/// Whether `user` may read `case` (whose derived state is `state`).
pub(crate) fn may_read_case(
    user: &domain::permission::User,
    case: &domain::case::CaseDoc,
    state: &domain::status::CaseState,
) -> bool {
    let parties = domain::permission::CaseParties { enterprise: &case.enterprise.id, district: &case.district, state };
    domain::permission::may_read(user, &parties)
}

/// Writes an audit entry. Callers write it before they answer: what is
/// not audited is not done.
pub(crate) async fn audit(state: &AppState, entry: store::AuditEntry) -> Result<(), ServerError> {
    state.store.audit(&entry).await
}

/// Runs CPU-heavy work (decoding documents, statistics over every case)
/// off the async workers.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ServerError> + Send + 'static,
) -> Result<T, ServerError> {
    tokio::task::spawn_blocking(work).await.map_err(|e| ServerError::Io(std::io::Error::other(e)))?
}
