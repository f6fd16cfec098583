//! Monthly progress notices as issued: one per case and month, the
//! letter's HTML kept exactly as it was sent.

use std::collections::HashSet;

use domain::label::Lang;

use super::Store;
use crate::ServerError;

impl Store {
    /// Archives a notice; `false` if the case already has one for `month`
    /// (issuing twice changes nothing).
    pub async fn put_notice(
        &self,
        case_id: &str,
        month: &str,
        issued_ms: i64,
        html: &str,
        html_en: &str,
    ) -> Result<bool, ServerError> {
        let added = sqlx::query(
            "INSERT INTO notices (case_id, month, issued_ms, html, html_en) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT DO NOTHING",
        )
        .bind(case_id)
        .bind(month)
        .bind(issued_ms)
        .bind(html)
        .bind(html_en)
        .execute(&self.db.pool)
        .await?;
        Ok(added.rows_affected() == 1)
    }

    /// The latest month any notice was issued for.
    pub async fn last_noticed_month(&self) -> Result<Option<String>, ServerError> {
        Ok(sqlx::query_scalar("SELECT MAX(month) FROM notices").fetch_one(&self.db.pool).await?)
    }

    /// The cases that have their notice for `month`.
    pub async fn noticed_cases(&self, month: &str) -> Result<HashSet<String>, ServerError> {
        let ids: Vec<String> = sqlx::query_scalar("SELECT case_id FROM notices WHERE month = $1")
            .bind(month)
            .fetch_all(&self.db.pool)
            .await?;
        Ok(ids.into_iter().collect())
    }

    /// A case's notices, newest month first: (month, issued_ms).
    pub async fn notices_of(&self, case_id: &str) -> Result<Vec<(String, i64)>, ServerError> {
        Ok(sqlx::query_as("SELECT month, issued_ms FROM notices WHERE case_id = $1 ORDER BY month DESC")
            .bind(case_id)
            .fetch_all(&self.db.pool)
            .await?)
    }

    /// A notice in `lang`; in Chinese if it was issued before letters
    /// were issued in English too.
    pub async fn notice(&self, case_id: &str, month: &str, lang: Lang) -> Result<Option<String>, ServerError> {
        let query = match lang {
            Lang::Zh => "SELECT html FROM notices WHERE case_id = $1 AND month = $2",
            Lang::En => "SELECT COALESCE(html_en, html) FROM notices WHERE case_id = $1 AND month = $2",
        };
        Ok(sqlx::query_scalar(query).bind(case_id).bind(month).fetch_optional(&self.db.pool).await?)
    }

    /// The letters issued for `month`, with whom each is for.
    pub async fn letters_of_month(&self, month: &str) -> Result<Vec<MonthLetter>, ServerError> {
        Ok(sqlx::query_as(
            "SELECT n.case_id, c.enterprise_id, c.number, n.html, COALESCE(n.html_en, n.html) AS html_en \
             FROM notices n JOIN cases c ON c.id = n.case_id WHERE n.month = $1 ORDER BY n.case_id",
        )
        .bind(month)
        .fetch_all(&self.db.pool)
        .await?)
    }
}

/// A letter of a month, as mailed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MonthLetter {
    pub case_id: String,
    pub enterprise_id: String,
    pub number: Option<String>,
    pub html: String,
    pub html_en: String,
}
