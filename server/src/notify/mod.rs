//! Telling people what waits on them, beyond the app's own lists: the
//! officials' morning digest by e-mail ([`digest`]). Runs on its own
//! every few minutes; what it sends is keyed by person and day, so runs
//! and instances never send one twice.

pub mod digest;

use std::sync::Arc;
use std::time::Duration;

use crate::store::Store;
use crate::sync::InForce;
use crate::{Clock, ServerError};

/// How often the server looks for something to tell.
const EVERY: Duration = Duration::from_secs(600);

/// Sends what is due at `now_ms`.
pub async fn run_once(store: &Store, in_force: &InForce, public_url: &str, now_ms: i64) -> Result<(), ServerError> {
    let digests = digest::send_due(store, &in_force.policy.current(), public_url, now_ms).await?;
    if digests > 0 {
        tracing::info!(digests, "daily digests queued");
    }
    Ok(())
}

/// Runs [`run_once`] every few minutes for as long as the server runs.
pub fn start(store: Arc<Store>, in_force: InForce, clock: Clock, public_url: String) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = run_once(&store, &in_force, &public_url, clock.now_ms()).await {
                tracing::error!(error = %e, "notifying failed");
            }
            tokio::time::sleep(EVERY).await;
        }
    });
}
