//! The officials a case may name as people (一对一责任制, 任务到人): the
//! leader who leads a decision — a leader of the case's district or of the
//! city — and the officer (承办人) who handles it in the lead unit. The
//! server builds the roster from its active accounts and checks every
//! named person against it; the app offers the same people in its forms.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::directory::CITY;
use crate::permission::Role;
use crate::{DomainError, Label};

/// An official as others see them: the contract of `GET /api/officials`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Official {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// The unit of an officer.
    pub org: Option<String>,
    /// The district of a coordinator or leader.
    pub district: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    officials: BTreeMap<String, Official>,
}

impl Roster {
    pub fn new(officials: impl IntoIterator<Item = Official>) -> Roster {
        Roster { officials: officials.into_iter().map(|o| (o.id.clone(), o)).collect() }
    }

    pub fn get(&self, id: &str) -> Option<&Official> {
        self.officials.get(id)
    }

    pub fn all(&self) -> impl Iterator<Item = &Official> {
        self.officials.values()
    }

    /// The leaders who may lead a case of `district`: its own, then the city's.
    pub fn leaders_for(&self, district: &str) -> Vec<&Official> {
        let of = |place: &str| {
            self.all()
                .filter(move |o| o.role == Role::Leader && o.district.as_deref() == Some(place))
                .collect::<Vec<_>>()
        };
        let mut leaders = of(district);
        if district != CITY {
            leaders.extend(of(CITY));
        }
        leaders
    }

    /// The officers of `unit`.
    pub fn officers_of(&self, unit: &str) -> Vec<&Official> {
        self.all().filter(|o| o.role == Role::Officer && o.org.as_deref() == Some(unit)).collect()
    }

    /// `id`, if it is a leader who may lead a case of `district`.
    pub fn leader_for(&self, id: &str, district: &str) -> Result<&Official, DomainError> {
        self.leaders_for(district).into_iter().find(|o| o.id == id).ok_or_else(|| DomainError::NotOnRoster {
            person: id.to_string(),
            wanted: Label::new("该区县或市级的领导", "a leader of the district or the city"),
        })
    }

    /// `id`, if it is an officer of `unit`.
    pub fn officer_of(&self, id: &str, unit: &str) -> Result<&Official, DomainError> {
        self.officers_of(unit).into_iter().find(|o| o.id == id).ok_or_else(|| DomainError::NotOnRoster {
            person: id.to_string(),
            wanted: Label::new("牵头部门的在职工作人员", "a serving officer of the lead unit"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn official(id: &str, role: Role, org: Option<&str>, district: Option<&str>) -> Official {
        Official {
            id: id.into(),
            name: id.into(),
            role,
            org: org.map(String::from),
            district: district.map(String::from),
        }
    }

    #[test]
    fn leaders_serve_their_district_and_officers_their_unit() {
        let roster = Roster::new([
            official("leader-huiyang", Role::Leader, None, Some("huiyang")),
            official("leader-city", Role::Leader, None, Some(CITY)),
            official("leader-boluo", Role::Leader, None, Some("boluo")),
            official("wang", Role::Officer, Some("huiyang-housing"), None),
        ]);
        let ids = |list: Vec<&Official>| list.into_iter().map(|o| o.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(roster.leaders_for("huiyang")), ["leader-huiyang", "leader-city"]);
        assert!(roster.leader_for("leader-boluo", "huiyang").is_err());
        assert!(roster.officer_of("wang", "huiyang-housing").is_ok());
        assert!(matches!(roster.officer_of("wang", "natres"), Err(DomainError::NotOnRoster { .. })));
        assert!(roster.officer_of("leader-city", "huiyang-housing").is_err());
    }
}
