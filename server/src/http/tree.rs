//! The problem tree: `POST /api/v1/causes` and `POST /api/v1/solutions` store one version of
//! a cause or solution (the model's JSON), and `GET /api/v1/barrios/{id}/tree` returns the
//! current version of a barrio's causes and solutions, tombstones included. All for accounts
//! that work in the barrio (devices send theirs with the sync).

use app::model::{tree, Record};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;

use super::{body::json_body, stored, AppState};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::{BarrioTree, Kind, Store};

pub async fn create_cause(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.account()?;
    let body = json_body(&headers, body, state.max_body_bytes)?;
    let cause = tree::cause_from_json(&body).map_err(|error| ApiError::InvalidTree { kind: Kind::Cause, error })?;
    store(&state.store, &caller, Record::Cause(cause)).await
}

pub async fn create_solution(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    caller.account()?;
    let body = json_body(&headers, body, state.max_body_bytes)?;
    let solution = tree::solution_from_json(&body).map_err(|error| ApiError::InvalidTree { kind: Kind::Solution, error })?;
    store(&state.store, &caller, Record::Solution(solution)).await
}

/// Stores a checked cause or solution whose barrio must exist; the store checks its links.
async fn store(store: &Store, caller: &Caller, record: Record) -> Result<Response, ApiError> {
    let (kind, id, version, barrio_id) = (Kind::of(&record), record.id(), record.version(), record.barrio_id());
    if store.barrio_bbox(barrio_id).await?.is_none() {
        return Err(ApiError::UnknownBarrio { barrio_id, field: "barrio_id" });
    }
    caller.works_in(barrio_id)?;
    let outcome = store.store_record(record).await?;
    Ok(stored::answer(kind, id, version, outcome))
}

pub async fn for_barrio(State(store): State<Store>, caller: Caller, Path(id): Path<i64>) -> Result<Json<BarrioTree>, ApiError> {
    caller.account()?;
    if store.barrio_bbox(id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    caller.works_in(id)?;
    Ok(Json(store.tree_for_barrio(id).await?))
}
