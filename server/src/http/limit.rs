//! The request size limit, enforced before any handler runs. A body over the limit is read to
//! its end (up to a cap) before the 413 goes out: answering while the client is still sending
//! makes the connection close under it, and the client sees a reset instead of the refusal.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use crate::error::ApiError;

/// Past this many bytes an oversized body is no longer drained: the connection is dropped.
const DRAIN_CAP: usize = 16 * 1024 * 1024;

/// Buffers the body when it is within `limit`; answers 413 otherwise.
pub async fn buffered_within(State(limit): State<usize>, request: Request, next: Next) -> Response {
    let (parts, mut body) = request.into_parts();
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(frame) => frame,
            Err(e) => return ApiError::UnreadableBody(e.to_string()).into_response(),
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen > limit {
            kept = Vec::new();
            if seen > DRAIN_CAP {
                break;
            }
        } else {
            kept.extend_from_slice(&data);
        }
    }
    if seen > limit {
        return ApiError::PayloadTooLarge { limit }.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(Bytes::from(kept)))).await
}
