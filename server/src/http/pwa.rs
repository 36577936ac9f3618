//! What makes the app installable and usable offline: the generated service worker, and the
//! caching headers that let the browser keep hashed assets forever but never a stale page.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;

pub async fn service_worker(State(state): State<AppState>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // Browsers must fetch the worker fresh to notice a new deployment.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        state.service_worker.to_string(),
    )
        .into_response()
}

/// The stylesheet of the pages loaded on demand (`app::staff_style`), from the binary: its name
/// carries its content's hash, so it is immutable in every build, hashed or not. Compressed per
/// request like the pages.
pub async fn staff_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        app::staff_style::CSS,
    )
        .into_response()
}

/// Adds caching headers: hashed `/pkg` files are immutable; HTML pages are revalidated and say
/// which deployment rendered them (the worker caches only pages of its own version).
pub async fn cache_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let pkg = request.uri().path().starts_with("/pkg/");
    let hashed_asset = state.hashed_assets && pkg;
    let mut response = next.run(request).await;
    let success = response.status().is_success();
    let headers = response.headers_mut();
    // `/pkg` answers with the `.br`, the `.gz` or the plain file by the request's
    // Accept-Encoding: caches between must keep them apart.
    if pkg && success && !headers.get_all(header::VARY).iter().any(|v| v.to_str().is_ok_and(|v| v.to_ascii_lowercase().contains("accept-encoding"))) {
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if hashed_asset && success {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    } else if headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("text/html")) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        if let Ok(v) = HeaderValue::from_str(&state.version) {
            headers.insert("x-cartobarrio-version", v);
        }
    }
    response
}
