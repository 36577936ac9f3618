//! Pasos 1–2 over HTTP: the ISCB's definitions, a city's balance for a cuatrimestre (JSON and
//! CSV), the barrios prioritised from it (each entering the ruta with the balance as its
//! registro), and the oficios de convocatoria. Staff read and decide, admins define the index.
//! A balance is computed off the database's thread, after the reads, never holding it.

use app::model::balance::informe::Balance;
use app::model::balance::iscb::{DefinicionDraft, DefinicionIscb};
use app::model::balance::oficio::{Oficio, OficioDraft};
use app::model::balance::periodo::Periodo;
use app::model::balance::priorizacion::{Priorizacion, PriorizacionDraft};
use app::model::barrio::is_municipio;
use app::model::registro::{Formato, MAX_DESCRIPTION_CHARS};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Deserialize;
use uuid::Uuid;

use super::diagnosticos::{download, read};
use super::{now_ms, AppState};
use crate::auth::{Caller, Session};
use crate::balance::{armar, BalanceRefusal, Entrada};
use crate::error::ApiError;
use crate::store::{Eleccion, StoreError};

/// The largest prioritisation read: hundreds of barrios, each with a paragraph of reasons. A
/// decision larger than this (400 barrios with 2,000-character reasons each would be) is sent
/// in parts.
pub const MAX_PRIORIZACION_BYTES: usize = 1024 * 1024;
/// The largest oficio read: its longest fields (60 institutions, the agenda) in characters of
/// up to four bytes each, with room to spare.
pub const MAX_OFICIO_BYTES: usize = 128 * 1024;

/// `?municipio=&periodo=&version=`, each optional; read by hand so that a bad value says which.
#[derive(Debug, Default, Deserialize)]
pub struct BalanceQuery {
    #[serde(default)]
    municipio: Option<String>,
    #[serde(default)]
    periodo: Option<String>,
    #[serde(default)]
    version: Option<String>,
}

/// What a request for a balance asks, checked.
struct Pedido {
    municipio: Option<String>,
    periodo: Option<Periodo>,
    version: Option<u32>,
}

fn bad_query(e: QueryRejection) -> ApiError {
    ApiError::InvalidQuery {
        field: "query",
        es: format!("Los parámetros (municipio, periodo, versión) no son válidos: {}", e.body_text()),
        en: format!("The parameters (municipio, periodo, version) are not valid: {}", e.body_text()),
    }
}

fn pedido(query: Result<Query<BalanceQuery>, QueryRejection>) -> Result<Pedido, ApiError> {
    let Query(q) = query.map_err(bad_query)?;
    let given = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let municipio = given(q.municipio);
    if let Some(m) = &municipio {
        if !is_municipio(m) {
            return Err(ApiError::InvalidQuery {
                field: "municipio",
                es: "El municipio va con su código DIVIPOLA de 5 dígitos (Santa Marta: 47001).".into(),
                en: "The municipio is its 5-digit DIVIPOLA code (Santa Marta: 47001).".into(),
            });
        }
    }
    let periodo = match given(q.periodo) {
        Some(p) => Some(Periodo::parse(&p).ok_or_else(|| ApiError::InvalidQuery {
            field: "periodo",
            es: "El periodo es un cuatrimestre escrito como 2026-C3 (año y cuatrimestre, de 1 a 3).".into(),
            en: "The periodo is a cuatrimestre written like 2026-C3 (year and cuatrimestre, 1 to 3).".into(),
        })?),
        None => None,
    };
    let version = match given(q.version) {
        Some(v) => Some(v.parse::<u32>().ok().filter(|v| *v >= 1).ok_or_else(|| ApiError::InvalidQuery {
            field: "version",
            es: "La versión del ISCB es un número entero desde 1.".into(),
            en: "The ISCB version is a whole number from 1.".into(),
        })?),
        None => None,
    };
    Ok(Pedido { municipio, periodo, version })
}

/// The city a balance is asked of: the one named, if the caller works there; otherwise the
/// caller's one city, or the one of theirs with data. Several with data: the caller must say.
/// A city the body names: a DIVIPOLA code, and one the caller works in.
fn works_in_city(session: &Session, municipio: &str) -> Result<(), ApiError> {
    if !is_municipio(municipio) {
        return Err(ApiError::InvalidOption {
            field: "municipio",
            es: "El municipio va con su código DIVIPOLA de 5 dígitos (Santa Marta: 47001).".into(),
            en: "The municipio is its 5-digit DIVIPOLA code (Santa Marta: 47001).".into(),
        });
    }
    if !session.user.in_city(municipio) {
        return Err(ApiError::Forbidden);
    }
    Ok(())
}

async fn ciudad(state: &AppState, session: &Session, named: Option<String>) -> Result<String, ApiError> {
    let user = &session.user;
    if let Some(m) = named {
        return if user.in_city(&m) { Ok(m) } else { Err(ApiError::Forbidden) };
    }
    if let [only] = user.municipios.as_slice() {
        return Ok(only.clone());
    }
    let mut con_datos = state.store.municipios_con_datos().await?;
    con_datos.retain(|m| user.in_city(m));
    match con_datos.as_slice() {
        [] => Err(BalanceRefusal::NoData(None).into()),
        [only] => Ok(only.clone()),
        several => Err(ApiError::InvalidQuery {
            field: "municipio",
            es: format!("Hay datos de varias de sus ciudades ({}): indique el municipio.", several.join(", ")),
            en: format!("Several of your cities have data ({}): say which municipio.", several.join(", ")),
        }),
    }
}

fn worker(e: tokio::task::JoinError) -> ApiError {
    ApiError::Store(StoreError::Worker(e.to_string()))
}

/// The balance of `municipio` for `periodo` (the newest with data when `None`) under definition
/// `version` (the latest when `None`): the store read first, then computed on a blocking thread.
async fn compute(state: &AppState, municipio: String, periodo: Option<Periodo>, version: Option<u32>) -> Result<Balance, ApiError> {
    let definicion = state.store.iscb_definition(version).await?.ok_or(match version {
        Some(v) => BalanceRefusal::UnknownVersion(v),
        None => BalanceRefusal::NoDefinition,
    })?;
    let (catalogo, valores, barrios) = state.store.balance_inputs(&municipio).await?;
    let generado_ms = now_ms();
    let balance = tokio::task::spawn_blocking(move || {
        armar(Entrada {
            municipio: &municipio,
            definicion: &definicion,
            catalogo: &catalogo,
            valores: &valores,
            barrios: &barrios,
            periodo,
            generado_ms,
        })
    })
    .await
    .map_err(worker)??;
    Ok(balance)
}

async fn balance_of(state: &AppState, caller: &Caller, query: Result<Query<BalanceQuery>, QueryRejection>) -> Result<Balance, ApiError> {
    let session = caller.staff()?;
    let pedido = pedido(query)?;
    let municipio = ciudad(state, session, pedido.municipio).await?;
    compute(state, municipio, pedido.periodo, pedido.version).await
}

/// `GET /api/v1/iscb/definiciones`: every version, newest first.
pub async fn definiciones(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<DefinicionIscb>>, ApiError> {
    caller.staff()?;
    Ok(Json(state.store.iscb_definitions().await?))
}

/// `POST /api/v1/iscb/definiciones`: a new version (admins).
pub async fn nueva_definicion(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<DefinicionIscb>), ApiError> {
    let user = caller.admin()?.clone();
    let draft: DefinicionDraft = read(&headers, body, state.max_body_bytes)?;
    let stored = state.store.add_iscb_definition(draft, user, now_ms()).await?;
    tracing::info!(version = stored.version, componentes = stored.draft.componentes.len(), "ISCB definition stored");
    Ok((StatusCode::CREATED, Json(stored)))
}

/// `GET /api/v1/balance`.
pub async fn balance(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<BalanceQuery>, QueryRejection>,
) -> Result<Json<Balance>, ApiError> {
    Ok(Json(balance_of(&state, &caller, query).await?))
}

/// `GET /api/v1/balance.csv`: the same balance as a spreadsheet, written to the audit log.
pub async fn balance_csv(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<BalanceQuery>, QueryRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let balance = balance_of(&state, &caller, query).await?;
    let name = file_name(&balance);
    let target = format!("{} {} ISCB v{}", balance.municipio, balance.periodo.code(), balance.definicion.version);
    let body = tokio::task::spawn_blocking(move || crate::balance::csv::balance_csv(&balance)).await.map_err(worker)?.map_err(export)?;
    state.store.audit(caller.user(), "balance_export", target, "CSV".into(), now_ms()).await?;
    Ok(download("text/csv; charset=utf-8", name, body))
}

fn export(e: csv::Error) -> ApiError {
    ApiError::Export(e.into())
}

/// `balance-47001-2026-C3-v1.csv`: ASCII only, safe in a header.
fn file_name(balance: &Balance) -> String {
    format!("balance-{}-{}-v{}.csv", balance.municipio, balance.periodo.code(), balance.definicion.version)
}

/// At most `max` characters of `text`, an ellipsis marking a cut.
fn at_most(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        return text;
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// "Balance de seguridad y convivencia — cuatrimestre 3 de 2026 · ISCB v1 · puesto 4 de 327 ·
/// Motivo: …", within a registro's limit (the whole reason stays in the prioritisation).
fn descripcion(balance: &Balance, barrio_id: i64, motivo: &str) -> String {
    let con_indice = balance.filas.iter().filter(|f| f.puesto.is_some()).count();
    let fila = balance.filas.iter().find(|f| f.barrio_id == barrio_id);
    let puesto = match fila.and_then(|f| f.puesto) {
        Some(p) => format!("puesto {p} de {con_indice}"),
        None => "sin índice en este balance".into(),
    };
    let text = format!(
        "Balance de seguridad y convivencia — {} · ISCB v{} · {puesto} · Motivo: {motivo}",
        balance.periodo.label_es(),
        balance.definicion.version
    );
    at_most(text, MAX_DESCRIPTION_CHARS)
}

/// `POST /api/v1/balance/priorizaciones`: the barrios chosen enter the ruta, all or none.
pub async fn priorizar(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Vec<Priorizacion>>), ApiError> {
    let session = caller.staff()?;
    let draft: PriorizacionDraft = read(&headers, body, MAX_PRIORIZACION_BYTES)?;
    let draft = draft.checked()?;
    works_in_city(session, &draft.municipio)?;
    for e in &draft.elegidos {
        caller.staff_in(e.barrio_id)?;
    }
    let user = session.user.clone();
    // The balance as it stands now for that period and version: what each choice keeps.
    let balance = compute(&state, draft.municipio.clone(), Some(draft.periodo), Some(draft.version)).await?;
    let nombre = file_name(&balance);
    let elecciones: Vec<Eleccion> = draft
        .elegidos
        .iter()
        .map(|e| {
            let fila = balance.filas.iter().find(|f| f.barrio_id == e.barrio_id);
            Eleccion {
                elegido: e.clone(),
                puesto: fila.and_then(|f| f.puesto),
                indice: fila.and_then(|f| f.indice),
                descripcion: descripcion(&balance, e.barrio_id, &e.motivo),
            }
        })
        .collect();
    let bytes = tokio::task::spawn_blocking(move || crate::balance::csv::balance_csv(&balance)).await.map_err(worker)?.map_err(export)?;
    let archivo = state.files.keep(bytes, Formato::Csv).await?;
    let now = now_ms();
    let lote = crate::store::Lote {
        municipio: draft.municipio.clone(),
        periodo: draft.periodo,
        version: draft.version,
        elecciones,
        archivo,
        nombre,
        fecha: app::model::workshop::colombia_date_time(now).0,
    };
    let kept = state.store.priorizar(lote, user, now).await?;
    tracing::info!(municipio = %draft.municipio, periodo = %draft.periodo.code(), barrios = kept.len(), "barrios prioritised");
    Ok((StatusCode::CREATED, Json(kept)))
}

/// `GET /api/v1/balance/priorizaciones?municipio=&periodo=`: newest first.
pub async fn priorizaciones(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<BalanceQuery>, QueryRejection>,
) -> Result<Json<Vec<Priorizacion>>, ApiError> {
    let user = caller.staff()?.user.clone();
    let pedido = pedido(query)?;
    let list = state.store.priorizaciones(pedido.municipio, pedido.periodo, move |m| user.in_city(m)).await?;
    Ok(Json(list))
}

/// `POST /api/v1/oficios`.
pub async fn crear_oficio(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Oficio>), ApiError> {
    let session = caller.staff()?;
    let draft: OficioDraft = read(&headers, body, MAX_OFICIO_BYTES)?;
    let draft = draft.checked()?;
    works_in_city(session, &draft.municipio)?;
    let oficio = state.store.add_oficio(draft, Uuid::new_v4(), session.user.clone(), now_ms()).await?;
    tracing::info!(oficio = %oficio.id, municipio = %oficio.draft.municipio, "oficio de convocatoria kept");
    Ok((StatusCode::CREATED, Json(oficio)))
}

/// `GET /api/v1/oficios?municipio=`: newest first.
pub async fn oficios(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<BalanceQuery>, QueryRejection>,
) -> Result<Json<Vec<Oficio>>, ApiError> {
    let user = caller.staff()?.user.clone();
    let pedido = pedido(query)?;
    Ok(Json(state.store.oficios(pedido.municipio, move |m| user.in_city(m)).await?))
}

/// `GET /api/v1/oficios/{id}`.
pub async fn oficio(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Oficio>, ApiError> {
    let session = caller.staff()?;
    let oficio = state.store.oficio(super::uuid_of(&id)?).await?.ok_or(ApiError::NotFound)?;
    if !session.user.in_city(&oficio.draft.municipio) {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(oficio))
}
