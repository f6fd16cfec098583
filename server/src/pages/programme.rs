//! The programme's own figures on the statistics page, as the source
//! report counts them: appeals received, enterprises received on site and
//! the appeals they raised, per round (期) and district, resolved, online
//! against sessions, the closure and effective-reply rates, and the
//! counts by ownership and size ([`domain::stats::Programme`]).

use domain::directory::{Entry, OWNERSHIPS, SIZES};
use domain::label::Lang;
use domain::stats::{Programme, Tally, rate};
use maud::{Markup, html};

use crate::pages::charts::percent;
use crate::pages::layout::Names;

fn rate_text(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), percent)
}

pub fn section(p: &Programme, names: &Names<'_>) -> Markup {
    let lang = names.lang;
    let closure = rate_text(p.closure_rate());
    let effective = rate_text(p.effective_reply_rate());
    let summary = match lang {
        Lang::Zh => html! {
            "累计受理企业诉求 " b data-k="received" { (p.received) } " 宗,其中现场共接待 "
            b data-k="received-on-site" { (p.received_on_site) } " 家(次)企业,提交 "
            b data-k="raised-on-site" { (p.raised_on_site) } " 宗诉求;办结 " b data-k="closed" { (p.resolved) }
            " 宗,办结率 " b data-k="closure-rate" { (closure) } "。网上答复 " b data-k="online" { (p.online) }
            " 宗,现场办理 " b data-k="session" { (p.session) } " 宗;有效答复率 " b data-k="effective-rate" { (effective) } "。"
        },
        Lang::En => html! {
            b data-k="received" { (p.received) } " appeals received; " b data-k="received-on-site" { (p.received_on_site) }
            " enterprises received on site, raising " b data-k="raised-on-site" { (p.raised_on_site) } " appeals there; "
            b data-k="closed" { (p.resolved) } " resolved (closure rate " b data-k="closure-rate" { (closure) } "). "
            b data-k="online" { (p.online) } " answered online, " b data-k="session" { (p.session) }
            " taken to sessions; effective replies " b data-k="effective-rate" { (effective) } "."
        },
    };
    let heads = [
        lang.pick("期次", "Round"),
        lang.pick("月份", "Month"),
        lang.pick("现场接待企业", "Enterprises received"),
        lang.pick("现场提交诉求", "Appeals raised"),
        lang.pick("其中已办结", "Of which resolved"),
        lang.pick("各区县(企业/诉求)", "By district (enterprises/appeals)"),
    ];
    html! {
        h2 { (lang.pick("直通车工作情况", "The programme in figures")) }
        p.programme { (summary) }
        @if !p.rounds.is_empty() {
            table.rounds {
                thead { tr { @for h in heads { th { (h) } } } }
                tbody {
                    @for r in &p.rounds {
                        tr data-round=(r.number) {
                            td { (lang.pick("第", "No. ")) (r.number) (lang.pick("期", "")) }
                            td data-label=(heads[1]) { (r.month) }
                            td data-label=(heads[2]) { (r.enterprises) }
                            td data-label=(heads[3]) { (r.appeals) }
                            td data-label=(heads[4]) { (r.resolved) }
                            td data-label=(heads[5]) {
                                @for (i, (district, enterprises, appeals)) in r.by_district.iter().enumerate() {
                                    @if i > 0 { " · " }
                                    (names.district(district)) " " (enterprises) "/" (appeals)
                                }
                            }
                        }
                    }
                }
            }
        }
        div.breakdowns {
            (breakdown(lang.pick("按所有制", "By ownership"), &p.by_ownership, &OWNERSHIPS, lang))
            (breakdown(lang.pick("按企业规模", "By size"), &p.by_size, &SIZES, lang))
        }
        p.note {
            (lang.pick(
                "现场接待企业:到场参加现场活动的企业,每期每家计一次;办结率:已办结/已受理;有效答复率:已答复或办结的诉求中,未重新办理且未获差评的比例。",
                "Enterprises received: those who came to a session, once each per round; closure rate: resolved of received; effective replies: of the appeals answered or resolved, those never reopened and never rated badly.",
            ))
        }
    }
}

fn breakdown(caption: &str, tallies: &[Tally], entries: &[Entry], lang: Lang) -> Markup {
    let name = |code: &str| entries.iter().find(|e| e.code == code).map_or("—", |e| e.name.get(lang));
    html! {
        table.breakdown {
            caption { (caption) }
            thead { tr { th { "" } th { (lang.pick("受理", "Received")) } th { (lang.pick("办结", "Resolved")) } th { (lang.pick("办结率", "Closure rate")) } } }
            tbody {
                @for t in tallies {
                    tr data-code=(t.code) {
                        td { (name(&t.code)) }
                        td data-label=(lang.pick("受理", "Received")) { (t.received) }
                        td data-label=(lang.pick("办结", "Resolved")) { (t.resolved) }
                        td data-label=(lang.pick("办结率", "Closure rate")) { (rate_text(rate(t.resolved, t.received))) }
                    }
                }
            }
        }
    }
}
