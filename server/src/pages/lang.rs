//! The reader's language on the server's pages. A `?lang=en` or `?lang=zh`
//! link (every page has one, no script needed) chooses it and is kept in a
//! cookie, so the pages after follow; without a choice, the browser's
//! `Accept-Language` decides, and Chinese when it names neither. The app
//! writes the same cookie when its reader switches, so a letter or report
//! opened from the app is in the app's language.

use std::convert::Infallible;

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::middleware::Next;
use axum::response::Response;
pub use domain::label::Lang;

use crate::security::auth::cookie_value;

/// The cookie that keeps a chosen language.
pub const COOKIE: &str = "dl_lang";

/// The language to render the page in.
#[derive(Debug, Clone, Copy)]
pub struct PageLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(PageLang(of_request(&parts.uri, &parts.headers)))
    }
}

/// The language a request asks for.
pub fn of_request(uri: &Uri, headers: &HeaderMap) -> Lang {
    chosen(uri)
        .or_else(|| cookie_value(headers, COOKIE).and_then(|tag| Lang::of_tag(&tag)))
        .or_else(|| accepted(headers))
        .unwrap_or_default()
}

/// `?lang=` in the address.
fn chosen(uri: &Uri) -> Option<Lang> {
    let query = uri.query()?;
    query.split('&').find_map(|pair| pair.strip_prefix("lang=")).and_then(Lang::of_tag)
}

/// The first of the browser's languages that is one of ours.
fn accepted(headers: &HeaderMap) -> Option<Lang> {
    let header = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    accept_language::parse(header).iter().find_map(|tag| Lang::of_tag(tag))
}

/// Keeps a `?lang=` choice in the cookie, for a year.
pub async fn remember(request: Request, next: Next) -> Response {
    let chosen = chosen(request.uri());
    let mut response = next.run(request).await;
    if let Some(lang) = chosen {
        let cookie = format!("{COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.tag());
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The other language, for the switch on every page.
pub fn other(lang: Lang) -> Lang {
    lang.pick(Lang::En, Lang::Zh)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn lang(uri: &str, cookie: Option<&str>, accept: Option<&str>) -> Lang {
        let mut headers = HeaderMap::new();
        if let Some(c) = cookie {
            headers.insert(header::COOKIE, c.parse().unwrap());
        }
        if let Some(a) = accept {
            headers.insert(header::ACCEPT_LANGUAGE, a.parse().unwrap());
        }
        of_request(&uri.parse().unwrap(), &headers)
    }

    #[test]
    fn the_link_then_the_cookie_then_the_browser_then_chinese() {
        assert_eq!(lang("/board?lang=en", Some("dl_lang=zh-CN"), Some("zh-CN")), Lang::En);
        assert_eq!(lang("/board?x=1&lang=zh", None, Some("en-GB")), Lang::Zh);
        assert_eq!(lang("/board", Some("a=b; dl_lang=en"), Some("zh-CN")), Lang::En);
        assert_eq!(lang("/board", None, Some("fr-FR, en-US;q=0.8, zh;q=0.5")), Lang::En);
        assert_eq!(lang("/board", None, Some("zh-Hant-TW, en;q=0.9")), Lang::Zh);
        assert_eq!(lang("/board", None, Some("de")), Lang::Zh);
        assert_eq!(lang("/board?lang=fr", Some("dl_lang=xx"), None), Lang::Zh, "nonsense is ignored");
    }
}
