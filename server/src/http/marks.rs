//! Marks as GeoJSON Features: `POST /api/v1/marks` stores one (idempotent by id), and
//! `GET /api/v1/barrios/{id}/marks` lists a barrio's as a FeatureCollection.

use app::model::Mark;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use super::AppState;
use crate::error::ApiError;
use crate::store::{InsertOutcome, Store, StoreError};

/// How far outside its barrio's bounding box a mark may lie, in degrees (about 1 km): people
/// mark the street just across the boundary, not a place in another city.
const BARRIO_MARGIN_DEG: f64 = 0.01;

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body.map_err(|r| ApiError::from_body_rejection(r, state.max_body_bytes))?;
    if let Some(content_type) = headers.get(header::CONTENT_TYPE) {
        let ct = content_type.to_str().unwrap_or("").to_ascii_lowercase();
        if !(ct.starts_with("application/json") || ct.starts_with("application/geo+json")) {
            return Err(ApiError::UnsupportedMediaType);
        }
    }
    let mark = Mark::from_feature_json(&body)?;
    let bbox = state.store.barrio_bbox(mark.barrio_id).await?.ok_or(ApiError::UnknownBarrio(mark.barrio_id))?;
    if !mark.lies_near(bbox, BARRIO_MARGIN_DEG) {
        return Err(ApiError::OutsideBarrio(mark.barrio_id));
    }
    let id = mark.id;
    let outcome = state.store.insert_mark(mark).await.map_err(|e| match e {
        StoreError::MarkConflict(id) => ApiError::Conflict(id),
        other => ApiError::Store(other),
    })?;
    // Logged without coordinates or description: those could identify who reported what.
    tracing::info!(mark = %id, ?outcome, "mark received");
    let (status, word) = match outcome {
        InsertOutcome::Created => (StatusCode::CREATED, "created"),
        InsertOutcome::AlreadyStored => (StatusCode::OK, "already_stored"),
    };
    Ok((status, Json(json!({ "id": id, "status": word }))).into_response())
}

pub async fn list_for_barrio(State(store): State<Store>, Path(id): Path<i64>) -> Result<Response, ApiError> {
    if store.barrio_bbox(id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let marks = store.marks_for_barrio(id).await?;
    let collection = geojson::FeatureCollection {
        bbox: None,
        features: marks.iter().map(Mark::to_feature).collect(),
        foreign_members: None,
    };
    Ok(([(header::CONTENT_TYPE, "application/geo+json")], Json(collection)).into_response())
}
