//! The storage trait: what the store needs of a SQL database, so the same
//! queries run on SQLite (one file, one server) and on PostgreSQL (several
//! server instances). Statements are written once, with `?1`-style
//! parameters and SQL both databases understand; each backend adapts the
//! little that differs (placeholders, its own schema).

mod postgres;
mod sqlite;

use std::path::Path;

use tokio::sync::mpsc::UnboundedReceiver;

pub use self::postgres::{Postgres, fresh_schema};
pub use self::sqlite::{DB_FILE, SQLITE_MIGRATIONS, Sqlite};
use crate::ServerError;

/// A parameter or a column value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Blob(v.to_vec())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// Parameters for a statement: `params![a, b]`.
macro_rules! params {
    ($($value:expr),* $(,)?) => { &[$($crate::store::db::Value::from($value)),*] };
}
pub(crate) use params;

/// One result row.
#[derive(Debug, Clone)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn value(&self, i: usize) -> Result<&Value, ServerError> {
        self.0.get(i).ok_or_else(|| ServerError::Database(format!("no column {i}")))
    }

    fn mismatch(&self, i: usize, want: &str) -> ServerError {
        ServerError::Database(format!("column {i}: expected {want}, found {:?}", self.0.get(i)))
    }

    pub fn int(&self, i: usize) -> Result<i64, ServerError> {
        match self.value(i)? {
            Value::Int(v) => Ok(*v),
            _ => Err(self.mismatch(i, "an integer")),
        }
    }

    pub fn text(&self, i: usize) -> Result<String, ServerError> {
        self.opt_text(i)?.ok_or_else(|| self.mismatch(i, "text"))
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>, ServerError> {
        match self.value(i)? {
            Value::Text(v) => Ok(Some(v.clone())),
            Value::Null => Ok(None),
            _ => Err(self.mismatch(i, "text")),
        }
    }

    pub fn blob(&self, i: usize) -> Result<Vec<u8>, ServerError> {
        match self.value(i)? {
            Value::Blob(v) => Ok(v.clone()),
            _ => Err(self.mismatch(i, "bytes")),
        }
    }
}

/// Statements inside one transaction.
pub trait Sql {
    /// Runs a statement; the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, ServerError>;
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, ServerError>;
    /// Runs several statements without parameters (schema changes).
    fn batch(&mut self, sql: &str) -> Result<(), ServerError>;
    /// Tells the other server instances, when this transaction commits,
    /// that `payload` happened (nothing to do with one instance).
    fn notify(&mut self, payload: &str) -> Result<(), ServerError>;
    /// Locks the row of `case_id` (if it exists) until the transaction
    /// ends, so that two instances change one case in turn.
    fn lock_case(&mut self, case_id: &str) -> Result<(), ServerError>;
    fn dialect(&self) -> Dialect;

    fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>, ServerError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A database the store can use.
pub trait Database: Send + Sync {
    /// Runs `work` in one transaction: committed if it returns `Ok`,
    /// rolled back otherwise.
    fn transaction(&self, work: &mut dyn FnMut(&mut dyn Sql) -> Result<(), ServerError>) -> Result<(), ServerError>;
    /// What other instances announced through [`Sql::notify`]; `None` for
    /// a database only one instance uses. The word `*` means "anything may
    /// have changed" (sent after the listener reconnects).
    fn listen(&self) -> Option<UnboundedReceiver<String>>;
    /// Writes a consistent copy of the database to the file `to`.
    fn backup_to(&self, to: &Path) -> Result<(), ServerError>;
    fn dialect(&self) -> Dialect;
}

/// Opens the database `url` names (`postgres://…`), or without one the
/// SQLite file in `dir`.
pub fn open(url: Option<&str>, dir: &Path) -> Result<Box<dyn Database>, ServerError> {
    match url {
        Some(url) if !url.is_empty() => Ok(Box::new(Postgres::connect(url)?)),
        _ => Ok(Box::new(Sqlite::open(dir)?)),
    }
}

/// Rewrites `?1` placeholders as PostgreSQL's `$1` (our statements have no
/// `?` inside string literals).
pub fn dollar_placeholders(sql: &str) -> String {
    sql.replace('?', "$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars() {
        assert_eq!(
            dollar_placeholders("SELECT a FROM t WHERE b = ?1 AND c = ?2"),
            "SELECT a FROM t WHERE b = $1 AND c = $2"
        );
    }
}
