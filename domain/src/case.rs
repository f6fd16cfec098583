//! The case document schema: the one definition of what a case holds, and
//! the validation of what people type into it.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

use crate::device_time::TimeFlag;
use crate::directory::{Directory, Entry, OWNERSHIPS, SIZES};
use crate::event::Event;
use crate::status::{self, CaseState};
use crate::uscc;
use crate::{DomainError, Label};

/// Bumped when the document layout changes incompatibly.
pub const SCHEMA_VERSION: u64 = 1;

pub const TITLE_MAX: usize = 100;
pub const DESCRIPTION_MAX: usize = 5000;
pub const NAME_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Enterprise {
    pub id: String,
    pub name: String,
    /// 统一社会信用代码, validated and normalised.
    pub uscc: String,
    pub ownership: String,
    pub size: String,
    pub industry: String,
    pub district: String,
}

impl Enterprise {
    pub fn validate(mut self, directory: &Directory) -> Result<Enterprise, DomainError> {
        self.name = required(Label::new("企业名称", "enterprise name"), &self.name, NAME_MAX)?;
        self.uscc = uscc::validate(&self.uscc)?;
        self.industry = required(Label::new("所属行业", "industry"), &self.industry, NAME_MAX)?;
        directory.open_district(&self.district)?;
        let known = |list: &[Entry], code: &str| list.iter().any(|e| e.code == code);
        if !known(&OWNERSHIPS, &self.ownership) {
            return Err(DomainError::UnknownCode {
                what: Label::new("所有制类型", "ownership"), code: self.ownership
            });
        }
        if !known(&SIZES, &self.size) {
            return Err(DomainError::UnknownCode { what: Label::new("企业规模", "size"), code: self.size });
        }
        Ok(self)
    }
}

/// Personal data: never public, never in letters to third parties.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Contact {
    pub name: String,
    pub phone: String,
}

impl Contact {
    pub fn validate(self) -> Result<Contact, DomainError> {
        let name = required(Label::new("联系人", "contact name"), &self.name, NAME_MAX)?;
        let phone: String = self.phone.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
        let digits = phone.strip_prefix('+').unwrap_or(&phone);
        if !(7..=15).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(DomainError::BadPhone(self.phone));
        }
        Ok(Contact { name, phone })
    }
}

/// The largest attachment accepted (photos from a phone, scanned PDFs).
pub const ATTACHMENT_MAX_BYTES: u64 = 10 * 1024 * 1024;
/// Attachment types people can open everywhere.
pub const ATTACHMENT_TYPES: [&str; 4] = ["image/jpeg", "image/png", "image/webp", "application/pdf"];
const ATTACHMENTS_MAX: usize = 9;

/// A file kept as a content-addressed blob; the document holds only this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct AttachmentRef {
    pub sha256: String,
    pub name: String,
    pub mime: String,
    pub bytes: u64,
}

impl AttachmentRef {
    pub fn validate(self) -> Result<AttachmentRef, DomainError> {
        if self.bytes > ATTACHMENT_MAX_BYTES {
            return Err(DomainError::AttachmentTooLarge { name: self.name, max_mb: ATTACHMENT_MAX_BYTES >> 20 });
        }
        if !ATTACHMENT_TYPES.contains(&self.mime.as_str()) {
            return Err(DomainError::AttachmentType { name: self.name });
        }
        let hex = self.sha256.len() == 64 && self.sha256.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'));
        if !hex {
            return Err(DomainError::Document(format!("bad attachment hash {}", self.sha256)));
        }
        Ok(self)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct Appeal {
    pub title: String,
    pub description: String,
    pub category: String,
    /// The enterprise asks for the monthly on-site session.
    pub wants_session: bool,
    pub attachments: Vec<AttachmentRef>,
}

impl Appeal {
    pub fn validate(self, directory: &Directory) -> Result<Appeal, DomainError> {
        Ok(Appeal {
            title: required(Label::new("诉求标题", "appeal title"), &self.title, TITLE_MAX)?,
            description: required(Label::new("诉求内容", "appeal details"), &self.description, DESCRIPTION_MAX)?,
            category: directory.open_category(&self.category)?.code.clone(),
            attachments: validate_attachments(self.attachments)?,
            ..self
        })
    }
}

fn validate_attachments(list: Vec<AttachmentRef>) -> Result<Vec<AttachmentRef>, DomainError> {
    if list.len() > ATTACHMENTS_MAX {
        return Err(DomainError::TooManyAttachments { max: ATTACHMENTS_MAX });
    }
    list.into_iter().map(AttachmentRef::validate).collect()
}

/// A trimmed text that must be there and fit `max` characters.
pub(crate) fn required(field: Label, value: &str, max: usize) -> Result<String, DomainError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(DomainError::Required { field });
    }
    if value.chars().count() > max {
        return Err(DomainError::TooLong { field, max });
    }
    Ok(value.to_string())
}

/// One case: one Automerge document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hydrate, Reconcile)]
pub struct CaseDoc {
    pub schema: u64,
    pub id: String,
    /// e.g. HZ-2026-000123, assigned by the server on first receipt.
    pub number: Option<String>,
    pub created_ms: i64,
    pub district: String,
    pub enterprise: Enterprise,
    pub contact: Contact,
    pub appeal: Appeal,
    /// Event id → event. A map, so concurrent appends never collide.
    pub events: BTreeMap<String, Event>,
    /// Event id → both times, for events whose device time the server
    /// found implausible (see [`crate::device_time`]). Server-only; absent
    /// from documents written before it existed.
    #[autosurgeon(missing = "BTreeMap::new")]
    #[serde(default)]
    pub time_flags: BTreeMap<String, TimeFlag>,
}

impl CaseDoc {
    pub fn state(&self) -> CaseState {
        status::derive(self.events.values())
    }

    /// Every file the case names (by sha256): the appeal's, added
    /// information's and resolution evidence.
    pub fn attachments(&self) -> Vec<String> {
        self.files().into_iter().map(|f| f.sha256).collect()
    }

    /// The events nobody has appended after yet: what a new event follows.
    pub fn heads(&self) -> Vec<String> {
        let followed: std::collections::HashSet<&str> =
            self.events.values().flat_map(|e| e.after.iter().map(String::as_str)).collect();
        self.events.keys().filter(|id| !followed.contains(id.as_str())).cloned().collect()
    }
}

/// The human case number: HZ-<year>-<6-digit sequence>.
pub fn case_number(year: i32, sequence: u32) -> String {
    format!("HZ-{year}-{sequence:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> Directory {
        Directory::huizhou()
    }

    fn enterprise() -> Enterprise {
        Enterprise {
            id: "e1".into(),
            name: " 惠州市润发投资有限公司 ".into(),
            uscc: "91350100M000100Y43".into(),
            ownership: "private".into(),
            size: "medium".into(),
            industry: "房地产".into(),
            district: "boluo".into(),
        }
    }

    #[test]
    fn enterprise_is_trimmed_and_checked() {
        assert_eq!(enterprise().validate(&dir()).unwrap().name, "惠州市润发投资有限公司");
        let bad = Enterprise { uscc: "91350100M000100Y44".into(), ..enterprise() };
        assert!(matches!(bad.validate(&dir()), Err(DomainError::UsccCheck { .. })));
        let bad = Enterprise { district: "shenzhen".into(), ..enterprise() };
        assert!(matches!(bad.validate(&dir()), Err(DomainError::UnknownCode { .. })));
        let bad = Enterprise { size: "huge".into(), ..enterprise() };
        assert!(matches!(bad.validate(&dir()), Err(DomainError::UnknownCode { .. })));
    }

    #[test]
    fn appeal_needs_title_text_and_known_category() {
        let ok = Appeal {
            title: "项目夹心地问题".into(),
            description: "1300平方米夹心地未妥善处理".into(),
            category: "land".into(),
            wants_session: true,
            attachments: vec![],
        };
        assert!(ok.clone().validate(&dir()).is_ok());
        let empty = Appeal { title: "  ".into(), ..ok.clone() };
        assert_eq!(
            empty.validate(&dir()),
            Err(DomainError::Required { field: Label::new("诉求标题", "appeal title") })
        );
        let long = Appeal { title: "长".repeat(TITLE_MAX + 1), ..ok.clone() };
        assert!(matches!(long.validate(&dir()), Err(DomainError::TooLong { .. })));
        let unknown = Appeal { category: "weather".into(), ..ok };
        assert!(matches!(unknown.validate(&dir()), Err(DomainError::UnknownCode { .. })));
    }

    #[test]
    fn contact_phone_is_checked() {
        let c = Contact { name: "符先生".into(), phone: "0752-2345678".into() };
        assert_eq!(c.validate().unwrap().phone, "07522345678");
        let bad = Contact { name: "符先生".into(), phone: "call me".into() };
        assert!(matches!(bad.validate(), Err(DomainError::BadPhone(_))));
    }

    #[test]
    fn attachments_are_limited_in_size_type_and_number() {
        let photo = AttachmentRef {
            sha256: "a".repeat(64),
            name: "现场.jpg".into(),
            mime: "image/jpeg".into(),
            bytes: ATTACHMENT_MAX_BYTES,
        };
        assert!(photo.clone().validate().is_ok());
        let big = AttachmentRef { bytes: ATTACHMENT_MAX_BYTES + 1, ..photo.clone() };
        assert_eq!(big.validate().unwrap_err().label().zh, "文件“现场.jpg”超过10MB上限");
        let exe = AttachmentRef { mime: "application/x-msdownload".into(), ..photo.clone() };
        assert!(matches!(exe.validate(), Err(DomainError::AttachmentType { .. })));
        let forged = AttachmentRef { sha256: "../etc/passwd".into(), ..photo.clone() };
        assert!(forged.validate().is_err());
        assert!(matches!(validate_attachments(vec![photo; 10]), Err(DomainError::TooManyAttachments { max: 9 })));
    }

    #[test]
    fn case_numbers_are_padded() {
        assert_eq!(case_number(2026, 123), "HZ-2026-000123");
    }
}
