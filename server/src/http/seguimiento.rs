//! Paso 7 over HTTP: the follow-up board of every compromiso in the staff's cities, and the
//! interinstitutional committee's actas (contract in `app::model::pacto::seguimiento`).

use app::model::pacto::seguimiento::{Comite, ComiteDraft, Tablero};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::diagnosticos::read;
use super::{now_ms, uuid_of, AppState};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::time::today_colombia;

/// `GET /api/v1/seguimiento`.
pub async fn tablero(State(state): State<AppState>, caller: Caller) -> Result<Json<Tablero>, ApiError> {
    let session = caller.staff()?;
    Ok(Json(state.store.tablero(session.city_barrios.clone(), today_colombia()).await?))
}

/// `POST /api/v1/comites`: the acta of a committee that met, with each compromiso's new status.
pub async fn crear(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Comite>), ApiError> {
    let session = caller.staff()?;
    let draft: ComiteDraft = read(&headers, body, state.max_body_bytes)?;
    let draft = draft.checked()?;
    let comite =
        state.store.crear_comite(uuid::Uuid::new_v4(), draft, session.city_barrios.clone(), session.user.clone(), now_ms()).await?;
    let cambios = comite.revisiones.iter().filter(|r| r.cambio()).count();
    tracing::info!(municipio = %comite.municipio, numero = comite.numero, revisados = comite.revisiones.len(), cambios, "committee acta kept");
    Ok((StatusCode::CREATED, Json(comite)))
}

/// `GET /api/v1/comites/{id}`: for staff who work in a barrio it reviewed.
pub async fn uno(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Comite>, ApiError> {
    let session = caller.staff()?;
    let comite = state.store.comite(uuid_of(&id)?).await?.ok_or(ApiError::NotFound)?;
    // Another city's acta is as unknown as a missing one.
    if !comite.revisiones.iter().any(|r| session.in_cities(r.barrio_id)) {
        return Err(ApiError::NotFound);
    }
    Ok(Json(comite))
}
