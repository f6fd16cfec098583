#![allow(clippy::unwrap_used)]
//! The table of lunar festival dates the provisional calendar is computed
//! from (data/lunar-festivals.txt) agrees, year by year, with the tyme4rs
//! crate's astronomical calendar.

use domain::calendar::statutory::{LUNAR_FESTIVALS, parse_festivals};
use domain::time::Day;
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

fn day(solar: SolarDay) -> Day {
    let (y, m, d) = (solar.get_year() as i32, solar.get_month() as u32, solar.get_day() as u32);
    Day::ymd(y, m, d).unwrap()
}

#[test]
fn the_festival_table_matches_tyme4rs_for_every_year_it_covers() {
    let table = parse_festivals(LUNAR_FESTIVALS).unwrap();
    assert_eq!(table.keys().copied().collect::<Vec<_>>(), (2025..=2050).collect::<Vec<_>>());
    for (&year, festivals) in &table {
        let y = year as isize;
        assert_eq!(festivals.spring, day(LunarDay::from_ymd(y, 1, 1).get_solar_day()), "Spring Festival {year}");
        assert_eq!(festivals.qingming, day(SolarTerm::from_name(y, "清明").get_solar_day()), "Qingming {year}");
        assert_eq!(festivals.dragon_boat, day(LunarDay::from_ymd(y, 5, 5).get_solar_day()), "Dragon Boat {year}");
        assert_eq!(festivals.mid_autumn, day(LunarDay::from_ymd(y, 8, 15).get_solar_day()), "Mid-Autumn {year}");
    }
}
