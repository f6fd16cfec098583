//! Server-rendered pages: the public progress page, the supervision
//! board, statistics and ratings (public, no script), and the private
//! letters, common-issue report and audit log.

pub mod admin;
pub mod board;
pub mod charts;
pub mod common_issues;
pub mod lang;
pub mod layout;
pub mod letter;
pub mod letters;
pub mod lookup;
pub mod programme;
pub mod public;
pub mod ratings;
pub mod sessions;
pub mod stats;
