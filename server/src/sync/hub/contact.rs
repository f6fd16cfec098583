//! When the server heard from each device, and what that says about the
//! times its changes carry (see `domain::device_time`): the device's last
//! contact before a socket, kept in the store, and the heads it announces
//! right after joining, behind which lies its offline work.

use std::sync::atomic::Ordering;

use automerge::{Automerge, ChangeHash};
use domain::device_time::{Receipt, made_before_joining};

use super::{Conn, ConnId, Hub};
use crate::ServerError;

/// A device offers what it did offline as soon as it joins: a document's
/// first message within this long of the socket opening announces it.
/// Later first messages are work done while connected.
const GREETING_MS: i64 = 10_000;

impl Hub {
    /// The device's last contact before this socket (none for a device
    /// never seen, or a client that names no storage), recording this one.
    pub(super) async fn contact_on_join(
        &self,
        storage_key: Option<&str>,
        now: i64,
    ) -> Result<Option<i64>, ServerError> {
        let Some(key) = storage_key else { return Ok(None) };
        let before = self.store.device_contact(key).await?;
        self.store.heard_from_device(key, now).await?;
        Ok(before)
    }

    /// Records when the server last heard from a closed socket's device,
    /// in the background (a socket closes from code that cannot wait).
    pub(super) fn record_contact(&self, closed: Conn) {
        let (Some(key), Ok(runtime)) = (closed.storage_key, tokio::runtime::Handle::try_current()) else { return };
        let (store, heard_ms) = (self.store.clone(), closed.heard_ms.load(Ordering::Relaxed));
        runtime.spawn(async move {
            if let Err(e) = store.heard_from_device(&key, heard_ms).await {
                tracing::warn!("could not record when device {key} was last heard from: {e}");
            }
        });
    }

    /// Remembers the heads a device announces for document `id` in its
    /// first message after joining: what it did offline lies behind them.
    pub(super) fn note_announced(&self, conn: ConnId, id: &str, heads: &[ChangeHash]) {
        let now = self.clock.now_ms();
        let greeting =
            self.with_conn(conn, |c| Some(now - c.opened_ms <= GREETING_MS && !c.announced.contains_key(id)));
        if greeting == Some(true)
            && let Ok(mut conns) = self.conns.write()
            && let Some(c) = conns.get_mut(&conn)
        {
            c.announced.entry(id.to_string()).or_insert_with(|| heads.to_vec());
        }
    }

    /// What the server knows of the device behind `conn` as its changes
    /// `accepted` to document `id` (held in `doc`) arrive now.
    pub(super) fn receipt_of(
        &self,
        conn: ConnId,
        id: &str,
        accepted: &[ChangeHash],
        doc: &Automerge,
    ) -> Option<Receipt> {
        let now = self.clock.now_ms();
        // The metadata only: building each whole change just to read its deps
        // showed in the profile of a device bringing a thousand cases.
        let deps_of = |hash: &ChangeHash| doc.get_change_meta_by_hash(hash).map(|meta| meta.deps);
        self.with_conn(conn, |c| {
            let announced = c.announced.get(id).map_or(&[][..], Vec::as_slice);
            let backlog = made_before_joining(announced, accepted, deps_of);
            Some(Receipt::of(c.previous_contact_ms, c.opened_ms, now, backlog))
        })
    }
}
