//! The programme's own figures, counted as the source report counts them
//! ("前三期共收到企业诉求305宗,现场共接待192家企业,提交214宗诉求,办结152宗"):
//! appeals received; enterprises received on site and the appeals they
//! raised there, per round (期: the month of the sessions, numbered from
//! the first) and per district; appeals resolved; online replies against
//! sessions; the closure and effective-reply rates; and every count by
//! the enterprises' ownership and size.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::CaseFacts;
use crate::directory::{OWNERSHIPS, SIZES};
use crate::event::Channel;

/// Appeals received and resolved in one group (an ownership, a size).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub code: String,
    pub received: u32,
    pub resolved: u32,
}

/// One round (期) of on-site sessions: a month, with every district's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Round {
    /// 1 for the first month with a session attended.
    pub number: u32,
    /// `YYYY-MM`.
    pub month: String,
    /// Enterprises received (each once, however many appeals).
    pub enterprises: u32,
    /// Appeals raised on site.
    pub appeals: u32,
    /// Of those, resolved.
    pub resolved: u32,
    /// District code → (enterprises, appeals), districts with any.
    pub by_district: Vec<(String, u32, u32)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Programme {
    pub received: u32,
    /// Enterprises received on site, each once per round.
    pub received_on_site: u32,
    /// Appeals raised on site (on a session the enterprise came to).
    pub raised_on_site: u32,
    pub resolved: u32,
    /// Appeals answered online, and taken to a session.
    pub online: u32,
    pub session: u32,
    /// Appeals answered (replied online or resolved), and of those the
    /// effective replies: never reopened, and no bad rating.
    pub answered: u32,
    pub effective: u32,
    pub rounds: Vec<Round>,
    pub by_ownership: Vec<Tally>,
    pub by_size: Vec<Tally>,
}

/// A round as it is counted: enterprises as a set (each once), appeals,
/// and per district the same.
#[derive(Default)]
struct Counting<'a> {
    enterprises: BTreeSet<&'a str>,
    appeals: u32,
    resolved: u32,
    districts: BTreeMap<&'a str, (BTreeSet<&'a str>, u32)>,
}

fn count(set: &BTreeSet<&str>) -> u32 {
    u32::try_from(set.len()).unwrap_or(u32::MAX)
}

fn tally(list: &mut [Tally], code: &str, resolved: bool) {
    if let Some(t) = list.iter_mut().find(|t| t.code == code) {
        t.received += 1;
        t.resolved += u32::from(resolved);
    }
}

impl Programme {
    pub fn of(facts: &[CaseFacts]) -> Programme {
        let zero =
            |codes: &[&str]| codes.iter().map(|c| Tally { code: (*c).to_string(), ..Tally::default() }).collect();
        let mut p = Programme {
            by_ownership: zero(&OWNERSHIPS.map(|e| e.code)),
            by_size: zero(&SIZES.map(|e| e.code)),
            ..Programme::default()
        };
        let mut rounds: BTreeMap<&str, Counting<'_>> = BTreeMap::new();
        for f in facts.iter().filter(|f| f.submitted.is_some()) {
            let resolved = f.resolved.is_some();
            p.received += 1;
            p.resolved += u32::from(resolved);
            match f.channel {
                Some(Channel::Online) => p.online += 1,
                Some(Channel::Session) => p.session += 1,
                None => {}
            }
            if f.answered {
                p.answered += 1;
                p.effective += u32::from(f.effective);
            }
            tally(&mut p.by_ownership, &f.ownership, resolved);
            tally(&mut p.by_size, &f.size, resolved);
            if let Some(month) = f.received_on_site.as_deref() {
                let round = rounds.entry(month).or_default();
                round.enterprises.insert(&f.enterprise);
                round.appeals += 1;
                round.resolved += u32::from(resolved);
                let district = round.districts.entry(&f.district).or_default();
                district.0.insert(&f.enterprise);
                district.1 += 1;
            }
        }
        p.rounds = rounds
            .into_iter()
            .zip(1..)
            .map(|((month, counted), number)| Round {
                number,
                month: month.to_string(),
                enterprises: count(&counted.enterprises),
                appeals: counted.appeals,
                resolved: counted.resolved,
                by_district: counted.districts.into_iter().map(|(d, (e, a))| (d.to_string(), count(&e), a)).collect(),
            })
            .collect();
        p.received_on_site = p.rounds.iter().map(|r| r.enterprises).sum();
        p.raised_on_site = p.rounds.iter().map(|r| r.appeals).sum();
        p
    }

    /// 办结率: resolved of received.
    pub fn closure_rate(&self) -> Option<f64> {
        super::rate(self.resolved, self.received)
    }

    /// 有效答复率: effective of answered.
    pub fn effective_reply_rate(&self) -> Option<f64> {
        super::rate(self.effective, self.answered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Day;

    fn fact(enterprise: &str, district: &str, round: Option<&str>, resolved: bool) -> CaseFacts {
        CaseFacts {
            submitted: Day::parse("2026-01-05").ok(),
            category: "land".into(),
            district: district.into(),
            status: crate::status::Status::Routed,
            lead_department: None,
            resolved: resolved.then(|| Day::parse("2026-02-01").unwrap()),
            on_time: resolved.then_some(true),
            days_to_resolve: None,
            reopened: false,
            overdue: false,
            scores: Vec::new(),
            enterprise: enterprise.into(),
            ownership: "private".into(),
            size: "small".into(),
            channel: round.map(|_| Channel::Session),
            received_on_site: round.map(String::from),
            answered: resolved,
            effective: resolved,
        }
    }

    #[test]
    fn enterprises_count_once_a_round_and_appeals_each() {
        let mut online = fact("ent-4", "huicheng", None, true);
        online.channel = Some(Channel::Online);
        let mut reopened = fact("ent-5", "huicheng", None, true);
        reopened.effective = false;
        reopened.ownership = "state".into();
        reopened.size = "large".into();
        let facts = [
            fact("ent-1", "huicheng", Some("2026-01"), true),
            fact("ent-1", "huicheng", Some("2026-01"), true),
            fact("ent-2", "boluo", Some("2026-01"), false),
            fact("ent-1", "huicheng", Some("2026-02"), false),
            online,
            reopened,
            CaseFacts { submitted: None, ..fact("ent-9", "boluo", Some("2026-01"), false) },
        ];
        let p = Programme::of(&facts);
        assert_eq!((p.received, p.received_on_site, p.raised_on_site, p.resolved), (6, 3, 4, 4), "drafts do not count");
        assert_eq!((p.online, p.session), (1, 4));
        assert_eq!((p.answered, p.effective), (4, 3));
        assert_eq!(p.closure_rate(), Some(4.0 / 6.0));
        assert_eq!(p.effective_reply_rate(), Some(0.75));
        let first = &p.rounds[0];
        assert_eq!(
            (first.number, first.month.as_str(), first.enterprises, first.appeals, first.resolved),
            (1, "2026-01", 2, 3, 2)
        );
        assert_eq!(first.by_district, vec![("boluo".into(), 1, 1), ("huicheng".into(), 1, 2)]);
        assert_eq!((p.rounds[1].number, p.rounds[1].enterprises, p.rounds[1].appeals), (2, 1, 1));
        let private = p.by_ownership.iter().find(|t| t.code == "private").unwrap();
        assert_eq!((private.received, private.resolved), (5, 3));
        let large = p.by_size.iter().find(|t| t.code == "large").unwrap();
        assert_eq!((large.received, large.resolved), (1, 1));
        assert_eq!(p.by_ownership.len(), OWNERSHIPS.len(), "every ownership listed, with or without appeals");
    }
}
