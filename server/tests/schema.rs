#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design
//! The two databases' migrations are written apart (`server/migrations/`):
//! this checks that they make the same schema.

mod common;

use server::store::Store;

#[tokio::test]
#[ignore = "needs PostgreSQL (scripts/test.sh runs it with --include-ignored)"]
async fn sqlite_and_postgresql_have_one_schema() {
    let base = common::postgres().expect("DIRECTLINE_TEST_DATABASE_URL names a PostgreSQL database");
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Store::open(dir.path()).await.unwrap().schema().await.unwrap();
    let url = server::store::db::fresh_schema(&base).await.unwrap();
    let postgres = Store::connect(Some(&url), dir.path()).await.unwrap().schema().await.unwrap();

    assert!(sqlite.columns.len() > 40 && sqlite.indexes.len() >= 5, "{sqlite:?}");
    let only = |a: &std::collections::BTreeSet<_>, b: &std::collections::BTreeSet<_>| {
        a.difference(b).cloned().collect::<Vec<_>>()
    };
    assert_eq!(only(&sqlite.columns, &postgres.columns), vec![], "columns only in SQLite");
    assert_eq!(only(&postgres.columns, &sqlite.columns), vec![], "columns only in PostgreSQL");
    assert_eq!(sqlite.indexes, postgres.indexes);
    // SQLite has no TRUNCATE to guard against.
    let mut pg_triggers = postgres.triggers.clone();
    assert!(pg_triggers.remove("audit_no_truncate"));
    assert_eq!(sqlite.triggers, pg_triggers);
}
