//! The request deadline: a request still unanswered after it is answered 503, and its work is
//! dropped, so a slow client or a costly request cannot hold a worker indefinitely.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

pub async fn deadline(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(seconds = limit.as_secs(), "request past its deadline");
            ApiError::TimedOut { seconds: limit.as_secs() }.into_response()
        }
    }
}
