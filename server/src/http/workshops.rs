//! Workshops: `POST /api/v1/workshops` prepares one with its join code (a facilitator of its
//! barrio, or staff), `GET /api/v1/workshops?barrio_id=N` lists a barrio's, `GET
//! /api/v1/workshops/{id}` gives one, `POST /api/v1/join/{code}` is how a device joins: the
//! workshop, its barrio and the device's token, if the code is right and still valid. Failed
//! join attempts are limited per client address, so codes cannot be guessed. A facilitator's
//! tablet gets its own token (`POST …/devices`), and closing a workshop ends every token.
//! `GET …/room` counts the room for its facilitator.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Instant;

use app::model::workshop::{normalize_code, CODE_LEN};
use app::model::account::DeviceToken;
use app::model::room::Room;
use app::model::{JoinReply, JoinRequest, Workshop, WorkshopDraft, WorkshopSettings};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use uuid::Uuid;

use super::diagnosticos::read;
use super::{body::json_body, now_ms, AppState};
use crate::auth::limiter::client_key;
use crate::auth::{token, Caller};
use crate::error::ApiError;
use crate::store::DeviceKind;

/// The id and the code's bytes of a new workshop, from the operating system's randomness.
fn random_id_and_code() -> (Uuid, [u8; CODE_LEN]) {
    let mut code = [0u8; CODE_LEN];
    // The first six bytes of a v4 UUID are all random (its version and variant bits come later).
    code.copy_from_slice(&Uuid::new_v4().as_bytes()[..CODE_LEN]);
    (Uuid::new_v4(), code)
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Workshop>), ApiError> {
    caller.account()?;
    let body = json_body(&headers, body, state.max_body_bytes)?;
    let draft: WorkshopDraft = serde_json::from_slice(&body).map_err(|e| ApiError::MalformedWorkshop(e.to_string()))?;
    let draft = draft.checked()?;
    let barrio_id = draft.barrio_id;
    if state.store.barrio_bbox(barrio_id).await?.is_none() {
        return Err(ApiError::UnknownBarrio { barrio_id, field: "barrio_id" });
    }
    let user = caller.works_in(barrio_id)?;
    let workshop = state
        .store
        .create_workshop(draft, Some(user.id), now_ms(), random_id_and_code)
        .await?
        .ok_or(ApiError::UnknownBarrio { barrio_id, field: "barrio_id" })?;
    tracing::info!(workshop = %workshop.id, barrio_id, "workshop created");
    state.store.audit(Some(user), "workshop_create", workshop.id.to_string(), format!("barrio {barrio_id}"), now_ms()).await?;
    Ok((StatusCode::CREATED, Json(workshop)))
}

/// The workshop at `id`, if `caller` may read it (404 before 403 only for those who may
/// read some workshops of its barrio: a stranger learns nothing from the difference).
async fn readable(state: &AppState, caller: &Caller, id: &str) -> Result<Workshop, ApiError> {
    let id = Uuid::parse_str(id).map_err(|_| ApiError::InvalidId(id.to_string()))?;
    if matches!(caller, Caller::Anonymous) {
        return Err(ApiError::Unauthorized);
    }
    let workshop = state.store.workshop(id).await?.ok_or(ApiError::UnknownWorkshop { field: None })?;
    caller.reads_workshop(&workshop)?;
    Ok(workshop)
}

/// `POST /api/v1/workshops/{id}/devices`: a token for the facilitator's tablet, so it keeps
/// sending the workshop's marks after its session ends (a workshop runs offline for hours).
pub async fn device(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<DeviceToken>), ApiError> {
    caller.account()?;
    let workshop = readable(&state, &caller, &id).await?;
    let user = caller.works_in(workshop.barrio_id)?;
    if workshop.closed_at_ms.is_some() {
        return Err(ApiError::WorkshopClosed);
    }
    let request: JoinRequest = read(&headers, body, state.max_body_bytes)?;
    let secret = token::new_secret();
    let (digest, now) = (token::digest(&secret), now_ms());
    state.store.issue_device_token(digest, workshop.id, request.device_id, DeviceKind::Facilitator, Some(user.id), now).await?;
    state.store.audit(Some(user), "workshop_device", workshop.id.to_string(), String::new(), now).await?;
    Ok((StatusCode::CREATED, Json(DeviceToken { token: secret })))
}

/// `POST /api/v1/workshops/{id}/close`: no device may send to or pull from it any more.
pub async fn close(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Workshop>, ApiError> {
    caller.account()?;
    let workshop = readable(&state, &caller, &id).await?;
    let user = caller.works_in(workshop.barrio_id)?;
    let closed = state.store.close_workshop(workshop.id, now_ms()).await?.ok_or(ApiError::UnknownWorkshop { field: None })?;
    state.store.audit(Some(user), "workshop_close", workshop.id.to_string(), String::new(), now_ms()).await?;
    Ok(Json(closed))
}

/// `POST /api/v1/workshops/{id}/settings`: whether participants see each other's sensitive marks.
pub async fn settings(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Workshop>, ApiError> {
    caller.account()?;
    let workshop = readable(&state, &caller, &id).await?;
    let user = caller.works_in(workshop.barrio_id)?;
    let settings: WorkshopSettings = read(&headers, body, state.max_body_bytes)?;
    let changed =
        state.store.set_share_sensitive(workshop.id, settings.share_sensitive).await?.ok_or(ApiError::UnknownWorkshop { field: None })?;
    let detail = format!("marcas sensibles compartidas: {}", if settings.share_sensitive { "sí" } else { "no" });
    state.store.audit(Some(user), "workshop_settings", workshop.id.to_string(), detail, now_ms()).await?;
    Ok(Json(changed))
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Vec<Workshop>>, ApiError> {
    caller.account()?;
    let barrio_id = query.get("barrio_id").and_then(|b| b.trim().parse::<i64>().ok()).ok_or_else(|| ApiError::InvalidQuery {
        field: "barrio_id",
        es: "Indique el barrio con ?barrio_id= y su número.".into(),
        en: "Name the barrio with ?barrio_id= and its number.".into(),
    })?;
    if state.store.barrio_bbox(barrio_id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    // The list shows join codes: it is for those who work in the barrio.
    caller.works_in(barrio_id)?;
    Ok(Json(state.store.workshops_for_barrio(barrio_id).await?))
}

pub async fn one(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Workshop>, ApiError> {
    Ok(Json(readable(&state, &caller, &id).await?))
}

/// `GET /api/v1/workshops/{id}/room`: the facilitator's panel (devices, participants, marks by
/// stage, each device's reported queue). For those who work in the barrio; the workshop's own
/// devices may read the workshop but not who else is in the room.
pub async fn room(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> Result<Json<Room>, ApiError> {
    let workshop = readable(&state, &caller, &id).await?;
    caller.works_in(workshop.barrio_id)?;
    Ok(Json(state.store.room(workshop.id, now_ms()).await?))
}

pub async fn join(
    State(state): State<AppState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<JoinReply>, ApiError> {
    let limiter = &state.join_limiter;
    let (now, ip) = (Instant::now(), client_key(client.ip()));
    // Even a right code waits: otherwise a guesser would learn which code is right.
    // Counted before the look-up, and forgiven only once it found an open workshop, so a
    // burst of concurrent guesses meets the limit exactly.
    let ticket = limiter.reserve(&ip, now).map_err(ApiError::too_many_attempts)?;
    let answer = async {
        let request: JoinRequest = read(&headers, body, state.max_body_bytes)?;
        let code = normalize_code(&code).ok_or(ApiError::InvalidCode)?;
        let (workshop, barrio) = state.store.workshop_by_code(code).await?.ok_or(ApiError::UnknownCode)?;
        if now_ms() >= workshop.code_expires_at_ms || workshop.closed_at_ms.is_some() {
            return Err(ApiError::CodeExpired);
        }
        let secret = token::new_secret();
        state.store.issue_device_token(token::digest(&secret), workshop.id, request.device_id, DeviceKind::Participant, None, now_ms()).await?;
        Ok(Json(JoinReply { workshop, barrio, token: secret }))
    }
    .await;
    if !matches!(&answer, Err(ApiError::InvalidCode | ApiError::UnknownCode | ApiError::CodeExpired)) {
        limiter.forgive(&ip, ticket);
    }
    answer
}
