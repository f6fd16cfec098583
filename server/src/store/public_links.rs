//! The public progress pages' tokens and query codes: random, one each per
//! case, made on first request (a party asks for the link, or a letter is
//! issued) so a page exists only once someone may need it.

use super::Store;
use crate::ServerError;

/// A case's public page: its token (the link) and its query code (查询码).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicLinkRow {
    pub token: String,
    pub code: String,
}

/// The letters of query codes: no 0/O or 1/I, so a code read off a
/// printed letter is typed right. 32 letters: 5 bits each, unbiased.
const CODE_LETTERS: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// How long a query code is: 40 bits, with lookups throttled.
pub const CODE_LENGTH: usize = 8;

fn fresh_code() -> Result<String, ServerError> {
    let bytes = crate::security::auth::random_bytes::<CODE_LENGTH>()?;
    Ok(bytes.iter().map(|b| char::from(CODE_LETTERS[usize::from(b % 32)])).collect())
}

/// A code as typed: upper case, without spaces or dashes.
pub fn normal_code(typed: &str) -> String {
    typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect()
}

impl Store {
    /// The case's public token and query code, made now if it has none
    /// (when two servers make one at once, the first stored wins).
    pub async fn public_link(&self, case_id: &str) -> Result<PublicLinkRow, ServerError> {
        let (token, code) = (crate::security::auth::random_token()?, fresh_code()?);
        let mut tx = self.db.write().await?;
        sqlx::query(
            "INSERT INTO public_links (case_id, token, code) VALUES ($1, $2, $3) ON CONFLICT (case_id) DO NOTHING",
        )
        .bind(case_id)
        .bind(&token)
        .bind(&code)
        .execute(&mut *tx)
        .await?;
        // Links made before query codes existed get theirs now.
        sqlx::query("UPDATE public_links SET code = $2 WHERE case_id = $1 AND code IS NULL")
            .bind(case_id)
            .bind(&code)
            .execute(&mut *tx)
            .await?;
        let link = sqlx::query_as("SELECT token, code FROM public_links WHERE case_id = $1")
            .bind(case_id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(link)
    }

    pub async fn case_of_token(&self, token: &str) -> Result<Option<String>, ServerError> {
        Ok(sqlx::query_scalar("SELECT case_id FROM public_links WHERE token = $1")
            .bind(token)
            .fetch_optional(&self.db.pool)
            .await?)
    }

    /// The public link of the case numbered `number`, if it has one.
    pub async fn public_link_of_number(&self, number: &str) -> Result<Option<PublicLinkRow>, ServerError> {
        Ok(sqlx::query_as(
            "SELECT l.token, l.code FROM cases c JOIN public_links l ON l.case_id = c.id \
             WHERE c.number = $1 AND l.code IS NOT NULL",
        )
        .bind(number)
        .fetch_optional(&self.db.pool)
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_only_unmistakable_letters_and_typing_is_forgiven() {
        let code = fresh_code().unwrap_or_default();
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(code.chars().all(|c| !"01OI".contains(c)), "{code}");
        assert_eq!(normal_code(" ab3d-ef9h "), "AB3DEF9H");
    }
}
