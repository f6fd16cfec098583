//! Enterprise registration: who an enterprise is (its profile, the same
//! fields every appeal carries) and the rules for its sign-in name and
//! password. An enterprise's id follows from its 统一社会信用代码, so a
//! coordinator filing on its behalf (on site, by phone, offline) names the
//! same enterprise the account does.

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::case::{Contact, Enterprise};
use crate::directory::Directory;

pub const LOGIN_MIN: usize = 3;
pub const LOGIN_MAX: usize = 32;
pub const PASSWORD_MIN: usize = 8;

/// What an enterprise registers with; filled into each of its appeals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub enterprise: Enterprise,
    pub contact: Contact,
}

/// The enterprise id of a (validated) credit code.
pub fn enterprise_id(uscc: &str) -> String {
    format!("ent-{uscc}")
}

/// A sign-in name: 3–32 of a–z, 0–9, '-', '_' and '.'.
pub fn validate_login(login: &str) -> Result<String, DomainError> {
    let login = login.trim().to_ascii_lowercase();
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.');
    if !(LOGIN_MIN..=LOGIN_MAX).contains(&login.len()) || !login.chars().all(allowed) {
        return Err(DomainError::BadLogin);
    }
    Ok(login)
}

pub fn validate_password(password: &str) -> Result<(), DomainError> {
    if password.chars().count() < PASSWORD_MIN {
        return Err(DomainError::WeakPassword { min: PASSWORD_MIN });
    }
    Ok(())
}

impl Profile {
    /// Checks every part, reporting every problem at once; the enterprise
    /// id is set from the credit code.
    pub fn validate(self, directory: &Directory) -> Result<Profile, Vec<DomainError>> {
        let enterprise = Enterprise { id: String::new(), ..self.enterprise }.validate(directory);
        let contact = self.contact.validate();
        match (enterprise, contact) {
            (Ok(enterprise), Ok(contact)) => {
                Ok(Profile { enterprise: Enterprise { id: enterprise_id(&enterprise.uscc), ..enterprise }, contact })
            }
            (e, c) => Err([e.err(), c.err()].into_iter().flatten().collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(uscc: &str) -> Profile {
        Profile {
            enterprise: Enterprise {
                id: "chosen-by-the-client".into(),
                name: "惠州市德晋昌光电科技有限公司".into(),
                uscc: uscc.into(),
                ownership: "private".into(),
                size: "small".into(),
                industry: "光电".into(),
                district: "zhongkai".into(),
            },
            contact: Contact { name: "黄女士".into(), phone: "0752-2345678".into() },
        }
    }

    #[test]
    fn the_enterprise_id_follows_the_credit_code() {
        let p = profile("91350100m000100y43").validate(&Directory::huizhou()).unwrap();
        assert_eq!(p.enterprise.id, "ent-91350100M000100Y43");
        assert_eq!(p.contact.phone, "07522345678");
    }

    #[test]
    fn every_problem_is_reported() {
        let mut bad = profile("91350100M000100Y44");
        bad.contact.phone = "call me".into();
        assert_eq!(bad.validate(&Directory::huizhou()).unwrap_err().len(), 2);
    }

    #[test]
    fn logins_and_passwords() {
        assert_eq!(validate_login(" DeJinChang_01 ").unwrap(), "dejinchang_01");
        for bad in ["ab", "有限公司", "a b c", &"x".repeat(33)] {
            assert_eq!(validate_login(bad), Err(DomainError::BadLogin), "{bad}");
        }
        assert!(validate_password("zhitongche").is_ok());
        assert_eq!(validate_password("1234567"), Err(DomainError::WeakPassword { min: 8 }));
    }
}
