//! The tokens of the public progress pages: random, one per case, made
//! on first request so a link exists only once someone asked to share it.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::ServerError;

impl Store {
    /// The case's public token, made now if it has none.
    pub fn public_token(&self, case_id: &str) -> Result<String, ServerError> {
        let conn = self.conn()?;
        let found =
            conn.query_row("SELECT token FROM public_links WHERE case_id = ?1", [case_id], |r| r.get(0)).optional()?;
        if let Some(token) = found {
            return Ok(token);
        }
        let token = crate::auth::random_token()?;
        conn.execute("INSERT INTO public_links (case_id, token) VALUES (?1, ?2)", params![case_id, token])?;
        Ok(token)
    }

    pub fn case_of_token(&self, token: &str) -> Result<Option<String>, ServerError> {
        let conn = self.conn()?;
        Ok(conn.query_row("SELECT case_id FROM public_links WHERE token = ?1", [token], |r| r.get(0)).optional()?)
    }
}
