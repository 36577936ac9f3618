//! The indicator catalogue and imports of indicator data over HTTP: staff read, admins edit
//! the catalogue and import files (a preview first, then the confirmed import). Thin: files are
//! read and checked in `crate::indicadores`, kept in `crate::store`.

use std::collections::HashMap;

use app::model::balance::importacion::{Importacion, ReporteImportacion};
use app::model::balance::indicador::{Indicador, IndicadorDraft};
use app::model::barrio::is_municipio;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;

use super::diagnosticos::read;
use super::{now_ms, uuid_of, AppState};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::indicadores::{self, ImportacionError};
use crate::store::NuevaImportacion;

/// The catalogue, current versions, inactive entries too: for staff and admins.
pub async fn catalogo(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Indicador>>, ApiError> {
    caller.staff()?;
    Ok(Json(state.store.indicadores().await?))
}

/// A new entry (201) or a new version of one (200); admins only. The body's code must be the
/// path's.
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Indicador>), ApiError> {
    let admin = caller.admin()?.clone();
    let draft: IndicadorDraft = read(&headers, body, state.max_body_bytes)?;
    if draft.code.trim() != code {
        return Err(ApiError::InvalidOption {
            field: "code",
            es: "El código del indicador en los datos no es el de la dirección.".into(),
            en: "The indicator's code in the body is not the one in the path.".into(),
        });
    }
    let (indicador, new) = state.store.put_indicador(draft.checked()?, admin, now_ms()).await?;
    tracing::info!(code = %indicador.code, version = indicador.version, "indicator kept");
    Ok((if new { StatusCode::CREATED } else { StatusCode::OK }, Json(indicador)))
}

fn query_of(query: Result<Query<HashMap<String, String>>, QueryRejection>) -> Result<HashMap<String, String>, ApiError> {
    query.map(|Query(q)| q).map_err(|e| ApiError::InvalidQuery {
        field: "query",
        es: format!("Los parámetros de la dirección no son válidos: {}", e.body_text()),
        en: format!("The query is not valid: {}", e.body_text()),
    })
}

/// The city a request is about: the one it names (which the account must work in), else the
/// account's only city, else the deployment's only city.
async fn city(state: &AppState, user: &app::model::account::User, named: Option<&String>) -> Result<String, ApiError> {
    let municipio = match named.map(|m| m.trim()) {
        Some(m) if !m.is_empty() => {
            if !is_municipio(m) {
                return Err(ApiError::InvalidQuery {
                    field: "municipio",
                    es: "El municipio es su código DIVIPOLA de 5 dígitos (Santa Marta: 47001).".into(),
                    en: "The municipio is its 5-digit DIVIPOLA code (Santa Marta: 47001).".into(),
                });
            }
            m.to_string()
        }
        _ => match user.municipios.as_slice() {
            [only] => only.clone(),
            _ => {
                let cities: Vec<String> = state.store.cities().await?.into_iter().filter(|m| user.in_city(m)).collect();
                match cities.as_slice() {
                    [only] => only.clone(),
                    _ => {
                        return Err(ApiError::InvalidQuery {
                            field: "municipio",
                            es: "Indique el municipio (su código DIVIPOLA, como 47001): este servidor tiene varias ciudades.".into(),
                            en: "Name the municipio (its DIVIPOLA code, like 47001): this server holds several cities.".into(),
                        })
                    }
                }
            }
        },
    };
    if !user.in_city(&municipio) {
        return Err(ApiError::Forbidden);
    }
    Ok(municipio)
}

/// Whether `confirmar` says yes; absent is no.
fn confirmar(query: &HashMap<String, String>) -> Result<bool, ApiError> {
    match query.get("confirmar").map(|v| v.trim().to_lowercase()).as_deref() {
        None | Some("" | "false" | "0" | "no") => Ok(false),
        Some("true" | "1" | "si" | "sí") => Ok(true),
        Some(_) => Err(ApiError::InvalidQuery {
            field: "confirmar",
            es: "«confirmar» es true (importar) o false (vista previa).".into(),
            en: "`confirmar` is true (import) or false (preview).".into(),
        }),
    }
}

/// A file of indicator data as the raw body: read and checked, then reported (preview: 200,
/// nothing kept) or kept whole (confirmed: 201, with `importacion`). Admins of the city only.
pub async fn importar(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ReporteImportacion>), ApiError> {
    let admin = caller.admin()?.clone();
    let query = query_of(query)?;
    let municipio = city(&state, &admin, query.get("municipio")).await?;
    let confirmed = confirmar(&query)?;
    let archivo = query.get("archivo").cloned().unwrap_or_default();
    let body = body.map_err(|r| ApiError::from_body_rejection(r, state.max_import_bytes))?;
    let (barrios, catalogo) = (state.store.city_barrios(&municipio).await?, state.store.indicadores().await?);
    let city_code = municipio.clone();
    // Up to 200,000 rows: read and checked off the async workers.
    let revision = tokio::task::spawn_blocking(move || indicadores::revisar_archivo(&body, &archivo, &city_code, &barrios, &catalogo))
        .await
        .map_err(|e| ApiError::Store(crate::store::StoreError::Worker(e.to_string())))??;
    let mut reporte = revision.reporte;
    if !confirmed {
        reporte.reemplaza = state.store.replaced_periods(&municipio, reporte.periodos.clone()).await?;
        return Ok((StatusCode::OK, Json(reporte)));
    }
    if reporte.aceptadas == 0 {
        return Err(ImportacionError::NothingAccepted(Box::new(reporte)).into());
    }
    let nueva = NuevaImportacion {
        id: uuid::Uuid::new_v4(),
        reporte,
        valores: revision.valores,
        ejemplo: false,
        at_ms: now_ms(),
        by_name: admin.display_name.clone(),
        by: Some(admin),
    };
    let kept = state.store.store_indicator_import(nueva, false).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(municipio = %kept.municipio, importacion = ?kept.importacion, aceptadas = kept.aceptadas, rechazadas = kept.rechazadas, "indicator data imported");
    Ok((StatusCode::CREATED, Json(kept)))
}

/// A city's imports, newest first: staff and admins of the city.
pub async fn importaciones(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<Vec<Importacion>>, ApiError> {
    let user = &caller.staff()?.user;
    let query = query_of(query)?;
    let municipio = city(&state, user, query.get("municipio")).await?;
    Ok(Json(state.store.indicator_imports(&municipio).await?))
}

/// One import's report as it was kept: staff and admins of its city.
pub async fn importacion(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<ReporteImportacion>, ApiError> {
    // Staff first: whoever else asks learns nothing, not even whether the import exists.
    let user = &caller.staff()?.user;
    let (municipio, reporte) = state.store.indicator_import(uuid_of(&id)?).await?.ok_or(ApiError::NotFound)?;
    if !user.in_city(&municipio) {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(reporte))
}
