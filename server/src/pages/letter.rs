//! A monthly progress letter (发函) itself: its words in Chinese and in
//! English, who signs it, where its reader looks the case up, and its
//! styles, for the screen and for A4 paper. `letters.rs` issues, keeps,
//! mails and serves it.

use domain::directory::{CITY, Directory};
use domain::label::Lang;
use domain::notice::Notice;
use domain::time::Day;
use maud::{DOCTYPE, PreEscaped, html};

use crate::pages::layout::{Names, light, responsibility};

/// Who signs the letter: the district's (or the city's) direct-line office.
pub fn sender(directory: &Directory, district: &str, lang: Lang) -> String {
    let city = directory.district_name(CITY);
    // The city level's name says it is the level ("惠州市(市级)", "Huizhou (city)").
    let city = city.get(lang).split(['(', '(']).next().unwrap_or_default().trim().to_string();
    let place = match directory.district(district) {
        Ok(d) if d.code != CITY => d.name.get(lang).to_string(),
        _ => city,
    };
    match lang {
        Lang::Zh => format!("{place}政务服务数据管理局\n企业困难直通车办公室"),
        Lang::En => format!("{place} Government Services and Data Administration\nDirect Line for Enterprises Office"),
    }
}

/// Where and how a letter's reader looks the case up.
pub struct Lookup {
    pub url: String,
    pub code: String,
}

/// The letter as a whole HTML document, styles included (it is kept and
/// printed as it is): A4 portrait when printed.
pub fn document(notice: &Notice, sender: &str, issued: Day, lookup: &Lookup, names: &Names<'_>) -> String {
    let lang = names.lang;
    let case = &notice.case;
    let number = case.number.as_deref().unwrap_or("—");
    let (year, month) = (notice.as_of.year(), notice.as_of.month());
    let submitted = notice.submitted.map_or_else(|| "—".to_string(), |d| d.to_string());
    let status = (lang.pick("办理状态", "Status"), html! { (case.status.label().get(lang)) });
    let rows = std::iter::once(status).chain(responsibility(case, names));
    let words = match lang {
        Lang::Zh => Words {
            reference: format!("直通车〔{year}〕{month}月进度函 · {number}"),
            heading: "企业诉求办理进度告知函",
            to: format!("{}:", notice.enterprise),
            opening: format!(
                "贵单位于 {submitted} 提交的诉求“{}”(编号 {number}),截至 {} 的办理情况告知如下:",
                notice.title, notice.as_of
            ),
            progress: format!("{month}月办理进展"),
            closing: "如对办理情况有疑问或需补充材料,请在“直通车”应用中该诉求页面补充信息;办结后请对办理结果进行评价。\
                      我们将每月向贵单位告知办理进度,直至办结。",
            lookup: format!("凭编号 {number} 和查询码 {} 可随时在 {} 查看办理进度。", lookup.code, lookup.url),
            title: format!("{number} {year}年{month}月办理进度告知函"),
        },
        Lang::En => Words {
            reference: format!("Direct Line progress letter {year}-{month:02} · {number}"),
            heading: "Progress of your appeal",
            to: format!("To {}:", notice.enterprise),
            opening: format!(
                "This letter tells you how your appeal “{}” (number {number}), submitted on {submitted}, stood on {}.",
                notice.title, notice.as_of
            ),
            progress: format!("Progress in {year}-{month:02}"),
            closing: "If you have a question or more to add, do so on the appeal's page in the Direct Line app; \
                      once it is resolved, please rate the result. We will write every month until it is resolved.",
            lookup: format!(
                "With the number {number} and the query code {}, you can see the progress at any time at {}.",
                lookup.code, lookup.url
            ),
            title: format!("{number} progress letter {year}-{month:02}"),
        },
    };
    let body = html! {
        p.n { (words.reference) }
        h1 { (words.heading) }
        p { (words.to) }
        p.p { (words.opening) }
        table { @for (k, v) in rows { tr { th { (k) } td { (v) } } } }
        @if !case.milestones.is_empty() {
            h2 { (lang.pick("办理时间表", "Timetable")) }
            ol {
                @for m in &case.milestones {
                    li {
                        (m.title) (lang.pick(":", ": "))
                        @match (m.done, m.light) {
                            (Some(day), _) => { (lang.pick("已于 ", "done on ")) (day) (lang.pick(" 完成", "")) },
                            (None, Some(l)) => { (lang.pick("期限 ", "due ")) (m.due) " " (light(l, lang)) },
                            (None, None) => { (lang.pick("期限 ", "due ")) (m.due) },
                        }
                    }
                }
            }
        }
        h2 { (words.progress) }
        @if notice.progress.is_empty() {
            p { (lang.pick("本月承办部门未报告新的进展。", "The department reported no new progress this month.")) }
        } @else {
            ul { @for (day, text) in &notice.progress { li { time { (day) } " " (text) } } }
        }
        p.p { (words.closing) }
        p.p.q data-code=(lookup.code) { (words.lookup) }
        p.s { @for line in sender.lines() { (line) br; } (issued) }
    };
    let document = html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width,initial-scale=1";
                title { (words.title) }
                style { (PreEscaped(STYLE)) }
            }
            body { main { (body) } }
        }
    };
    document.into_string()
}

/// A letter's sentences in one language.
struct Words {
    reference: String,
    heading: &'static str,
    to: String,
    opening: String,
    progress: String,
    closing: &'static str,
    lookup: String,
    title: String,
}

const STYLE: &str = "body{margin:0;background:#eee;color:#111;font:16px/1.8 'Noto Serif CJK SC','Noto Sans CJK SC',serif}\
main{max-width:210mm;margin:1rem auto;background:#fff;padding:18mm 20mm;box-sizing:border-box;box-shadow:0 1px 4px #0003}\
h1{text-align:center;font-size:1.5rem;letter-spacing:.2em;margin:.5rem 0 1.5rem}h2{font-size:1.05rem;margin:1.2rem 0 .3rem}\
.n{text-align:right;color:#444;font-size:.9rem;margin:0}.p{text-indent:2em}.s{text-align:right;margin-top:2.5rem}\
table{width:100%;border-collapse:collapse}th,td{border:1px solid #999;padding:.3rem .6rem;text-align:left;vertical-align:top}th{width:8em;background:#f4f4f4;font-weight:600}\
time{color:#444}.l{font-size:.8rem;font-weight:700;padding:0 .3rem;border:1px solid;border-radius:3px}.g{color:#1e7e34}.y{color:#8a5a00}.r{color:#b3261e}\
@media(max-width:600px){main{margin:0;padding:1.2rem 1rem;box-shadow:none}}\
@media print{@page{size:A4 portrait;margin:18mm 20mm}body{background:#fff}main{margin:0;padding:0;box-shadow:none;max-width:none}}";
