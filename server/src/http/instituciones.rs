//! The catalogue of institutions over HTTP, and each institution's compromisos: every account
//! reads the catalogue (a pacto names its entries), admins edit it (each edit a new version),
//! staff follow an institution's compromisos across the barrios of their cities, on a page or
//! as a CSV (each download in the audit log).

use app::model::pacto::institucion::is_code;
use app::model::pacto::{CompromisoDeInstitucion, Institucion, InstitucionDraft, PactoError};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;

use super::diagnosticos::{download, read};
use super::{now_ms, AppState};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::StoreError;
use crate::time::today_colombia;

/// `GET /api/v1/instituciones`: the current version of every entry, inactive ones too.
pub async fn catalogo(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Institucion>>, ApiError> {
    caller.account()?;
    Ok(Json(state.store.instituciones().await?))
}

/// `PUT /api/v1/instituciones/{codigo}`: a new entry (201) or a new version of one (200);
/// admins only.
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    Path(codigo): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Institucion>), ApiError> {
    let admin = caller.admin()?.clone();
    if !is_code(&codigo) {
        return Err(PactoError::BadInstitutionCode.into());
    }
    let draft: InstitucionDraft = read(&headers, body, state.max_body_bytes)?;
    let (institucion, new) = state.store.put_institucion(codigo, draft.checked()?, admin, now_ms()).await?;
    tracing::info!(codigo = %institucion.codigo, version = institucion.version, "institution kept");
    Ok((if new { StatusCode::CREATED } else { StatusCode::OK }, Json(institucion)))
}

/// The institution's lines in the barrios of the caller's cities, overdue first.
async fn lineas(state: &AppState, caller: &Caller, codigo: String) -> Result<Vec<CompromisoDeInstitucion>, ApiError> {
    let session = caller.staff()?;
    let mut lineas = state.store.compromisos_de_institucion(codigo, today_colombia()).await?.ok_or(ApiError::NotFound)?;
    lineas.retain(|l| session.in_cities(l.barrio_id));
    Ok(lineas)
}

/// `GET /api/v1/instituciones/{codigo}/compromisos`.
pub async fn compromisos(
    State(state): State<AppState>,
    caller: Caller,
    Path(codigo): Path<String>,
) -> Result<Json<Vec<CompromisoDeInstitucion>>, ApiError> {
    Ok(Json(lineas(&state, &caller, codigo).await?))
}

/// `GET /api/v1/instituciones/{codigo}/compromisos.csv`: the same lines for a spreadsheet.
pub async fn compromisos_csv(
    State(state): State<AppState>,
    caller: Caller,
    Path(codigo): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let lineas = lineas(&state, &caller, codigo.clone()).await?;
    let detail = format!("CSV, {} compromisos", lineas.len());
    let body = tokio::task::spawn_blocking(move || crate::pactos::csv::compromisos_csv(&lineas))
        .await
        .map_err(|e| ApiError::Store(StoreError::Worker(e.to_string())))?
        .map_err(|e| ApiError::Export(e.into()))?;
    state.store.audit(caller.user(), "compromisos_export", format!("institución {codigo}"), detail, now_ms()).await?;
    // The code is one of the catalogue's (found above): `[a-z0-9_]`, safe in a header.
    Ok(download("text/csv; charset=utf-8", format!("compromisos-{codigo}-{}.csv", today_colombia()), body))
}
