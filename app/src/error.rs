use domain::label::{Label, Text};

/// What can go wrong in the app; [`AppError::label`] says it in both
/// languages, `Display` (for the console) writes both.
#[derive(Debug)]
pub enum AppError {
    Storage(String),
    /// The browser refused to store more for this site (its quota).
    StorageFull,
    Domain(domain::DomainError),
    Offline,
    SignedOut,
    /// The server's own message (e.g. a wrong password).
    Refused(Text),
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.label().fmt(f)
    }
}

impl std::error::Error for AppError {}

impl From<domain::DomainError> for AppError {
    fn from(e: domain::DomainError) -> Self {
        AppError::Domain(e)
    }
}

impl From<indexed_db_futures::error::Error> for AppError {
    fn from(e: indexed_db_futures::error::Error) -> Self {
        if let indexed_db_futures::error::Error::DomException(dom) = &e {
            let dom: web_sys::DomException = dom.clone().into();
            if dom.name() == "QuotaExceededError" {
                return AppError::StorageFull;
            }
        }
        AppError::Storage(e.to_string())
    }
}

impl From<indexed_db_futures::error::OpenDbError> for AppError {
    fn from(e: indexed_db_futures::error::OpenDbError) -> Self {
        AppError::Storage(e.to_string())
    }
}

impl From<automerge::AutomergeError> for AppError {
    fn from(e: automerge::AutomergeError) -> Self {
        AppError::Domain(e.into())
    }
}

impl AppError {
    /// What went wrong, in both languages.
    pub fn label(&self) -> Text {
        match self {
            AppError::Storage(why) => {
                Text::owned(format!("本设备存储不可用:{why}"), format!("device storage failed: {why}"))
            }
            // Said when a write fails: the transaction is undone whole, so
            // what was saved before stays, and the change stays on screen.
            AppError::StorageFull => Label::new(
                "本设备存储空间已满,这次的改动没有保存。之前保存的内容都还在。请连网同步后重试,或清理本浏览器中其他网站的数据。",
                "This device's storage is full: this change was not saved. Everything saved before is still here. Go online to sync and try again, or free space used by other sites in this browser.",
            )
            .text(),
            AppError::Domain(e) => e.label(),
            AppError::Offline => {
                Label::new("无法连接服务器,请检查网络", "cannot reach the server, check the network").text()
            }
            AppError::SignedOut => Label::new("请先登录", "please sign in first").text(),
            AppError::Refused(message) => message.clone(),
        }
    }

    /// The message in the language being shown.
    pub fn message(&self) -> String {
        crate::i18n::say(&self.label())
    }
}
