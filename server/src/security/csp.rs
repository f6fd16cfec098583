//! The app's Content-Security-Policy. Everything the app loads comes from
//! this origin; the one inline script is Trunk's module loader, allowed by
//! its hash (read from the built `index.html` when the server starts, so a
//! rebuilt app is covered without anyone copying hashes around).

use std::path::Path;

use axum::http::HeaderValue;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The policy for the app shell and its assets.
pub fn app_policy(dist: &Path) -> HeaderValue {
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let hashes: String = inline_scripts(&index)
        .map(|script| {
            let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
            format!(" 'sha256-{digest}'")
        })
        .collect();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data: blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    // Base64 and the fixed text are visible ASCII: always a valid header.
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static("default-src 'self'"))
}

/// The contents of every `<script …>…</script>` without a `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, body) = rest.split_once('>')?;
        let (script, _) = body.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(script)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_scripts_only() {
        let html = r#"<head><script type=module>import init from"/a.js";</script><script src="/b.js"></script>
            <script>let x = 1;</script></head>"#;
        let found: Vec<&str> = inline_scripts(html).collect();
        assert_eq!(found, vec![r#"import init from"/a.js";"#, "let x = 1;"]);
    }

    #[test]
    fn hashes_the_loader_as_browsers_do() {
        let dir = tempfile::tempdir().ok();
        let dir = dir.as_ref().map_or(Path::new("."), |d| d.path());
        std::fs::write(dir.join("index.html"), "<script type=module>alert(1)</script>").ok();
        let policy = app_policy(dir);
        // sha256("alert(1)") in base64, as `openssl dgst -sha256 -binary | base64` prints it.
        assert!(policy.to_str().is_ok_and(|p| p.contains("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='")));
    }
}
