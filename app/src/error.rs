use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    #[error("本设备存储不可用:{0} / device storage failed: {0}")]
    Storage(String),
    #[error(transparent)]
    Domain(#[from] domain::DomainError),
    #[error("无法连接服务器,请检查网络 / cannot reach the server, check the network")]
    Offline,
    #[error("请先登录 / please sign in first")]
    SignedOut,
    /// The server's own bilingual message (e.g. a wrong password).
    #[error("{0}")]
    Refused(String),
}

impl From<indexed_db_futures::error::Error> for AppError {
    fn from(e: indexed_db_futures::error::Error) -> Self {
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
    /// The message in the language being shown.
    pub fn message(&self) -> String {
        crate::i18n::half(&self.to_string())
    }
}
