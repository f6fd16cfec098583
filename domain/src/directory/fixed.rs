//! Lists fixed by the programme itself, not by a city's organisation:
//! ownership types and sizes of enterprises, and themes of special
//! sessions. Looked up by code like the directory.

use crate::{DomainError, Label};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub name: Label,
}

/// Ownership types an enterprise registers with.
pub const OWNERSHIPS: [Entry; 5] = [
    Entry { code: "state", name: Label::new("国有企业", "State-owned") },
    Entry { code: "private", name: Label::new("民营企业", "Private") },
    Entry { code: "foreign", name: Label::new("外资企业", "Foreign-invested") },
    Entry { code: "hmt", name: Label::new("港澳台资企业", "Hong Kong / Macao / Taiwan") },
    Entry { code: "public_unit", name: Label::new("基层单位", "Grassroots public unit") },
];

pub const SIZES: [Entry; 4] = [
    Entry { code: "large", name: Label::new("大型", "Large") },
    Entry { code: "medium", name: Label::new("中型", "Medium") },
    Entry { code: "small", name: Label::new("小型", "Small") },
    Entry { code: "micro", name: Label::new("微型", "Micro") },
];

/// Themes of special sessions (专场), from the programme's first year:
/// land, Hong Kong enterprises, grassroots units, sanitation, financing.
/// `cross` is a cross-district session with no theme.
pub const THEMES: [Entry; 6] = [
    Entry { code: "land", name: Label::new("用地专场", "Land") },
    Entry { code: "hongkong", name: Label::new("港资企业专场", "Hong Kong enterprises") },
    Entry { code: "grassroots", name: Label::new("基层单位专场", "Grassroots units") },
    Entry { code: "sanitation", name: Label::new("环卫专场", "Sanitation") },
    Entry { code: "financing", name: Label::new("融资专场", "Financing") },
    Entry { code: "cross", name: Label::new("跨县(区)专场", "Cross-district") },
];

fn find(list: &'static [Entry], what: Label, code: &str) -> Result<&'static Entry, DomainError> {
    list.iter().find(|e| e.code == code).ok_or_else(|| DomainError::UnknownCode { what, code: code.to_string() })
}

pub fn theme(code: &str) -> Result<&'static Entry, DomainError> {
    find(&THEMES, Label::new("专场主题", "theme"), code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        for list in [&OWNERSHIPS[..], &SIZES[..], &THEMES[..]] {
            let mut codes: Vec<_> = list.iter().map(|e| e.code).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), list.len());
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(theme("land").unwrap().name.zh, "用地专场");
        assert!(matches!(theme("nope"), Err(DomainError::UnknownCode { .. })));
    }
}
