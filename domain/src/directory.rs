//! Districts, departments and categories: the directory every case refers
//! to by code. The built-in lists are Huizhou's; admins will edit them as a
//! directory document (step 2), so everything here is looked up by code.

use crate::{DomainError, Label};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub name: Label,
}

/// The code of the city level: it serves, and may act in, every district.
pub const CITY: &str = "city";

/// The city itself and its seven districts/counties.
pub const DISTRICTS: [Entry; 8] = [
    Entry { code: CITY, name: Label::new("惠州市(市级)", "Huizhou (city level)") },
    Entry { code: "huicheng", name: Label::new("惠城区", "Huicheng District") },
    Entry { code: "huiyang", name: Label::new("惠阳区", "Huiyang District") },
    Entry { code: "huidong", name: Label::new("惠东县", "Huidong County") },
    Entry { code: "boluo", name: Label::new("博罗县", "Boluo County") },
    Entry { code: "longmen", name: Label::new("龙门县", "Longmen County") },
    Entry { code: "dayawan", name: Label::new("大亚湾区", "Dayawan District") },
    Entry { code: "zhongkai", name: Label::new("仲恺高新区", "Zhongkai Hi-tech Zone") },
];

pub const DEPARTMENTS: [Entry; 20] = [
    Entry { code: "natres", name: Label::new("市自然资源局", "Natural Resources Bureau") },
    Entry {
        code: "housing", name: Label::new("市住房和城乡建设局", "Housing and Urban-Rural Development Bureau")
    },
    Entry { code: "ndrc", name: Label::new("市发展和改革局", "Development and Reform Bureau") },
    Entry {
        code: "industry", name: Label::new("市工业和信息化局", "Industry and Information Technology Bureau")
    },
    Entry { code: "commerce", name: Label::new("市商务局", "Commerce Bureau") },
    Entry { code: "finance", name: Label::new("市财政局", "Finance Bureau") },
    Entry {
        code: "hrss", name: Label::new("市人力资源和社会保障局", "Human Resources and Social Security Bureau")
    },
    Entry { code: "education", name: Label::new("市教育局", "Education Bureau") },
    Entry { code: "transport", name: Label::new("市交通运输局", "Transport Bureau") },
    Entry { code: "ecology", name: Label::new("市生态环境局", "Ecology and Environment Bureau") },
    Entry { code: "market", name: Label::new("市市场监督管理局", "Market Regulation Bureau") },
    Entry { code: "tax", name: Label::new("市税务局", "Taxation Bureau") },
    Entry { code: "police", name: Label::new("市公安局", "Public Security Bureau") },
    Entry {
        code: "govdata", name: Label::new("市政务服务数据管理局", "Government Services and Data Administration")
    },
    Entry {
        code: "urban", name: Label::new("市城市管理和综合执法局", "Urban Management and Law Enforcement Bureau")
    },
    Entry { code: "water", name: Label::new("市水务局", "Water Affairs Bureau") },
    Entry { code: "emergency", name: Label::new("市应急管理局", "Emergency Management Bureau") },
    Entry { code: "science", name: Label::new("市科学技术局", "Science and Technology Bureau") },
    Entry { code: "banking", name: Label::new("市金融工作局", "Financial Affairs Bureau") },
    Entry { code: "power", name: Label::new("惠州供电局", "Huizhou Power Supply Bureau") },
];

pub const CATEGORIES: [Entry; 10] = [
    Entry { code: "land", name: Label::new("建设用地", "Construction land") },
    Entry { code: "enforcement", name: Label::new("行政执法", "Administrative law enforcement") },
    Entry { code: "qualification", name: Label::new("资格认定", "Qualification recognition") },
    Entry { code: "facilities", name: Label::new("周边配套", "Surrounding facilities") },
    Entry { code: "approval", name: Label::new("行政审批", "Administrative approval") },
    Entry { code: "financing", name: Label::new("融资", "Financing") },
    Entry { code: "arrears", name: Label::new("账款拖欠", "Arrears") },
    Entry { code: "schooling", name: Label::new("员工子女入学", "Staff children's schooling") },
    Entry { code: "transport", name: Label::new("交通出行", "Transport") },
    Entry { code: "other", name: Label::new("其他", "Other") },
];

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

pub fn district(code: &str) -> Result<&'static Entry, DomainError> {
    find(&DISTRICTS, Label::new("区县", "district"), code)
}

pub fn department(code: &str) -> Result<&'static Entry, DomainError> {
    find(&DEPARTMENTS, Label::new("部门", "department"), code)
}

pub fn theme(code: &str) -> Result<&'static Entry, DomainError> {
    find(&THEMES, Label::new("专场主题", "theme"), code)
}

pub fn category(code: &str) -> Result<&'static Entry, DomainError> {
    find(&CATEGORIES, Label::new("诉求类别", "category"), code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        for list in [&DISTRICTS[..], &DEPARTMENTS[..], &CATEGORIES[..], &OWNERSHIPS[..], &SIZES[..], &THEMES[..]] {
            let mut codes: Vec<_> = list.iter().map(|e| e.code).collect();
            codes.sort_unstable();
            codes.dedup();
            assert_eq!(codes.len(), list.len());
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(district("boluo").unwrap().name.zh, "博罗县");
        assert!(matches!(category("nope"), Err(DomainError::UnknownCode { .. })));
        assert_eq!(DISTRICTS.len(), 8, "the city and its 7 districts/counties");
    }
}
