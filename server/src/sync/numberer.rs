//! Numbers for new cases, handed out in batches: every new case that asks
//! while the previous batch is being written gets its number from the next
//! transaction, with the others (one write to disk for all), in the order
//! they asked. A device that brings a thousand cases filed offline waits
//! for a few writes, not a thousand.

use std::collections::BTreeMap;
use std::sync::Arc;

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio::sync::oneshot;

use crate::ServerError;
use crate::store::Store;

/// At most this many numbers from one transaction.
const MOST_PER_BATCH: usize = 256;

type Reply = oneshot::Sender<Result<String, ServerError>>;

pub struct Numberer {
    queue: UnboundedSender<(i32, Reply)>,
}

impl Numberer {
    /// Starts the numbering task; it ends when the numberer is dropped.
    pub fn start(store: Arc<Store>) -> Numberer {
        let (queue, waiting) = unbounded_channel();
        tokio::spawn(async move { number_all(&store, waiting).await });
        Numberer { queue }
    }

    /// The next case number of `year`, e.g. HZ-2026-000123, once its
    /// counter is written.
    pub async fn next(&self, year: i32) -> Result<String, ServerError> {
        let (reply, number) = oneshot::channel();
        self.queue.send((year, reply)).map_err(|_| ServerError::Poisoned)?;
        number.await.map_err(|_| ServerError::Poisoned)?
    }
}

async fn number_all(store: &Store, mut waiting: UnboundedReceiver<(i32, Reply)>) {
    while let Some(first) = waiting.recv().await {
        // By year: a batch on new year's eve may hold two.
        let mut by_year: BTreeMap<i32, Vec<Reply>> = BTreeMap::new();
        by_year.entry(first.0).or_default().push(first.1);
        for _ in 1..MOST_PER_BATCH {
            let Ok((year, reply)) = waiting.try_recv() else { break };
            by_year.entry(year).or_default().push(reply);
        }
        for (year, replies) in by_year {
            let count = u32::try_from(replies.len()).unwrap_or(u32::MAX);
            match store.next_case_numbers(year, count).await {
                Ok(numbers) => {
                    for (reply, number) in replies.into_iter().zip(numbers) {
                        let _ = reply.send(Ok(number));
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "numbering new cases failed");
                    for reply in replies {
                        let _ = reply.send(Err(ServerError::Database(e.to_string())));
                    }
                }
            }
        }
    }
}
