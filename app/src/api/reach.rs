//! How the signed-in person is reached: their settings, and this device's
//! push subscription (the browser's Push API, with the server's VAPID key).

use gloo::net::http::Request;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use domain::contract::SettingsView;
use domain::label::Text;
use domain::reach::Settings;

use super::{get_json, refusal};
use crate::error::AppError;

pub async fn settings() -> Result<SettingsView, AppError> {
    get_json("/api/settings").await
}

pub async fn save_settings(settings: &Settings) -> Result<SettingsView, AppError> {
    let request = Request::put("/api/settings").json(settings).map_err(|_| AppError::Offline)?;
    let response = request.send().await.map_err(|_| AppError::Offline)?;
    if !response.ok() {
        return Err(refusal(response).await);
    }
    response.json().await.map_err(|_| AppError::Offline)
}

/// The browser's refusal, in both languages with its own words.
fn browser(what: &str, e: &JsValue) -> AppError {
    let why = js_sys::Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_default();
    AppError::Refused(Text::owned(format!("浏览器未能{what}:{why}"), format!("the browser could not {what}: {why}")))
}

/// This app's service worker registration, once it is ready.
async fn registration() -> Result<web_sys::ServiceWorkerRegistration, AppError> {
    let window = web_sys::window().ok_or(AppError::Offline)?;
    let ready = window.navigator().service_worker().ready().map_err(|e| browser("启用通知", &e))?;
    let registration = JsFuture::from(ready).await.map_err(|e| browser("启用通知", &e))?;
    registration.dyn_into().map_err(|e| browser("启用通知", &e))
}

/// This device's subscription, if it has one.
pub async fn push_subscription() -> Result<Option<web_sys::PushSubscription>, AppError> {
    let manager = registration().await?.push_manager().map_err(|e| browser("读取通知订阅", &e))?;
    let found = JsFuture::from(manager.get_subscription().map_err(|e| browser("读取通知订阅", &e))?)
        .await
        .map_err(|e| browser("读取通知订阅", &e))?;
    Ok(found.dyn_into().ok())
}

/// Asks the person, subscribes this device with the server's key, and
/// gives the subscription to the server.
pub async fn enable_push() -> Result<(), AppError> {
    let permission =
        JsFuture::from(web_sys::Notification::request_permission().map_err(|e| browser("请求通知权限", &e))?)
            .await
            .map_err(|e| browser("请求通知权限", &e))?;
    if permission.as_string().as_deref() != Some("granted") {
        return Err(AppError::Refused(Text::owned(
            "未获得通知权限:请在浏览器的网站设置中允许通知".into(),
            "notifications are not allowed: allow them in the browser's site settings".into(),
        )));
    }
    let key: serde_json::Value = get_json("/api/push/key").await?;
    let options = web_sys::PushSubscriptionOptionsInit::new();
    options.set_user_visible_only(true);
    options.set_application_server_key(&JsValue::from_str(key["key"].as_str().unwrap_or_default()));
    let manager = registration().await?.push_manager().map_err(|e| browser("订阅通知", &e))?;
    let subscribing = manager.subscribe_with_options(&options).map_err(|e| browser("订阅通知", &e))?;
    let subscription = JsFuture::from(subscribing).await.map_err(|e| browser("订阅通知", &e))?;
    let json = js_sys::JSON::stringify(&subscription).map_err(|e| browser("订阅通知", &e))?;
    let body = String::from(json);
    let request = Request::post("/api/push/subscriptions")
        .header("Content-Type", "application/json")
        .body(body)
        .map_err(|_| AppError::Offline)?;
    let response = request.send().await.map_err(|_| AppError::Offline)?;
    if response.ok() { Ok(()) } else { Err(refusal(response).await) }
}

/// Stops notifications on this device, at the server and in the browser.
pub async fn disable_push() -> Result<(), AppError> {
    let Some(subscription) = push_subscription().await? else { return Ok(()) };
    let endpoint = subscription.endpoint();
    let request = Request::delete("/api/push/subscriptions")
        .json(&serde_json::json!({ "endpoint": endpoint }))
        .map_err(|_| AppError::Offline)?;
    let response = request.send().await.map_err(|_| AppError::Offline)?;
    if !response.ok() {
        return Err(refusal(response).await);
    }
    let done = subscription.unsubscribe().map_err(|e| browser("退订通知", &e))?;
    JsFuture::from(done).await.map_err(|e| browser("退订通知", &e))?;
    Ok(())
}

/// The themed and cross-district sessions published (public).
pub async fn published_sessions() -> Result<Vec<String>, AppError> {
    let answer: serde_json::Value = get_json("/api/sessions").await?;
    Ok(answer["published"].as_array().into_iter().flatten().filter_map(|v| v.as_str().map(String::from)).collect())
}

/// A coordinator publishes a special session on the calendar.
pub async fn publish_session(id: &str) -> Result<(), AppError> {
    let request =
        Request::post("/api/sessions").json(&serde_json::json!({ "id": id })).map_err(|_| AppError::Offline)?;
    let response = request.send().await.map_err(|_| AppError::Offline)?;
    if response.ok() { Ok(()) } else { Err(refusal(response).await) }
}
