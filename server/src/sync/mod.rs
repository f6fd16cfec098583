//! The sync endpoint: a WebSocket speaking the automerge-repo protocol.
//! Every socket belongs to a signed-in user; the [`Hub`] decides what each
//! may read and which of its changes are accepted.

mod hub;
mod live;

use automerge::ActorId;
use axum::extract::State;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::http::HeaderMap;
use axum::response::Response;
use domain::permission::User;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::mpsc;

use crate::AppState;
use crate::auth::{SignedIn, session_digest};
pub use hub::Hub;

/// The server's peer id in the automerge-repo protocol.
pub const SERVER_PEER: &str = "directline-server";
/// Larger WebSocket messages are refused (a sync message of a few thousand
/// changes is far below this).
const MAX_MESSAGE_BYTES: usize = 16 * 1024 * 1024;

/// The actor the server writes under (case numbers).
pub fn server_actor() -> ActorId {
    domain::sync::actor_for(domain::sync::SERVER_USER, [0; 8])
}

/// `GET /api/sync`: upgrades a signed-in request (cross-site upgrades are
/// refused before this, by `guard::cross_site`).
pub async fn upgrade(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let hub = state.hub.clone();
    let session = session_digest(&headers);
    ws.max_message_size(MAX_MESSAGE_BYTES).on_upgrade(move |socket| serve(hub, account.user, session, socket))
}

async fn serve(hub: std::sync::Arc<Hub>, user: User, session: Option<String>, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let writer = tokio::spawn(async move {
        while let Some(bytes) = rx.recv().await {
            if sink.send(WsMessage::Binary(bytes.into())).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });
    let conn = hub.connect(user, session, tx);
    while let Some(Ok(message)) = stream.next().await {
        let bytes = match message {
            WsMessage::Binary(bytes) => bytes,
            WsMessage::Close(_) => break,
            _ => continue,
        };
        if let Err(e) = hub.receive(conn, &bytes).await {
            tracing::warn!(error = %e, "sync connection closed");
            break;
        }
    }
    hub.disconnect(conn).await;
    let _ = writer.await;
}
