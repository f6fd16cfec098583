//! What a city's admins change in the directory, one edit at a time, and
//! the checks that keep it whole: every code named exists, codes are never
//! reused or renamed, and each unit's level fits its district.

use serde::{Deserialize, Serialize};

use super::{CATEGORY, CITY, DISTRICT, Directory, Level, Named, Routing, UNIT, Unit};
use crate::label::Text;
use crate::{DomainError, Label};

/// Longest name of a unit, district or category.
pub const NAME_MAX: usize = 40;
/// Longest code.
const CODE_MAX: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum DirectoryEdit {
    AddUnit {
        code: String,
        name: Text,
        level: Level,
        district: String,
        parent: Option<String>,
    },
    RenameUnit {
        code: String,
        name: Text,
    },
    /// Takes no new cases; old cases keep showing its name.
    RetireUnit {
        code: String,
    },
    RenameDistrict {
        code: String,
        name: Text,
    },
    AddCategory {
        code: String,
        name: Text,
    },
    RenameCategory {
        code: String,
        name: Text,
    },
    /// Takes no new appeals; old cases keep showing its name.
    RetireCategory {
        code: String,
    },
    /// The suggested lead and assisting units for a category, in one
    /// district or (`None`) city-wide. Replaces the line it matches.
    SetRouting {
        category: String,
        district: Option<String>,
        lead: String,
        assisting: Vec<String>,
    },
}

fn code(value: &str) -> Result<String, DomainError> {
    let ok = (2..=CODE_MAX).contains(&value.len())
        && value.starts_with(|c: char| c.is_ascii_lowercase())
        && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok { Ok(value.to_string()) } else { Err(DomainError::BadCode(value.to_string())) }
}

fn name(name: &Text) -> Result<Text, DomainError> {
    let half = |field: Label, value: &str| {
        let value = value.trim();
        if value.is_empty() {
            Err(DomainError::Required { field })
        } else if value.chars().count() > NAME_MAX {
            Err(DomainError::TooLong { field, max: NAME_MAX })
        } else {
            Ok(value.to_string())
        }
    };
    Ok(Label {
        zh: half(Label::new("中文名称", "Chinese name"), &name.zh)?,
        en: half(Label::new("英文名称", "English name"), &name.en)?,
    })
}

impl Directory {
    /// The directory with `edit` made, or why it may not be.
    pub fn apply(&self, edit: &DirectoryEdit) -> Result<Directory, DomainError> {
        let mut next = self.clone();
        match edit {
            DirectoryEdit::AddUnit { code: new, name: unit_name, level, district, parent } => {
                let new = code(new)?;
                if self.unit(&new).is_ok() {
                    return Err(DomainError::CodeTaken(new));
                }
                next.units.push(Unit {
                    code: new,
                    name: name(unit_name)?,
                    level: *level,
                    district: self.open_district(district)?.code.clone(),
                    parent: parent.as_deref().filter(|p| !p.is_empty()).map(String::from),
                    retired: false,
                });
            }
            DirectoryEdit::RenameUnit { code, name: new_name } => {
                let new_name = name(new_name)?;
                self.unit(code)?;
                next.units.iter_mut().filter(|u| &u.code == code).for_each(|u| u.name = new_name.clone());
            }
            DirectoryEdit::RetireUnit { code } => {
                self.unit(code)?;
                next.units.iter_mut().filter(|u| &u.code == code).for_each(|u| u.retired = true);
                // A retired unit is suggested to no one.
                next.routing.retain(|r| &r.lead != code);
                next.routing.iter_mut().for_each(|r| r.assisting.retain(|a| a != code));
            }
            DirectoryEdit::RenameDistrict { code, name: new_name } => {
                let new_name = name(new_name)?;
                self.district(code)?;
                next.districts.iter_mut().filter(|d| &d.code == code).for_each(|d| d.name = new_name.clone());
            }
            DirectoryEdit::AddCategory { code: new, name: new_name } => {
                let new = code(new)?;
                if self.category(&new).is_ok() {
                    return Err(DomainError::CodeTaken(new));
                }
                next.categories.push(Named { code: new, name: name(new_name)?, retired: false });
            }
            DirectoryEdit::RenameCategory { code, name: new_name } => {
                let new_name = name(new_name)?;
                self.category(code)?;
                next.categories.iter_mut().filter(|c| &c.code == code).for_each(|c| c.name = new_name.clone());
            }
            DirectoryEdit::RetireCategory { code } => {
                self.category(code)?;
                next.categories.iter_mut().filter(|c| &c.code == code).for_each(|c| c.retired = true);
                next.routing.retain(|r| &r.category != code);
            }
            DirectoryEdit::SetRouting { category, district, lead, assisting } => {
                let line = Routing {
                    category: category.clone(),
                    district: district.clone().filter(|d| !d.is_empty() && d != CITY),
                    lead: lead.clone(),
                    assisting: assisting.iter().filter(|a| *a != lead).cloned().collect(),
                };
                next.routing.retain(|r| !(r.category == line.category && r.district == line.district));
                next.routing.push(line);
            }
        }
        next.check()?;
        Ok(next)
    }

    /// Whether the whole directory holds together: what a loaded or
    /// imported directory must pass before anything uses it.
    pub fn check(&self) -> Result<(), DomainError> {
        let unique = |codes: Vec<&str>| {
            let mut sorted = codes.clone();
            sorted.sort_unstable();
            match sorted.windows(2).find(|w| w[0] == w[1]) {
                Some(w) => Err(DomainError::CodeTaken(w[0].to_string())),
                None => Ok(()),
            }
        };
        unique(self.districts.iter().map(|d| d.code.as_str()).collect())?;
        unique(self.units.iter().map(|u| u.code.as_str()).collect())?;
        unique(self.categories.iter().map(|c| c.code.as_str()).collect())?;
        if self.district(CITY).is_err() {
            return Err(DomainError::UnknownCode { what: DISTRICT, code: CITY.into() });
        }
        for unit in &self.units {
            self.district(&unit.district)?;
            if (unit.level == Level::City) != (unit.district == CITY) {
                return Err(DomainError::LevelDistrict { unit: unit.name.clone() });
            }
            if let Some(parent) = &unit.parent {
                let parent = self.unit(parent)?;
                if parent.code == unit.code {
                    return Err(DomainError::UnknownCode { what: UNIT, code: parent.code.clone() });
                }
            }
        }
        for line in &self.routing {
            self.category(&line.category)?;
            let district = line.district.as_deref().unwrap_or(CITY);
            self.district(district)?;
            for unit in std::iter::once(&line.lead).chain(&line.assisting) {
                self.routable(unit, district)?;
            }
        }
        if self.categories.iter().all(|c| c.retired) {
            return Err(DomainError::Required { field: CATEGORY });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(code: &str, level: Level, district: &str) -> DirectoryEdit {
        DirectoryEdit::AddUnit {
            code: code.into(),
            name: Label::new("惠阳区住建局", "Huiyang Housing Bureau").text(),
            level,
            district: district.into(),
            parent: Some("housing".into()),
        }
    }

    #[test]
    fn an_admin_adds_a_district_bureau_and_a_township() {
        let d = Directory::huizhou();
        let d = d.apply(&add("huiyang-housing", Level::District, "huiyang")).unwrap();
        let township = DirectoryEdit::AddUnit {
            code: "qiuchang".into(),
            name: Label::new("秋长街道", "Qiuchang Subdistrict").text(),
            level: Level::Township,
            district: "huiyang".into(),
            parent: None,
        };
        let d = d.apply(&township).unwrap();
        assert!(d.routable("qiuchang", "huiyang").is_ok());
        assert!(d.routable("huiyang-housing", "boluo").is_err());
    }

    #[test]
    fn bad_edits_are_refused_with_the_reason() {
        let d = Directory::huizhou();
        assert_eq!(d.apply(&add("natres", Level::City, CITY)), Err(DomainError::CodeTaken("natres".into())));
        assert_eq!(d.apply(&add("Bad Code", Level::City, CITY)), Err(DomainError::BadCode("Bad Code".into())));
        assert!(matches!(d.apply(&add("x-bureau", Level::City, "huiyang")), Err(DomainError::LevelDistrict { .. })));
        assert!(matches!(d.apply(&add("x-bureau", Level::District, CITY)), Err(DomainError::LevelDistrict { .. })));
        assert!(matches!(d.apply(&add("x-bureau", Level::District, "nowhere")), Err(DomainError::UnknownCode { .. })));
        let nameless = DirectoryEdit::RenameUnit { code: "natres".into(), name: Label::new(" ", "x").text() };
        assert!(matches!(d.apply(&nameless), Err(DomainError::Required { .. })));
        let elsewhere = DirectoryEdit::SetRouting {
            category: "land".into(),
            district: Some("boluo".into()),
            lead: "huidong-natres".into(),
            assisting: vec![],
        };
        assert!(matches!(d.apply(&elsewhere), Err(DomainError::ServesElsewhere { .. })));
    }

    #[test]
    fn districts_are_renamed_and_categories_added_renamed_and_retired() {
        let named = |zh: &str, en: &str| Label { zh: zh.to_string(), en: en.to_string() };
        let d = Directory::huizhou();
        let d = d
            .apply(&DirectoryEdit::RenameDistrict { code: "zhongkai".into(), name: named("仲恺区", "Zhongkai") })
            .unwrap();
        assert_eq!(d.district_name("zhongkai").zh, "仲恺区");
        let d =
            d.apply(&DirectoryEdit::AddCategory { code: "talent".into(), name: named("人才服务", "Talent") }).unwrap();
        assert!(d.open_category("talent").is_ok());
        let twice = DirectoryEdit::AddCategory { code: "land".into(), name: named("用地", "Land") };
        assert_eq!(d.apply(&twice), Err(DomainError::CodeTaken("land".into())));
        let d = d.apply(&DirectoryEdit::RetireCategory { code: "land".into() }).unwrap();
        assert!(
            d.open_category("land").is_err() && d.category_name("land").zh == "建设用地",
            "old cases keep its name"
        );
        assert!(d.suggestion("land", "huidong").is_none(), "its routing goes with it");
        let mut all = d.clone();
        for code in all.categories.iter().map(|c| c.code.clone()).collect::<Vec<_>>() {
            match all.apply(&DirectoryEdit::RetireCategory { code }) {
                Ok(next) => all = next,
                Err(e) => return assert!(matches!(e, DomainError::Required { .. }), "the last open category stays"),
            }
        }
        panic!("every category was retired");
    }

    #[test]
    fn a_renamed_unit_keeps_its_code_and_a_retired_one_stays_readable() {
        let d = Directory::huizhou();
        let renamed = DirectoryEdit::RenameUnit {
            code: "natres".into(),
            name: Label::new("市自然资源和规划局", "NRPB").text(),
        };
        let d = d.apply(&renamed).unwrap();
        assert_eq!(d.unit("natres").unwrap().name.zh, "市自然资源和规划局");
        let d = d.apply(&DirectoryEdit::RetireUnit { code: "huidong-natres".into() }).unwrap();
        assert_eq!(d.unit_name("huidong-natres").zh, "惠东县自然资源局");
        assert!(d.routable("huidong-natres", "huidong").is_err());
        assert_eq!(d.suggestion("land", "huidong").unwrap().lead, "natres", "the city-wide line takes over");
    }
}
