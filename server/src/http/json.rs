//! JSON in and out: the one error body every endpoint answers with, and
//! a request body extractor that refuses malformed input the same way.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::contract::ErrorBody;
use domain::label::Text;

/// A refusal as JSON: `{"error": "<中文> / <English>", "zh": …, "en": …}`.
pub fn error(status: StatusCode, message: impl Into<Text>) -> Response {
    (status, Json(ErrorBody::of(&message.into()))).into_response()
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
                let zh = format!("请求内容过大(最多 {limit} KB)");
                Err(error(rejection.status(), Text::owned(zh, format!("request too large (at most {limit} KB)"))))
            }
            Err(rejection) => {
                let why = rejection.body_text();
                let message =
                    Text::owned(format!("请求内容不是有效的JSON表单:{why}"), format!("malformed request: {why}"));
                Err(error(rejection.status(), message))
            }
        }
    }
}
