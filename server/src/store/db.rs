//! The database: one sqlx pool over SQLite (one file, one server) or
//! PostgreSQL (several server instances, `DATABASE_URL`). Statements are
//! written once, with `$1` parameters and SQL both understand; the few that
//! differ ask [`Db::backend`]. Each backend has its own migrations
//! (`server/migrations/`), and a test checks that the two schemas agree.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::any::AnyArguments;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::postgres::PgListener;
use sqlx::{Any, AnyPool, AssertSqlSafe, Connection, Executor, Transaction};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::ServerError;

/// The database file inside the data directory.
pub const DB_FILE: &str = "directline.sqlite3";

pub static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
pub static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Connections per server instance on PostgreSQL; a statement waits for a
/// free one.
const POSTGRES_POOL: u32 = 16;
/// SQLite connections: readers run side by side (WAL); writers take turns
/// (`BEGIN IMMEDIATE`). One per core and one more, so that a reader runs
/// while the writer waits for its fsync. Each connection is a thread with
/// its own page and statement caches: eight on two cores cost 4–5 MB more
/// under the reference load than three, for no more throughput (BENCH.md,
/// step 11, session 18).
fn sqlite_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    u32::try_from(cores + 1).unwrap_or(u32::MAX).max(3)
}

/// Every SQLite connection: WAL, so readers never block the writer; FULL,
/// so a committed transaction is on disk and a change the server has
/// acknowledged survives a crash of the process or of the machine.
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                              PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub type Tx = Transaction<'static, Any>;

/// A statement of the pool, before it runs.
pub type AnyQuery<'q> = sqlx::query::Query<'q, Any, AnyArguments>;

/// Rows one statement writes at most. Each row count up to it is a
/// statement of its own in every connection's statement cache; eight
/// keeps those few and small. (500 rows a statement used as much CPU in
/// the reference bench, and 10 MB more memory.)
const ROWS_PER_STATEMENT: usize = 8;

/// Inserts `rows`, `columns` values each (`bind` binds one row's), with
/// one statement per [`ROWS_PER_STATEMENT`]: `insert` is the statement up
/// to its `VALUES`, `tail` what follows them (an `ON CONFLICT` clause).
/// One statement for many rows is one round trip to the database. Both
/// texts are `'static`, written in the code: what is formatted into the
/// SQL is them and numbered placeholders, never a value.
pub async fn insert_rows<'q, T>(
    tx: &mut Tx,
    insert: &'static str,
    tail: &'static str,
    columns: usize,
    rows: &'q [T],
    bind: impl Fn(AnyQuery<'q>, &'q T) -> AnyQuery<'q>,
) -> Result<(), ServerError> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let values: Vec<String> =
            (0..chunk.len()).map(|row| format!("({})", params(row * columns + 1, columns))).collect();
        let sql = format!("{insert} VALUES {} {tail}", values.join(", "));
        let query = chunk.iter().fold(sqlx::query(AssertSqlSafe(sql)), &bind);
        query.execute(&mut **tx).await?;
    }
    Ok(())
}

/// `count` numbered parameters from `$first`, comma-separated: the one
/// way of writing them that both databases take.
fn params(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

pub struct Db {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
    url: String,
    /// The `NOTIFY` channel of this schema (tests give each its own).
    channel: String,
    /// Whether the listener was started (one per store).
    listening: AtomicBool,
}

impl Db {
    /// Opens the PostgreSQL database `url` names, or without one the SQLite
    /// file in `dir` (created if needed), brought up to the newest schema.
    pub async fn open(url: Option<&str>, dir: &Path) -> Result<Db, ServerError> {
        install_default_drivers();
        let (url, backend, pool) = match url {
            Some(url) if !url.is_empty() => {
                let pool = AnyPoolOptions::new().max_connections(POSTGRES_POOL).connect(url).await.map_err(|e| {
                    ServerError::Database(format!("无法连接 DATABASE_URL / cannot connect to DATABASE_URL: {e}"))
                })?;
                (url.to_string(), Backend::Postgres, pool)
            }
            _ => {
                std::fs::create_dir_all(dir)?;
                let path = dir.join(DB_FILE);
                let path =
                    path.to_str().ok_or_else(|| ServerError::Database("路径须为 UTF-8 / path must be UTF-8".into()))?;
                let url = format!("sqlite://{path}?mode=rwc");
                let pool = AnyPoolOptions::new()
                    .max_connections(sqlite_pool_size())
                    .after_connect(|conn, _| Box::pin(async move { conn.execute(SQLITE_PRAGMAS).await.map(drop) }))
                    .connect(&url)
                    .await?;
                (url, Backend::Sqlite, pool)
            }
        };
        let mut db = Db { pool, backend, url, channel: String::new(), listening: AtomicBool::new(false) };
        db.migrate().await?;
        if backend == Backend::Postgres {
            let schema: String = sqlx::query_scalar("SELECT current_schema()::text").fetch_one(&db.pool).await?;
            db.channel = format!("directline_{schema}");
        }
        Ok(db)
    }

    /// A transaction that will write: on SQLite it takes the write lock at
    /// once, so two writers wait for each other instead of failing.
    pub async fn write(&self) -> Result<Tx, ServerError> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// A transaction that only reads: one consistent view of several tables.
    pub async fn read(&self) -> Result<Tx, ServerError> {
        Ok(self.pool.begin().await?)
    }

    /// Locks the row of `case_id` (if it exists) until the transaction
    /// ends, so that two instances change one case in turn (SQLite's write
    /// transactions already take turns).
    pub async fn lock_case(&self, tx: &mut Tx, case_id: &str) -> Result<(), ServerError> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT 1 FROM cases WHERE id = $1 FOR UPDATE").bind(case_id).execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// The stored heads of those of `ids` (sorted) that exist, by id; on
    /// PostgreSQL their rows stay locked until the transaction ends, taken
    /// in id order as every instance takes them, so that two batches never
    /// wait for each other's locks in a circle.
    pub async fn lock_cases(&self, tx: &mut Tx, ids: &[&str]) -> Result<HashMap<String, String>, ServerError> {
        let lock = if self.backend == Backend::Postgres { "FOR UPDATE" } else { "" };
        let mut heads = HashMap::new();
        for chunk in ids.chunks(ROWS_PER_STATEMENT) {
            let sql =
                format!("SELECT id, heads FROM cases WHERE id IN ({}) ORDER BY id {lock}", params(1, chunk.len()));
            let query = chunk.iter().fold(sqlx::query_as(AssertSqlSafe(sql)), |q, id| q.bind(*id));
            let rows: Vec<(String, String)> = query.fetch_all(&mut **tx).await?;
            heads.extend(rows);
        }
        Ok(heads)
    }

    /// Tells the other server instances, when `tx` commits, that `payload`
    /// happened (nobody to tell on SQLite).
    pub async fn notify(&self, tx: &mut Tx, payload: &str) -> Result<(), ServerError> {
        if self.backend == Backend::Postgres {
            // `::text`: the pool speaks sqlx's Any, which has no `void`.
            sqlx::query("SELECT pg_notify($1, $2)::text").bind(&self.channel).bind(payload).execute(&mut **tx).await?;
        }
        Ok(())
    }

    /// What other instances announced through [`Db::notify`]; `None` on
    /// SQLite and after the first call. The word `*` means "anything may
    /// have changed" (sent after the listener (re)connects).
    pub fn listen(&self) -> Option<UnboundedReceiver<String>> {
        if self.backend != Backend::Postgres || self.listening.swap(true, Ordering::SeqCst) {
            return None;
        }
        let (tx, rx) = unbounded_channel();
        tokio::spawn(listen(self.url.clone(), self.channel.clone(), tx));
        Some(rx)
    }

    async fn migrate(&self) -> Result<(), ServerError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        if let Some(done) = self.steps_before_sqlx().await? {
            migrator.skip(&self.pool, Some(done)).await?;
        }
        migrator.run(&self.pool).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::VersionMissing(v) => ServerError::Database(format!(
                "数据库版本 {v} 比本服务器新 / the database's schema {v} is newer than this server"
            )),
            e => e.into(),
        })
    }

    /// Databases made before sqlx counted their schema steps themselves
    /// (SQLite in `user_version`, PostgreSQL in `schema_version`); the
    /// migrations are those steps, one file each, so that many are done.
    async fn steps_before_sqlx(&self) -> Result<Option<i64>, ServerError> {
        if self.has_table("_sqlx_migrations").await? {
            return Ok(None);
        }
        let steps: Option<i64> = match self.backend {
            Backend::Sqlite => sqlx::query_scalar("PRAGMA user_version").fetch_optional(&self.pool).await?,
            Backend::Postgres if self.has_table("schema_version").await? => {
                sqlx::query_scalar("SELECT version FROM schema_version").fetch_optional(&self.pool).await?
            }
            Backend::Postgres => None,
        };
        Ok(steps.filter(|n| *n > 0))
    }

    async fn has_table(&self, name: &str) -> Result<bool, ServerError> {
        let query = match self.backend {
            Backend::Sqlite => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
            Backend::Postgres => {
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1"
            }
        };
        let n: i64 = sqlx::query_scalar(query).bind(name).fetch_one(&self.pool).await?;
        Ok(n > 0)
    }
}

/// Keeps a `LISTEN` connection open, reconnecting after a failure; after
/// each (re)connect it sends `*`, since notifications may have been missed.
async fn listen(url: String, channel: String, subscriber: UnboundedSender<String>) {
    loop {
        if let Err(e) = listen_once(&url, &channel, &subscriber).await {
            tracing::warn!(error = %e, "PostgreSQL listener lost; reconnecting");
        }
        if subscriber.is_closed() {
            return;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Forwards notifications until the connection is lost (an error, or
/// `Ok` after a clean close) or nobody listens any more (`Ok`).
async fn listen_once(url: &str, channel: &str, subscriber: &UnboundedSender<String>) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(channel).await?;
    if subscriber.send("*".into()).is_err() {
        return Ok(());
    }
    loop {
        let next = tokio::select! {
            next = listener.try_recv() => next?,
            () = subscriber.closed() => return Ok(()),
        };
        // `None`: the connection closed; connect again (and send `*`).
        let Some(notification) = next else { return Ok(()) };
        if subscriber.send(notification.payload().to_string()).is_err() {
            return Ok(());
        }
    }
}

/// Makes a new, empty schema in the database `url` names and returns the
/// URL that uses it: tests and benchmarks each get a database of their own
/// in one PostgreSQL cluster.
pub async fn fresh_schema(url: &str) -> Result<String, ServerError> {
    install_default_drivers();
    let token = crate::security::auth::random_token()?;
    let name = format!("t_{}", &token[..16].to_lowercase());
    let mut conn = sqlx::AnyConnection::connect(url).await?;
    // The name is ours (letters and digits), not input.
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {name}"))).await?;
    conn.close().await?;
    let separator = if url.contains('?') { '&' } else { '?' };
    Ok(format!("{url}{separator}options=-c%20search_path%3D{name}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use domain::permission::{Role, User};
    use sqlx::sqlite::SqliteConnectOptions;

    /// A database as the server kept it before sqlx: the first eight steps,
    /// counted in `user_version`, departments as `,a,b,`.
    #[tokio::test]
    async fn a_database_from_before_sqlx_opens_and_keeps_its_cases() {
        let dir = tempfile::tempdir().unwrap();
        let options = SqliteConnectOptions::new().filename(dir.path().join(DB_FILE)).create_if_missing(true);
        let mut old = sqlx::SqliteConnection::connect_with(&options).await.unwrap();
        for step in SQLITE_MIGRATIONS.iter().take(8) {
            old.execute(step.sql.clone()).await.unwrap();
        }
        old.execute(
            "PRAGMA user_version = 8;
             INSERT INTO cases (id, district, enterprise_id, category, status, created_ms, doc, heads, departments)
             VALUES ('c1', 'boluo', 'ent-1', 'land', 'Routed', 0, x'', 'h1', ',natres,housing,');",
        )
        .await
        .unwrap();
        old.close().await.unwrap();

        let store = crate::store::Store::open(dir.path()).await.unwrap();
        let officer = |org: &str| User { id: "o".into(), role: Role::Officer, org: Some(org.into()), district: None };
        for org in ["natres", "housing"] {
            assert_eq!(store.readable_cases(&officer(org)).await.unwrap(), vec![("c1".into(), "h1".into())]);
        }
        assert!(store.readable_cases(&officer("ndrc")).await.unwrap().is_empty());
        // Opening again changes nothing.
        drop(store);
        assert_eq!(crate::store::Store::open(dir.path()).await.unwrap().case_count().await.unwrap(), 1);
    }
}
