use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// Direct Line server (直通车服务端).
#[derive(Debug, Parser)]
#[command(version)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "DIRECTLINE_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Directory of the SQLite database (created if missing).
    #[arg(long, env = "DIRECTLINE_DATA", default_value = "data")]
    pub data: PathBuf,
    /// A PostgreSQL database (`postgres://user@host:port/db`) to use instead
    /// of SQLite; several server instances may share it.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,
    /// The built app to serve (Trunk's output).
    #[arg(long, env = "DIRECTLINE_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// The address people reach the server at (`https://zhitongche.example.cn`):
    /// the QR code of a public page and every absolute link use it, never
    /// the request's Host header. Default: `http://` and `--addr`.
    #[arg(long, env = "DIRECTLINE_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The SMTP server mail goes through: `smtp://host:25` (plain),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host:465`. Without it the server sends no mail.
    #[arg(long, env = "DIRECTLINE_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Whom mail comes from.
    #[arg(long, env = "DIRECTLINE_MAIL_FROM", default_value = "直通车 <noreply@localhost>")]
    pub mail_from: String,
    /// Mark session cookies Secure: set this when clients reach the server over TLS.
    #[arg(long, env = "DIRECTLINE_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Load the deterministic demo data into an empty database.
    #[arg(long, env = "DIRECTLINE_DEMO")]
    pub demo: bool,
    /// Load only the demo accounts (no cases), e.g. for tests that file
    /// their own.
    #[arg(long, env = "DIRECTLINE_DEMO_ACCOUNTS")]
    pub demo_accounts: bool,
    /// The day the demo data is built around (YYYY-MM-DD).
    #[arg(long, env = "DIRECTLINE_DEMO_ANCHOR", default_value = "2026-11-20")]
    pub demo_anchor: String,
    /// For browser tests only: a file holding an offset (ms) added to the
    /// system clock, which the test rewrites to move the server's date
    /// along with its devices'.
    #[arg(long, env = "DIRECTLINE_CLOCK_OFFSET_FILE")]
    pub clock_offset_file: Option<PathBuf>,
    /// Without a command the server runs.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Writes a consistent copy of the database in `--data` to FILE; safe
    /// while the server runs.
    Backup {
        /// The backup file to write (must not exist).
        to: PathBuf,
    },
    /// Replaces the database in `--data` by the backup FILE (the old one is
    /// kept beside it). Stop the server first.
    Restore {
        /// The backup file to restore.
        from: PathBuf,
    },
    /// Administrators: `admin create` makes one (the first of a new
    /// installation, or another when the last one's password is lost).
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminAction {
    /// Creates an administrator. The password is asked for (twice, not
    /// shown) on a terminal, or read as the first line of standard input.
    Create {
        /// The sign-in name: 3–32 of a–z, 0–9, '-', '_', '.'.
        #[arg(long)]
        login: String,
        /// The name shown for this administrator.
        #[arg(long, default_value = "系统管理员")]
        name: String,
    },
    /// Writes the policy in force (directory, deadline rules, calendar) as
    /// JSON to FILE: a city's starting point for its own.
    ExportPolicy {
        #[arg(long)]
        file: std::path::PathBuf,
    },
    /// Puts in force the policy in FILE (as `export-policy` writes it),
    /// checked whole; every code in force must still be in it (retire a
    /// unit instead of removing it). With SQLite, stop the server first.
    ImportPolicy {
        #[arg(long)]
        file: std::path::PathBuf,
    },
}
