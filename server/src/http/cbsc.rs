//! A barrio's CBSC over HTTP: those who work in the barrio read its versions, and only staff
//! get the members' names; staff record a new version.

use app::model::cbsc::{Cbsc, CbscDraft, CbscHistoria};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::diagnosticos::read;
use super::{now_ms, AppState};
use crate::auth::Caller;
use crate::error::ApiError;

pub async fn history(State(state): State<AppState>, caller: Caller, Path(barrio_id): Path<i64>) -> Result<Json<CbscHistoria>, ApiError> {
    let user = caller.works_in(barrio_id)?;
    // The names are not even read for anyone else: they cannot leak from what is not loaded.
    let history = state.store.cbsc_of_barrio(barrio_id, user.role.is_staff()).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(history))
}

pub async fn add_version(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Cbsc>), ApiError> {
    let user = caller.staff_in(barrio_id)?.clone();
    let draft: CbscDraft = read(&headers, body, state.max_body_bytes)?;
    let now = now_ms();
    let (today, _) = app::model::workshop::colombia_date_time(now);
    let stored = state.store.add_cbsc_version(barrio_id, draft.checked(&today)?, user, now).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id, version = stored.version, "cbsc version kept");
    Ok((StatusCode::CREATED, Json(stored)))
}
