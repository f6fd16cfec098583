//! `directline admin create`: the first administrator of a new
//! installation (or another, when the last one's password is lost). Run
//! on the server's machine by whoever may read its data: that is the
//! proof of authority, so the command asks nothing else.

use std::io::{BufRead, IsTerminal};

use domain::account;
use domain::permission::{Role, User};

use crate::security::passwords::hash_password;
use crate::store::{Account, AuditEntry, Store};
use crate::{Clock, ServerError};

/// The new administrator's password: asked twice without echo on a
/// terminal, else the first line of standard input (for scripts).
pub fn read_password() -> Result<String, ServerError> {
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("密码 / password: ")?;
        let again = rpassword::prompt_password("再输一次 / again: ")?;
        if first != again {
            return Err(ServerError::Admin("两次输入的密码不一致 / the two passwords differ".into()));
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Puts the policy in `json` in force as the next version (see
/// [`domain::policy::Policy::replaced_by`]); audited as the system's act.
/// Returns the new version.
pub async fn import_policy(store: &Store, json: &str) -> Result<u64, ServerError> {
    let loaded: domain::policy::Policy = serde_json::from_str(json)
        .map_err(|e| ServerError::Admin(format!("政策文件无效 / the policy file is invalid: {e}")))?;
    let next = store.policy().await?.replaced_by(loaded)?;
    let entry =
        AuditEntry::new(Clock::system().now_ms(), "system", "policy", None, format!("v{} imported", next.version));
    if !store.save_policy(&next, &entry).await? {
        return Err(ServerError::Admin("政策已被他人修改,请重试 / the policy changed meanwhile: try again".into()));
    }
    Ok(next.version)
}

/// Creates administrator `login`; refuses a bad login or password, and a
/// login that exists. Audited as the system's act.
pub async fn create_admin(store: &Store, login: &str, name: &str, password: &str) -> Result<Account, ServerError> {
    let login = account::validate_login(login)?;
    account::validate_password(password)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(ServerError::Admin("名称不能为空 / the name is empty".into()));
    }
    if store.user_by_login(&login).await?.is_some() {
        return Err(ServerError::Admin(format!("账号 {login} 已存在 / the account {login} exists already")));
    }
    let admin = Account {
        login: login.clone(),
        display_name: name.to_string(),
        user: User { id: format!("admin-{login}"), role: Role::Admin, org: None, district: None },
        profile: None,
    };
    store.create_user(&admin, &hash_password(password)?).await?;
    let entry = AuditEntry::new(Clock::system().now_ms(), "system", "admin-create", None, login);
    store.audit(&entry).await?;
    Ok(admin)
}
