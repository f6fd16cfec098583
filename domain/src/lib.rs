//! Direct Line's pure model: the case schema, events, derived status,
//! deadlines, roles and permissions, and validation.
//!
//! Nothing here does IO or reads a clock: callers pass `today` and the
//! current time in. The crate builds for native (server) and wasm32 (app).

pub mod account;
pub mod calendar;
pub mod case;
pub mod contract;
pub mod deadline;
pub mod device_time;
pub mod directory;
pub mod doc;
mod error;
pub mod event;
pub mod file_budget;
pub mod label;
pub mod meeting;
pub mod notice;
pub mod permission;
pub mod policy;
pub mod public;
pub mod reach;
pub mod report;
pub mod roster;
pub mod stats;
pub mod status;
pub mod summary;
pub mod sync;
pub mod time;
pub mod uscc;
pub mod work;

pub use error::DomainError;
pub use label::{Label, Lang};
