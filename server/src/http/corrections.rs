//! Staff corrections of a barrio's hotspots (join, separate, cancel) and notes on hotspots.
//! They change no stored diagnóstico: corrections apply from the next version generated.
//! All are staff work; each change is written in the audit log.

use app::model::adjustment::{Adjustment, AdjustmentDraft, CancelDraft, HotspotNote, NoteDraft};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::diagnosticos::read;
use super::{now_ms, AppState};
use crate::auth::Caller;
use crate::error::ApiError;

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Adjustment>), ApiError> {
    let user = caller.staff_in(barrio_id)?;
    let mut draft: AdjustmentDraft = read(&headers, body, state.max_body_bytes)?;
    draft.reviewer = user.display_name.clone();
    let adjustment = state.store.add_adjustment(barrio_id, draft.checked()?, now_ms()).await?.ok_or(ApiError::NotFound)?;
    let detail = format!("{} de {} marcas", adjustment.action.code(), adjustment.mark_ids.len());
    state.store.audit(Some(user), "hotspot_adjust", format!("barrio {barrio_id} corrección {}", adjustment.seq), detail, now_ms()).await?;
    tracing::info!(
        barrio_id,
        seq = adjustment.seq,
        action = adjustment.action.code(),
        marks = adjustment.mark_ids.len(),
        "hotspots corrected"
    );
    Ok((StatusCode::CREATED, Json(adjustment)))
}

pub async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path((barrio_id, seq)): Path<(i64, i64)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Adjustment>), ApiError> {
    let user = caller.staff_in(barrio_id)?;
    let mut draft: CancelDraft = read(&headers, body, state.max_body_bytes)?;
    draft.reviewer = user.display_name.clone();
    let adjustment = state.store.cancel_adjustment(barrio_id, seq, draft.checked()?, now_ms()).await?.ok_or(ApiError::NotFound)?;
    state.store.audit(Some(user), "hotspot_adjust_cancel", format!("barrio {barrio_id} corrección {seq}"), String::new(), now_ms()).await?;
    tracing::info!(barrio_id, seq, "hotspot correction cancelled");
    Ok((StatusCode::CREATED, Json(adjustment)))
}

pub async fn list(State(state): State<AppState>, caller: Caller, Path(barrio_id): Path<i64>) -> Result<Json<Vec<Adjustment>>, ApiError> {
    caller.staff_in(barrio_id)?;
    Ok(Json(state.store.adjustments(barrio_id).await?))
}

pub async fn add_note(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<HotspotNote>), ApiError> {
    let user = caller.staff_in(barrio_id)?;
    let mut draft: NoteDraft = read(&headers, body, state.max_body_bytes)?;
    draft.author = user.display_name.clone();
    let note = state.store.add_note(barrio_id, draft.checked()?, now_ms()).await?.ok_or(ApiError::NotFound)?;
    state.store.audit(Some(user), "hotspot_note", format!("barrio {barrio_id} nota {}", note.seq), String::new(), now_ms()).await?;
    tracing::info!(barrio_id, seq = note.seq, diagnostico = note.diagnostico, "hotspot note kept");
    Ok((StatusCode::CREATED, Json(note)))
}

pub async fn notes(State(state): State<AppState>, caller: Caller, Path(barrio_id): Path<i64>) -> Result<Json<Vec<HotspotNote>>, ApiError> {
    caller.staff_in(barrio_id)?;
    Ok(Json(state.store.notes(barrio_id).await?))
}
