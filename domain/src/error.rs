use std::fmt;

use crate::label::{Label, Text};

/// Every way the domain can refuse input. The same refusal reaches
/// enterprises, officers and logs, so each has its words in both languages
/// ([`DomainError::label`]); `Display` writes both halves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainError {
    UsccLength(usize),
    UsccCharacter {
        position: usize,
        found: char,
    },
    UsccAuthority(char),
    UsccCheck {
        expected: char,
        found: char,
    },
    CalendarLine {
        line: usize,
        reason: String,
    },
    BadDate(String),
    Required {
        field: Label,
    },
    TooLong {
        field: Label,
        max: usize,
    },
    UnknownCode {
        what: Label,
        code: String,
    },
    BadPhone(String),
    AttachmentTooLarge {
        name: String,
        max_mb: u64,
    },
    AttachmentType {
        name: String,
    },
    TooManyAttachments {
        max: usize,
    },
    OutOfRange {
        field: Label,
        min: u32,
        max: u32,
    },
    BadMilestone {
        line: usize,
    },
    MergeIntoSelf,
    NothingPending,
    SessionElsewhere,
    CrossNeedsDistricts,
    BadLogin,
    WeakPassword {
        min: usize,
    },
    BadMessage(String),
    BadDocumentId(String),
    Document(String),
    /// A unit asked to work on a case of a district it does not serve.
    ServesElsewhere {
        unit: Text,
        district: String,
    },
    CodeTaken(String),
    BadCode(String),
    /// A city bureau outside the city level, or a local unit at it.
    LevelDistrict {
        unit: Text,
    },
    /// An event names a person who is not what it needs them to be.
    NotOnRoster {
        person: String,
        wanted: Label,
    },
    /// A policy loaded whole lacks a code the one in force has.
    CodeRemoved(String),
    BadEmail(String),
    /// A calendar imported for one year names a day of another.
    CalendarYear {
        year: i32,
        day: String,
    },
}

impl DomainError {
    /// What went wrong, in both languages.
    pub fn label(&self) -> Text {
        use DomainError::*;
        let both = Text::owned;
        match self {
            UsccLength(n) => both(
                format!("统一社会信用代码应为18位(实际{n}位)"),
                format!("the unified social credit code must be 18 characters (got {n})"),
            ),
            UsccCharacter { position, found } => both(
                format!("统一社会信用代码第{position}位含非法字符“{found}”"),
                format!("invalid character '{found}' at position {position} of the unified social credit code"),
            ),
            UsccAuthority(c) => both(
                format!("统一社会信用代码登记管理部门代码“{c}”无效"),
                format!("unknown registration authority code '{c}'"),
            ),
            UsccCheck { expected, found } => both(
                format!("统一社会信用代码校验位应为“{expected}”,实际为“{found}”"),
                format!("check character should be '{expected}', found '{found}'"),
            ),
            CalendarLine { line, reason } => both(
                format!("工作日历第{line}行无法解析:{reason}"),
                format!("working-day calendar line {line}: {reason}"),
            ),
            BadDate(day) => both(format!("日期“{day}”无效"), format!("invalid date '{day}'")),
            Required { field } => both(format!("{}不能为空", field.zh), format!("{} must not be empty", field.en)),
            TooLong { field, max } => both(
                format!("{}过长(最多{max}字)", field.zh),
                format!("{} is too long (at most {max} characters)", field.en),
            ),
            UnknownCode { what, code } => {
                both(format!("未知的{}“{code}”", what.zh), format!("unknown {} '{code}'", what.en))
            }
            BadEmail(email) => both(format!("电子邮箱“{email}”无效"), format!("invalid e-mail address '{email}'")),
            BadPhone(phone) => both(
                format!("电话号码“{phone}”无效(7–15位数字)"),
                format!("invalid phone number '{phone}' (7–15 digits)"),
            ),
            AttachmentTooLarge { name, max_mb } => {
                both(format!("文件“{name}”超过{max_mb}MB上限"), format!("file '{name}' is larger than {max_mb} MB"))
            }
            AttachmentType { name } => both(
                format!("文件“{name}”的类型不支持(可上传 JPG、PNG、WebP 图片或 PDF)"),
                format!("file '{name}': only JPG, PNG, WebP images or PDF"),
            ),
            TooManyAttachments { max } => both(format!("附件最多{max}个"), format!("at most {max} attachments")),
            OutOfRange { field, min, max } => both(
                format!("{}应为{min}到{max}之间的整数", field.zh),
                format!("{} must be a whole number from {min} to {max}", field.en),
            ),
            BadMilestone { line } => both(
                format!("办理时间表第{line}行应为“日期 节点”,如“2026-12-31 完成审批”"),
                format!("timetable line {line} should read 'date milestone', e.g. '2026-12-31 approval done'"),
            ),
            MergeIntoSelf => Label::new("诉求不能与自身合并", "a case cannot be merged into itself").text(),
            NothingPending => Label::new("没有待处理的延期申请", "there is no pending extension request").text(),
            SessionElsewhere => {
                Label::new("该现场活动不包括诉求所在的区县", "the session does not include the case's district").text()
            }
            CrossNeedsDistricts => {
                Label::new("跨县(区)专场至少要有两个区县", "a cross-district session needs at least two districts")
                    .text()
            }
            BadLogin => Label::new(
                "账号应为3–32位小写字母、数字或 - _ .",
                "the account name must be 3–32 lowercase letters, digits, '-', '_' or '.'",
            )
            .text(),
            WeakPassword { min } => {
                both(format!("密码至少{min}位"), format!("the password must have at least {min} characters"))
            }
            BadMessage(why) => both(format!("同步消息无效:{why}"), format!("malformed sync message: {why}")),
            BadDocumentId(id) => both(format!("文档编号“{id}”无效"), format!("invalid document id '{id}'")),
            Document(why) => both(format!("文档读写失败:{why}"), format!("document error: {why}")),
            ServesElsewhere { unit, district } => both(
                format!("{}不负责区县“{district}”的诉求", unit.zh),
                format!("{} does not serve district '{district}'", unit.en),
            ),
            NotOnRoster { person, wanted } => {
                both(format!("“{person}”不是{}", wanted.zh), format!("'{person}' is not {}", wanted.en))
            }
            CodeRemoved(code) => both(
                format!("代码“{code}”不能删除(旧案件仍在使用),请改为撤销"),
                format!("the code '{code}' cannot be removed (old cases name it): retire it instead"),
            ),
            CodeTaken(code) => both(format!("代码“{code}”已被使用"), format!("the code '{code}' is taken")),
            BadCode(code) => both(
                format!("代码“{code}”无效:应为2–40位小写字母、数字或 -,以字母开头"),
                format!("invalid code '{code}': 2–40 lowercase letters, digits or '-', starting with a letter"),
            ),
            LevelDistrict { unit } => both(
                format!("{}:市直部门属于市级,县(区)部门和镇街属于某个区县", unit.zh),
                format!(
                    "{}: a city bureau belongs to the city level, district units and townships to a district",
                    unit.en
                ),
            ),
            CalendarYear { year, day } => both(
                format!("导入的是{year}年的日历,但其中有日期 {day}"),
                format!("the calendar imported for {year} lists {day}"),
            ),
        }
    }
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.label().fmt(f)
    }
}

impl std::error::Error for DomainError {}

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
