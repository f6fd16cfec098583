//! Who reads which cases, in SQL: `domain::permission::read_scope` says it
//! once, and this turns it into a condition on `cases`.

use domain::permission::{ReadScope, User, read_scope};

use super::Store;
use crate::ServerError;

impl Store {
    /// The cases `user` may read, by the columns (the caller confirms each
    /// with `domain::permission::may_read`), with their heads.
    pub async fn readable_cases(&self, user: &User) -> Result<Vec<(String, String)>, ServerError> {
        let Some((filter, key)) = scope_filter(read_scope(user), 1) else { return Ok(vec![]) };
        let sql = format!("SELECT id, heads FROM cases WHERE {filter}");
        // Built from the fixed fragments of `scope_filter` only.
        let query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        let query = match key {
            Some(key) => query.bind(key),
            None => query,
        };
        Ok(query.fetch_all(&self.db.pool).await?)
    }

    /// Whether `user` may read any case that names attachment `sha256`.
    pub async fn reads_case_naming(&self, user: &User, sha256: &str) -> Result<bool, ServerError> {
        let Some((filter, key)) = scope_filter(read_scope(user), 2) else { return Ok(false) };
        let sql = format!(
            "SELECT COUNT(*) FROM cases WHERE id IN (SELECT case_id FROM blob_refs WHERE sha256 = $1) AND {filter}"
        );
        // Built from the fixed fragments of `scope_filter` only.
        let query = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(sha256);
        let query = match key {
            Some(key) => query.bind(key),
            None => query,
        };
        let count: i64 = query.fetch_one(&self.db.pool).await?;
        Ok(count > 0)
    }
}

/// A read scope as an SQL condition on `cases`, its one parameter numbered
/// `param`, and that parameter; `None` for a scope that reads nothing.
fn scope_filter(scope: ReadScope<'_>, param: usize) -> Option<(String, Option<&str>)> {
    Some(match scope {
        ReadScope::Everything => ("TRUE".into(), None),
        ReadScope::Enterprise(id) => (format!("enterprise_id = ${param}"), Some(id)),
        ReadScope::Department(org) => {
            (format!("id IN (SELECT case_id FROM case_departments WHERE department = ${param})"), Some(org))
        }
        ReadScope::District(district) => (format!("district = ${param}"), Some(district)),
        ReadScope::Nothing => return None,
    })
}
