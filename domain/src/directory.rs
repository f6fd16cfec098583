//! Districts, departments and categories: the directory every case refers
//! to by code. The built-in lists are Huizhou's; admins will edit them as a
//! directory document (step 2), so everything here is looked up by code.

use crate::{DomainError, Label};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

/// The code of the city level: it serves, and may act in, every district.
pub const CITY: &str = "city";

/// The city itself and its seven districts/counties.
pub const DISTRICTS: [Entry; 8] = [
    Entry { code: CITY, zh: "惠州市(市级)", en: "Huizhou (city level)" },
    Entry { code: "huicheng", zh: "惠城区", en: "Huicheng District" },
    Entry { code: "huiyang", zh: "惠阳区", en: "Huiyang District" },
    Entry { code: "huidong", zh: "惠东县", en: "Huidong County" },
    Entry { code: "boluo", zh: "博罗县", en: "Boluo County" },
    Entry { code: "longmen", zh: "龙门县", en: "Longmen County" },
    Entry { code: "dayawan", zh: "大亚湾区", en: "Dayawan District" },
    Entry { code: "zhongkai", zh: "仲恺高新区", en: "Zhongkai Hi-tech Zone" },
];

pub const DEPARTMENTS: [Entry; 20] = [
    Entry { code: "natres", zh: "市自然资源局", en: "Natural Resources Bureau" },
    Entry { code: "housing", zh: "市住房和城乡建设局", en: "Housing and Urban-Rural Development Bureau" },
    Entry { code: "ndrc", zh: "市发展和改革局", en: "Development and Reform Bureau" },
    Entry { code: "industry", zh: "市工业和信息化局", en: "Industry and Information Technology Bureau" },
    Entry { code: "commerce", zh: "市商务局", en: "Commerce Bureau" },
    Entry { code: "finance", zh: "市财政局", en: "Finance Bureau" },
    Entry { code: "hrss", zh: "市人力资源和社会保障局", en: "Human Resources and Social Security Bureau" },
    Entry { code: "education", zh: "市教育局", en: "Education Bureau" },
    Entry { code: "transport", zh: "市交通运输局", en: "Transport Bureau" },
    Entry { code: "ecology", zh: "市生态环境局", en: "Ecology and Environment Bureau" },
    Entry { code: "market", zh: "市市场监督管理局", en: "Market Regulation Bureau" },
    Entry { code: "tax", zh: "市税务局", en: "Taxation Bureau" },
    Entry { code: "police", zh: "市公安局", en: "Public Security Bureau" },
    Entry { code: "govdata", zh: "市政务服务数据管理局", en: "Government Services and Data Administration" },
    Entry { code: "urban", zh: "市城市管理和综合执法局", en: "Urban Management and Law Enforcement Bureau" },
    Entry { code: "water", zh: "市水务局", en: "Water Affairs Bureau" },
    Entry { code: "emergency", zh: "市应急管理局", en: "Emergency Management Bureau" },
    Entry { code: "science", zh: "市科学技术局", en: "Science and Technology Bureau" },
    Entry { code: "banking", zh: "市金融工作局", en: "Financial Affairs Bureau" },
    Entry { code: "power", zh: "惠州供电局", en: "Huizhou Power Supply Bureau" },
];

pub const CATEGORIES: [Entry; 10] = [
    Entry { code: "land", zh: "建设用地", en: "Construction land" },
    Entry { code: "enforcement", zh: "行政执法", en: "Administrative law enforcement" },
    Entry { code: "qualification", zh: "资格认定", en: "Qualification recognition" },
    Entry { code: "facilities", zh: "周边配套", en: "Surrounding facilities" },
    Entry { code: "approval", zh: "行政审批", en: "Administrative approval" },
    Entry { code: "financing", zh: "融资", en: "Financing" },
    Entry { code: "arrears", zh: "账款拖欠", en: "Arrears" },
    Entry { code: "schooling", zh: "员工子女入学", en: "Staff children's schooling" },
    Entry { code: "transport", zh: "交通出行", en: "Transport" },
    Entry { code: "other", zh: "其他", en: "Other" },
];

/// Ownership types an enterprise registers with.
pub const OWNERSHIPS: [Entry; 5] = [
    Entry { code: "state", zh: "国有企业", en: "State-owned" },
    Entry { code: "private", zh: "民营企业", en: "Private" },
    Entry { code: "foreign", zh: "外资企业", en: "Foreign-invested" },
    Entry { code: "hmt", zh: "港澳台资企业", en: "Hong Kong / Macao / Taiwan" },
    Entry { code: "public_unit", zh: "基层单位", en: "Grassroots public unit" },
];

pub const SIZES: [Entry; 4] = [
    Entry { code: "large", zh: "大型", en: "Large" },
    Entry { code: "medium", zh: "中型", en: "Medium" },
    Entry { code: "small", zh: "小型", en: "Small" },
    Entry { code: "micro", zh: "微型", en: "Micro" },
];

/// Themes of special sessions (专场), from the programme's first year:
/// land, Hong Kong enterprises, grassroots units, sanitation, financing.
/// `cross` is a cross-district session with no theme.
pub const THEMES: [Entry; 6] = [
    Entry { code: "land", zh: "用地专场", en: "Land" },
    Entry { code: "hongkong", zh: "港资企业专场", en: "Hong Kong enterprises" },
    Entry { code: "grassroots", zh: "基层单位专场", en: "Grassroots units" },
    Entry { code: "sanitation", zh: "环卫专场", en: "Sanitation" },
    Entry { code: "financing", zh: "融资专场", en: "Financing" },
    Entry { code: "cross", zh: "跨县(区)专场", en: "Cross-district" },
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
        assert_eq!(district("boluo").unwrap().zh, "博罗县");
        assert!(matches!(category("nope"), Err(DomainError::UnknownCode { .. })));
        assert_eq!(DISTRICTS.len(), 8, "the city and its 7 districts/counties");
    }
}
