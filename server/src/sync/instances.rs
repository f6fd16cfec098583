//! Several server instances on one PostgreSQL database: what one stores,
//! the others hear of (`LISTEN`/`NOTIFY`) and pass on to their own clients.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use super::hub::Hub;
use crate::ServerError;
use crate::store::{Announcement, Announcements};

/// Follows the other instances' announcements for as long as the hub lives.
/// Cases catch up side by side, each at most once at a time: news for a
/// case that is catching up already makes it catch up once more after.
pub(super) async fn follow(hub: Weak<Hub>, mut announcements: Announcements) {
    let running: Arc<Mutex<HashMap<String, bool>>> = Arc::default();
    while let Some(announcement) = announcements.next().await {
        let Some(hub) = hub.upgrade() else { return };
        let followed = match announcement {
            Announcement::Case(id) => {
                let first = running.lock().map(|mut r| r.insert(id.clone(), true).is_none()).unwrap_or(false);
                if first {
                    tokio::spawn(catch_up_while_news(hub, id, running.clone()));
                }
                Ok(())
            }
            Announcement::SignedOut(session) => {
                hub.end_session(&session);
                Ok(())
            }
            Announcement::Policy(_) => hub.reload_policy().await,
            Announcement::Accounts => hub.reload_officials().await,
            Announcement::Anything => match (hub.reload_policy().await, hub.reload_officials().await) {
                (Ok(()), Ok(())) => catch_up_all(&hub).await,
                (Err(e), _) | (_, Err(e)) => Err(e),
            },
        };
        if let Err(e) = followed {
            tracing::warn!(error = %e, "could not follow another server instance");
        }
    }
}

/// Catches `id` up until no news came for it while it did.
async fn catch_up_while_news(hub: Arc<Hub>, id: String, running: Arc<Mutex<HashMap<String, bool>>>) {
    loop {
        // Taking the news first: what arrives from now on runs again.
        if let Ok(mut r) = running.lock() {
            r.insert(id.clone(), false);
        }
        if let Err(e) = catch_up(&hub, &id).await {
            tracing::warn!(error = %e, case = %id, "could not catch up with another server instance");
        }
        let Ok(mut r) = running.lock() else { return };
        if r.get(&id) != Some(&true) {
            r.remove(&id);
            return;
        }
    }
}

async fn catch_up_all(hub: &Arc<Hub>) -> Result<(), ServerError> {
    for id in hub.live_ids() {
        catch_up(hub, &id).await?;
    }
    Ok(())
}

/// Brings this instance's copy of a case up to what is stored and offers
/// the news to every client here that may read it. A case not in memory
/// is loaded only when clients are connected here.
async fn catch_up(hub: &Arc<Hub>, id: &str) -> Result<(), ServerError> {
    if !hub.is_live(id) && !hub.has_clients() {
        return Ok(());
    }
    hub.catch_up(id).await
}
