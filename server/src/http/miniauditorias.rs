//! Miniauditorías over HTTP (paso 6; contract in `app::model::miniauditoria`): a version sent
//! from a tablet (again and again if the answer was lost), a barrio's miniauditorías, one, its
//! informe, and what the form offers. Facilitators of the barrio write their own; staff any.

use app::model::miniauditoria::{ContextoMiniauditoria, InformeMiniauditoria, Miniauditoria};
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

/// 201 when this version is stored now, 200 when it was stored before.
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Miniauditoria>), ApiError> {
    caller.account()?;
    let m: Miniauditoria = read(&headers, body, state.max_body_bytes)?;
    let user = caller.works_in(m.barrio_id)?.clone();
    let m = m.checked()?;
    let any_author = user.role.is_staff();
    let (m, new) = state.store.put_miniauditoria(m, user, any_author, today_colombia(), now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id = m.barrio_id, miniauditoria = %m.id, version = m.version, cerrada = m.cerrada, new, "miniauditoría received");
    Ok((if new { StatusCode::CREATED } else { StatusCode::OK }, Json(m)))
}

pub async fn of_barrio(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
) -> Result<Json<Vec<Miniauditoria>>, ApiError> {
    caller.works_in(barrio_id)?;
    Ok(Json(state.store.miniauditorias_of_barrio(barrio_id).await?))
}

pub async fn one(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Miniauditoria>, ApiError> {
    caller.account()?;
    let m = state.store.miniauditoria(uuid_of(&id)?).await?.ok_or(ApiError::NotFound)?;
    caller.works_in(m.barrio_id)?;
    Ok(Json(m))
}

pub async fn informe(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<InformeMiniauditoria>, ApiError> {
    caller.account()?;
    let informe = state.store.informe_miniauditoria(uuid_of(&id)?, today_colombia()).await?.ok_or(ApiError::NotFound)?;
    caller.works_in(informe.miniauditoria.barrio_id)?;
    Ok(Json(informe))
}

pub async fn contexto(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
) -> Result<Json<ContextoMiniauditoria>, ApiError> {
    caller.works_in(barrio_id)?;
    Ok(Json(state.store.contexto_miniauditoria(barrio_id, today_colombia()).await?.ok_or(ApiError::NotFound)?))
}
