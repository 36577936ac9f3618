//! Diagnósticos of a barrio: generate the next numbered snapshot of the merge, list them, read
//! one, compare two; and staff decisions on single marks (reject with a reason, restore).
//! All are staff work; changes and exports (which carry aliases and exact places) are written
//! in the audit log.

use app::model::comparison::{compare, Comparison};
use app::model::review::{DiagnosticoSummary, GenerateRequest, MarkReview, ReviewDraft, StoredDiagnostico};
use app::model::status::BarrioStatus;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use uuid::Uuid;

use super::{body::json_body, now_ms, AppState};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::export::SourceMark;

pub(super) fn read<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    limit: usize,
) -> Result<T, ApiError> {
    let body = json_body(headers, body, limit)?;
    serde_json::from_slice(&body).map_err(|e| ApiError::MalformedBody(e.to_string()))
}

pub async fn generate(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<StoredDiagnostico>), ApiError> {
    let user = caller.staff_in(barrio_id)?;
    let mut request: GenerateRequest = read(&headers, body, state.max_body_bytes)?;
    request.created_by = user.display_name.clone();
    let request = request.checked()?;
    let params = request.params;
    let stored = state
        .store
        .generate_diagnostico(barrio_id, request.created_by, now_ms(), move |marks, causes, solutions, adjustments| {
            crate::merge::merge_adjusted(barrio_id, marks, causes, solutions, &params, adjustments)
        })
        .await?
        .ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id, number = stored.number, hotspots = stored.diagnostico.hotspots.len(), "diagnóstico generated");
    state.store.audit(Some(user), "diagnostico_generate", format!("barrio {barrio_id} versión {}", stored.number), String::new(), now_ms()).await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

pub async fn list(State(state): State<AppState>, caller: Caller, Path(barrio_id): Path<i64>) -> Result<Json<Vec<DiagnosticoSummary>>, ApiError> {
    caller.staff_in(barrio_id)?;
    Ok(Json(state.store.diagnosticos(barrio_id).await?.ok_or(ApiError::NotFound)?))
}

/// Every barrio of the caller's cities with its counts and diagnóstico status, barrios
/// needing work first.
pub async fn status(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<BarrioStatus>>, ApiError> {
    let session = caller.staff()?;
    let mut statuses = state.store.barrio_statuses().await?;
    statuses.retain(|s| session.in_cities(s.barrio_id));
    Ok(Json(statuses))
}

pub async fn one(State(state): State<AppState>, caller: Caller, Path((barrio_id, number)): Path<(i64, u32)>) -> Result<Json<StoredDiagnostico>, ApiError> {
    caller.staff_in(barrio_id)?;
    Ok(Json(state.store.diagnostico(barrio_id, number).await?.ok_or(ApiError::NotFound)?))
}

/// What changed from diagnóstico `number` to `other` (usually a later one).
pub async fn comparison(
    State(state): State<AppState>,
    caller: Caller,
    Path((barrio_id, number, other)): Path<(i64, u32, u32)>,
) -> Result<Json<Comparison>, ApiError> {
    caller.staff_in(barrio_id)?;
    let before = state.store.diagnostico(barrio_id, number).await?.ok_or(ApiError::NotFound)?;
    let after = state.store.diagnostico(barrio_id, other).await?.ok_or(ApiError::NotFound)?;
    Ok(Json(compare(&before.diagnostico, &after.diagnostico)))
}

pub async fn review_mark(
    State(state): State<AppState>,
    caller: Caller,
    Path(mark_id): Path<Uuid>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<MarkReview>), ApiError> {
    // Staff first: whoever else asks learns nothing, not even whether the mark exists.
    caller.staff()?;
    let barrio_id = state.store.mark_barrio(mark_id).await?.ok_or(ApiError::NotFound)?;
    let user = caller.staff_in(barrio_id)?;
    let mut draft: ReviewDraft = read(&headers, body, state.max_body_bytes)?;
    draft.reviewer = user.display_name.clone();
    let review = state.store.review_mark(mark_id, draft.checked()?, now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(mark = %mark_id, action = review.action.code(), user = user.id, "mark reviewed");
    state.store.audit(Some(user), "mark_review", format!("marca {mark_id}"), review.action.code().to_string(), now_ms()).await?;
    Ok((StatusCode::CREATED, Json(review)))
}

pub async fn reviews(State(state): State<AppState>, caller: Caller, Path(barrio_id): Path<i64>) -> Result<Json<Vec<MarkReview>>, ApiError> {
    caller.staff_in(barrio_id)?;
    Ok(Json(state.store.mark_reviews(barrio_id).await?))
}

/// Writes an export in the audit log: the files carry aliases and exact places.
pub(super) async fn exported(state: &AppState, user: &app::model::account::User, barrio_id: i64, number: u32, what: &str) -> Result<(), ApiError> {
    state.store.audit(Some(user), "export", format!("barrio {barrio_id} versión {number}"), what.to_string(), now_ms()).await?;
    Ok(())
}

/// A file to download, under `name`.
pub(super) fn download(content_type: &'static str, name: String, body: Vec<u8>) -> impl IntoResponse {
    let disposition = format!("attachment; filename=\"{name}\"");
    ([(header::CONTENT_TYPE, content_type.to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
}

/// The stored diagnóstico and its barrio's code and name, for an export.
async fn for_export(state: &AppState, barrio_id: i64, number: u32) -> Result<(StoredDiagnostico, String, String), ApiError> {
    let stored = state.store.diagnostico(barrio_id, number).await?.ok_or(ApiError::NotFound)?;
    let barrio = state.store.barrio(barrio_id).await?.ok_or(ApiError::NotFound)?;
    Ok((stored, barrio.summary.code, barrio.summary.name))
}

pub async fn hotspots_geojson(
    State(state): State<AppState>,
    caller: Caller,
    Path((barrio_id, number)): Path<(i64, u32)>,
) -> Result<impl IntoResponse, ApiError> {
    let user = caller.staff_in(barrio_id)?;
    let (stored, code, name) = for_export(&state, barrio_id, number).await?;
    exported(&state, user, barrio_id, number, "puntos críticos GeoJSON").await?;
    let body = crate::export::hotspots_geojson(&stored, &name).into_bytes();
    Ok(download("application/geo+json", format!("diagnostico-{code}-v{number}.geojson"), body))
}

pub async fn hotspots_csv(
    State(state): State<AppState>,
    caller: Caller,
    Path((barrio_id, number)): Path<(i64, u32)>,
) -> Result<impl IntoResponse, ApiError> {
    let user = caller.staff_in(barrio_id)?;
    let (stored, code, _) = for_export(&state, barrio_id, number).await?;
    exported(&state, user, barrio_id, number, "puntos críticos CSV").await?;
    let body = crate::export::hotspots_csv(&stored)?;
    Ok(download("text/csv; charset=utf-8", format!("diagnostico-{code}-v{number}.csv"), body))
}

/// The diagnóstico's source marks, each in the version it was made from (in any order).
pub(super) async fn source_versions(state: &AppState, stored: &StoredDiagnostico) -> Result<Vec<app::model::Mark>, ApiError> {
    let ids = stored.diagnostico.hotspots.iter().flat_map(|h| h.source_ids.iter().copied()).collect();
    Ok(state.store.marks_as_of(ids, stored.created_at_ms).await?)
}

/// [`for_export`] with the diagnóstico's source marks, each in the version it was made from.
pub(super) async fn with_marks(
    state: &AppState,
    barrio_id: i64,
    number: u32,
) -> Result<(StoredDiagnostico, String, String, Vec<SourceMark>), ApiError> {
    let (stored, code, name) = for_export(state, barrio_id, number).await?;
    let marks = crate::export::source_marks(&stored, source_versions(state, &stored).await?);
    Ok((stored, code, name, marks))
}

/// Hotspots and source marks in one GeoPackage, a layer per geometry kind, for QGIS or ArcGIS.
pub async fn gpkg(State(state): State<AppState>, caller: Caller, Path((barrio_id, number)): Path<(i64, u32)>) -> Result<impl IntoResponse, ApiError> {
    let user = caller.staff_in(barrio_id)?;
    let (stored, code, name, marks) = with_marks(&state, barrio_id, number).await?;
    exported(&state, user, barrio_id, number, "GeoPackage").await?;
    // Writing a database takes a while for a large barrio: off the async threads.
    let body = tokio::task::spawn_blocking(move || crate::export::diagnostico_gpkg(&stored, &marks, &name))
        .await
        .map_err(|e| ApiError::Store(crate::store::StoreError::Worker(e.to_string())))??;
    Ok(download("application/geopackage+sqlite3", format!("diagnostico-{code}-v{number}.gpkg"), body))
}

pub async fn marks_geojson(
    State(state): State<AppState>,
    caller: Caller,
    Path((barrio_id, number)): Path<(i64, u32)>,
) -> Result<impl IntoResponse, ApiError> {
    let user = caller.staff_in(barrio_id)?;
    let (stored, code, name, marks) = with_marks(&state, barrio_id, number).await?;
    exported(&state, user, barrio_id, number, "marcas GeoJSON").await?;
    let body = crate::export::marks_geojson(&stored, &marks, &name).into_bytes();
    Ok(download("application/geo+json", format!("diagnostico-{code}-v{number}-marcas.geojson"), body))
}

pub async fn marks_csv(State(state): State<AppState>, caller: Caller, Path((barrio_id, number)): Path<(i64, u32)>) -> Result<impl IntoResponse, ApiError> {
    let user = caller.staff_in(barrio_id)?;
    let (_, code, _, marks) = with_marks(&state, barrio_id, number).await?;
    exported(&state, user, barrio_id, number, "marcas CSV").await?;
    let body = crate::export::marks_csv(&marks)?;
    Ok(download("text/csv; charset=utf-8", format!("diagnostico-{code}-v{number}-marcas.csv"), body))
}
