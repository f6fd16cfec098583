//! The schema as the database reports it, in terms both databases share:
//! the migrations are written twice (one folder per backend), and a test
//! compares the two descriptions.

use std::collections::BTreeSet;

use super::Store;
use super::db::Backend;
use crate::ServerError;

/// Tables with their columns, indexes and triggers, by name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schema {
    /// (table, column, kind, nullable); kind is `integer`, `text` or `bytes`.
    pub columns: BTreeSet<(String, String, String, bool)>,
    /// Indexes created by name (not those behind keys and UNIQUE).
    pub indexes: BTreeSet<String>,
    pub triggers: BTreeSet<String>,
}

/// sqlx's own bookkeeping and the step counter of before sqlx, not ours.
const NOT_OURS: [&str; 2] = ["_sqlx_migrations", "schema_version"];

/// Per database: its columns (table, column, type, nullable as 0 or 1),
/// the indexes made by name, the triggers.
const SQLITE: [&str; 3] = [
    "SELECT m.name, c.name, c.type, (c.\"notnull\" = 0 AND c.pk = 0)
     FROM sqlite_master m JOIN pragma_table_info(m.name) c
     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
    "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex_%'",
    "SELECT name FROM sqlite_master WHERE type = 'trigger'",
];
const POSTGRES: [&str; 3] = [
    "SELECT table_name::text, column_name::text, data_type::text, CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END
     FROM information_schema.columns WHERE table_schema = current_schema()",
    "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema()
     AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'",
    "SELECT t.tgname::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT t.tgisinternal",
];

impl Store {
    pub async fn schema(&self) -> Result<Schema, ServerError> {
        let pool = &self.db.pool;
        let [columns, indexes, triggers] = match self.db.backend {
            Backend::Sqlite => SQLITE,
            Backend::Postgres => POSTGRES,
        };
        let columns: Vec<(String, String, String, i64)> = sqlx::query_as(columns).fetch_all(pool).await?;
        Ok(Schema {
            columns: columns
                .into_iter()
                .filter(|(table, ..)| !NOT_OURS.contains(&table.as_str()))
                .map(|(table, column, kind, nullable)| (table, column, kind_of(&kind).to_string(), nullable != 0))
                .collect(),
            indexes: sqlx::query_scalar(indexes).fetch_all(pool).await?.into_iter().collect(),
            triggers: sqlx::query_scalar(triggers).fetch_all(pool).await?.into_iter().collect(),
        })
    }
}

/// A column type in the words both databases share.
fn kind_of(declared: &str) -> &str {
    match declared.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer",
        "text" => "text",
        "blob" | "bytea" => "bytes",
        _ => declared,
    }
}
