//! Display names for directory codes and statuses, in the language shown.
//! The directory's names come from the policy in force (see
//! [`crate::policy`]): read in a view, the view follows a newer directory.

use domain::deadline::Light;
use domain::directory::{self, Entry, Level};
use domain::status::Status;

use crate::clock::policy;
use crate::i18n::{entry, say, tr};

/// Choices for a select: (code, name shown).
pub type Options = Vec<(String, String)>;

pub fn district(code: &str) -> String {
    say(&policy().directory.district_name(code))
}

pub fn category(code: &str) -> String {
    say(&policy().directory.category_name(code))
}

/// A unit's name: a city bureau, a district bureau or a township.
pub fn department(code: &str) -> String {
    say(&policy().directory.unit_name(code))
}

pub fn theme(code: &str) -> &'static str {
    directory::THEMES.iter().find(|e| e.code == code).map_or("—", entry)
}

/// A fixed list's choices.
pub fn entries(list: &'static [Entry]) -> Options {
    list.iter().map(|e| (e.code.to_string(), entry(e).to_string())).collect()
}

/// The districts new work may name.
pub fn districts() -> Options {
    let policy = policy();
    policy.directory.districts.iter().filter(|d| !d.retired).map(|d| (d.code.clone(), say(&d.name))).collect()
}

/// The categories a new appeal may take.
pub fn categories() -> Options {
    let policy = policy();
    policy.directory.categories.iter().filter(|c| !c.retired).map(|c| (c.code.clone(), say(&c.name))).collect()
}

/// The units a case of `district` may go to: the district's own first.
pub fn units_for(district: &str) -> Options {
    let policy = policy();
    policy.directory.units_for(district).into_iter().map(|u| (u.code.clone(), say(&u.name))).collect()
}

/// Every open unit, with its level (an officer's unit).
pub fn units() -> Options {
    let policy = policy();
    let named = |u: &directory::Unit| {
        let place = if u.level == Level::City { String::new() } else { format!(" · {}", district(&u.district)) };
        (u.code.clone(), format!("{}{place}", say(&u.name)))
    };
    policy.directory.units.iter().filter(|u| !u.retired).map(named).collect()
}

/// A session's name: the district's monthly session, or a special session
/// with its theme and districts.
pub fn session(session: &domain::meeting::Session) -> String {
    let places: Vec<String> = session.districts.iter().map(|d| district(d)).collect();
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
