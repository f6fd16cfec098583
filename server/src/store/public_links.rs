//! The tokens of the public progress pages: random, one per case, made
//! on first request so a link exists only once someone asked to share it.

use super::Store;
use super::db::params;
use crate::ServerError;

impl Store {
    /// The case's public token, made now if it has none (when two servers
    /// make one at once, the first stored wins).
    pub fn public_token(&self, case_id: &str) -> Result<String, ServerError> {
        let fresh = crate::security::auth::random_token()?;
        let token = self.tx(|sql| {
            sql.execute(
                "INSERT INTO public_links (case_id, token) VALUES (?1, ?2) ON CONFLICT (case_id) DO NOTHING",
                params![case_id, &fresh],
            )?;
            sql.query_one("SELECT token FROM public_links WHERE case_id = ?1", params![case_id])?
                .map(|r| r.text(0))
                .transpose()
        })?;
        token.ok_or(ServerError::Poisoned)
    }

    pub fn case_of_token(&self, token: &str) -> Result<Option<String>, ServerError> {
        self.tx(|sql| {
            sql.query_one("SELECT case_id FROM public_links WHERE token = ?1", params![token])?
                .map(|r| r.text(0))
                .transpose()
        })
    }
}
