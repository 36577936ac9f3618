//! The re-mapping comparison over HTTP: `GET /barrios/{id}/remapeo?antes=N&despues=M` (both
//! optional), for the staff of the barrio.

use app::model::remapeo::Remapeo;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;

use super::AppState;
use crate::auth::Caller;
use crate::error::ApiError;

#[derive(Debug, Deserialize)]
pub struct RemapeoQuery {
    antes: Option<u32>,
    despues: Option<u32>,
}

pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
    query: Result<Query<RemapeoQuery>, QueryRejection>,
) -> Result<Json<Remapeo>, ApiError> {
    caller.staff_in(barrio_id)?;
    let Query(q) = query.map_err(|e| ApiError::InvalidQuery {
        field: "query",
        es: format!("Los parámetros (antes, después: números de diagnóstico) no son válidos: {}", e.body_text()),
        en: format!("The parameters (antes, despues: diagnóstico numbers) are not valid: {}", e.body_text()),
    })?;
    Ok(Json(state.store.remapeo(barrio_id, q.antes, q.despues).await?.ok_or(ApiError::NotFound)?))
}
