//! A case's events as people read them.

use std::collections::BTreeMap;

use domain::case::Enterprise;
use domain::device_time::TimeFlag;
use domain::event::{Channel, Event, EventKind, ReviewLevel};
use leptos::prelude::*;

use crate::i18n::{pick, tr};
use crate::labels;

fn departments(codes: &[String]) -> String {
    let names: Vec<String> = codes.iter().map(|d| labels::department(d)).collect();
    names.join(tr("、", ", "))
}

/// A person a case names, by name (a lead leader typed as text before
/// leaders were accounts shows as typed).
fn person(id: &str) -> String {
    crate::people::name_in(crate::people::use_people(), id)
}

/// One line saying what happened.
pub fn describe(kind: &EventKind) -> String {
    use EventKind::*;
    match kind {
        Submit => tr("提交诉求", "Appeal submitted").into(),
        Route { lead_department, assisting, channel } => {
            let how = match channel {
                Channel::Online => tr("线上答复", "online reply"),
                Channel::Session => tr("提交现场活动", "to a session"),
            };
            let lead = labels::department(lead_department);
            let mut text = pick(format!("受理并分办:牵头部门 {lead}({how})"), format!("Accepted: lead {lead} ({how})"));
            if !assisting.is_empty() {
                text.push_str(&pick(
                    format!(",协办 {}", departments(assisting)),
                    format!(", assisting {}", departments(assisting)),
                ));
            }
            text
        }
        Decline { reason } => pick(format!("不予受理:{reason}"), format!("Declined: {reason}")),
        MergeInto { target } => pick(format!("与诉求 {target} 合并办理"), format!("Merged into {target}")),
        ReplyOnline { text } => pick(format!("线上答复:{text}"), format!("Answered online: {text}")),
        BookSession { session, .. } => {
            let name = labels::session_id(session);
            pick(format!("预约:{name}"), format!("Booked: {name}"))
        }
        Schedule { session, .. } => {
            let name = labels::session_id(session);
            pick(format!("安排至:{name}"), format!("Put on: {name}"))
        }
        Invite { session, place, .. } => {
            let name = labels::session_id(session);
            pick(format!("邀请企业参加 {name},{place}"), format!("Invited to {name}: {place}"))
        }
        ReplyInvitation { attending: true, .. } => tr("企业回复:将参加现场活动", "The enterprise will attend").into(),
        ReplyInvitation { attending: false, .. } => {
            tr("企业回复:不参加现场活动", "The enterprise will not attend").into()
        }
        RecordAttendance { attended: true, .. } => tr("登记:企业已到场", "Recorded: the enterprise came").into(),
        RecordAttendance { attended: false, .. } => {
            tr("登记:企业未到场", "Recorded: the enterprise did not come").into()
        }
        Decide { lead_leader, lead_department, milestones, .. } => {
            let lead = labels::department(lead_department);
            let lead_leader = person(lead_leader);
            pick(
                format!("现场决定:牵头领导 {lead_leader},牵头部门 {lead},{} 个办理节点", milestones.len()),
                format!("Decided: lead leader {lead_leader}, lead {lead}, {} milestones", milestones.len()),
            )
        }
        Assign { officer } => {
            let officer = person(officer);
            pick(format!("指定承办人:{officer}"), format!("Officer in charge: {officer}"))
        }
        AssignLeader { leader } => {
            let leader = person(leader);
            pick(format!("改由 {leader} 牵头"), format!("Lead leader now {leader}"))
        }
        StartWork { plan } => pick(format!("开始办理:{plan}"), format!("Work started: {plan}")),
        PostProgress { text } => pick(format!("办理进展:{text}"), format!("Progress: {text}")),
        TickMilestone { milestone } => pick(format!("完成节点 {milestone}"), format!("Milestone {milestone} done")),
        RequestExtension { working_days, reason } => pick(
            format!("申请延期 {working_days} 个工作日:{reason}"),
            format!("Asked for {working_days} more working days: {reason}"),
        ),
        DecideExtension { approved: true, .. } => tr("同意延期", "Extension approved").into(),
        DecideExtension { approved: false, .. } => tr("不同意延期", "Extension refused").into(),
        Resolve { summary, .. } => pick(format!("办结:{summary}"), format!("Resolved: {summary}")),
        Rate { score, comment, public } => {
            let level = ReviewLevel::of_score(*score);
            let shown = if *public { tr("公开", "public") } else { tr("不公开", "private") };
            pick(
                format!("评价 {score} 分({},{shown}){comment}", level.label().zh),
                format!("Rated {score} ({}, {shown}) {comment}", level.label().en),
            )
        }
        CallBack { note } => pick(format!("差评回访:{note}"), format!("Called back: {note}")),
        Rectify { note } => pick(format!("整改完成:{note}"), format!("Rectified: {note}")),
        DisputeReview { reason } => pick(format!("申诉恶意差评:{reason}"), format!("Review disputed: {reason}")),
        RecheckReview { upheld: true, .. } => tr("复核:维持评价", "Re-checked: review kept").into(),
        RecheckReview { upheld: false, .. } => tr("复核:撤销评价", "Re-checked: review withdrawn").into(),
        RequestInfo { question } => {
            pick(format!("请企业补充:{question}"), format!("Information requested: {question}"))
        }
        AddInfo { text, .. } => pick(format!("企业补充信息:{text}"), format!("Information added: {text}")),
        RequestReopen { reason } => pick(format!("申请重新办理:{reason}"), format!("Reopening asked: {reason}")),
        Reopen { note } => pick(format!("重新办理:{note}"), format!("Reopened: {note}")),
        Close => tr("结案", "Closed").into(),
        Settle { .. } => tr("裁定冲突", "Conflict settled").into(),
        PublishTitle { title } => pick(format!("公开标题:{title}"), format!("Title published: {title}")),
    }
}

/// Links to the files an event names (downloaded from the server, which
/// serves them to the case's readers).
fn files(kind: &EventKind) -> impl IntoView + use<> {
    let hashes = match kind {
        EventKind::AddInfo { attachments, .. } => attachments.clone(),
        EventKind::Resolve { evidence, .. } => evidence.clone(),
        _ => Vec::new(),
    };
    (!hashes.is_empty()).then(|| {
        view! {
            <span class="event-files">
                {hashes
                    .into_iter()
                    .enumerate()
                    .map(|(i, h)| {
                        view! {
                            <a href=format!("/api/blobs/{h}") target="_blank">
                                {format!("{} {}", tr("附件", "File"), i + 1)}
                            </a>
                        }
                    })
                    .collect_view()}
            </span>
        }
    })
}

/// An event whose device time the server found implausible: both times,
/// for officials (the time shown first is the one that counts).
fn time_flag(flag: TimeFlag) -> impl IntoView {
    let (device, received) = (labels::date_time(flag.device_ms), labels::date_time(flag.received_ms));
    view! {
        <span class="time-flag" data-testid="time-flag" role="note">
            {pick(
                format!("设备时钟有误:设备时间 {device},服务器收到于 {received},按收到时间计"),
                format!("Device clock wrong: device said {device}, server received it {received}; the time received counts"),
            )}
        </span>
    }
}

/// The events in derivation order (causal, the same on every device,
/// whatever the devices' clocks said), each with who did it; for
/// officials, events whose device time was flagged show both times.
#[component]
pub fn Timeline(
    events: Vec<Event>,
    flags: BTreeMap<String, TimeFlag>,
    official: bool,
    enterprise: Enterprise,
) -> impl IntoView {
    let people = crate::people::use_people();
    view! {
        <ol class="timeline" data-testid="timeline">
            {events
                .into_iter()
                .map(|e| {
                    let flag = flags.get(&e.id).copied().filter(|_| official);
                    let author = e.author.clone();
                    let enterprise = enterprise.clone();
                    view! {
                        <li data-kind=e.kind.name() class:flagged=flag.is_some()>
                            <time>{labels::date_time(e.at_ms)}</time>
                            <span>{describe(&e.kind)}</span>
                            {files(&e.kind)}
                            <span class="who">{move || crate::people::name_on_case(people, &author, &enterprise)}</span>
                            {flag.map(time_flag)}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
