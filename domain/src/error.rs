use thiserror::Error;

/// The name of a field or kind of thing, in both languages, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub zh: &'static str,
    pub en: &'static str,
}

impl Label {
    pub const fn new(zh: &'static str, en: &'static str) -> Label {
        Label { zh, en }
    }
}

/// Every way the domain can refuse input. Messages are zh-CN first, English
/// after a " / ", because the same text reaches enterprises, officers and logs.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DomainError {
    #[error("统一社会信用代码应为18位 / the unified social credit code must be 18 characters (got {0})")]
    UsccLength(usize),
    #[error(
        "统一社会信用代码第{position}位含非法字符“{found}” / invalid character '{found}' at position {position} of the unified social credit code"
    )]
    UsccCharacter { position: usize, found: char },
    #[error("统一社会信用代码登记管理部门代码“{0}”无效 / unknown registration authority code '{0}'")]
    UsccAuthority(char),
    #[error(
        "统一社会信用代码校验位应为“{expected}”,实际为“{found}” / check character should be '{expected}', found '{found}'"
    )]
    UsccCheck { expected: char, found: char },
    #[error("工作日历第{line}行无法解析:{reason} / working-day calendar line {line}: {reason}")]
    CalendarLine { line: usize, reason: String },
    #[error("日期“{0}”无效 / invalid date '{0}'")]
    BadDate(String),
    #[error("{}不能为空 / {} must not be empty", field.zh, field.en)]
    Required { field: Label },
    #[error("{}过长(最多{max}字)/ {} is too long (at most {max} characters)", field.zh, field.en)]
    TooLong { field: Label, max: usize },
    #[error("未知的{}“{code}” / unknown {} '{code}'", what.zh, what.en)]
    UnknownCode { what: Label, code: String },
    #[error("电话号码“{0}”无效(7–15位数字)/ invalid phone number '{0}' (7–15 digits)")]
    BadPhone(String),
    #[error("文件“{name}”超过{max_mb}MB上限 / file '{name}' is larger than {max_mb} MB")]
    AttachmentTooLarge { name: String, max_mb: u64 },
    #[error(
        "文件“{name}”的类型不支持(可上传 JPG、PNG、WebP 图片或 PDF)/ file '{name}': only JPG, PNG, WebP images or PDF"
    )]
    AttachmentType { name: String },
    #[error("附件最多{max}个 / at most {max} attachments")]
    TooManyAttachments { max: usize },
    #[error("{}应为{min}到{max}之间的整数 / {} must be a whole number from {min} to {max}", field.zh, field.en)]
    OutOfRange { field: Label, min: u32, max: u32 },
    #[error(
        "办理时间表第{line}行应为“日期 节点”,如“2026-12-31 完成审批” / timetable line {line} should read 'date milestone', e.g. '2026-12-31 approval done'"
    )]
    BadMilestone { line: usize },
    #[error("诉求不能与自身合并 / a case cannot be merged into itself")]
    MergeIntoSelf,
    #[error("没有待处理的延期申请 / there is no pending extension request")]
    NothingPending,
    #[error("该现场活动不包括诉求所在的区县 / the session does not include the case's district")]
    SessionElsewhere,
    #[error("跨县(区)专场至少要有两个区县 / a cross-district session needs at least two districts")]
    CrossNeedsDistricts,
    #[error(
        "账号应为3–32位小写字母、数字或 - _ . / the account name must be 3–32 lowercase letters, digits, '-', '_' or '.'"
    )]
    BadLogin,
    #[error("密码至少{min}位 / the password must have at least {min} characters")]
    WeakPassword { min: usize },
    #[error("同步消息无效:{0} / malformed sync message: {0}")]
    BadMessage(String),
    #[error("文档编号“{0}”无效 / invalid document id '{0}'")]
    BadDocumentId(String),
    #[error("文档读写失败:{0} / document error: {0}")]
    Document(String),
}

impl From<automerge::AutomergeError> for DomainError {
    fn from(e: automerge::AutomergeError) -> Self {
        DomainError::Document(e.to_string())
    }
}

impl From<autosurgeon::HydrateError> for DomainError {
    fn from(e: autosurgeon::HydrateError) -> Self {
        DomainError::Document(e.to_string())
    }
}

impl From<autosurgeon::ReconcileError> for DomainError {
    fn from(e: autosurgeon::ReconcileError) -> Self {
        DomainError::Document(e.to_string())
    }
}
