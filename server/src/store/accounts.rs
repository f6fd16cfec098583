//! Users and sign-in sessions. Passwords are stored as argon2 hashes;
//! session tokens only as SHA-256 digests, so a copy of the database lets
//! nobody sign in.

use domain::account::Profile;
use domain::permission::{Role, User};
use rusqlite::{OptionalExtension, params};

use super::Store;
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

/// A `users` row; `None` for a role this version does not know.
fn account(row: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Account>> {
    let role: String = row.get("role")?;
    let Some(role) = role_of(&role) else { return Ok(None) };
    let profile: Option<String> = row.get("profile")?;
    Ok(Some(Account {
        login: row.get("login")?,
        display_name: row.get("display_name")?,
        user: User { id: row.get("id")?, role, org: row.get("org")?, district: row.get("district")? },
        // A profile this version cannot read is left out rather than failing sign-in.
        profile: profile.and_then(|p| serde_json::from_str(&p).ok()),
    }))
}

impl Store {
    /// Creates a user; `password_hash` is an argon2 PHC string.
    pub fn create_user(&self, account: &Account, password_hash: &str) -> Result<(), ServerError> {
        let u = &account.user;
        let profile = account.profile.as_ref().map(serde_json::to_string).transpose().map_err(ServerError::from)?;
        self.conn()?.execute(
            "INSERT INTO users (id, login, display_name, password_hash, role, org, district, profile)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                u.id,
                account.login,
                account.display_name,
                password_hash,
                role_name(u.role),
                u.org,
                u.district,
                profile
            ],
        )?;
        Ok(())
    }

    /// Whether a login name or an enterprise (by id) already has an account.
    pub fn taken(&self, login: &str, enterprise: &str) -> Result<(bool, bool), ServerError> {
        let conn = self.conn()?;
        let count = |sql: &str, value: &str| -> Result<bool, ServerError> {
            Ok(conn.query_row(sql, [value], |r| r.get::<_, i64>(0))? > 0)
        };
        Ok((
            count("SELECT COUNT(*) FROM users WHERE login = ?1", login)?,
            count("SELECT COUNT(*) FROM users WHERE role = 'enterprise' AND org = ?1", enterprise)?,
        ))
    }

    /// The account and its password hash, by login name.
    pub fn user_by_login(&self, login: &str) -> Result<Option<(Account, String)>, ServerError> {
        let conn = self.conn()?;
        let found = conn
            .query_row("SELECT * FROM users WHERE login = ?1", [login], |row| match account(row)? {
                Some(a) => Ok(Some((a, row.get::<_, String>("password_hash")?))),
                None => Ok(None),
            })
            .optional()?;
        Ok(found.flatten())
    }

    pub fn create_session(&self, token_hash: &str, user_id: &str, expires_ms: i64) -> Result<(), ServerError> {
        self.conn()?.execute(
            "INSERT INTO sessions (token_hash, user_id, expires_ms) VALUES (?1, ?2, ?3)",
            params![token_hash, user_id, expires_ms],
        )?;
        Ok(())
    }

    /// The account behind a session that has not expired at `now_ms`.
    pub fn session_account(&self, token_hash: &str, now_ms: i64) -> Result<Option<Account>, ServerError> {
        let conn = self.conn()?;
        let found = conn
            .query_row(
                "SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id
                 WHERE sessions.token_hash = ?1 AND sessions.expires_ms > ?2",
                params![token_hash, now_ms],
                account,
            )
            .optional()?;
        Ok(found.flatten())
    }

    /// When a session expires (`None` if there is no such session).
    pub fn session_expiry(&self, token_hash: &str) -> Result<Option<i64>, ServerError> {
        let conn = self.conn()?;
        let found = conn
            .query_row("SELECT expires_ms FROM sessions WHERE token_hash = ?1", [token_hash], |row| row.get(0))
            .optional()?;
        Ok(found)
    }

    pub fn delete_session(&self, token_hash: &str) -> Result<(), ServerError> {
        self.conn()?.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    /// Every account, by login.
    pub fn accounts(&self) -> Result<Vec<Account>, ServerError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare("SELECT * FROM users ORDER BY login")?;
        let rows = stmt.query_map([], account)?;
        Ok(rows.filter_map(Result::transpose).collect::<Result<_, _>>()?)
    }

    pub fn user_count(&self) -> Result<u64, ServerError> {
        Ok(self.conn()?.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?)
    }
}
