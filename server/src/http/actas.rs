//! Actas over HTTP: a version sent from a tablet (again and again if the answer was lost), a
//! barrio's actas, one acta. Facilitators of the barrio write their own; staff any.

use app::model::acta::Acta;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::diagnosticos::read;
use super::{now_ms, AppState};
use crate::auth::Caller;
use crate::error::ApiError;

/// 201 when this version is stored now, 200 when it was stored before.
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Acta>), ApiError> {
    caller.account()?;
    let acta: Acta = read(&headers, body, state.max_body_bytes)?;
    let user = caller.works_in(acta.barrio_id)?.clone();
    let acta = acta.checked()?;
    let any_author = user.role.is_staff();
    let (acta, new) = state.store.put_acta(acta, user, any_author, now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id = acta.barrio_id, acta = %acta.id, version = acta.version, new, "acta received");
    Ok((if new { StatusCode::CREATED } else { StatusCode::OK }, Json(acta)))
}

pub async fn of_barrio(State(state): State<AppState>, caller: Caller, Path(barrio_id): Path<i64>) -> Result<Json<Vec<Acta>>, ApiError> {
    caller.works_in(barrio_id)?;
    Ok(Json(state.store.actas_of_barrio(barrio_id).await?))
}

pub async fn one(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Acta>, ApiError> {
    caller.account()?;
    let id = super::uuid_of(&id)?;
    let acta = state.store.acta(id).await?.ok_or(ApiError::NotFound)?;
    caller.works_in(acta.barrio_id)?;
    Ok(Json(acta))
}
