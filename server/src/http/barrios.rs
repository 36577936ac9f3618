//! Barrio list and barrio boundary.

use std::collections::HashMap;

use app::model::{Barrio, BarrioSummary};
use axum::extract::{Path, Query, State};
use axum::Json;

use crate::error::ApiError;
use crate::import::plan::is_municipio;
use crate::store::Store;

/// Every city's barrios, or with `?municipio=08001` one city's (its DIVIPOLA code).
pub async fn list(State(store): State<Store>, Query(query): Query<HashMap<String, String>>) -> Result<Json<Vec<BarrioSummary>>, ApiError> {
    let municipio = query.get("municipio").map(|m| m.trim());
    if municipio.is_some_and(|m| !is_municipio(m)) {
        return Err(ApiError::InvalidQuery {
            field: "municipio",
            es: "municipio es el código DIVIPOLA de 5 dígitos de la ciudad (Santa Marta: 47001).".into(),
            en: "municipio is the city's 5-digit DIVIPOLA code (Santa Marta: 47001).".into(),
        });
    }
    let mut barrios = store.list_barrios().await?;
    if let Some(m) = municipio {
        barrios.retain(|b| b.municipio == m);
    }
    Ok(Json(barrios))
}

pub async fn one(State(store): State<Store>, Path(id): Path<i64>) -> Result<Json<Barrio>, ApiError> {
    store.barrio(id).await?.map(Json).ok_or(ApiError::NotFound)
}
