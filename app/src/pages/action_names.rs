//! The name of each action, on its chip and its form's button.

use domain::work::ActionKind;

use crate::i18n::tr;

pub fn label(action: ActionKind) -> &'static str {
    use ActionKind::*;
    match action {
        Book => tr("预约现场活动", "Book a session"),
        Route => tr("受理并分办", "Accept and route"),
        Decline => tr("不予受理", "Decline"),
        Merge => tr("合并重复诉求", "Merge as duplicate"),
        Schedule => tr("安排现场活动", "Put on a session"),
        Invite => tr("邀请企业参加", "Invite the enterprise"),
        ReplyInvitation => tr("回复邀请", "Answer the invitation"),
        Attend => tr("登记到场", "Record attendance"),
        Reply => tr("线上答复", "Answer online"),
        Decide => tr("现场研判决定", "Record the decision"),
        StartWork => tr("提出办理方案", "Propose a solution"),
        Progress => tr("报告进展", "Post progress"),
        Tick => tr("完成节点", "Tick a milestone"),
        RequestExtension => tr("申请延期", "Ask for an extension"),
        DecideExtension => tr("审批延期", "Decide the extension"),
        Resolve => tr("办结", "Mark resolved"),
        Rate => tr("评价", "Rate the result"),
        CallBack => tr("差评回访", "Call back"),
        Rectify => tr("整改完成", "Rectification done"),
        Dispute => tr("申诉恶意差评", "Dispute the review"),
        Recheck => tr("复核差评", "Re-check the review"),
        RequestInfo => tr("请企业补充信息", "Ask for information"),
        AddInfo => tr("补充信息", "Add information"),
        RequestReopen => tr("申请重新办理", "Ask to reopen"),
        Reopen => tr("重新办理", "Reopen"),
        Close => tr("结案", "Close"),
        Settle => tr("裁定冲突", "Settle the conflict"),
        Publish => tr("审核公开标题", "Publish the title"),
        Assign => tr("指定承办人", "Name the officer in charge"),
        AssignLeader => tr("更换牵头领导", "Name another lead leader"),
    }
}
