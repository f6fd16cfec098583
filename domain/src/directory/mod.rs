//! The city's organisation, which every case refers to by code: its
//! districts, its units at three levels (city bureaus, district and county
//! bureaus, townships and streets), the categories of appeals, and who
//! usually leads each category where. It is data the city's admins keep
//! ([`edit`]); a new installation starts from Huizhou's ([`Directory::huizhou`]).
//! Codes never change; names may. A retired unit or category stays
//! readable on old cases but takes no new ones.

pub mod edit;
mod fixed;
mod huizhou;

pub use fixed::{Entry, OWNERSHIPS, SIZES, THEMES, theme};

use serde::{Deserialize, Serialize};

use crate::label::Text;
use crate::{DomainError, Label};

/// The code of the city level: it serves, and may act in, every district.
pub const CITY: &str = "city";

/// A district or a category: a code and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub code: String,
    pub name: Text,
    #[serde(default)]
    pub retired: bool,
}

/// The level of government a unit belongs to (分级负责).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// A city bureau: serves every district.
    City,
    /// A district or county bureau.
    District,
    /// A township or street office (镇街).
    Township,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::City, Level::District, Level::Township];

    pub fn label(self) -> Label {
        match self {
            Level::City => Label::new("市直部门", "city bureau"),
            Level::District => Label::new("县(区)部门", "district bureau"),
            Level::Township => Label::new("镇街", "township or street"),
        }
    }
}

/// A unit that leads or assists on cases: its officers sign in under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub code: String,
    pub name: Text,
    pub level: Level,
    /// [`CITY`] for a city bureau, else the district it belongs to.
    pub district: String,
    /// The unit above it, if any (a county bureau's city bureau).
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub retired: bool,
}

impl Unit {
    /// Whether it may lead or assist on a case of `district`.
    pub fn serves(&self, district: &str) -> bool {
        !self.retired && (self.level == Level::City || self.district == district)
    }
}

/// Who a coordinator is offered as lead and assisting units for a category
/// in a district (`None`: every district without its own line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    pub category: String,
    pub district: Option<String>,
    pub lead: String,
    pub assisting: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub districts: Vec<Named>,
    pub units: Vec<Unit>,
    pub categories: Vec<Named>,
    pub routing: Vec<Routing>,
}

fn unknown(what: Label, code: &str) -> DomainError {
    DomainError::UnknownCode { what, code: code.to_string() }
}

pub(crate) const DISTRICT: Label = Label::new("区县", "district");
pub(crate) const UNIT: Label = Label::new("部门", "department");
pub(crate) const CATEGORY: Label = Label::new("诉求类别", "category");

impl Directory {
    /// The seed of a new installation.
    pub fn huizhou() -> Directory {
        huizhou::directory()
    }

    /// A district, retired or not (old cases keep theirs).
    pub fn district(&self, code: &str) -> Result<&Named, DomainError> {
        self.districts.iter().find(|d| d.code == code).ok_or_else(|| unknown(DISTRICT, code))
    }

    pub fn unit(&self, code: &str) -> Result<&Unit, DomainError> {
        self.units.iter().find(|u| u.code == code).ok_or_else(|| unknown(UNIT, code))
    }

    pub fn category(&self, code: &str) -> Result<&Named, DomainError> {
        self.categories.iter().find(|c| c.code == code).ok_or_else(|| unknown(CATEGORY, code))
    }

    /// A district new work may name: known and not retired.
    pub fn open_district(&self, code: &str) -> Result<&Named, DomainError> {
        self.district(code).and_then(|d| if d.retired { Err(unknown(DISTRICT, code)) } else { Ok(d) })
    }

    /// A category a new appeal may take: known and not retired.
    pub fn open_category(&self, code: &str) -> Result<&Named, DomainError> {
        self.category(code).and_then(|c| if c.retired { Err(unknown(CATEGORY, code)) } else { Ok(c) })
    }

    /// A unit a case of `district` may be routed to: open, and a city
    /// bureau or one of that district's own.
    pub fn routable(&self, code: &str, district: &str) -> Result<&Unit, DomainError> {
        let unit = self.unit(code)?;
        if unit.serves(district) {
            Ok(unit)
        } else {
            Err(DomainError::ServesElsewhere { unit: unit.name.clone(), district: district.to_string() })
        }
    }

    /// The units a case of `district` may be routed to: the district's own
    /// first (they are closest to it; its bureaus, then its townships),
    /// then the city bureaus.
    pub fn units_for(&self, district: &str) -> Vec<&Unit> {
        let open = |level: Level| self.units.iter().filter(move |u| u.level == level && u.serves(district));
        open(Level::District).chain(open(Level::Township)).chain(open(Level::City)).collect()
    }

    /// The suggested lead and assisting units for a new case: the
    /// district's own line for the category, else the city-wide one.
    pub fn suggestion(&self, category: &str, district: &str) -> Option<&Routing> {
        let line =
            |want: Option<&str>| self.routing.iter().find(|r| r.category == category && r.district.as_deref() == want);
        line(Some(district)).or_else(|| line(None)).filter(|r| self.routable(&r.lead, district).is_ok())
    }

    /// The name of a unit, or its code when the directory does not know it
    /// (a unit of a directory this device has not received yet).
    pub fn unit_name(&self, code: &str) -> Text {
        self.unit(code).map_or_else(|_| Label { zh: code.to_string(), en: code.to_string() }, |u| u.name.clone())
    }

    pub fn district_name(&self, code: &str) -> Text {
        self.district(code).map_or_else(|_| Label { zh: code.to_string(), en: code.to_string() }, |d| d.name.clone())
    }

    pub fn category_name(&self, code: &str) -> Text {
        self.category(code).map_or_else(|_| Label { zh: code.to_string(), en: code.to_string() }, |c| c.name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_is_consistent_and_keeps_the_programme_codes() {
        let d = Directory::huizhou();
        d.check().unwrap();
        assert_eq!(d.districts.len(), 8, "the city and its 7 districts/counties");
        assert_eq!(d.units.iter().filter(|u| u.level == Level::City).count(), 20);
        assert_eq!(d.categories.len(), 10);
        assert_eq!(d.district("boluo").unwrap().name.zh, "博罗县");
        assert!(matches!(d.category("nope"), Err(DomainError::UnknownCode { .. })));
    }

    #[test]
    fn a_district_unit_serves_only_its_district_and_city_bureaus_serve_all() {
        let d = Directory::huizhou();
        assert!(d.routable("huidong-natres", "huidong").is_ok());
        assert!(matches!(d.routable("huidong-natres", "boluo"), Err(DomainError::ServesElsewhere { .. })));
        assert!(d.routable("natres", "boluo").is_ok());
        let for_huiyang: Vec<&str> = d.units_for("huiyang").iter().map(|u| u.code.as_str()).collect();
        assert_eq!(for_huiyang[0], "danshui", "the district's own units come first");
        assert!(!for_huiyang.contains(&"huidong-natres"));
    }

    #[test]
    fn routing_prefers_the_districts_own_line() {
        let d = Directory::huizhou();
        assert_eq!(d.suggestion("land", "huidong").unwrap().lead, "huidong-natres");
        assert_eq!(d.suggestion("land", "boluo").unwrap().lead, "natres");
        assert!(d.suggestion("other", "boluo").is_none());
    }
}
