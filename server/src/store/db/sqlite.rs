//! SQLite: one file in the data directory (WAL), for a single server.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::Connection;
use rusqlite::types::{ToSqlOutput, ValueRef};

use super::{Database, Dialect, Row, Sql, Value};
use crate::ServerError;

/// The database file inside the data directory.
pub const DB_FILE: &str = "directline.sqlite3";

pub const SQLITE_MIGRATIONS: &[&str] = &[
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
    // Sync: changes are appended as they arrive and folded into `doc` (the
    // snapshot) by compaction; `heads` and `departments` let a connecting
    // client be served without loading documents.
    "
    ALTER TABLE cases ADD COLUMN heads TEXT NOT NULL DEFAULT '';
    ALTER TABLE cases ADD COLUMN departments TEXT NOT NULL DEFAULT '';
    CREATE TABLE changes (
        seq     INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        bytes   BLOB NOT NULL
    );
    CREATE INDEX changes_by_case ON changes(case_id, seq);
    CREATE TABLE sync_states (
        peer    TEXT NOT NULL,
        case_id TEXT NOT NULL,
        state   BLOB NOT NULL,
        PRIMARY KEY (peer, case_id)
    ) WITHOUT ROWID;
    CREATE TABLE refusals (
        seq     INTEGER PRIMARY KEY,
        case_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        at_ms   INTEGER NOT NULL,
        reason  TEXT NOT NULL
    );
",
    // Attachments: content-addressed files, and which cases name them (who
    // may download one follows from who may read those cases).
    "
    CREATE TABLE blobs (
        sha256     TEXT PRIMARY KEY,
        mime       TEXT NOT NULL,
        bytes      BLOB NOT NULL,
        uploader   TEXT NOT NULL,
        created_ms INTEGER NOT NULL
    );
    CREATE TABLE blob_refs (
        sha256  TEXT NOT NULL,
        case_id TEXT NOT NULL,
        PRIMARY KEY (sha256, case_id)
    ) WITHOUT ROWID;
",
    // Registered enterprises: their profile (JSON), one account per credit code.
    "
    ALTER TABLE users ADD COLUMN profile TEXT;
    CREATE UNIQUE INDEX users_enterprise ON users (org) WHERE role = 'enterprise';
",
    // The unguessable token of each case's public progress page.
    "
    CREATE TABLE public_links (
        case_id TEXT PRIMARY KEY,
        token   TEXT NOT NULL UNIQUE
    ) WITHOUT ROWID;
",
    // Monthly progress notices as issued: the letter's HTML, kept as sent.
    "
    CREATE TABLE notices (
        case_id   TEXT NOT NULL,
        month     TEXT NOT NULL,
        issued_ms INTEGER NOT NULL,
        html      TEXT NOT NULL,
        PRIMARY KEY (case_id, month)
    ) WITHOUT ROWID;
",
    // The audit log: append-only, enforced by the database itself.
    "
    CREATE TABLE audit (
        seq     INTEGER PRIMARY KEY AUTOINCREMENT,
        at_ms   INTEGER NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        case_id TEXT,
        detail  TEXT NOT NULL
    );
    CREATE INDEX audit_by_case ON audit (case_id);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
",
];

pub struct Sqlite {
    conn: Mutex<Connection>,
}

impl Sqlite {
    /// Opens (creating if needed) the database in `dir`, brought up to
    /// the newest schema.
    pub fn open(dir: &Path) -> Result<Sqlite, ServerError> {
        std::fs::create_dir_all(dir)?;
        let conn = Connection::open(dir.join(DB_FILE))?;
        // WAL: readers never block the writer. FULL: a committed
        // transaction is on disk, so a change the server has acknowledged
        // survives a crash of the process or of the machine.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let db = Sqlite { conn: Mutex::new(conn) };
        db.migrate()?;
        Ok(db)
    }

    fn conn(&self) -> Result<std::sync::MutexGuard<'_, Connection>, ServerError> {
        self.conn.lock().map_err(|_| ServerError::Poisoned)
    }

    fn migrate(&self) -> Result<(), ServerError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        let version: usize = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        for (i, sql) in SQLITE_MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", i + 1)?;
        }
        tx.commit()?;
        Ok(())
    }
}

impl Database for Sqlite {
    fn transaction(&self, work: &mut dyn FnMut(&mut dyn Sql) -> Result<(), ServerError>) -> Result<(), ServerError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        work(&mut Tx(&tx))?;
        tx.commit()?;
        Ok(())
    }

    fn listen(&self) -> Option<tokio::sync::mpsc::UnboundedReceiver<String>> {
        None
    }

    fn backup_to(&self, to: &Path) -> Result<(), ServerError> {
        let target = to.to_str().ok_or_else(|| ServerError::Backup("路径须为 UTF-8 / path must be UTF-8".into()))?;
        self.conn()?.execute("VACUUM INTO ?1", [target])?;
        Ok(())
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
}

struct Tx<'a>(&'a rusqlite::Transaction<'a>);

impl Sql for Tx<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, ServerError> {
        let changed = self.0.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params))?;
        Ok(changed as u64)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, ServerError> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let width = stmt.column_count();
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            (0..width).map(|i| Ok(value_of(r.get_ref(i)?))).collect::<rusqlite::Result<Vec<_>>>().map(Row)
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn batch(&mut self, sql: &str) -> Result<(), ServerError> {
        Ok(self.0.execute_batch(sql)?)
    }

    fn notify(&mut self, _payload: &str) -> Result<(), ServerError> {
        // One server per SQLite file: nobody else to tell.
        Ok(())
    }

    fn lock_case(&mut self, _case_id: &str) -> Result<(), ServerError> {
        // The one connection is behind a mutex: transactions already take turns.
        Ok(())
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
}

fn value_of(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        // No column of ours holds a float; kept readable all the same.
        ValueRef::Real(f) => Value::Text(f.to_string()),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}
