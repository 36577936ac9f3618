//! Security headers on every response: a Content-Security-Policy the app works under (its
//! scripts carry the page's nonce; WebAssembly may compile), no sniffing, no referrer, no
//! framing. Pages set their own policy with their nonce; everything else gets the default.

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The policy, with the nonce of the page's scripts when there is a page. Styles may be
/// inline: the map sets positions and colours in `style` attributes, and a style cannot run
/// code. Images may be `data:` (the QR code) or `blob:`.
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let scripts = match nonce {
        Some(n) => format!("'self' 'nonce-{n}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".into(),
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; \
         connect-src 'self'; worker-src 'self'; manifest-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

const FIXED: [(&str, &str); 6] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    // The map asks for the device's position and a mark's sheet records voice notes; photos
    // come through the file picker (the system's camera), so the page never opens the camera.
    ("permissions-policy", "geolocation=(self), camera=(), microphone=(self), payment=(), usb=()"),
];

pub async fn headers(request: Request, next: Next) -> Response {
    // What is answered to an account or a device is theirs alone: no shared or disk cache
    // keeps it, unless the handler said how it may be cached (packs, assets).
    let personal = request.headers().contains_key(header::AUTHORIZATION) || crate::auth::cookie(request.headers(), crate::auth::SESSION_COOKIE).is_some();
    let api = request.uri().path().starts_with("/api/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    if personal && api && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    for (name, value) in FIXED {
        h.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(v) = HeaderValue::from_str(&content_security_policy(None)) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    response
}

/// In a page's rendering: the policy with the nonce Leptos gave this page's scripts.
pub fn page_policy() {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(options)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>()) else {
        return;
    };
    if let Ok(v) = HeaderValue::from_str(&content_security_policy(Some(&nonce))) {
        options.insert_header(header::CONTENT_SECURITY_POLICY, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_the_pages_scripts_and_nothing_inline_without_its_nonce() {
        let p = content_security_policy(Some("abc"));
        assert!(p.contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval';"), "{p}");
        assert!(!p.split(';').any(|d| d.trim().starts_with("script-src") && d.contains("unsafe-inline")), "{p}");
        assert!(p.contains("frame-ancestors 'none'") && p.contains("object-src 'none'"));
        assert!(!content_security_policy(None).contains("nonce"));
    }
}
