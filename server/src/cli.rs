//! What the `directline` binary does with its command line: serve, or
//! back up, or restore, or create an administrator. In the library so that benchmarks can start the
//! very same server in a process of their own.

use std::sync::Arc;
use std::time::Duration;

use crate::config::{AdminAction, Command, Config};
use crate::store::{self, AuditEntry, Store};
use crate::{AppState, Clock, ServerError, admin_cli, demo, router};

/// The runtime the server runs on. Blocking work (database, password
/// hashing) goes to a small pool: the SQLite store takes one writer at a
/// time anyway, and every extra thread keeps a malloc arena of its own.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(BLOCKING_THREADS).build()
}

/// Threads for blocking work: enough for PostgreSQL's connection pool.
const BLOCKING_THREADS: usize = 16;

/// Runs the command `config` names (the server, without one).
pub async fn run(config: Config) -> Result<(), ServerError> {
    let postgres = config.database_url.as_deref().filter(|url| !url.is_empty());
    match &config.command {
        Some(Command::Backup { .. } | Command::Restore { .. }) if postgres.is_some() => {
            return Err(ServerError::Backup(
                "PostgreSQL 数据库请用 pg_dump / pg_restore 备份和恢复 / use pg_dump and pg_restore for PostgreSQL"
                    .into(),
            ));
        }
        Some(Command::Backup { to }) => {
            let store = Store::open(&config.data).await?;
            let entry = AuditEntry::new(Clock::system().now_ms(), "system", "backup", None, to.display().to_string());
            store.audit(&entry).await?;
            store.backup_to(to).await?;
            println!("备份完成 / backup written: {}", to.display());
            return Ok(());
        }
        Some(Command::Restore { from }) => {
            let now = Clock::system().now_ms();
            let kept = store::restore(&config.data, from, now).await?;
            let entry = AuditEntry::new(now, "system", "restore", None, from.display().to_string());
            Store::open(&config.data).await?.audit(&entry).await?;
            println!(
                "恢复完成 / restored from {}; the previous database is kept as {}",
                from.display(),
                kept.display()
            );
            return Ok(());
        }
        Some(Command::Admin { action: AdminAction::ExportPolicy { file } }) => {
            let store = Store::connect(postgres, &config.data).await?;
            let policy = store.policy().await?;
            std::fs::write(file, serde_json::to_string_pretty(&policy)?)?;
            println!(
                "已导出第 {} 版 / policy version {} written to {}",
                policy.version,
                policy.version,
                file.display()
            );
            return Ok(());
        }
        Some(Command::Admin { action: AdminAction::ImportPolicy { file } }) => {
            // A running server keeps its policy in memory: with SQLite it
            // must be stopped (PostgreSQL instances hear of the import).
            let _lock = if postgres.is_none() { Some(store::DataLock::take(&config.data)?) } else { None };
            let store = Store::connect(postgres, &config.data).await?;
            let version = admin_cli::import_policy(&store, &std::fs::read_to_string(file)?).await?;
            println!("已导入为第 {version} 版 / imported as policy version {version}");
            return Ok(());
        }
        Some(Command::Admin { action: AdminAction::Create { login, name } }) => {
            let store = Store::connect(postgres, &config.data).await?;
            let password = admin_cli::read_password()?;
            let admin = admin_cli::create_admin(&store, login, name, &password).await?;
            println!("管理员已创建 / administrator created: {} ({})", admin.login, admin.display_name);
            return Ok(());
        }
        None => {}
    }
    // Held while the server runs: no restore into a live data directory.
    // PostgreSQL is shared by design: several instances run on it.
    let _lock = if postgres.is_none() { Some(store::DataLock::take(&config.data)?) } else { None };
    let store = Arc::new(Store::connect(postgres, &config.data).await?);
    if config.demo {
        let anchor = domain::time::Day::parse(&config.demo_anchor)?;
        let created = demo::seed(&store, anchor).await?;
        tracing::info!(created, total = store.case_count().await?, "demo data");
    } else if config.demo_accounts {
        demo::seed_accounts(&store).await?;
    }
    if !config.dist.join("index.html").exists() {
        tracing::warn!(dist = %config.dist.display(), "no built app here: run `trunk build` in app/");
    }
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    // Scripts and tests wait for this line to know the server is up.
    println!("直通车 Direct Line is running at http://{addr}/");
    let clock = config.clock_offset_file.map_or_else(Clock::system, Clock::offset_by_file);
    let public_url = config.public_url.clone().unwrap_or_else(|| format!("http://{}", config.addr));
    let mut state = AppState::new(store, config.dist, clock, config.secure_cookies).await?.reached_at(&public_url)?;
    if let Some(smtp_url) = config.smtp_url {
        let mail = crate::mail::MailConfig { smtp_url, from: config.mail_from, every: Duration::from_secs(10) };
        state = state.with_mail(&mail)?;
    }
    state.start_background();
    let app = router(state);
    // The peer's address is what sign-in throttling counts per client.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    // Sync messages are small and answered at once: without NODELAY each
    // answer can wait for the client's delayed ACK (~40 ms).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
    Ok(())
}

async fn shutdown() {
    // If the handler cannot be installed, run until killed.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}
