//! Barrio list and barrio boundary.

use app::model::{Barrio, BarrioSummary};
use axum::extract::{Path, State};
use axum::Json;

use crate::error::ApiError;
use crate::store::Store;

pub async fn list(State(store): State<Store>) -> Result<Json<Vec<BarrioSummary>>, ApiError> {
    Ok(Json(store.list_barrios().await?))
}

pub async fn one(State(store): State<Store>, Path(id): Path<i64>) -> Result<Json<Barrio>, ApiError> {
    store.barrio(id).await?.map(Json).ok_or(ApiError::NotFound)
}
