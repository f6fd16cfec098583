//! Display names for directory codes and statuses, in the language shown.

use domain::deadline::Light;
use domain::directory::{self, Entry};
use domain::status::Status;

use crate::i18n::{entry, tr};

fn name(list: &'static [Entry], code: &str) -> &'static str {
    list.iter().find(|e| e.code == code).map_or("—", entry)
}

pub fn district(code: &str) -> &'static str {
    name(&directory::DISTRICTS, code)
}

pub fn category(code: &str) -> &'static str {
    name(&directory::CATEGORIES, code)
}

pub fn department(code: &str) -> &'static str {
    name(&directory::DEPARTMENTS, code)
}

pub fn theme(code: &str) -> &'static str {
    name(&directory::THEMES, code)
}

/// A session's name: the district's monthly session, or a special session
/// with its theme and districts.
pub fn session(session: &domain::meeting::Session) -> String {
    let places: Vec<&str> = session.districts.iter().map(|d| district(d)).collect();
    let places = places.join(tr("、", ", "));
    let day = session.day;
    match &session.theme {
        None => crate::i18n::pick(format!("{places} {day} 现场活动"), format!("{places} session, {day}")),
        Some(theme) => crate::i18n::pick(
            format!("{} {day}({places})", self::theme(theme)),
            format!("{} session, {day} ({places})", self::theme(theme)),
        ),
    }
}

/// The name of the session `id`, or the id itself if it is not one.
pub fn session_id(id: &str) -> String {
    domain::meeting::Session::parse(id).map_or_else(|_| id.to_string(), |s| session(&s))
}

pub fn status(status: Status) -> &'static str {
    crate::i18n::label(status.label())
}

pub fn light(light: Light) -> &'static str {
    match light {
        Light::Green => tr("正常", "On track"),
        Light::Yellow => tr("临近期限", "Due soon"),
        Light::Red => tr("已超期", "Overdue"),
    }
}

/// A deadline's day, marked when it falls in a year whose official
/// holiday arrangement is not published yet (counted by the statutory
/// rules until an admin imports it).
pub fn due(day: domain::time::Day) -> String {
    if crate::clock::policy().calendar.is_provisional(day) {
        let mark = domain::calendar::PROVISIONAL;
        crate::i18n::pick(format!("{day}({})", mark.zh), format!("{day} ({})", mark.en))
    } else {
        day.to_string()
    }
}

/// `YYYY-MM-DD` of an instant, in China.
pub fn date(ms: i64) -> String {
    domain::time::Day::of_instant(ms).to_string()
}

/// `HH:MM` of an instant, in China (UTC+8, no daylight saving).
pub fn time(ms: i64) -> String {
    let minutes = (ms / 60_000 + 8 * 60).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `YYYY-MM-DD HH:MM` of an instant, in China.
pub fn date_time(ms: i64) -> String {
    format!("{} {}", date(ms), time(ms))
}

/// The name of a monthly letter's month (`YYYY-MM`).
pub fn month(month: &str) -> String {
    let (year, number) = month.split_once('-').unwrap_or((month, ""));
    let number = number.trim_start_matches('0');
    crate::i18n::pick(format!("{year}年{number}月 进度告知函"), format!("Progress letter, {month}"))
}
