//! Users and sign-in sessions. Passwords are stored as argon2 hashes;
//! session tokens only as SHA-256 digests, so a copy of the database lets
//! nobody sign in.

use domain::account::Profile;
use domain::permission::{Role, User};

use super::Store;
use super::db::{Row, params};
use crate::ServerError;

/// A user as the server keeps it (without the password hash).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Account {
    pub login: String,
    pub display_name: String,
    pub user: User,
    /// An enterprise's registered profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Enterprise => "enterprise",
        Role::Coordinator => "coordinator",
        Role::Officer => "officer",
        Role::Leader => "leader",
        Role::Admin => "admin",
    }
}

fn role_of(name: &str) -> Option<Role> {
    [Role::Enterprise, Role::Coordinator, Role::Officer, Role::Leader, Role::Admin]
        .into_iter()
        .find(|r| role_name(*r) == name)
}

/// The columns of `users` an [`Account`] is read from, then the hash.
const ACCOUNT_COLUMNS: &str = "id, login, display_name, role, org, district, profile, password_hash";

/// A `users` row (as [`ACCOUNT_COLUMNS`]) with its password hash; `None`
/// for a role this version does not know.
fn account(row: &Row) -> Result<Option<(Account, String)>, ServerError> {
    let Some(role) = role_of(&row.text(3)?) else { return Ok(None) };
    let profile = row.opt_text(6)?;
    let account = Account {
        login: row.text(1)?,
        display_name: row.text(2)?,
        user: User { id: row.text(0)?, role, org: row.opt_text(4)?, district: row.opt_text(5)? },
        // A profile this version cannot read is left out rather than failing sign-in.
        profile: profile.and_then(|p| serde_json::from_str(&p).ok()),
    };
    Ok(Some((account, row.text(7)?)))
}

impl Store {
    /// Creates a user; `password_hash` is an argon2 PHC string.
    pub fn create_user(&self, account: &Account, password_hash: &str) -> Result<(), ServerError> {
        let u = &account.user;
        let profile = account.profile.as_ref().map(serde_json::to_string).transpose().map_err(ServerError::from)?;
        self.tx(|sql| {
            sql.execute(
                "INSERT INTO users (id, login, display_name, password_hash, role, org, district, profile)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    &u.id,
                    &account.login,
                    &account.display_name,
                    password_hash,
                    role_name(u.role),
                    u.org.as_ref(),
                    u.district.as_ref(),
                    profile.as_ref()
                ],
            )
        })?;
        Ok(())
    }

    /// Whether a login name or an enterprise (by id) already has an account.
    pub fn taken(&self, login: &str, enterprise: &str) -> Result<(bool, bool), ServerError> {
        self.tx(|sql| {
            let logins = sql.query("SELECT 1 FROM users WHERE login = ?1", params![login])?;
            let orgs = sql.query("SELECT 1 FROM users WHERE role = 'enterprise' AND org = ?1", params![enterprise])?;
            Ok((!logins.is_empty(), !orgs.is_empty()))
        })
    }

    /// The account and its password hash, by login name.
    pub fn user_by_login(&self, login: &str) -> Result<Option<(Account, String)>, ServerError> {
        let query = format!("SELECT {ACCOUNT_COLUMNS} FROM users WHERE login = ?1");
        self.tx(|sql| Ok(sql.query_one(&query, params![login])?.map(|r| account(&r)).transpose()?.flatten()))
    }

    pub fn create_session(&self, token_hash: &str, user_id: &str, expires_ms: i64) -> Result<(), ServerError> {
        self.tx(|sql| {
            sql.execute(
                "INSERT INTO sessions (token_hash, user_id, expires_ms) VALUES (?1, ?2, ?3)",
                params![token_hash, user_id, expires_ms],
            )
        })?;
        Ok(())
    }

    /// The account behind a session that has not expired at `now_ms`, and
    /// when the session expires.
    pub fn session_account(&self, token_hash: &str, now_ms: i64) -> Result<Option<(Account, i64)>, ServerError> {
        let query = format!(
            "SELECT {}, sessions.expires_ms FROM sessions JOIN users ON users.id = sessions.user_id
             WHERE sessions.token_hash = ?1 AND sessions.expires_ms > ?2",
            ACCOUNT_COLUMNS.split(", ").map(|c| format!("users.{c}")).collect::<Vec<_>>().join(", ")
        );
        self.tx(|sql| {
            let Some(row) = sql.query_one(&query, params![token_hash, now_ms])? else { return Ok(None) };
            let expires_ms = row.int(8)?;
            Ok(account(&row)?.map(|(account, _)| (account, expires_ms)))
        })
    }

    /// Ends a session, here and (for their sockets) on every other server
    /// instance.
    pub fn delete_session(&self, token_hash: &str) -> Result<(), ServerError> {
        self.tx(|sql| {
            sql.execute("DELETE FROM sessions WHERE token_hash = ?1", params![token_hash])?;
            self.announce(sql, "signed-out", token_hash)
        })
    }

    /// Every account, by login.
    pub fn accounts(&self) -> Result<Vec<Account>, ServerError> {
        let query = format!("SELECT {ACCOUNT_COLUMNS} FROM users ORDER BY login");
        self.tx(|sql| {
            let rows = sql.query(&query, &[])?;
            Ok(rows.iter().map(account).collect::<Result<Vec<_>, _>>()?.into_iter().flatten().map(|(a, _)| a).collect())
        })
    }

    pub fn user_count(&self) -> Result<u64, ServerError> {
        self.count("SELECT COUNT(*) FROM users")
    }
}
