//! The policy in force on this instance (directory, rules, calendar: see
//! [`domain::policy`]). Requests and sync checks take the current version
//! and keep it for their whole run; an admin's edit, or another instance's
//! (announced through the store), puts a newer one in force.

use std::sync::{Arc, RwLock};

use domain::DomainError;
use domain::policy::{Policy, PolicyEdit};

use crate::ServerError;
use crate::store::{AuditEntry, Store};

pub struct Policies {
    current: RwLock<Arc<Policy>>,
}

/// How often an edit is built again on a version another admin stored
/// meanwhile before the server gives up (it never should).
const EDIT_ATTEMPTS: usize = 5;

impl Policies {
    pub fn new(policy: Policy) -> Policies {
        Policies { current: RwLock::new(Arc::new(policy)) }
    }

    pub fn current(&self) -> Arc<Policy> {
        match self.current.read() {
            Ok(current) => current.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Puts `policy` in force if it is newer than the one in force.
    pub fn offer(&self, policy: Policy) {
        let mut current = match self.current.write() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        };
        if policy.version > current.version {
            *current = Arc::new(policy);
        }
    }

    /// Reads the newest version from the store (another instance stored it).
    pub async fn reload(&self, store: &Store) -> Result<(), ServerError> {
        self.offer(store.policy().await?);
        Ok(())
    }

    /// Makes `edit` as `by` at `now_ms`: stored, audited, in force. The
    /// inner error says why the edit itself was refused.
    pub async fn edit(
        &self,
        store: &Store,
        by: &str,
        now_ms: i64,
        edit: &PolicyEdit,
    ) -> Result<Result<Arc<Policy>, DomainError>, ServerError> {
        let detail = serde_json::to_string(edit)?;
        for _ in 0..EDIT_ATTEMPTS {
            let current = self.current();
            let next = match current.apply(edit) {
                Ok(next) => next,
                Err(refused) => return Ok(Err(refused)),
            };
            let audit = AuditEntry::new(now_ms, by, "policy", None, format!("v{} {detail}", next.version));
            if store.save_policy(&next, &audit).await? {
                self.offer(next);
                return Ok(Ok(self.current()));
            }
            self.reload(store).await?;
        }
        Err(ServerError::Overloaded)
    }
}
