//! What the server remembers of the changes it refused on one connection.
//!
//! A client that cannot roll a refused change back (a stock automerge-repo
//! client knows nothing of our `refused` message) keeps it as a head. Left
//! alone, the sync protocol would then ask for that change again and again,
//! and the client, having sent it once, would never send it: a storm of
//! messages. So the server screens what such a client says: a refused
//! change counts as if the client only had what it builds on, and sending
//! it again is not news.

use std::collections::{BTreeSet, HashMap};

use automerge::sync::Message as SyncMessage;
use automerge::{Change, ChangeHash};

/// Refused changes beyond this on one connection are a client at war with
/// the server: the caller closes the socket instead of remembering more.
pub const MAX_REFUSED_PER_CONNECTION: usize = 10_000;

/// Refused changes of one document on one connection, each with the hashes
/// it builds on.
#[derive(Debug, Default, Clone)]
pub struct RefusedChanges {
    deps: HashMap<ChangeHash, Vec<ChangeHash>>,
}

impl RefusedChanges {
    /// Remembers `changes` as refused.
    pub fn remember<'a>(&mut self, changes: impl IntoIterator<Item = &'a Change>) {
        for change in changes {
            self.deps.insert(change.hash(), change.deps().to_vec());
        }
    }

    pub fn len(&self) -> usize {
        self.deps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.deps.is_empty()
    }

    /// Whether every one of `hashes` (at least one) was refused before.
    pub fn all_refused(&self, hashes: &[ChangeHash]) -> bool {
        !hashes.is_empty() && hashes.iter().all(|h| self.deps.contains_key(h))
    }

    /// Rewrites what a client says it has so that refused changes are not
    /// asked for: each refused hash in its heads and last sync is replaced,
    /// transitively, by the changes it builds on, and what is then an
    /// ancestor of another is dropped (so that a client that has all we
    /// have and a refused change shows our very heads). `deps_of` gives the
    /// dependencies of a change the server has.
    pub fn screen(&self, message: &mut SyncMessage, deps_of: impl Fn(&ChangeHash) -> Option<Vec<ChangeHash>>) {
        if self.deps.is_empty() {
            return;
        }
        message.heads = self.without_refused(&message.heads, &deps_of);
        for have in &mut message.have {
            have.last_sync = self.without_refused(&have.last_sync, &deps_of);
        }
    }

    fn without_refused(
        &self,
        hashes: &[ChangeHash],
        deps_of: impl Fn(&ChangeHash) -> Option<Vec<ChangeHash>>,
    ) -> Vec<ChangeHash> {
        if !hashes.iter().any(|h| self.deps.contains_key(h)) {
            return hashes.to_vec();
        }
        let mut kept = BTreeSet::new();
        let mut seen = BTreeSet::new();
        let mut todo: Vec<ChangeHash> = hashes.to_vec();
        while let Some(hash) = todo.pop() {
            if !seen.insert(hash) {
                continue;
            }
            match self.deps.get(&hash) {
                Some(deps) => todo.extend(deps),
                None => {
                    kept.insert(hash);
                }
            }
        }
        // Drop every kept hash that another one builds on.
        let mut ancestors = BTreeSet::new();
        let mut todo: Vec<ChangeHash> = kept.iter().filter_map(&deps_of).flatten().collect();
        while let Some(hash) = todo.pop() {
            if ancestors.insert(hash) {
                todo.extend(deps_of(&hash).unwrap_or_default());
            }
        }
        kept.into_iter().filter(|h| !ancestors.contains(h)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::plain_message;
    use automerge::transaction::Transactable;
    use automerge::{AutoCommit, ROOT};

    fn deps_in(doc: &mut AutoCommit) -> impl Fn(&ChangeHash) -> Option<Vec<ChangeHash>> + '_ {
        let doc = doc.document();
        |hash| doc.get_change_meta_by_hash(hash).map(|meta| meta.deps)
    }

    fn edit(doc: &mut AutoCommit, value: i64) -> ChangeHash {
        doc.put(ROOT, "n", value).unwrap();
        doc.commit();
        doc.get_heads()[0]
    }

    #[test]
    fn refused_heads_become_what_they_build_on() {
        let mut doc = AutoCommit::new();
        let base = edit(&mut doc, 1);
        let first = edit(&mut doc, 2);
        let second = edit(&mut doc, 3);
        let mut refused = RefusedChanges::default();
        let changes: Vec<Change> = [first, second].iter().map(|h| doc.get_change_by_hash(h).unwrap().clone()).collect();
        refused.remember(&changes);

        let mut server = doc.fork_at(&[base]).unwrap();
        let other = ChangeHash([9; 32]);
        let mut message = plain_message(vec![second, other], vec![], vec![]);
        refused.screen(&mut message, deps_in(&mut server));
        let mut expected = vec![base, other];
        expected.sort();
        assert_eq!(message.heads, expected);
        assert!(refused.all_refused(&[first, second]));
        assert!(!refused.all_refused(&[first, base]));
        assert!(!refused.all_refused(&[]));
    }

    #[test]
    fn nothing_refused_changes_nothing() {
        let heads = vec![ChangeHash([1; 32]), ChangeHash([2; 32])];
        let mut message = plain_message(heads.clone(), vec![], vec![]);
        RefusedChanges::default().screen(&mut message, |_| None);
        assert_eq!(message.heads, heads);
    }

    #[test]
    fn what_a_kept_head_builds_on_is_not_a_head() {
        // A change by the same actor names its predecessor as well as the
        // heads: screened, only the heads remain.
        let mut server = AutoCommit::new();
        let first = edit(&mut server, 1);
        let mut client = server.fork();
        let mut other = server.fork();
        let theirs = edit(&mut other, 2);
        client.merge(&mut other).unwrap();
        server.merge(&mut other).unwrap();
        let refused_hash = edit(&mut client, 3);
        let refused_change = client.get_change_by_hash(&refused_hash).unwrap();
        assert!(refused_change.deps().contains(&theirs));
        let mut refused = RefusedChanges::default();
        refused.remember([&refused_change]);
        let mut message = plain_message(vec![refused_hash], vec![], vec![]);
        refused.screen(&mut message, deps_in(&mut server));
        assert_eq!(message.heads, server.get_heads());
        assert_ne!(message.heads, vec![first]);
    }
}
