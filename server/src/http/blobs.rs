//! `/api/blobs/{sha256}`: attachments. Uploaded by a signed-in user with
//! their content hash (checked), at most `ATTACHMENT_MAX_BYTES`, of an
//! allowed type; downloaded by their uploader or by anyone who may read a
//! case naming them.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::case::{ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES};
use domain::label::Label;
use sha2::{Digest, Sha256};

use crate::http::json::error;
use crate::security::auth::SignedIn;
use crate::{AppState, ServerError};

/// The request body limit of uploads (the attachment limit plus headroom).
pub const UPLOAD_LIMIT: usize = ATTACHMENT_MAX_BYTES as usize + 1024;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn upload(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path(sha256): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ServerError> {
    let mime = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    if !ATTACHMENT_TYPES.contains(&mime.as_str()) {
        return Ok(error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Label::new("只能上传 JPG、PNG、WebP 图片或 PDF", "only JPG, PNG, WebP images or PDF"),
        ));
    }
    if body.len() as u64 > ATTACHMENT_MAX_BYTES {
        return Ok(error(
            StatusCode::PAYLOAD_TOO_LARGE,
            Label::new("文件超过10MB上限", "the file is larger than 10 MB"),
        ));
    }
    if hex(&Sha256::digest(&body)) != sha256 {
        return Ok(error(
            StatusCode::BAD_REQUEST,
            Label::new("文件内容与校验值不符", "the content does not match its hash"),
        ));
    }
    let (store, now) = (state.store.clone(), state.clock.now_ms());
    store.put_blob(&sha256, &mime, &body, &account.user.id, now).await?;
    Ok(StatusCode::CREATED.into_response())
}

pub async fn download(
    State(state): State<AppState>,
    SignedIn(account): SignedIn,
    Path(sha256): Path<String>,
) -> Result<Response, ServerError> {
    let store = &state.store;
    let found = match store.blob(&sha256).await? {
        Some((mime, bytes, uploader)) if uploader == account.user.id => Some((mime, bytes)),
        Some((mime, bytes, _)) => store.reads_case_naming(&account.user, &sha256).await?.then_some((mime, bytes)),
        None => None,
    };
    // One answer for "no such file" and "not yours": existence does not leak.
    Ok(match found {
        Some((mime, bytes)) => ([(header::CONTENT_TYPE, mime)], bytes).into_response(),
        None => error(StatusCode::NOT_FOUND, Label::new("文件不存在", "no such file")),
    })
}
