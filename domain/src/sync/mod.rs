//! Sync: the automerge-repo wire protocol, document ids, whose changes are
//! whose (actor binding), the server's check of incoming changes and the
//! client's rollback of refused ones, and both peers of the protocol as
//! state machines ([`server::ServerDoc`], [`client::ClientPeer`]). All pure;
//! sockets and storage live in `app` and `server`, which drive the peers.

mod check;
pub mod client;
mod inflate;
mod refused;
mod rollback;
pub mod server;
pub mod wire;

use automerge::sync::{Message as SyncMessage, MessageVersion};
use automerge::{ActorId, ChangeHash};
use sha2::{Digest, Sha256};

use crate::DomainError;
pub use check::{Checked, InForce, MAX_EVENTS_PER_CASE, Rejection, check_incoming, new_changes};
pub use inflate::{MAX_INFLATED_BYTES, check_inflated_size};
pub use refused::{MAX_REFUSED_PER_CONNECTION, RefusedChanges};
pub use rollback::roll_back;

/// The user id the server acts as (e.g. to assign case numbers).
pub const SERVER_USER: &str = "server";

/// An automerge-repo document id: 16 random bytes in base58check. Case ids
/// are document ids, so a case is addressable by any automerge-repo peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId([u8; 16]);

impl DocumentId {
    pub fn from_bytes(bytes: [u8; 16]) -> DocumentId {
        DocumentId(bytes)
    }

    pub fn parse(text: &str) -> Result<DocumentId, DomainError> {
        let bad = || DomainError::BadDocumentId(text.chars().take(64).collect());
        let bytes = bs58::decode(text).with_check(None).into_vec().map_err(|_| bad())?;
        Ok(DocumentId(bytes.try_into().map_err(|_| bad())?))
    }
}

impl std::fmt::Display for DocumentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
    }
}

/// A sync message built by hand (not by the protocol's exchange): our
/// `heads`, hashes we `need`, and change `chunks` to deliver.
pub fn plain_message(heads: Vec<ChangeHash>, need: Vec<ChangeHash>, chunks: Vec<Vec<u8>>) -> SyncMessage {
    SyncMessage { heads, need, have: vec![], changes: chunks.into(), flags: None, version: MessageVersion::V1 }
}

/// Heads as sorted hex strings: how both sides store and compare them.
pub fn heads_hex(heads: &[ChangeHash]) -> Vec<String> {
    let mut hex: Vec<String> = heads.iter().map(ToString::to_string).collect();
    hex.sort();
    hex
}

/// The first 8 bytes of every actor id a user writes under: derived from the
/// user id, so the server can tell whose a change is without a lookup. The
/// last 8 bytes are per device, so two devices never share an actor.
fn actor_prefix(user_id: &str) -> [u8; 8] {
    let digest = Sha256::new().chain_update(b"directline actor\0").chain_update(user_id.as_bytes()).finalize();
    let mut prefix = [0; 8];
    prefix.copy_from_slice(&digest[..8]);
    prefix
}

/// The actor id `user_id` writes under on the device with `device` bytes.
pub fn actor_for(user_id: &str, device: [u8; 8]) -> ActorId {
    let mut bytes = actor_prefix(user_id).to_vec();
    bytes.extend(device);
    ActorId::from(bytes)
}

/// Whether a change made under `actor` may be `user_id`'s.
pub fn actor_belongs(user_id: &str, actor: &ActorId) -> bool {
    let bytes = actor.to_bytes();
    bytes.len() == 16 && bytes[..8] == actor_prefix(user_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_ids_round_trip_and_reject_typos() {
        let id = DocumentId::from_bytes([3; 16]);
        let text = id.to_string();
        assert_eq!(DocumentId::parse(&text).unwrap(), id);
        let mut typo: Vec<char> = text.chars().collect();
        typo[3] = if typo[3] == 'a' { 'b' } else { 'a' };
        assert!(DocumentId::parse(&typo.into_iter().collect::<String>()).is_err());
        assert!(DocumentId::parse("demo-0001").is_err());
        assert!(DocumentId::parse("").is_err());
    }

    #[test]
    fn actors_are_bound_to_users() {
        let a = actor_for("user-ent-000", [1; 8]);
        assert!(actor_belongs("user-ent-000", &a));
        assert!(!actor_belongs("user-ent-001", &a));
        assert!(!actor_belongs("user-ent-000", &ActorId::from(vec![1u8; 16])));
        assert_ne!(a, actor_for("user-ent-000", [2; 8]));
    }
}
