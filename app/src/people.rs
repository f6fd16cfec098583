//! Who is behind a user id: the names the server gives the signed-in user
//! (`GET /api/people`), kept in the account's storage so the timeline says
//! who acted offline too. Fetched again at each start online.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;

use domain::case::Enterprise;
use domain::permission::registrant_id;

use crate::api::IdentitySignal;
use crate::error::AppError;
use crate::storage;

/// In context for every page.
#[derive(Clone, Copy)]
pub struct People(RwSignal<BTreeMap<String, String>>);

impl People {
    /// Follows the signed-in user: their stored list at once, then the
    /// server's when it answers.
    pub fn start(identity: IdentitySignal) -> People {
        let names = RwSignal::new(BTreeMap::new());
        Effect::new(move |_| {
            let Some(user_id) = identity.get().map(|who| who.user.id) else {
                return names.set(BTreeMap::new());
            };
            spawn_local(async move {
                if let Err(e) = refresh(&user_id, names).await {
                    leptos::logging::warn!("people: {}", e.message());
                }
            });
        });
        People(names)
    }

    /// The person's name, or the id when the list does not have it (yet).
    pub fn name(&self, user_id: &str) -> String {
        self.known(user_id).unwrap_or_else(|| user_id.to_string())
    }

    fn known(&self, user_id: &str) -> Option<String> {
        self.0.with(|names| names.get(user_id).cloned())
    }
}

async fn refresh(user_id: &str, names: RwSignal<BTreeMap<String, String>>) -> Result<(), AppError> {
    let db = storage::open_user(user_id).await?;
    names.set(storage::people(&db).await?);
    // Offline (or signed out on the server): the stored list stays.
    if let Ok(fresh) = crate::api::people().await {
        storage::set_people(&db, &fresh).await?;
        names.set(fresh);
    }
    db.close();
    Ok(())
}

pub fn use_people() -> Option<People> {
    use_context::<People>()
}

/// The name of `user_id`, as far as `people` knows it; read inside a
/// closure of the view, so it follows the list as it arrives.
pub fn name_in(people: Option<People>, user_id: &str) -> String {
    people.map_or_else(|| user_id.to_string(), |people| people.name(user_id))
}

/// As `name_in`, for someone acting on a case `enterprise` filed: the
/// enterprise's own user id ([`registrant_id`], the account its
/// registration makes) reads as the enterprise's name when no account
/// has it — the demo's filings, or an account since closed.
pub fn name_on_case(people: Option<People>, user_id: &str, enterprise: &Enterprise) -> String {
    match people.and_then(|people| people.known(user_id)) {
        Some(name) => name,
        None if user_id == registrant_id(&enterprise.id) => enterprise.name.clone(),
        None => user_id.to_string(),
    }
}
