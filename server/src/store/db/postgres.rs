//! PostgreSQL, for several server instances sharing one database.
//!
//! The store's API is synchronous (callers run it off the async workers),
//! so this backend keeps a small runtime of its own on one thread: it
//! drives the connections' sockets, while each statement is awaited with a
//! plain executor on the caller's thread (the client only talks to its
//! connection task through channels). A listener connection turns other
//! instances' `NOTIFY`s into messages for the sync hub.

use std::collections::HashMap;
use std::error::Error;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use bytes::BytesMut;
use futures_executor::block_on;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use tokio_postgres::{AsyncMessage, Client, Config, NoTls, Statement};

use super::{Database, Dialect, Row, Sql, Value, dollar_placeholders};
use crate::ServerError;

/// Connections per server instance; a statement waits for a free one.
const POOL_SIZE: usize = 16;

/// The schema, as of the newest SQLite migration, in one step.
const POSTGRES_MIGRATIONS: &[&str] = &["
    CREATE TABLE cases (
        id            TEXT PRIMARY KEY,
        number        TEXT UNIQUE,
        district      TEXT NOT NULL,
        enterprise_id TEXT NOT NULL,
        category      TEXT NOT NULL,
        status        TEXT NOT NULL,
        created_ms    BIGINT NOT NULL,
        doc           BYTEA NOT NULL,
        heads         TEXT NOT NULL DEFAULT '',
        departments   TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX cases_by_district ON cases (district);
    CREATE INDEX cases_by_enterprise ON cases (enterprise_id);
    CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
    CREATE TABLE users (
        id            TEXT PRIMARY KEY,
        login         TEXT NOT NULL UNIQUE,
        display_name  TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        role          TEXT NOT NULL,
        org           TEXT,
        district      TEXT,
        profile       TEXT
    );
    CREATE UNIQUE INDEX users_enterprise ON users (org) WHERE role = 'enterprise';
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        expires_ms BIGINT NOT NULL
    );
    CREATE TABLE changes (
        seq     BIGSERIAL PRIMARY KEY,
        case_id TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
        bytes   BYTEA NOT NULL
    );
    CREATE INDEX changes_by_case ON changes (case_id, seq);
    CREATE TABLE sync_states (
        peer    TEXT NOT NULL,
        case_id TEXT NOT NULL,
        state   BYTEA NOT NULL,
        PRIMARY KEY (peer, case_id)
    );
    CREATE TABLE refusals (
        seq     BIGSERIAL PRIMARY KEY,
        case_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        at_ms   BIGINT NOT NULL,
        reason  TEXT NOT NULL
    );
    CREATE TABLE blobs (
        sha256     TEXT PRIMARY KEY,
        mime       TEXT NOT NULL,
        bytes      BYTEA NOT NULL,
        uploader   TEXT NOT NULL,
        created_ms BIGINT NOT NULL
    );
    CREATE TABLE blob_refs (sha256 TEXT NOT NULL, case_id TEXT NOT NULL, PRIMARY KEY (sha256, case_id));
    CREATE TABLE public_links (case_id TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE);
    CREATE TABLE notices (
        case_id   TEXT NOT NULL,
        month     TEXT NOT NULL,
        issued_ms BIGINT NOT NULL,
        html      TEXT NOT NULL,
        PRIMARY KEY (case_id, month)
    );
    CREATE TABLE audit (
        seq     BIGSERIAL PRIMARY KEY,
        at_ms   BIGINT NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        case_id TEXT,
        detail  TEXT NOT NULL
    );
    CREATE INDEX audit_by_case ON audit (case_id);
    CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
    CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION audit_append_only();
    CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
        FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
"];

struct Conn {
    client: Client,
    statements: HashMap<String, Statement>,
}

pub struct Postgres {
    config: Config,
    /// Drives every connection's socket; stops when the store is dropped.
    runtime: tokio::runtime::Handle,
    _stop: tokio::sync::oneshot::Sender<()>,
    idle: Mutex<Vec<Conn>>,
    /// Connections open (idle or lent out).
    open: Mutex<usize>,
    returned: Condvar,
    /// The `NOTIFY` channel of this schema (tests give each its own).
    channel: String,
    /// Whether the listener connection was started (one per store).
    listening: AtomicBool,
}

impl Postgres {
    pub fn connect(url: &str) -> Result<Postgres, ServerError> {
        let config: Config =
            url.parse().map_err(|e| ServerError::Database(format!("DATABASE_URL 无效 / invalid DATABASE_URL: {e}")))?;
        let (runtime, stop) = background_runtime()?;
        let mut db = Postgres {
            config,
            runtime,
            _stop: stop,
            idle: Mutex::new(Vec::new()),
            open: Mutex::new(0),
            returned: Condvar::new(),
            channel: String::new(),
            listening: AtomicBool::new(false),
        };
        db.migrate()?;
        Ok(db)
    }

    /// Creates the schema if missing (one instance at a time) and learns
    /// the notification channel's name.
    fn migrate(&mut self) -> Result<(), ServerError> {
        let mut schema = String::new();
        self.transaction(&mut |sql| {
            // "already exists, skipping" is no news to log.
            sql.batch("SET LOCAL client_min_messages = warning")?;
            schema = sql.query_one("SELECT current_schema()", &[])?.map(|r| r.text(0)).transpose()?.unwrap_or_default();
            sql.execute("SELECT pg_advisory_xact_lock(hashtext(current_schema())::bigint)", &[])?;
            sql.execute("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)", &[])?;
            let version = match sql.query_one("SELECT version FROM schema_version", &[])? {
                Some(row) => usize::try_from(row.int(0)?).unwrap_or(usize::MAX),
                None => {
                    sql.execute("INSERT INTO schema_version (version) VALUES (0)", &[])?;
                    0
                }
            };
            if version > POSTGRES_MIGRATIONS.len() {
                return Err(ServerError::Database(format!(
                    "数据库版本 {version} 比本服务器新 / the database's schema {version} is newer than this server"
                )));
            }
            for (i, step) in POSTGRES_MIGRATIONS.iter().enumerate().skip(version) {
                sql.batch(step)?;
                sql.execute("UPDATE schema_version SET version = ?1", &[Value::Int(i as i64 + 1)])?;
            }
            Ok(())
        })?;
        self.channel = format!("directline_{schema}");
        Ok(())
    }

    /// A connection from the pool, opening one if there is room, else
    /// waiting for one to come back.
    fn take(&self) -> Result<Conn, ServerError> {
        let mut idle = self.idle.lock().map_err(|_| ServerError::Poisoned)?;
        loop {
            if let Some(conn) = idle.pop() {
                return Ok(conn);
            }
            let mut open = self.open.lock().map_err(|_| ServerError::Poisoned)?;
            if *open < POOL_SIZE {
                *open += 1;
                drop(open);
                drop(idle);
                return self.new_conn().inspect_err(|_| self.forget_one());
            }
            drop(open);
            idle = self.returned.wait(idle).map_err(|_| ServerError::Poisoned)?;
        }
    }

    fn give_back(&self, conn: Conn) {
        if conn.client.is_closed() {
            self.forget_one();
        } else if let Ok(mut idle) = self.idle.lock() {
            idle.push(conn);
        }
        self.returned.notify_one();
    }

    fn forget_one(&self) {
        if let Ok(mut open) = self.open.lock() {
            *open = open.saturating_sub(1);
        }
        // Under the idle lock: a waiter is either still checking (and sees
        // the room) or already waiting (and is woken), never in between.
        let _idle = self.idle.lock();
        self.returned.notify_one();
    }

    fn new_conn(&self) -> Result<Conn, ServerError> {
        let config = self.config.clone();
        let connecting = self.runtime.spawn(async move {
            let (client, connection) = config.connect(NoTls).await?;
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::warn!(error = %e, "PostgreSQL connection ended");
                }
            });
            Ok::<_, tokio_postgres::Error>(client)
        });
        let client = block_on(connecting).map_err(|e| ServerError::Database(e.to_string()))??;
        Ok(Conn { client, statements: HashMap::new() })
    }

    /// Starts the listener connection; only the first caller gets one.
    fn subscribe(&self) -> Option<UnboundedReceiver<String>> {
        if self.listening.swap(true, Ordering::SeqCst) {
            return None;
        }
        let (tx, rx) = unbounded_channel();
        self.runtime.spawn(listen(self.config.clone(), self.channel.clone(), tx));
        Some(rx)
    }
}

/// Makes a new, empty schema in the database `url` names and returns the
/// URL that uses it: tests and benchmarks each get a database of their own
/// in one PostgreSQL cluster.
pub fn fresh_schema(url: &str) -> Result<String, ServerError> {
    let config: Config =
        url.parse().map_err(|e| ServerError::Database(format!("DATABASE_URL 无效 / invalid DATABASE_URL: {e}")))?;
    let token = crate::security::auth::random_token()?;
    let name = format!("t_{}", &token[..16]);
    let (runtime, _stop) = background_runtime()?;
    let create = format!("CREATE SCHEMA {name}");
    let created = runtime.spawn(async move {
        let (client, connection) = config.connect(NoTls).await?;
        tokio::spawn(connection);
        client.batch_execute(&create).await
    });
    block_on(created).map_err(|e| ServerError::Database(e.to_string()))??;
    let separator = if url.contains('?') { '&' } else { '?' };
    Ok(format!("{url}{separator}options=-c%20search_path%3D{name}"))
}

/// A current-thread runtime on its own thread, running until the sender
/// is dropped (so it is never dropped inside another runtime).
fn background_runtime() -> Result<(tokio::runtime::Handle, tokio::sync::oneshot::Sender<()>), ServerError> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let handle = runtime.handle().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    std::thread::Builder::new().name("postgres".into()).spawn(move || {
        runtime.block_on(async {
            let _ = stopped.await;
        });
    })?;
    Ok((handle, stop))
}

/// Keeps a `LISTEN` connection open, reconnecting after a failure; after
/// each (re)connect it sends `*`, since notifications may have been missed.
async fn listen(config: Config, channel: String, subscriber: UnboundedSender<String>) {
    loop {
        match listen_once(&config, &channel, &subscriber).await {
            Ok(()) => return,
            Err(e) => tracing::warn!(error = %e, "PostgreSQL listener lost; reconnecting"),
        }
        if subscriber.is_closed() {
            return;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// `Ok` when nobody listens any more.
async fn listen_once(
    config: &Config,
    channel: &str,
    subscriber: &UnboundedSender<String>,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (ended_tx, mut ended) = tokio::sync::mpsc::unbounded_channel::<tokio_postgres::Error>();
    let forward = subscriber.clone();
    let driver = tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(n))) => {
                    if forward.send(n.payload().to_string()).is_err() {
                        return;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    let _ = ended_tx.send(e);
                    return;
                }
                None => return,
            }
        }
    });
    client.batch_execute(&format!("LISTEN \"{}\"", channel.replace('"', ""))).await?;
    if subscriber.send("*".into()).is_err() {
        driver.abort();
        return Ok(());
    }
    let result = match ended.recv().await {
        Some(e) => Err(e),
        None if subscriber.is_closed() => Ok(()),
        // The connection closed without an error: connect again.
        None => client.batch_execute("SELECT 1").await,
    };
    drop(client);
    result
}

impl Database for Postgres {
    fn transaction(&self, work: &mut dyn FnMut(&mut dyn Sql) -> Result<(), ServerError>) -> Result<(), ServerError> {
        let mut conn = self.take()?;
        let result = (|| {
            block_on(conn.client.batch_execute("BEGIN"))?;
            let mut tx = Tx { conn: &mut conn, channel: &self.channel };
            match work(&mut tx) {
                Ok(()) => Ok(block_on(conn.client.batch_execute("COMMIT"))?),
                Err(e) => {
                    let _ = block_on(conn.client.batch_execute("ROLLBACK"));
                    Err(e)
                }
            }
        })();
        self.give_back(conn);
        result
    }

    fn listen(&self) -> Option<UnboundedReceiver<String>> {
        self.subscribe()
    }

    fn backup_to(&self, _to: &Path) -> Result<(), ServerError> {
        Err(ServerError::Backup(
            "PostgreSQL 数据库请用 pg_dump 备份 / back up a PostgreSQL database with pg_dump".into(),
        ))
    }

    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
}

struct Tx<'a> {
    conn: &'a mut Conn,
    channel: &'a str,
}

impl Tx<'_> {
    fn statement(&mut self, sql: &str) -> Result<Statement, ServerError> {
        if let Some(statement) = self.conn.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = block_on(self.conn.client.prepare(&dollar_placeholders(sql)))?;
        self.conn.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

fn as_params(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Sql for Tx<'_> {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, ServerError> {
        let statement = self.statement(sql)?;
        Ok(block_on(self.conn.client.execute(&statement, &as_params(params)))?)
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, ServerError> {
        let statement = self.statement(sql)?;
        let rows = block_on(self.conn.client.query(&statement, &as_params(params)))?;
        rows.iter().map(row_of).collect()
    }

    fn batch(&mut self, sql: &str) -> Result<(), ServerError> {
        Ok(block_on(self.conn.client.batch_execute(sql))?)
    }

    fn notify(&mut self, payload: &str) -> Result<(), ServerError> {
        let channel = self.channel.to_string();
        self.execute("SELECT pg_notify(?1, ?2)", &[Value::Text(channel), Value::from(payload)])?;
        Ok(())
    }

    fn lock_case(&mut self, case_id: &str) -> Result<(), ServerError> {
        self.query("SELECT 1 FROM cases WHERE id = ?1 FOR UPDATE", &[Value::from(case_id)])?;
        Ok(())
    }

    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
}

fn row_of(row: &tokio_postgres::Row) -> Result<Row, ServerError> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.map(Value::Int)
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)?.map(|v| Value::Int(v.into()))
        } else if *ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)?.map(|v| Value::Int(v.into()))
        } else if *ty == Type::BYTEA {
            row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Blob)
        } else if [Type::TEXT, Type::VARCHAR, Type::NAME, Type::BPCHAR].contains(ty) {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        } else if *ty == Type::VOID {
            None
        } else {
            return Err(ServerError::Database(format!("column {}: unexpected type {ty}", column.name())));
        };
        values.push(value.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(v) if *ty == Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
            Value::Int(v) => v.to_sql(ty, out),
            Value::Text(v) => v.as_str().to_sql(ty, out),
            Value::Blob(v) => v.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_ty: &Type) -> bool {
        // Each value checks its type in `to_sql`.
        true
    }

    to_sql_checked!();
}
