//! How each person wants to be reached: an e-mail address, which kinds of
//! notification to have pushed and when not (quiet hours), a daily digest
//! by e-mail, the monthly letter by e-mail. The server keeps one
//! [`Settings`] per account; every change is checked here. What each
//! event tells whom is [`news`].

mod news;

pub use news::{Audience, News, news};

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::time::{Day, china_hour};
use crate::{DomainError, Label, Lang};

const HOUR_MS: i64 = 3_600_000;

/// The longest e-mail address SMTP carries (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;

/// What a notification is about; each can be turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A case routed or assigned to you (or your unit).
    Assigned,
    /// More information asked of your enterprise.
    InfoRequested,
    /// An invitation to a session, or a session moved.
    Session,
    /// The session's decision on your case.
    Decision,
    /// A reply or resolution on your appeal.
    Answer,
    /// A bad review of your unit's work.
    BadReview,
    /// A case escalated to you.
    Escalated,
    /// A deadline near, today or past.
    Deadline,
    /// The monthly progress letter issued.
    Letter,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Assigned,
        Kind::InfoRequested,
        Kind::Session,
        Kind::Decision,
        Kind::Answer,
        Kind::BadReview,
        Kind::Escalated,
        Kind::Deadline,
        Kind::Letter,
    ];

    pub fn label(self) -> Label {
        match self {
            Kind::Assigned => Label::new("分办或指派给我", "Routed or assigned to me"),
            Kind::InfoRequested => Label::new("要求补充材料", "More information asked"),
            Kind::Session => Label::new("现场会邀请或改期", "Session invitations and changes"),
            Kind::Decision => Label::new("现场会决定", "Session decisions"),
            Kind::Answer => Label::new("答复与办结", "Replies and resolutions"),
            Kind::BadReview => Label::new("差评", "Bad reviews"),
            Kind::Escalated => Label::new("升级交办给我", "Escalated to me"),
            Kind::Deadline => Label::new("期限提醒", "Deadline reminders"),
            Kind::Letter => Label::new("每月进度告知函", "Monthly progress letters"),
        }
    }
}

/// Hours (China time, 0–23) when nothing is pushed: from `from` up to
/// `to`, past midnight when `from` is later (22 → 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quiet {
    pub from: u8,
    pub to: u8,
}

impl Quiet {
    /// Whether `hour` is quiet.
    pub fn covers(self, hour: u8) -> bool {
        if self.from <= self.to { (self.from..self.to).contains(&hour) } else { hour >= self.from || hour < self.to }
    }
}

/// One person's choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub email: Option<String>,
    /// The language of mails and notifications.
    #[serde(default)]
    pub lang: Lang,
    /// Kinds not to be told of.
    #[serde(default)]
    pub muted: BTreeSet<Kind>,
    #[serde(default)]
    pub quiet: Option<Quiet>,
    /// A morning e-mail of what waits on them (officials).
    #[serde(default)]
    pub digest: bool,
    /// The monthly letter by e-mail too (enterprises).
    #[serde(default = "yes")]
    pub letters_by_mail: bool,
}

/// An e-mail address as typed: trimmed and checked; none if empty.
pub fn email(typed: Option<&str>) -> Result<Option<String>, DomainError> {
    match typed.map(str::trim) {
        None | Some("") => Ok(None),
        Some(email) if email.len() <= EMAIL_MAX && email_address::EmailAddress::is_valid(email) => {
            Ok(Some(email.to_string()))
        }
        Some(email) => Err(DomainError::BadEmail(email.to_string())),
    }
}

fn yes() -> bool {
    true
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            email: None,
            lang: Lang::Zh,
            muted: BTreeSet::new(),
            quiet: None,
            digest: false,
            letters_by_mail: true,
        }
    }
}

impl Settings {
    /// The settings as they may be kept: the address trimmed and checked
    /// (an empty one is none), quiet hours within a day and not empty.
    pub fn validate(mut self) -> Result<Settings, DomainError> {
        self.email = email(self.email.as_deref())?;
        if let Some(q) = self.quiet
            && (q.from > 23 || q.to > 23 || q.from == q.to)
        {
            return Err(DomainError::OutOfRange {
                field: Label::new("免打扰时段", "quiet hours"), min: 0, max: 23
            });
        }
        Ok(self)
    }

    /// Whether a `kind` notification may be pushed at `hour` (China time).
    pub fn wants(&self, kind: Kind, hour: u8) -> bool {
        !self.muted.contains(&kind) && !self.quiet.is_some_and(|q| q.covers(hour))
    }

    /// When a `kind` notification made at `now_ms` is to be pushed: now,
    /// or when quiet hours end; never if the kind is muted.
    pub fn push_at(&self, kind: Kind, now_ms: i64) -> Option<i64> {
        if self.muted.contains(&kind) {
            return None;
        }
        match self.quiet {
            Some(q) if q.covers(china_hour(now_ms)) => {
                let end = Day::of_instant(now_ms).start_instant() + i64::from(q.to) * HOUR_MS;
                Some(if end > now_ms { end } else { end + 24 * HOUR_MS })
            }
            _ => Some(now_ms),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_checked_and_an_empty_one_is_none() {
        let with = |email: &str| Settings { email: Some(email.into()), ..Settings::default() }.validate();
        assert_eq!(with("  huang@dejinchang.cn ").unwrap().email.as_deref(), Some("huang@dejinchang.cn"));
        assert_eq!(with("").unwrap().email, None);
        assert!(matches!(with("huang at dejinchang"), Err(DomainError::BadEmail(_))));
        assert!(matches!(with("a@b@c.cn"), Err(DomainError::BadEmail(_))));
        assert!(matches!(with(&format!("{}@x.cn", "a".repeat(250))), Err(DomainError::BadEmail(_))));
    }

    #[test]
    fn quiet_hours_wrap_past_midnight_and_muted_kinds_stay_quiet() {
        let night = Quiet { from: 22, to: 7 };
        assert!(night.covers(23) && night.covers(0) && night.covers(6));
        assert!(!night.covers(7) && !night.covers(12) && !night.covers(21));
        let lunch = Quiet { from: 12, to: 14 };
        assert!(lunch.covers(12) && lunch.covers(13) && !lunch.covers(14));
        let settings = Settings { quiet: Some(night), muted: [Kind::Letter].into(), ..Settings::default() };
        assert!(settings.wants(Kind::Deadline, 9));
        assert!(!settings.wants(Kind::Deadline, 23), "quiet");
        assert!(!settings.wants(Kind::Letter, 9), "muted");
        let empty = Settings { quiet: Some(Quiet { from: 8, to: 8 }), ..Settings::default() };
        assert!(empty.validate().is_err());
        let late = Settings { quiet: Some(Quiet { from: 24, to: 8 }), ..Settings::default() };
        assert!(late.validate().is_err());
    }

    #[test]
    fn a_notification_in_quiet_hours_waits_for_their_end() {
        let day = Day::parse("2026-11-20").unwrap().start_instant();
        let settings = Settings { quiet: Some(Quiet { from: 22, to: 7 }), ..Settings::default() };
        assert_eq!(settings.push_at(Kind::Deadline, day + 9 * HOUR_MS), Some(day + 9 * HOUR_MS), "not quiet");
        assert_eq!(settings.push_at(Kind::Deadline, day + 23 * HOUR_MS), Some(day + 31 * HOUR_MS), "next morning");
        assert_eq!(settings.push_at(Kind::Deadline, day + 2 * HOUR_MS), Some(day + 7 * HOUR_MS), "this morning");
        let muted = Settings { muted: [Kind::Deadline].into(), ..settings };
        assert_eq!(muted.push_at(Kind::Deadline, day + 9 * HOUR_MS), None);
    }

    #[test]
    fn settings_read_from_older_json_get_defaults() {
        let settings: Settings = serde_json::from_str(r#"{"email":"a@b.cn"}"#).unwrap();
        assert!(settings.letters_by_mail && !settings.digest && settings.muted.is_empty());
        assert_eq!(settings.lang, Lang::Zh);
        let json = serde_json::to_string(&Settings { muted: [Kind::BadReview].into(), ..Settings::default() }).unwrap();
        assert!(json.contains(r#""muted":["bad-review"]"#), "{json}");
    }
}
