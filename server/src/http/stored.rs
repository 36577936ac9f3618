//! The answer to a stored version, the same for marks, causes and solutions:
//! `{"id", "version", "status"}`, 201 when the record is new and 200 otherwise.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use uuid::Uuid;

use crate::store::{Kind, Outcome};

pub fn answer(kind: Kind, id: Uuid, version: u32, outcome: Outcome) -> Response {
    // Ids, versions and outcomes only: texts, descriptions and coordinates could tell who
    // reported what, so they never reach the logs.
    tracing::info!(kind = kind.as_str(), %id, version, outcome = outcome.as_str(), "record received");
    let status = if outcome == Outcome::Created { StatusCode::CREATED } else { StatusCode::OK };
    (status, Json(json!({ "id": id, "version": version, "status": outcome.as_str() }))).into_response()
}
