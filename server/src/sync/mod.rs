//! The sync endpoint: a WebSocket speaking the automerge-repo protocol.
//! Every socket belongs to a signed-in user; the [`Hub`] decides what each
//! may read and which of its changes are accepted.

mod committer;
mod hub;
mod instances;
mod limits;
mod live;
mod numberer;
mod pipeline;

use automerge::ActorId;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;

use crate::security::auth::{ClientAddress, Session, session_digest};
use crate::{AppState, ServerError};
pub use hub::{Hub, InForce, Opened};
use limits::Allowance;
pub use limits::{Exceeded, SyncLimits};
use live::ConnId;

pub use domain::contract::SERVER_PEER;
/// Larger WebSocket messages are refused (a sync message of a few thousand
/// changes is far below this).
const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// What a socket reads at a time (a larger message is read in several).
const READ_BUFFER_BYTES: usize = 8 * 1024;

/// How long a socket the server closes waits for the client's close.
const CLOSING: Duration = Duration::from_secs(2);

/// The actor the server writes under (case numbers).
pub fn server_actor() -> ActorId {
    domain::sync::actor_for(domain::sync::SERVER_USER, [0; 8])
}

/// `GET /api/sync`: upgrades a signed-in request (cross-site upgrades are
/// refused before this, by `guard::cross_site`) unless the user or the
/// address holds too many sockets already.
pub async fn upgrade(
    State(state): State<AppState>,
    Session { account, expires_ms }: Session,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Result<Response, ServerError> {
    let session = session_digest(&headers);
    let opened = Opened { user: account.user, session, expires_ms, address };
    // The socket counts from now, before the upgrade completes.
    let (outbox, queue) = mpsc::unbounded_channel::<Vec<u8>>();
    let hub = state.hub.clone();
    let conn = match hub.connect(opened, outbox) {
        Ok(conn) => conn,
        Err(exceeded) => return Ok(crate::http::json::error(StatusCode::TOO_MANY_REQUESTS, exceeded.message())),
    };
    let failed = hub.clone();
    Ok(ws
        .max_message_size(MAX_MESSAGE_BYTES)
        // Sync messages are small; the defaults (128 KiB each way, held for
        // the socket's life) would cost 256 KiB per connected device.
        .read_buffer_size(READ_BUFFER_BYTES)
        .write_buffer_size(0)
        .on_failed_upgrade(move |_| failed.disconnect(conn))
        .on_upgrade(move |socket| serve(hub, conn, queue, socket)))
}

async fn serve(hub: Arc<Hub>, conn: ConnId, mut rx: mpsc::UnboundedReceiver<Vec<u8>>, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let writer = tokio::spawn(async move {
        while let Some(bytes) = rx.recv().await {
            if sink.send(WsMessage::Binary(bytes.into())).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });
    // Arrivals are counted here, apart from processing (see `limits`);
    // the queue between is bounded by the allowance itself.
    let (incoming, queue) = mpsc::unbounded_channel::<Bytes>();
    let counter = hub.clone();
    let mut reader = tokio::spawn(async move {
        let mut allowance = Allowance::new(counter.limits(), Instant::now());
        let mut incoming = Some(incoming);
        while let Some(Ok(message)) = stream.next().await {
            let bytes = match message {
                WsMessage::Binary(bytes) => bytes,
                WsMessage::Close(_) => break,
                _ => continue,
            };
            let Some(queue) = &incoming else { continue };
            if let Err(exceeded) = allowance.take(bytes.len(), Instant::now()) {
                tracing::warn!(conn, %exceeded, "sync connection cut off");
                counter.cut_off(conn, exceeded.message().to_string());
                // Nothing more is answered; what still comes is read and
                // dropped (below) so the reason reaches the client.
                incoming = None;
                continue;
            }
            if queue.send(bytes).is_err() {
                break;
            }
        }
    });
    pipeline::answer(hub.clone(), conn, queue).await;
    hub.disconnect(conn);
    let _ = writer.await;
    // A socket closed with data it has not read is reset, and the client
    // may lose what was sent last (why it was cut off). So the reader goes
    // on until the client answers the close, for a moment at most.
    if tokio::time::timeout(CLOSING, &mut reader).await.is_err() {
        reader.abort();
    }
}
