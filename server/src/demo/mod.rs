//! Deterministic demo data: the same cases every time for the same anchor
//! day, covering every status, so a new user sees a living system. Figures
//! echo the source report (305 appeals in the first rounds).

pub mod accounts;
mod stories;
pub use accounts::DEMO_PASSWORD;
use stories::{STAGES, Story, tell};

use domain::account::{self, Profile};
use domain::calendar::WorkCalendar;
use domain::case::{Appeal, CaseDoc, Contact, Enterprise, SCHEMA_VERSION};
use domain::directory::{Directory, OWNERSHIPS, SIZES};
use domain::doc;
use domain::time::Day;

use crate::ServerError;
use crate::store::{CaseRow, Store};
use crate::sync::server_actor;
use domain::sync::DocumentId;
use sha2::{Digest, Sha256};

pub const DEMO_CASES: usize = 305;
const DEMO_ENTERPRISES: usize = 120;
const DEMO_SEED: u64 = 0x00D1_2EC7_11E5;
/// Enterprises with a demo sign-in (qiye01, qiye02, …).
const DEMO_ENTERPRISE_ACCOUNTS: usize = 3;
const HOUR_MS: i64 = 3_600_000;

/// Huizhou's administrative division codes, used in demo credit codes.
const DIVISION_CODES: [&str; 8] = ["441300", "441302", "441303", "441323", "441322", "441324", "441304", "441305"];
const NAME_HEADS: [&str; 16] =
    ["润", "德", "恒", "晟", "华", "鑫", "嘉", "宏", "瑞", "泰", "丰", "达", "安", "盛", "禾", "景"];
const NAME_TAILS: [&str; 12] = ["发", "晋昌", "明", "信", "阳", "通", "源", "科", "锦", "隆", "祥", "凯"];
const TRADES: [(&str, &str); 8] = [
    ("光电科技有限公司", "光电"),
    ("家具制造有限公司", "家具制造"),
    ("生物医药科技有限公司", "生物医药"),
    ("汽车贸易有限公司", "汽车贸易"),
    ("电子有限公司", "电子信息"),
    ("新材料股份有限公司", "新材料"),
    ("物流有限公司", "物流"),
    ("投资发展有限公司", "房地产"),
];
const SURNAMES: [&str; 10] = ["符", "黄", "严", "杨", "李", "陈", "张", "刘", "林", "翟"];

/// (category, title, description) templates.
const APPEALS: [(&str, &str, &str); 12] = [
    (
        "land",
        "项目“夹心地”用地手续办理",
        "项目红线内约1300平方米“夹心地”未能处置,导致项目无法按时落成,请求协调相关部门尽快明确处置办法。",
    ),
    ("land", "已拿地未动工项目规划调整", "企业已取得土地使用权,但因规划条件调整一直未能动工,建设成本持续上涨。"),
    ("land", "历史遗留用地确权问题", "多年前购买的地块因历史原因未能确权办证,影响企业融资和开发。"),
    (
        "facilities",
        "厂区门口道路隔离带影响货车进出",
        "道路中央新建隔离绿化带,每天约30辆次大货车无法正常进出厂区,请求设置开口或伸缩门。",
    ),
    ("facilities", "员工上下班公交站点设置", "园区附近无公交站点,员工通勤困难,请求增设公交站。"),
    ("schooling", "员工子女入学学位申请", "公司外来务工员工子女适龄入学需求较大,请求协调学位安排。"),
    ("arrears", "工程款拖欠问题", "承接的政府投资项目工程款逾期未付,企业资金周转困难,请求协调还款计划。"),
    ("financing", "中小企业贷款融资难", "企业订单充足但流动资金不足,申请贷款多次未获批准,请求对接金融机构。"),
    ("approval", "环评审批进度缓慢", "扩建项目环评报批已逾三个月,请求加快审批进度。"),
    ("qualification", "高新技术企业资格认定", "企业研发投入符合条件,请求指导高新技术企业资格认定及研发资金扶持政策。"),
    ("enforcement", "执法检查标准不统一", "不同执法队伍对同一事项检查标准不一,请求明确执法依据。"),
    ("transport", "货车通行证办理", "企业物流车辆进入城区通行证办理周期长,影响正常配送。"),
];

/// splitmix64: tiny, deterministic, good enough for demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn enterprises(rng: &mut Rng) -> Vec<(Enterprise, Contact)> {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let districts = Directory::huizhou().districts;
    (0..DEMO_ENTERPRISES)
        .map(|i| {
            let district = (i % districts.len()).max(1);
            let (trade, industry) = *rng.pick(&TRADES);
            let name = format!("惠州市{}{}{trade}", rng.pick(&NAME_HEADS), rng.pick(&NAME_TAILS));
            let org: String = (0..9).map(|_| char::from(ALPHABET[rng.below(ALPHABET.len())])).collect();
            let body = format!("91{}{org}", DIVISION_CODES[district]);
            let check = domain::uscc::check_character(&body).unwrap_or('0');
            let uscc = format!("{body}{check}");
            let enterprise = Enterprise {
                id: account::enterprise_id(&uscc),
                name,
                uscc,
                ownership: rng.pick(&OWNERSHIPS[..4]).code.to_string(),
                size: rng.pick(&SIZES).code.to_string(),
                industry: industry.to_string(),
                district: districts[district].code.clone(),
            };
            let contact = Contact {
                name: format!("{}先生", rng.pick(&SURNAMES)),
                phone: format!("139{:08}", rng.next() % 100_000_000),
            };
            (enterprise, contact)
        })
        .collect()
}

/// Loads the demo accounts and cases unless the database already holds
/// them. Returns the number of cases created.
pub async fn seed(store: &Store, anchor: Day) -> Result<usize, ServerError> {
    let mut rng = Rng(DEMO_SEED);
    let companies = enterprises(&mut rng);
    seed_accounts_for(store, &companies).await?;
    if store.case_count().await? > 0 {
        return Ok(0);
    }
    store_cases(store, anchor, DEMO_CASES).await?;
    Ok(DEMO_CASES)
}

/// Plays `count` demo cases (as [`generate`]) and stores them, numbered.
pub async fn store_cases(store: &Store, anchor: Day, count: usize) -> Result<(), ServerError> {
    let mut played = Vec::with_capacity(count);
    generate(anchor, count, |doc, created| {
        played.push((doc, created));
        Ok(())
    })?;
    for (mut doc, created) in played {
        let number = store.next_case_number(created.year()).await?;
        doc::set_number(&mut doc, &number)?;
        let case = doc::read(&doc)?;
        let row = CaseRow::of(&case, &case.state(), &doc.get_heads());
        store.put_case(&row, &doc.save()).await?;
    }
    Ok(())
}

/// Plays `count` demo cases in every stage of the lifecycle, filed in the
/// 8–78 days before `anchor`, oldest first; hands each document (without
/// its number) and its filing day to `each`. Deterministic.
pub fn generate(
    anchor: Day,
    count: usize,
    mut each: impl FnMut(automerge::AutoCommit, Day) -> Result<(), ServerError>,
) -> Result<(), ServerError> {
    let mut rng = Rng(DEMO_SEED);
    let companies = enterprises(&mut rng);
    let calendar = WorkCalendar::china()?;
    // Creation days first, so case numbers follow filing order.
    let mut created: Vec<i64> = (0..count).map(|_| 8 + rng.below(70) as i64).collect();
    created.sort_unstable_by(|a, b| b.cmp(a));
    for (i, days_ago) in created.into_iter().enumerate() {
        let (enterprise, contact) = rng.pick(&companies).clone();
        let (category, title, description) = *rng.pick(&APPEALS);
        let start = calendar.on_or_after(anchor.plus_days(-days_ago));
        let case = CaseDoc {
            schema: SCHEMA_VERSION,
            id: demo_case_id(i),
            number: None,
            created_ms: start.start_instant() + 9 * HOUR_MS,
            district: enterprise.district.clone(),
            enterprise,
            contact,
            appeal: Appeal {
                title: title.to_string(),
                description: description.to_string(),
                category: category.to_string(),
                wants_session: rng.below(2) == 0,
                attachments: Vec::new(),
            },
            events: Default::default(),
            time_flags: Default::default(),
        };
        let stage = STAGES[i % STAGES.len()];
        let mut story = Story {
            doc: doc::create(&case, server_actor())?,
            case: case.clone(),
            case_id: case.id.clone(),
            calendar: &calendar,
            anchor,
            day: start,
            hour: 9,
            count: 0,
        };
        tell(&mut story, &case, stage, i, &mut rng)?;
        each(story.doc, start)?;
    }
    Ok(())
}

/// The document id of the `index`th demo case: stable across runs.
pub fn demo_case_id(index: usize) -> String {
    let digest = Sha256::digest(format!("directline demo case {index}"));
    let mut bytes = [0; 16];
    bytes.copy_from_slice(&digest[..16]);
    DocumentId::from_bytes(bytes).to_string()
}

/// Loads only the demo accounts (and no cases) unless users exist.
pub async fn seed_accounts(store: &Store) -> Result<usize, ServerError> {
    seed_accounts_for(store, &enterprises(&mut Rng(DEMO_SEED))).await
}

async fn seed_accounts_for(store: &Store, companies: &[(Enterprise, Contact)]) -> Result<usize, ServerError> {
    crate::demo::accounts::seed_accounts(store, &registered(companies)).await
}

fn registered(companies: &[(Enterprise, Contact)]) -> Vec<Profile> {
    companies
        .iter()
        .take(DEMO_ENTERPRISE_ACCOUNTS)
        .map(|(enterprise, contact)| Profile { enterprise: enterprise.clone(), contact: contact.clone() })
        .collect()
}

/// The profiles of the demo enterprises with accounts (qiye01, qiye02, …).
pub fn registered_enterprises() -> Vec<Profile> {
    registered(&enterprises(&mut Rng(DEMO_SEED)))
}
