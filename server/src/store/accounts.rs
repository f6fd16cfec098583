//! Users and sign-in sessions. Passwords are stored as argon2 hashes;
//! session tokens only as SHA-256 digests, so a copy of the database lets
//! nobody sign in.

use domain::permission::{Role, User};

use super::Store;
use crate::ServerError;

pub use domain::contract::{Account, AccountState};

pub(crate) fn role_name(role: Role) -> &'static str {
    match role {
        Role::Enterprise => "enterprise",
        Role::Coordinator => "coordinator",
        Role::Officer => "officer",
        Role::Leader => "leader",
        Role::Admin => "admin",
    }
}

pub(crate) fn role_of(name: &str) -> Option<Role> {
    [Role::Enterprise, Role::Coordinator, Role::Officer, Role::Leader, Role::Admin]
        .into_iter()
        .find(|r| role_name(*r) == name)
}

/// The columns of `users` an [`Account`] is read from, then the hash (a
/// macro, so that the statements stay literals).
macro_rules! account_columns {
    () => {
        "users.id, login, display_name, role, org, district, profile, password_hash"
    };
}

/// A `users` row as `account_columns!` reads it.
#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    login: String,
    display_name: String,
    role: String,
    org: Option<String>,
    district: Option<String>,
    profile: Option<String>,
    password_hash: String,
}

impl UserRow {
    /// The account and its password hash; `None` for a role this version
    /// does not know.
    fn account(self) -> Option<(Account, String)> {
        let role = role_of(&self.role)?;
        let account = Account {
            login: self.login,
            display_name: self.display_name,
            user: User { id: self.id, role, org: self.org, district: self.district },
            // A profile this version cannot read is left out rather than failing sign-in.
            profile: self.profile.and_then(|p| serde_json::from_str(&p).ok()),
        };
        Some((account, self.password_hash))
    }
}

/// Inserts a user through `executor` (the pool, or a transaction).
pub(crate) async fn insert_user<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    account: &Account,
    password_hash: &str,
) -> Result<(), ServerError> {
    let u = &account.user;
    let profile = account.profile.as_ref().map(serde_json::to_string).transpose()?;
    sqlx::query(
        "INSERT INTO users (id, login, display_name, password_hash, role, org, district, profile)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&u.id)
    .bind(&account.login)
    .bind(&account.display_name)
    .bind(password_hash)
    .bind(role_name(u.role))
    .bind(&u.org)
    .bind(&u.district)
    .bind(profile)
    .execute(executor)
    .await?;
    Ok(())
}

impl Store {
    /// Creates a user; `password_hash` is an argon2 PHC string.
    pub async fn create_user(&self, account: &Account, password_hash: &str) -> Result<(), ServerError> {
        insert_user(&self.db.pool, account, password_hash).await
    }

    /// Whether a login name or an enterprise (by id) already has an account.
    pub async fn taken(&self, login: &str, enterprise: &str) -> Result<(bool, bool), ServerError> {
        let logins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE login = $1")
            .bind(login)
            .fetch_one(&self.db.pool)
            .await?;
        let orgs: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'enterprise' AND org = $1")
            .bind(enterprise)
            .fetch_one(&self.db.pool)
            .await?;
        Ok((logins > 0, orgs > 0))
    }

    /// The account and its password hash, by login name.
    pub async fn user_by_login(&self, login: &str) -> Result<Option<(Account, String)>, ServerError> {
        let query = concat!("SELECT ", account_columns!(), " FROM users WHERE login = $1 AND deactivated_ms IS NULL");
        let row: Option<UserRow> = sqlx::query_as(query).bind(login).fetch_optional(&self.db.pool).await?;
        Ok(row.and_then(UserRow::account))
    }

    pub async fn create_session(&self, token_hash: &str, user_id: &str, expires_ms: i64) -> Result<(), ServerError> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_ms) VALUES ($1, $2, $3)")
            .bind(token_hash)
            .bind(user_id)
            .bind(expires_ms)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    /// The account behind a session that has not expired at `now_ms`, and
    /// when the session expires.
    pub async fn session_account(&self, token_hash: &str, now_ms: i64) -> Result<Option<(Account, i64)>, ServerError> {
        #[derive(sqlx::FromRow)]
        struct SessionRow {
            #[sqlx(flatten)]
            user: UserRow,
            expires_ms: i64,
        }
        let query = concat!(
            "SELECT ",
            account_columns!(),
            ", sessions.expires_ms FROM sessions JOIN users ON users.id = sessions.user_id
             WHERE sessions.token_hash = $1 AND sessions.expires_ms > $2 AND users.deactivated_ms IS NULL"
        );
        let row: Option<SessionRow> =
            sqlx::query_as(query).bind(token_hash).bind(now_ms).fetch_optional(&self.db.pool).await?;
        Ok(row.and_then(|r| Some((r.user.account()?.0, r.expires_ms))))
    }

    /// Ends a session, here and (for their sockets) on every other server
    /// instance.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), ServerError> {
        let mut tx = self.db.write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await?;
        self.announce(&mut tx, "signed-out", token_hash).await?;
        Ok(tx.commit().await?)
    }

    /// Sets a user's password and ends every session of theirs but `keep`
    /// (here and, for their sockets, on every instance): whoever knew the
    /// old one is signed out. Returns the ended sessions.
    pub async fn set_password(
        &self,
        user_id: &str,
        password_hash: &str,
        keep: Option<&str>,
    ) -> Result<Vec<String>, ServerError> {
        let mut tx = self.db.write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        let ended = self.end_sessions(&mut tx, user_id, keep).await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// Ends every session of `user_id` but `keep` within `tx`, telling the
    /// other instances (for their sockets); returns them.
    pub(crate) async fn end_sessions(
        &self,
        tx: &mut super::db::Tx,
        user_id: &str,
        keep: Option<&str>,
    ) -> Result<Vec<String>, ServerError> {
        let ended: Vec<String> =
            sqlx::query_scalar("SELECT token_hash FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user_id)
                .bind(keep.unwrap_or(""))
                .fetch_all(&mut **tx)
                .await?;
        for token_hash in &ended {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&mut **tx).await?;
            self.announce(tx, "signed-out", token_hash).await?;
        }
        Ok(ended)
    }

    /// Every account with whether it is deactivated (profiles left out),
    /// by role and login.
    pub async fn account_states(&self) -> Result<Vec<AccountState>, ServerError> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            user: UserRow,
            deactivated_ms: Option<i64>,
        }
        let query = concat!("SELECT ", account_columns!(), ", deactivated_ms FROM users ORDER BY role, login");
        let rows: Vec<Row> = sqlx::query_as(query).fetch_all(&self.db.pool).await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let deactivated = r.deactivated_ms.is_some();
                let (account, _) = r.user.account()?;
                Some(AccountState { account: Account { profile: None, ..account }, deactivated })
            })
            .collect())
    }

    /// The account of `user_id`, deactivated or not.
    pub async fn account_by_id(&self, user_id: &str) -> Result<Option<Account>, ServerError> {
        let query = concat!("SELECT ", account_columns!(), " FROM users WHERE id = $1");
        let row: Option<UserRow> = sqlx::query_as(query).bind(user_id).fetch_optional(&self.db.pool).await?;
        Ok(row.and_then(UserRow::account).map(|(account, _)| account))
    }

    /// Every account, by login.
    pub async fn accounts(&self) -> Result<Vec<Account>, ServerError> {
        let query = concat!("SELECT ", account_columns!(), " FROM users ORDER BY login");
        let rows: Vec<UserRow> = sqlx::query_as(query).fetch_all(&self.db.pool).await?;
        Ok(rows.into_iter().filter_map(UserRow::account).map(|(account, _)| account).collect())
    }

    /// The serving officials (officers, coordinators, leaders; not
    /// deactivated): whom cases may name as people.
    pub async fn officials(&self) -> Result<Vec<domain::roster::Official>, ServerError> {
        let query = concat!("SELECT ", account_columns!(), " FROM users WHERE deactivated_ms IS NULL ORDER BY login");
        let rows: Vec<UserRow> = sqlx::query_as(query).fetch_all(&self.db.pool).await?;
        let official = |(account, _): (Account, String)| {
            let u = account.user;
            matches!(u.role, Role::Officer | Role::Coordinator | Role::Leader).then(|| domain::roster::Official {
                id: u.id,
                name: account.display_name,
                role: u.role,
                org: u.org,
                district: u.district,
            })
        };
        Ok(rows.into_iter().filter_map(UserRow::account).filter_map(official).collect())
    }

    pub async fn user_count(&self) -> Result<u64, ServerError> {
        self.count("SELECT COUNT(*) FROM users").await
    }
}
