//! Requests to enter the route over HTTP: anyone may send one (no account, no CAPTCHA: a
//! honeypot, a limit per client address, small bodies and a cap per barrio in the store);
//! staff of the barrio's city list them, with the contact, and accept or decline them.

use std::net::SocketAddr;
use std::time::Instant;

use app::model::inscripcion::{DecisionDraft, Inscripcion, InscripcionDraft, InscripcionRecibida};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use uuid::Uuid;

use super::diagnosticos::read;
use super::{now_ms, AppState};
use crate::auth::limiter::client_key;
use crate::auth::Caller;
use crate::error::ApiError;

/// Requests one client address may send in the limiter's window (ten minutes).
pub const PER_ADDRESS: usize = 5;
/// The largest request body: the longest fields, in characters of four bytes each, fit in it
/// with room to spare; nothing longer is read.
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// `POST /api/v1/inscripciones`: 202 whether the request was kept or was a bot's (which
/// learns nothing from the answer).
pub async fn send(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<InscripcionRecibida>), ApiError> {
    let ip = client_key(client.ip());
    // Counted before anything is read or stored, so a burst meets the limit exactly.
    let ticket = state
        .inscripcion_limiter
        .reserve(&ip, Instant::now())
        .map_err(|wait| ApiError::TooManyRequests { retry_after_s: wait.as_secs().max(1) })?;
    let answer = async {
        let draft: InscripcionDraft = read(&headers, body, MAX_BODY_BYTES)?;
        if draft.is_bot() {
            tracing::info!(barrio_id = draft.barrio_id, "inscripción with the honeypot filled: answered, not kept");
            return Ok(());
        }
        let draft = draft.checked()?;
        let barrio_id = draft.barrio_id;
        state
            .store
            .add_inscripcion(draft, Uuid::new_v4(), now_ms())
            .await?
            .ok_or(ApiError::UnknownBarrio { barrio_id, field: "barrio_id" })?;
        tracing::info!(barrio_id, "inscripción received");
        Ok(())
    }
    .await;
    // A request refused for what it says kept nothing and cost nothing: a person fixing a
    // typo is not counted. Kept ones, bots' and those refused for a full barrio count.
    let fixable = match &answer {
        Err(ApiError::InvalidInscripcion(e)) => !e.is_conflict(),
        Err(ApiError::UnknownBarrio { .. } | ApiError::MalformedBody(_) | ApiError::UnsupportedMediaType) => true,
        _ => false,
    };
    if fixable {
        state.inscripcion_limiter.forgive(&ip, ticket);
    }
    answer.map(|()| (StatusCode::ACCEPTED, Json(InscripcionRecibida { recibida: true })))
}

/// `GET /api/v1/inscripciones`: the requests of the barrios of the caller's cities.
pub async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Inscripcion>>, ApiError> {
    let cities = caller.staff()?.city_barrios.clone();
    let list = state.store.inscripciones(move |barrio_id| cities.as_ref().is_none_or(|ids| ids.contains(&barrio_id))).await?;
    Ok(Json(list))
}

/// `POST /api/v1/inscripciones/{id}/decision`: accept (a ciclo opens at step 1) or decline.
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Inscripcion>), ApiError> {
    // Signed-in staff first, so that no one else learns whether a request exists.
    caller.staff()?;
    let id = super::uuid_of(&id)?;
    let barrio_id = state.store.inscripcion_barrio(id).await?.ok_or(ApiError::NotFound)?;
    let user = caller.staff_in(barrio_id)?.clone();
    let draft: DecisionDraft = read(&headers, body, state.max_body_bytes)?;
    let decided = state.store.decide_inscripcion(id, draft.checked()?, Uuid::new_v4(), user, now_ms()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(barrio_id, inscripcion = %id, veredicto = ?decided.decision.as_ref().map(|d| d.veredicto), "inscripción decided");
    Ok((StatusCode::CREATED, Json(decided)))
}
