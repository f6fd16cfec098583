#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Backup and restore with the real binary: a backup taken while cases are
//! being written is one consistent instant; restore is refused while the
//! server runs and for a file that is not a backup, and otherwise puts the
//! backup in place, keeping the old database beside it.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use server::store::{CaseRow, Store};

/// The binary on the SQLite file in `data` (whatever the environment says).
fn directline(data: &Path, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_directline"));
    command.env_remove("DATABASE_URL").arg("--data").arg(data).args(args).output().unwrap()
}

/// Every case in `data` loads, and its document's heads are the row's.
async fn consistent_cases(data: &Path) -> usize {
    let store = Store::open(data).await.unwrap();
    let mut count = 0;
    for id in store.case_ids_of_district("city").await.unwrap() {
        let (doc, _) = store.load_document(&id).await.unwrap().expect("every row has its document");
        let case = domain::doc::read(&doc).unwrap();
        assert_eq!(case.id, id);
        count += 1;
    }
    count
}

#[tokio::test]
#[ignore = "needs PostgreSQL (scripts/test.sh runs it with --include-ignored)"]
async fn on_postgresql_backup_and_restore_point_to_its_own_tools_and_change_nothing() {
    common::postgres().expect("DIRECTLINE_TEST_DATABASE_URL names a PostgreSQL database");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let url = common::database_url(&data).await.unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_directline"))
            .arg("--data")
            .arg(&data)
            .args(args)
            .env("DATABASE_URL", &url)
            .output()
            .unwrap()
    };
    for args in [&["backup", "/tmp/never-written.sqlite3"][..], &["restore", "/etc/hostname"]] {
        let out = run(args);
        assert!(!out.status.success(), "{args:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("pg_dump") && said.contains("pg_restore"), "{args:?}: {said}");
    }
    assert!(!Path::new("/tmp/never-written.sqlite3").exists());
    assert!(!data.join("directline.sqlite3").exists(), "no SQLite file was made");
}

#[tokio::test]
async fn a_backup_under_writes_restores_whole_and_a_live_server_is_never_overwritten() {
    // SQLite's file is backed up by the server itself (PostgreSQL has
    // pg_dump, the test above): SQLite on both passes of the test command.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(dir.path().join("dist")).unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_directline"))
        .env_remove("DATABASE_URL")
        .args(["--addr", "127.0.0.1:0", "--demo", "--dist"])
        .arg(dir.path().join("dist"))
        .arg("--data")
        .arg(&data)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    while !lines.next().unwrap().unwrap().contains("running at") {}

    // Another writer files cases while the backup is taken.
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let (data, writing) = (data.clone(), writing.clone());
        // A thread of its own: the backup below blocks this one.
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async move {
                let store = Store::open(&data).await.unwrap();
                let mut written = 0;
                while writing.load(Ordering::Relaxed) || written < 20 {
                    let case = common::new_case(&format!("backup-{written}"), "ent-1", "boluo");
                    let mut doc = domain::doc::create(&case, automerge::ActorId::random()).unwrap();
                    store.put_case(&CaseRow::of(&case, &case.state(), &doc.get_heads()), &doc.save()).await.unwrap();
                    written += 1;
                }
                written
            })
        })
    };
    let backup = dir.path().join("backup.sqlite3");
    let out = directline(&data, &["backup", backup.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    writing.store(false, Ordering::Relaxed);
    let written = writer.join().unwrap();
    let again = directline(&data, &["backup", backup.to_str().unwrap()]);
    assert!(!again.status.success(), "an existing backup is never overwritten");

    let copy = dir.path().join("copy");
    std::fs::create_dir_all(&copy).unwrap();
    std::fs::copy(&backup, copy.join("directline.sqlite3")).unwrap();
    let in_backup = consistent_cases(&copy).await;
    let demo = 305;
    assert!((demo..=demo + written).contains(&in_backup), "{in_backup} cases: the demo and some of {written}");

    // Refused while the server runs; nothing changes.
    let live = directline(&data, &["restore", backup.to_str().unwrap()]);
    assert!(!live.status.success());
    assert!(
        String::from_utf8_lossy(&live.stderr).contains("stop it first"),
        "{}",
        String::from_utf8_lossy(&live.stderr)
    );
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(consistent_cases(&data).await, demo + written);

    // Not a backup: refused, nothing changes.
    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let refused = directline(&data, &["restore", junk.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("backup"));
    assert_eq!(consistent_cases(&data).await, demo + written);

    // Restored: exactly the backup's cases; the old database is kept.
    let restored = directline(&data, &["restore", backup.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    assert_eq!(consistent_cases(&data).await, in_backup);
    let kept: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let old = dir.path().join("old");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::copy(data.join(&kept[0]), old.join("directline.sqlite3")).unwrap();
    assert_eq!(consistent_cases(&old).await, demo + written, "the replaced database is whole");
}
