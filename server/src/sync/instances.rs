//! Several server instances on one PostgreSQL database: what one stores,
//! the others hear of (`LISTEN`/`NOTIFY`) and pass on to their own clients.

use std::sync::{Arc, Weak};

use super::hub::Hub;
use crate::ServerError;
use crate::store::{Announcement, Announcements};

/// Follows the other instances' announcements for as long as the hub lives.
pub(super) async fn follow(hub: Weak<Hub>, mut announcements: Announcements) {
    while let Some(announcement) = announcements.next().await {
        let Some(hub) = hub.upgrade() else { return };
        let followed = match announcement {
            Announcement::Case(id) => catch_up(&hub, &id).await,
            Announcement::SignedOut(session) => {
                hub.end_session(&session);
                Ok(())
            }
            Announcement::Anything => catch_up_all(&hub).await,
        };
        if let Err(e) = followed {
            tracing::warn!(error = %e, "could not follow another server instance");
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
