//! Demo accounts, one or more for every role, all with the password
//! [`DEMO_PASSWORD`]. Their ids match the authors in the demo cases.

use domain::account::Profile;
use domain::directory::Directory;
use domain::permission::{Role, User};

use crate::ServerError;
use crate::security::passwords::hash_password;
use crate::store::{Account, Store};

pub const DEMO_PASSWORD: &str = "zhitongche2026";

fn account(
    login: String,
    display_name: String,
    id: String,
    role: Role,
    org: Option<&str>,
    district: Option<&str>,
) -> Account {
    let user = User { id, role, org: org.map(Into::into), district: district.map(Into::into) };
    Account { login, display_name, user, profile: None }
}

/// Every demo account: the first demo enterprises (registered, with their
/// profiles), a coordinator and a leader per district (and the city), an
/// officer per unit of the seed directory, an admin.
pub fn demo_accounts(enterprises: &[Profile]) -> Vec<Account> {
    let mut all = Vec::new();
    for (i, profile) in enterprises.iter().enumerate() {
        let (id, name) = (&profile.enterprise.id, &profile.enterprise.name);
        let login = format!("qiye{:02}", i + 1);
        let mut enterprise =
            account(login, name.clone(), domain::permission::registrant_id(id), Role::Enterprise, Some(id), None);
        enterprise.user.district = Some(profile.enterprise.district.clone());
        enterprise.profile = Some(profile.clone());
        all.push(enterprise);
    }
    let directory = Directory::huizhou();
    for d in &directory.districts {
        let (code, zh) = (d.code.as_str(), &d.name.zh);
        all.push(account(
            format!("xietiao-{code}"),
            format!("{zh}政数局协调员"),
            format!("coord-{code}"),
            Role::Coordinator,
            None,
            Some(code),
        ));
        all.push(account(
            format!("lingdao-{code}"),
            format!("{zh}领导"),
            format!("leader-{code}"),
            Role::Leader,
            None,
            Some(code),
        ));
    }
    for dept in &directory.units {
        let code = dept.code.as_str();
        all.push(account(
            format!("bumen-{code}"),
            format!("{}办事员", dept.name.zh),
            format!("officer-{code}"),
            Role::Officer,
            Some(code),
            None,
        ));
    }
    all.push(account("admin".into(), "系统管理员".into(), "admin".into(), Role::Admin, None, None));
    all
}

/// Creates the demo accounts unless users exist already.
pub async fn seed_accounts(store: &Store, enterprises: &[Profile]) -> Result<usize, ServerError> {
    if store.user_count().await? > 0 {
        return Ok(0);
    }
    // One hash for all: argon2 is slow by design, and every demo password is the same.
    let hash = hash_password(DEMO_PASSWORD)?;
    let accounts = demo_accounts(enterprises);
    for a in &accounts {
        store.create_user(a, &hash).await?;
    }
    Ok(accounts.len())
}
