//! The order a socket's messages are answered in: one document's messages
//! one after the other, as they came; different documents side by side, up
//! to `SyncLimits::documents_at_once`. A device that reconnects with a thousand cases
//! edited offline has them checked on every core and written in a few
//! group commits, where one at a time each waited for a commit of its own.
//! A message for no document (`join`) waits for everything before it, and
//! everything after it waits for it.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use axum::body::Bytes;
use domain::sync::wire::Message;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinSet;

use super::Hub;
use super::live::ConnId;
use crate::ServerError;

/// What one answered message left: its document, and how it went.
type Answered = (String, Result<(), ServerError>);

/// Answers the messages of `conn` arriving on `queue` until the socket
/// closes or an answer fails; messages already being answered are
/// finished, not dropped half-way.
pub async fn answer(hub: Arc<Hub>, conn: ConnId, mut queue: UnboundedReceiver<Bytes>) {
    let at_once = hub.limits().documents_at_once.max(1);
    let mut lanes = Lanes { hub, conn, running: JoinSet::new(), waiting: HashMap::new() };
    loop {
        // Reads on while fewer than the most documents are being answered.
        let arrived = tokio::select! {
            arrived = queue.recv(), if lanes.running.len() < at_once => arrived,
            Some(answered) = lanes.running.join_next() => {
                if lanes.next_after(answered).is_err() {
                    break;
                }
                continue;
            }
        };
        let Some(bytes) = arrived else { break };
        if !lanes.hub.is_open(conn) {
            break;
        }
        let Some(message) = lanes.hub.open(conn, &bytes) else { continue };
        // Alone (nothing being answered, nothing more waiting: a person's
        // edit), a message is answered here, as a socket's messages were
        // before: a task of its own only adds a hop to its latency.
        let alone = lanes.running.is_empty() && queue.is_empty();
        let answered = match message.document_id().map(str::to_string) {
            Some(_) if alone => lanes.answer_here(message).await,
            Some(id) => {
                lanes.start_or_queue(id, message);
                Ok(())
            }
            None => match lanes.finish_all().await {
                Ok(()) => lanes.answer_here(message).await,
                failed => failed,
            },
        };
        if answered.is_err() {
            break;
        }
    }
    // Nothing more is started; what runs finishes before the socket is
    // forgotten (its changes may be committing).
    while lanes.running.join_next().await.is_some() {}
}

struct Lanes {
    hub: Arc<Hub>,
    conn: ConnId,
    running: JoinSet<Answered>,
    /// Per document being answered, its messages that came meanwhile.
    waiting: HashMap<String, VecDeque<Message>>,
}

impl Lanes {
    fn start_or_queue(&mut self, id: String, message: Message) {
        match self.waiting.get_mut(&id) {
            Some(queued) => queued.push_back(message),
            None => {
                self.waiting.insert(id.clone(), VecDeque::new());
                self.start(id, message);
            }
        }
    }

    fn start(&mut self, id: String, message: Message) {
        let (hub, conn) = (self.hub.clone(), self.conn);
        self.running.spawn(async move {
            let result = hub.handle(conn, message).await;
            (id, result)
        });
    }

    /// After a message of a document was answered: the document's next, if
    /// one waits. An error if the answer failed (the socket closes).
    fn next_after(&mut self, answered: Result<Answered, tokio::task::JoinError>) -> Result<(), ()> {
        let (id, result) = answered.map_err(|e| tracing::error!(error = %e, "answering a sync message failed"))?;
        if let Err(e) = result {
            tracing::warn!(error = %e, "sync connection closed");
            return Err(());
        }
        match self.waiting.get_mut(&id).and_then(VecDeque::pop_front) {
            Some(next) => self.start(id, next),
            None => {
                self.waiting.remove(&id);
            }
        }
        Ok(())
    }

    /// Answers `message` in the socket's own task; an error if that failed
    /// (the socket closes).
    async fn answer_here(&self, message: Message) -> Result<(), ()> {
        self.hub.handle(self.conn, message).await.map_err(|e| tracing::warn!(error = %e, "sync connection closed"))
    }

    /// Waits until every document's messages so far are answered.
    async fn finish_all(&mut self) -> Result<(), ()> {
        while let Some(answered) = self.running.join_next().await {
            self.next_after(answered)?;
        }
        Ok(())
    }
}
