//! Direct Line's server: serves the built app, relays and stores case
//! documents (SQLite), and is the trust boundary for every change.

pub mod config;
pub mod demo;
mod error;
mod routes;
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;

pub use error::ServerError;
pub use routes::router;
use store::Store;

/// Everything a request handler may need.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<Store>,
    /// The built PWA (Trunk's `dist/`).
    pub dist: PathBuf,
}
