//! The serving officials (`GET /api/officials`), for officials' forms:
//! whom a decision may name as lead leader, and whom a lead unit may name
//! as officer in charge (承办人). Kept in the account's storage so the
//! forms work offline; fetched again at each start online. The server
//! checks every named person against its own roster.

use domain::roster::{Official, Roster};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::IdentitySignal;
use crate::error::AppError;
use crate::labels::Options;
use crate::storage;

/// In context for every page.
#[derive(Clone, Copy)]
pub struct Officials(RwSignal<Vec<Official>>);

impl Officials {
    /// Follows the signed-in official: their stored list at once, then
    /// the server's. Enterprises get none (the server refuses them).
    pub fn start(identity: IdentitySignal) -> Officials {
        let list = RwSignal::new(Vec::new());
        Effect::new(move |_| {
            let official = identity.get().filter(|who| who.user.role != domain::permission::Role::Enterprise);
            let Some(user_id) = official.map(|who| who.user.id) else { return list.set(Vec::new()) };
            spawn_local(async move {
                if let Err(e) = refresh(&user_id, list).await {
                    leptos::logging::warn!("officials: {}", e.message());
                }
            });
        });
        Officials(list)
    }

    fn roster(&self) -> Roster {
        Roster::new(self.0.get())
    }
}

async fn refresh(user_id: &str, list: RwSignal<Vec<Official>>) -> Result<(), AppError> {
    let db = storage::open_user(user_id).await?;
    list.set(storage::officials(&db).await?);
    if let Ok(fresh) = crate::api::officials().await {
        storage::set_officials(&db, &fresh).await?;
        list.set(fresh);
    }
    db.close();
    Ok(())
}

fn options(people: Vec<&Official>) -> Options {
    people.into_iter().map(|o| (o.id.clone(), o.name.clone())).collect()
}

/// Whether `id` no longer serves (deactivated): `false` while the list is
/// not known here (enterprises do not get it), so nothing is claimed.
pub fn has_left(id: &str) -> bool {
    use_context::<Officials>().is_some_and(|o| o.0.with(|list| !list.is_empty() && !list.iter().any(|p| p.id == id)))
}

/// The leaders who may lead a case of `district`: its own, then the city's.
pub fn leaders_for(district: &str) -> Options {
    use_context::<Officials>().map_or_else(Vec::new, |o| options(o.roster().leaders_for(district)))
}

/// The officers of `unit`.
pub fn officers_of(unit: &str) -> Options {
    use_context::<Officials>().map_or_else(Vec::new, |o| options(o.roster().officers_of(unit)))
}
