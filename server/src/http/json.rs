//! JSON in and out: the one error body every endpoint answers with, and
//! a request body extractor that refuses malformed input the same way.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::contract::ErrorBody;

/// A refusal as JSON: `{"error": "<中文> / <English>"}`.
pub fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(ErrorBody { error: message.to_string() })).into_response()
}

/// The largest form a JSON endpoint accepts: a registration is a few
/// hundred bytes.
pub const FORM_LIMIT: usize = 64 * 1024;

/// A JSON request body. Malformed input gets the same JSON error, in both
/// languages, as every other refusal (axum's own answer is plain English text).
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for Body<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Body(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                let limit = FORM_LIMIT / 1024;
                Err(error(
                    rejection.status(),
                    &format!("请求内容过大(最多 {limit} KB)/ request too large (at most {limit} KB)"),
                ))
            }
            Err(rejection) => {
                let why = rejection.body_text();
                Err(error(rejection.status(), &format!("请求内容不是有效的JSON表单:{why} / malformed request: {why}")))
            }
        }
    }
}
