//! A case's events as people read them (zh-CN).

use domain::event::{Channel, Event, EventKind};
use leptos::prelude::*;

use crate::labels;

/// One line saying what happened.
pub fn describe(kind: &EventKind) -> String {
    use EventKind::*;
    match kind {
        Submit => "提交诉求".into(),
        Route { lead_department, assisting, channel } => {
            let how = match channel {
                Channel::Online => "线上答复",
                Channel::Session => "提交现场活动",
            };
            let mut text = format!("受理并分办:牵头部门 {}({how})", labels::department(lead_department));
            if !assisting.is_empty() {
                let names: Vec<&str> = assisting.iter().map(|d| labels::department(d)).collect();
                text.push_str(&format!(",协办 {}", names.join("、")));
            }
            text
        }
        Decline { reason } => format!("不予受理:{reason}"),
        MergeInto { target } => format!("与诉求 {target} 合并办理"),
        ReplyOnline { text } => format!("线上答复:{text}"),
        Schedule { day, .. } => format!("安排至 {day} 现场活动"),
        Decide { lead_leader, lead_department, .. } => {
            format!("现场决定:牵头领导 {lead_leader},牵头部门 {}", labels::department(lead_department))
        }
        StartWork { plan } => format!("开始办理:{plan}"),
        PostProgress { text } => format!("办理进展:{text}"),
        TickMilestone { milestone } => format!("完成节点 {milestone}"),
        RequestExtension { working_days, reason } => format!("申请延期 {working_days} 个工作日:{reason}"),
        DecideExtension { approved, .. } => (if *approved { "同意延期" } else { "不同意延期" }).into(),
        Resolve { summary, .. } => format!("办结:{summary}"),
        Rate { score, comment, .. } => format!("评价 {score} 分 {comment}"),
        CallBack { note } => format!("差评回访:{note}"),
        Rectify { note } => format!("整改完成:{note}"),
        DisputeReview { reason } => format!("申诉恶意差评:{reason}"),
        RecheckReview { upheld, .. } => (if *upheld { "复核:维持评价" } else { "复核:撤销评价" }).into(),
        RequestInfo { question } => format!("请企业补充:{question}"),
        AddInfo { text, .. } => format!("企业补充信息:{text}"),
        RequestReopen { reason } => format!("申请重新办理:{reason}"),
        Reopen { note } => format!("重新办理:{note}"),
        Close => "结案".into(),
        Settle { .. } => "裁定冲突".into(),
    }
}

/// The events, oldest first.
#[component]
pub fn Timeline(events: Vec<Event>) -> impl IntoView {
    let mut events = events;
    events.sort_by(|a, b| (a.at_ms, &a.id).cmp(&(b.at_ms, &b.id)));
    view! {
        <ol class="timeline" data-testid="timeline">
            {events
                .into_iter()
                .map(|e| {
                    view! {
                        <li data-kind=e.kind.name()>
                            <time>{labels::date_time(e.at_ms)}</time>
                            <span>{describe(&e.kind)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
