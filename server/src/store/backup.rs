//! Backup and restore of the whole database.
//!
//! A backup is taken online with `VACUUM INTO`: one read transaction, so
//! the copy is the database at one instant even while the server keeps
//! writing (WAL readers never block the writer). A restore checks the file
//! is a sound Direct Line database no newer than this server, then puts it
//! in place of the data directory's database — only while no server holds
//! the directory (`data/.lock`, taken by a running server).

use std::fs::File;
use std::path::{Path, PathBuf};

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use super::Store;
use super::db::{Backend, DB_FILE, SQLITE_MIGRATIONS};
use crate::ServerError;

const LOCK_FILE: &str = ".lock";

/// Held by a running server: while it lives, nothing restores into its
/// data directory.
pub struct DataLock(File);

impl DataLock {
    /// Takes the data directory for this process.
    pub fn take(dir: &Path) -> Result<DataLock, ServerError> {
        std::fs::create_dir_all(dir)?;
        let file = File::options().create(true).truncate(false).write(true).open(dir.join(LOCK_FILE))?;
        match file.try_lock() {
            Ok(()) => Ok(DataLock(file)),
            Err(_) => Err(ServerError::Busy(dir.display().to_string())),
        }
    }
}

impl Drop for DataLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first says so.
        let _ = self.0.unlock();
    }
}

impl Store {
    /// Writes a consistent copy of the database to `to` (which must not
    /// exist yet).
    pub async fn backup_to(&self, to: &Path) -> Result<(), ServerError> {
        if to.exists() {
            return Err(ServerError::Backup(format!("{} 已存在 / already exists", to.display())));
        }
        if self.db.backend == Backend::Postgres {
            return Err(ServerError::Backup(
                "PostgreSQL 数据库请用 pg_dump 备份 / back up a PostgreSQL database with pg_dump".into(),
            ));
        }
        let target = to.to_str().ok_or_else(|| ServerError::Backup("路径须为 UTF-8 / path must be UTF-8".into()))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.db.pool).await?;
        Ok(())
    }
}

async fn open_sqlite(file: &Path, read_only: bool) -> Result<SqliteConnection, sqlx::Error> {
    SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(file).read_only(read_only)).await
}

/// Checks that `file` is a Direct Line database this server can open.
async fn check(file: &Path) -> Result<(), ServerError> {
    let mut conn = open_sqlite(file, true)
        .await
        .map_err(|e| ServerError::Backup(format!("无法打开备份 / cannot open the backup: {e}")))?;
    let bad = |why: &str| ServerError::Backup(format!("不是有效的直通车备份 / not a Direct Line backup: {why}"));
    let integrity: String =
        sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await.map_err(|e| bad(&e.to_string()))?;
    if integrity != "ok" {
        return Err(bad(&integrity));
    }
    let known = SQLITE_MIGRATIONS.iter().map(|m| m.version).max().unwrap_or_default();
    // Backups made before sqlx count their steps in `user_version`.
    let version: i64 = match sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(&mut conn).await
    {
        Ok(Some(version)) => version,
        _ => sqlx::query_scalar("PRAGMA user_version").fetch_one(&mut conn).await?,
    };
    if version == 0 || version > known {
        return Err(bad(&format!("schema version {version}, this server knows 1–{known}")));
    }
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM cases")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| bad(&e.to_string()))?;
    Ok(())
}

/// Replaces the database in `dir` by the backup `from`; the old database
/// is kept beside it as `directline.sqlite3.before-restore-<ms>`. Refused
/// while a server runs on `dir`, and for a file that is not a sound backup
/// (then nothing changes).
pub async fn restore(dir: &Path, from: &Path, now_ms: i64) -> Result<PathBuf, ServerError> {
    check(from).await?;
    let _lock = DataLock::take(dir)?;
    let db = dir.join(DB_FILE);
    let incoming = dir.join(format!("{DB_FILE}.restoring"));
    let _ = std::fs::remove_file(&incoming);
    std::fs::copy(from, &incoming)?;
    let kept = dir.join(format!("{DB_FILE}.before-restore-{now_ms}"));
    if db.exists() {
        // Fold the write-ahead log into the old file before moving it away.
        let mut old = open_sqlite(&db, false).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut old).await?;
        old.close().await?;
        std::fs::rename(&db, &kept)?;
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{DB_FILE}{suffix}")));
    }
    std::fs::rename(&incoming, &db)?;
    Ok(kept)
}
