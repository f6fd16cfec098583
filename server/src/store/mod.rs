//! Persistence in one SQLite file (WAL). Every case is one Automerge
//! document; a few columns beside it let the server find cases by party
//! without loading documents.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

use crate::ServerError;

mod accounts;
pub use accounts::Account;

const MIGRATIONS: &[&str] = &[
    "
    CREATE TABLE cases (
        id            TEXT PRIMARY KEY,
        number        TEXT UNIQUE,
        district      TEXT NOT NULL,
        enterprise_id TEXT NOT NULL,
        category      TEXT NOT NULL,
        status        TEXT NOT NULL,
        created_ms    INTEGER NOT NULL,
        doc           BLOB NOT NULL
    );
    CREATE INDEX cases_by_district ON cases(district);
    CREATE INDEX cases_by_enterprise ON cases(enterprise_id);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
",
    "
    CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        login         TEXT NOT NULL UNIQUE,
        display_name  TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        role          TEXT NOT NULL,
        org           TEXT,
        district      TEXT
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        expires_ms INTEGER NOT NULL
    );
",
];

/// What the server keeps of a case beside its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub id: String,
    pub number: Option<String>,
    pub district: String,
    pub enterprise_id: String,
    pub category: String,
    pub status: String,
    pub created_ms: i64,
}

pub struct Store {
    conn: Mutex<Connection>,
}

impl Store {
    /// Opens (creating if needed) the database in `dir`.
    pub fn open(dir: &Path) -> Result<Store, ServerError> {
        std::fs::create_dir_all(dir)?;
        let conn = Connection::open(dir.join("directline.sqlite3"))?;
        // WAL: readers never block the writer; a committed transaction
        // survives the process being killed.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let store = Store { conn: Mutex::new(conn) };
        store.migrate()?;
        Ok(store)
    }

    pub(crate) fn conn(&self) -> Result<std::sync::MutexGuard<'_, Connection>, ServerError> {
        self.conn.lock().map_err(|_| ServerError::Poisoned)
    }

    fn migrate(&self) -> Result<(), ServerError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let version: usize = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Inserts or replaces a case and its document in one transaction.
    pub fn put_case(&self, row: &CaseRow, doc: &[u8]) -> Result<(), ServerError> {
        self.conn()?.execute(
            "INSERT INTO cases (id, number, district, enterprise_id, category, status, created_ms, doc)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(id) DO UPDATE SET number = excluded.number, status = excluded.status, doc = excluded.doc",
            params![row.id, row.number, row.district, row.enterprise_id, row.category, row.status, row.created_ms, doc],
        )?;
        Ok(())
    }

    pub fn case_doc(&self, id: &str) -> Result<Option<Vec<u8>>, ServerError> {
        Ok(self.conn()?.query_row("SELECT doc FROM cases WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    pub fn case_count(&self) -> Result<u64, ServerError> {
        Ok(self.conn()?.query_row("SELECT COUNT(*) FROM cases", [], |r| r.get(0))?)
    }

    /// Case counts by status, for health and statistics.
    pub fn count_by_status(&self) -> Result<Vec<(String, u64)>, ServerError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare("SELECT status, COUNT(*) FROM cases GROUP BY status ORDER BY status")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The next human case number of `year`, e.g. HZ-2026-000123. The counter
    /// moves in its own transaction, so a number is never handed out twice.
    pub fn next_case_number(&self, year: i32) -> Result<String, ServerError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let name = format!("case-number-{year}");
        tx.execute(
            "INSERT INTO counters (name, value) VALUES (?1, 1)
             ON CONFLICT(name) DO UPDATE SET value = value + 1",
            [&name],
        )?;
        let value: u32 = tx.query_row("SELECT value FROM counters WHERE name = ?1", [&name], |r| r.get(0))?;
        tx.commit()?;
        Ok(domain::case::case_number(year, value))
    }
}
