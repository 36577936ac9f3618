//! La ruta del barrio over HTTP: where every barrio stands, a barrio's ciclos, their step
//! changes and closing, and the registros (files) kept for each step. Staff change and
//! upload; a facilitator reads the route of the barrios they work in, without the files.
//! Every change and every download is in the audit log.

use app::model::registro::{BarrioOutline, Registro, RegistroMeta, RetiroDraft, RutaBarrio, RutaResumen};
use app::model::ruta::{CambioDraft, Ciclo, CierreDraft};
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use uuid::Uuid;

use super::diagnosticos::read;
use super::{now_ms, AppState};
use crate::auth::Caller;
use crate::error::ApiError;

/// The staff member who may act on ciclo `id`, and its barrio: signed-in staff first, so
/// that no one else learns whether a ciclo exists.
async fn staff_on_ciclo<'c>(
    state: &AppState,
    caller: &'c Caller,
    id: &str,
) -> Result<(&'c app::model::account::User, Uuid, i64), ApiError> {
    caller.staff()?;
    let id = super::uuid_of(id)?;
    let barrio_id = state.store.ciclo_barrio(id).await?.ok_or(ApiError::NotFound)?;
    Ok((caller.staff_in(barrio_id)?, id, barrio_id))
}

async fn staff_on_registro<'c>(
    state: &AppState,
    caller: &'c Caller,
    id: &str,
) -> Result<(&'c app::model::account::User, Registro), ApiError> {
    caller.staff()?;
    let registro = state.store.registro(super::uuid_of(id)?).await?.ok_or(ApiError::NotFound)?;
    Ok((caller.staff_in(registro.barrio_id)?, registro))
}

/// Every barrio the caller works in with where its open ciclo stands.
pub async fn resumen(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<RutaResumen>>, ApiError> {
    let session = caller.account()?;
    let mut lines = state.store.ruta_resumen().await?;
    lines.retain(|l| session.works_in(l.barrio_id));
    Ok(Json(lines))
}

/// The outlines of the barrios the caller works in, for the city map of `/ruta`: parsed and
/// simplified off the database's thread.
pub async fn mapa(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<BarrioOutline>>, ApiError> {
    let session = caller.account()?;
    let mut rows = state.store.boundaries().await?;
    rows.retain(|(id, _)| session.works_in(*id));
    let outlines = tokio::task::spawn_blocking(move || {
        rows.into_iter()
            .filter_map(|(barrio_id, text)| {
                let boundary: geojson::Geometry = serde_json::from_str(&text).ok()?;
                Some(BarrioOutline { barrio_id, outline: crate::outline::outline(&boundary)? })
            })
            .collect::<Vec<_>>()
    })
    .await
    .map_err(|e| ApiError::Store(crate::store::StoreError::Worker(e.to_string())))?;
    Ok(Json(outlines))
}

/// A barrio's ciclos; facilitators get the steps without the registros' files and texts.
pub async fn barrio(State(state): State<AppState>, caller: Caller, Path(barrio_id): Path<i64>) -> Result<Json<RutaBarrio>, ApiError> {
    let user = caller.works_in(barrio_id)?;
    let mut ruta = state.store.ruta_of_barrio(barrio_id).await?.ok_or(ApiError::NotFound)?;
    if !user.role.is_staff() {
        for ciclo in &mut ruta.ciclos {
            ciclo.registros.clear();
        }
    }
    Ok(Json(ruta))
}

pub async fn open(
    State(state): State<AppState>,
    caller: Caller,
    Path(barrio_id): Path<i64>,
) -> Result<(StatusCode, Json<Ciclo>), ApiError> {
    let user = caller.staff_in(barrio_id)?.clone();
    let ciclo = state.store.open_ciclo(barrio_id, Uuid::new_v4(), user, now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id, ciclo = %ciclo.id, "ciclo opened");
    Ok((StatusCode::CREATED, Json(ciclo)))
}

pub async fn change(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Ciclo>), ApiError> {
    let (user, id, barrio_id) = staff_on_ciclo(&state, &caller, &id).await?;
    let draft: CambioDraft = read(&headers, body, state.max_body_bytes)?;
    let ciclo = state.store.change_paso(id, draft, user.clone(), now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id, ciclo = %id, paso = ciclo.current().number(), "ciclo moved");
    Ok((StatusCode::CREATED, Json(ciclo)))
}

pub async fn close(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Ciclo>), ApiError> {
    let (user, id, barrio_id) = staff_on_ciclo(&state, &caller, &id).await?;
    let draft: CierreDraft = read(&headers, body, state.max_body_bytes)?;
    let ciclo = state.store.close_ciclo(id, draft.comment, user.clone(), now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id, ciclo = %id, "ciclo closed");
    Ok((StatusCode::CREATED, Json(ciclo)))
}

/// The file is the body, as it is (any content type: its first bytes say what it is); what
/// it is for goes in the query. Checked before a byte is read, kept before the answer.
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    meta: Result<Query<RegistroMeta>, QueryRejection>,
    request: Request,
) -> Result<(StatusCode, Json<Registro>), ApiError> {
    let (user, ciclo_id, barrio_id) = staff_on_ciclo(&state, &caller, &id).await?;
    let Query(meta) = meta.map_err(|e| ApiError::InvalidQuery {
        field: "query",
        es: format!("Los datos del registro (paso, tipo, fecha, descripción) no son válidos: {}", e.body_text()),
        en: format!("The registro's details (paso, tipo, fecha, descripcion) are not valid: {}", e.body_text()),
    })?;
    let (_, meta) = meta.checked()?;
    let file = state.files.receive(request.into_body(), state.max_upload_bytes).await?;
    let registro =
        state.store.add_registro(ciclo_id, Uuid::new_v4(), meta, file, user.clone(), now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id, ciclo = %ciclo_id, registro = %registro.id, bytes = registro.bytes, "registro kept");
    Ok((StatusCode::CREATED, Json(registro)))
}

/// The file of a registro, as a download (never shown inline: it is the uploader's content).
pub async fn download(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Response, ApiError> {
    let (user, registro) = staff_on_registro(&state, &caller, &id).await?;
    let file = state.files.open(&registro.sha256).await?;
    let target = format!("barrio {} registro {}", registro.barrio_id, registro.id);
    state.store.audit(Some(user), "registro_download", target, registro.nombre.clone(), now_ms()).await?;
    let name = if registro.nombre.is_empty() { format!("registro.{}", registro.formato.extension()) } else { registro.nombre.clone() };
    let ascii: String = name.chars().map(|c| if c.is_ascii_graphic() || c == ' ' { c } else { '_' }).collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", percent_encode(&name));
    let mut response = Body::from_stream(tokio_util::io::ReaderStream::new(file)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(registro.formato.mime()));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(registro.bytes));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// RFC 5987 encoding of a file name for `filename*`.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Registro>), ApiError> {
    let (user, registro) = staff_on_registro(&state, &caller, &id).await?;
    let draft: RetiroDraft = read(&headers, body, state.max_body_bytes)?;
    let registro = state.store.withdraw_registro(registro.id, draft.checked()?, user.clone(), now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id = registro.barrio_id, registro = %registro.id, "registro withdrawn");
    Ok((StatusCode::CREATED, Json(registro)))
}
