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

use rusqlite::{Connection, OpenFlags};

use super::Store;
use super::db::{DB_FILE, SQLITE_MIGRATIONS as MIGRATIONS};
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
    pub fn backup_to(&self, to: &Path) -> Result<(), ServerError> {
        if to.exists() {
            return Err(ServerError::Backup(format!("{} 已存在 / already exists", to.display())));
        }
        self.db.backup_to(to)
    }
}

/// Checks that `file` is a Direct Line database this server can open.
fn check(file: &Path) -> Result<(), ServerError> {
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| ServerError::Backup(format!("无法打开备份 / cannot open the backup: {e}")))?;
    let bad = |why: &str| ServerError::Backup(format!("不是有效的直通车备份 / not a Direct Line backup: {why}"));
    let integrity: String =
        conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| bad(&e.to_string()))?;
    if integrity != "ok" {
        return Err(bad(&integrity));
    }
    let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version == 0 || version > MIGRATIONS.len() {
        return Err(bad(&format!("schema version {version}, this server knows 1–{}", MIGRATIONS.len())));
    }
    conn.query_row("SELECT COUNT(*) FROM cases", [], |r| r.get::<_, i64>(0)).map_err(|e| bad(&e.to_string()))?;
    Ok(())
}

/// Replaces the database in `dir` by the backup `from`; the old database
/// is kept beside it as `directline.sqlite3.before-restore-<ms>`. Refused
/// while a server runs on `dir`, and for a file that is not a sound backup
/// (then nothing changes).
pub fn restore(dir: &Path, from: &Path, now_ms: i64) -> Result<PathBuf, ServerError> {
    check(from)?;
    let _lock = DataLock::take(dir)?;
    let db = dir.join(DB_FILE);
    let incoming = dir.join(format!("{DB_FILE}.restoring"));
    let _ = std::fs::remove_file(&incoming);
    std::fs::copy(from, &incoming)?;
    let kept = dir.join(format!("{DB_FILE}.before-restore-{now_ms}"));
    if db.exists() {
        // Fold the write-ahead log into the old file before moving it away.
        Connection::open(&db)?.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
        std::fs::rename(&db, &kept)?;
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{DB_FILE}{suffix}")));
    }
    std::fs::rename(&incoming, &db)?;
    Ok(kept)
}
