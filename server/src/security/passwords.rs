//! Password hashing (argon2id) on a few threads of its own.
//!
//! Each argon2 check takes 19 MiB and tens of milliseconds of CPU. Run on
//! the shared blocking pool, every one of its many threads got its own
//! allocator arena and kept a few of those 19 MiB blocks: 100 sign-ins at
//! once left the server at 1.7 GB. Here a fixed number of workers do all
//! hashing, so the memory is bounded by the workers, and a burst of
//! sign-ins waits in a bounded queue instead of taking every core from
//! sync; beyond the queue the answer is "busy, try again".

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::ServerError;

/// Hashing jobs waiting beyond this many are refused as busy.
const QUEUE: usize = 256;

type Job = Box<dyn FnOnce() + Send>;

pub struct Passwords {
    jobs: SyncSender<Job>,
}

impl Passwords {
    /// Starts `workers` hashing threads (at least one).
    pub fn start(workers: usize) -> Result<Passwords, ServerError> {
        let (jobs, queue) = sync_channel::<Job>(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..workers.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new().name(format!("passwords-{n}")).spawn(move || work(&queue))?;
        }
        Ok(Passwords { jobs })
    }

    /// Workers for this machine: half its cores, so sync keeps the rest.
    pub fn for_this_machine() -> Result<Passwords, ServerError> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Passwords::start(cores / 2)
    }

    /// The argon2id PHC string of `password`, with a fresh salt.
    pub async fn hash(&self, password: String) -> Result<String, ServerError> {
        self.run(move || hash_password(&password)).await?
    }

    /// Whether `password` matches the stored `hash`.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, ServerError> {
        self.run(move || password_matches(&password, &hash)).await
    }

    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, ServerError> {
        self.submit(work)?.await.map_err(|_| ServerError::Poisoned)
    }

    /// Queues `work` now; busy if the queue is full.
    fn submit<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<tokio::sync::oneshot::Receiver<T>, ServerError> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            // The asker may have gone away (request dropped): nothing to tell.
            let _ = done.send(work());
        });
        match self.jobs.try_send(job) {
            Ok(()) => Ok(result),
            Err(TrySendError::Full(_)) => Err(ServerError::Overloaded),
            Err(TrySendError::Disconnected(_)) => Err(ServerError::Poisoned),
        }
    }
}

fn work(queue: &Mutex<Receiver<Job>>) {
    loop {
        // The lock is held only to take the next job, not to run it.
        let next = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match next {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

/// Hashes on the calling thread (start-up work such as demo accounts).
pub fn hash_password(password: &str) -> Result<String, ServerError> {
    let salt = SaltString::encode_b64(&crate::security::auth::random_bytes::<16>()?)
        .map_err(|e| ServerError::Crypto(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServerError::Crypto(e.to_string()))
}

fn password_matches(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_a_full_queue_is_busy() {
        let passwords = Passwords::start(1).unwrap();
        let hash = passwords.hash("correct horse".into()).await.unwrap();
        assert!(passwords.verify("correct horse".into(), hash.clone()).await.unwrap());
        assert!(!passwords.verify("wrong horse".into(), hash.clone()).await.unwrap());
        assert!(!passwords.verify("correct horse".into(), "not a hash".into()).await.unwrap());

        // The one worker held up: the queue fills, then the next job is refused.
        let (started, running) = std::sync::mpsc::channel::<()>();
        let (release, held) = std::sync::mpsc::channel::<()>();
        let blocker = passwords.submit(move || {
            started.send(()).ok();
            held.recv().ok()
        });
        running.recv().unwrap();
        let queued: Vec<_> = (0..QUEUE).map(|_| passwords.submit(|| ()).unwrap()).collect();
        assert!(matches!(passwords.submit(|| ()), Err(ServerError::Overloaded)), "beyond the queue: busy");
        release.send(()).unwrap();
        assert!(blocker.unwrap().await.is_ok());
        for job in queued {
            assert!(job.await.is_ok(), "every queued job runs");
        }
    }
}
