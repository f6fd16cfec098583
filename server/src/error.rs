use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::label::Label;
use thiserror::Error;

use crate::http::json::error;

#[derive(Debug, Error)]
pub enum ServerError {
    #[error("数据库错误 / database error: {0}")]
    Database(String),
    #[error("文件读写错误 / file error: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Domain(#[from] domain::DomainError),
    #[error("加密操作失败 / cryptography failed: {0}")]
    Crypto(String),
    #[error("数据库已被占用 / the database lock is poisoned")]
    Poisoned,
    #[error(
        "数据目录正被运行中的服务器使用,请先停止服务器 / a running server holds the data directory {0}: stop it first"
    )]
    Busy(String),
    #[error("备份或恢复失败 / backup or restore failed: {0}")]
    Backup(String),
    #[error("{0}")]
    Admin(String),
    #[error("数据编码失败 / encoding failed: {0}")]
    Json(#[from] serde_json::Error),
    #[error("服务器繁忙,请稍后再试 / the server is busy: try again shortly")]
    Overloaded,
}

impl From<sqlx::Error> for ServerError {
    fn from(e: sqlx::Error) -> Self {
        // The database's own message says what went wrong (sqlx's Display
        // of it is just that message).
        match e.as_database_error() {
            Some(db) => ServerError::Database(format!("{}: {}", db.code().unwrap_or_default(), db.message())),
            None => ServerError::Database(e.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for ServerError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        ServerError::Database(e.to_string())
    }
}

impl IntoResponse for ServerError {
    fn into_response(self) -> Response {
        if let ServerError::Overloaded = self {
            tracing::warn!("request refused: busy");
            let busy = Label::new("服务器繁忙,请稍后再试", "the server is busy: try again shortly");
            let mut response = error(StatusCode::SERVICE_UNAVAILABLE, busy);
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return response;
        }
        tracing::error!(error = %self, "request failed");
        error(StatusCode::INTERNAL_SERVER_ERROR, Label::new("服务器内部错误", "internal server error"))
    }
}
