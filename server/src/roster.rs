//! The officials in force on this instance (see [`domain::roster`]): what
//! the sync check names people against, and whose names server pages show
//! for the people cases name. Reloaded when an account is added or
//! deactivated here, or on another instance (announced through the store).

use std::sync::{Arc, RwLock};

use domain::roster::Roster;

use crate::ServerError;
use crate::store::Store;

#[derive(Default)]
pub struct Officials {
    current: RwLock<Arc<Roster>>,
}

impl Officials {
    pub async fn load(store: &Store) -> Result<Officials, ServerError> {
        let officials = Officials::default();
        officials.reload(store).await?;
        Ok(officials)
    }

    pub fn current(&self) -> Arc<Roster> {
        match self.current.read() {
            Ok(current) => current.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Reads the serving officials from the store.
    pub async fn reload(&self, store: &Store) -> Result<(), ServerError> {
        let fresh = Arc::new(Roster::new(store.officials().await?));
        match self.current.write() {
            Ok(mut current) => *current = fresh,
            Err(poisoned) => *poisoned.into_inner() = fresh,
        }
        Ok(())
    }
}
