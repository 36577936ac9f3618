//! Reading a JSON request body, the same for every POST of the API: the size limit and the
//! content type.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{header, HeaderMap};

use crate::error::ApiError;

/// The body, if it was read whole within `limit` and, when a content type is given, it says
/// JSON. A missing content type is accepted: the first app version's queue sent none.
pub fn json_body(headers: &HeaderMap, body: Result<Bytes, BytesRejection>, limit: usize) -> Result<Bytes, ApiError> {
    let body = body.map_err(|r| ApiError::from_body_rejection(r, limit))?;
    if let Some(content_type) = headers.get(header::CONTENT_TYPE) {
        let ct = content_type.to_str().unwrap_or("").to_ascii_lowercase();
        if !(ct.starts_with("application/json") || ct.starts_with("application/geo+json")) {
            return Err(ApiError::UnsupportedMediaType);
        }
    }
    Ok(body)
}
