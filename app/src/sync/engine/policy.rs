//! Deadlines in the summaries follow the policy in force: a newer policy,
//! or an account whose summaries were computed by another version, has
//! them computed again, so the case list's lights are the server's.

use std::sync::Arc;

use leptos::prelude::*;

use domain::doc;
use domain::policy::Policy;
use domain::summary::Context;

use super::Engine;
use crate::error::AppError;
use crate::storage::{self, CaseSummary};

impl Engine {
    pub(super) async fn take_policy(&mut self, policy: Arc<Policy>) -> Result<(), AppError> {
        if policy.version == self.policy.version {
            return Ok(());
        }
        self.policy = policy;
        self.summaries_follow_policy().await
    }

    /// Computes the signed-in account's summaries again unless they were
    /// computed by the policy in force.
    pub(super) async fn summaries_follow_policy(&mut self) -> Result<(), AppError> {
        let Some(db) = &self.cases else { return Ok(()) };
        if storage::summaries_policy(db).await? == Some(self.policy.version) {
            return Ok(());
        }
        let mut fresh = Vec::with_capacity(self.summaries.len());
        for old in self.summaries.values() {
            let Some((document, _)) = storage::load_doc(db, &old.id).await? else { continue };
            let case = doc::read(&document)?;
            let context = Context {
                calendar: &self.policy.calendar,
                rules: self.policy.rules_for(&case),
                heads: old.heads.clone(),
                updated_ms: old.updated_ms,
                unsynced: old.unsynced,
            };
            fresh.push(CaseSummary::of(&case, context));
        }
        storage::put_summaries(db, &fresh, self.policy.version).await?;
        self.summaries.extend(fresh.into_iter().map(|s| (s.id.clone(), s)));
        self.signals.revision.update(|r| *r += 1);
        Ok(())
    }
}
