//! Display names for directory codes (zh-CN).

use domain::directory::{self, Entry};

fn name(list: &'static [Entry], code: &str) -> &'static str {
    list.iter().find(|e| e.code == code).map_or("—", |e| e.zh)
}

pub fn district(code: &str) -> &'static str {
    name(&directory::DISTRICTS, code)
}

pub fn category(code: &str) -> &'static str {
    name(&directory::CATEGORIES, code)
}

/// `YYYY-MM-DD` of an instant, in China.
pub fn date(ms: i64) -> String {
    domain::time::Day::of_instant(ms).to_string()
}
