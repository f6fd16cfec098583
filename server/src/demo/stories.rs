//! The demo cases' stories: where each stops in the lifecycle, and the
//! events that take it there, dated by working days.

use domain::calendar::WorkCalendar;
use domain::case::CaseDoc;
use domain::directory::{Directory, Level};
use domain::doc;
use domain::event::{Channel, EventKind, Milestone};
use domain::meeting;
use domain::time::Day;

use super::{HOUR_MS, Rng, SURNAMES};
use crate::ServerError;

/// Where a demo case stops in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stage {
    Submitted,
    RoutedOnline,
    RoutedSession,
    Declined,
    Merged,
    AnsweredOnline,
    Scheduled,
    Decided,
    InProgressOnline,
    InProgressSession,
    Resolved,
    RatedGood,
    RatedBad,
    Closed,
    Reopened,
    Conflict,
}

pub(super) const STAGES: [Stage; 16] = [
    Stage::Submitted,
    Stage::RoutedOnline,
    Stage::RoutedSession,
    Stage::Declined,
    Stage::Merged,
    Stage::AnsweredOnline,
    Stage::Scheduled,
    Stage::Decided,
    Stage::InProgressOnline,
    Stage::InProgressSession,
    Stage::Resolved,
    Stage::RatedGood,
    Stage::RatedBad,
    Stage::Closed,
    Stage::Reopened,
    Stage::Conflict,
];

/// Appends events to one demo case, advancing its clock by working days.
pub(super) struct Story<'a> {
    pub(super) doc: automerge::AutoCommit,
    /// What `doc` holds, kept alongside so appending needs no re-read.
    pub(super) case: CaseDoc,
    pub(super) case_id: String,
    pub(super) calendar: &'a WorkCalendar,
    /// "Today" for the demo: the day the data is seeded for.
    pub(super) anchor: Day,
    pub(super) day: Day,
    pub(super) hour: i64,
    pub(super) count: usize,
}

impl Story<'_> {
    fn at_ms(&self) -> i64 {
        self.day.start_instant() + self.hour * HOUR_MS
    }

    fn wait(&mut self, working_days: u32) {
        self.day = self.calendar.add_working_days(self.day, working_days);
    }

    /// Appends an event dated now in the story — unless the story has run
    /// past the anchor: the demo's today holds nothing from its future, so
    /// a story ends where today is.
    fn add(&mut self, author: &str, kind: EventKind) -> Result<String, ServerError> {
        self.count += 1;
        let id = format!("{}-e{:02}", self.case_id, self.count);
        if self.day > self.anchor {
            return Ok(id);
        }
        let event = doc::next_event(&self.case, id.clone(), author, self.at_ms(), kind);
        doc::append(&mut self.doc, &event)?;
        self.case.events.insert(id.clone(), event);
        // Office hours, later each time, so device times read in order.
        self.hour += 2;
        if self.hour > 17 {
            self.hour = 9;
            self.wait(1);
        }
        Ok(id)
    }
}

/// Plays a case's events up to `stage`.
pub(super) fn tell(
    s: &mut Story<'_>,
    case: &CaseDoc,
    stage: Stage,
    index: usize,
    rng: &mut Rng,
) -> Result<(), ServerError> {
    let district = case.district.as_str();
    let filer = domain::permission::registrant_id(&case.enterprise.id);
    let coordinator = format!("coord-{district}");
    let leader = format!("leader-{district}");
    let directory = Directory::huizhou();
    let bureaus: Vec<&str> =
        directory.units.iter().filter(|u| u.level == Level::City).map(|u| u.code.as_str()).collect();
    let lead_index = rng.below(bureaus.len());
    let assisting = bureaus[(lead_index + 1 + rng.below(bureaus.len() - 1)) % bureaus.len()];
    // Every third case of a district with its own units is led there
    // (两级联动): by a district bureau or a township, a city bureau assisting.
    let local = directory.units_for(district).into_iter().find(|u| u.level != Level::City);
    let lead = match local {
        Some(unit) if index.is_multiple_of(3) => unit.code.as_str(),
        _ => bureaus[lead_index],
    };
    let officer = format!("officer-{lead}");
    let session_channel = matches!(
        stage,
        Stage::RoutedSession | Stage::Scheduled | Stage::Decided | Stage::InProgressSession | Stage::Closed
    );
    s.add(&filer, EventKind::Submit)?;
    if stage == Stage::Submitted {
        return Ok(());
    }
    s.wait(1);
    match stage {
        Stage::Declined => {
            let reason = "该事项属于民事纠纷,不属于直通车受理范围,建议通过司法途径解决。".into();
            s.add(&coordinator, EventKind::Decline { reason })?;
            return Ok(());
        }
        Stage::Merged => {
            let target = format!("demo-{:04}", index.saturating_sub(16));
            s.add(&coordinator, EventKind::MergeInto { target })?;
            return Ok(());
        }
        _ => {}
    }
    let channel = if session_channel { Channel::Session } else { Channel::Online };
    let route = EventKind::Route { lead_department: lead.into(), assisting: vec![assisting.into()], channel };
    s.add(&coordinator, route)?;
    if matches!(stage, Stage::RoutedOnline | Stage::RoutedSession) {
        return Ok(());
    }
    if session_channel {
        // A case waiting for its session waits for one still to come.
        let from = if stage == Stage::Scheduled { s.day.max(s.anchor) } else { s.day };
        let Some(monthly) = meeting::upcoming_monthly(s.calendar, district, from, 1).pop() else {
            return Ok(());
        };
        // Every other round of stages goes to a themed land session instead.
        let session = if (index / STAGES.len()) % 2 == 1 {
            let day = s.calendar.add_working_days(from, 6);
            meeting::Session::special("land", &[district.to_string()], day)?
        } else {
            monthly
        };
        let day = session.day;
        s.add(&coordinator, EventKind::Schedule { session: session.id.clone(), day })?;
        let place = format!("{}政务服务中心三楼会议室", directory.district(district)?.name.zh);
        s.add(&coordinator, EventKind::Invite { session: session.id.clone(), day, place })?;
        if !index.is_multiple_of(3) {
            s.add(&filer, EventKind::ReplyInvitation { session: session.id.clone(), attending: true })?;
        }
        if stage == Stage::Scheduled {
            return Ok(());
        }
        s.day = s.day.max(day);
        s.add(&coordinator, EventKind::RecordAttendance { session: session.id, attended: true })?;
        let milestones = vec![
            Milestone {
                id: "m1".into(), title: "拿出处置方案".into(), due: s.calendar.add_working_days(s.day, 7)
            },
            Milestone { id: "m2".into(), title: "完成办理".into(), due: s.calendar.add_working_days(s.day, 40) },
        ];
        let decide = EventKind::Decide {
            lead_leader: format!("{}副区长", rng.pick(&SURNAMES)),
            lead_department: lead.into(),
            assisting: vec![assisting.into()],
            milestones,
        };
        s.add(&leader, decide)?;
        if stage == Stage::Decided {
            return Ok(());
        }
        s.wait(2);
        s.add(&officer, EventKind::StartWork { plan: "成立专班,会同相关部门现场调研".into() })?;
        s.wait(3);
        s.add(&officer, EventKind::TickMilestone { milestone: "m1".into() })?;
        s.add(&officer, EventKind::PostProgress { text: "处置方案已拟定,正在征求意见".into() })?;
        if stage == Stage::InProgressSession {
            return Ok(());
        }
    } else {
        s.wait(2);
        s.add(&officer, EventKind::ReplyOnline { text: "已收到诉求,经研究,将按以下方案办理:……".into() })?;
        if stage == Stage::AnsweredOnline {
            return Ok(());
        }
        s.add(&officer, EventKind::StartWork { plan: "按答复方案推进".into() })?;
        if stage == Stage::InProgressOnline {
            s.wait(1);
            s.add(&officer, EventKind::PostProgress { text: "已现场核实,正在办理相关手续".into() })?;
            return Ok(());
        }
        if stage == Stage::Conflict {
            return concurrent_resolve_and_extension(s, &officer);
        }
    }
    // Every third round of stages resolves late where the story has time
    // before the anchor, so the on-time rate and the league table differ.
    let late = (index / STAGES.len()) % 3 == 1 && s.calendar.add_working_days(s.day, 24) <= s.anchor;
    s.wait(if late { 20 } else { 4 });
    s.add(&officer, EventKind::Resolve { summary: "问题已解决,企业已确认。".into(), evidence: Vec::new() })?;
    if stage == Stage::Resolved {
        return Ok(());
    }
    s.wait(2);
    let bad = stage == Stage::RatedBad;
    let score = if bad { 45 } else { [85, 90, 95, 78, 100][index % 5] };
    let comment = if bad { "办理速度太慢,问题未完全解决" } else { "满意,少的分是速度" };
    s.add(&filer, EventKind::Rate { score, comment: comment.into(), public: !index.is_multiple_of(3) })?;
    match stage {
        Stage::Closed => {
            s.wait(1);
            s.add(&coordinator, EventKind::Close)?;
        }
        Stage::Reopened => {
            s.wait(1);
            s.add(&filer, EventKind::RequestReopen { reason: "问题再次出现".into() })?;
            s.add(&coordinator, EventKind::Reopen { note: "经核实,重新办理".into() })?;
        }
        _ => {}
    }
    Ok(())
}

/// The lead department's officer on two devices, offline, resolving on
/// one and asking for more time on the other: the case shows the conflict
/// for the coordinator. (The author is a demo account, so the timeline
/// names them.)
fn concurrent_resolve_and_extension(s: &mut Story<'_>, officer: &str) -> Result<(), ServerError> {
    s.wait(3);
    if s.day > s.anchor {
        return Ok(());
    }
    let mut other = s.doc.fork();
    // The other device's request is written within the hour of the resolution.
    let at = s.at_ms() + HOUR_MS;
    s.add(officer, EventKind::Resolve { summary: "已办结".into(), evidence: Vec::new() })?;
    let id = format!("{}-e{:02}x", s.case_id, s.count);
    let ext = EventKind::RequestExtension { working_days: 10, reason: "涉及多个部门,需延期".into() };
    doc::record(&mut other, id, officer, at, ext)?;
    s.doc.merge(&mut other).map_err(domain::DomainError::from)?;
    s.case = doc::read(&s.doc)?;
    Ok(())
}
