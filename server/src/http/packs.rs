//! Barrio packs for offline use: `GET /api/v1/packs` (version and size of every pack) and
//! `GET /api/v1/barrios/{id}/pack` (one pack, revalidated by ETag so an unchanged pack costs
//! a few bytes).

use app::model::PackInfo;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::error::ApiError;
use crate::store::Store;

pub async fn list(State(store): State<Store>) -> Result<Json<Vec<PackInfo>>, ApiError> {
    Ok(Json(store.pack_infos().await?))
}

pub async fn one(State(store): State<Store>, Path(id): Path<i64>, headers: HeaderMap) -> Result<Response, ApiError> {
    let (version, json) = store.pack_json(id).await?.ok_or(ApiError::NotFound)?;
    let etag = format!("\"pack-{id}-v{version}\"");
    let etag_value = HeaderValue::from_str(&etag).map_err(|_| ApiError::NotFound)?;
    let cache = (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.split(',').any(|t| t.trim() == etag)) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value), cache]).into_response());
    }
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json")), (header::ETAG, etag_value), cache], json).into_response())
}
