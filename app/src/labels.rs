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

pub fn status(status: Status) -> &'static str {
    tr(status.zh(), status.en())
}

pub fn light(light: Light) -> &'static str {
    match light {
        Light::Green => tr("正常", "On track"),
        Light::Yellow => tr("临近期限", "Due soon"),
        Light::Red => tr("已超期", "Overdue"),
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
