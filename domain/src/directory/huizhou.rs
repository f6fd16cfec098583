//! Huizhou's organisation: the seed of a new installation. Once it is
//! installed, the city's admins keep the directory (see [`super::edit`]);
//! nothing reads this list after that.

use super::{CITY, Directory, Level, Named, Routing, Unit};
use crate::Label;

const DISTRICTS: [(&str, &str, &str); 8] = [
    (CITY, "惠州市(市级)", "Huizhou (city level)"),
    ("huicheng", "惠城区", "Huicheng District"),
    ("huiyang", "惠阳区", "Huiyang District"),
    ("huidong", "惠东县", "Huidong County"),
    ("boluo", "博罗县", "Boluo County"),
    ("longmen", "龙门县", "Longmen County"),
    ("dayawan", "大亚湾区", "Dayawan District"),
    ("zhongkai", "仲恺高新区", "Zhongkai Hi-tech Zone"),
];

/// The city bureaus (市直部门) the programme started with.
const CITY_BUREAUS: [(&str, &str, &str); 20] = [
    ("natres", "市自然资源局", "Natural Resources Bureau"),
    ("housing", "市住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("ndrc", "市发展和改革局", "Development and Reform Bureau"),
    ("industry", "市工业和信息化局", "Industry and Information Technology Bureau"),
    ("commerce", "市商务局", "Commerce Bureau"),
    ("finance", "市财政局", "Finance Bureau"),
    ("hrss", "市人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("education", "市教育局", "Education Bureau"),
    ("transport", "市交通运输局", "Transport Bureau"),
    ("ecology", "市生态环境局", "Ecology and Environment Bureau"),
    ("market", "市市场监督管理局", "Market Regulation Bureau"),
    ("tax", "市税务局", "Taxation Bureau"),
    ("police", "市公安局", "Public Security Bureau"),
    ("govdata", "市政务服务数据管理局", "Government Services and Data Administration"),
    ("urban", "市城市管理和综合执法局", "Urban Management and Law Enforcement Bureau"),
    ("water", "市水务局", "Water Affairs Bureau"),
    ("emergency", "市应急管理局", "Emergency Management Bureau"),
    ("science", "市科学技术局", "Science and Technology Bureau"),
    ("banking", "市金融工作局", "Financial Affairs Bureau"),
    ("power", "惠州供电局", "Huizhou Power Supply Bureau"),
];

/// Code, Chinese and English name, level, district, parent.
type LocalUnit = (&'static str, &'static str, &'static str, Level, &'static str, Option<&'static str>);

/// District and township units the source report names as leads.
const LOCAL_UNITS: [LocalUnit; 4] = [
    (
        "huidong-natres",
        "惠东县自然资源局",
        "Huidong County Natural Resources Bureau",
        Level::District,
        "huidong",
        Some("natres"),
    ),
    ("zhongkai-utilities", "仲恺区公用事业办", "Zhongkai Public Utilities Office", Level::District, "zhongkai", None),
    ("dayawan-publicity", "大亚湾区宣教局", "Dayawan Publicity and Education Bureau", Level::District, "dayawan", None),
    ("danshui", "淡水街道", "Danshui Subdistrict", Level::Township, "huiyang", None),
];

const CATEGORIES: [(&str, &str, &str); 10] = [
    ("land", "建设用地", "Construction land"),
    ("enforcement", "行政执法", "Administrative law enforcement"),
    ("qualification", "资格认定", "Qualification recognition"),
    ("facilities", "周边配套", "Surrounding facilities"),
    ("approval", "行政审批", "Administrative approval"),
    ("financing", "融资", "Financing"),
    ("arrears", "账款拖欠", "Arrears"),
    ("schooling", "员工子女入学", "Staff children's schooling"),
    ("transport", "交通出行", "Transport"),
    ("other", "其他", "Other"),
];

/// Who usually leads each category, city-wide, and where a district has
/// its own unit for it.
const ROUTING: [(&str, Option<&str>, &str, &[&str]); 10] = [
    ("land", None, "natres", &["housing"]),
    ("land", Some("huidong"), "huidong-natres", &["natres"]),
    ("enforcement", None, "market", &[]),
    ("qualification", None, "hrss", &[]),
    ("facilities", None, "housing", &["urban", "water"]),
    ("approval", None, "govdata", &[]),
    ("financing", None, "banking", &["finance"]),
    ("arrears", None, "industry", &["finance"]),
    ("schooling", None, "education", &[]),
    ("transport", None, "transport", &[]),
];

fn named((code, zh, en): (&str, &str, &str)) -> Named {
    Named { code: code.to_string(), name: Label { zh: zh.to_string(), en: en.to_string() }, retired: false }
}

pub(super) fn directory() -> Directory {
    let city = CITY_BUREAUS.map(|(code, zh, en)| Unit {
        code: code.into(),
        name: Label::new(zh, en).text(),
        level: Level::City,
        district: CITY.into(),
        parent: None,
        retired: false,
    });
    let local = LOCAL_UNITS.map(|(code, zh, en, level, district, parent)| Unit {
        code: code.into(),
        name: Label::new(zh, en).text(),
        level,
        district: district.into(),
        parent: parent.map(String::from),
        retired: false,
    });
    Directory {
        districts: DISTRICTS.map(named).into(),
        units: city.into_iter().chain(local).collect(),
        categories: CATEGORIES.map(named).into(),
        routing: ROUTING
            .map(|(category, district, lead, assisting)| Routing {
                category: category.into(),
                district: district.map(String::from),
                lead: lead.into(),
                assisting: assisting.iter().map(|a| a.to_string()).collect(),
            })
            .into(),
    }
}
