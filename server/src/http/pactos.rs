//! Paso 4 over HTTP: a barrio's pactos drafted from a diagnóstico, saved as revisions, signed
//! with their scan kept as a registro, amended by otrosíes, their compromisos followed up, and
//! what of them is published. Staff of the barrio's city write; the facilitators of the barrio
//! read; anyone reads what was published. Thin: the rules are `app::model::pacto`'s, the state
//! is checked and kept in `crate::store`.

use app::model::pacto::{
    CambioEstado, CambioEstadoDraft, FirmaDraft, GuardarPacto, NuevoPacto, Pacto, PactoDetalle, PactoError, PactoPublicado, PactoResumen,
    PublicarPacto,
};
use app::model::registro::is_date;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use uuid::Uuid;

use super::diagnosticos::read;
use super::{now_ms, uuid_of, AppState};
use crate::auth::Caller;
use crate::error::ApiError;

/// The largest pacto saved at once: its longest fields (120 compromisos, 300 solutions, 60
/// problems, the context) in characters of up to four bytes each, with room to spare. Other
/// pacto requests are small and take the usual limit.
pub const MAX_PACTO_BYTES: usize = 2 * 1024 * 1024;

/// The staff member who may act on pacto `id`, and its barrio: signed-in staff first, so that
/// no one else learns whether a pacto exists.
async fn staff_on_pacto<'c>(
    state: &AppState,
    caller: &'c Caller,
    id: &str,
) -> Result<(&'c app::model::account::User, Uuid, i64), ApiError> {
    caller.staff()?;
    let id = uuid_of(id)?;
    let barrio_id = state.store.pacto_barrio(id).await?.ok_or(ApiError::NotFound)?;
    Ok((caller.staff_in(barrio_id)?, id, barrio_id))
}

/// `GET /api/v1/barrios/{id}/pactos`: newest first.
pub async fn of_barrio(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
) -> Result<Json<Vec<PactoResumen>>, ApiError> {
    caller.works_in(barrio_id)?;
    Ok(Json(state.store.pactos_de_barrio(barrio_id).await?.ok_or(ApiError::NotFound)?))
}

/// `POST /api/v1/barrios/{id}/pactos`: a pacto drafted from a diagnóstico.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Pacto>), ApiError> {
    let user = caller.staff_in(barrio_id)?.clone();
    let nuevo: NuevoPacto = read(&headers, body, state.max_body_bytes)?;
    let pacto = state.store.crear_pacto(barrio_id, Uuid::new_v4(), nuevo.diagnostico, user, now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id, pacto = %pacto.id, diagnostico = pacto.diagnostico, "pacto drafted");
    Ok((StatusCode::CREATED, Json(pacto)))
}

/// `GET /api/v1/pactos/{id}`: for those who work in its barrio; `editable` for its staff.
pub async fn one(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<PactoDetalle>, ApiError> {
    caller.account()?;
    let id = uuid_of(&id)?;
    let barrio_id = state.store.pacto_barrio(id).await?.ok_or(ApiError::NotFound)?;
    caller.works_in(barrio_id)?;
    let mut detalle = state.store.pacto_detalle(id).await?.ok_or(ApiError::NotFound)?;
    detalle.editable = caller.staff_in(barrio_id).is_ok();
    Ok(Json(detalle))
}

/// `PUT /api/v1/pactos/{id}`: a new revision.
pub async fn save(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Pacto>, ApiError> {
    let (user, id, barrio_id) = staff_on_pacto(&state, &caller, &id).await?;
    let guardar: GuardarPacto = read(&headers, body, MAX_PACTO_BYTES)?;
    let pacto = state.store.guardar_pacto(id, guardar, user.clone(), now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id, pacto = %id, revision = pacto.revision, "pacto saved");
    Ok(Json(pacto))
}

/// `POST /api/v1/pactos/{id}/firma`.
pub async fn sign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Pacto>, ApiError> {
    let (user, id, barrio_id) = staff_on_pacto(&state, &caller, &id).await?;
    let mut firma: FirmaDraft = read(&headers, body, state.max_body_bytes)?;
    firma.fecha = firma.fecha.trim().to_string();
    if !is_date(&firma.fecha) {
        return Err(PactoError::BadDate.into());
    }
    let pacto = state.store.firmar_pacto(id, firma, user.clone(), now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id, pacto = %id, revision = pacto.revision, "pacto signed");
    Ok(Json(pacto))
}

/// `POST /api/v1/pactos/{id}/otrosi`: no body.
pub async fn otrosi(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<(StatusCode, Json<Pacto>), ApiError> {
    let (user, id, barrio_id) = staff_on_pacto(&state, &caller, &id).await?;
    let pacto = state.store.otrosi(id, Uuid::new_v4(), user.clone(), now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id, pacto = %pacto.id, anterior = %id, version = pacto.version, "otrosí drafted");
    Ok((StatusCode::CREATED, Json(pacto)))
}

/// `POST /api/v1/pactos/{id}/compromisos/{cid}/estados`.
pub async fn estado(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, cid)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<CambioEstado>), ApiError> {
    let (user, id, barrio_id) = staff_on_pacto(&state, &caller, &id).await?;
    let cid = uuid_of(&cid)?;
    let draft: CambioEstadoDraft = read(&headers, body, state.max_body_bytes)?;
    let cambio = state.store.cambiar_estado(id, cid, draft, user.clone(), now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id, pacto = %id, compromiso = %cid, estado = cambio.estado.code(), "compromiso status changed");
    Ok((StatusCode::CREATED, Json(cambio)))
}

async fn publicacion(
    state: &AppState,
    caller: &Caller,
    id: &str,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    guardar: bool,
) -> Result<PactoPublicado, ApiError> {
    let (user, id, _) = staff_on_pacto(state, caller, id).await?;
    let pedido: PublicarPacto = read(headers, body, state.max_body_bytes)?;
    state.store.publicar_pacto(id, pedido, guardar, user.clone(), now_ms()).await?.ok_or(ApiError::NotFound)
}

/// `POST /api/v1/pactos/{id}/publicacion/vista`: what would be published; nothing is kept.
pub async fn preview(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<PactoPublicado>, ApiError> {
    Ok(Json(publicacion(&state, &caller, &id, &headers, body, false).await?))
}

/// `POST /api/v1/pactos/{id}/publicacion`: kept as the barrio's publication in force.
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<PactoPublicado>), ApiError> {
    let publicado = publicacion(&state, &caller, &id, &headers, body, true).await?;
    tracing::info!(barrio_id = publicado.barrio_id, pacto = %publicado.pacto_id, compromisos = publicado.compromisos.len(), "pacto published");
    Ok((StatusCode::CREATED, Json(publicado)))
}

/// `GET /api/v1/public/barrios/{id}/compromisos`: anyone; statuses as they are now. Kept by
/// no cache without asking again: a status change must reach every reader.
pub async fn public_compromisos(State(state): State<AppState>, Path(barrio_id): Path<i64>) -> Result<impl IntoResponse, ApiError> {
    let publicado = state.store.pacto_publicado(barrio_id).await?.ok_or(ApiError::NotFound)?;
    Ok(([(header::CACHE_CONTROL, "no-cache")], Json(publicado)))
}
