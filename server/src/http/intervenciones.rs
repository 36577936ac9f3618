//! Fichas de intervención over HTTP (paso 5; contract in `app::model::intervencion`): a version
//! sent from a tablet (again and again if the answer was lost), a barrio's fichas, one ficha,
//! and what the form offers. Facilitators of the barrio write their own; staff any.

use app::model::intervencion::{ContextoFicha, FichaError, FichaIntervencion};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::diagnosticos::read;
use super::{now_ms, uuid_of, AppState};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::BARRIO_MARGIN_DEG;
use crate::time::today_colombia;

/// 201 when this version is stored now, 200 when it was stored before.
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<FichaIntervencion>), ApiError> {
    caller.account()?;
    let ficha: FichaIntervencion = read(&headers, body, state.max_body_bytes)?;
    let user = caller.works_in(ficha.barrio_id)?.clone();
    let ficha = ficha.checked()?;
    if let Some([lon, lat]) = ficha.lugar.punto {
        let bbox = state.store.barrio_bbox(ficha.barrio_id).await?.ok_or(ApiError::NotFound)?;
        let m = BARRIO_MARGIN_DEG;
        if lon < bbox[0] - m || lon > bbox[2] + m || lat < bbox[1] - m || lat > bbox[3] + m {
            return Err(FichaError::OutsideBarrio.into());
        }
    }
    let any_author = user.role.is_staff();
    let (ficha, new) = state.store.put_ficha(ficha, user, any_author, now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id = ficha.barrio_id, ficha = %ficha.id, version = ficha.version, new, "ficha de intervención received");
    Ok((if new { StatusCode::CREATED } else { StatusCode::OK }, Json(ficha)))
}

pub async fn of_barrio(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
) -> Result<Json<Vec<FichaIntervencion>>, ApiError> {
    caller.works_in(barrio_id)?;
    Ok(Json(state.store.fichas_of_barrio(barrio_id).await?))
}

pub async fn one(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<FichaIntervencion>, ApiError> {
    caller.account()?;
    let ficha = state.store.ficha(uuid_of(&id)?).await?.ok_or(ApiError::NotFound)?;
    caller.works_in(ficha.barrio_id)?;
    Ok(Json(ficha))
}

pub async fn contexto(State(state): State<AppState>, caller: Caller, Path(barrio_id): Path<i64>) -> Result<Json<ContextoFicha>, ApiError> {
    caller.works_in(barrio_id)?;
    Ok(Json(state.store.contexto_ficha(barrio_id, today_colombia()).await?.ok_or(ApiError::NotFound)?))
}
