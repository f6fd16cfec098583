//! The tokens of the public progress pages: random, one per case, made
//! on first request so a link exists only once someone asked to share it.

use super::Store;
use crate::ServerError;

impl Store {
    /// The case's public token, made now if it has none (when two servers
    /// make one at once, the first stored wins).
    pub async fn public_token(&self, case_id: &str) -> Result<String, ServerError> {
        let fresh = crate::security::auth::random_token()?;
        let mut tx = self.db.write().await?;
        sqlx::query("INSERT INTO public_links (case_id, token) VALUES ($1, $2) ON CONFLICT (case_id) DO NOTHING")
            .bind(case_id)
            .bind(&fresh)
            .execute(&mut *tx)
            .await?;
        let token = sqlx::query_scalar("SELECT token FROM public_links WHERE case_id = $1")
            .bind(case_id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(token)
    }

    pub async fn case_of_token(&self, token: &str) -> Result<Option<String>, ServerError> {
        Ok(sqlx::query_scalar("SELECT case_id FROM public_links WHERE token = $1")
            .bind(token)
            .fetch_optional(&self.db.pool)
            .await?)
    }
}
